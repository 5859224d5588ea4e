package evloop

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
)

const (
	soReusePort   = 0xf // SO_REUSEPORT; not in package syscall
	listenBacklog = 4096
	// connEvents: edge-triggered, registered once per connection; the
	// connection remembers what is ready (readReady, writeReady).
	// EPOLLET is bit 31, which package syscall spells as a negative
	// number on some architectures (amd64) and a positive one on others.
	connEvents uint32 = syscall.EPOLLIN | syscall.EPOLLOUT | syscall.EPOLLRDHUP | 1<<31
)

// Serve serves on ln's address with one event loop per P until Shutdown or
// Close; it returns ErrServerClosed then, or the error that stopped it.
//
// The loops own their sockets: Serve takes over ln's socket (a duplicate of
// its descriptor, with SO_REUSEPORT set) for the first loop, binds one more
// SO_REUSEPORT socket to the same address for each other loop (the kernel
// spreads new connections over them), and closes ln at once. ln must be a
// TCP listener; a Server runs one Serve at a time.
func (s *Server) Serve(ln net.Listener) error {
	defer ln.Close()
	s.mu.Lock()
	if s.inShut.Load() {
		s.mu.Unlock()
		return ErrServerClosed
	}
	if s.serving {
		s.mu.Unlock()
		return errServing
	}
	s.serving = true
	s.mu.Unlock()
	ctx := s.baseContext()
	n := s.Loops
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	fds, err := listeners(ln, n)
	ln.Close()
	if err != nil {
		return err
	}
	loops := make([]*loop, 0, n)
	for _, fd := range fds {
		l, err := newLoop(s, fd, ctx)
		if err != nil {
			for _, l := range loops {
				l.cleanup()
			}
			for _, fd := range fds[len(loops):] {
				syscall.Close(fd)
			}
			return err
		}
		loops = append(loops, l)
	}
	done := make(chan struct{})
	s.mu.Lock()
	s.loops, s.done = loops, done
	s.mu.Unlock()
	errs := make(chan error, len(loops))
	var wg sync.WaitGroup
	for _, l := range loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- l.run()
		}()
	}
	wg.Wait()
	close(done)
	close(errs)
	if s.inShut.Load() {
		return ErrServerClosed
	}
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return ErrServerClosed
}

// listeners returns n listening sockets on ln's address: ln's own
// (duplicated) and n-1 new ones, all with SO_REUSEPORT.
func listeners(ln net.Listener, n int) ([]int, error) {
	sc, ok := ln.(syscall.Conn)
	if !ok {
		return nil, fmt.Errorf("evloop: Serve needs a TCP listener, got %T", ln)
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd0, derr := -1, error(nil)
	if err := rc.Control(func(fd uintptr) {
		r, _, e := syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_DUPFD_CLOEXEC, 0)
		if e != 0 {
			derr = e
			return
		}
		fd0 = int(r)
	}); err != nil {
		return nil, err
	}
	if derr != nil {
		return nil, fmt.Errorf("evloop: duplicating the listener: %w", derr)
	}
	fds := []int{fd0}
	fail := func(err error) ([]int, error) {
		for _, fd := range fds {
			syscall.Close(fd)
		}
		return nil, err
	}
	sa, err := syscall.Getsockname(fd0)
	if err != nil {
		return fail(err)
	}
	domain := syscall.AF_INET
	switch sa.(type) {
	case *syscall.SockaddrInet4:
	case *syscall.SockaddrInet6:
		domain = syscall.AF_INET6
	default:
		return fail(fmt.Errorf("evloop: Serve needs a TCP listener, got %v", ln.Addr()))
	}
	if err := syscall.SetNonblock(fd0, true); err != nil {
		return fail(err)
	}
	// Set after bind and listen: the kernel groups the sockets when the
	// next one binds (Linux ≥ 4.6).
	if err := syscall.SetsockoptInt(fd0, syscall.SOL_SOCKET, soReusePort, 1); err != nil {
		return fail(fmt.Errorf("evloop: SO_REUSEPORT: %w", err))
	}
	for len(fds) < n {
		fd, err := syscall.Socket(domain, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
		if err != nil {
			return fail(err)
		}
		fds = append(fds, fd)
		syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
		if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, soReusePort, 1); err != nil {
			return fail(fmt.Errorf("evloop: SO_REUSEPORT: %w", err))
		}
		if domain == syscall.AF_INET6 {
			if v, err := syscall.GetsockoptInt(fd0, syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY); err == nil {
				syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY, v)
			}
		}
		if err := syscall.Bind(fd, sa); err != nil {
			return fail(fmt.Errorf("evloop: binding loop %d to %v: %w", len(fds), ln.Addr(), err))
		}
		if err := syscall.Listen(fd, listenBacklog); err != nil {
			return fail(err)
		}
	}
	return fds, nil
}

