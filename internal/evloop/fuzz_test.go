//go:build linux

package evloop

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
)

var fuzzServer struct {
	once sync.Once
	addr string
}

// FuzzServe feeds arbitrary bytes to a connection and half-closes it: the
// server must never panic (the loop would log an error), must answer with
// well-formed responses (or none) and must close the connection by itself.
func FuzzServe(f *testing.F) {
	for _, seed := range []string{
		"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nz",
		"OPTIONS * HTTP/1.0\r\n\r\n",
		"GET http://a/b?c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
		"HEAD /later HTTP/1.1\r\nHost: h\r\n\r\nGET /panic HTTP/1.1\r\nHost: h\r\n\r\n",
		"\r\n\r\n\x00\x01\x02 / HTTP/1.1\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzServer.once.Do(func() {
			s := &Server{
				Handler: HandlerFunc(func(r *http.Request, body []byte, res *Responder) {
					h := http.Header{"X-Len": {string(rune('0' + len(body)%10))}}
					switch r.URL.Path {
					case "/panic":
						panic("boom")
					case "/later":
						go res.Respond(200, h, bytes.Clone(body))
					default:
						res.Respond(200, h, body)
					}
				}),
				MaxHeaderBytes: 4096,
				MaxBodyBytes:   1 << 16,
				Logger:         slog.New(failOnPanicLog{}),
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				panic(err)
			}
			fuzzServer.addr = ln.Addr().String()
			go s.Serve(ln) // shared by every input, for the process's life
		})
		c, err := net.Dial("tcp", fuzzServer.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		c.Write(data)
		c.(*net.TCPConn).CloseWrite()
		out, err := io.ReadAll(c)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("serving %q did not end", data)
		}
		if panicked.Load() != nil {
			t.Fatalf("the server panicked on %q: %v", data, panicked.Load())
		}
		br := bufio.NewReader(bytes.NewReader(out))
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

// FuzzChunkScan: wherever net/http's chunked reader (through
// httpserver.ParseRequest) reads a body to its end, the scanner finds the
// same end, also when the bytes arrive in two parts; the scanner may accept
// more (the decoder has the last word), never less.
func FuzzChunkScan(f *testing.F) {
	f.Add([]byte("3\r\nabc\r\n0\r\n\r\n"), 4)
	f.Add([]byte("1;ext=\"x\"\r\na\r\n10 \r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\nGET"), 9)
	f.Add([]byte("0\r\n\r\n"), 0)
	f.Fuzz(func(t *testing.T, body []byte, split int) {
		head := "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
		// The input does not end: the decoder may not rely on EOF to end
		// the trailer section (httpserver accepts that when a client
		// closes; this server waits for the rest, then closes).
		rd := bytes.NewReader(append([]byte(head), body...))
		br := bufio.NewReaderSize(io.MultiReader(rd, moreToCome{}), 4<<10)
		r, err := httpserver.ParseRequest(br, httpserver.RequestBase(context.Background()), "")
		if err != nil {
			t.Fatal(err)
		}
		decoded, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		want := len(body) - rd.Len() - br.Buffered()
		var s chunkScan
		if split > 0 && split < want {
			if _, res := s.scan(body[:split], 1<<20); res != chunkMore {
				t.Fatalf("scan(%q) = %v on a prefix of a valid body", body[:split], res)
			}
		}
		end, res := s.scan(body, 1<<20)
		if res != chunkDone || end != want || s.size != int64(len(decoded)) {
			t.Fatalf("scan(%q) = %d, %v (size %d), the decoder read %d (size %d)", body, end, res, s.size, want, len(decoded))
		}
	})
}

// FuzzHeadScan: the head end found incrementally is the one found at once,
// and is where httpserver's parser stops reading.
func FuzzHeadScan(f *testing.F) {
	f.Add("GET / HTTP/1.1\r\nHost: h\r\n\r\nbody", 5)
	f.Add("\r\n\nGET / HTTP/1.1\nHost: h\n\n", 3)
	f.Add("\r\n\r\n\r\n\r\n\r\nGET", 1)
	f.Fuzz(func(t *testing.T, raw string, split int) {
		b := []byte(raw)
		var once headScan
		n := once.scan(b)
		var inc headScan
		if split > 0 && split < len(b) {
			if m := inc.scan(b[:split]); m >= 0 && m != n {
				t.Fatalf("prefix %q: end %d, whole input: %d", b[:split], m, n)
			} else if m >= 0 {
				return
			}
		}
		if m := inc.scan(b); m != n {
			t.Fatalf("incremental end %d, at once %d", m, n)
		}
		if n < 0 {
			return
		}
		rd := strings.NewReader(raw[:n])
		br := bufio.NewReader(rd)
		if _, err := httpserver.ParseRequest(br, httpserver.RequestBase(context.Background()), ""); err == nil && (rd.Len() > 0 || br.Buffered() > 0) {
			t.Fatalf("the parser stopped before the end %d of %q", n, raw)
		}
	})
}

type moreToCome struct{}

func (moreToCome) Read([]byte) (int, error) { return 0, errMoreToCome }

var errMoreToCome = errors.New("more to come")

var panicked atomicValue

type atomicValue struct {
	mu sync.Mutex
	v  any
}

func (a *atomicValue) Load() any {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.v
}

func (a *atomicValue) Store(v any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.v == nil {
		a.v = v
	}
}

// failOnPanicLog records a panic the server logged, except the one the
// fuzz handler raises on purpose.
type failOnPanicLog struct{}

func (failOnPanicLog) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (failOnPanicLog) Handle(_ context.Context, r slog.Record) error {
	purposeful := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "panic" && a.Value.String() == "boom" {
			purposeful = true
		}
		return true
	})
	if !purposeful {
		panicked.Store(r.Message)
	}
	return nil
}
func (h failOnPanicLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h failOnPanicLog) WithGroup(string) slog.Handler      { return h }
