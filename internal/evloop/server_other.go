//go:build !linux

package evloop

import (
	"errors"
	"net"
	"sync/atomic"
)

// ErrUnsupported is returned by Serve on systems without epoll.
var ErrUnsupported = errors.New("evloop: the event-loop server runs on Linux only")

type loop struct {
	s      *Server
	inDone atomic.Pointer[Responder]
}

func (l *loop) wake()              {}
func (l *loop) post(*Responder)    {}
func (l *loop) deliver(*Responder) {}

type conn struct{ l *loop }

func (c *conn) canHandOff(*Responder) bool { return false }

// Serve closes ln and returns ErrUnsupported: the server needs epoll.
func (s *Server) Serve(ln net.Listener) error {
	ln.Close()
	return ErrUnsupported
}

// Upstream reports ErrUnsupported: there is no loop to run it on.
func (res *Responder) Upstream(u *Upstream) { u.Handler.Done(ErrUnsupported) }

// Supported reports ErrUnsupported: the server needs epoll.
func Supported() error { return ErrUnsupported }
