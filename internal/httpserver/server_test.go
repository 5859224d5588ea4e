package httpserver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testHandler answers by path; /echo describes the request as the handler
// saw it, so the same raw request can be compared across servers.
func testHandler(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/echo", "*":
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		out := map[string]any{
			"method": r.Method, "uri": r.RequestURI, "path": r.URL.Path, "query": r.URL.RawQuery, "host": r.Host,
			"proto": r.Proto, "contentLength": r.ContentLength, "te": r.TransferEncoding, "body": string(body),
			"xa": r.Header.Values("X-A"), "hostHeader": r.Header.Get("Host"), "expect": r.Header.Get("Expect"),
			"close": r.Close,
		}
		if err != nil {
			out["err"] = err.Error()
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	case "/cl":
		w.Header().Set("Content-Length", "5")
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "hello")
	case "/nocontent":
		w.WriteHeader(http.StatusNoContent)
	case "/notmodified":
		w.Header().Set("ETag", `"x"`)
		w.WriteHeader(http.StatusNotModified)
	case "/big":
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, strings.Repeat("0123456789", 10000))
	case "/close":
		w.Header().Set("Connection", "close")
		io.WriteString(w, "bye")
	case "/sniff":
		io.WriteString(w, "<html><body>hi</body></html>")
	case "/status":
		code, _ := strconv.Atoi(r.URL.Query().Get("code"))
		w.WriteHeader(code)
		io.WriteString(w, "s")
	case "/raw-header":
		w.Header()["x-amzn-ErrorType"] = []string{"NotFoundException"}
		w.Header().Set("X-Injected", "a\r\nX-Evil: 1")
		io.WriteString(w, "{}")
	case "/panic":
		panic("boom")
	case "/ignore-body":
		io.WriteString(w, "ignored")
	default:
		http.NotFound(w, r)
	}
}

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

// exchange writes raw to a new connection and reads up to n responses (or
// until the server closes the connection).
type result struct {
	status int
	header http.Header
	body   string
	closed bool // the server closed the connection after the responses
}

func exchange(t *testing.T, addr, raw string, n int, head bool) []result {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	var out []result
	for range n {
		method := "GET"
		if head {
			method = "HEAD"
		}
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			break
		}
		for resp.StatusCode == http.StatusContinue {
			if resp, err = http.ReadResponse(br, &http.Request{Method: method}); err != nil {
				t.Fatalf("after 100 Continue: %v", err)
			}
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		out = append(out, result{status: resp.StatusCode, header: resp.Header, body: string(body)})
	}
	if len(out) > 0 {
		c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		_, err := br.Peek(1)
		var ne net.Error
		out[len(out)-1].closed = !(errors.As(err, &ne) && ne.Timeout())
	}
	return out
}

