package httpserver

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzServe feeds arbitrary bytes to a connection: the server must never
// panic, answer with a well-formed response (or none) and stop reading.
func FuzzServe(f *testing.F) {
	for _, seed := range []string{
		"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nz",
		"OPTIONS * HTTP/1.0\r\n\r\n",
		"GET http://a/b?c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
		"\x00\x01\x02 / HTTP/1.1\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &Server{
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
				w.Header().Set("X-Len", string(rune('0'+len(b)%10)))
				w.Write(b)
			}),
			MaxHeaderBytes: 4096,
			Logger:         slog.New(failOnError{t}),
		}
		fc := &memConn{r: bytes.NewReader(data)}
		c := s.newConn(fc, stateIdle)
		done := make(chan struct{})
		go func() { defer close(done); c.serve() }() // returns at the end of the input at the latest
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("serving %q did not end", data)
		}
		br := bufio.NewReader(&fc.w)
		for {
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				break
			}
			if resp.StatusCode < 100 || resp.StatusCode > 999 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				t.Fatalf("malformed response body: %v", err)
			}
		}
		if rest, _ := io.ReadAll(br); len(rest) > 0 && !bytes.HasPrefix(rest, []byte("HTTP/1.1 ")) {
			t.Fatalf("bytes after the last response: %q", rest)
		}
	})
}

// memConn is a connection whose input is a fixed byte string.
type memConn struct {
	r *bytes.Reader
	w bytes.Buffer
}

func (c *memConn) Read(p []byte) (int, error)       { return c.r.Read(p) }
func (c *memConn) Write(p []byte) (int, error)      { return c.w.Write(p) }
func (c *memConn) Close() error                     { return nil }
func (c *memConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *memConn) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1} }
func (c *memConn) SetDeadline(time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

// failOnError fails the test on any error log (a panic in the server).
type failOnError struct{ t *testing.T }

func (f failOnError) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (f failOnError) Handle(_ context.Context, r slog.Record) error {
	f.t.Errorf("server logged an error: %s", r.Message)
	return nil
}
func (f failOnError) WithAttrs([]slog.Attr) slog.Handler { return f }
func (f failOnError) WithGroup(string) slog.Handler      { return f }

// FuzzReadRequest parses arbitrary request heads and reads their bodies.
func FuzzReadRequest(f *testing.F) {
	f.Add("GET /a%20b?c=d HTTP/1.1\r\nHost: h\r\n\r\n")
	f.Add("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n")
	f.Add("PUT / HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi")
	f.Fuzz(func(t *testing.T, raw string) {
		br := bufio.NewReader(strings.NewReader(raw))
		req, err := readRequest(br, RequestBase(context.Background()), "1.2.3.4:5")
		if err != nil {
			return
		}
		if req.r.URL == nil || req.r.Method == "" || req.r.ProtoMajor != 1 {
			t.Fatalf("accepted an incomplete request: %+v", req.r)
		}
		if _, ok := req.r.Header["Host"]; ok {
			t.Fatal("Host left in the header map")
		}
		io.Copy(io.Discard, io.LimitReader(req.r.Body, 1<<20))
		req.body.drain(1 << 20)
	})
}