// loop is one event loop: an epoll set holding a listening socket, an
// eventfd that wakes it, and the connections accepted on that socket.
type loop struct {
	s      *Server
	ctx    context.Context
	base   *http.Request // httpserver.RequestBase(ctx)
	ep     int
	lfd    int // -1 once closed
	efd    int
	events [128]syscall.EpollEvent
	conns  []*conn // by descriptor
	nconns int
	timers timerHeap
	epoch  time.Time
	now    int64 // nanoseconds since epoch, read once per wake-up

	// Parsing: a reader over the buffered head (4 KB, as httpserver's, so
	// that the chunked decoder's line limits are the same).
	rd bytes.Reader
	br *bufio.Reader
	// free holds read buffers of idle connections for reuse.
	free [][]byte
	// scratch receives what a lingering connection discards.
	scratch []byte

	shutSeen    bool  // the loop has seen Shutdown
	acceptPause int64 // accepting resumes at this time (0: not paused)
	acceptDelay time.Duration

	// Upstream connections (step 2): by descriptor, idle ones by address,
	// in-flight ones by deadline; inDone is the Responder whose Upstream's
	// Done is running (an answer given there is written without a wake-up).
	ups      []*upConn
	idle     map[string][]*upConn
	upTimers upHeap
	inDone   atomic.Pointer[Responder]
	gen      int32 // the last registration's generation (nextGen)
	down     bool  // the loop is ending: an Upstream fails at once

	// turn is held by whoever advances the loop's state: the loop's
	// thread, except while it blocks in epoll_wait, or in between a
	// goroutine delivering an answer (deliver). ended and sleepUntil are
	// guarded by it.
	turn       sync.Mutex
	ended      bool  // run has returned
	sleepUntil int64 // when the blocked epoll_wait times out (0: never)

	mu     sync.Mutex // guards what other goroutines touch
	queue  []*Responder
	spare  []*Responder
	woken  bool // the eventfd holds an unread wake-up
	closed bool // efd is closed
}

func newLoop(s *Server, lfd int, ctx context.Context) (*loop, error) {
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		syscall.Close(lfd)
		return nil, fmt.Errorf("evloop: epoll_create1: %w", err)
	}
	r, _, e := syscall.RawSyscall(syscall.SYS_EVENTFD2, 0, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if e != 0 {
		syscall.Close(ep)
		syscall.Close(lfd)
		return nil, fmt.Errorf("evloop: eventfd: %w", e)
	}
	l := &loop{s: s, ctx: ctx, base: httpserver.RequestBase(ctx), ep: ep, lfd: lfd, efd: int(r), epoch: time.Now(), br: bufio.NewReaderSize(nil, 4<<10),
		idle: map[string][]*upConn{}}
	for _, fd := range []int{lfd, l.efd} {
		if err := syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, fd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(fd)}); err != nil {
			l.cleanup()
			return nil, fmt.Errorf("evloop: epoll_ctl: %w", err)
		}
	}
	return l, nil
}

// run is the loop: wait for readiness or the nearest deadline, advance the
// connections, repeat. It returns nil when the server is closed, or when it
// shuts down and the loop's last connection has closed.
func (l *loop) run() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	l.turn.Lock()
	defer l.turn.Unlock()
	defer l.cleanup()
	for {
		l.now = l.clock()
		if l.s.hard.Load() {
			return nil
		}
		if l.s.inShut.Load() && !l.shutSeen {
			l.beginShutdown()
		}
		if l.shutSeen && l.nconns == 0 {
			return nil
		}
		n, err := l.wait()
		if err != nil && err != syscall.EINTR {
			return fmt.Errorf("evloop: epoll_wait: %w", err)
		}
		l.now = l.clock()
		for i := 0; i < n; i++ {
			ev := &l.events[i]
			switch fd := int(ev.Fd); {
			case fd == l.efd:
				l.completions()
			case fd == l.lfd:
				l.accept()
			// A descriptor closed and reused within one batch: an event
			// left for the old one must not reach the new (the
			// registration's generation is in the event's spare word).
			case fd < len(l.conns) && l.conns[fd] != nil && l.conns[fd].gen == ev.Pad:
				l.conns[fd].event(ev.Events)
			case fd < len(l.ups) && l.ups[fd] != nil && l.ups[fd].gen == ev.Pad:
				l.ups[fd].event(ev.Events)
			}
		}
		l.expire()
	}
}

