//go:build linux

package evloop

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/httpserver/httpdiff"
)

// The first part of this file is internal/httpserver's server_test.go
// (handler, exchange, differential test) run against this server; the
// tests after it are that file's specific tests, adapted where buffering
// the body before the handler changes the outcome, then this server's own.

// testHandler answers by path; /echo describes the request as the handler
// saw it, so the same raw request can be compared across servers.

// startBoth serves testHandler with net/http and with this package.
func startBoth(t *testing.T, configure func(*Server)) (stdAddr, ourAddr string, ours *Server) {
	t.Helper()
	std := httptest.NewServer(http.HandlerFunc(testHandler))
	t.Cleanup(std.Close)
	ours = &Server{Handler: FromHTTPHandler(http.HandlerFunc(testHandler)), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 5 * time.Second}
	if configure != nil {
		configure(ours)
	}
	return std.Listener.Addr().String(), serve(t, ours), ours
}

// serve runs s on a new loopback listener until the test ends.
func serve(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// TestSameAsNetHTTP: the shared differential test against net/http's
// server (internal/httpserver/httpdiff), run on this server.
func TestSameAsNetHTTP(t *testing.T) {
	std, ours, _ := startBoth(t, nil)
	httpdiff.SameAsNetHTTP(t, std, ours)
}

// The shared handler and raw exchange of the differential tests.
var testHandler = httpdiff.Handler

type result = httpdiff.Result

func exchange(t *testing.T, addr, raw string, n int, head bool) []result {
	t.Helper()
	return httpdiff.Exchange(t, addr, raw, n, head)
}

func TestSupported(t *testing.T) {
	if err := Supported(); err != nil {
		t.Fatalf("Supported() = %v on a machine that runs this server's tests", err)
	}
}
