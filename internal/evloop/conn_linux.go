package evloop

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
)

type phase uint8

const (
	phaseIdle    phase = iota // between requests, nothing of the next one read
	phaseHead                 // reading a request head
	phaseBody                 // reading a request body
	phaseHandler              // the handler has the request
	phaseLinger               // closing: discarding what the client still sends
)

const (
	// outHigh: past this much unwritten output the connection stops
	// reading and parsing until the client reads.
	outHigh = 256 << 10
	// lingerDelay is how long a connection closing on an unread request
	// body keeps reading (and discarding) after its response, as
	// httpserver and net/http do: closing a socket with unread data resets
	// it, and the client would lose the response.
	lingerDelay = 500 * time.Millisecond
)

// conn is one client connection, owned by its loop.
type conn struct {
	l      *loop
	fd     int
	remote string

	in   []byte // read; in[off:] is not consumed yet
	off  int
	out  []byte // to write; out[woff:] is not written yet
	woff int

	phase      phase
	first      bool // no request read yet
	readReady  bool // the socket may have data (edge-triggered)
	writeReady bool // the socket may take data
	rdhup      bool // the peer shut down its side: read to EOF
	rdEOF      bool
	closeAfter bool // close once out is written
	linger     bool // ... after discarding input for lingerDelay
	closed     bool

	// The request being read or served.
	hs       headScan
	cs       chunkScan
	req      *http.Request
	headLen  int   // of in[off:]
	bodyLen  int64 // Content-Length, or -1: chunked
	contSent bool  // "100 Continue" was written
	res      *Responder
	consumed int // bytes of in[off:] the request in the handler occupies
	closeReq bool
	http10   bool
	head     bool

	since      int64 // when the current phase began (accept, first byte, end of a response)
	writeSince int64 // when out became non-empty
	deadline   int64 // 0: none
	heapAt     int64
	heapIdx    int
	gen        int32 // registration generation (loop.nextGen)
}

// event records what epoll reported and advances the connection.
func (c *conn) event(ev uint32) {
	if ev&syscall.EPOLLERR != 0 {
		c.close() // reset: nothing can be written
		return
	}
	if ev&(syscall.EPOLLIN|syscall.EPOLLRDHUP|syscall.EPOLLHUP) != 0 {
		c.readReady = true
	}
	if ev&(syscall.EPOLLRDHUP|syscall.EPOLLHUP) != 0 {
		c.rdhup = true
	}
	if ev&syscall.EPOLLOUT != 0 {
		c.writeReady = true
	}
	c.drive()
}

// drive reads what the connection may read, serves what it can, writes
// what it has, and decides what the connection waits for next.
func (c *conn) drive() {
	if c.phase == phaseLinger {
		c.discard()
		return
	}
	for {
		if c.readReady && c.wantRead() {
			if c.read(); c.closed {
				return
			}
		}
		c.process()
		if c.closed {
			return
		}
		blocked := len(c.out)-c.woff > outHigh
		if c.flush(); c.closed {
			return
		}
		if blocked && len(c.out)-c.woff <= outHigh {
			continue // room again: serve what is buffered
		}
		if !c.readReady || !c.wantRead() {
			break
		}
	}
	c.settle()
}

// wantRead reports whether the connection reads now: not while a handler
// has a request, not when it is closing, not while the client is not
// reading its responses, and not past what the request in progress may
// hold.
func (c *conn) wantRead() bool {
	if c.rdEOF || c.closeAfter || c.phase == phaseHandler || len(c.out)-c.woff > outHigh {
		return false
	}
	n := len(c.in) - c.off
	s := c.l.s
	switch c.phase {
	case phaseBody:
		if c.bodyLen >= 0 {
			return n < c.headLen+int(c.bodyLen)
		}
		return n < c.headLen+int(2*s.maxBodyBytes())+128<<10
	default:
		return n <= s.maxHeaderBytes()+4096
	}
}