func (l *loop) clock() int64 { return int64(time.Since(l.epoch)) }

// wait is epoll_wait. Under load events are usually ready when the loop
// asks, so it first polls without blocking through a raw system call (no
// entersyscall/exitsyscall: the runtime sees a running goroutine, and its
// sysmon thread does not come to retake the loop's P), and blocks, as a
// normal system call, only when nothing is ready.
func (l *loop) wait() (int, error) {
	r, _, e := syscall.RawSyscall6(syscall.SYS_EPOLL_PWAIT, uintptr(l.ep),
		uintptr(unsafe.Pointer(&l.events[0])), uintptr(len(l.events)), 0, 0, 0)
	if e == 0 && r > 0 {
		return int(r), nil
	}
	ms := l.waitMillis()
	l.sleepUntil = 0
	if ms >= 0 {
		l.sleepUntil = l.now + int64(ms)*int64(time.Millisecond)
	}
	l.turn.Unlock()
	n, err := syscall.EpollWait(l.ep, l.events[:], ms)
	l.turn.Lock()
	return n, err
}

// deliver writes an answer a goroutine gave. When the loop is asleep in
// epoll_wait the goroutine writes it itself, under the loop's turn: waking
// the loop through the eventfd would cost the request a thread wake-up or
// two in latency (Lambda and the management API answer from goroutines).
// Otherwise, or when a deadline it set is nearer than the one the loop
// sleeps until, the loop is woken as before.
func (l *loop) deliver(res *Responder) {
	if !l.turn.TryLock() {
		l.post(res)
		return
	}
	defer l.turn.Unlock()
	if l.ended {
		return // the connections are closed: nobody to answer
	}
	l.now = l.clock()
	if c := res.c; c.res == res && !c.closed {
		c.finish(res)
		c.drive()
	}
	// The loop looks at the server's state when it wakes (a shutdown ends
	// it once its last connection closes) and sleeps until a deadline.
	if next := l.nextDeadline(); l.s.inShut.Load() || next != 0 && (l.sleepUntil == 0 || next < l.sleepUntil) {
		l.wake()
	}
}

// nextGen numbers a descriptor's registration with the epoll set.
func (l *loop) nextGen() int32 {
	l.gen++
	return l.gen
}

// waitMillis is epoll_wait's timeout: until the nearest deadline.
func (l *loop) waitMillis() int {
	next := l.nextDeadline()
	if next == 0 {
		return -1
	}
	d := next - l.now
	if d <= 0 {
		return 0
	}
	return int(min((d+int64(time.Millisecond)-1)/int64(time.Millisecond), math.MaxInt32))
}

// nextDeadline is the nearest deadline of the loop's timers (0: none).
func (l *loop) nextDeadline() int64 {
	next := int64(0)
	if len(l.timers) > 0 {
		next = l.timers[0].heapAt
	}
	if len(l.upTimers) > 0 && (next == 0 || l.upTimers[0].deadline < next) {
		next = l.upTimers[0].deadline
	}
	if l.acceptPause > 0 && (next == 0 || l.acceptPause < next) {
		next = l.acceptPause
	}
	return next
}

// expire handles the timers that are due.
func (l *loop) expire() {
	for len(l.timers) > 0 && l.timers[0].heapAt <= l.now {
		c := l.timers.pop()
		switch {
		case c.deadline == 0:
		case c.deadline > l.now:
			l.timers.set(c, c.deadline)
		default:
			c.close() // too slow: no one to answer
		}
	}
	l.expireUpstreams()
	if l.acceptPause > 0 && l.acceptPause <= l.now && l.lfd >= 0 {
		l.acceptPause = 0
		syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_ADD, l.lfd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(l.lfd)})
	}
}

func (l *loop) accept() {
	for {
		fd, sa, err := syscall.Accept4(l.lfd, syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
		if err != nil {
			switch err {
			case syscall.EAGAIN:
			case syscall.EINTR, syscall.ECONNABORTED:
				continue
			case syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM:
				// Out of descriptors or memory: stop accepting for a while
				// (as httpserver and net/http back off) instead of spinning
				// on a listener that stays readable.
				l.acceptDelay = min(max(2*l.acceptDelay, 5*time.Millisecond), time.Second)
				l.acceptPause = l.now + int64(l.acceptDelay)
				syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_DEL, l.lfd, nil)
			default:
				l.s.logger().Debug("http: accept", "err", err.Error())
			}
			return
		}
		l.acceptDelay = 0
		syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
		c := &conn{l: l, fd: fd, remote: sockaddrString(sa), first: true, writeReady: true, heapIdx: -1, since: l.now, gen: l.nextGen()}
		if err := syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_ADD, fd, &syscall.EpollEvent{Events: connEvents, Fd: int32(fd), Pad: c.gen}); err != nil {
			syscall.Close(fd)
			continue
		}
		for fd >= len(l.conns) {
			l.conns = append(l.conns, make([]*conn, len(l.conns)+64)...)
		}
		l.conns[fd] = c
		l.nconns++
		c.rearm()
	}
}

