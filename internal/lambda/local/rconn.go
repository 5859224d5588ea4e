package local

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
)

// rconn is one connection from an instance's runtime to its Runtime API
// endpoint. One goroutine owns it at a time: a goroutine serving it (serve),
// an invoking goroutine that answers the runtime's poll and reads the result
// itself (instance.direct), or nobody while it is parked in the instance's
// idle list. Ownership passes under the instance's lock, so the reader and
// writer need no lock of their own.
//
// Requests are parsed by internal/httpserver's parser (ParseRequest, the
// gateway's strict HTTP/1.1 parser: Content-Length and chunked bodies,
// trailers, Expect); responses are written here, by hand: the Runtime API
// answers with a handful of fixed shapes.
type rconn struct {
	in   *instance
	nc   net.Conn
	br   *bufio.Reader
	bw   *bufio.Writer
	base *http.Request // ParseRequest's base request

	// polled is set while a poll (GET next) has been read and not answered;
	// pollClose if that poll asked to close the connection.
	polled, pollClose bool
	// owned is set while an invoking goroutine owns the connection
	// (guarded by the instance's lock).
	owned bool

	mu          sync.Mutex // guards the fields below
	gen         uint64     // bumped at each owner change: stale interrupts are ignored
	waiting     bool       // the owner waits for a request head
	interrupted bool
	last        time.Time // the process exited: reads end by then
}

// maxRuntimeHead bounds a Runtime API request line and headers (it is the
// size of a connection's read buffer).
const maxRuntimeHead = 64 << 10

var errInterrupted = errors.New("interrupted")

// aLongTimeAgo is a deadline in the past: it ends a blocked read at once.
var aLongTimeAgo = time.Unix(1, 0)

func newRconn(in *instance, nc net.Conn) *rconn {
	if tc, ok := nc.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
	}
	return &rconn{in: in, nc: nc, br: bufio.NewReaderSize(nc, maxRuntimeHead), bw: bufio.NewWriterSize(nc, 8<<10),
		base: httpserver.RequestBase(context.Background())}
}

// arm starts a new ownership of the connection and returns the generation
// interrupts must name.
func (c *rconn) arm() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.interrupted = false
	return c.gen
}

// interrupt makes the owner of generation gen stop waiting for a request
// head (it gets errInterrupted); a request already arriving is read whole.
func (c *rconn) interrupt(gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	c.interrupted = true
	if c.waiting {
		c.nc.SetReadDeadline(aLongTimeAgo)
	}
}

// clearInterrupt forgets an interrupt the owner has handled.
func (c *rconn) clearInterrupt() {
	c.mu.Lock()
	c.interrupted = false
	c.mu.Unlock()
}

// lastCall bounds every read from now on by t (the process has exited: what
// it wrote is read, then the connection ends).
func (c *rconn) lastCall(t time.Time) {
	c.mu.Lock()
	c.last = t
	c.nc.SetReadDeadline(t)
	c.mu.Unlock()
}

// readRequest waits until a whole request head is buffered, or deadline
// (zero: none), or an interrupt, then parses it. Waiting only for whole heads
// keeps the connection at a request boundary when the wait ends early, so
// another goroutine can go on reading it. The deadline also bounds the body.
func (c *rconn) readRequest(deadline time.Time) (*http.Request, error) {
	c.mu.Lock()
	if c.interrupted {
		c.mu.Unlock()
		return nil, errInterrupted
	}
	c.waiting = true
	if !c.last.IsZero() && (deadline.IsZero() || c.last.Before(deadline)) {
		deadline = c.last
	}
	c.nc.SetReadDeadline(deadline)
	c.mu.Unlock()
	err := c.fillHead()
	c.mu.Lock()
	c.waiting = false
	if c.interrupted {
		if err != nil {
			err = errInterrupted
		} else {
			// The head came as the interrupt did: the body is read
			// under the real deadline, and the owner hears of the
			// interrupt at its next wait.
			c.nc.SetReadDeadline(deadline)
		}
	}
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return httpserver.ParseRequest(c.br, c.base, "")
}

