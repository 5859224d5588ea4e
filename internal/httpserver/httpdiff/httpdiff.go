// Package httpdiff holds the differential tests the inbound HTTP servers
// share (internal/httpserver and internal/evloop): one handler, one corpus
// of raw requests, and the comparison with net/http's server. It is used
// only by tests.
package httpdiff

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Handler is the handler both servers run in the differential tests: it
// echoes the request as it saw it, and has paths for the interesting
// responses (declared lengths, 204/304, large, sniffed, handler-closed).
func Handler(w http.ResponseWriter, r *http.Request) {
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

// Result is one response read by Exchange.
type Result struct {
	Status int
	Header http.Header
	Body   string
	Closed bool // the server closed the connection after the responses
}

// Exchange writes raw to a new connection to addr and reads up to n
// responses (or until the server closes the connection).
func Exchange(t testing.TB, addr, raw string, n int, head bool) []Result {
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
	var out []Result
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
		out = append(out, Result{Status: resp.StatusCode, Header: resp.Header, Body: string(body)})
	}
	if len(out) > 0 {
		c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		_, err := br.Peek(1)
		var ne net.Error
		out[len(out)-1].Closed = !(errors.As(err, &ne) && ne.Timeout())
	}
	return out
}

// SameAsNetHTTP sends the same raw requests to net/http's server at std
// and to the server under test at ours, both running Handler, and requires
// the same outcome: statuses, bodies (the request as the handler saw it),
// lengths, and whether the connection stays open.
func SameAsNetHTTP(t *testing.T, std, ours string) {
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
			want := Exchange(t, std, tc.raw, tc.n, tc.head)
			got := Exchange(t, ours, tc.raw, tc.n, tc.head)
			if len(got) != len(want) {
				t.Fatalf("%d responses, net/http gives %d (%+v)", len(got), len(want), want)
			}
			for i := range want {
				w, g := want[i], got[i]
				if g.Status != w.Status {
					t.Errorf("response %d: status %d, net/http %d (body %q vs %q)", i, g.Status, w.Status, g.Body, w.Body)
					continue
				}
				if w.Status < 400 && g.Body != w.Body { // error texts may differ
					t.Errorf("response %d: body %q, net/http %q", i, g.Body, w.Body)
				}
				for _, k := range []string{"Content-Length", "Content-Type", "Etag"} {
					// net/http chunks large bodies; this server always sends a length.
					if w.Status < 400 && w.Header.Get(k) != "" && g.Header.Get(k) != w.Header.Get(k) {
						t.Errorf("response %d: %s %q, net/http %q", i, k, g.Header.Get(k), w.Header.Get(k))
					}
				}
				if w.Header.Get("Date") != "" && g.Header.Get("Date") == "" {
					t.Errorf("response %d: no Date header", i)
				}
			}
			if len(want) > 0 && got[len(got)-1].Closed != want[len(want)-1].Closed {
				t.Errorf("connection closed after the responses: %v, net/http %v", got[len(got)-1].Closed, want[len(want)-1].Closed)
			}
		})
	}
}
