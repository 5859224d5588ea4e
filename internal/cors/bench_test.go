package cors

import (
	"net/http"
	"testing"
)

func BenchmarkApply(b *testing.B) {
	p := Compile(Config{AllowOrigins: []string{"https://a.example", "https://b.example"}, ExposeHeaders: []string{"Date"}, AllowCredentials: true})
	for _, bc := range []struct {
		name string
		req  http.Header
	}{
		{name: "no-origin", req: hdr("Accept: */*")},
		{name: "allowed-origin", req: hdr("Origin: https://b.example")},
		{name: "denied-origin", req: hdr("Origin: https://c.example")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			resp := hdr("Content-Type: application/json", "Content-Length: 2")
			b.ReportAllocs()
			for b.Loop() {
				p.Apply(bc.req, resp)
				delete(resp, "Vary")
			}
		})
	}
}

func BenchmarkPreflight(b *testing.B) {
	p := Compile(Config{AllowOrigins: []string{"https://a.example"}, AllowMethods: []string{"GET", "PUT"}, AllowHeaders: []string{"Authorization", "Content-Type"}, MaxAge: intp(300)})
	req := hdr("Origin: https://a.example", "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: content-type,authorization")
	b.ReportAllocs()
	for b.Loop() {
		p.Preflight(req)
	}
}
