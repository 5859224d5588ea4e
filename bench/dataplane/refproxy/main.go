// Command refproxy is a set of minimal reverse proxies (stdlib only) used as
// reference points by bench/dataplane/run.sh (REFS=...): they do what the
// benchmark's Gatehouse route does — GET /api/{proxy+} → upstream /{proxy},
// plus one added request header — and nothing else, so they show what a Go
// proxy built on each HTTP stack can reach on the same machine in the same run.
//
//	refproxy -mode reverseproxy|nethttp|syncclient|rawserver|evloop -listen 127.0.0.1:0 -port-file F -upstream http://127.0.0.1:UP
//
// Modes:
//
//	reverseproxy  stock net/http/httputil.ReverseProxy (Rewrite strips /api).
//	nethttp       net/http server + http.Transport client, buffered like
//	              Gatehouse (whole body read, then written with Content-Length):
//	              the ceiling of Gatehouse's current architecture.
//	syncclient    net/http server + a synchronous HTTP/1.1 client: a pool of
//	              keep-alive connections, each used by one request at a time
//	              from the handler's goroutine (no readLoop/writeLoop goroutines,
//	              no per-request context plumbing), the response parsed with
//	              http.ReadResponse. Shows what replacing http.Transport alone gains.
//	rawserver     syncclient's upstream side behind a hand-written HTTP/1.1
//	              server instead of net/http's: a goroutine per connection reading
//	              request heads with net/textproto and writing responses through
//	              one bufio.Writer (no per-request background read, no response
//	              object). Shows what replacing the inbound server alone gains.
//	evloop        nginx's model (Linux only): an epoll loop per P on a locked OS
//	              thread, each with its own SO_REUSEPORT listener and upstream
//	              keep-alive pool; requests are state machines driven by
//	              readiness events, no goroutine per connection or request.
//	              Shows the ceiling of an event-loop data plane in Go.
//
// nethttp, syncclient, rawserver and evloop forward no request body (the benchmark sends GETs) and
// have no timeouts, mappings or error pages: they are reference points, not proxies.
package main

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/textproto"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

func requestID() string {
	var b [10]byte
	rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// hop-by-hop headers (RFC 9110 §7.6.1)
var hopByHop = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

func main() {
	mode := flag.String("mode", "nethttp", "reverseproxy, nethttp, syncclient, rawserver or evloop")
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	portFile := flag.String("port-file", "", "write the chosen port here once listening")
	upstream := flag.String("upstream", "", "upstream base URL (http://host:port)")
	flag.Parse()
	up, err := url.Parse(*upstream)
	if err != nil || up.Scheme != "http" || up.Host == "" {
		log.Fatalf("bad -upstream %q", *upstream)
	}
	var h http.Handler
	switch *mode {
	case "reverseproxy":
		h = &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(up)
			pr.Out.URL.Path = strings.TrimPrefix(pr.In.URL.Path, "/api")
			pr.Out.URL.RawPath = ""
			pr.Out.Header.Set("X-Request-Id", requestID())
		}}
	case "nethttp":
		h = netHTTPProxy(up)
	case "syncclient":
		h = syncProxy(up.Host)
	case "rawserver":
	case "evloop":
		evloopServe(*listen, up.Host, *portFile)
		return
	default:
		log.Fatalf("unknown -mode %q", *mode)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	if *portFile != "" {
		if err := os.WriteFile(*portFile, []byte(fmt.Sprintf("%d\n", ln.Addr().(*net.TCPAddr).Port)), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	if *mode == "rawserver" {
		rawServe(ln, &syncPool{addr: up.Host})
		return
	}
	log.Fatal((&http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}).Serve(ln))
}

// netHTTPProxy buffers like Gatehouse: copy headers, add one, round trip with
// http.Transport, read the whole body, write it with Content-Length.
func netHTTPProxy(up *url.URL) http.Handler {
	tr := &http.Transport{Proxy: nil, MaxIdleConns: 4096, MaxIdleConnsPerHost: 1024, IdleConnTimeout: 90 * time.Second}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, ok := strings.CutPrefix(r.URL.Path, "/api")
		if !ok {
			http.NotFound(w, r)
			return
		}
		u := *up
		u.Path, u.RawQuery = path, r.URL.RawQuery
		out, _ := http.NewRequestWithContext(r.Context(), r.Method, u.String(), http.NoBody)
		out.Header = r.Header.Clone()
		for _, k := range hopByHop {
			delete(out.Header, k)
		}
		out.Header["X-Request-Id"] = []string{requestID()}
		resp, err := tr.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		for _, k := range hopByHop {
			delete(resp.Header, k)
		}
		hd := w.Header()
		for k, vs := range resp.Header {
			hd[k] = vs
		}
		hd["Content-Length"] = []string{strconv.Itoa(len(body))}
		w.WriteHeader(resp.StatusCode)
		w.Write(body)
	})
}

