package httpserver

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/httpserver/httpdiff"
)

// testHandler answers by path; /echo describes the request as the handler
// saw it, so the same raw request can be compared across servers.

// startBoth serves testHandler with net/http and with this package.
func startBoth(t *testing.T, configure func(*Server)) (stdAddr, ourAddr string, ours *Server) {
	t.Helper()
	std := httptest.NewServer(http.HandlerFunc(testHandler))
	t.Cleanup(std.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ours = &Server{Handler: http.HandlerFunc(testHandler), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 5 * time.Second}
	if configure != nil {
		configure(ours)
	}
	go ours.Serve(ln)
	t.Cleanup(func() { ours.Close() })
	return std.Listener.Addr().String(), ln.Addr().String(), ours
}

// TestSameAsNetHTTP: the shared differential test against net/http's
// server (internal/httpserver/httpdiff).
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

func TestHeadTooLarge(t *testing.T) {
	_, ours, _ := startBoth(t, func(s *Server) { s.MaxHeaderBytes = 4096 })
	big := "GET /echo HTTP/1.1\r\nHost: h\r\nX-Big: " + strings.Repeat("a", 20000) + "\r\n\r\n"
	got := exchange(t, ours, big, 1, false)
	if len(got) != 1 || got[0].Status != http.StatusRequestHeaderFieldsTooLarge || !got[0].Closed {
		t.Fatalf("%+v, want a 431 and a closed connection", got)
	}
	// Just under the limit is fine.
	ok := "GET /cl HTTP/1.1\r\nHost: h\r\nX-Big: " + strings.Repeat("a", 3900) + "\r\n\r\n"
	if got := exchange(t, ours, ok, 1, false); len(got) != 1 || got[0].Status != 200 {
		t.Fatalf("%+v", got)
	}
}

// TestContentLengthWithTransferEncoding: net/http lets Transfer-Encoding win
// and keeps the connection; a message framed two ways is how requests are
// smuggled past proxies, so this server refuses it (RFC 9112 §6.3 allows
// either) and closes the connection.
func TestContentLengthWithTransferEncoding(t *testing.T) {
	_, ours, _ := startBoth(t, nil)
	raw := "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /cl HTTP/1.1\r\nHost: h\r\n\r\n"
	got := exchange(t, ours, raw, 2, false)
	if len(got) != 1 || got[0].Status != http.StatusBadRequest || !got[0].Closed {
		t.Fatalf("%+v, want one 400 and a closed connection", got)
	}
}

func TestPanicAnswers500AndCloses(t *testing.T) {
	_, ours, _ := startBoth(t, nil)
	got := exchange(t, ours, "GET /panic HTTP/1.1\r\nHost: h\r\n\r\nGET /cl HTTP/1.1\r\nHost: h\r\n\r\n", 2, false)
	if len(got) != 1 || got[0].Status != 500 || !got[0].Closed {
		t.Fatalf("%+v, want one 500 and a closed connection", got)
	}
}

func TestResponseHeadersCannotBeSplit(t *testing.T) {
	_, ours, _ := startBoth(t, nil)
	got := exchange(t, ours, "GET /raw-header HTTP/1.1\r\nHost: h\r\n\r\n", 1, false)
	if len(got) != 1 || got[0].Header.Get("X-Evil") != "" || got[0].Header.Get("X-Injected") != "a  X-Evil: 1" {
		t.Fatalf("%+v", got)
	}
	if got[0].Header.Get("X-Amzn-Errortype") != "NotFoundException" {
		t.Fatalf("a header key outside Go's canonical form was lost: %v", got[0].Header)
	}
}

func TestLargeUnreadBodyClosesTheConnection(t *testing.T) {
	_, ours, _ := startBoth(t, nil)
	raw := "POST /ignore-body HTTP/1.1\r\nHost: h\r\nContent-Length: 10000000\r\n\r\n" + strings.Repeat("x", 1000)
	got := exchange(t, ours, raw, 2, false)
	if len(got) != 1 || got[0].Status != 200 || !got[0].Closed {
		t.Fatalf("%+v, want one answer, then the connection closed rather than reading 10 MB", got)
	}
}

func TestSlowClientsAreCutOff(t *testing.T) {
	_, ours, _ := startBoth(t, func(s *Server) { s.ReadHeaderTimeout = 200 * time.Millisecond; s.IdleTimeout = 300 * time.Millisecond })
	// A request head that never ends.
	c, err := net.Dial("tcp", ours)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /cl HTTP/1.1\r\nHost: h\r\n")
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	start := time.Now()
	n, err := c.Read(make([]byte, 1))
	if n != 0 || err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("slow head: read %d, %v after %v; want the server to close within its header timeout", n, err, time.Since(start))
	}
	// An idle keep-alive connection.
	c2, err := net.Dial("tcp", ours)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	io.WriteString(c2, "GET /cl HTTP/1.1\r\nHost: h\r\n\r\n")
	br := bufio.NewReader(c2)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != 200 {
		t.Fatal(resp, err)
	} else {
		io.Copy(io.Discard, resp.Body)
	}
	c2.SetReadDeadline(time.Now().Add(3 * time.Second))
	if _, err := br.ReadByte(); err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("idle connection not closed: %v", err)
	}
}

