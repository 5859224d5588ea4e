package local

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"testing"
	"time"
)

// newProcesslessInstance is an instance with a Runtime API server and an
// output pipe but no process: the test plays the runtime.
func newProcesslessInstance(t *testing.T) (*instance, string) {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pw.Close() })
	in := &instance{fn: &Function{Name: "p", ARN: "arn"}, now: time.Now, log: slog.New(slog.DiscardHandler),
		ready: make(chan struct{}), initFailed: make(chan struct{}), stopping: make(chan struct{}),
		exited: make(chan struct{}), out: newOutput(pr, slog.New(slog.DiscardHandler))}
	go in.out.run()
	return in, newRuntimeServer(t, in)
}

func TestRunInitTimeoutWhenNeverPolled(t *testing.T) {
	in, _ := newProcesslessInstance(t)
	inv := newInvocation([]byte(`{}`), 10*time.Second)
	inv.log = &invocationLog{id: inv.id}
	o, healthy, running, err := in.run(context.Background(), inv, 30*time.Millisecond)
	if err != nil || running || healthy || o.errType != "Runtime.InitTimeout" {
		t.Fatalf("run = %+v, healthy %v, running %v, %v; want Runtime.InitTimeout, unhealthy", o, healthy, running, err)
	}
}

// The function timeout counts from when the runtime takes the event, not
// from when the invocation was queued: the single timer is re-armed.
func TestRunFunctionTimeoutCountsFromTake(t *testing.T) {
	in, srv := newProcesslessInstance(t)
	const timeout = 80 * time.Millisecond
	inv := newInvocation([]byte(`{}`), timeout)
	inv.log = &invocationLog{id: inv.id}
	go func() {
		time.Sleep(timeout / 2) // the first timer expiry finds the event taken halfway
		if resp, err := http.Get(srv + pathNext); err == nil {
			resp.Body.Close()
		}
	}()
	o, healthy, running, err := in.run(context.Background(), inv, 10*time.Second)
	if err != nil || running || healthy || o.errType != "Sandbox.Timedout" {
		t.Fatalf("run = %+v, healthy %v, running %v, %v; want Sandbox.Timedout, unhealthy", o, healthy, running, err)
	}
	if !inv.isTaken() {
		t.Fatal("the invocation was never taken")
	}
	if d := time.Since(inv.takenAt); d < timeout {
		t.Errorf("timed out %v after the take, before the function timeout %v", d, timeout)
	}
}

func TestRunAnswerAndCallerGone(t *testing.T) {
	in, srv := newProcesslessInstance(t)
	inv := newInvocation([]byte(`{}`), 10*time.Second)
	inv.log = &invocationLog{id: inv.id}
	go func() {
		if resp, err := http.Get(srv + pathNext); err == nil {
			resp.Body.Close()
		}
		post(t, srv+pathInvocation+inv.id+"/response", `{"ok":1}`)
	}()
	o, healthy, running, err := in.run(context.Background(), inv, 10*time.Second)
	if err != nil || running || !healthy || o.failed || string(o.payload) != `{"ok":1}` {
		t.Fatalf("run = %+v, healthy %v, running %v, %v; want the answer", o, healthy, running, err)
	}

	// A caller that goes away before the runtime polls leaves the instance free.
	inv = newInvocation([]byte(`{}`), 10*time.Second)
	inv.log = &invocationLog{id: inv.id}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, healthy, running, err = in.run(ctx, inv, 10*time.Second)
	if err == nil || running || !healthy || in.waiting != nil {
		t.Fatalf("run with a gone caller: healthy %v, running %v, %v, waiting %v; want ctx error, free instance", healthy, running, err, in.waiting)
	}
}