// TestSameAsNetHTTP sends the same raw requests to net/http's server and to
// this one and requires the same outcome: statuses, bodies (the request as
// the handler saw it), lengths, and whether the connection stays open.
func TestSameAsNetHTTP(t *testing.T) {
	std, ours, _ := startBoth(t, nil)
	cases := []struct {
		name string
		raw  string
		n    int
		head bool
	}{
		{"GET", "GET /echo?a=1&b=%20 HTTP/1.1\r\nHost: example.com\r\nX-A: 1\r\nX-A: 2\r\n\r\n", 1, false},
		{"POST with Content-Length", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", 1, false},
		{"POST chunked with trailers", "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n", 1, false},
		{"chunked then another request", "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\nGET /cl HTTP/1.1\r\nHost: h\r\n\r\n", 2, false},
		{"pipelined", "GET /cl HTTP/1.1\r\nHost: h\r\n\r\nGET /echo HTTP/1.1\r\nHost: h\r\n\r\nGET /nocontent HTTP/1.1\r\nHost: h\r\n\r\n", 3, false},
		{"conflicting Content-Length", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 1, false},
		{"repeated equal Content-Length", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 1, false},
		{"malformed Content-Length", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3x\r\n\r\nabc", 1, false},
		{"negative Content-Length", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 1, false},
		{"unknown transfer coding", "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 1, false},
		{"missing Host", "GET /echo HTTP/1.1\r\n\r\n", 1, false},
		{"two Hosts", "GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 1, false},
		{"HTTP/1.0 without Host", "GET /echo HTTP/1.0\r\n\r\n", 1, false},
		{"HTTP/1.0 keep-alive", "GET /cl HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /cl HTTP/1.0\r\n\r\n", 2, false},
		{"Connection: close", "GET /cl HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 1, false},
		{"handler closes", "GET /close HTTP/1.1\r\nHost: h\r\n\r\nGET /cl HTTP/1.1\r\nHost: h\r\n\r\n", 2, false},
		{"malformed request line", "GET /echo\r\nHost: h\r\n\r\n", 1, false},
		{"lower-case method token", "get /echo HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"bad method", "G(T /echo HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"HTTP/2.0 request line", "GET /echo HTTP/2.0\r\nHost: h\r\n\r\n", 1, false},
		{"garbage version", "GET /echo FOO/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"header without colon", "GET /echo HTTP/1.1\r\nHost: h\r\nbroken\r\n\r\n", 1, false},
		{"space before colon", "GET /echo HTTP/1.1\r\nHost: h\r\nX-A : 1\r\n\r\n", 1, false},
		{"control byte in header", "GET /echo HTTP/1.1\r\nHost: h\r\nX-A: a\x01b\r\n\r\n", 1, false},
		{"bad Host", "GET /echo HTTP/1.1\r\nHost: a b\r\n\r\n", 1, false},
		{"absolute-form target", "GET http://other.example/echo?q=1 HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"GET *", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"Expect 100-continue", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nhi", 1, false},
		{"unknown Expect", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: teapot\r\n\r\nhi", 1, false},
		{"handler ignores the body", "POST /ignore-body HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET /cl HTTP/1.1\r\nHost: h\r\n\r\n", 2, false},
		{"HEAD with declared length", "HEAD /cl HTTP/1.1\r\nHost: h\r\n\r\n", 1, true},
		{"204", "GET /nocontent HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"304", "GET /notmodified HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"unusual status", "GET /status?code=599 HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"large body", "GET /big HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"sniffed content type", "GET /sniff HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"404", "GET /nowhere HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"percent-encoded path", "GET /ec%68o HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
		{"bad escape in path", "GET /echo%zz HTTP/1.1\r\nHost: h\r\n\r\n", 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := exchange(t, std, tc.raw, tc.n, tc.head)
			got := exchange(t, ours, tc.raw, tc.n, tc.head)
			if len(got) != len(want) {
				t.Fatalf("%d responses, net/http gives %d (%+v)", len(got), len(want), want)
			}
			for i := range want {
				w, g := want[i], got[i]
				if g.status != w.status {
					t.Errorf("response %d: status %d, net/http %d (body %q vs %q)", i, g.status, w.status, g.body, w.body)
					continue
				}
				if w.status < 400 && g.body != w.body { // error texts may differ
					t.Errorf("response %d: body %q, net/http %q", i, g.body, w.body)
				}
				for _, k := range []string{"Content-Length", "Content-Type", "Etag"} {
					// net/http chunks large bodies; this server always sends a length.
					if w.status < 400 && w.header.Get(k) != "" && g.header.Get(k) != w.header.Get(k) {
						t.Errorf("response %d: %s %q, net/http %q", i, k, g.header.Get(k), w.header.Get(k))
					}
				}
				if w.header.Get("Date") != "" && g.header.Get("Date") == "" {
					t.Errorf("response %d: no Date header", i)
				}
			}
			if len(want) > 0 && got[len(got)-1].closed != want[len(want)-1].closed {
				t.Errorf("connection closed after the responses: %v, net/http %v", got[len(got)-1].closed, want[len(want)-1].closed)
			}
		})
	}
}

func TestHeadTooLarge(t *testing.T) {
	_, ours, _ := startBoth(t, func(s *Server) { s.MaxHeaderBytes = 4096 })
	big := "GET /echo HTTP/1.1\r\nHost: h\r\nX-Big: " + strings.Repeat("a", 20000) + "\r\n\r\n"
	got := exchange(t, ours, big, 1, false)
	if len(got) != 1 || got[0].status != http.StatusRequestHeaderFieldsTooLarge || !got[0].closed {
		t.Fatalf("%+v, want a 431 and a closed connection", got)
	}
	// Just under the limit is fine.
	ok := "GET /cl HTTP/1.1\r\nHost: h\r\nX-Big: " + strings.Repeat("a", 3900) + "\r\n\r\n"
	if got := exchange(t, ours, ok, 1, false); len(got) != 1 || got[0].status != 200 {
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
	if len(got) != 1 || got[0].status != http.StatusBadRequest || !got[0].closed {
		t.Fatalf("%+v, want one 400 and a closed connection", got)
	}
}

func TestPanicAnswers500AndCloses(t *testing.T) {
	_, ours, _ := startBoth(t, nil)
	got := exchange(t, ours, "GET /panic HTTP/1.1\r\nHost: h\r\n\r\nGET /cl HTTP/1.1\r\nHost: h\r\n\r\n", 2, false)
	if len(got) != 1 || got[0].status != 500 || !got[0].closed {
		t.Fatalf("%+v, want one 500 and a closed connection", got)
	}
}

func TestResponseHeadersCannotBeSplit(t *testing.T) {
	_, ours, _ := startBoth(t, nil)
	got := exchange(t, ours, "GET /raw-header HTTP/1.1\r\nHost: h\r\n\r\n", 1, false)
	if len(got) != 1 || got[0].header.Get("X-Evil") != "" || got[0].header.Get("X-Injected") != "a  X-Evil: 1" {
		t.Fatalf("%+v", got)
	}
	if got[0].header.Get("X-Amzn-Errortype") != "NotFoundException" {
		t.Fatalf("a header key outside Go's canonical form was lost: %v", got[0].header)
	}
}

func TestLargeUnreadBodyClosesTheConnection(t *testing.T) {
	_, ours, _ := startBoth(t, nil)
	raw := "POST /ignore-body HTTP/1.1\r\nHost: h\r\nContent-Length: 10000000\r\n\r\n" + strings.Repeat("x", 1000)
	got := exchange(t, ours, raw, 2, false)
	if len(got) != 1 || got[0].status != 200 || !got[0].closed {
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
	if len(got) != 2 || got[0].status != 200 || got[1].status != 200 || got[1].body != "hello" || got[1].closed {
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
	if len(got) != 1 || got[0].body != "abc|Runtime.Boom|" {
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
