package router

import (
	"fmt"
	"testing"
)

// benchKeys returns n service routes, cycling through four realistic shapes,
// plus a static route, a greedy route and $default.
func benchKeys(n int) []string {
	keys := []string{"GET /health", "ANY /static/{proxy+}", "$default"}
	for i := 0; i < n; i++ {
		switch i % 4 {
		case 0:
			keys = append(keys, fmt.Sprintf("GET /svc%d/items/{id}", i))
		case 1:
			keys = append(keys, fmt.Sprintf("POST /svc%d/items", i))
		case 2:
			keys = append(keys, fmt.Sprintf("GET /svc%d/items/{id}/tags/{tag}", i))
		case 3:
			keys = append(keys, fmt.Sprintf("ANY /svc%d/{proxy+}", i))
		}
	}
	return keys
}

// benchRequests are the requests each benchmark runs; svc is the last
// "GET /svc%d/items/{id}" route of a set of n.
func benchRequests(n int) []struct{ name, method, path, want string } {
	svc := (n - 1) / 4 * 4
	return []struct{ name, method, path, want string }{
		{"static", "GET", "/health", "GET /health"},
		{"param", "GET", fmt.Sprintf("/svc%d/items/42", svc), fmt.Sprintf("GET /svc%d/items/{id}", svc)},
		{"greedy", "GET", "/static/css/site.css", "ANY /static/{proxy+}"},
		{"default", "GET", "/nope/x", "$default"},
	}
}

func BenchmarkMatch(b *testing.B) {
	for _, n := range []int{1, 100, 10000} {
		b.Run(fmt.Sprintf("routes=%d", n), func(b *testing.B) {
			r := mustNew(b, benchKeys(n))
			for _, rq := range benchRequests(n) {
				b.Run(rq.name, func(b *testing.B) {
					if m, ok := r.Match(rq.method, rq.path); !ok || m.Key != rq.want {
						b.Fatalf("match(%q) = %v, want %v", rq.method+" "+rq.path, m.Key, rq.want)
					}
					b.ReportAllocs()
					for b.Loop() {
						r.Match(rq.method, rq.path)
					}
				})
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	keys := benchKeys(10000)
	routes := make([]Route[string], len(keys))
	for i, k := range keys {
		routes[i] = Route[string]{Key: k, Value: k}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(routes); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMatchAllocs(t *testing.T) {
	r := mustNew(t, append(benchKeys(100), "GET /café", "GET /a/{x}/c", "GET /a/b/d", "ANY /{x}/{proxy+}"))
	tests := []struct {
		name   string
		method string
		path   string
		want   float64
	}{
		{name: "static", method: "GET", path: "/health", want: 0},
		{name: "encoded static", method: "GET", path: "/caf%C3%A9", want: 0},
		{name: "default", method: "GET", path: "/nope", want: 0},
		{name: "method falls to default", method: "DELETE", path: "/health", want: 0},
		{name: "param", method: "GET", path: "/svc96/items/42", want: 1},
		{name: "two params", method: "GET", path: "/svc98/items/42/tags/x", want: 1},
		{name: "backtracked param", method: "GET", path: "/a/b/c", want: 1},
		{name: "greedy", method: "GET", path: "/static/a/b", want: 1},
		{name: "encoded param", method: "GET", path: "/svc96/items/4%202", want: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := testing.AllocsPerRun(100, func() { r.Match(tc.method, tc.path) })
			if got != tc.want {
				t.Errorf("allocs of match(%q) = %v, want %v", tc.method+" "+tc.path, got, tc.want)
			}
		})
	}
}
