package router

import (
	"errors"
	"strings"
	"testing"
)

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name   string
		routes []string
		bad    string // the key the error must name
		reason string // a fragment of the reason
	}{
		{name: "unknown method", routes: []string{"FETCH /a"}, bad: "FETCH /a", reason: "unknown method"},
		{name: "lower-case method", routes: []string{"get /a"}, bad: "get /a", reason: "unknown method"},
		{name: "no method", routes: []string{"/a"}, bad: "/a", reason: "METHOD /path"},
		{name: "empty key", routes: []string{""}, bad: "", reason: "METHOD /path"},
		{name: "other $ key", routes: []string{"$connect"}, bad: "$connect", reason: "METHOD /path"},
		{name: "no leading slash", routes: []string{"GET a/b"}, bad: "GET a/b", reason: "start with /"},
		{name: "no path", routes: []string{"GET "}, bad: "GET ", reason: "start with /"},
		{name: "two spaces", routes: []string{"GET  /a"}, bad: "GET  /a", reason: "start with /"},
		{name: "space in path", routes: []string{"GET /a b"}, bad: "GET /a b", reason: "must not contain"},
		{name: "query in path", routes: []string{"GET /a?b"}, bad: "GET /a?b", reason: "must not contain"},
		{name: "trailing slash", routes: []string{"GET /a/"}, bad: "GET /a/", reason: "empty path segment"},
		{name: "double slash", routes: []string{"GET /a//b"}, bad: "GET /a//b", reason: "empty path segment"},
		{name: "greedy not last", routes: []string{"GET /{proxy+}/a"}, bad: "GET /{proxy+}/a", reason: "last segment"},
		{name: "empty braces", routes: []string{"GET /{}"}, bad: "GET /{}", reason: "whole segment"},
		{name: "empty greedy name", routes: []string{"GET /{+}"}, bad: "GET /{+}", reason: "invalid variable name"},
		{name: "two variables in a segment", routes: []string{"GET /{a}{b}"}, bad: "GET /{a}{b}", reason: "whole segment"},
		{name: "variable with prefix", routes: []string{"GET /x{a}"}, bad: "GET /x{a}", reason: "whole segment"},
		{name: "unclosed brace", routes: []string{"GET /{a"}, bad: "GET /{a", reason: "whole segment"},
		{name: "stray closing brace", routes: []string{"GET /a}"}, bad: "GET /a}", reason: "whole segment"},
		{name: "bad variable name", routes: []string{"GET /{a:b}"}, bad: "GET /{a:b}", reason: "invalid variable name"},
		{name: "double plus", routes: []string{"GET /{a++}"}, bad: "GET /{a++}", reason: "invalid variable name"},
		{name: "duplicate param names", routes: []string{"GET /{id}/x/{id}"}, bad: "GET /{id}/x/{id}", reason: "more than once"},
		{name: "duplicate param name in greedy", routes: []string{"GET /{p}/{p+}"}, bad: "GET /{p}/{p+}", reason: "more than once"},
		{name: "duplicate key", routes: []string{"GET /a", "POST /a", "GET /a"}, bad: "GET /a", reason: "duplicate"},
		{name: "duplicate $default", routes: []string{"$default", "$default"}, bad: "$default", reason: "duplicate"},
		{name: "same pattern, other names", routes: []string{"GET /a/{id}", "GET /a/{name}"}, bad: "GET /a/{name}", reason: `conflicts with route key "GET /a/{id}"`},
		{name: "same greedy pattern, other names", routes: []string{"ANY /{proxy+}", "ANY /{rest+}"}, bad: "ANY /{rest+}", reason: "conflicts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			routes := make([]Route[int], len(tc.routes))
			for i, k := range tc.routes {
				routes[i] = Route[int]{Key: k, Value: i}
			}
			r, err := New(routes)
			var ke *KeyError
			if !errors.As(err, &ke) {
				t.Fatalf("New(%q) = %v, %v; want a *KeyError", tc.routes, r, err)
			}
			if ke.Key != tc.bad || !strings.Contains(ke.Reason, tc.reason) || !strings.Contains(err.Error(), tc.bad) {
				t.Errorf("New(%q) error = %v; want it to name %q and say %q", tc.routes, err, tc.bad, tc.reason)
			}
		})
	}
}

func TestNewAccepts(t *testing.T) {
	keys := []string{
		"$default", "GET /", "ANY /{proxy+}", "GET /a.b/{x_y-z.1}", "HEAD /a", "OPTIONS /a", "PATCH /a",
		"PUT /a", "DELETE /a", "POST /a", "ANY /a", "GET /{id}", "POST /{name}", "GET /café/{p+}", "GET /a%20b",
		"GET /items/{id}", "DELETE /items/{itemId}",
	}
	mustNew(t, keys)
	for _, k := range keys {
		if err := ValidateKey(k); err != nil {
			t.Errorf("ValidateKey(%q) = %v, want nil", k, err)
		}
	}
	if err := ValidateKey("GET /{a}{b}"); err == nil {
		t.Errorf("ValidateKey(%q) = nil, want an error", "GET /{a}{b}")
	}
}