// read reads until the socket is drained or the request has enough.
func (c *conn) read() {
	for c.readReady && c.wantRead() {
		if c.in == nil {
			c.in = c.l.getBuf()
		}
		if c.off > 0 && (c.off == len(c.in) || cap(c.in)-len(c.in) < 2048) {
			// Nothing holds the consumed bytes (no handler runs while the
			// connection reads): move the rest to the front.
			c.in = c.in[:copy(c.in, c.in[c.off:])]
			c.off = 0
		}
		if cap(c.in)-len(c.in) < 2048 {
			grown := make([]byte, len(c.in), 2*cap(c.in))
			copy(grown, c.in)
			c.in = grown
		}
		space := c.in[len(c.in):cap(c.in)]
		n, err := syscall.Read(c.fd, space)
		switch {
		case err == syscall.EINTR:
		case err == syscall.EAGAIN:
			c.readReady = false
		case err != nil:
			c.close()
			return
		case n == 0:
			c.rdEOF, c.readReady = true, false
		default:
			c.in = c.in[:len(c.in)+n]
			if n < len(space) && !c.rdhup {
				c.readReady = false // drained; the next arrival is a new edge
			}
		}
	}
}

// process serves the requests buffered in in[off:], in order, until one
// waits (for more bytes, for its handler, for the client to read).
func (c *conn) process() {
	s := c.l.s
	for !c.closed && !c.closeAfter && c.phase != phaseHandler && len(c.out)-c.woff <= outHigh {
		buf := c.in[c.off:]
		switch c.phase {
		case phaseIdle:
			if len(buf) == 0 {
				return
			}
			if c.l.shutSeen && !c.first {
				c.close()
				return
			}
			c.phase, c.since, c.hs = phaseHead, c.l.now, headScan{}
		case phaseHead:
			n := c.hs.scan(buf)
			if n < 0 {
				if len(buf) > s.maxHeaderBytes()+4096 {
					c.fail(http.StatusRequestHeaderFieldsTooLarge, "431 Request Header Fields Too Large", false)
				}
				return
			}
			c.parseHead(n)
		case phaseBody:
			if !c.readBody(buf) {
				return
			}
		}
	}
}

// parseHead parses the head in[off:off+n] with httpserver's parser.
func (c *conn) parseHead(n int) {
	l := c.l
	l.rd.Reset(c.in[c.off : c.off+n])
	l.br.Reset(&l.rd)
	r, err := httpserver.ParseRequest(l.br, l.base, c.remote)
	if err != nil {
		status, msg := httpserver.ErrorStatus(err)
		l.s.logger().LogAttrs(l.ctx, slog.LevelDebug, "http: bad request", slog.String("remote", c.remote), slog.String("err", err.Error()))
		c.fail(status, msg, false)
		return
	}
	c.req, c.headLen, c.contSent, c.cs = r, n, false, chunkScan{}
	switch {
	case len(r.TransferEncoding) > 0:
		c.bodyLen = -1
	case r.ContentLength > l.s.maxBodyBytes():
		c.fail(http.StatusRequestEntityTooLarge, "413 Request Entity Too Large", true)
		return
	default:
		c.bodyLen = max(r.ContentLength, 0)
	}
	c.phase = phaseBody
}

// readBody dispatches the request once its body is buffered; it reports
// whether it did (or refused the request).
func (c *conn) readBody(buf []byte) bool {
	l := c.l
	rest := buf[c.headLen:]
	if c.bodyLen >= 0 {
		if int64(len(rest)) < c.bodyLen {
			c.sendContinue()
			return false
		}
		body := rest[:c.bodyLen:c.bodyLen]
		if c.bodyLen > 0 {
			c.req.Body = bodyReader(body)
		}
		c.dispatch(c.req, body, c.headLen+int(c.bodyLen))
		return true
	}
	end, st := c.cs.scan(rest, l.s.maxBodyBytes())
	switch st {
	case chunkMore:
		c.sendContinue()
		return false
	case chunkTooLarge:
		c.fail(http.StatusRequestEntityTooLarge, "413 Request Entity Too Large", true)
		return true
	case chunkBad:
		c.fail(http.StatusBadRequest, "400 Bad Request: malformed chunked body", true)
		return true
	}
	// Decode with httpserver's reader (chunk syntax, trailers): parse the
	// head again over the whole message and read the body to its end.
	msg := buf[:c.headLen+end]
	l.rd.Reset(msg)
	l.br.Reset(&l.rd)
	r, err := httpserver.ParseRequest(l.br, l.base, c.remote)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(r.Body)
	}
	if err != nil || l.br.Buffered() > 0 || l.rd.Len() > 0 {
		c.fail(http.StatusBadRequest, "400 Bad Request: malformed chunked body", true)
		return true
	}
	r.Body = bodyReader(body)
	c.dispatch(r, body, len(msg))
	return true
}