// syncConn is one keep-alive connection to the upstream.
type syncConn struct {
	c  net.Conn
	br *bufio.Reader
	bw *bufio.Writer
}

type syncPool struct {
	addr string
	mu   sync.Mutex
	idle []*syncConn
}

func (p *syncPool) get() (*syncConn, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	c, err := net.DialTimeout("tcp", p.addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	return &syncConn{c: c, br: bufio.NewReaderSize(c, 4096), bw: bufio.NewWriterSize(c, 4096)}, nil
}

func (p *syncPool) put(c *syncConn) {
	p.mu.Lock()
	if len(p.idle) < 1024 {
		p.idle = append(p.idle, c)
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	c.c.Close()
}

var errRetry = errors.New("stale connection")

// roundTrip writes the request and reads the whole response on one pooled
// connection, synchronously.
func (p *syncPool) roundTrip(method, target string, h http.Header) (*http.Response, []byte, error) {
	for attempt := 0; ; attempt++ {
		c, err := p.get()
		if err != nil {
			return nil, nil, err
		}
		resp, body, err := c.do(method, target, p.addr, h)
		if err == nil {
			if resp.Close {
				c.c.Close()
			} else {
				p.put(c)
			}
			return resp, body, nil
		}
		c.c.Close()
		if attempt > 0 || !errors.Is(err, errRetry) {
			return nil, nil, err
		}
	}
}

func (c *syncConn) do(method, target, host string, h http.Header) (*http.Response, []byte, error) {
	bw := c.bw
	bw.WriteString(method)
	bw.WriteByte(' ')
	bw.WriteString(target)
	bw.WriteString(" HTTP/1.1\r\nHost: ")
	bw.WriteString(host)
	bw.WriteString("\r\n")
	for k, vs := range h {
		for _, v := range vs {
			bw.WriteString(k)
			bw.WriteString(": ")
			bw.WriteString(v)
			bw.WriteString("\r\n")
		}
	}
	bw.WriteString("\r\n")
	if err := bw.Flush(); err != nil {
		return nil, nil, errRetry
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = errRetry // the upstream closed an idle connection: retry once on a new one
		}
		return nil, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, body, err
}

func syncProxy(addr string) http.Handler {
	p := &syncPool{addr: addr}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, ok := strings.CutPrefix(r.URL.EscapedPath(), "/api")
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.RawQuery != "" {
			path += "?" + r.URL.RawQuery
		}
		h := make(http.Header, len(r.Header)+1)
		for k, vs := range r.Header {
			h[k] = vs
		}
		for _, k := range hopByHop {
			delete(h, k)
		}
		h["X-Request-Id"] = []string{requestID()}
		resp, body, err := p.roundTrip(r.Method, path, h)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		for _, k := range hopByHop {
			delete(resp.Header, k)
		}
		hd := w.Header()
		for k, vs := range resp.Header {
			hd[k] = vs
		}
		hd["Content-Length"] = []string{strconv.Itoa(len(body))}
		w.WriteHeader(resp.StatusCode)
		w.Write(body)
	})
}

// rawServe is a minimal HTTP/1.1 server: GET /api/{path} only, no bodies, no
// timeouts. A reference point, not a server.
func rawServe(ln net.Listener, p *syncPool) {
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go rawConn(c, p)
	}
}

func rawConn(c net.Conn, p *syncPool) {
	defer c.Close()
	br := bufio.NewReaderSize(c, 4096)
	bw := bufio.NewWriterSize(c, 4096)
	tp := textproto.NewReader(br)
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		method, rest, _ := strings.Cut(line, " ")
		target, _, _ := strings.Cut(rest, " ")
		mh, err := tp.ReadMIMEHeader()
		if err != nil {
			return
		}
		path, ok := strings.CutPrefix(target, "/api")
		if !ok {
			bw.WriteString("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
		} else {
			h := http.Header(mh)
			delete(h, "Host") // syncConn writes its own
			for _, k := range hopByHop {
				delete(h, k)
			}
			h["X-Request-Id"] = []string{requestID()}
			resp, body, err := p.roundTrip(method, path, h)
			if err != nil {
				return
			}
			for _, k := range hopByHop {
				delete(resp.Header, k)
			}
			resp.Header["Content-Length"] = []string{strconv.Itoa(len(body))}
			fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", resp.StatusCode, http.StatusText(resp.StatusCode))
			resp.Header.Write(bw)
			bw.WriteString("\r\n")
			bw.Write(body)
		}
		if br.Buffered() == 0 { // flush unless the client pipelined another request
			if bw.Flush() != nil {
				return
			}
		}
	}
}
