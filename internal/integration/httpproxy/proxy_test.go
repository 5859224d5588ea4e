package httpproxy

import (
	"net/http"
	"testing"
)

func TestTemplate(t *testing.T) {
	params := map[string]string{"id": "a%20b", "proxy": "x/y"}
	vars := map[string]string{"host": "backend:8080", "v": "2"}
	for _, tc := range []struct{ uri, want string }{
		{"https://example.com/pets", "https://example.com/pets"},
		{"https://example.com/pets/{id}", "https://example.com/pets/a%20b"},
		{"https://example.com/files/{proxy}", "https://example.com/files/x/y"},
		{"https://example.com/files/{proxy+}", "https://example.com/files/x/y"},
		{"http://${stageVariables.host}/v${stageVariables.v}/{id}", "http://backend:8080/v2/a%20b"},
		{"https://example.com/cost$5", "https://example.com/cost$5"},
		{"https://example.com/{missing}", "https://example.com/"},
	} {
		tpl, err := parseTemplate(tc.uri)
		if err != nil {
			t.Errorf("parseTemplate(%q): %v", tc.uri, err)
			continue
		}
		if got := tpl.expand(params, vars); got != tc.want {
			t.Errorf("expand(%q) = %q, want %q", tc.uri, got, tc.want)
		}
	}
	for _, bad := range []string{"https://x/{id", "https://${stageVariables.x", "https://x/{}", "https://${stageVariables.}/"} {
		if _, err := parseTemplate(bad); err == nil {
			t.Errorf("parseTemplate(%q) succeeded, want an error", bad)
		}
	}
}

func TestOutboundHeader(t *testing.T) {
	in := http.Header{
		"Connection":        {"keep-alive, X-Hop"},
		"X-Hop":             {"1"},
		"Keep-Alive":        {"timeout=5"},
		"X-Forwarded-For":   {"10.0.0.1, 10.0.0.2"},
		"X-Forwarded-Proto": {"https"},
		"X-Keep":            {"yes"},
		"Host":              {"client.example"},
	}
	h := outboundHeader(in, "192.0.2.7", "api.example.com", "https")
	for _, gone := range []string{"Connection", "X-Hop", "Keep-Alive", "X-Forwarded-For", "X-Forwarded-Proto", "Host"} {
		if h.Get(gone) != "" {
			t.Errorf("outbound header kept %s: %q", gone, h.Get(gone))
		}
	}
	if h.Get("X-Keep") != "yes" {
		t.Errorf("end-to-end header dropped")
	}
	want := "for=10.0.0.1, for=10.0.0.2, for=192.0.2.7;host=api.example.com;proto=https"
	if got := h.Get("Forwarded"); got != want {
		t.Errorf("Forwarded = %q, want %q", got, want)
	}
	if got := outboundHeader(http.Header{}, "2001:db8::1", "h", "http").Get("Forwarded"); got != `for="[2001:db8::1]";host=h;proto=http` {
		t.Errorf("IPv6 Forwarded = %q", got)
	}
	if in.Get("Connection") == "" || in.Get("X-Forwarded-For") == "" {
		t.Error("outboundHeader modified the inbound (immutable) header")
	}
	// Without Connection (the copy skips what it drops).
	in2 := http.Header{"Keep-Alive": {"timeout=5"}, "Te": {"trailers"}, "Upgrade": {"h2c"}, "Host": {"c"},
		"X-Forwarded-Host": {"x"}, "Forwarded": {"for=1.2.3.4"}, "X-Keep": {"a", "b"}}
	h = outboundHeader(in2, "192.0.2.7", "h", "http")
	if len(h) != 2 || len(h["X-Keep"]) != 2 || h.Get("Forwarded") != "for=1.2.3.4, for=192.0.2.7;host=h;proto=http" {
		t.Errorf("outbound header %q", h)
	}
}

func TestQueryParamsKeepMalformedEscapes(t *testing.T) {
	got := encodeQuery(queryParams("src=gw", "a=1&bad=50%&b=x+y&=v&flag"))
	// Nothing the client sent is dropped: "50%" travels as literal text.
	if want := "src=gw&a=1&bad=50%25&b=x+y&=v&flag="; got != want {
		t.Errorf("forwarded query = %q, want %q", got, want)
	}
}

func TestIsHopByHop(t *testing.T) {
	for _, k := range []string{"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
		"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"} {
		if !isHopByHop(k) {
			t.Errorf("isHopByHop(%q) = false", k)
		}
	}
	for _, k := range []string{"Host", "Content-Type", "X-Forwarded-For", "Forwarded", "Connections", "te"} {
		if isHopByHop(k) {
			t.Errorf("isHopByHop(%q) = true", k)
		}
	}
}
