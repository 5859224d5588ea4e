package httpproxy

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

// checkPathTarget holds pathTarget to url.Parse of the expanded URI.
func checkPathTarget(t *testing.T, uri string, params, vars map[string]string) (fast bool) {
	t.Helper()
	p, err := New(Config{URI: uri})
	if err != nil {
		return false
	}
	x := &exchange.Exchange{RawPathParams: params, StageVariables: vars}
	got := p.pathTarget(x)
	if got == nil {
		return false
	}
	raw := p.uri.expand(params, vars)
	want, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%q %v %v: pathTarget gave %#v, url.Parse(%q) fails: %v", uri, params, vars, got, raw, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q %v %v: pathTarget %#v, url.Parse(%q) %#v", uri, params, vars, got, raw, want)
	}
	if got.String() != want.String() || got.EscapedPath() != want.EscapedPath() {
		t.Fatalf("%q: %q / %q, url.Parse %q / %q", uri, got.String(), got.EscapedPath(), want.String(), want.EscapedPath())
	}
	return true
}

func TestPathTarget(t *testing.T) {
	for _, c := range []struct {
		uri    string
		params map[string]string
		vars   map[string]string
		fast   bool
	}{
		{"http://127.0.0.1:8080/{proxy}", map[string]string{"proxy": "hello/world"}, nil, true},
		{"http://10.0.0.1/api/{id}/items", map[string]string{"id": "42"}, nil, true},
		{"https://h.example.com/${stageVariables.v}/x", nil, map[string]string{"v": "v1"}, true},
		{"http://h/{proxy}", map[string]string{"proxy": ""}, nil, true},
		{"http://h/{proxy}", map[string]string{"proxy": "a%20b"}, nil, false},      // escape: url.Parse
		{"http://h/{proxy}", map[string]string{"proxy": "a?b=c"}, nil, false},      // query
		{"http://h/{proxy}", map[string]string{"proxy": "a#b"}, nil, false},        // fragment
		{"http://h/${stageVariables.v}", nil, map[string]string{"v": "?q"}, false}, // query from a variable
		{"http://h/a b/{proxy}", map[string]string{"proxy": "x"}, nil, false},      // base needs escaping
		{"http://h/p?x=1&y={id}", map[string]string{"id": "1"}, nil, false},        // base with a query
		{"http://{host}/p", map[string]string{"host": "h"}, nil, false},            // variable host
		{"${stageVariables.url}/p", nil, map[string]string{"url": "http://h"}, false},
		{"http://h", nil, nil, false}, // static: parsed once, not here
	} {
		if got := checkPathTarget(t, c.uri, c.params, c.vars); got != c.fast {
			t.Errorf("%q %v %v: fast path %v, want %v", c.uri, c.params, c.vars, got, c.fast)
		}
	}
}

func FuzzPathTarget(f *testing.F) {
	f.Add("http://127.0.0.1:8080/", "hello/world", "/x")
	f.Add("https://h/a;b=c/", "a%2Fb", "?q=1")
	f.Add("http://h:1/", "..", "#f")
	f.Fuzz(func(t *testing.T, base, param, lit string) {
		checkPathTarget(t, base+"{proxy}"+lit, map[string]string{"proxy": param}, nil)
		checkPathTarget(t, base+"${stageVariables.v}", nil, map[string]string{"v": param + lit})
	})
}
