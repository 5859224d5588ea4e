//go:build linux

package httpproxy

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/evloop"
	"github.com/gatehouse-dev/gatehouse/internal/exchange"
	"github.com/gatehouse-dev/gatehouse/internal/integration"
)

// TestInvokeOnLoopPanicOnGoroutine: a backend InvokeOnLoop calls from a
// goroutine (a host name) whose completion panics (response mapping, the
// gateway's response stages) answers 500, as a panic on the loop does and
// as the HTTP servers do for a handler, instead of ending the process.
func TestInvokeOnLoopPanicOnGoroutine(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hi")
	}))
	defer backend.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(backend.URL, "http://"))
	for _, uri := range []string{"http://localhost:" + port + "/", backend.URL + "/"} { // on a goroutine, on the loop
		t.Run(uri, func(t *testing.T) {
			p, err := New(Config{URI: uri, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			s := &evloop.Server{Loops: 1, Handler: evloop.HandlerFunc(func(r *http.Request, body []byte, res *evloop.Responder) {
				x := &exchange.Exchange{Req: exchange.Request{Method: r.Method, RawPath: r.URL.Path, Path: r.URL.Path,
					Proto: r.Proto, Host: r.Host, Header: r.Header, SourceIP: "127.0.0.1"}}
				p.InvokeOnLoop(context.Background(), x, res, integration.CompletionFunc(func(resp *exchange.Response, err error) {
					panic("the response stages failed")
				}))
			})}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			served := make(chan error, 1)
			go func() { served <- s.Serve(ln) }()
			defer func() {
				s.Close()
				if err := <-served; !errors.Is(err, evloop.ErrServerClosed) {
					t.Errorf("Serve: %v", err)
				}
			}()
			c := &http.Client{Timeout: 5 * time.Second}
			resp, err := c.Get("http://" + ln.Addr().String() + "/x")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusInternalServerError {
				t.Errorf("status %d, want 500", resp.StatusCode)
			}
		})
	}
}

// loopAddr: the address of an integration URI's fixed host is worked out
// once, and only plain HTTP at an IP address runs on the loop.
func TestLoopAddr(t *testing.T) {
	for _, tc := range []struct {
		uri, url string
		addr     string
		loop     bool
	}{
		{"http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x", "127.0.0.1:8080", true},
		{"http://127.0.0.1/{proxy}", "http://127.0.0.1/a/b", "127.0.0.1:80", true},
		{"http://[::1]:9/{proxy}", "http://[::1]:9/a", "[::1]:9", true},
		{"https://127.0.0.1/{proxy}", "https://127.0.0.1/a", "127.0.0.1:443", false},
		{"http://backend.internal:8080/{proxy}", "http://backend.internal:8080/a", "backend.internal:8080", false},
		// A URL whose host is not the URI's fixed one is worked out from itself.
		{"http://127.0.0.1:8080/{proxy}", "http://10.0.0.1:81/a", "10.0.0.1:81", true},
		{"http://127.0.0.1:8080/x", "http://example.com/x", "example.com:80", false},
		// A host from a stage variable has no fixed address.
		{"http://${stageVariables.host}/{proxy}", "http://127.0.0.2:8/a", "127.0.0.2:8", true},
	} {
		p, err := New(Config{URI: tc.uri})
		if err != nil {
			t.Fatalf("New(%q): %v", tc.uri, err)
		}
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		if addr, loop := p.loopAddr(u); addr != tc.addr || loop != tc.loop {
			t.Errorf("%s: loopAddr(%s) = %q, %v; want %q, %v", tc.uri, tc.url, addr, loop, tc.addr, tc.loop)
		}
	}
}