// fillHead reads until the buffer holds a whole request head.
func (c *rconn) fillHead() error {
	for {
		n := c.br.Buffered()
		if n > 0 {
			b, _ := c.br.Peek(n)
			if headEnd(b) >= 0 {
				return nil
			}
			if n >= c.br.Size() {
				return errHeadTooLarge
			}
		}
		if _, err := c.br.Peek(n + 1); err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

var errHeadTooLarge = errors.New("request head too large")

// headEnd returns the index just past the empty line that ends a request
// head in b, or -1. Leading empty lines are skipped, as the parser does.
func headEnd(b []byte) int {
	i := 0
	for i < len(b) && (b[i] == '\r' || b[i] == '\n') {
		i++
	}
	for {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
		switch {
		case i < len(b) && b[i] == '\n':
			return i + 1
		case i+1 < len(b) && b[i] == '\r' && b[i+1] == '\n':
			return i + 2
		}
	}
}

// headBuffered reports whether a whole request head is already buffered (a
// pipelined request): an answer can then wait and leave with the next one.
func (c *rconn) headBuffered() bool {
	n := c.br.Buffered()
	if n == 0 {
		return false
	}
	b, _ := c.br.Peek(n)
	return headEnd(b) >= 0
}

// writeJSON answers a request with a JSON body. The answer is held back
// while a pipelined request is buffered (it leaves with the next answer).
// extra holds further header lines, each ending in CRLF.
func (c *rconn) writeJSON(status int, extra, body string, close bool) error {
	bw := c.bw
	bw.WriteString("HTTP/1.1 ")
	bw.WriteString(strconv.Itoa(status))
	bw.WriteByte(' ')
	bw.WriteString(http.StatusText(status))
	bw.WriteString("\r\n")
	bw.WriteString(extra)
	bw.WriteString("Content-Type: application/json\r\nContent-Length: ")
	bw.WriteString(strconv.Itoa(len(body)))
	if close {
		bw.WriteString("\r\nConnection: close")
	}
	bw.WriteString("\r\n\r\n")
	bw.WriteString(body)
	if !close && c.headBuffered() {
		return nil
	}
	return bw.Flush()
}

// writeEvent answers a poll with an invocation's event.
func (c *rconn) writeEvent(inv *invocation, arn string, close bool) error {
	bw := c.bw
	bw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + hdrRequestID + ": ")
	bw.WriteString(inv.id)
	bw.WriteString("\r\n" + hdrDeadlineMs + ": ")
	var num [20]byte
	bw.Write(strconv.AppendInt(num[:0], inv.deadline.UnixMilli(), 10))
	bw.WriteString("\r\n" + hdrFunctionArn + ": ")
	writeHeaderValue(bw, arn)
	bw.WriteString("\r\n" + hdrTraceID + ": ")
	bw.WriteString(inv.traceID)
	if inv.clientContext != "" {
		bw.WriteString("\r\n" + hdrClientContext + ": ")
		writeHeaderValue(bw, inv.clientContext)
	}
	if close {
		bw.WriteString("\r\nConnection: close")
	}
	bw.WriteString("\r\nContent-Length: ")
	bw.Write(strconv.AppendInt(num[:0], int64(len(inv.payload)), 10))
	bw.WriteString("\r\n\r\n")
	bw.Write(inv.payload)
	return bw.Flush()
}

// writeHeaderValue writes s with control characters (a line break would
// end the header) replaced by spaces.
func writeHeaderValue(bw *bufio.Writer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] < ' ' && b[j] != '\t' || b[j] == 0x7f {
					b[j] = ' '
				}
			}
			bw.Write(b)
			return
		}
	}
	bw.WriteString(s)
}

// writeContinue tells a client that waits for it (Expect: 100-continue) to
// send its body.
func (c *rconn) writeContinue() error {
	c.bw.WriteString("HTTP/1.1 100 Continue\r\n\r\n")
	return c.bw.Flush()
}

// badRequest answers a request that could not be parsed and closes.
func (c *rconn) badRequest(err error) {
	status, msg := httpserver.ErrorStatus(err)
	if errors.Is(err, errHeadTooLarge) {
		status, msg = http.StatusRequestHeaderFieldsTooLarge, "431 Request Header Fields Too Large"
	}
	c.nc.SetWriteDeadline(time.Now().Add(time.Second))
	c.bw.WriteString("HTTP/1.1 " + strconv.Itoa(status) + " " + http.StatusText(status) +
		"\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: " + strconv.Itoa(len(msg)) + "\r\n\r\n" + msg)
	c.bw.Flush()
}

// lingerDelay is how long a connection closing on an unread request body
// keeps reading (and discarding) after its answer.
const lingerDelay = 500 * time.Millisecond

// linger half-closes the connection and discards what the runtime is still
// sending for a moment before closing it: closing a socket with unread data
// makes the kernel reset the connection, and the runtime would lose the
// answer it has not read yet (a 413).
func (c *rconn) linger() {
	c.in.mu.Lock()
	c.owned = false
	c.arm()
	c.in.mu.Unlock()
	go func() {
		if cw, ok := c.nc.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		}
		c.nc.SetReadDeadline(time.Now().Add(lingerDelay))
		io.Copy(io.Discard, io.LimitReader(c.nc, 64<<20))
		c.close()
	}()
}

// close closes the connection and forgets it.
func (c *rconn) close() {
	c.nc.Close()
	c.in.forget(c)
}

// serve reads and answers requests on its own goroutine, starting with req
// if one was read already, until the connection is parked, closed or held.
func (c *rconn) serve(req *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			c.in.log.Error("runtime API: panic serving a request", "panic", v, "stack", string(debug.Stack()))
			c.close()
		}
	}()
	for {
		if req == nil {
			var err error
			if req, err = c.readRequest(time.Time{}); err != nil {
				if !isGone(err) {
					c.badRequest(err)
				}
				c.close()
				return
			}
		}
		switch c.in.handle(c, req) {
		case actParked:
			return
		case actClosed:
			c.close()
			return
		case actHold:
			c.hold()
			return
		}
		req = nil
	}
}

// hold keeps an unanswered request (the Extensions API's event poll) open
// until the process exits.
func (c *rconn) hold() {
	<-c.in.exited
	c.close()
}

// isGone reports whether a read failed because the peer went away, or the
// connection was closed or timed out, rather than on a malformed request.
func isGone(err error) bool {
	var ne net.Error
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.As(err, &ne) || errors.Is(err, errInterrupted) || errors.Is(err, syscall.ECONNRESET)
}
