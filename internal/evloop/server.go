// Package evloop is an HTTP/1.1 server in nginx's model: one epoll loop per
// P, each on its own locked OS thread with its own SO_REUSEPORT listening
// socket, owning its connections from accept to close. A connection is a
// state machine advanced by readiness events: the loop reads into the
// connection's buffer, waits until a request head is complete, parses it
// with internal/httpserver's parser (the same strictness and refusals),
// buffers the body (Content-Length or chunked, trailers included), and only
// then hands the request to the Handler. There is no goroutine per
// connection and none per request unless the handler starts one.
//
// It is step 1 of the engine plan in docs/architecture.md ("The HTTP
// engine"): the loop owns the connections; handlers that block run on a
// goroutine (FromHTTPHandler) and post their response back to the loop. Step
// 2 runs HTTP_PROXY on the loop itself, as a continuation of ServeLoop.
//
// Linux only; elsewhere Serve returns an error.
package evloop

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for zero Server fields.
const (
	DefaultMaxHeaderBytes = 1 << 20
	// DefaultMaxBodyBytes is API Gateway's payload limit: the gateway
	// buffers requests up to 10 MB.
	DefaultMaxBodyBytes = 10 << 20
)

// Handler serves requests on a loop.
type Handler interface {
	// ServeLoop runs on the loop's thread and must not block: every
	// connection of the loop waits while it runs. It answers through res,
	// either before returning or later from any goroutine. body is the whole
	// request body (r.Body reads the same bytes); it stays valid until
	// res.Respond is called, and a handler that keeps it longer copies it.
	ServeLoop(r *http.Request, body []byte, res *Responder)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(r *http.Request, body []byte, res *Responder)

// ServeLoop calls f.
func (f HandlerFunc) ServeLoop(r *http.Request, body []byte, res *Responder) { f(r, body, res) }

// Server serves HTTP/1.1 with one Handler on one event loop per P.
type Server struct {
	Handler Handler
	// ReadHeaderTimeout bounds the time to read a request line and headers
	// (ReadTimeout if zero; for a new connection it counts from the
	// accept), ReadTimeout the whole request (headers and body),
	// IdleTimeout the wait for the next request on a keep-alive connection
	// (ReadTimeout if zero), WriteTimeout the writing of a response (from
	// the moment it is queued). Zero means no limit. The loop enforces them
	// itself: epoll_wait sleeps until the nearest deadline.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	IdleTimeout       time.Duration
	WriteTimeout      time.Duration
	// MaxHeaderBytes bounds the request line plus headers (plus 4 KB of
	// slack, as net/http); larger requests get a 431 and the connection is
	// closed. DefaultMaxHeaderBytes if zero.
	MaxHeaderBytes int
	// MaxBodyBytes bounds a request body (decoded, for chunked ones); larger
	// requests get a 413 and the connection is closed. DefaultMaxBodyBytes
	// if zero.
	MaxBodyBytes int64
	// Loops is the number of event loops, each with its own thread and
	// listening socket. runtime.GOMAXPROCS(0) if zero.
	Loops int
	// HandOff, if set, takes connections a handler gives up
	// (Responder.HandOff): nc is the connection, buffered what the loop
	// read from it and did not consume, starting with the request being
	// served. It returns false if it cannot take the connection (the loop
	// then closes it). HandOff runs on the loop's thread and must not block.
	HandOff func(nc net.Conn, buffered []byte) bool
	// Logger receives handler panics (error level) and refused requests
	// (debug level).
	Logger *slog.Logger
	// BaseContext is the parent of every request's context. Request
	// contexts end when the server has shut down (Shutdown returned) or
	// was closed.
	BaseContext context.Context

	mu      sync.Mutex
	serving bool
	loops   []*loop
	done    chan struct{} // closed when every loop has ended
	inShut  atomic.Bool   // Shutdown or Close was called
	hard    atomic.Bool   // Close was called
	ctx     context.Context
	cancel  context.CancelFunc
}

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = http.ErrServerClosed

// errServing: a Server runs one Serve at a time.
var errServing = errors.New("evloop: Serve called twice")

// Shutdown stops accepting, closes idle connections, lets every request in
// flight get its response (then closes its connection), and returns once
// every connection is closed, or ctx's error if ctx ends first (the loops
// then keep serving what they have until Close).
func (s *Server) Shutdown(ctx context.Context) error {
	s.inShut.Store(true)
	done := s.wakeAll()
	if done == nil {
		s.endContext()
		return nil
	}
	select {
	case <-done:
		s.endContext()
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops accepting and closes every connection at once; responses
// still to come are dropped. It returns when the loops have ended.
func (s *Server) Close() error {
	s.inShut.Store(true)
	s.hard.Store(true)
	if done := s.wakeAll(); done != nil {
		<-done
	}
	s.endContext()
	return nil
}

// wakeAll makes every loop look at the server's state; it returns the
// channel closed when they have all ended (nil when Serve is not running).
func (s *Server) wakeAll() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.loops {
		l.wake()
	}
	return s.done
}

// baseContext is the context of every request (created once).
func (s *Server) baseContext() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil {
		parent := s.BaseContext
		if parent == nil {
			parent = context.Background()
		}
		s.ctx, s.cancel = context.WithCancel(parent)
	}
	return s.ctx
}

func (s *Server) endContext() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Server) maxHeaderBytes() int {
	if s.MaxHeaderBytes > 0 {
		return s.MaxHeaderBytes
	}
	return DefaultMaxHeaderBytes
}

func (s *Server) maxBodyBytes() int64 {
	if s.MaxBodyBytes > 0 {
		return s.MaxBodyBytes
	}
	return DefaultMaxBodyBytes
}
