package local

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// pool holds one function's instances: idle ones ready for reuse (most
// recently used last) and a count of all of them, busy or starting, which
// the function's concurrency bounds. Invocations waiting for capacity queue
// in arrival order; a freed instance, or a free slot, is handed to the first
// of them directly, which wakes one goroutine rather than every waiter.
type pool struct {
	r *Runner

	mu     sync.Mutex
	fn     *Function
	gen    uint64 // bumped when fn or its directory changes
	print  uint64 // fingerprint of fn.CodeDir in directory mode
	idle   []*pooled
	count  int
	closed bool
	// waiters are the invocations waiting for capacity, first come first.
	waiters []*waiter
}

// waiter is an invocation waiting for capacity. It receives one grant.
type waiter struct{ grant chan grant }

// grant is what a waiter is given: an idle instance, a slot for a new one
// (nil instance, already counted), or, with retry, the advice to try again
// because the function's definition or limits changed.
type grant struct {
	in    *pooled
	fn    *Function
	gen   uint64
	retry bool
}

// pooled is an instance with the generation of the function it runs.
type pooled struct {
	*instance
	gen uint64
}

func newPool(r *Runner, fn *Function) *pool {
	p := &pool{r: r, fn: fn}
	if fn.Watch {
		p.print, _ = Fingerprint(fn.CodeDir)
	}
	return p
}

// update replaces the function's definition; idle instances of the old one
// stop now, busy ones when they finish.
func (p *pool) update(fn *Function) {
	p.mu.Lock()
	defer p.mu.Unlock()
	old := p.fn
	p.fn = fn
	if sameInstance(old, fn) {
		// Only the concurrency changed: warm instances stay, and waiting
		// invocations are admitted or throttled under the new limit now.
		p.retryAllLocked()
		return
	}
	if fn.Watch {
		p.print, _ = Fingerprint(fn.CodeDir)
	}
	p.bumpLocked()
}

// sameInstance reports whether instances started for a also serve b.
func sameInstance(a, b *Function) bool {
	return a.Revision == b.Revision && a.Runtime == b.Runtime && a.Handler == b.Handler &&
		a.CodeDir == b.CodeDir && a.Watch == b.Watch && a.Timeout == b.Timeout &&
		a.MemoryMB == b.MemoryMB && a.ARN == b.ARN && maps.Equal(a.Env, b.Env)
}

func (p *pool) bumpLocked() {
	p.gen++
	for _, in := range p.idle {
		p.count--
		in.stop(p.r.cfg.StopGrace)
	}
	p.idle = nil
	p.retryAllLocked()
}

// retryAllLocked wakes every waiting invocation to try again (a new
// definition, new limits, a closed pool).
func (p *pool) retryAllLocked() {
	for _, w := range p.waiters {
		w.grant <- grant{retry: true}
	}
	clear(p.waiters)
	p.waiters = p.waiters[:0]
}

// admitLocked hands free slots to waiting invocations, first come first,
// after an instance has gone.
func (p *pool) admitLocked() {
	for len(p.waiters) > 0 {
		if p.closed || p.fn.Reserved != nil {
			p.retryAllLocked() // throttled or not found: tryAcquire says which
			return
		}
		if p.count >= p.r.cfg.DefaultConcurrency {
			return
		}
		p.count++
		p.popWaiterLocked().grant <- grant{fn: p.fn, gen: p.gen}
	}
}

func (p *pool) popWaiterLocked() *waiter {
	w := p.waiters[0]
	p.waiters[0] = nil
	p.waiters = p.waiters[1:]
	if len(p.waiters) == 0 {
		p.waiters = nil // let the backing array go
	}
	return w
}

// removeWaiterLocked takes w out of the queue; false if it was granted already.
func (p *pool) removeWaiterLocked(w *waiter) bool {
	for i, x := range p.waiters {
		if x == w {
			p.waiters = slices.Delete(p.waiters, i, i+1)
			return true
		}
	}
	return false
}

