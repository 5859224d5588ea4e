//go:build linux

package evloop

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestHeadTooLarge(t *testing.T) {
	_, ours, _ := startBoth(t, func(s *Server) { s.MaxHeaderBytes = 4096 })
	big := "GET /echo HTTP/1.1\r\nHost: h\r\nX-Big: " + strings.Repeat("a", 20000) + "\r\n\r\n"
	got := exchange(t, ours, big, 1, false)
	if len(got) != 1 || got[0].Status != http.StatusRequestHeaderFieldsTooLarge || !got[0].Closed {
		t.Fatalf("%+v, want a 431 and a closed connection", got)
	}
	ok := "GET /cl HTTP/1.1\r\nHost: h\r\nX-Big: " + strings.Repeat("a", 3900) + "\r\n\r\n"
	if got := exchange(t, ours, ok, 1, false); len(got) != 1 || got[0].Status != 200 {
		t.Fatalf("%+v", got)
	}
}

// TestContentLengthWithTransferEncoding: refused and closed, as httpserver
// (net/http lets Transfer-Encoding win).
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

// TestBodyOverTheLimit: httpserver hands a large body to the handler and
// closes rather than drain what it left; this server buffers bodies, so it
// refuses one over MaxBodyBytes before reading it.
func TestBodyOverTheLimit(t *testing.T) {
	_, ours, _ := startBoth(t, func(s *Server) { s.MaxBodyBytes = 1000 })
	for name, raw := range map[string]string{
		"Content-Length": "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n" + strings.Repeat("x", 1001),
		"chunked":        "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n" + strings.Repeat("x", 512) + "\r\n200\r\n" + strings.Repeat("x", 512) + "\r\n0\r\n\r\n",
	} {
		got := exchange(t, ours, raw+"GET /cl HTTP/1.1\r\nHost: h\r\n\r\n", 2, false)
		if len(got) != 1 || got[0].Status != http.StatusRequestEntityTooLarge || !got[0].Closed {
			t.Errorf("%s: %+v, want one 413 and a closed connection", name, got)
		}
	}
	at := "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n" + strings.Repeat("x", 1000)
	if got := exchange(t, ours, at, 1, false); len(got) != 1 || got[0].Status != 200 || got[0].Closed {
		t.Fatalf("a body at the limit: %+v", got)
	}
}

// TestSlowClientsAreCutOff: a head that never ends, a body that never ends
// and an idle keep-alive connection are all closed by their timeouts.
func TestSlowClientsAreCutOff(t *testing.T) {
	_, ours, _ := startBoth(t, func(s *Server) {
		s.ReadHeaderTimeout = 200 * time.Millisecond
		s.ReadTimeout = 400 * time.Millisecond
		s.IdleTimeout = 300 * time.Millisecond
	})
	for name, raw := range map[string]string{
		"head": "GET /cl HTTP/1.1\r\nHost: h\r\n",
		"body": "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc",
		"none": "",
	} {
		c, err := net.Dial("tcp", ours)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, raw)
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		n, err := c.Read(make([]byte, 1))
		var ne net.Error
		if n != 0 || err == nil || errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("slow %s: read %d, %v; want the server to close within its timeout", name, n, err)
		}
	}
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
	_, err = br.ReadByte()
	var ne net.Error
	if err == nil || errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("idle connection not closed: %v", err)
	}
}

func TestShutdownWaitsForInFlightRequests(t *testing.T) {
	release := make(chan struct{})
	var started atomic.Bool
	var reqCtx atomic.Value
	s := &Server{Handler: FromHTTPHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqCtx.Store(r.Context())
		started.Store(true)
		<-release
		io.WriteString(w, "done")
	}))}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	defer s.Close()
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	respc := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			respc <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		respc <- string(b) + " close=" + map[bool]string{true: "yes", false: "no"}[resp.Close]
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
	ctx := reqCtx.Load().(context.Context)
	if ctx.Err() != nil {
		t.Fatal("the request's context ended before Shutdown did")
	}
	close(release)
	if got := <-respc; got != "done close=yes" {
		t.Fatalf("in-flight request: %q", got)
	}
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	if ctx.Err() == nil {
		t.Fatal("the request's context did not end with Shutdown")
	}
	if err := <-served; !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve: %v", err)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("still accepting after Shutdown")
	}
}

