package local

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

func TestGoFunctionRoundTripAndWarmReuse(t *testing.T) {
	r := newTestRunner(t, nil)
	fn := goFunction(t, r, "echo", nil)
	first := decode[goReply](t, invoke(t, r, "echo", map[string]any{"echo": "one"}).Payload)
	if first.Echo != "one" || first.ARN != fn.ARN || !first.Deadline || len(first.RequestID) != 36 {
		t.Fatalf("first reply = %+v", first)
	}
	second := decode[goReply](t, invoke(t, r, "echo", map[string]any{"echo": "two"}).Payload)
	if second.PID != first.PID {
		t.Errorf("second invocation ran in pid %d, want the warm instance %d", second.PID, first.PID)
	}
	if second.RequestID == first.RequestID {
		t.Errorf("request id reused: %s", second.RequestID)
	}
}

func TestInvocationNames(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "named", nil)
	for _, name := range []string{
		"named", "named:$LATEST", "123456789012:function:named",
		"arn:aws:lambda:us-east-1:123456789012:function:named",
		"arn:aws:lambda:us-east-1:123456789012:function:named:$LATEST",
	} {
		if _, err := invokeErr(r, name, map[string]any{}, false); err != nil {
			t.Errorf("Invoke(%q) = %v, want success", name, err)
		}
	}
	for _, name := range []string{
		"other", "named:live", "named:1", "999999999999:function:named",
		"arn:aws:lambda:eu-west-1:123456789012:function:named", "not a name",
	} {
		if _, err := invokeErr(r, name, map[string]any{}, false); !errors.Is(err, lambda.ErrNotFound) {
			t.Errorf("Invoke(%q) = %v, want ErrNotFound", name, err)
		}
	}
}

func TestFunctionErrorKeepsInstance(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "fails", nil)
	warm := decode[goReply](t, invoke(t, r, "fails", map[string]any{}).Payload)
	res := invoke(t, r, "fails", map[string]any{"error": "nope"})
	doc := decode[errDoc](t, res.Payload)
	if res.FunctionError != "Unhandled" || doc.ErrorMessage != "nope" || doc.ErrorType != "errorString" {
		t.Fatalf("error result = %q %s", res.FunctionError, res.Payload)
	}
	after := decode[goReply](t, invoke(t, r, "fails", map[string]any{}).Payload)
	if after.PID != warm.PID {
		t.Errorf("a handled error replaced the instance (pid %d → %d)", warm.PID, after.PID)
	}
}

func TestPanicReplacesInstance(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "panics", nil)
	before := decode[goReply](t, invoke(t, r, "panics", map[string]any{}).Payload)
	res := invoke(t, r, "panics", map[string]any{"panic": "boom"})
	doc := decode[errDoc](t, res.Payload)
	if res.FunctionError != "Unhandled" || doc.ErrorMessage != "boom" || doc.ErrorType != "string" {
		t.Fatalf("panic result = %q %s", res.FunctionError, res.Payload)
	}
	after := decode[goReply](t, invoke(t, r, "panics", map[string]any{}).Payload)
	if after.PID == before.PID {
		t.Errorf("instance that panicked (pid %d) was reused", before.PID)
	}
}

func TestCrashIsRuntimeExitError(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "crashes", nil)
	res := invoke(t, r, "crashes", map[string]any{"exit": 3})
	doc := decode[errDoc](t, res.Payload)
	if res.FunctionError != "Unhandled" || doc.ErrorType != "Runtime.ExitError" ||
		!strings.Contains(doc.ErrorMessage, "Runtime exited with error: exit status 3") {
		t.Fatalf("crash result = %q %s", res.FunctionError, res.Payload)
	}
	if got := decode[goReply](t, invoke(t, r, "crashes", map[string]any{"echo": "again"}).Payload); got.Echo != "again" {
		t.Fatalf("after a crash: %+v", got)
	}
}

func TestTimeoutKillsInstance(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "slow", func(f *Function) { f.Timeout = 300 * time.Millisecond })
	before := decode[goReply](t, invoke(t, r, "slow", map[string]any{}).Payload)
	start := time.Now()
	res := invoke(t, r, "slow", map[string]any{"sleepMs": 5000})
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("timed-out invocation took %v", took)
	}
	doc := decode[errDoc](t, res.Payload)
	if res.FunctionError != "Unhandled" || !strings.HasSuffix(doc.ErrorMessage, "Task timed out after 0.30 seconds") {
		t.Fatalf("timeout result = %q %s", res.FunctionError, res.Payload)
	}
	waitGone(t, before.PID)
	if after := decode[goReply](t, invoke(t, r, "slow", map[string]any{}).Payload); after.PID == before.PID {
		t.Errorf("timed-out instance was reused")
	}
}

