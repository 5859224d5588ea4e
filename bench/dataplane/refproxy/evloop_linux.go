//go:build linux

package main

import (
	"bytes"
	"fmt"
	"log"
	"net"
	"os"
	"runtime"
	"strconv"
	"syscall"
)

// evloop is nginx's model in Go: one epoll loop per P, each on its own
// locked OS thread with its own SO_REUSEPORT listener and its own pool of
// keep-alive upstream connections. A request is a state machine driven by
// readiness events: no goroutine per connection or request, no channel, no
// netpoller park and wake-up. It does what the other modes do (strip /api,
// drop hop-by-hop headers, add X-Request-Id, relay the buffered response)
// and nothing else: a ceiling for an event-loop data plane, not a proxy.
func evloopServe(listen, upstream, portFile string) {
	upAddr, err := net.ResolveTCPAddr("tcp4", upstream)
	if err != nil {
		log.Fatal(err)
	}
	var up syscall.SockaddrInet4
	copy(up.Addr[:], upAddr.IP.To4())
	up.Port = upAddr.Port
	la, err := net.ResolveTCPAddr("tcp4", listen)
	if err != nil {
		log.Fatal(err)
	}
	n := runtime.GOMAXPROCS(0)
	loops := make([]*evLoop, n)
	port := la.Port
	for i := range loops {
		l, err := newEvLoop(la.IP.To4(), port, up, upstream)
		if err != nil {
			log.Fatal(err)
		}
		if port == 0 {
			sa, err := syscall.Getsockname(l.lfd)
			if err != nil {
				log.Fatal(err)
			}
			port = sa.(*syscall.SockaddrInet4).Port
		}
		loops[i] = l
	}
	if portFile != "" {
		if err := os.WriteFile(portFile, []byte(fmt.Sprintf("%d\n", port)), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	done := make(chan struct{})
	for _, l := range loops {
		go func() {
			runtime.LockOSThread()
			l.run()
			close(done)
		}()
	}
	<-done
}

type evConn struct {
	fd       int
	upstream bool
	in       []byte  // read, not yet consumed
	out      []byte  // to write
	peer     *evConn // the other side while a request is in flight
	wantOut  bool    // registered for EPOLLOUT
}

type evLoop struct {
	ep, lfd  int
	up       syscall.SockaddrInet4
	upHost   string
	conns    []*evConn // by fd
	idle     []*evConn // idle upstream connections
	events   [128]syscall.EpollEvent
	buf      [64 << 10]byte
	hostLine []byte
}

func newEvLoop(ip net.IP, port int, up syscall.SockaddrInet4, upHost string) (*evLoop, error) {
	lfd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	syscall.SetsockoptInt(lfd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	syscall.SetsockoptInt(lfd, syscall.SOL_SOCKET, 0xf /* SO_REUSEPORT */, 1)
	var sa syscall.SockaddrInet4
	copy(sa.Addr[:], ip)
	sa.Port = port
	if err := syscall.Bind(lfd, &sa); err != nil {
		return nil, err
	}
	if err := syscall.Listen(lfd, 4096); err != nil {
		return nil, err
	}
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	l := &evLoop{ep: ep, lfd: lfd, up: up, upHost: upHost, hostLine: []byte("Host: " + upHost + "\r\n")}
	if err := syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, lfd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(lfd)}); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *evLoop) run() {
	for {
		n, err := syscall.EpollWait(l.ep, l.events[:], -1)
		if err != nil {
			if err == syscall.EINTR {
				continue
			}
			log.Fatal(err)
		}
		for i := 0; i < n; i++ {
			ev := l.events[i]
			fd := int(ev.Fd)
			if fd == l.lfd {
				l.accept()
				continue
			}
			if fd >= len(l.conns) || l.conns[fd] == nil {
				continue
			}
			c := l.conns[fd]
			if ev.Events&(syscall.EPOLLIN|syscall.EPOLLHUP|syscall.EPOLLERR) != 0 {
				l.readable(c)
			}
			if ev.Events&syscall.EPOLLOUT != 0 && l.conns[fd] == c {
				l.flush(c)
			}
		}
	}
}

func (l *evLoop) add(c *evConn) {
	for c.fd >= len(l.conns) {
		l.conns = append(l.conns, make([]*evConn, len(l.conns)+64)...)
	}
	l.conns[c.fd] = c
	syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_ADD, c.fd, &syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP, Fd: int32(c.fd)})
}

func (l *evLoop) close(c *evConn) {
	if l.conns[c.fd] != c {
		return
	}
	l.conns[c.fd] = nil
	syscall.Close(c.fd) // also leaves the epoll set
	if p := c.peer; p != nil {
		c.peer, p.peer = nil, nil
		if p.upstream { // mid-response: the connection cannot be reused
			l.close(p)
		} else {
			l.close(p) // the client loses its in-flight request
		}
	}
}