// TestEarlyResponseToALargeBodyIsReadable: the 413 for a body over the
// limit must reach a client still sending it, instead of a reset.
func TestEarlyResponseToALargeBodyIsReadable(t *testing.T) {
	s := &Server{Handler: FromHTTPHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))}
	addr := serve(t, s)
	for i := range 5 {
		resp, err := http.Post("http://"+addr+"/", "application/octet-stream", strings.NewReader(strings.Repeat("x", 12<<20)))
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

func TestStrayEmptyLinesAreIgnored(t *testing.T) {
	_, ours, _ := startBoth(t, nil)
	raw := "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi\r\n\r\nGET /cl HTTP/1.1\r\nHost: h\r\n\r\n"
	got := exchange(t, ours, raw, 2, false)
	if len(got) != 2 || got[0].Status != 200 || got[1].Status != 200 || got[1].Body != "hello" || got[1].Closed {
		t.Fatalf("%+v", got)
	}
	five := "\r\n\r\n\r\n\r\n\r\nGET /cl HTTP/1.1\r\nHost: h\r\n\r\n"
	if got := exchange(t, ours, five, 1, false); len(got) != 1 || got[0].Status != 400 {
		t.Fatalf("five empty lines: %+v, want a 400 (as httpserver)", got)
	}
}

func TestRequestTrailers(t *testing.T) {
	s := &Server{Handler: FromHTTPHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		io.WriteString(w, string(b)+"|"+r.Trailer.Get("Lambda-Runtime-Function-Error-Type")+"|"+r.Trailer.Get("Content-Length"))
	}))}
	addr := serve(t, s)
	raw := "POST / HTTP/1.1\r\nHost: h\r\nTrailer: Lambda-Runtime-Function-Error-Type\r\nTransfer-Encoding: chunked\r\n\r\n" +
		"3\r\nabc\r\n0\r\nLambda-Runtime-Function-Error-Type: Runtime.Boom\r\nContent-Length: 9\r\n\r\n"
	got := exchange(t, addr, raw, 1, false)
	if len(got) != 1 || got[0].Body != "abc|Runtime.Boom|" {
		t.Fatalf("%+v, want the body and the trailer (and no framing field from the trailer)", got)
	}
}

// TestExpectContinue: httpserver sends "100 Continue" when the handler
// reads the body; this server reads bodies before the handler, so it sends
// it as soon as the head is in, and never for a body it refuses.
func TestExpectContinue(t *testing.T) {
	_, ours, _ := startBoth(t, func(s *Server) { s.MaxBodyBytes = 100 })
	c, err := net.Dial("tcp", ours)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Second))
	io.WriteString(c, "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	if err != nil || line != "HTTP/1.1 100 Continue\r\n" {
		t.Fatalf("%q %v, want 100 Continue", line, err)
	}
	br.ReadString('\n')
	io.WriteString(c, "hi")
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(resp, err)
	}
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), `"body":"hi"`) {
		t.Fatalf("%s", body)
	}

	c2, err := net.Dial("tcp", ours)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	c2.SetDeadline(time.Now().Add(3 * time.Second))
	io.WriteString(c2, "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 200\r\nExpect: 100-continue\r\n\r\n")
	all, _ := io.ReadAll(c2)
	if strings.Contains(string(all), "100 Continue") || !strings.HasPrefix(string(all), "HTTP/1.1 413 ") {
		t.Fatalf("%q", all)
	}
}

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

func TestServeClosesItsListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Handler: FromHTTPHandler(http.HandlerFunc(testHandler))}
	s.Close()
	if err := s.Serve(ln); !errors.Is(err, ErrServerClosed) {
		t.Fatal(err)
	}
	if c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		c.Close()
		t.Fatal("listener still open")
	}
}
