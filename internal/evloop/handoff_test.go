//go:build linux

package evloop

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
	"github.com/gatehouse-dev/gatehouse/internal/httpserver/httpdiff"
)

// handOffPair is a loop server whose handler hands off every request under
// /go/ (and answers the others on the loop, "loop <path>"), and the
// goroutine server that takes the connections ("goroutine <method> <path>
// <body>"). A hand-off the loop refuses is answered "refused <path>" from
// a goroutine.
type handOffPair struct {
	loop  *Server
	conns *httpserver.Server
	addr  string
	// block holds the goroutine server's handler for /go/block until it
	// is closed; entered says the handler got there.
	block   chan struct{}
	entered chan struct{}
}

func newHandOffPair(t *testing.T, goHandler http.Handler) *handOffPair {
	t.Helper()
	p := &handOffPair{block: make(chan struct{}), entered: make(chan struct{}, 1)}
	if goHandler == nil {
		goHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/go/block" {
				select {
				case p.entered <- struct{}{}:
				default:
				}
				<-p.block
			}
			b, _ := io.ReadAll(r.Body)
			fmt.Fprintf(w, "goroutine %s %s %s", r.Method, r.URL.Path, b)
		})
	}
	p.conns = &httpserver.Server{Handler: goHandler, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 5 * time.Second}
	p.loop = &Server{
		Handler: HandlerFunc(func(r *http.Request, body []byte, res *Responder) {
			if strings.HasPrefix(r.URL.Path, "/go/") {
				if res.HandOff() {
					return
				}
				path := r.URL.Path
				go res.Respond(200, http.Header{}, []byte("refused "+path))
				return
			}
			res.Respond(200, http.Header{}, []byte("loop "+r.URL.Path))
		}),
		HandOff:           p.conns.ServeConn,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       5 * time.Second,
		Loops:             2,
	}
	p.addr = serve(t, p.loop)
	t.Cleanup(func() { p.conns.Close() })
	return p
}

