package gateway

import (
	"encoding/base64"
	"testing"
)

func TestHostname(t *testing.T) {
	for in, want := range map[string]string{
		"abc.execute-api.us-east-1.amazonaws.com": "abc.execute-api.us-east-1.amazonaws.com",
		"ABC.Execute-API.localhost:4566":          "abc.execute-api.localhost",
		"api.example.com.":                        "api.example.com",
		"127.0.0.1:8080":                          "127.0.0.1",
		"[::1]:8080":                              "::1",
		"[::1]":                                   "[::1]",
		"::1":                                     "::1",
		"host:notaport":                           "host",
		"":                                        "",
		"Example.COM:443":                         "example.com",
	} {
		if got := hostname(in); got != want {
			t.Errorf("hostname(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewRequestID(t *testing.T) {
	seen := make(map[string]bool, 100000)
	for range 100000 {
		id := newRequestID()
		if len(id) != 16 || id[15] != '=' {
			t.Fatalf("id %q: want 16 base64 characters ending in '='", id)
		}
		if _, err := base64.StdEncoding.DecodeString(id); err != nil {
			t.Fatalf("id %q: %v", id, err)
		}
		if seen[id] {
			t.Fatalf("id %q repeated", id)
		}
		seen[id] = true
	}
}
