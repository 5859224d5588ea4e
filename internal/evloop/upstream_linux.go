package evloop

import (
	"container/heap"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"os"
	"runtime/debug"
	"slices"
	"syscall"
)

// upConn is a connection from a loop to a backend: registered with the
// loop's epoll set like a client connection, used by one Upstream at a
// time, pooled per address between them.
type upConn struct {
	l    *loop
	fd   int
	addr string

	in   []byte
	out  []byte
	woff int

	u        *Upstream  // the exchange in progress; nil while idle
	res      *Responder // whose answer Done may give
	reused   bool       // taken from the pool for this exchange
	retried  bool
	got      bool // a response byte arrived
	connects bool // the non-blocking connect is in progress
	closed   bool

	deadline int64 // on the loop's clock
	heapIdx  int
	gen      int32 // registration generation (loop.nextGen)
}

// maxIdlePerAddr bounds a loop's idle connections to one backend.
const maxIdlePerAddr = 256

// maxIdleBuf bounds the buffers an idle connection keeps.
const maxIdleBuf = 64 << 10

var errUpstreamClosed = errors.New("backend closed the connection")

// Upstream starts u on res's loop. It must be called on the loop's thread:
// inside ServeLoop or inside another Upstream's Done.
func (res *Responder) Upstream(u *Upstream) {
	l := res.c.l
	var at int64 // the deadline on the loop's clock
	if !u.Deadline.IsZero() {
		at = max(int64(u.Deadline.Sub(l.epoch)), 1)
	}
	l.startUpstream(u, res, at, false)
}

func (l *loop) startUpstream(u *Upstream, res *Responder, at int64, retry bool) {
	if l.down { // a Done run by failUpstreams asked for another exchange
		l.upDone(u, res, ErrServerClosed)
		return
	}
	var uc *upConn
	if idle := l.idle[u.Addr]; len(idle) > 0 && !retry {
		uc = idle[len(idle)-1]
		l.idle[u.Addr] = idle[:len(idle)-1]
		uc.reused = true
	} else {
		var err error
		if uc, err = l.dial(u.Addr); err != nil {
			l.upDone(u, res, err)
			return
		}
	}
	uc.u, uc.res, uc.retried, uc.got = u, res, retry, false
	uc.in = uc.in[:0]
	uc.out, uc.woff = append(uc.out[:0], u.Request...), 0
	uc.deadline = at
	if at != 0 {
		heap.Push(&l.upTimers, uc)
	}
	if !uc.connects {
		uc.flush()
	}
}

// dial starts a non-blocking connection to addr.
func (l *loop) dial(addr string) (*upConn, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return nil, err
	}
	var sa syscall.Sockaddr
	family := syscall.AF_INET
	if ap.Addr().Is4() {
		sa = &syscall.SockaddrInet4{Port: int(ap.Port()), Addr: ap.Addr().As4()}
	} else {
		family = syscall.AF_INET6
		sa = &syscall.SockaddrInet6{Port: int(ap.Port()), Addr: ap.Addr().As16()}
	}
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
	uc := &upConn{l: l, fd: fd, addr: addr, heapIdx: -1, gen: l.nextGen()}
	switch err := syscall.Connect(fd, sa); err {
	case nil:
	case syscall.EINPROGRESS:
		uc.connects = true
	default:
		syscall.Close(fd)
		return nil, os.NewSyscallError("connect", err)
	}
	if err := syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_ADD, fd, &syscall.EpollEvent{Events: connEvents, Fd: int32(fd), Pad: uc.gen}); err != nil {
		syscall.Close(fd)
		return nil, os.NewSyscallError("epoll_ctl", err)
	}
	for fd >= len(l.ups) {
		l.ups = append(l.ups, make([]*upConn, len(l.ups)+64)...)
	}
	l.ups[fd] = uc
	return uc, nil
}

// event advances the connection on readiness.
func (uc *upConn) event(ev uint32) {
	if uc.u == nil { // idle: the backend closed it, or sent what no one asked for
		uc.close()
		return
	}
	if uc.connects {
		if ev&(syscall.EPOLLOUT|syscall.EPOLLERR|syscall.EPOLLHUP) == 0 {
			return
		}
		uc.connects = false
		if errno, err := syscall.GetsockoptInt(uc.fd, syscall.SOL_SOCKET, syscall.SO_ERROR); err != nil || errno != 0 {
			if err == nil {
				err = os.NewSyscallError("connect", syscall.Errno(errno))
			}
			uc.fail(err)
			return
		}
	}
	if ev&syscall.EPOLLOUT != 0 && uc.woff < len(uc.out) {
		if uc.flush(); uc.closed {
			return
		}
	}
	if ev&(syscall.EPOLLIN|syscall.EPOLLRDHUP|syscall.EPOLLHUP|syscall.EPOLLERR) != 0 {
		uc.read(ev&(syscall.EPOLLRDHUP|syscall.EPOLLHUP|syscall.EPOLLERR) != 0)
	}
}

// flush writes what is left of the request.
func (uc *upConn) flush() {
	for uc.woff < len(uc.out) {
		n, err := syscall.Write(uc.fd, uc.out[uc.woff:])
		switch {
		case err == syscall.EINTR:
		case err == syscall.EAGAIN:
			return // EPOLLOUT resumes
		case err != nil:
			uc.fail(os.NewSyscallError("write", err))
			return
		default:
			uc.woff += n
		}
	}
}

