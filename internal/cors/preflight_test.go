package cors

import (
	"net/http"
	"testing"
)

func TestIsPreflight(t *testing.T) {
	tests := []struct {
		name   string
		method string
		h      http.Header
		want   bool
	}{
		{name: "OPTIONS with Origin and request method", method: "OPTIONS",
			h: hdr("Origin: https://a.example", "Access-Control-Request-Method: PUT"), want: true},
		{name: "no Access-Control-Request-Method", method: "OPTIONS", h: hdr("Origin: https://a.example")},
		{name: "no Origin", method: "OPTIONS", h: hdr("Access-Control-Request-Method: PUT")},
		{name: "not OPTIONS", method: "GET",
			h: hdr("Origin: https://a.example", "Access-Control-Request-Method: PUT")},
		{name: "empty Origin value", method: "OPTIONS",
			h: hdr("Origin:", "Access-Control-Request-Method: PUT")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsPreflight(tt.method, tt.h); got != tt.want {
				t.Errorf("IsPreflight(%q, %s) = %v, want %v", tt.method, show(tt.h), got, tt.want)
			}
		})
	}
}

func TestPreflight(t *testing.T) {
	base := Config{
		AllowOrigins: []string{"https://www.example.com", "http://localhost:3000"},
		AllowMethods: []string{"GET", "PUT", "DELETE"},
		AllowHeaders: []string{"Authorization", "Content-Type"},
		MaxAge:       intp(300),
	}
	with := func(f func(*Config)) Config {
		c := base
		f(&c)
		return c
	}
	none := http.Header{}
	tests := []struct {
		name string
		cfg  Config
		req  http.Header
		want http.Header
	}{
		{name: "allowed exact origin echoed with all configured headers", cfg: base,
			req: hdr("Origin: https://www.example.com", "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: content-type, authorization"),
			want: hdr("Access-Control-Allow-Origin: https://www.example.com", "Vary: Origin",
				"Access-Control-Allow-Methods: GET,PUT,DELETE", "Access-Control-Allow-Headers: Authorization,Content-Type",
				"Access-Control-Max-Age: 300")},
		{name: "origin compared ignoring case, echoed as sent", cfg: base,
			req: hdr("Origin: https://WWW.Example.COM", "Access-Control-Request-Method: GET"),
			want: hdr("Access-Control-Allow-Origin: https://WWW.Example.COM", "Vary: Origin",
				"Access-Control-Allow-Methods: GET,PUT,DELETE", "Access-Control-Allow-Headers: Authorization,Content-Type",
				"Access-Control-Max-Age: 300")},
		{name: "origin not allowed: 204 without CORS headers", cfg: base,
			req: hdr("Origin: https://evil.example", "Access-Control-Request-Method: GET"), want: none},
		{name: "origin with trailing slash is a different origin", cfg: base,
			req: hdr("Origin: https://www.example.com/", "Access-Control-Request-Method: GET"), want: none},
		{name: "origin differing in port is not allowed", cfg: base,
			req: hdr("Origin: http://localhost:3001", "Access-Control-Request-Method: GET"), want: none},
		{name: "method not allowed: no CORS headers", cfg: base,
			req: hdr("Origin: https://www.example.com", "Access-Control-Request-Method: PATCH"), want: none},
		{name: "safelisted POST not listed: no CORS headers", cfg: base,
			req: hdr("Origin: https://www.example.com", "Access-Control-Request-Method: POST"), want: none},
		{name: "method compared ignoring case", cfg: base,
			req: hdr("Origin: https://www.example.com", "Access-Control-Request-Method: put"),
			want: hdr("Access-Control-Allow-Origin: https://www.example.com", "Vary: Origin",
				"Access-Control-Allow-Methods: GET,PUT,DELETE", "Access-Control-Allow-Headers: Authorization,Content-Type",
				"Access-Control-Max-Age: 300")},
		{name: "one requested header not allowed: no CORS headers", cfg: base,
			req:  hdr("Origin: https://www.example.com", "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: content-type,x-custom"),
			want: none},
		{name: "requested headers over several lines are all checked", cfg: base,
			req:  hdr("Origin: https://www.example.com", "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: content-type", "Access-Control-Request-Headers: x-custom"),
			want: none},
		{name: "empty items in requested headers are ignored", cfg: base,
			req: hdr("Origin: https://www.example.com", "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: , AUTHORIZATION ,"),
			want: hdr("Access-Control-Allow-Origin: https://www.example.com", "Vary: Origin",
				"Access-Control-Allow-Methods: GET,PUT,DELETE", "Access-Control-Allow-Headers: Authorization,Content-Type",
				"Access-Control-Max-Age: 300")},
		{name: "no allowHeaders and none requested: passes, no Allow-Headers",
			cfg:  Config{AllowOrigins: []string{"https://a.example"}, AllowMethods: []string{"GET"}},
			req:  hdr("Origin: https://a.example", "Access-Control-Request-Method: GET"),
			want: hdr("Access-Control-Allow-Origin: https://a.example", "Vary: Origin", "Access-Control-Allow-Methods: GET")},
		{name: "no allowHeaders and one requested: no CORS headers",
			cfg:  Config{AllowOrigins: []string{"https://a.example"}, AllowMethods: []string{"GET"}},
			req:  hdr("Origin: https://a.example", "Access-Control-Request-Method: GET", "Access-Control-Request-Headers: x-a"),
			want: none},
		{name: "no allowMethods: every preflight fails",
			cfg: Config{AllowOrigins: []string{"*"}},
			req: hdr("Origin: https://a.example", "Access-Control-Request-Method: GET"), want: none},
		{name: "any origin without credentials sends *, no Vary",
			cfg:  Config{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"}},
			req:  hdr("Origin: https://a.example", "Access-Control-Request-Method: PATCH", "Access-Control-Request-Headers: x-anything"),
			want: hdr("Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: *", "Access-Control-Allow-Headers: *")},
		{name: "https://* matches any https origin",
			cfg:  Config{AllowOrigins: []string{"https://*"}, AllowMethods: []string{"GET"}},
			req:  hdr("Origin: https://any.example:8443", "Access-Control-Request-Method: GET"),
			want: hdr("Access-Control-Allow-Origin: https://any.example:8443", "Vary: Origin", "Access-Control-Allow-Methods: GET")},
		{name: "https://* does not match http",
			cfg: Config{AllowOrigins: []string{"https://*"}, AllowMethods: []string{"GET"}},
			req: hdr("Origin: http://any.example", "Access-Control-Request-Method: GET"), want: none},
		{name: "http://* matches http, scheme ignoring case",
			cfg:  Config{AllowOrigins: []string{"http://*"}, AllowMethods: []string{"GET"}},
			req:  hdr("Origin: HTTP://any.example", "Access-Control-Request-Method: GET"),
			want: hdr("Access-Control-Allow-Origin: HTTP://any.example", "Vary: Origin", "Access-Control-Allow-Methods: GET")},
		{name: "scheme wildcard needs a host",
			cfg: Config{AllowOrigins: []string{"https://*"}, AllowMethods: []string{"GET"}},
			req: hdr("Origin: https://", "Access-Control-Request-Method: GET"), want: none},
		{name: "subdomain pattern is not a wildcard",
			cfg: Config{AllowOrigins: []string{"https://*.example.com"}, AllowMethods: []string{"GET"}},
			req: hdr("Origin: https://a.example.com", "Access-Control-Request-Method: GET"), want: none},
		{name: "credentials: origin echoed and credentials sent",
			cfg: with(func(c *Config) { c.AllowCredentials = true }),
			req: hdr("Origin: https://www.example.com", "Access-Control-Request-Method: GET"),
			want: hdr("Access-Control-Allow-Origin: https://www.example.com", "Vary: Origin",
				"Access-Control-Allow-Methods: GET,PUT,DELETE", "Access-Control-Allow-Headers: Authorization,Content-Type",
				"Access-Control-Max-Age: 300", "Access-Control-Allow-Credentials: true")},
		{name: "credentials with * everywhere: never sends *, echoes the request",
			cfg: Config{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"}, AllowCredentials: true},
			req: hdr("Origin: https://a.example", "Access-Control-Request-Method: PATCH", "Access-Control-Request-Headers: x-a, x-b"),
			want: hdr("Access-Control-Allow-Origin: https://a.example", "Vary: Origin", "Access-Control-Allow-Methods: PATCH",
				"Access-Control-Allow-Headers: x-a,x-b", "Access-Control-Allow-Credentials: true")},
		{name: "credentials with allowHeaders * and none requested: no Allow-Headers",
			cfg: Config{AllowOrigins: []string{"https://a.example"}, AllowMethods: []string{"GET"}, AllowHeaders: []string{"*"}, AllowCredentials: true},
			req: hdr("Origin: https://a.example", "Access-Control-Request-Method: GET"),
			want: hdr("Access-Control-Allow-Origin: https://a.example", "Vary: Origin", "Access-Control-Allow-Methods: GET",
				"Access-Control-Allow-Credentials: true")},
		{name: "maxAge 0 is sent", cfg: Config{AllowOrigins: []string{"*"}, AllowMethods: []string{"GET"}, MaxAge: intp(0)},
			req:  hdr("Origin: https://a.example", "Access-Control-Request-Method: GET"),
			want: hdr("Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: GET", "Access-Control-Max-Age: 0")},
		{name: "maxAge -1 is sent", cfg: Config{AllowOrigins: []string{"*"}, AllowMethods: []string{"GET"}, MaxAge: intp(-1)},
			req:  hdr("Origin: https://a.example", "Access-Control-Request-Method: GET"),
			want: hdr("Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: GET", "Access-Control-Max-Age: -1")},
		{name: "not a preflight (no request method): no CORS headers", cfg: base,
			req: hdr("Origin: https://www.example.com"), want: none},
		{name: "no allowOrigins: nothing is allowed", cfg: Config{AllowMethods: []string{"*"}},
			req: hdr("Origin: https://a.example", "Access-Control-Request-Method: GET"), want: none},
		{name: "literal null origin only matches when listed",
			cfg:  Config{AllowOrigins: []string{"null"}, AllowMethods: []string{"GET"}},
			req:  hdr("Origin: null", "Access-Control-Request-Method: GET"),
			want: hdr("Access-Control-Allow-Origin: null", "Vary: Origin", "Access-Control-Allow-Methods: GET")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got := Compile(tt.cfg).Preflight(tt.req)
			if status != http.StatusNoContent || show(got) != show(tt.want) {
				t.Errorf("Preflight(%s) = %d, %s\nwant 204, %s", show(tt.req), status, show(got), show(tt.want))
			}
		})
	}
}

func TestPreflightNilPolicy(t *testing.T) {
	var p *Policy
	req := hdr("Origin: https://a.example", "Access-Control-Request-Method: GET")
	if status, out := p.Preflight(req); status != http.StatusNoContent || out == nil || len(out) != 0 {
		t.Errorf("(*Policy)(nil).Preflight(%s) = %d, %s; want 204, {}", show(req), status, show(out))
	}
}