// checkCode notices a change of a watched directory: instances started
// before it are replaced, so the next invocation runs the new code.
func (p *pool) checkCode() {
	p.mu.Lock()
	fn := p.fn
	p.mu.Unlock()
	if !fn.Watch {
		return
	}
	fp, err := Fingerprint(fn.CodeDir)
	if err != nil {
		return // the start of the instance reports a missing directory
	}
	p.mu.Lock()
	if p.fn == fn && fp != p.print {
		p.print = fp
		p.bumpLocked()
	}
	p.mu.Unlock()
}

// acquire returns an idle instance, or reserves a slot for a new one (nil
// instance). At the concurrency limit a function with reserved concurrency
// is throttled (ErrThrottled), as on Lambda; a function without waits, in
// arrival order, for a free instance until ctx ends: on AWS the account's
// unreserved pool (1,000 by default) would have absorbed the burst, which
// the local default (--lambda-concurrency) only bounds to spare the machine.
func (p *pool) acquire(ctx context.Context) (*pooled, *Function, uint64, error) {
	for {
		p.mu.Lock()
		in, fn, gen, wait, err := p.tryAcquireLocked()
		if !wait {
			p.mu.Unlock()
			return in, fn, gen, err
		}
		w := &waiter{grant: make(chan grant, 1)}
		p.waiters = append(p.waiters, w)
		p.mu.Unlock()
		var g grant
		select {
		case g = <-w.grant:
		case <-ctx.Done():
			p.mu.Lock()
			queued := p.removeWaiterLocked(w)
			p.mu.Unlock()
			if queued {
				return nil, nil, 0, ctx.Err()
			}
			// Granted meanwhile: pass the capacity on.
			if g = <-w.grant; !g.retry {
				p.giveBack(g)
			}
			return nil, nil, 0, ctx.Err()
		}
		if !g.retry {
			return g.in, g.fn, g.gen, nil
		}
	}
}

// giveBack returns a grant its waiter could not use.
func (p *pool) giveBack(g grant) {
	if g.in != nil {
		p.release(g.in, true)
		return
	}
	p.mu.Lock()
	p.count--
	p.admitLocked()
	p.mu.Unlock()
}

// tryAcquireLocked is one attempt of acquire; wait is set when the caller
// should queue and wait.
func (p *pool) tryAcquireLocked() (in *pooled, fn *Function, gen uint64, wait bool, err error) {
	if p.closed {
		return nil, nil, 0, false, lambda.ErrNotFound
	}
	for n := len(p.idle); n > 0; n = len(p.idle) {
		in := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		if in.gen == p.gen && in.alive() {
			return in, p.fn, p.gen, false, nil
		}
		p.count--
		in.stop(p.r.cfg.StopGrace)
	}
	if p.fn.Reserved != nil {
		if p.count >= *p.fn.Reserved {
			return nil, nil, 0, false, lambda.ErrThrottled
		}
	} else if p.count >= p.r.cfg.DefaultConcurrency {
		return nil, nil, 0, true, nil
	}
	p.count++
	return nil, p.fn, p.gen, false, nil
}

// release returns an instance to the first waiting invocation or to the
// idle list, or stops it.
func (p *pool) release(in *pooled, healthy bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if healthy && !p.closed && in.gen == p.gen && in.alive() {
		if len(p.waiters) > 0 && p.fn.Reserved == nil {
			p.popWaiterLocked().grant <- grant{in: in, fn: p.fn, gen: p.gen}
			return
		}
		in.lastUsed = p.r.cfg.Now()
		p.idle = append(p.idle, in)
		p.admitLocked()
		return
	}
	p.count--
	in.stop(p.r.cfg.StopGrace)
	p.admitLocked()
}

// reap stops instances idle since before cutoff.
func (p *pool) reap(cutoff time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	keep := p.idle[:0]
	for _, in := range p.idle {
		if in.lastUsed.Before(cutoff) || !in.alive() {
			p.count--
			in.stop(p.r.cfg.StopGrace)
			continue
		}
		keep = append(keep, in)
	}
	clear(p.idle[len(keep):])
	p.idle = keep
	p.admitLocked()
}

