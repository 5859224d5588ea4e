package local

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// The instance's side of its Runtime API connections: serving them, parking
// them between invocations, and the direct path, on which the invoking
// goroutine answers the runtime's poll and reads the result itself.
//
// Why: served the usual way, an invocation crosses goroutines twice (the
// invoker hands the event to the goroutine holding the runtime's poll, which
// hands the result back), and with two cores each hand-off tends to wake a
// second thread. On the direct path the only wake-ups are the network's.

// serveRuntimeAPI starts accepting the runtime's connections on ln.
func (in *instance) serveRuntimeAPI(ln net.Listener) {
	in.ln = ln
	in.conns = map[*rconn]struct{}{}
	go in.accept(ln)
}

func (in *instance) accept(ln net.Listener) {
	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of descriptors and the like: back off and retry, as net/http.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			time.Sleep(delay)
			continue
		}
		delay = 0
		c := newRconn(in, nc)
		in.mu.Lock()
		if in.gone {
			in.mu.Unlock()
			nc.Close()
			continue
		}
		in.conns[c] = struct{}{}
		in.mu.Unlock()
		go c.serve(nil)
	}
}

// closeRuntimeAPI closes the listener and every connection once the process
// has exited. A connection an invoker reads gets a last moment to deliver
// what the process wrote before it exited.
func (in *instance) closeRuntimeAPI() {
	in.mu.Lock()
	in.gone = true
	in.idle = nil
	var owned, others []*rconn
	for c := range in.conns {
		if c.owned {
			owned = append(owned, c)
		} else {
			others = append(others, c)
		}
	}
	in.mu.Unlock()
	if in.ln != nil {
		in.ln.Close()
	}
	for _, c := range others {
		c.nc.Close()
	}
	last := time.Now().Add(drainWait)
	for _, c := range owned {
		c.lastCall(last)
	}
}

func (in *instance) forget(c *rconn) {
	in.mu.Lock()
	delete(in.conns, c)
	in.mu.Unlock()
}

// claim gives inv an idle connection, preferring one whose poll is already
// read; with none, it leaves inv for the next poll (waiting) and returns nil.
func (in *instance) claim(inv *invocation) *rconn {
	in.mu.Lock()
	defer in.mu.Unlock()
	n := len(in.idle)
	if n == 0 {
		in.waiting = inv
		return nil
	}
	pick := n - 1
	for i, c := range in.idle {
		if c.polled {
			pick = i
			break
		}
	}
	c := in.idle[pick]
	in.idle[pick] = in.idle[n-1]
	in.idle[n-1] = nil
	in.idle = in.idle[:n-1]
	c.owned = true
	gen := c.arm()
	inv.conn, inv.connGen = c, gen
	if !c.polled {
		in.reading, in.readingGen = c, gen
	}
	return c
}

// notReading records that the invoker no longer waits for a poll on c.
func (in *instance) notReading(c *rconn) {
	in.mu.Lock()
	if in.reading == c {
		in.reading = nil
	}
	in.mu.Unlock()
}

// park puts c, between requests, in the idle list. It is false when an
// invocation waits for a poll: c must then be read, by the caller.
//
// At most one idle connection is left unread: an invoker can wait on only
// one, and a poll that comes on any other must be read (by that
// connection's goroutine, which then interrupts the invoker). An unread
// connection parked before c gets a goroutine.
func (in *instance) park(c *rconn) bool {
	in.mu.Lock()
	if in.waiting != nil {
		in.mu.Unlock()
		return false
	}
	if in.gone {
		delete(in.conns, c)
		in.mu.Unlock()
		c.nc.Close()
		return true
	}
	var old *rconn
	for i, x := range in.idle {
		if !x.polled {
			old = x
			in.idle = append(in.idle[:i], in.idle[i+1:]...)
			break
		}
	}
	c.owned = false
	c.arm()
	in.idle = append(in.idle, c)
	in.mu.Unlock()
	if old != nil {
		in.spawn(old, nil)
	}
	return true
}

// spawn hands c to a goroutine of its own, which answers req (if not nil)
// and reads on.
func (in *instance) spawn(c *rconn, req *http.Request) {
	in.mu.Lock()
	c.owned = false
	c.arm()
	in.mu.Unlock()
	go c.serve(req)
}

// dispose does what handle asked of an invoker that is done with c.
func (in *instance) dispose(c *rconn, act action) {
	switch act {
	case actNext:
		in.spawn(c, nil)
	case actClosed:
		c.close()
	case actHold:
		in.mu.Lock()
		c.owned = false
		in.mu.Unlock()
		go c.hold()
	}
}

// unwait takes inv back from waiting; false if a poll took it meanwhile.
func (in *instance) unwait(inv *invocation) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.waiting == inv {
		in.waiting = nil
		return true
	}
	return false
}

