//go:build linux

package evloop

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestHandlerContract: a loop handler may answer inline or later from
// another goroutine, and sees the request as httpserver's handlers do.
func TestHandlerContract(t *testing.T) {
	s := &Server{Handler: HandlerFunc(func(r *http.Request, body []byte, res *Responder) {
		desc := fmt.Sprintf("%s %s %s %s host=%s path=%s q=%s cl=%d body=%s remote=%v ctx=%v",
			r.Method, r.RequestURI, r.Proto, r.URL.Path, r.Host, r.URL.Path, r.URL.RawQuery, r.ContentLength, body,
			strings.HasPrefix(r.RemoteAddr, "127.0.0.1:"), r.Context() != nil)
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			desc += " rbody=" + string(b)
		}
		if r.URL.Path == "/later" {
			go func() {
				time.Sleep(10 * time.Millisecond)
				res.Respond(202, http.Header{"X-Later": {"1"}}, []byte(desc))
			}()
			return
		}
		if r.URL.Path == "/head" {
			res.Respond(200, http.Header{"Content-Length": {"42"}}, nil)
			return
		}
		res.Respond(200, http.Header{"Content-Type": {"text/plain"}}, []byte(desc))
	})}
	addr := serve(t, s)
	got := exchange(t, addr, "POST /inline?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\n\r\nabc"+
		"GET /later HTTP/1.1\r\nHost: h2\r\n\r\n", 2, false)
	if len(got) != 2 {
		t.Fatalf("%+v", got)
	}
	if want := "POST /inline?x=1 HTTP/1.1 /inline host=example.com path=/inline q=x=1 cl=3 body=abc remote=true ctx=true rbody=abc"; got[0].Body != want || got[0].Status != 200 {
		t.Errorf("inline: %d %q, want %q", got[0].Status, got[0].Body, want)
	}
	if got[1].Status != 202 || got[1].Header.Get("X-Later") != "1" || !strings.HasPrefix(got[1].Body, "GET /later HTTP/1.1 /later host=h2") {
		t.Errorf("later: %+v", got[1])
	}
	head := exchange(t, addr, "HEAD /head HTTP/1.1\r\nHost: h\r\n\r\n", 1, true)
	if len(head) != 1 || head[0].Header.Get("Content-Length") != "42" || head[0].Closed {
		t.Errorf("HEAD: %+v", head)
	}
}

// TestPipelinedAnswersInOrder: many requests in one write, answered by a
// handler that finishes them in random order, come back in request order.
func TestPipelinedAnswersInOrder(t *testing.T) {
	s := &Server{Handler: HandlerFunc(func(r *http.Request, body []byte, res *Responder) {
		id := r.URL.Query().Get("id")
		if rand.IntN(2) == 0 {
			res.Respond(200, nil, []byte(id))
			return
		}
		go func() {
			time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond)
			res.Respond(200, nil, []byte(id))
		}()
	})}
	addr := serve(t, s)
	var raw strings.Builder
	const n = 300
	for i := range n {
		fmt.Fprintf(&raw, "POST /?id=%d HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n%s", i, i%7, strings.Repeat("b", i%7))
	}
	got := exchange(t, addr, raw.String(), n, false)
	if len(got) != n {
		t.Fatalf("%d responses, want %d", len(got), n)
	}
	for i, r := range got {
		if r.Body != strconv.Itoa(i) {
			t.Fatalf("response %d: %q", i, r.Body)
		}
	}
}

// TestManyLoopsManyClients: several loops share the port; every client on
// every loop gets its own answers over keep-alive connections.
func TestManyLoopsManyClients(t *testing.T) {
	s := &Server{Loops: 4, Handler: FromHTTPHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Write(append([]byte(r.URL.Path+":"), b...))
	}))}
	addr := serve(t, s)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				path := fmt.Sprintf("/g%d/r%d", g, i)
				body := strings.Repeat("x", (g*i)%5000)
				resp, err := client.Post("http://"+addr+path, "text/plain", strings.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(b) != path+":"+body {
					errs <- fmt.Errorf("%s: got %.40q", path, b)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestLargeResponseToASlowReader: a response larger than the socket
// buffers is written as the client reads (EPOLLOUT), whole.
func TestLargeResponseToASlowReader(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<19) // 8 MB
	s := &Server{Handler: HandlerFunc(func(r *http.Request, body []byte, res *Responder) {
		res.Respond(200, nil, big)
	})}
	addr := serve(t, s)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")
	time.Sleep(100 * time.Millisecond) // let the server fill the socket
	br := bufio.NewReader(c)
	for i := range 2 {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		if err != nil || !bytes.Equal(b, big) {
			t.Fatalf("response %d: %d bytes, %v", i, len(b), err)
		}
	}
}

// TestWriteTimeout: a client that does not read a large response is cut off.
func TestWriteTimeout(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 32<<20)
	s := &Server{WriteTimeout: 200 * time.Millisecond, Handler: HandlerFunc(func(r *http.Request, body []byte, res *Responder) {
		res.Respond(200, nil, big)
	})}
	addr := serve(t, s)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n")
	time.Sleep(time.Second)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := io.Copy(io.Discard, c)
	if n >= int64(len(big)) {
		t.Fatalf("read %d bytes (%v): the whole response, want it cut off", n, err)
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server did not close the connection: %v", err)
	}
}

// TestCloseDropsLateAnswers: Close ends the loops at once; an answer given
// afterwards goes nowhere and does not panic.
func TestCloseDropsLateAnswers(t *testing.T) {
	held := make(chan *Responder, 1)
	s := &Server{Handler: HandlerFunc(func(r *http.Request, body []byte, res *Responder) { held <- res })}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n")
	res := <-held
	s.Close()
	<-served
	res.Respond(200, nil, []byte("late"))
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if b, _ := io.ReadAll(c); len(b) != 0 {
		t.Fatalf("got %q after Close", b)
	}
}