// close stops every idle instance; busy ones stop when released.
func (p *pool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.bumpLocked()
}

// invoke runs one invocation on a warm or new instance and writes its log
// lines (START, the function's output, END, REPORT).
func (p *pool) invoke(ctx context.Context, req *Request) (outcome, *invocationLog, error) {
	p.checkCode()
	in, fn, gen, err := p.acquire(ctx)
	if err != nil {
		return outcome{}, nil, err
	}
	now := p.r.cfg.Now
	inv := newInvocation(req.Payload, fn.Timeout)
	inv.clientContext = req.ClientContext
	inv.traceID = newTraceID(now())
	inv.log = &invocationLog{id: inv.id}
	log := invocationLogger{l: p.r.log, fn: fn, id: inv.id}
	start := now()
	line := "START RequestId: " + inv.id + " Version: $LATEST"
	inv.log.add(line)
	log.Info(line)

	cold := in == nil
	if cold {
		started, err := p.r.startInstance(fn)
		if err != nil {
			p.mu.Lock()
			p.count--
			p.admitLocked()
			p.mu.Unlock()
			o := outcome{failed: true, errType: "Runtime.InvalidEntrypoint",
				payload: errorDocument("Runtime.InvalidEntrypoint", "RequestId: "+inv.id+" Error: "+err.Error())}
			p.finish(log, inv, fn, o, start, 0)
			return o, inv.log, nil
		}
		in = &pooled{instance: started, gen: gen}
	}
	o, healthy, running, err := in.run(ctx, inv, p.r.cfg.InitTimeout)
	var initDur time.Duration
	if cold {
		initDur = in.initDuration()
	}
	if running {
		// The caller went away; the function runs to its end (or timeout)
		// in the background before the instance serves anyone else.
		log.Info("caller gone; the invocation continues", "err", err)
		go func() {
			o, healthy, _ := in.await(context.Background(), inv)
			p.finish(log, inv, fn, o, start, initDur)
			p.release(in, healthy)
		}()
		return outcome{}, nil, err
	}
	p.release(in, healthy)
	if err != nil {
		log.Info("invocation abandoned by its caller before it started", "err", err)
		return outcome{}, nil, err
	}
	p.finish(log, inv, fn, o, start, initDur)
	return o, inv.log, nil
}

// finish writes END and REPORT.
func (p *pool) finish(log invocationLogger, inv *invocation, fn *Function, o outcome, start time.Time, initDur time.Duration) {
	d := p.r.cfg.Now().Sub(start) - initDur
	end := "END RequestId: " + inv.id
	report := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\t",
		inv.id, ms(d), int64(ms(d))+1, fn.MemoryMB)
	if initDur > 0 {
		report += "Init Duration: " + strconv.FormatFloat(ms(initDur), 'f', 2, 64) + " ms\t"
	}
	switch o.errType {
	case "Sandbox.Timedout":
		report += "Status: timeout"
	case "Runtime.ExitError", "Runtime.InvalidEntrypoint", "Runtime.InitTimeout":
		report += "Status: error\tError Type: " + o.errType
	}
	inv.log.add(end)
	inv.log.add(report)
	log.Info(end)
	log.Info(report)
}

// invocationLogger logs an invocation's lines with the function, region and
// request id, building nothing when the level is off (the data plane's hot
// path).
type invocationLogger struct {
	l  *slog.Logger
	fn *Function
	id string
}

func (l invocationLogger) Info(msg string, args ...any) {
	ctx := context.Background()
	if !l.l.Enabled(ctx, slog.LevelInfo) {
		return
	}
	l.l.Log(ctx, slog.LevelInfo, msg, append([]any{"function", l.fn.Name, "region", l.fn.Region, "request_id", l.id}, args...)...)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