func sockaddrString(sa syscall.Sockaddr) string {
	switch a := sa.(type) {
	case *syscall.SockaddrInet4:
		return net.JoinHostPort(net.IP(a.Addr[:]).String(), strconv.Itoa(a.Port))
	case *syscall.SockaddrInet6:
		return net.JoinHostPort(net.IP(a.Addr[:]).String(), strconv.Itoa(a.Port))
	}
	return ""
}

// wake makes the loop look at the server's state.
func (l *loop) wake() {
	l.mu.Lock()
	l.signal()
	l.mu.Unlock()
}

// post queues an answer given outside the loop and wakes the loop.
func (l *loop) post(res *Responder) {
	l.mu.Lock()
	if !l.closed {
		l.queue = append(l.queue, res)
		l.signal()
	}
	l.mu.Unlock()
}

// signal writes the eventfd unless a wake-up is already pending; l.mu is held.
func (l *loop) signal() {
	if l.closed || l.woken {
		return
	}
	l.woken = true
	one := [8]byte{1, 0, 0, 0, 0, 0, 0, 1} // a non-zero counter on either byte order
	syscall.Write(l.efd, one[:])
}

// completions writes the answers given outside the loop.
func (l *loop) completions() {
	var b [8]byte
	syscall.Read(l.efd, b[:])
	l.mu.Lock()
	q := l.queue
	l.queue, l.spare = l.spare[:0], nil
	l.woken = false
	l.mu.Unlock()
	for i, res := range q {
		q[i] = nil
		if c := res.c; c.res == res && !c.closed {
			c.finish(res)
			c.drive()
		}
	}
	l.spare = q[:0]
}

// beginShutdown closes the listener and the idle connections; the others
// close after their response.
func (l *loop) beginShutdown() {
	l.shutSeen = true
	l.closeListener()
	l.closeIdleUpstreams()
	for _, c := range l.conns {
		if c != nil && c.phase == phaseIdle && c.off == len(c.in) && c.woff == len(c.out) {
			c.close()
		}
	}
}

func (l *loop) closeListener() {
	if l.lfd >= 0 {
		syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_DEL, l.lfd, nil)
		syscall.Close(l.lfd)
		l.lfd = -1
	}
}

// cleanup closes everything the loop owns.
func (l *loop) cleanup() {
	l.ended = true
	l.mu.Lock()
	if !l.closed {
		l.closed = true
		syscall.Close(l.efd)
	}
	l.queue = nil
	l.mu.Unlock()
	for _, c := range l.conns {
		if c != nil {
			c.close()
		}
	}
	l.failUpstreams()
	l.closeListener()
	if l.ep >= 0 {
		syscall.Close(l.ep)
		l.ep = -1
	}
}

// getBuf returns a read buffer.
func (l *loop) getBuf() []byte {
	if n := len(l.free); n > 0 {
		b := l.free[n-1]
		l.free = l.free[:n-1]
		return b
	}
	return make([]byte, 0, 4<<10)
}

// putBuf keeps a small read buffer for another connection.
func (l *loop) putBuf(b []byte) {
	if cap(b) <= 16<<10 && len(l.free) < 256 {
		l.free = append(l.free, b[:0])
	}
}

// Supported reports whether this system can run the server: epoll, an
// eventfd and SO_REUSEPORT (a sandbox may refuse some of them).
func Supported() error {
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return fmt.Errorf("evloop: epoll: %w", err)
	}
	defer syscall.Close(ep)
	r, _, e := syscall.RawSyscall(syscall.SYS_EVENTFD2, 0, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if e != 0 {
		return fmt.Errorf("evloop: eventfd: %w", e)
	}
	syscall.Close(int(r))
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("evloop: socket: %w", err)
	}
	defer syscall.Close(fd)
	if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, soReusePort, 1); err != nil {
		return fmt.Errorf("evloop: SO_REUSEPORT: %w", err)
	}
	return nil
}
