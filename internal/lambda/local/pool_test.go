package local

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	model "github.com/gatehouse-dev/gatehouse/internal/model/lambda"
)

// newTestPool is a pool with a concurrency of limit and no processes.
func newTestPool(limit int) *pool {
	r := &Runner{cfg: Config{DefaultConcurrency: limit, Now: time.Now, StopGrace: time.Millisecond}}
	return newPool(r, &Function{Name: "f"})
}

func fakeInstance() *pooled {
	return &pooled{instance: &instance{exited: make(chan struct{}), stopping: make(chan struct{})}}
}

type acquired struct {
	n   int
	in  *pooled
	err error
}

// queueWaiters starts n acquires that wait, in order, and returns their results.
func queueWaiters(t *testing.T, p *pool, ctxs []context.Context) <-chan acquired {
	t.Helper()
	out := make(chan acquired, len(ctxs))
	for i, ctx := range ctxs {
		go func() {
			in, _, _, err := p.acquire(ctx)
			out <- acquired{i, in, err}
		}()
		waitFor(t, func() bool { p.mu.Lock(); defer p.mu.Unlock(); return len(p.waiters) == i+1 })
	}
	return out
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
	}
}

// A released instance goes to the longest-waiting invocation, and only one
// waiter is woken per release.
func TestPoolHandsFreedInstanceToFirstWaiter(t *testing.T) {
	p := newTestPool(1)
	first, _, _, err := p.acquire(context.Background())
	if err != nil || first != nil {
		t.Fatalf("first acquire = %v, %v; want a slot for a new instance", first, err)
	}
	in := fakeInstance()
	bg := context.Background()
	got := queueWaiters(t, p, []context.Context{bg, bg, bg})
	for want := range 3 {
		p.release(in, true)
		a := <-got
		if a.n != want || a.in != in || a.err != nil {
			t.Fatalf("release %d went to waiter %d (%v, %v); want waiter %d, the instance", want, a.n, a.in, a.err, want)
		}
		p.mu.Lock()
		waiting, idle, count := len(p.waiters), len(p.idle), p.count
		p.mu.Unlock()
		if waiting != 2-want || idle != 0 || count != 1 {
			t.Fatalf("after release %d: %d waiting, %d idle, count %d; want %d, 0, 1", want, waiting, idle, count, 2-want)
		}
	}
	p.release(in, true)
	if p.count != 1 || len(p.idle) != 1 {
		t.Fatalf("with nobody waiting: count %d, idle %d; want the instance idle", p.count, len(p.idle))
	}
}

// An instance that goes away frees a slot for the first waiter, who starts
// a new instance; a waiter whose caller gives up leaves the queue.
func TestPoolAdmitsWaiterWhenInstanceStops(t *testing.T) {
	p := newTestPool(1)
	if _, _, _, err := p.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	gone, cancel := context.WithCancel(context.Background())
	got := queueWaiters(t, p, []context.Context{gone, context.Background()})
	cancel()
	if a := <-got; a.n != 0 || !errors.Is(a.err, context.Canceled) {
		t.Fatalf("cancelled waiter: %+v; want waiter 0 with context.Canceled", a)
	}
	dead := fakeInstance()
	close(dead.exited)
	p.release(dead, false)
	if a := <-got; a.n != 1 || a.in != nil || a.err != nil {
		t.Fatalf("after the instance stopped: %+v; want waiter 1 with a slot for a new instance", a)
	}
	if p.count != 1 || len(p.waiters) != 0 {
		t.Fatalf("count %d, %d waiting; want 1, 0", p.count, len(p.waiters))
	}
}

// Waiters are told to try again when the function changes: with reserved
// concurrency now, they are throttled rather than kept waiting.
func TestPoolWaitersRetryOnUpdate(t *testing.T) {
	p := newTestPool(1)
	if _, _, _, err := p.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := queueWaiters(t, p, []context.Context{context.Background()})
	one := 1
	p.update(&Function{Name: "f", Reserved: &one})
	if a := <-got; !errors.Is(a.err, lambda.ErrThrottled) {
		t.Fatalf("waiter after reserved concurrency 1 with one busy instance: %+v; want throttled", a)
	}
}

// parseName caches model.ParseName's answers, invalid names too, up to
// maxCachedNames entries.
func TestParseNameCache(t *testing.T) {
	r := &Runner{}
	names := []string{"f", "f:$LATEST", "123456789012:function:f", "arn:aws:lambda:us-east-1:123456789012:function:f:live",
		"arn:aws:lambda:nowhere:1:function:f", "bad name", ""}
	for range 2 {
		for _, s := range names {
			ref, ok := r.parseName(s)
			wref, wok := model.ParseName(s)
			if ref != wref || ok != wok {
				t.Errorf("parseName(%q) = %+v, %v; want %+v, %v", s, ref, ok, wref, wok)
			}
		}
	}
	if n := r.nameCount.Load(); n != int64(len(names)) {
		t.Errorf("%d names cached, want %d", n, len(names))
	}
	r.nameCount.Store(maxCachedNames)
	if _, ok := r.parseName("g"); !ok {
		t.Error(`parseName("g") failed`)
	}
	if _, cached := r.names.Load("g"); cached {
		t.Error("a name was cached past maxCachedNames")
	}
}