// waitGone waits until pid no longer exists.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still running", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestConcurrencyLimitQueues: a function without reserved concurrency runs
// at most DefaultConcurrency instances; further invocations wait for one
// (AWS's account pool would have run them) instead of failing.
func TestConcurrencyLimitQueues(t *testing.T) {
	r := newTestRunner(t, func(c *Config) { c.DefaultConcurrency = 3 })
	goFunction(t, r, "busy", nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	pids := map[int]bool{}
	ok := 0
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := invokeErr(r, "busy", map[string]any{"sleepMs": 300}, false)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("Invoke: %v", err)
				return
			}
			ok++
			pids[decode[goReply](t, res.Payload).PID] = true
		}()
	}
	wg.Wait()
	if ok != 6 || len(pids) != 3 {
		t.Fatalf("6 parallel invocations with concurrency 3: %d answered by %d instances; want 6 by 3", ok, len(pids))
	}
}

// TestReservedConcurrencyThrottles: with reserved concurrency, invocations
// beyond it are throttled, as on Lambda.
func TestReservedConcurrencyThrottles(t *testing.T) {
	r := newTestRunner(t, nil)
	two := 2
	goFunction(t, r, "reserved", func(f *Function) { f.Reserved = &two })
	var wg sync.WaitGroup
	var mu sync.Mutex
	throttled, ok := 0, 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := invokeErr(r, "reserved", map[string]any{"sleepMs": 700}, false)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, lambda.ErrThrottled):
				throttled++
			case err != nil:
				t.Errorf("Invoke: %v", err)
			default:
				ok++
			}
		}()
	}
	wg.Wait()
	if ok != 2 || throttled != 2 {
		t.Fatalf("4 parallel invocations with reserved concurrency 2: %d answered, %d throttled; want 2 and 2", ok, throttled)
	}
}

// TestWaitingInvocationGivesUp: an invocation waiting for capacity ends
// with its caller's context.
func TestWaitingInvocationGivesUp(t *testing.T) {
	r := newTestRunner(t, func(c *Config) { c.DefaultConcurrency = 1 })
	goFunction(t, r, "single", nil)
	done := make(chan error, 1)
	go func() { _, err := invokeErr(r, "single", map[string]any{"sleepMs": 1500}, false); done <- err }()
	time.Sleep(300 * time.Millisecond) // the first invocation holds the only instance
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := r.Invoke(ctx, &lambda.Invocation{Region: "us-east-1", Function: "single", Payload: []byte(`{}`)})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting invocation: %v, want its context's deadline", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestReservedConcurrency(t *testing.T) {
	r := newTestRunner(t, nil)
	zero := 0
	goFunction(t, r, "off", func(f *Function) { f.Reserved = &zero })
	if _, err := invokeErr(r, "off", map[string]any{}, false); !errors.Is(err, lambda.ErrThrottled) {
		t.Fatalf("reserved concurrency 0: %v, want ErrThrottled", err)
	}
	one := 1
	goFunction(t, r, "off", func(f *Function) { f.Reserved = &one })
	if _, err := invokeErr(r, "off", map[string]any{}, false); err != nil {
		t.Fatalf("reserved concurrency 1: %v", err)
	}
}

func TestTailHasStartEndReportAndOutput(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "talks", nil)
	res, err := invokeErr(r, "talks", map[string]any{"print": "hello from go"}, true)
	if err != nil {
		t.Fatal(err)
	}
	logs, err := base64.StdEncoding.DecodeString(res.LogResult)
	if err != nil {
		t.Fatalf("LogResult is not base64: %v", err)
	}
	id := decode[goReply](t, res.Payload).RequestID
	lines := strings.Split(strings.TrimSpace(string(logs)), "\n")
	if len(lines) < 4 || lines[0] != "START RequestId: "+id+" Version: $LATEST" ||
		!contains(lines, "hello from go") || lines[len(lines)-2] != "END RequestId: "+id ||
		!strings.HasPrefix(lines[len(lines)-1], "REPORT RequestId: "+id+"\tDuration: ") ||
		!strings.Contains(lines[len(lines)-1], "Init Duration: ") {
		t.Fatalf("tail log:\n%s", logs)
	}
	// The next invocation's log holds only its own lines, and no init.
	res, _ = invokeErr(r, "talks", map[string]any{"print": "second"}, true)
	logs, _ = base64.StdEncoding.DecodeString(res.LogResult)
	if strings.Contains(string(logs), "hello from go") || !strings.Contains(string(logs), "second") ||
		strings.Contains(string(logs), "Init Duration") {
		t.Fatalf("second tail log:\n%s", logs)
	}
}