// read reads what arrived and lets Parse decide.
//
// A read that fills less than the space it was given drained the socket:
// the next byte is a new edge, so the loop stops there instead of paying a
// read that answers EAGAIN, as nginx does; unless hup (the backend closed
// or reset): then what follows the data is the end, and no edge will come
// for it.
func (uc *upConn) read(hup bool) {
	eof := false
	for {
		if cap(uc.in)-len(uc.in) < 4096 {
			grown := make([]byte, len(uc.in), max(2*cap(uc.in), 16<<10))
			copy(grown, uc.in)
			uc.in = grown
		}
		n, err := syscall.Read(uc.fd, uc.in[len(uc.in):cap(uc.in)])
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.EAGAIN {
			break
		}
		if err != nil {
			uc.fail(os.NewSyscallError("read", err))
			return
		}
		if n == 0 {
			eof = true
			break
		}
		space := cap(uc.in) - len(uc.in)
		uc.in = uc.in[:len(uc.in)+n]
		uc.got = true
		if n < space && !hup {
			break
		}
	}
	if !uc.got && eof {
		uc.fail(errUpstreamClosed)
		return
	}
	u := uc.u
	n, keep, err := u.Handler.Parse(uc.in, eof)
	switch {
	case err != nil:
		uc.fail(err)
	case n > 0:
		res := uc.res
		uc.u, uc.res = nil, nil
		uc.untime()
		// Pooled only when the request went out whole: a backend may
		// answer early (before reading all of the body), and what is left
		// unwritten would otherwise be lost, the next request read as its
		// rest.
		if keep && !eof && n == len(uc.in) && uc.woff == len(uc.out) && len(uc.l.idle[uc.addr]) < maxIdlePerAddr && !uc.l.shutSeen {
			uc.in, uc.out, uc.woff, uc.reused = uc.in[:0], uc.out[:0], 0, false
			if cap(uc.in) > maxIdleBuf { // an idle connection keeps no large buffer
				uc.in = nil
			}
			if cap(uc.out) > maxIdleBuf {
				uc.out = nil
			}
			uc.l.idle[uc.addr] = append(uc.l.idle[uc.addr], uc)
		} else {
			uc.close()
		}
		uc.l.upDone(u, res, nil)
	case eof:
		uc.fail(io.ErrUnexpectedEOF)
	}
}

// fail ends the exchange with err, resending an idempotent request once
// when a reused connection failed before any response byte.
func (uc *upConn) fail(err error) {
	u, res, l := uc.u, uc.res, uc.l
	retry := u != nil && uc.reused && !uc.got && !uc.retried && u.Idempotent
	at := uc.deadline
	uc.close()
	if u == nil {
		return
	}
	if retry {
		l.startUpstream(u, res, at, true)
		return
	}
	l.upDone(u, res, err)
}

func (uc *upConn) untime() {
	if uc.heapIdx >= 0 {
		heap.Remove(&uc.l.upTimers, uc.heapIdx)
	}
	uc.deadline = 0
}

func (uc *upConn) close() {
	if uc.closed {
		return
	}
	uc.closed = true
	uc.untime()
	l := uc.l
	l.ups[uc.fd] = nil
	syscall.Close(uc.fd)
	if idle := l.idle[uc.addr]; len(idle) > 0 {
		for i, c := range idle {
			if c == uc {
				l.idle[uc.addr] = append(idle[:i], idle[i+1:]...)
				break
			}
		}
	}
	uc.u, uc.res = nil, nil
}

// failUpstreams ends every exchange still in flight with ErrServerClosed
// (Done runs exactly once, even for the exchanges the loop abandons when it
// ends) and closes every upstream connection; no exchange starts after it.
func (l *loop) failUpstreams() {
	l.down = true
	for _, uc := range l.ups {
		if uc != nil {
			uc.reused = false // no resend
			uc.fail(ErrServerClosed)
		}
	}
}

// closeIdleUpstreams closes the pooled connections (at shutdown).
func (l *loop) closeIdleUpstreams() {
	for _, idle := range l.idle {
		for _, uc := range slices.Clone(idle) {
			uc.close()
		}
	}
}

// upDone calls u.Done and writes an answer it gave.
func (l *loop) upDone(u *Upstream, res *Responder, err error) {
	l.inDone.Store(res)
	func() {
		defer func() {
			if v := recover(); v != nil { // as for a panic in ServeLoop: 500, and the loop goes on
				l.s.logger().Error("http: panic in an upstream's Done", "panic", v, "stack", string(debug.Stack()))
				if res.claimed.CompareAndSwap(false, true) {
					res.status, res.header, res.body = http.StatusInternalServerError,
						http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "Connection": {"close"}},
						[]byte("500 Internal Server Error")
					res.answered.Store(true)
				}
			}
		}()
		u.Handler.Done(err)
	}()
	l.inDone.Store(nil)
	if res.answered.Load() && res.detached.Load() && res.taken.CompareAndSwap(false, true) {
		if c := res.c; c.res == res && !c.closed {
			c.finish(res)
			c.drive()
		}
	}
}

// expireUpstreams fails the exchanges past their deadline.
func (l *loop) expireUpstreams() {
	for len(l.upTimers) > 0 && l.upTimers[0].deadline <= l.now {
		uc := heap.Pop(&l.upTimers).(*upConn)
		uc.heapIdx = -1
		uc.reused = false // no resend after a timeout
		uc.fail(os.ErrDeadlineExceeded)
	}
}

// upHeap orders in-flight upstream connections by deadline.
type upHeap []*upConn

func (h upHeap) Len() int           { return len(h) }
func (h upHeap) Less(i, j int) bool { return h[i].deadline < h[j].deadline }
func (h upHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIdx, h[j].heapIdx = i, j
}
func (h *upHeap) Push(x any) {
	uc := x.(*upConn)
	uc.heapIdx = len(*h)
	*h = append(*h, uc)
}
func (h *upHeap) Pop() any {
	old := *h
	uc := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	uc.heapIdx = -1
	return uc
}
