// Package httpserver is Gatehouse's inbound HTTP/1.1 server: an
// http.Handler-compatible replacement for net/http's server, built for a
// gateway that buffers every request and response anyway.
//
// Why not net/http's server: per request it starts a background read (a
// goroutine, a read that parks in the netpoller, then a deadline change to
// wake it when the handler is done), builds a response object with its own
// buffers and a cancelable context, and flushes through two writers. For a
// proxy whose own work is ~10 µs that machinery is a large share of the cost
// (bench/dataplane: the rawserver reference proxy is ~15% faster than the
// same proxy on net/http). This server keeps one goroutine per connection,
// one pooled bufio.Reader and bufio.Writer per connection, and writes each
// response head and body in one flush.
//
// What it does not do, by design: HTTP/2, TLS, hijacking, streaming
// responses (a response is buffered until the handler returns, unless the
// handler declares Content-Length, in which case it is written through), and
// per-request cancellation when a client goes away (API Gateway does not
// cancel integrations either). Requests are parsed strictly: an ambiguous
// message (Content-Length with Transfer-Encoding, conflicting lengths, an
// unknown transfer coding, a missing Host) is refused and the connection
// closed, so nothing can be smuggled past the gateway.
package httpserver

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Defaults for zero Server fields.
const (
	DefaultMaxHeaderBytes = 1 << 20
	// maxDrainBytes is how much of a request body the handler left unread
	// the server reads and discards to keep the connection; beyond it the
	// connection is closed instead.
	maxDrainBytes = 256 << 10
)

// Server serves HTTP/1.1 on listeners with one Handler.
type Server struct {
	Handler http.Handler
	// ReadHeaderTimeout bounds the time to read a request line and headers
	// (ReadTimeout if zero), ReadTimeout the whole request (headers and
	// body), IdleTimeout the wait for the next request on a keep-alive
	// connection (ReadTimeout if zero), WriteTimeout the writing of a
	// response (from the start of its handler). Zero means no limit.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	IdleTimeout       time.Duration
	WriteTimeout      time.Duration
	// MaxHeaderBytes bounds the request line plus headers; larger requests
	// get a 431 and the connection is closed.
	MaxHeaderBytes int
	// Logger receives handler panics and connection errors (debug level).
	Logger *slog.Logger
	// BaseContext is the parent of every request's context.
	BaseContext context.Context

	mu       sync.Mutex
	ls       map[net.Listener]struct{}
	conns    map[*conn]struct{}
	inShut   atomic.Bool
	connDone chan struct{} // signalled (non-blocking) when a connection ends
}

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = http.ErrServerClosed

// Serve accepts connections on ln and serves them until ln fails or the
// server shuts down. It always returns a non-nil error.
func (s *Server) Serve(ln net.Listener) error {
	defer ln.Close()
	if !s.track(ln) {
		return ErrServerClosed
	}
	defer s.untrack(ln)
	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.inShut.Load() {
				return ErrServerClosed
			}
			var ne net.Error
			// Temporary failures (out of file descriptors, a timeout) back
			// off and retry, as net/http does, instead of ending the server.
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) ||
				errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.ENOBUFS) || errors.Is(err, syscall.ENOMEM) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		c := s.newConn(nc, stateIdle)
		if c == nil {
			nc.Close()
			return ErrServerClosed
		}
		go c.serve()
	}
}

// ServeConn serves nc, a connection another server accepted and read from
// (evloop's hand-off, Responder.HandOff): buffered is what that server read
// and did not consume, a request's first bytes or nothing, and is read
// before nc. The connection is the server's from then on (Shutdown waits
// for it; a request already buffered is served even if Shutdown began
// meanwhile). It returns false, leaving nc to the caller, once the server
// is shutting down.
func (s *Server) ServeConn(nc net.Conn, buffered []byte) bool {
	state := stateIdle
	if len(buffered) > 0 {
		state = stateActive // a request is there: Shutdown must not close it unanswered
	}
	c := s.newConn(nc, state)
	if c == nil {
		return false
	}
	c.prefix = buffered
	go c.serve()
	return true
}

func (s *Server) track(ln net.Listener) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inShut.Load() {
		return false
	}
	if s.ls == nil {
		s.ls = map[net.Listener]struct{}{}
	}
	s.ls[ln] = struct{}{}
	return true
}

func (s *Server) untrack(ln net.Listener) {
	s.mu.Lock()
	delete(s.ls, ln)
	s.mu.Unlock()
}

func (s *Server) newConn(nc net.Conn, state connState) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inShut.Load() {
		return nil
	}
	if s.conns == nil {
		s.conns = map[*conn]struct{}{}
		s.connDone = make(chan struct{}, 1)
	}
	c := &conn{s: s, nc: nc}
	c.state.Store(int32(state))
	s.conns[c] = struct{}{}
	return c
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	done := s.connDone
	s.mu.Unlock()
	select {
	case done <- struct{}{}:
	default:
	}
}

// Shutdown stops accepting, closes idle connections, and waits until every
// connection has finished its request and closed, or ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.inShut.Store(true)
	s.closeListeners()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if s.closeIdle() == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.doneChan():
		case <-tick.C:
		}
	}
}

// Close stops accepting and closes every connection at once.
func (s *Server) Close() error {
	s.inShut.Store(true)
	s.closeListeners()
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.nc.Close()
	}
	return nil
}

func (s *Server) doneChan() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connDone
}

func (s *Server) closeListeners() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ln := range s.ls {
		ln.Close()
	}
}

// closeIdle closes connections waiting for a request and returns how many
// connections remain.
func (s *Server) closeIdle() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if connState(c.state.Load()) == stateIdle {
			c.nc.Close()
		}
	}
	return len(s.conns)
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}
