package httpproxy

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func do(t *testing.T, c *Client, method, rawURL, body, serverName string, timeout time.Duration) (*http.Response, string, error) {
	t.Helper()
	u, _ := url.Parse(rawURL)
	req := &http.Request{Method: method, URL: u, Host: u.Host, Header: http.Header{}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		ContentLength: int64(len(body))}
	resp, b, err := c.Do(context.Background(), req, []byte(body), serverName, time.Now().Add(timeout))
	return resp, string(b), err
}

func TestClientReusesConnectionsAndRetriesIdempotentRequests(t *testing.T) {
	var conns, reqs atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqs.Add(1)
		b, _ := io.ReadAll(r.Body)
		io.WriteString(w, r.Method+" "+string(b))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := &Client{}
	for i := range 5 {
		if _, body, err := do(t, c, "POST", srv.URL+"/x", "b", "", time.Second); err != nil || body != "POST b" {
			t.Fatalf("request %d: %q %v", i, body, err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("5 sequential requests used %d connections, want 1 (keep-alive)", n)
	}
	// The backend drops its idle connections: a GET is retried on a new one...
	srv.CloseClientConnections()
	time.Sleep(20 * time.Millisecond)
	if _, body, err := do(t, c, "PUT", srv.URL+"/x", "again", "", time.Second); err != nil || body != "PUT again" {
		t.Fatalf("idempotent request on a closed pooled connection: %q %v (want a transparent retry)", body, err)
	}
	// ...but a POST is never sent twice.
	srv.CloseClientConnections()
	time.Sleep(20 * time.Millisecond)
	before := reqs.Load()
	if _, _, err := do(t, c, "POST", srv.URL+"/x", "once", "", time.Second); err == nil {
		t.Log("POST on a closed pooled connection succeeded (the close raced the write); acceptable")
	}
	if reqs.Load()-before > 1 {
		t.Errorf("POST reached the backend %d times", reqs.Load()-before)
	}
}

func TestClientResponseFraming(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/chunked":
			w.Write([]byte("part1-"))
			w.(http.Flusher).Flush()
			w.Write([]byte("part2"))
		case "/close":
			w.Header().Set("Connection", "close")
			io.WriteString(w, "bye")
		case "/slow":
			time.Sleep(300 * time.Millisecond)
		default:
			w.Header().Set("Content-Length", "5")
			io.WriteString(w, "hello")
		}
	}))
	defer srv.Close()
	c := &Client{}
	if _, body, err := do(t, c, "GET", srv.URL+"/chunked", "", "", time.Second); err != nil || body != "part1-part2" {
		t.Errorf("chunked: %q %v", body, err)
	}
	if resp, body, err := do(t, c, "HEAD", srv.URL+"/", "", "", time.Second); err != nil || body != "" || resp.ContentLength != 5 {
		t.Errorf("HEAD: %q %v", body, err)
	}
	if resp, body, err := do(t, c, "GET", srv.URL+"/close", "", "", time.Second); err != nil || body != "bye" || !resp.Close {
		t.Errorf("Connection: close: %q %v", body, err)
	}
	if _, _, err := do(t, c, "GET", srv.URL+"/slow", "", "", 50*time.Millisecond); err == nil || !isTimeout(err) {
		t.Errorf("deadline: err = %v, want a timeout", err)
	}
	if _, body, err := do(t, c, "GET", srv.URL+"/", "", "", time.Second); err != nil || body != "hello" {
		t.Errorf("after a timed-out request: %q %v", body, err)
	}
}

func TestClientTLSServerNameToVerify(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secure") }))
	defer srv.Close()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	c := &Client{TLS: &tls.Config{RootCAs: roots}}
	// httptest's certificate names example.com and 127.0.0.1.
	for _, tc := range []struct {
		serverName string
		ok         bool
	}{{"", true}, {"example.com", true}, {"wrong.example", false}} {
		_, body, err := do(t, c, "GET", srv.URL, "", tc.serverName, time.Second)
		if ok := err == nil && body == "secure"; ok != tc.ok {
			t.Errorf("serverNameToVerify %q: body %q err %v, want ok=%v", tc.serverName, body, err, tc.ok)
		}
	}
	if _, _, err := do(t, &Client{}, "GET", srv.URL, "", "", time.Second); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted certificate: err = %v, want a verification failure", err)
	}
}

// rawBackend answers each request read on a connection with the next of
// responses, written in pieces with a pause between them so the client
// sees a head split across reads.
func rawBackend(t *testing.T, responses ...[]string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		br := bufio.NewReader(c)
		for _, pieces := range responses {
			if _, err := http.ReadRequest(br); err != nil {
				return
			}
			for _, p := range pieces {
				c.Write([]byte(p))
				time.Sleep(5 * time.Millisecond)
			}
		}
		io.Copy(io.Discard, c) // hold the connection open until the client closes it
	}()
	return "http://" + ln.Addr().String()
}

func TestClientUnusualResponsesOnTheWire(t *testing.T) {
	base := rawBackend(t,
		// A head split mid-line, then the body in another write.
		[]string{"HTTP/1.1 200 OK\r\nContent-Le", "ngth: 5\r\n", "\r\nhel", "lo"},
		// Interim responses before the final one.
		[]string{"HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"},
		// Bare LF line endings (the standard parser's rules).
		[]string{"HTTP/1.1 202 Accepted\nContent-Length: 3\nX-A: b\n\nabc"},
		// Declared trailers (the standard parser again).
		[]string{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n4\r\nbody\r\n0\r\nX-T: v\r\n\r\n"},
		// And a plain one after all that: the framing stayed in step.
		[]string{"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone"},
	)
	c := &Client{}
	want := []struct {
		status int
		body   string
	}{{200, "hello"}, {201, "ok"}, {202, "abc"}, {200, "body"}, {200, "done"}}
	for i, w := range want {
		resp, body, err := do(t, c, "GET", base+"/", "", "", 2*time.Second)
		if err != nil || resp.StatusCode != w.status || body != w.body {
			t.Fatalf("response %d: %v %q %v, want %d %q", i, resp, body, err, w.status, w.body)
		}
	}
}
