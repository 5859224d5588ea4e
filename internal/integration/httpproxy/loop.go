package httpproxy

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/evloop"
	"github.com/gatehouse-dev/gatehouse/internal/exchange"
	"github.com/gatehouse-dev/gatehouse/internal/integration"
)

// InvokeOnLoop is Invoke for a request served by the event-loop server
// (step 2 of the engine plan in docs/architecture.md). It is called on the
// loop's thread and does not block: a plain-HTTP backend at an IP address
// is called on the loop itself (res.Upstream) and done runs there; any
// other backend (a host name to resolve, TLS) is called by Client on a new
// goroutine and done runs on that goroutine. The request, its mapping,
// framing, timeout and errors are Invoke's.
func (p *Proxy) InvokeOnLoop(ctx context.Context, x *exchange.Exchange, res *evloop.Responder, done integration.Completion) {
	lc := &loopCall{p: p, x: x, done: done}
	c := &lc.call
	if err := p.prepare(x, c); err != nil {
		done.Complete(nil, err)
		return
	}
	addr, ok := p.loopAddr(c.req.URL)
	if !ok {
		go func() {
			defer func() {
				if v := recover(); v != nil { // as for a panic in done on the loop: 500
					res.Recovered(v)
				}
			}()
			start := time.Now()
			resp, body, err := p.cfg.Client.Do(ctx, c.req, x.Req.Body, p.cfg.ServerName, start.Add(c.timeout))
			x.IntegrationLatency = time.Since(start)
			done.Complete(p.complete(x, c, resp, body, err))
		}()
		return
	}
	wb := wireBufs.Get().(*wireBuf)
	wb.buf.Reset()
	wb.bw.Reset(&wb.buf)
	if len(x.Req.Body) > 0 {
		c.req.Body = io.NopCloser(bytes.NewReader(x.Req.Body)) // for Request.Write's fallback
	}
	if err := writeRequest(wb.bw, c.req, x.Req.Body); err != nil {
		wireBufs.Put(wb)
		done.Complete(p.complete(x, c, nil, nil, err))
		return
	}
	wb.bw.Flush()
	lc.wb, lc.start = wb, time.Now()
	lc.up = evloop.Upstream{
		Addr:       addr,
		Request:    wb.buf.Bytes(),
		Deadline:   lc.start.Add(c.timeout),
		Idempotent: idempotent(c.req.Method),
		Handler:    lc,
	}
	res.Upstream(&lc.up)
}

// loopCall is one backend exchange on a loop: everything it needs in one
// allocation, its Upstream's handler included.
type loopCall struct {
	call
	p     *Proxy
	x     *exchange.Exchange
	done  integration.Completion
	wb    *wireBuf
	start time.Time
	up    evloop.Upstream
	resp  *http.Response
	respv http.Response // what resp usually points at
	body  []byte
}

var _ evloop.UpstreamHandler = (*loopCall)(nil)

// Parse implements evloop.UpstreamHandler.
func (lc *loopCall) Parse(b []byte, eof bool) (int, bool, error) {
	r, rb, n, err := parseResponse(b, lc.req, eof, &lc.respv)
	if err != nil || n == 0 {
		return 0, false, err
	}
	lc.resp, lc.body = r, rb
	return n, !r.Close && !lc.req.Close, nil
}

// Done implements evloop.UpstreamHandler.
func (lc *loopCall) Done(err error) {
	if lc.wb.buf.Cap() <= 1<<20 {
		wireBufs.Put(lc.wb)
	}
	lc.wb = nil
	lc.x.IntegrationLatency = time.Since(lc.start)
	lc.done.Complete(lc.p.complete(lc.x, &lc.call, lc.resp, lc.body, err))
}

// isIPPort reports whether addr is an IP literal with a port: what the
// loop can dial without resolving a name.
func isIPPort(addr string) bool {
	_, err := netip.ParseAddrPort(addr)
	return err == nil
}

// wireBuf holds a request as written on the wire until its exchange ends.
type wireBuf struct {
	buf bytes.Buffer
	bw  *bufio.Writer
}

var wireBufs = sync.Pool{New: func() any {
	wb := &wireBuf{}
	wb.bw = bufio.NewWriterSize(&wb.buf, 4096)
	return wb
}}
