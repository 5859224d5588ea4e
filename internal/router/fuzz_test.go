package router

import (
	"errors"
	"strings"
	"testing"
)

// FuzzMatch builds a route set from spec (drawn through genKeys, so most sets
// overlap) plus the lines of extra as raw keys, then matches method and path.
// New must never panic and must fail only with a *KeyError naming one of the
// keys; Match must never panic, and its answer must be the reference
// matcher's.
func FuzzMatch(f *testing.F) {
	f.Add([]byte{3, 1, 1, 0, 2, 5, 9, 1, 0, 0}, "", "GET", "/a/b")
	f.Add([]byte{}, strings.Join(docRoutes, "\n"), "GET", "/pets/dog/2")
	f.Add([]byte{}, strings.Join(docRoutes, "\n"), "POST", "/test/5")
	f.Add([]byte{}, strings.Join(greedyRoutes, "\n"), "GET", "/a/b/c/d")
	f.Add([]byte{}, "GET /café\nGET /{name}", "GET", "/caf%C3%A9")
	f.Add([]byte{}, "ANY /f/{p+}", "GET", "/f/a//b%20c/")
	f.Add([]byte{}, "GET /{a}{b}\nGET /x", "GET", "/x")
	f.Add([]byte{9, 9, 9}, "GET /\n$default", "GET", "//")
	f.Add([]byte{1}, "GET /a%zz", "HEAD", "/a%zz/%")
	f.Add([]byte{200, 17, 4, 4, 4, 4, 4, 4}, "", "DELETE", "*")
	f.Fuzz(func(t *testing.T, spec []byte, extra, method, path string) {
		keys := genKeys(&byteSource{b: spec})
		if extra != "" {
			keys = append(keys, strings.Split(extra, "\n")...)
		}
		routes := make([]Route[string], len(keys))
		for i, k := range keys {
			routes[i] = Route[string]{Key: k, Value: k}
		}
		r, err := New(routes)
		if err != nil {
			var ke *KeyError
			if !errors.As(err, &ke) || !contains(keys, ke.Key) {
				t.Fatalf("New(%q) = %v; want a *KeyError naming one of the keys", keys, err)
			}
			return
		}
		checkAgainstRef(t, r, keys, method, path)
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
