package local

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// instance is one process running a function, with the Runtime API listener
// it polls. It runs at most one invocation at a time (the pool guarantees it).
type instance struct {
	fn  *Function
	now func() time.Time
	log *slog.Logger

	ln  net.Listener // the instance's Runtime API endpoint
	cmd *exec.Cmd
	out *output
	// ready is closed on the runtime's first poll (initialisation done).
	ready     chan struct{}
	readyOnce sync.Once
	// initFailed is closed when the runtime reports an init error.
	initFailed chan struct{}
	initOnce   sync.Once
	// stopping is closed when the instance is told to stop.
	stopping chan struct{}
	stopOnce sync.Once
	// exited is closed when the process has exited; exitErr says how.
	exited  chan struct{}
	exitErr error

	mu          sync.Mutex
	current     *invocation // taken by the runtime, not yet answered
	initFailure *outcome
	// waiting is the invocation that found no connection to give its event
	// on; the next poll read by a connection's goroutine takes it.
	waiting *invocation
	// idle are the connections nobody reads: polled (a GET next read and
	// unanswered) or between requests (the runtime's next one, normally its
	// poll, not read yet). An invocation takes one and answers the poll
	// itself (direct).
	idle []*rconn
	// reading is the connection an invoker waits on for a poll, with the
	// generation to interrupt it with when a poll arrives elsewhere.
	reading    *rconn
	readingGen uint64
	conns      map[*rconn]struct{} // every open connection
	gone       bool                // the process exited: connections close

	// Guarded by the pool's lock.
	lastUsed time.Time

	started time.Time
	readyAt time.Time // set before ready is closed
}

// startInstance starts a process for fn listening on its own Runtime API
// endpoint.
func (r *Runner) startInstance(fn *Function) (*instance, error) {
	path, args, err := r.command(fn)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the Runtime API: %w", err)
	}
	in := &instance{
		fn: fn, now: r.cfg.Now,
		log:        r.log.With("function", fn.Name, "region", fn.Region),
		ln:         ln,
		ready:      make(chan struct{}),
		initFailed: make(chan struct{}),
		stopping:   make(chan struct{}),
		exited:     make(chan struct{}),
		started:    r.cfg.Now(),
	}
	in.serveRuntimeAPI(ln)

	pr, pw, err := os.Pipe()
	if err != nil {
		in.closeRuntimeAPI()
		return nil, fmt.Errorf("creating the output pipe: %w", err)
	}
	cmd := exec.Command(path, args...)
	cmd.Dir = fn.CodeDir
	cmd.Env = r.environment(fn, ln.Addr().String())
	cmd.Stdin = nil
	cmd.Stdout = pw
	cmd.Stderr = pw
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		pw.Close()
		pr.Close()
		in.closeRuntimeAPI()
		return nil, err
	}
	pw.Close()
	in.cmd = cmd
	in.out = newOutput(pr, in.log)
	go in.out.run()
	go in.wait()
	r.track(in)
	return in, nil
}

// wait reaps the process, kills whatever it left in its process group, and
// closes the Runtime API listener.
func (in *instance) wait() {
	err := in.cmd.Wait()
	killGroup(in.cmd.Process.Pid, true)
	in.exitErr = err
	close(in.exited)
	in.stop(0)
	in.closeRuntimeAPI()
}

// polled records that the runtime is ready for events.
func (in *instance) polled() {
	in.readyOnce.Do(func() {
		in.readyAt = in.now()
		close(in.ready)
	})
}

// initDuration is how long the runtime took to poll for its first event.
func (in *instance) initDuration() time.Duration {
	select {
	case <-in.ready:
		return in.readyAt.Sub(in.started)
	default:
		return 0
	}
}

func (in *instance) signalInitFailure() { in.initOnce.Do(func() { close(in.initFailed) }) }

// alive reports whether the process is still running and not stopping.
func (in *instance) alive() bool {
	select {
	case <-in.exited:
		return false
	case <-in.stopping:
		return false
	default:
		return true
	}
}

// stop asks the process group to terminate (SIGTERM), then kills it
// (SIGKILL) after grace. It returns at once.
func (in *instance) stop(grace time.Duration) {
	in.stopOnce.Do(func() {
		close(in.stopping)
		go func() {
			select {
			case <-in.exited: // reaped already (wait killed what it left)
				return
			default:
			}
			if grace > 0 {
				killGroup(in.cmd.Process.Pid, false)
				t := time.NewTimer(grace)
				defer t.Stop()
				select {
				case <-in.exited:
					return
				case <-t.C:
				}
			}
			killGroup(in.cmd.Process.Pid, true)
		}()
	})
}

