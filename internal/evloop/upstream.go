package evloop

import "time"

// Upstream is one request to a backend made from a loop (step 2 of the
// engine plan): the loop sends Request over one of its pooled keep-alive
// connections to Addr and feeds what comes back to its Handler's Parse
// until that reports a whole response, all without leaving the loop's
// thread. The Handler's Done runs on the loop, exactly once.
type Upstream struct {
	// Addr is the backend as "ip:port" (an IP literal: the loop does not
	// resolve names) over plain TCP.
	Addr string
	// Request is the whole request, head and body, as written on the wire.
	Request []byte
	// Deadline bounds the exchange: connecting, writing and reading.
	// Handler.Done then gets os.ErrDeadlineExceeded.
	Deadline time.Time
	// Idempotent allows sending Request once more, on a new connection,
	// when a pooled connection turns out closed before any response byte
	// arrived (the backend closed it while idle).
	Idempotent bool
	// Handler reads the response and hears the end of the exchange. An
	// interface rather than two funcs: the integration's per-request
	// state implements it, with no closure allocated per request.
	Handler UpstreamHandler
}

// UpstreamHandler is what an Upstream reports to, on the loop's thread.
type UpstreamHandler interface {
	// Parse is given the bytes received so far (eof: the backend closed the
	// connection after them). It returns n > 0, the length of the
	// response, once b holds all of it, and whether the connection can
	// carry another request; 0 and no error while more is needed. b is
	// only valid during the call.
	Parse(b []byte, eof bool) (n int, keep bool, err error)
	// Done reports the end of the exchange, exactly once: nil once Parse
	// returned n > 0, ErrServerClosed when the loop ends first (Close, or
	// Shutdown once no client connection is left). A Responder answered
	// inside Done is written at once.
	Done(err error)
}