func (l *evLoop) accept() {
	for {
		fd, _, err := syscall.Accept4(l.lfd, syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
		if err != nil {
			return // EAGAIN (or a transient error): wait for the next event
		}
		syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
		l.add(&evConn{fd: fd})
	}
}

func (l *evLoop) readable(c *evConn) {
	for {
		n, err := syscall.Read(c.fd, l.buf[:])
		if n > 0 {
			c.in = append(c.in, l.buf[:n]...)
			if n == len(l.buf) {
				continue
			}
			break
		}
		if err == syscall.EAGAIN {
			break
		}
		if err == syscall.EINTR {
			continue
		}
		l.close(c) // EOF or error
		return
	}
	if len(c.in) > 1<<20 {
		l.close(c)
		return
	}
	if c.upstream {
		l.upstreamData(c)
	} else {
		l.clientData(c)
	}
}

var (
	crlf2    = []byte("\r\n\r\n")
	hopNames = [][]byte{[]byte("connection"), []byte("keep-alive"), []byte("proxy-connection"), []byte("proxy-authenticate"),
		[]byte("proxy-authorization"), []byte("te"), []byte("trailer"), []byte("transfer-encoding"), []byte("upgrade")}
)

func skipHeader(name []byte, extra ...[]byte) bool {
	for _, h := range hopNames {
		if bytes.EqualFold(name, h) {
			return true
		}
	}
	for _, h := range extra {
		if bytes.EqualFold(name, h) {
			return true
		}
	}
	return false
}

var hostName = []byte("host")

// clientData starts the next request once its head is complete (GET only:
// the benchmark sends no bodies).
func (l *evLoop) clientData(c *evConn) {
	if c.peer != nil {
		return // a request is in flight; a pipelined one waits
	}
	end := bytes.Index(c.in, crlf2)
	if end < 0 {
		return
	}
	head := c.in[:end+2]
	rest := c.in[end+4:]
	lineEnd := bytes.Index(head, []byte("\r\n"))
	line := head[:lineEnd]
	sp1 := bytes.IndexByte(line, ' ')
	sp2 := bytes.LastIndexByte(line, ' ')
	if sp1 < 0 || sp2 <= sp1 {
		l.close(c)
		return
	}
	method, target := line[:sp1], line[sp1+1:sp2]
	path, ok := bytes.CutPrefix(target, []byte("/api"))
	if !ok {
		c.out = append(c.out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"...)
		c.in = append(c.in[:0], rest...)
		l.flush(c)
		return
	}
	u := l.upstreamConn()
	if u == nil {
		l.close(c)
		return
	}
	o := u.out[:0]
	o = append(o, method...)
	o = append(o, ' ')
	o = append(o, path...)
	o = append(o, " HTTP/1.1\r\n"...)
	o = append(o, l.hostLine...)
	for h := head[lineEnd+2:]; len(h) > 0; {
		i := bytes.Index(h, []byte("\r\n"))
		hl := h[:i]
		h = h[i+2:]
		colon := bytes.IndexByte(hl, ':')
		if colon <= 0 || skipHeader(hl[:colon], hostName) {
			continue
		}
		o = append(o, hl...)
		o = append(o, '\r', '\n')
	}
	o = append(o, "X-Request-Id: "...)
	o = append(o, requestID()...)
	o = append(o, "\r\n\r\n"...)
	u.out = o
	c.in = append(c.in[:0], rest...)
	c.peer, u.peer = u, c
	l.flush(u)
}

var contentLength = []byte("content-length")

// upstreamData relays a complete response (Content-Length framed, as the
// benchmark upstream sends) to the client and returns the connection to the pool.
func (l *evLoop) upstreamData(u *evConn) {
	c := u.peer
	if c == nil {
		l.close(u) // data on an idle connection: drop it
		return
	}
	end := bytes.Index(u.in, crlf2)
	if end < 0 {
		return
	}
	head := u.in[:end+2]
	lineEnd := bytes.Index(head, []byte("\r\n"))
	clen := -1
	for h := head[lineEnd+2:]; len(h) > 0; {
		i := bytes.Index(h, []byte("\r\n"))
		hl := h[:i]
		h = h[i+2:]
		if colon := bytes.IndexByte(hl, ':'); colon > 0 && bytes.EqualFold(hl[:colon], contentLength) {
			clen, _ = strconv.Atoi(string(bytes.TrimSpace(hl[colon+1:])))
		}
	}
	if clen < 0 || len(u.in) < end+4+clen {
		if clen < 0 {
			l.close(u)
		}
		return
	}
	o := c.out
	o = append(o, head[:lineEnd+2]...)
	for h := head[lineEnd+2:]; len(h) > 0; {
		i := bytes.Index(h, []byte("\r\n"))
		hl := h[:i]
		h = h[i+2:]
		if colon := bytes.IndexByte(hl, ':'); colon > 0 && skipHeader(hl[:colon]) {
			continue
		}
		o = append(o, hl...)
		o = append(o, '\r', '\n')
	}
	o = append(o, '\r', '\n')
	o = append(o, u.in[end+4:end+4+clen]...)
	c.out = o
	u.in = append(u.in[:0], u.in[end+4+clen:]...)
	c.peer, u.peer = nil, nil
	l.idle = append(l.idle, u)
	l.flush(c)
	if l.conns[c.fd] == c && len(c.in) > 0 {
		l.clientData(c) // a pipelined request
	}
}

func (l *evLoop) upstreamConn() *evConn {
	if n := len(l.idle); n > 0 {
		u := l.idle[n-1]
		l.idle = l.idle[:n-1]
		return u
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	if err := syscall.Connect(fd, &l.up); err != nil { // loopback: immediate
		syscall.Close(fd)
		return nil
	}
	syscall.SetNonblock(fd, true)
	syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
	u := &evConn{fd: fd, upstream: true}
	l.add(u)
	return u
}

// flush writes what c has to write, registering for EPOLLOUT while the
// socket is full.
func (l *evLoop) flush(c *evConn) {
	for len(c.out) > 0 {
		n, err := syscall.Write(c.fd, c.out)
		if n > 0 {
			c.out = c.out[:copy(c.out, c.out[n:])]
			continue
		}
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.EAGAIN {
			if !c.wantOut {
				c.wantOut = true
				syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_MOD, c.fd, &syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP | syscall.EPOLLOUT, Fd: int32(c.fd)})
			}
			return
		}
		l.close(c)
		return
	}
	if c.wantOut {
		c.wantOut = false
		syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_MOD, c.fd, &syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP, Fd: int32(c.fd)})
	}
}