func TestTailIsBounded(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "verbose", nil)
	res, err := invokeErr(r, "verbose", map[string]any{"print": strings.Repeat("y", 10000)}, true)
	if err != nil {
		t.Fatal(err)
	}
	logs, _ := base64.StdEncoding.DecodeString(res.LogResult)
	if len(logs) != tailBytes || !strings.Contains(string(logs), "REPORT RequestId") {
		t.Fatalf("tail is %d bytes, want %d ending with REPORT", len(logs), tailBytes)
	}
}

func TestResponseTooLarge(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "big", nil)
	res := invoke(t, r, "big", map[string]any{"big": MaxPayloadBytes})
	if doc := decode[errDoc](t, res.Payload); res.FunctionError != "Unhandled" || doc.ErrorType != "Function.ResponseSizeTooLarge" {
		t.Fatalf("oversized response = %q %.200s", res.FunctionError, res.Payload)
	}
	if _, err := invokeErr(r, "big", strings.Repeat("z", MaxPayloadBytes), false); err == nil {
		t.Fatal("oversized request accepted")
	}
}

func TestMissingBootstrapIsInvalidEntrypoint(t *testing.T) {
	r := newTestRunner(t, nil)
	r.Put(Function{Region: "us-east-1", Name: "empty", Runtime: "provided.al2", CodeDir: t.TempDir(), Timeout: time.Second})
	res := invoke(t, r, "empty", map[string]any{})
	if doc := decode[errDoc](t, res.Payload); res.FunctionError != "Unhandled" || doc.ErrorType != "Runtime.InvalidEntrypoint" {
		t.Fatalf("missing bootstrap = %q %s", res.FunctionError, res.Payload)
	}
}

func TestEnvironment(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "env", func(f *Function) {
		f.Env = map[string]string{"GREETING": "hi", "AWS_REGION": "spoofed", "_LAMBDA_SERVER_PORT": "1"}
	})
	for k, want := range map[string]string{
		"GREETING": "hi", "AWS_REGION": "us-east-1", "AWS_LAMBDA_FUNCTION_NAME": "env",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/env",
		"_LAMBDA_SERVER_PORT": "", "LAMBDA_TASK_ROOT": goFunctionDir(t), "TZ": ":UTC",
	} {
		if got := decode[goReply](t, invoke(t, r, "env", map[string]any{"env": k}).Payload).Env; got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestUpdateReplacesInstances(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "upd", func(f *Function) { f.Env = map[string]string{"V": "1"} })
	before := decode[goReply](t, invoke(t, r, "upd", map[string]any{"env": "V"}).Payload)
	goFunction(t, r, "upd", func(f *Function) { f.Env = map[string]string{"V": "2"} })
	after := decode[goReply](t, invoke(t, r, "upd", map[string]any{"env": "V"}).Payload)
	if before.Env != "1" || after.Env != "2" || after.PID == before.PID {
		t.Fatalf("before update %+v, after %+v", before, after)
	}
	waitGone(t, before.PID)
}

func TestIdleInstancesAreReaped(t *testing.T) {
	r := newTestRunner(t, func(c *Config) { c.IdleTimeout = 200 * time.Millisecond })
	goFunction(t, r, "idle", nil)
	pid := decode[goReply](t, invoke(t, r, "idle", map[string]any{}).Payload).PID
	waitGone(t, pid)
}

func TestRemoveAndCloseStopInstances(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "a", nil)
	goFunction(t, r, "b", nil)
	pa := decode[goReply](t, invoke(t, r, "a", map[string]any{}).Payload).PID
	pb := decode[goReply](t, invoke(t, r, "b", map[string]any{}).Payload).PID
	r.Remove("us-east-1", "a")
	waitGone(t, pa)
	if _, err := invokeErr(r, "a", map[string]any{}, false); !errors.Is(err, lambda.ErrNotFound) {
		t.Errorf("invoking a removed function: %v", err)
	}
	// A busy instance is stopped by Close too.
	done := make(chan struct{})
	go func() {
		defer close(done)
		invokeErr(r, "b", map[string]any{"sleepMs": 10000}, false)
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	r.Close()
	waitGone(t, pb)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Close took %v", took)
	}
	<-done
}

func TestCallerCancellation(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "cancel", nil)
	warm := decode[goReply](t, invoke(t, r, "cancel", map[string]any{}).Payload)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := r.Invoke(ctx, &lambda.Invocation{Region: "us-east-1", Function: "cancel", Payload: []byte(`{"sleepMs":700}`)})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 600*time.Millisecond {
		t.Fatalf("Invoke with an expiring context = %v after %v", err, time.Since(start))
	}
	// The function runs to its end in the background; its instance is then
	// reused, not killed.
	time.Sleep(800 * time.Millisecond)
	if after := decode[goReply](t, invoke(t, r, "cancel", map[string]any{}).Payload); after.PID != warm.PID {
		t.Fatalf("the instance of an abandoned invocation was replaced (pid %d → %d)", warm.PID, after.PID)
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}
