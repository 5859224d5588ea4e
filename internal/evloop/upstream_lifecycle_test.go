//go:build linux

package evloop

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// TestUpstreamEarlyResponseNotPooled: a backend may answer before it has
// read the whole request (keep-alive, discarding the rest of the body
// afterwards). The connection must not go back to the pool with part of
// the request unwritten: the next request on it would be read by the
// backend as the rest of the first one's body.
func TestUpstreamEarlyResponseNotPooled(t *testing.T) {
	const bigBody = 24 << 20 // more than loopback's socket buffers take without the backend reading
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
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					if req.URL.Path == "/big" {
						// Answer at once, then (a little later) discard the
						// body to keep the connection usable.
						c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nbig"))
						time.Sleep(300 * time.Millisecond)
					}
					io.Copy(io.Discard, req.Body)
					body := "hello " + req.URL.Path
					if req.URL.Path != "/big" {
						c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body))
					}
				}
			}()
		}
	}()
	backend := ln.Addr().String()
	big := append([]byte("POST /big HTTP/1.1\r\nHost: b\r\nContent-Length: "+strconv.Itoa(bigBody)+"\r\n\r\n"), make([]byte, bigBody)...)
	s := &Server{Loops: 1, Handler: HandlerFunc(func(r *http.Request, body []byte, res *Responder) {
		var got []byte
		u := &Upstream{Addr: backend, Deadline: time.Now().Add(2 * time.Second)}
		if r.URL.Path == "/big" {
			u.Request = big
		} else {
			u.Request = []byte("GET " + r.URL.Path + " HTTP/1.1\r\nHost: b\r\n\r\n")
		}
		u.Handler = &upFuncs{parse: clParse(&got), done: func(err error) {
			if err != nil {
				res.Respond(502, http.Header{}, []byte(err.Error()))
				return
			}
			res.Respond(200, http.Header{}, append([]byte(nil), got...))
		}}
		res.Upstream(u)
	})}
	addr := serve(t, s)
	got := exchange(t, addr, "GET /big HTTP/1.1\r\nHost: h\r\n\r\nGET /small HTTP/1.1\r\nHost: h\r\n\r\n", 2, false)
	if len(got) != 2 || got[0].Body != "big" || got[1].Status != 200 || got[1].Body != "hello /small" {
		t.Fatalf("a request after an early response: %+v", got)
	}
}

// TestUpstreamPoolKeepsNoLargeBuffers: an idle pooled connection does not
// hold on to the buffers of a large request or response (up to 256 idle
// connections per backend and loop).
func TestUpstreamPoolKeepsNoLargeBuffers(t *testing.T) {
	const size = 4 << 20
	backend := rawBackend(t, new(atomic.Int64), func(c net.Conn, path string) bool {
		n := 2
		if path == "/big" {
			n = size
		}
		c.Write(append([]byte("HTTP/1.1 200 OK\r\nContent-Length: "+strconv.Itoa(n)+"\r\n\r\n"), make([]byte, n)...))
		return true
	})
	s := &Server{Loops: 1, Handler: HandlerFunc(func(r *http.Request, body []byte, res *Responder) {
		if r.URL.Path == "/inspect" { // on the loop: what the pool holds
			var held int
			for _, uc := range res.c.l.idle[backend] {
				held += cap(uc.in) + cap(uc.out)
			}
			res.Respond(200, http.Header{}, []byte(strconv.Itoa(held)))
			return
		}
		var got []byte
		req := []byte("GET " + r.URL.Path + " HTTP/1.1\r\nHost: b\r\n\r\n")
		if r.URL.Path == "/big" {
			req = append([]byte("POST /big HTTP/1.1\r\nHost: b\r\nContent-Length: "+strconv.Itoa(size)+"\r\n\r\n"), make([]byte, size)...)
		}
		res.Upstream(&Upstream{Addr: backend, Request: req, Deadline: time.Now().Add(5 * time.Second), Handler: &upFuncs{parse: clParse(&got),
			done: func(err error) {
				if err != nil {
					res.Respond(502, http.Header{}, []byte(err.Error()))
					return
				}
				res.Respond(200, http.Header{}, []byte(strconv.Itoa(len(got))))
			}}})
	})}
	addr := serve(t, s)
	got := exchange(t, addr, "GET /big HTTP/1.1\r\nHost: h\r\n\r\nGET /inspect HTTP/1.1\r\nHost: h\r\n\r\n", 2, false)
	if len(got) != 2 || got[0].Body != strconv.Itoa(size) {
		t.Fatalf("%+v", got)
	}
	if held, _ := strconv.Atoi(got[1].Body); held > 256<<10 {
		t.Errorf("the idle pool holds %d bytes of buffers after one large exchange", held)
	}
}
