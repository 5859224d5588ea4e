//go:build linux

package evloop

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// TestUpstreamDoneAtClose: Done runs exactly once for every exchange, even
// when the loop ends (Close, or Shutdown once the client has gone) while
// the backend has not answered.
func TestUpstreamDoneAtClose(t *testing.T) {
	for _, how := range []string{"close", "shutdown"} {
		t.Run(how, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ln.Close() })
			arrived := make(chan struct{}, 1)
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					go func() { // reads the request, never answers
						defer c.Close()
						http.ReadRequest(bufio.NewReader(c))
						arrived <- struct{}{}
						io.Copy(io.Discard, c)
					}()
				}
			}()
			backend := ln.Addr().String()
			var calls atomic.Int32
			done := make(chan error, 4)
			s := &Server{Loops: 1, Handler: HandlerFunc(func(r *http.Request, body []byte, res *Responder) {
				var got []byte
				res.Upstream(&Upstream{Addr: backend, Request: []byte("GET / HTTP/1.1\r\nHost: b\r\n\r\n"),
					Deadline: time.Now().Add(time.Minute), Idempotent: true, Handler: &upFuncs{parse: clParse(&got),
						done: func(err error) {
							calls.Add(1)
							done <- err
							res.Respond(502, http.Header{}, nil)
						}}})
			})}
			addr := serve(t, s)
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.Write([]byte("GET / HTTP/1.1\r\nHost: h\r\n\r\n"))
			select {
			case <-arrived:
			case <-time.After(5 * time.Second):
				t.Fatal("the backend got no request")
			}
			if how == "close" {
				s.Close()
			} else {
				// The client resets its connection: the loop closes it
				// and, shutting down, has no connection left.
				c.(*net.TCPConn).SetLinger(0)
				c.Close()
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				if err := s.Shutdown(ctx); err != nil {
					t.Fatal(err)
				}
			}
			select {
			case err := <-done:
				if err == nil {
					t.Errorf("Done(nil) for an exchange the loop abandoned")
				}
			case <-time.After(time.Second):
				t.Fatal("Done was not called for the exchange in flight when the loop ended")
			}
			time.Sleep(50 * time.Millisecond)
			if n := calls.Load(); n != 1 {
				t.Errorf("Done called %d times", n)
			}
		})
	}
}
