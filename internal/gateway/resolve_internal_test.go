package gateway

import "testing"

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
