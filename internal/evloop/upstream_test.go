//go:build linux

package evloop

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// clParse is a minimal Upstream.Parse for Content-Length responses.
// upFuncs is an UpstreamHandler made of two funcs.
type upFuncs struct {
	parse func(b []byte, eof bool) (int, bool, error)
	done  func(err error)
}

func (f *upFuncs) Parse(b []byte, eof bool) (int, bool, error) { return f.parse(b, eof) }
func (f *upFuncs) Done(err error)                              { f.done(err) }

func clParse(got *[]byte) func(b []byte, eof bool) (int, bool, error) {
	return func(b []byte, eof bool) (int, bool, error) {
		end := bytes.Index(b, []byte("\r\n\r\n"))
		if end < 0 {
			return 0, false, nil
		}
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(b)), nil)
		if err != nil {
			return 0, false, err
		}
		n := end + 4 + int(resp.ContentLength)
		if len(b) < n {
			return 0, false, nil
		}
		*got = append((*got)[:0], b[end+4:n]...)
		return n, !resp.Close, nil
	}
}

// upstreamHandler proxies every request to backend on the loop, answering
// with the backend's body, or 502/504 with the error.
func upstreamHandler(backend *atomic.Pointer[string], timeout time.Duration) Handler {
	return HandlerFunc(func(r *http.Request, body []byte, res *Responder) {
		var got []byte
		u := &Upstream{
			Addr:       *backend.Load(),
			Request:    []byte("GET " + r.URL.Path + " HTTP/1.1\r\nHost: b\r\n\r\n"),
			Deadline:   time.Now().Add(timeout),
			Idempotent: true,
		}
		u.Handler = &upFuncs{parse: clParse(&got), done: func(err error) {
			switch {
			case errors.Is(err, os.ErrDeadlineExceeded):
				res.Respond(504, http.Header{}, []byte("timeout"))
			case err != nil:
				res.Respond(502, http.Header{}, []byte(err.Error()))
			default:
				res.Respond(200, http.Header{}, append([]byte(nil), got...))
			}
		}}
		res.Upstream(u)
	})
}

// rawBackend accepts connections and answers each request with handle's
// response; conns counts accepted connections.
func rawBackend(t *testing.T, conns *atomic.Int64, handle func(c net.Conn, path string) bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					if !handle(c, req.URL.Path) {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func TestUpstreamOnTheLoop(t *testing.T) {
	var conns atomic.Int64
	backend := rawBackend(t, &conns, func(c net.Conn, path string) bool {
		switch path {
		case "/slow":
			time.Sleep(300 * time.Millisecond)
		case "/bye": // answer, then drop the connection
			c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nbye"))
			return false
		}
		body := "hello " + path
		c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body))
		return true
	})
	var target atomic.Pointer[string]
	target.Store(&backend)
	s := &Server{Handler: upstreamHandler(&target, 100*time.Millisecond), Loops: 1}
	addr := serve(t, s)

	// Sequential requests on one client connection reuse one backend connection.
	got := exchange(t, addr, strings.Repeat("GET /a HTTP/1.1\r\nHost: h\r\n\r\n", 5), 5, false)
	if len(got) != 5 {
		t.Fatalf("%+v", got)
	}
	for _, r := range got {
		if r.Status != 200 || r.Body != "hello /a" {
			t.Fatalf("%+v", r)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("5 sequential upstream requests used %d backend connections, want 1", n)
	}
	// A backend that closes its idle connection: the next (idempotent)
	// request is sent again on a new one.
	if r := exchange(t, addr, "GET /bye HTTP/1.1\r\nHost: h\r\n\r\n", 1, false); len(r) != 1 || r[0].Body != "bye" {
		t.Fatalf("%+v", r)
	}
	time.Sleep(20 * time.Millisecond)
	if r := exchange(t, addr, "GET /after HTTP/1.1\r\nHost: h\r\n\r\n", 1, false); len(r) != 1 || r[0].Status != 200 || r[0].Body != "hello /after" {
		t.Fatalf("after a dropped pooled connection: %+v", r)
	}
	// The deadline: 504 at 100 ms, not the backend's 300.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	c.Write([]byte("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n"))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 504 {
		t.Fatalf("slow backend: %v %v", resp, err)
	}
	if d := time.Since(start); d > 280*time.Millisecond {
		t.Errorf("the timeout answered after %v; the deadline was 100 ms", d)
	}
	// Nothing listening: an error, at once.
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	deadAddr := dead.Addr().String()
	target.Store(&deadAddr)
	dead.Close()
	if r := exchange(t, addr, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n", 1, false); len(r) != 1 || r[0].Status != 502 || !strings.Contains(r[0].Body, "refused") {
		t.Fatalf("refused: %+v", r)
	}
}

// TestUpstreamBodyUntilEOF: a response delimited by the backend's close is
// seen to its end, whether the close comes with the data (one event) or
// after a pause (a short read first, the close as a new edge).
func TestUpstreamBodyUntilEOF(t *testing.T) {
	var conns atomic.Int64
	backend := rawBackend(t, &conns, func(c net.Conn, path string) bool {
		c.Write([]byte("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nfirst"))
		if path == "/pause" {
			time.Sleep(50 * time.Millisecond)
			c.Write([]byte(" second"))
			time.Sleep(50 * time.Millisecond)
		}
		return false
	})
	h := HandlerFunc(func(r *http.Request, body []byte, res *Responder) {
		var got []byte
		u := &Upstream{
			Addr:     backend,
			Request:  []byte("GET " + r.URL.Path + " HTTP/1.1\r\nHost: b\r\n\r\n"),
			Deadline: time.Now().Add(2 * time.Second),
		}
		u.Handler = &upFuncs{parse: func(b []byte, eof bool) (int, bool, error) {
			if !eof {
				return 0, false, nil
			}
			end := bytes.Index(b, []byte("\r\n\r\n"))
			got = append(got[:0], b[end+4:]...)
			return len(b), false, nil
		}, done: func(err error) {
			if err != nil {
				res.Respond(502, http.Header{}, []byte(err.Error()))
				return
			}
			res.Respond(200, http.Header{}, append([]byte(nil), got...))
		}}
		res.Upstream(u)
	})
	addr := serve(t, &Server{Handler: h, Loops: 1})
	for path, want := range map[string]string{"/now": "first", "/pause": "first second"} {
		start := time.Now()
		r := exchange(t, addr, "GET "+path+" HTTP/1.1\r\nHost: h\r\n\r\n", 1, false)
		if len(r) != 1 || r[0].Status != 200 || r[0].Body != want {
			t.Fatalf("%s: %+v", path, r)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: answered after %v: the backend's close was not noticed", path, d)
		}
	}
}
