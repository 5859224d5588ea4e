package router

import (
	"fmt"
	"reflect"
	"testing"
)

// docRoutes is the example from [DG:http-api-develop-routes] "Routing API
// requests".
var docRoutes = []string{"GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default"}

func TestMatchPriority(t *testing.T) {
	p := func(kv ...string) []Param {
		var ps []Param
		for i := 0; i < len(kv); i += 3 {
			ps = append(ps, Param{Name: kv[i], Value: kv[i+1], Raw: kv[i+2]})
		}
		return ps
	}
	tests := []struct {
		name   string
		routes []string
		method string
		path   string
		want   string // selected key; "" for no match
		params []Param
	}{
		// The worked example.
		{name: "doc: static route", routes: docRoutes, method: "GET", path: "/pets/dog/1", want: "GET /pets/dog/1"},
		{name: "doc: variable", routes: docRoutes, method: "GET", path: "/pets/dog/2", want: "GET /pets/dog/{id}", params: p("id", "2", "2")},
		{name: "doc: greedy with method", routes: docRoutes, method: "GET", path: "/pets/cat/1", want: "GET /pets/{proxy+}", params: p("proxy", "cat/1", "cat/1")},
		{name: "doc: greedy ANY", routes: docRoutes, method: "POST", path: "/test/5", want: "ANY /{proxy+}", params: p("proxy", "test/5", "test/5")},
		{name: "doc: root falls to $default", routes: docRoutes, method: "GET", path: "/", want: "$default"},
		{name: "doc: POST skips GET routes", routes: docRoutes, method: "POST", path: "/pets/dog/1", want: "ANY /{proxy+}", params: p("proxy", "pets/dog/1", "pets/dog/1")},
		{name: "doc: greedy needs a segment", routes: docRoutes, method: "GET", path: "/pets", want: "ANY /{proxy+}", params: p("proxy", "pets", "pets")},
		{name: "doc: greedy needs a non-empty rest", routes: docRoutes, method: "GET", path: "/pets/", want: "ANY /{proxy+}", params: p("proxy", "pets/", "pets/")},

		// Literal beats {var}, with backtracking.
		{name: "literal wins", routes: []string{"GET /a/b/c", "GET /a/{x}/d"}, method: "GET", path: "/a/b/c", want: "GET /a/b/c"},
		{name: "literal branch fails, var branch matches", routes: []string{"GET /a/b/c", "GET /a/{x}/d"}, method: "GET", path: "/a/b/d", want: "GET /a/{x}/d", params: p("x", "b", "b")},
		{name: "leftmost literal decides", routes: []string{"GET /{x}/b", "GET /a/{y}"}, method: "GET", path: "/a/b", want: "GET /a/{y}", params: p("y", "b", "b")},
		{name: "var first segment", routes: []string{"GET /{x}/b", "GET /a/{y}"}, method: "GET", path: "/c/b", want: "GET /{x}/b", params: p("x", "c", "c")},
		{name: "params in key order", routes: []string{"GET /u/{uid}/p/{pid}"}, method: "GET", path: "/u/7/p/9", want: "GET /u/{uid}/p/{pid}", params: p("uid", "7", "7", "pid", "9", "9")},

		// Method and ANY.
		{name: "same pattern: method beats ANY", routes: []string{"ANY /items/{id}", "GET /items/{id}"}, method: "GET", path: "/items/1", want: "GET /items/{id}", params: p("id", "1", "1")},
		{name: "same pattern: ANY takes other methods", routes: []string{"ANY /items/{id}", "GET /items/{id}"}, method: "DELETE", path: "/items/1", want: "ANY /items/{id}", params: p("id", "1", "1")},
		{name: "different patterns: path before method", routes: []string{"ANY /items/new", "GET /items/{id}"}, method: "GET", path: "/items/new", want: "ANY /items/new"},
		{name: "pattern without the method backtracks", routes: []string{"POST /items/new", "GET /items/{id}"}, method: "GET", path: "/items/new", want: "GET /items/{id}", params: p("id", "new", "new")},
		{name: "no pattern has the method", routes: []string{"POST /items/new", "GET /items/{id}"}, method: "PUT", path: "/items/new"},
		{name: "ANY takes unlisted methods", routes: []string{"ANY /a"}, method: "TRACE", path: "/a", want: "ANY /a"},
		{name: "method is case-sensitive", routes: []string{"GET /a"}, method: "get", path: "/a"},

		// HEAD and OPTIONS are plain methods.
		{name: "HEAD is not GET", routes: []string{"GET /a", "HEAD /b", "OPTIONS /c"}, method: "HEAD", path: "/a"},
		{name: "HEAD route", routes: []string{"GET /a", "HEAD /b", "OPTIONS /c"}, method: "HEAD", path: "/b", want: "HEAD /b"},
		{name: "OPTIONS route", routes: []string{"GET /a", "HEAD /b", "OPTIONS /c"}, method: "OPTIONS", path: "/c", want: "OPTIONS /c"},
		{name: "GET on HEAD route", routes: []string{"GET /a", "HEAD /b", "OPTIONS /c"}, method: "GET", path: "/b"},
		{name: "OPTIONS falls to $default", routes: []string{"GET /a", "$default"}, method: "OPTIONS", path: "/a", want: "$default"},

		// Greedy versus exact.
		{name: "exact var beats greedy", routes: []string{"GET /files/{id}", "GET /files/{path+}"}, method: "GET", path: "/files/a", want: "GET /files/{id}", params: p("id", "a", "a")},
		{name: "greedy takes longer paths", routes: []string{"GET /files/{id}", "GET /files/{path+}"}, method: "GET", path: "/files/a/b", want: "GET /files/{path+}", params: p("path", "a/b", "a/b")},
		{name: "all-variable exact beats literal greedy", routes: []string{"GET /{a}/{b}/{c}", "GET /x/y/{p+}"}, method: "GET", path: "/x/y/z", want: "GET /{a}/{b}/{c}", params: p("a", "x", "x", "b", "y", "y", "c", "z", "z")},
		{name: "greedy method beats exact ANY? no: exact first", routes: []string{"ANY /a/{x}", "GET /a/{p+}"}, method: "GET", path: "/a/b", want: "ANY /a/{x}", params: p("x", "b", "b")},
		{name: "greedy: method beats ANY", routes: []string{"ANY /a/{p+}", "GET /a/{p+}"}, method: "GET", path: "/a/b", want: "GET /a/{p+}", params: p("p", "b", "b")},
		{name: "greedy: ANY takes other methods", routes: []string{"ANY /a/{p+}", "GET /a/{p+}"}, method: "PUT", path: "/a/b", want: "ANY /a/{p+}", params: p("p", "b", "b")},
		{name: "greedy without the method backtracks", routes: []string{"POST /a/{p+}", "GET /{p+}"}, method: "GET", path: "/a/b", want: "GET /{p+}", params: p("p", "a/b", "a/b")},

		// Greedy prefix length.
		{name: "longest greedy prefix", routes: greedyRoutes, method: "GET", path: "/a/b/c/d", want: "ANY /{x}/b/c/{p+}", params: p("x", "a", "a", "p", "d", "d")},
		{name: "longest prefix, then literal", routes: greedyRoutes, method: "GET", path: "/a/b/z", want: "ANY /a/{x}/{p+}", params: p("x", "b", "b", "p", "z", "z")},
		{name: "greedy needs a rest after its prefix", routes: greedyRoutes, method: "GET", path: "/a/b", want: "ANY /a/{p+}", params: p("p", "b", "b")},
		{name: "shortest greedy prefix", routes: greedyRoutes, method: "GET", path: "/q", want: "ANY /{p+}", params: p("p", "q", "q")},
		{name: "equal greedy prefix: literal wins", routes: []string{"ANY /{x}/{p+}", "ANY /a/{p+}"}, method: "GET", path: "/a/b", want: "ANY /a/{p+}", params: p("p", "b", "b")},
		{name: "equal greedy prefix: var", routes: []string{"ANY /{x}/{p+}", "ANY /a/{p+}"}, method: "GET", path: "/c/b", want: "ANY /{x}/{p+}", params: p("x", "c", "c", "p", "b", "b")},
		{name: "greedy does not match its parent", routes: []string{"GET /parent/{proxy+}"}, method: "GET", path: "/parent"},
		{name: "greedy does not match its parent with slash", routes: []string{"GET /parent/{proxy+}"}, method: "GET", path: "/parent/"},
		{name: "greedy child", routes: []string{"GET /parent/{proxy+}"}, method: "GET", path: "/parent/x", want: "GET /parent/{proxy+}", params: p("proxy", "x", "x")},
		{name: "root greedy does not match /", routes: []string{"ANY /{proxy+}"}, method: "GET", path: "/"},

		// $default.
		{name: "$default takes other methods", routes: []string{"GET /a", "$default"}, method: "POST", path: "/a", want: "$default"},
		{name: "$default takes other paths", routes: []string{"GET /a", "$default"}, method: "GET", path: "/b", want: "$default"},
		{name: "$default takes a path without /", routes: []string{"GET /a", "$default"}, method: "OPTIONS", path: "*", want: "$default"},
		{name: "no $default: no match", routes: []string{"GET /a"}, method: "GET", path: "/b"},
		{name: "empty router", method: "GET", path: "/"},

		// Root and slashes.
		{name: "GET / matches /", routes: []string{"GET /", "GET /{x}"}, method: "GET", path: "/", want: "GET /"},
		{name: "GET / does not match //", routes: []string{"GET /"}, method: "GET", path: "//"},
		{name: "trailing slash is not ignored", routes: []string{"GET /pets"}, method: "GET", path: "/pets/"},
		{name: "trailing slash goes to $default", routes: []string{"GET /pets", "$default"}, method: "GET", path: "/pets/", want: "$default"},
		{name: "empty segment fills no var", routes: []string{"GET /a/{x}/b"}, method: "GET", path: "/a//b"},
		{name: "empty segment kept in greedy", routes: []string{"ANY /{p+}"}, method: "GET", path: "/a//b", want: "ANY /{p+}", params: p("p", "a//b", "a//b")},
		{name: "case-sensitive literal", routes: []string{"GET /Pets"}, method: "GET", path: "/pets"},

		// Encoded segments.
		{name: "decoded literal", routes: []string{"GET /café", "GET /{name}"}, method: "GET", path: "/caf%C3%A9", want: "GET /café"},
		{name: "decoded literal, lower-case hex", routes: []string{"GET /café", "GET /{name}"}, method: "GET", path: "/caf%c3%a9", want: "GET /café"},
		{name: "unencoded UTF-8 literal", routes: []string{"GET /café"}, method: "GET", path: "/café", want: "GET /café"},
		{name: "encoded slash stays in segment", routes: []string{"GET /café", "GET /{name}"}, method: "GET", path: "/a%2Fb", want: "GET /{name}", params: p("name", "a/b", "a%2Fb")},
		{name: "encoded slash does not split", routes: []string{"GET /a/b"}, method: "GET", path: "/a%2Fb"},
		{name: "invalid escape fills a var", routes: []string{"GET /café", "GET /{name}"}, method: "GET", path: "/caf%zz", want: "GET /{name}", params: p("name", "caf%zz", "caf%zz")},
		{name: "invalid escape matches no literal", routes: []string{"GET /a%zz"}, method: "GET", path: "/a%zz"},
		{name: "truncated escape", routes: []string{"GET /a", "GET /{x}"}, method: "GET", path: "/a%4", want: "GET /{x}", params: p("x", "a%4", "a%4")},
		{name: "encoded literal in key is not decoded", routes: []string{"GET /a%20b"}, method: "GET", path: "/a%20b"},
		{name: "key literal with % matches its encoding", routes: []string{"GET /a%20b"}, method: "GET", path: "/a%2520b", want: "GET /a%20b"},
		{name: "plus is not a space", routes: []string{"GET /a+b"}, method: "GET", path: "/a%2Bb", want: "GET /a+b"},
		{name: "plus literal", routes: []string{"GET /a+b"}, method: "GET", path: "/a+b", want: "GET /a+b"},
		{name: "greedy decoded and raw", routes: []string{"ANY /f/{p+}"}, method: "GET", path: "/f/a/b%20c", want: "ANY /f/{p+}", params: p("p", "a/b c", "a/b%20c")},
		{name: "long encoded literal", routes: []string{"GET /" + long}, method: "GET", path: "/" + longEncoded, want: "GET /" + long},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := mustNew(t, tc.routes)
			m, ok := r.Match(tc.method, tc.path)
			call := tc.method + " " + tc.path
			if tc.want == "" {
				if ok {
					t.Fatalf("match(%q) = %v, want no match", call, m.Key)
				}
				return
			}
			if !ok || m.Key != tc.want || m.Value != tc.want {
				t.Fatalf("match(%q) = %v, %v, want %v", call, m.Key, ok, tc.want)
			}
			if !reflect.DeepEqual(m.Params, tc.params) {
				t.Errorf("match(%q) params = %+v, want %+v", call, m.Params, tc.params)
			}
		})
	}
}

var greedyRoutes = []string{"ANY /{p+}", "ANY /a/{p+}", "ANY /a/{x}/{p+}", "ANY /{x}/b/c/{p+}"}

// long is a literal longer than lookup's stack buffer.
var long, longEncoded = func() (string, string) {
	var l, e string
	for i := 0; i < 100; i++ {
		l += "é"
		e += "%C3%A9"
	}
	return l, e
}()

// mustNew compiles keys, each route's value being its key.
func mustNew(t testing.TB, keys []string) *Router[string] {
	t.Helper()
	routes := make([]Route[string], len(keys))
	for i, k := range keys {
		routes[i] = Route[string]{Key: k, Value: k}
	}
	r, err := New(routes)
	if err != nil {
		t.Fatalf("New(%q): %v", keys, err)
	}
	if r.Len() != len(keys) {
		t.Fatalf("New(%q).Len() = %d, want %d", keys, r.Len(), len(keys))
	}
	return r
}

func TestMatchConcurrent(t *testing.T) {
	r := mustNew(t, docRoutes)
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 1000; i++ {
				if m, ok := r.Match("GET", "/pets/dog/2"); !ok || m.Params[0].Value != "2" {
					done <- fmt.Errorf("match = %+v, %v", m, ok)
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