// sendContinue writes "100 Continue" once when the client waits for it
// before sending the body.
func (c *conn) sendContinue() {
	if c.contSent {
		return
	}
	if _, ok := c.req.Header["Expect"]; ok {
		c.contSent = true
		c.out = append(c.out, "HTTP/1.1 100 Continue\r\n\r\n"...)
		c.markWrite()
	}
}

// dispatch hands a complete request to the handler; consumed is its size
// in in[off:].
func (c *conn) dispatch(r *http.Request, body []byte, consumed int) {
	c.phase, c.consumed, c.first, c.req = phaseHandler, consumed, false, nil
	c.closeReq, c.http10, c.head = r.Close, r.ProtoMinor == 0, r.Method == http.MethodHead
	res := &Responder{c: c, head: c.head}
	c.res = res
	if r.Method == http.MethodOptions && r.RequestURI == "*" {
		res.Respond(http.StatusOK, http.Header{}, nil) // as net/http: the server answers OPTIONS *
	} else {
		res.serving = true
		c.serveLoop(r, body, res)
		res.serving = false
	}
	if res.handoff {
		c.handOff()
		return
	}
	if res.returned() {
		c.finish(res)
	}
}

// serveLoop runs the handler; a panic answers 500 and closes the connection
// (the loop goes on).
func (c *conn) serveLoop(r *http.Request, body []byte, res *Responder) {
	defer func() {
		if v := recover(); v != nil {
			c.l.s.logger().Error("http: panic serving request", "remote", c.remote, "method", r.Method,
				"uri", r.RequestURI, "panic", v, "stack", string(debug.Stack()))
			if res.claimed.CompareAndSwap(false, true) {
				res.status, res.header, res.body = http.StatusInternalServerError,
					http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "Connection": {"close"}},
					[]byte("500 Internal Server Error")
				res.answered.Store(true)
			}
		}
	}()
	c.l.s.Handler.ServeLoop(r, body, res)
}

// canHandOff reports whether the connection can be handed off with res's
// request (Responder.HandOff).
func (c *conn) canHandOff(res *Responder) bool {
	return c.res == res && !c.closed && !c.contSent && c.woff == len(c.out) && !c.l.shutSeen && !c.l.s.inShut.Load()
}

// handOff takes the connection out of the loop and gives it, with what was
// read and not consumed (the request in the handler first), to the
// server's HandOff (Responder.HandOff).
func (c *conn) handOff() {
	l := c.l
	var buffered []byte
	if cap(c.in) <= 16<<10 {
		buffered = bytes.Clone(c.in[c.off:]) // the buffer goes back to the pool
		l.putBuf(c.in)
	} else {
		buffered = c.in[c.off:] // a large one would not: no copy of a large body on the loop
	}
	syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_DEL, c.fd, nil)
	l.timers.remove(c)
	l.conns[c.fd] = nil
	l.nconns--
	c.closed = true
	c.in, c.out, c.res, c.req = nil, nil, nil, nil
	// The descriptor becomes a net.Conn on the runtime's poller: FileConn
	// duplicates it, and the loop's copy is closed.
	f := os.NewFile(uintptr(c.fd), "")
	nc, err := net.FileConn(f)
	f.Close()
	if err != nil {
		l.s.logger().Debug("http: handing a connection off", "remote", c.remote, "err", err.Error())
		return
	}
	if !l.s.HandOff(nc, buffered) {
		nc.Close()
	}
}

// finish writes the handler's answer and makes the connection ready for
// the next request.
func (c *conn) finish(res *Responder) {
	c.res = nil
	if res.abort {
		c.close()
		return
	}
	close := c.closeReq || c.l.s.inShut.Load() || wantsClose(res.header)
	c.out = appendResponse(c.out, res.status, res.header, res.body, c.head, close, c.http10)
	res.header, res.body = nil, nil
	c.markWrite()
	c.off += c.consumed
	c.consumed = 0
	c.phase, c.since = phaseIdle, c.l.now
	if close {
		c.closeAfter = true
	}
}

