//go:build linux

package httpproxy

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/evloop"
	"github.com/gatehouse-dev/gatehouse/internal/exchange"
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
				p.InvokeOnLoop(context.Background(), x, res, func(resp *exchange.Response, err error) {
					panic("the response stages failed")
				})
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
