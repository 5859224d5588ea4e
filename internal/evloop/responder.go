package evloop

import (
	"net/http"
	"runtime/debug"
	"sync/atomic"
)

// Responder answers one request. Exactly one of Respond or Abort is called,
// once, from the loop (inside ServeLoop) or from any goroutine later.
type Responder struct {
	c    *conn
	head bool // a HEAD request: no body on the wire

	status int
	header http.Header
	body   []byte
	abort  bool

	serving bool // ServeLoop has not returned (the loop's thread only)
	handoff bool // HandOff succeeded (the loop's thread only)

	claimed  atomic.Bool // Respond or Abort was called
	answered atomic.Bool // ... and its fields are written
	detached atomic.Bool // ServeLoop has returned
	taken    atomic.Bool // the loop has the answer, or it is on its way there
}

// Respond queues the response: the status line, header and body are
// written on the connection in request order. The server sets
// Content-Length (len(body); for a HEAD request the header's own value if
// it holds one valid length, and no body is sent), Date if absent, and
// Connection; it drops Transfer-Encoding, header names that are not tokens,
// and CR and LF in values (a response cannot be split). A Connection:
// close header closes the connection after the response. header and body
// belong to the server from this call on.
func (res *Responder) Respond(status int, header http.Header, body []byte) {
	if !res.claimed.CompareAndSwap(false, true) {
		panic("evloop: Responder used twice")
	}
	res.status, res.header, res.body = status, header, body
	res.publish()
}

// Abort closes the connection without a response (http.ErrAbortHandler).
func (res *Responder) Abort() {
	if !res.claimed.CompareAndSwap(false, true) {
		panic("evloop: Responder used twice")
	}
	res.abort = true
	res.publish()
}

// Recovered is for a handler's goroutine that recovered v from a panic:
// the panic is logged, and unless the request was answered already it is
// answered as a panic in ServeLoop is (500, the connection closed), or
// aborted for http.ErrAbortHandler.
func (res *Responder) Recovered(v any) {
	if v != http.ErrAbortHandler {
		res.c.l.s.logger().Error("http: panic serving request", "panic", v, "stack", string(debug.Stack()))
	}
	if !res.claimed.CompareAndSwap(false, true) {
		return
	}
	if v == http.ErrAbortHandler {
		res.abort = true
	} else {
		res.status, res.header, res.body = http.StatusInternalServerError,
			http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "Connection": {"close"}},
			[]byte("500 Internal Server Error")
	}
	res.publish()
}

// publish hands the answer to the loop: directly when ServeLoop is still
// running (the loop takes it when ServeLoop returns), else through the
// loop's completion queue.
func (res *Responder) publish() {
	res.answered.Store(true)
	if res.c.l.inDone.Load() == res {
		return // inside an Upstream's Done, on the loop: written when Done returns
	}
	if res.detached.Load() && res.taken.CompareAndSwap(false, true) {
		res.c.l.deliver(res)
	}
}

// returned is called by the loop when ServeLoop returns; it reports whether
// the answer is already there for the loop to write.
func (res *Responder) returned() bool {
	res.detached.Store(true)
	return res.answered.Load() && res.taken.CompareAndSwap(false, true)
}

// HandOff gives the connection to the server's HandOff (a server with a
// goroutine per connection) for the rest of its life, with the request
// being served and whatever the client sent after it: the request is read
// and served there again, from its bytes. Use it for a request that needs
// a goroutine (one that blocks) when the connection's next requests are
// likely to need one too: one hand-off per connection instead of a
// goroutine and a cross-thread answer per request.
//
// Only ServeLoop may call it, on the loop's thread, before it returns and
// before the request is answered. It returns true when the connection is
// handed off (when ServeLoop returns): neither res nor the request's body
// may be used again (the body is in the loop's buffer, reused). It
// returns false, and nothing changes, when the server has no HandOff or
// the connection cannot go now (an earlier response still unwritten,
// "100 Continue" already sent, the server shutting down).
func (res *Responder) HandOff() bool {
	if !res.serving || res.c.l.s.HandOff == nil || !res.c.canHandOff(res) {
		return false
	}
	if !res.claimed.CompareAndSwap(false, true) {
		return false
	}
	res.handoff = true
	return true
}

// Head reports whether the request is a HEAD request.
func (res *Responder) Head() bool { return res.head }