// run sends inv to the instance and waits for its outcome. healthy is false
// when the instance must not be reused (it crashed, timed out or failed to
// initialise). If ctx ends while the function runs, run returns ctx.Err()
// with running set: the function goes on, as on Lambda when a caller goes
// away, and the caller must collect it with await.
//
// A warm instance's connection is idle between invocations, and run takes
// it (direct): it answers the runtime's poll with the event and reads the
// result itself, so no other goroutine is woken. Otherwise (a cold start,
// or a runtime that has not come back yet) run leaves the invocation for the
// next poll and sleeps once, until the outcome: the runtime taking the event
// does not wake it. One timer serves both limits: it first fires at the
// earlier of the init timeout (counted from now, until the runtime takes the
// event) and the function timeout, and is re-armed for whatever remains of
// the limit that applies when it fires.
func (in *instance) run(ctx context.Context, inv *invocation, initTimeout time.Duration) (o outcome, healthy, running bool, err error) {
	in.out.attach(inv.log)
	queued := time.Now()
	for c := in.claim(inv); c != nil; c = in.claim(inv) {
		var res directResult
		res, o, healthy, err = in.direct(ctx, c, inv, queued, initTimeout)
		switch res {
		case directDone:
			return o, healthy, false, err
		case directRunning:
			return outcome{}, true, true, err
		case directTimeout:
			return o, false, false, nil
		}
		if inv.isTaken() {
			break // the event went out; the answer comes through any connection
		}
	}

	timer := time.NewTimer(min(initTimeout, inv.timeout))
	defer timer.Stop()
	initFailed := in.initFailed
	for {
		select {
		case o = <-inv.done:
			in.out.drain()
			in.out.detach()
			return o, true, false, nil
		case <-initFailed:
			if inv.isTaken() {
				initFailed = nil // the runtime initialised; only the invocation's end counts now
				continue
			}
			in.unwait(inv)
			in.out.detach()
			return in.takeInitFailure(inv), false, false, nil
		case <-in.exited:
			if inv.isTaken() {
				select {
				case o = <-inv.done: // answered, then exited (aws-lambda-go exits after a panic)
				default:
					o = in.exitOutcome(inv)
				}
				in.out.detach()
				return o, false, false, nil
			}
			in.unwait(inv)
			in.out.detach()
			select {
			case <-in.initFailed:
				return in.takeInitFailure(inv), false, false, nil
			default:
			}
			return in.exitOutcome(inv), false, false, nil
		case <-timer.C:
			if !inv.isTaken() {
				if left := initTimeout - time.Since(queued); left > 0 {
					timer.Reset(left)
					continue
				}
				if in.unwait(inv) {
					in.out.detach()
					return outcome{failed: true, errType: "Runtime.InitTimeout", payload: errorDocument("Runtime.InitTimeout",
						fmt.Sprintf("RequestId: %s Error: Runtime failed to start within %s", inv.id, initTimeout))}, false, false, nil
				}
				<-inv.taken // taken just now: the poll closes it next
			}
			if left := inv.timeout - time.Since(inv.takenAt); left > 0 {
				timer.Reset(left)
				continue
			}
			in.out.detach()
			return outcome{failed: true, errType: "Sandbox.Timedout", payload: timeoutDocument(in.now(), inv.id, inv.timeout)}, false, false, nil
		case <-ctx.Done():
			if !inv.isTaken() {
				if in.unwait(inv) { // not taken: the instance is free again
					in.out.detach()
					return outcome{}, true, false, ctx.Err()
				}
				<-inv.taken // taken just now: the poll closes it next
			}
			return outcome{}, true, true, ctx.Err()
		}
	}
}

// await waits for the outcome of an invocation the runtime has taken; ok is
// false if ctx ended first. On an outcome it closes the invocation's share
// of the output.
func (in *instance) await(ctx context.Context, inv *invocation) (o outcome, healthy, ok bool) {
	timer := time.NewTimer(inv.deadline.Sub(in.now()))
	defer timer.Stop()
	select {
	case o = <-inv.done:
		in.out.drain()
		healthy = true
	case <-in.exited:
		select {
		case o = <-inv.done: // answered, then exited (aws-lambda-go exits after a panic)
		default:
			o = in.exitOutcome(inv)
		}
	case <-timer.C:
		o = outcome{failed: true, errType: "Sandbox.Timedout", payload: timeoutDocument(in.now(), inv.id, inv.timeout)}
	case <-ctx.Done():
		return outcome{}, false, false
	}
	in.out.detach()
	return o, healthy, true
}

func (in *instance) takeInitFailure(inv *invocation) outcome {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.initFailure != nil {
		return *in.initFailure
	}
	return in.exitOutcome(inv)
}

// exitOutcome is the error of an invocation whose runtime exited under it.
func (in *instance) exitOutcome(inv *invocation) outcome {
	<-in.exited
	msg := "Runtime exited without providing a reason"
	var ee *exec.ExitError
	if errors.As(in.exitErr, &ee) {
		msg = "Runtime exited with error: " + ee.ProcessState.String()
	} else if in.exitErr != nil {
		msg = "Runtime exited with error: " + in.exitErr.Error()
	}
	return outcome{failed: true, errType: "Runtime.ExitError",
		payload: errorDocument("Runtime.ExitError", "RequestId: "+inv.id+" Error: "+msg)}
}

// timeoutDocument is Lambda's error for an invocation that passed its
// timeout: {"errorMessage":"2006-01-02T15:04:05.000Z <id> Task timed out after 3.00 seconds"}.
func timeoutDocument(now time.Time, id string, timeout time.Duration) []byte {
	return []byte(`{"errorMessage":"` + now.UTC().Format("2006-01-02T15:04:05.000Z") + " " + id +
		" Task timed out after " + strconv.FormatFloat(timeout.Seconds(), 'f', 2, 64) + ` seconds"}`)
}