// take returns the in-flight invocation if id names it (and no longer in
// flight), with the connection its invoker reads, if any.
func (in *instance) take(id string) (*invocation, *rconn, uint64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	inv := in.current
	if inv == nil || inv.id != id {
		return nil, nil, 0
	}
	in.current = nil
	return inv, inv.conn, inv.connGen
}

// startLocked records that the runtime takes inv now. The caller closes
// inv.taken after unlocking.
func (in *instance) startLocked(inv *invocation) {
	inv.takenAt = time.Now()
	inv.deadline = in.now().Add(inv.timeout)
	in.current = inv
}

type directResult int

const (
	directDone    directResult = iota // an outcome (healthy), or the caller left before the event went out
	directRunning                     // the caller left after the event went out: the function runs on
	directTimeout                     // the init or function timeout passed (unhealthy)
	directRetry                       // c is gone: another connection, or the waiting path, takes over
)

// direct runs inv on c, which claim gave it: it reads the runtime's poll
// (unless read already), answers it with the event and reads the result.
func (in *instance) direct(ctx context.Context, c *rconn, inv *invocation, queued time.Time, initTimeout time.Duration) (directResult, outcome, bool, error) {
	if ctx.Done() != nil {
		gen := inv.connGen
		stop := context.AfterFunc(ctx, func() { c.interrupt(gen) })
		defer stop()
	}
	for !c.polled {
		deadline := queued.Add(initTimeout)
		req, err := c.readRequest(deadline)
		if err != nil {
			in.notReading(c)
			switch {
			case errors.Is(err, errInterrupted): // a poll on another connection, or the caller left
				if !in.park(c) {
					in.spawn(c, nil)
				}
				if ctx.Err() != nil {
					in.out.detach()
					return directDone, outcome{}, true, ctx.Err()
				}
				return directRetry, outcome{}, false, nil
			case !time.Now().Before(deadline):
				c.close()
				in.out.detach()
				return directTimeout, initTimeoutOutcome(inv, initTimeout), false, nil
			}
			if !isGone(err) {
				c.badRequest(err)
			}
			c.close()
			return directRetry, outcome{}, false, nil
		}
		if req.URL.Path == pathNext && req.Method == http.MethodGet {
			in.notReading(c)
			in.polled()
			c.polled, c.pollClose = true, req.Close || !drainBody(req)
			break
		}
		if act := in.handle(c, req); act != actNext {
			in.notReading(c)
			in.dispose(c, act)
			return directRetry, outcome{}, false, nil
		}
	}

	c.polled = false
	in.mu.Lock()
	in.startLocked(inv)
	in.mu.Unlock()
	close(inv.taken)
	if err := c.writeEvent(inv, in.fn.ARN, c.pollClose); err != nil || c.pollClose {
		c.close() // the answer comes on another connection, or the process is gone
		return directRetry, outcome{}, false, nil
	}
	deadline := time.Now().Add(inv.timeout)
	for {
		req, err := c.readRequest(deadline)
		if err != nil {
			switch {
			case errors.Is(err, errInterrupted):
				select {
				case o := <-inv.done: // answered on another connection
					if !in.park(c) {
						in.spawn(c, nil)
					}
					in.out.drain()
					in.out.detach()
					return directDone, o, true, nil
				default:
				}
				if ctx.Err() == nil {
					c.clearInterrupt() // a stale interrupt (a poll elsewhere, just before the event went out)
					continue
				}
				// The caller went away: the function runs on, and the answer
				// is read on c's own goroutine for await.
				in.spawn(c, nil)
				return directRunning, outcome{}, true, ctx.Err()
			case !time.Now().Before(deadline):
				c.close()
				in.out.detach()
				return directTimeout, outcome{failed: true, errType: "Sandbox.Timedout", payload: timeoutDocument(in.now(), inv.id, inv.timeout)}, false, nil
			}
			if !isGone(err) {
				c.badRequest(err)
			}
			c.close()
			return directRetry, outcome{}, false, nil // the process exited, or its answer comes elsewhere
		}
		act := in.handle(c, req)
		select {
		case o := <-inv.done:
			in.dispose(c, act)
			in.out.drain()
			in.out.detach()
			return directDone, o, true, nil
		default:
		}
		if act != actNext {
			in.dispose(c, act)
			return directRetry, outcome{}, false, nil
		}
	}
}

func initTimeoutOutcome(inv *invocation, initTimeout time.Duration) outcome {
	return outcome{failed: true, errType: "Runtime.InitTimeout", payload: errorDocument("Runtime.InitTimeout",
		fmt.Sprintf("RequestId: %s Error: Runtime failed to start within %s", inv.id, initTimeout))}
}