// roundTrips writes raw on one connection and reads n responses.
func roundTrips(t *testing.T, c net.Conn, br *bufio.Reader, raw string, n int) []string {
	t.Helper()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	var got []string
	for range n {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("after %q: %v", got, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got = append(got, fmt.Sprintf("%d %s", resp.StatusCode, b))
		if resp.Close {
			got = append(got, "close")
		}
	}
	return got
}

func dial(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, bufio.NewReader(c)
}

func get(path string) string { return "GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n" }

// A connection is served on the loop until a request needs a goroutine;
// from then on the goroutine server serves it, starting with that request
// (its body included).
func TestHandOffServesTheRequestAndTheRest(t *testing.T) {
	p := newHandOffPair(t, nil)
	c, br := dial(t, p.addr)
	var got []string
	got = append(got, roundTrips(t, c, br, get("/a"), 1)...)
	got = append(got, roundTrips(t, c, br, "POST /go/b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", 1)...)
	got = append(got, roundTrips(t, c, br, get("/c"), 1)...)
	got = append(got, roundTrips(t, c, br, "POST /go/d HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 1)...)
	want := []string{"200 loop /a", "200 goroutine POST /go/b hello", "200 goroutine GET /c ", "200 goroutine POST /go/d abc"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// Requests pipelined behind the one handed off go with it, in order.
func TestHandOffTakesPipelinedRequests(t *testing.T) {
	p := newHandOffPair(t, nil)
	c, br := dial(t, p.addr)
	got := roundTrips(t, c, br, get("/go/1")+"POST /go/2 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nxy"+get("/3"), 3)
	want := []string{"200 goroutine GET /go/1 ", "200 goroutine POST /go/2 xy", "200 goroutine GET /3 "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// With an earlier response still unwritten (a pipelined request answered
// on the loop just before), the hand-off is refused and the request is
// served where it is; the connection stays on the loop.
func TestHandOffRefusedBehindUnwrittenOutput(t *testing.T) {
	p := newHandOffPair(t, nil)
	c, br := dial(t, p.addr)
	got := roundTrips(t, c, br, get("/1")+get("/go/2"), 2)
	got = append(got, roundTrips(t, c, br, get("/3"), 1)...)
	want := []string{"200 loop /1", "200 refused /go/2", "200 loop /3"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// "100 Continue" sent by the loop: the goroutine server must not send it
// again, so the hand-off is refused.
func TestHandOffRefusedAfterContinue(t *testing.T) {
	p := newHandOffPair(t, nil)
	c, br := dial(t, p.addr)
	c.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(c, "POST /go/x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
	line, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100 ") {
		t.Fatalf("interim response %q, %v", line, err)
	}
	br.ReadString('\n')
	got := roundTrips(t, c, br, "abc", 1)
	if got[0] != "200 refused /go/x" {
		t.Fatalf("got %q", got)
	}
}

// Connection: close on the request handed off: answered, then closed.
func TestHandOffConnectionClose(t *testing.T) {
	p := newHandOffPair(t, nil)
	c, br := dial(t, p.addr)
	got := roundTrips(t, c, br, "GET /go/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 1)
	if strings.Join(got, "|") != "200 goroutine GET /go/x |close" {
		t.Fatalf("got %q", got)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("after the close: %v, want EOF", err)
	}
}

// A client that sends a request and goes away at once costs nothing but
// the connection; the servers go on.
func TestHandOffClientGone(t *testing.T) {
	p := newHandOffPair(t, nil)
	for range 20 {
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, get("/go/gone")+"GET /go/half")
		c.Close()
	}
	c, br := dial(t, p.addr)
	if got := roundTrips(t, c, br, get("/go/after"), 1); got[0] != "200 goroutine GET /go/after " {
		t.Fatalf("got %q", got)
	}
}

// Many connections handed off at once, each with several requests.
func TestHandOffManyConnections(t *testing.T) {
	p := newHandOffPair(t, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Go(func() {
			c, err := net.Dial("tcp", p.addr)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(20 * time.Second))
			br := bufio.NewReader(c)
			for j := range 5 {
				path := fmt.Sprintf("/go/%d/%d", i, j)
				if j == 0 {
					path = fmt.Sprintf("/%d/%d", i, j)
				}
				io.WriteString(c, get(path))
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					errs <- err
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				want := "goroutine GET " + path + " "
				if j == 0 {
					want = "loop " + path
				}
				if string(b) != want {
					errs <- fmt.Errorf("%s: %q, want %q", path, b, want)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Shutdown of both servers (the loop's first, as gatehouse serve does): an
// idle handed-off connection is closed, a busy one gets its response
// first.
func TestHandOffShutdown(t *testing.T) {
	p := newHandOffPair(t, nil)
	idle, idleBR := dial(t, p.addr)
	roundTrips(t, idle, idleBR, get("/go/idle"), 1)
	busy, busyBR := dial(t, p.addr)
	busy.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(busy, get("/go/block"))
	select {
	case <-p.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the handed-off request never reached its handler")
	}
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := p.loop.Shutdown(ctx)
		if err2 := p.conns.Shutdown(ctx); err == nil {
			err = err2
		}
		done <- err
	}()
	idle.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := idleBR.ReadByte(); err != io.EOF {
		t.Errorf("idle handed-off connection: %v, want EOF", err)
	}
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) while a handed-off request was in flight", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(p.block)
	resp, err := http.ReadResponse(busyBR, nil)
	if err != nil {
		t.Fatalf("busy handed-off connection: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	if string(b) != "goroutine GET /go/block " {
		t.Errorf("busy: %q", b)
	}
	if err := <-done; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

// The differential test against net/http, with every request that reaches
// the handler handed off to the goroutine server (which serves the
// shared test handler).
func TestHandOffSameAsNetHTTP(t *testing.T) {
	std, _, _ := startBoth(t, nil)
	conns := &httpserver.Server{Handler: http.HandlerFunc(testHandler), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 5 * time.Second}
	t.Cleanup(func() { conns.Close() })
	fallback := FromHTTPHandler(http.HandlerFunc(testHandler))
	s := &Server{
		Handler: HandlerFunc(func(r *http.Request, body []byte, res *Responder) {
			if !res.HandOff() {
				fallback.ServeLoop(r, body, res)
			}
		}),
		HandOff:           conns.ServeConn,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       5 * time.Second,
	}
	httpdiff.SameAsNetHTTP(t, std, serve(t, s))
}

// A body larger than a pooled read buffer goes with the connection without
// a copy; small and large bodies arrive whole.
func TestHandOffLargeBody(t *testing.T) {
	p := newHandOffPair(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%d %s", len(b), b[len(b)-3:])
	}))
	c, br := dial(t, p.addr)
	big := strings.Repeat("x", 300<<10) + "end"
	got := roundTrips(t, c, br, fmt.Sprintf("POST /go/big HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n%s", len(big), big)+
		"POST /go/small HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\nabcEND", 2)
	want := []string{fmt.Sprintf("200 %d end", len(big)), "200 6 END"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
}
