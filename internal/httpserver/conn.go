package httpserver

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

type connState int32

const (
	stateIdle   connState = iota // waiting for the first byte of a request
	stateActive                  // reading a request or running the handler
)

// conn is one client connection.
type conn struct {
	s     *Server
	nc    net.Conn
	lr    limitReader // under br: bounds what a request head may read
	br    *bufio.Reader
	bw    *bufio.Writer
	state atomic.Int32
	ctx   context.Context
	base  *http.Request // RequestBase(ctx)
	// remote is nc.RemoteAddr().String(), computed once.
	remote string
	// prefix is read before nc (ServeConn).
	prefix []byte
}

var (
	readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4<<10) }}
	writerPool = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4<<10) }}
)

// limitReader reads from a connection, at most n bytes while n >= 0 (the
// request head); n < 0 means no limit (bodies are bounded by their framing
// and by handlers).
type limitReader struct {
	r   io.Reader
	n   int64
	hit bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return l.r.Read(p)
	}
	if l.n == 0 {
		l.hit = true
		return 0, errHeadTooLarge
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

var errHeadTooLarge = errors.New("request head too large")

func (c *conn) serve() {
	s := c.s
	defer func() {
		if v := recover(); v != nil {
			s.logger().Error("http: panic serving connection", "remote", c.remote, "panic", v, "stack", string(debug.Stack()))
		}
		if c.bw != nil && c.bw.Buffered() > 0 {
			c.bw.Flush() // a response held back for a pipelined request
		}
		c.nc.Close()
		if c.br != nil {
			c.br.Reset(nil)
			readerPool.Put(c.br)
		}
		if c.bw != nil {
			c.bw.Reset(nil)
			writerPool.Put(c.bw)
		}
		s.forget(c)
	}()
	c.remote = c.nc.RemoteAddr().String()
	c.lr = limitReader{r: c.nc, n: -1}
	if len(c.prefix) > 0 {
		c.lr.r = io.MultiReader(bytes.NewReader(c.prefix), c.nc)
		c.prefix = nil
	}
	c.br = readerPool.Get().(*bufio.Reader)
	c.br.Reset(&c.lr)
	c.bw = writerPool.Get().(*bufio.Writer)
	c.bw.Reset(c.nc)
	c.ctx = s.BaseContext
	if c.ctx == nil {
		c.ctx = context.Background()
	}
	c.base = RequestBase(c.ctx)
	headWait := s.ReadHeaderTimeout
	if headWait == 0 {
		headWait = s.ReadTimeout
	}
	maxHead := s.MaxHeaderBytes
	if maxHead <= 0 {
		maxHead = DefaultMaxHeaderBytes
	}
	first := true
	for {
		// Wait for the next request (idle), then read its head (active). As
		// in net/http: a new connection has ReadHeaderTimeout to send its
		// first request; between requests the wait is IdleTimeout, else
		// ReadTimeout, else unbounded.
		wait := s.IdleTimeout
		if wait == 0 {
			wait = s.ReadTimeout
		}
		if first {
			wait = headWait
		}
		c.setReadDeadline(wait)
		// The head may take maxHead bytes from the connection, plus one
		// buffer's worth of slack (what a read brings in past the head), less
		// what is already buffered (a pipelined request).
		c.lr.n = max(int64(maxHead)+int64(c.br.Size())-int64(c.br.Buffered()), 1)
		c.lr.hit = false
		if c.br.Buffered() == 0 {
			if _, err := c.br.Peek(1); err != nil {
				return // closed, timed out or reset while idle: nothing to answer
			}
		}
		c.state.Store(int32(stateActive))
		if s.inShut.Load() && !first {
			return
		}
		first = false
		start := time.Now()
		if headWait > 0 {
			c.nc.SetReadDeadline(start.Add(headWait))
		}
		req, err := readRequest(c.br, c.base, c.remote)
		c.lr.n = -1
		if err != nil {
			c.badRequest(err)
			return
		}
		if s.ReadTimeout > 0 {
			c.nc.SetReadDeadline(start.Add(s.ReadTimeout))
		} else if headWait > 0 {
			c.nc.SetReadDeadline(time.Time{})
		}
		if req.r.Method == http.MethodOptions && req.r.RequestURI == "*" {
			// As net/http: the server, not the handler, answers OPTIONS *.
			req.r.Body = http.NoBody
			keep := c.serveOptionsStar(req)
			if !keep {
				return
			}
			c.state.Store(int32(stateIdle))
			continue
		}
		keep := c.serveRequest(req)
		if !keep {
			return
		}
		c.state.Store(int32(stateIdle))
	}
}

func (c *conn) setReadDeadline(d time.Duration) {
	if d > 0 {
		c.nc.SetReadDeadline(time.Now().Add(d))
	} else {
		c.nc.SetReadDeadline(time.Time{})
	}
}

// badRequest answers a request that could not be read (when there is
// anything to answer) the way net/http does: a short plain-text error, then
// the connection closes.
func (c *conn) badRequest(err error) {
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF) && !c.lr.hit, errors.As(err, &ne) && ne.Timeout(),
		errors.Is(err, net.ErrClosed):
		return // the client went away or was too slow: there is no one to answer
	}
	status, msg := http.StatusBadRequest, "400 Bad Request"
	var he *headError
	switch {
	case c.lr.hit || errors.Is(err, errHeadTooLarge):
		status, msg = http.StatusRequestHeaderFieldsTooLarge, "431 Request Header Fields Too Large"
	case errors.As(err, &he):
		status, msg = he.status, he.msg
	}
	if c.s.WriteTimeout > 0 {
		c.nc.SetWriteDeadline(time.Now().Add(c.s.WriteTimeout))
	}
	c.bw.WriteString("HTTP/1.1 ")
	c.bw.WriteString(statusLine(status))
	c.bw.WriteString("\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nDate: ")
	c.bw.WriteString(Date())
	c.bw.WriteString("\r\n\r\n")
	c.bw.WriteString(msg)
	c.bw.Flush()
	c.s.logger().LogAttrs(c.ctx, slog.LevelDebug, "http: bad request", slog.String("remote", c.remote), slog.String("err", err.Error()))
}