func TestShutdownWaitsForInFlightRequests(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	var started atomic.Bool
	s := &Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started.Store(true)
		<-release
		io.WriteString(w, "done")
	})}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	// One idle connection, one busy.
	idle, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	respc := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			respc <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		respc <- string(b)
	}()
	for !started.Load() {
		time.Sleep(time.Millisecond)
	}
	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(context.Background()) }()
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v with a request in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	idle.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := idle.Read(make([]byte, 1)); err == nil {
		t.Fatal("the idle connection was not closed")
	}
	close(release)
	if got := <-respc; got != "done" {
		t.Fatalf("in-flight request: %q", got)
	}
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	if err := <-served; !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Fatal("still accepting after Shutdown")
	}
}

// TestEarlyResponseToALargeBodyIsReadable: a handler that refuses a body
// after reading part of it (a 413) must reach a client still sending the
// rest, instead of a connection reset.
func TestEarlyResponseToALargeBodyIsReadable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20)); err != nil {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			io.WriteString(w, `{"message":"Request Entity Too Large"}`)
			return
		}
		io.WriteString(w, "ok")
	})}
	go s.Serve(ln)
	defer s.Close()
	for i := range 5 {
		resp, err := http.Post("http://"+ln.Addr().String()+"/", "application/octet-stream", strings.NewReader(strings.Repeat("x", 12<<20)))
		if err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close {
			t.Fatalf("attempt %d: %d %v %s", i, resp.StatusCode, resp.Header, body)
		}
	}
}

// TestStrayEmptyLinesAreIgnored: RFC 9112 §2.2 — a CRLF after a body must
// not cost the connection (net/http answers 400 here).
func TestStrayEmptyLinesAreIgnored(t *testing.T) {
	_, ours, _ := startBoth(t, nil)
	raw := "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi\r\n\r\nGET /cl HTTP/1.1\r\nHost: h\r\n\r\n"
	got := exchange(t, ours, raw, 2, false)
	if len(got) != 2 || got[0].Status != 200 || got[1].Status != 200 || got[1].Body != "hello" || got[1].Closed {
		t.Fatalf("%+v", got)
	}
}

// TestRequestTrailers: the trailer section of a chunked body reaches the
// handler in r.Trailer (the Lambda Runtime API carries function errors in it).
func TestRequestTrailers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		io.WriteString(w, string(b)+"|"+r.Trailer.Get("Lambda-Runtime-Function-Error-Type")+"|"+r.Trailer.Get("Content-Length"))
	})}
	go s.Serve(ln)
	defer s.Close()
	raw := "POST / HTTP/1.1\r\nHost: h\r\nTrailer: Lambda-Runtime-Function-Error-Type\r\nTransfer-Encoding: chunked\r\n\r\n" +
		"3\r\nabc\r\n0\r\nLambda-Runtime-Function-Error-Type: Runtime.Boom\r\nContent-Length: 9\r\n\r\n"
	got := exchange(t, ln.Addr().String(), raw, 1, false)
	if len(got) != 1 || got[0].Body != "abc|Runtime.Boom|" {
		t.Fatalf("%+v, want the body and the trailer (and no framing field from the trailer)", got)
	}
}

// TestNoContinueAfterTheAnswer: a handler that answers (with a declared
// length) before reading the body must not get "100 Continue" spliced into
// its response; the connection closes since the body never comes.
func TestNoContinueAfterTheAnswer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "2")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "no")
		io.ReadAll(r.Body)
	})}
	go s.Serve(ln)
	defer s.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	all, _ := io.ReadAll(c)
	if strings.Contains(string(all), "100 Continue") || !strings.HasPrefix(string(all), "HTTP/1.1 403 ") || !strings.HasSuffix(string(all), "\r\n\r\nno") {
		t.Fatalf("%q", all)
	}
}

// TestPartialPipelinedHeadDoesNotHoldTheResponse: bytes of a next request
// that are not yet a whole head must not delay the answer to this one.
func TestPartialPipelinedHeadDoesNotHoldTheResponse(t *testing.T) {
	_, ours, _ := startBoth(t, func(s *Server) { s.ReadHeaderTimeout = 10 * time.Second })
	c, err := net.Dial("tcp", ours)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /cl HTTP/1.1\r\nHost: h\r\n\r\nGET /cl HTT")
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("first response held back: %v %v", resp, err)
	}
}

// TestServeClosesItsListener: the listener is closed when Serve ends, also
// when the server was closed before Serve started.
func TestServeClosesItsListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Handler: http.HandlerFunc(testHandler)}
	s.Close()
	if err := s.Serve(ln); !errors.Is(err, ErrServerClosed) {
		t.Fatal(err)
	}
	if c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		c.Close()
		t.Fatal("listener still open")
	}
}
