package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// Parallel invocations of several functions while they are redefined,
// reaped and removed: every invocation either answers correctly or is
// throttled or not found, and nothing deadlocks or races.
func TestConcurrentInvokesUnderChange(t *testing.T) {
	if testing.Short() {
		t.Skip("stress test")
	}
	r := newTestRunner(t, func(c *Config) { c.DefaultConcurrency = 3; c.IdleTimeout = 150 * time.Millisecond })
	names := []string{"s0", "s1", "s2"}
	for _, n := range names {
		goFunction(t, r, n, nil)
	}
	stop := make(chan struct{})
	var churn sync.WaitGroup
	churn.Add(1)
	go func() {
		defer churn.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(30 * time.Millisecond):
			}
			n := names[i%len(names)]
			if i%7 == 6 {
				r.Remove("us-east-1", n)
			}
			goFunction(t, r, n, func(f *Function) { f.Env = map[string]string{"GEN": fmt.Sprint(i)} })
		}
	}()
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[string]int{}
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				n := names[(w+i)%len(names)]
				echo := fmt.Sprintf("%d-%d", w, i)
				res, err := invokeErr(r, n, map[string]any{"echo": echo, "sleepMs": i % 3}, i%5 == 0)
				mu.Lock()
				switch {
				case errors.Is(err, lambda.ErrThrottled):
					counts["throttled"]++
				case errors.Is(err, lambda.ErrNotFound):
					counts["not found"]++
				case err != nil:
					t.Errorf("Invoke(%s): %v", n, err)
				case res.FunctionError != "":
					t.Errorf("Invoke(%s): function error %s", n, res.Payload)
				default:
					if got := decode[goReply](t, res.Payload); got.Echo != echo {
						t.Errorf("Invoke(%s) answered %q, want %q", n, got.Echo, echo)
					}
					counts["ok"]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(stop)
	churn.Wait()
	t.Logf("outcomes: %v", counts)
	if counts["ok"] < 100 {
		t.Errorf("only %d of 200 invocations succeeded: %v", counts["ok"], counts)
	}
}

// Callers that go away at every stage of an invocation (waiting for an
// instance, before the runtime polls, while the function runs) against real
// aws-lambda-go instances: the instances stay usable, and every answer goes
// to its own invocation.
func TestCallersGoneUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("stress test")
	}
	r := newTestRunner(t, func(c *Config) { c.DefaultConcurrency = 2 })
	goFunction(t, r, "gone", nil)
	invoke(t, r, "gone", map[string]any{})
	var wg sync.WaitGroup
	var gone atomic.Int64
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				echo := fmt.Sprintf("%d-%d", w, i)
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(100+(w*331+i*173)%15000)*time.Microsecond)
				b, _ := json.Marshal(map[string]any{"echo": echo, "sleepMs": i % 3})
				res, err := r.Invoke(ctx, &lambda.Invocation{Region: "us-east-1", Function: "gone", Payload: b})
				cancel()
				switch {
				case errors.Is(err, context.DeadlineExceeded):
					gone.Add(1)
				case err != nil:
					t.Errorf("Invoke: %v", err)
				case res.FunctionError != "":
					t.Errorf("function error %s", res.Payload)
				default:
					if got := decode[goReply](t, res.Payload); got.Echo != echo {
						t.Errorf("answered %q, want %q", got.Echo, echo)
					}
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d of 240 callers went away", gone.Load())
	for i := range 20 {
		echo := fmt.Sprint("after-", i)
		if got := decode[goReply](t, invoke(t, r, "gone", map[string]any{"echo": echo}).Payload); got.Echo != echo {
			t.Fatalf("after the churn: answered %q, want %q", got.Echo, echo)
		}
	}
}