// serveRequest runs the handler and writes its response; it reports whether
// the connection can take another request.
func (c *conn) serveRequest(req *request) bool { return c.serveRequestWith(req, c.s.Handler) }

func (c *conn) serveRequestWith(req *request, h http.Handler) (keep bool) {
	w := newResponse(c, req)
	defer w.release()
	if c.s.WriteTimeout > 0 { // covers what the handler writes through, too
		c.nc.SetWriteDeadline(time.Now().Add(c.s.WriteTimeout))
	}
	panicked, aborted := true, false
	func() {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler { // as net/http: drop the connection, no response
					aborted = true
					return
				}
				c.s.logger().Error("http: panic serving request", "remote", c.remote, "method", req.r.Method,
					"uri", req.r.RequestURI, "panic", v, "stack", string(debug.Stack()))
			}
		}()
		h.ServeHTTP(w, req.r)
		panicked = false
	}()
	if aborted {
		c.bw.Reset(c.nc) // discard whatever the handler wrote
		return false
	}
	if panicked {
		if !w.wroteHeader && !w.streaming {
			w.reset()
			w.header = http.Header{"Content-Type": {"text/plain; charset=utf-8"}}
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, "500 Internal Server Error")
			w.close = true
			w.finish()
		}
		c.bw.Flush()
		return false
	}
	if c.s.WriteTimeout > 0 {
		c.nc.SetWriteDeadline(time.Now().Add(c.s.WriteTimeout))
	}
	if !req.body.cheapToDrain(maxDrainBytes) {
		w.close = true // said in the head when it is still unwritten
	}
	if err := w.finish(); err != nil {
		return false
	}
	// The rest of the body must be read before the next request; a large
	// remainder is not worth reading.
	unread := !req.body.drain(maxDrainBytes)
	if unread {
		w.close = true
	}
	if w.close || req.close || c.s.inShut.Load() {
		c.bw.Flush()
		if unread {
			c.lingerClose()
		}
		return false
	}
	if !c.pipelined() {
		if err := c.bw.Flush(); err != nil {
			return false
		}
	}
	return true
}

// pipelined reports whether a whole request head is already buffered: the
// response can then wait and leave with the next one. A partial head (a
// split packet) is not enough: its rest may be a long time coming.
func (c *conn) pipelined() bool {
	n := c.br.Buffered()
	if n == 0 {
		return false
	}
	b, _ := c.br.Peek(n)
	return bytes.Contains(b, []byte("\r\n\r\n"))
}

// serveOptionsStar answers "OPTIONS * HTTP/1.1" with an empty 200.
func (c *conn) serveOptionsStar(req *request) bool {
	return c.serveRequestWith(req, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "0")
	}))
}

// lingerDelay is how long a connection closing on an unread request body
// keeps reading (and discarding) after its response, as net/http does.
const lingerDelay = 500 * time.Millisecond

// lingerClose half-closes the connection and discards what the client is
// still sending for a moment: closing a socket with unread data makes the
// kernel reset the connection, and a client still writing its body would
// then lose the response (a 413, say) it has not read yet.
func (c *conn) lingerClose() {
	if cw, ok := c.nc.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	c.nc.SetReadDeadline(time.Now().Add(lingerDelay))
	io.Copy(io.Discard, io.LimitReader(c.nc, 64<<20))
}