// fail answers a request that cannot be served and closes the connection;
// linger: the client may still be sending a body.
func (c *conn) fail(status int, msg string, linger bool) {
	c.out = appendError(c.out, status, msg)
	c.markWrite()
	c.closeAfter, c.linger, c.req = true, linger, nil
}

func (c *conn) markWrite() {
	if c.writeSince == 0 {
		c.writeSince = max(c.l.now, 1)
	}
}

// flush writes out[woff:] until done or the socket is full.
func (c *conn) flush() {
	for c.woff < len(c.out) && c.writeReady {
		n, err := syscall.Write(c.fd, c.out[c.woff:])
		switch {
		case err == syscall.EINTR:
		case err == syscall.EAGAIN:
			c.writeReady = false
		case err != nil:
			c.close()
			return
		default:
			c.woff += n
			if c.woff < len(c.out) {
				c.writeReady = false // full; EPOLLOUT will say when it drains
			}
		}
	}
	if c.woff == len(c.out) {
		c.woff, c.writeSince = 0, 0
		if cap(c.out) > outHigh {
			c.out = nil
		} else {
			c.out = c.out[:0]
		}
	}
}

// settle closes the connection when it is done, or sets its deadline.
func (c *conn) settle() {
	if c.woff == len(c.out) {
		switch {
		case c.closeAfter && c.linger:
			c.startLinger()
			return
		case c.closeAfter,
			c.rdEOF && c.phase != phaseHandler, // nothing more will come
			c.phase == phaseIdle && c.l.shutSeen:
			c.close()
			return
		}
		if c.phase == phaseIdle && c.off == len(c.in) && c.in != nil {
			c.l.putBuf(c.in)
			c.in, c.off = nil, 0
		}
	}
	c.rearm()
}

// rearm sets the connection's deadline for what it waits for.
func (c *conn) rearm() {
	s := c.l.s
	headWait := s.ReadHeaderTimeout
	if headWait == 0 {
		headWait = s.ReadTimeout
	}
	var wait time.Duration
	switch c.phase {
	case phaseIdle:
		wait = s.IdleTimeout
		if wait == 0 {
			wait = s.ReadTimeout
		}
		if c.first {
			wait = headWait
		}
	case phaseHead:
		wait = headWait
	case phaseBody:
		wait = s.ReadTimeout
	case phaseLinger:
		wait = lingerDelay
	}
	var at int64
	if wait > 0 {
		at = c.since + int64(wait)
	}
	if c.woff < len(c.out) && s.WriteTimeout > 0 {
		if w := c.writeSince + int64(s.WriteTimeout); at == 0 || w < at {
			at = w
		}
	}
	c.l.timers.set(c, at)
}

// startLinger half-closes the connection and discards input for a moment.
func (c *conn) startLinger() {
	syscall.Shutdown(c.fd, syscall.SHUT_WR)
	c.phase, c.since = phaseLinger, c.l.now
	c.rearm()
	c.discard()
}

// discard reads and drops input while lingering; EOF or 64 MB closes.
func (c *conn) discard() {
	if c.l.scratch == nil {
		c.l.scratch = make([]byte, 64<<10)
	}
	for c.readReady {
		n, err := syscall.Read(c.fd, c.l.scratch)
		switch {
		case err == syscall.EINTR:
		case err == syscall.EAGAIN:
			c.readReady = false
		case err != nil || n == 0:
			c.close()
			return
		default:
			if c.consumed += n; c.consumed > 64<<20 {
				c.close()
				return
			}
		}
	}
}

// close closes the socket; a handler still running has its answer dropped.
func (c *conn) close() {
	if c.closed {
		return
	}
	c.closed = true
	l := c.l
	l.conns[c.fd] = nil
	l.nconns--
	syscall.Close(c.fd)
	l.timers.remove(c)
	if c.in != nil && c.phase != phaseHandler { // a handler may still read its body in in
		l.putBuf(c.in)
	}
	c.in, c.out, c.res, c.req = nil, nil, nil, nil
}
