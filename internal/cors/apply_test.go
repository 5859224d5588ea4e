package cors

import (
	"net/http"
	"testing"
)

func TestApply(t *testing.T) {
	base := Config{
		AllowOrigins:  []string{"https://www.example.com"},
		AllowMethods:  []string{"GET"},
		AllowHeaders:  []string{"Authorization"},
		ExposeHeaders: []string{"Date", "x-api-id"},
		MaxAge:        intp(300),
	}
	tests := []struct {
		name string
		cfg  Config
		req  http.Header
		resp http.Header // backend response headers, edited in place
		want http.Header
	}{
		{name: "allowed origin: echo, expose, Vary; no preflight-only headers", cfg: base,
			req:  hdr("Origin: https://www.example.com"),
			resp: hdr("Content-Type: application/json"),
			want: hdr("Content-Type: application/json", "Access-Control-Allow-Origin: https://www.example.com",
				"Access-Control-Expose-Headers: Date,x-api-id", "Vary: Origin")},
		{name: "no Origin: no CORS headers", cfg: base,
			req: hdr(), resp: hdr("Content-Type: text/plain"), want: hdr("Content-Type: text/plain")},
		{name: "origin not allowed: no CORS headers", cfg: base,
			req: hdr("Origin: https://evil.example"), resp: hdr(), want: hdr()},
		{name: "any origin without credentials: *, no Vary",
			cfg: Config{AllowOrigins: []string{"*"}},
			req: hdr("Origin: https://a.example"), resp: hdr(),
			want: hdr("Access-Control-Allow-Origin: *")},
		{name: "credentials: echo and Allow-Credentials",
			cfg: Config{AllowOrigins: []string{"https://*"}, AllowCredentials: true},
			req: hdr("Origin: https://a.example"), resp: hdr(),
			want: hdr("Access-Control-Allow-Origin: https://a.example", "Access-Control-Allow-Credentials: true", "Vary: Origin")},
		{name: "credentials with * origin never sends *",
			cfg: Config{AllowOrigins: []string{"*"}, AllowCredentials: true},
			req: hdr("Origin: https://a.example"), resp: hdr(),
			want: hdr("Access-Control-Allow-Origin: https://a.example", "Access-Control-Allow-Credentials: true", "Vary: Origin")},
		{name: "existing Vary is extended", cfg: base,
			req: hdr("Origin: https://www.example.com"), resp: hdr("Vary: Accept-Encoding"),
			want: hdr("Vary: Accept-Encoding", "Vary: Origin", "Access-Control-Allow-Origin: https://www.example.com",
				"Access-Control-Expose-Headers: Date,x-api-id")},
		{name: "Vary already naming Origin is left alone", cfg: base,
			req: hdr("Origin: https://www.example.com"), resp: hdr("Vary: accept-encoding, origin"),
			want: hdr("Vary: accept-encoding, origin", "Access-Control-Allow-Origin: https://www.example.com",
				"Access-Control-Expose-Headers: Date,x-api-id")},
		{name: "method is not checked on actual requests", cfg: base,
			req: hdr("Origin: https://www.example.com", "Access-Control-Request-Method: DELETE"), resp: hdr(),
			want: hdr("Access-Control-Allow-Origin: https://www.example.com", "Access-Control-Expose-Headers: Date,x-api-id", "Vary: Origin")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := show(tt.resp)
			Compile(tt.cfg).Apply(tt.req, tt.resp)
			if show(tt.resp) != show(tt.want) {
				t.Errorf("Apply(%s, %s) left %s\nwant %s", show(tt.req), before, show(tt.resp), show(tt.want))
			}
		})
	}
}

// TestApplyDropsBackendCORSHeaders: "If you configure CORS for an API, API Gateway ignores CORS headers
// returned from your backend integration" [DG:http-api-cors] — for every request, allowed or not.
func TestApplyDropsBackendCORSHeaders(t *testing.T) {
	backend := func() http.Header {
		h := http.Header{
			"Content-Type":                     {"application/json"},
			"Access-Control-Allow-Origin":      {"*"},
			"Access-Control-Allow-Credentials": {"true"},
			"Access-Control-Allow-Methods":     {"GET,POST,PUT,DELETE"},
			"Access-Control-Max-Age":           {"86400"},
			"access-control-expose-headers":    {"x-secret"}, // not canonical, as a Lambda response may build it
			"X-Access-Control-Note":            {"kept: not an Access-Control-* header"},
		}
		return h
	}
	policy := Compile(Config{AllowOrigins: []string{"https://www.example.com"}, AllowMethods: []string{"GET"}})
	tests := []struct {
		name string
		req  http.Header
		want http.Header
	}{
		{name: "no Origin", req: hdr(),
			want: hdr("Content-Type: application/json", "X-Access-Control-Note: kept: not an Access-Control-* header")},
		{name: "disallowed Origin", req: hdr("Origin: https://evil.example"),
			want: hdr("Content-Type: application/json", "X-Access-Control-Note: kept: not an Access-Control-* header")},
		{name: "allowed Origin: only the configured headers", req: hdr("Origin: https://www.example.com"),
			want: hdr("Content-Type: application/json", "X-Access-Control-Note: kept: not an Access-Control-* header",
				"Access-Control-Allow-Origin: https://www.example.com", "Vary: Origin")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := backend()
			policy.Apply(tt.req, resp)
			if show(resp) != show(tt.want) {
				t.Errorf("Apply(%s, backend) left %s\nwant %s", show(tt.req), show(resp), show(tt.want))
			}
		})
	}
}

func TestApplyNilPolicyPassesBackendHeaders(t *testing.T) {
	var p *Policy
	resp := hdr("Access-Control-Allow-Origin: *")
	p.Apply(hdr("Origin: https://a.example"), resp)
	if got := resp.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("(*Policy)(nil).Apply changed Access-Control-Allow-Origin to %q, want backend's \"*\"", got)
	}
}

// TestApplyValuesAreIndependent: appending to one added header must not change another.
func TestApplyValuesAreIndependent(t *testing.T) {
	p := Compile(Config{AllowOrigins: []string{"https://a.example"}, AllowCredentials: true, ExposeHeaders: []string{"Date"}})
	resp := http.Header{}
	p.Apply(hdr("Origin: https://a.example"), resp)
	resp.Add("Access-Control-Allow-Origin", "extra")
	if got := resp.Get("Access-Control-Allow-Credentials"); got != "true" {
		t.Errorf("after appending to Allow-Origin, Allow-Credentials = %q, want \"true\"", got)
	}
}

func TestApplyNoOriginAllocatesNothing(t *testing.T) {
	p := Compile(Config{AllowOrigins: []string{"*"}, ExposeHeaders: []string{"Date"}})
	req := hdr("Accept: */*")
	resp := hdr("Content-Type: application/json", "Content-Length: 2")
	if n := testing.AllocsPerRun(100, func() { p.Apply(req, resp) }); n != 0 {
		t.Errorf("Apply without Origin: %v allocations, want 0", n)
	}
}
