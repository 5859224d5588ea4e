package local

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lineRecorder is a slog.Handler that keeps the messages it is given.
type lineRecorder struct {
	mu    *sync.Mutex
	lines *[]string
}

func (h lineRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h lineRecorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h lineRecorder) WithGroup(string) slog.Handler            { return h }
func (h lineRecorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	*h.lines = append(*h.lines, r.Message)
	h.mu.Unlock()
	return nil
}

func (h lineRecorder) has(s string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, l := range *h.lines {
		if l == s {
			return true
		}
	}
	return false
}

// A function built with lambda.WithEnableSIGTERM registers through the
// Extensions API and hears SIGTERM before it is killed.
func TestStopSendsSIGTERMFirst(t *testing.T) {
	rec := lineRecorder{mu: &sync.Mutex{}, lines: &[]string{}}
	r := newTestRunner(t, func(c *Config) { c.Logger = slog.New(rec); c.StopGrace = 2 * time.Second })
	goFunction(t, r, "term", nil)
	pid := decode[goReply](t, invoke(t, r, "term", map[string]any{}).Payload).PID
	r.Close()
	waitGone(t, pid)
	deadline := time.Now().Add(2 * time.Second)
	for !rec.has("sigterm received") {
		if time.Now().After(deadline) {
			t.Fatalf("the function did not log its SIGTERM handler's line; log: %q", *rec.lines)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Processes a function starts die with its instance (process-group kill).
func TestChildProcessesDieWithInstance(t *testing.T) {
	needInterpreter(t, "python3")
	r := newTestRunner(t, nil)
	dir := t.TempDir()
	src := "import subprocess\ndef handler(event, context):\n    return {'child': subprocess.Popen(['sleep', '300']).pid}\n"
	if err := os.WriteFile(filepath.Join(dir, "spawn.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	interpFunction(t, r, "spawner", "python3.12", "spawn.handler", dir, false)
	got := decode[struct{ Child int }](t, invoke(t, r, "spawner", map[string]any{}).Payload)
	if got.Child == 0 {
		t.Fatal("no child pid")
	}
	r.Remove("us-east-1", "spawner")
	waitGone(t, got.Child)
}

// The Runtime API refuses answers for an invocation that is not in flight,
// and init errors fail the invocation that started the instance.
func TestRuntimeAPIProtocol(t *testing.T) {
	in := &instance{fn: &Function{Name: "p", ARN: "arn"}, now: time.Now, log: slog.New(slog.DiscardHandler),
		ready: make(chan struct{}), initFailed: make(chan struct{}), stopping: make(chan struct{}), exited: make(chan struct{})}
	srv := newRuntimeServer(t, in)

	resp := post(t, srv+"/2018-06-01/runtime/invocation/nope/response", `{}`)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("response for an unknown request id: %d, want 400", resp.StatusCode)
	}
	inv := newInvocation([]byte(`{"k":1}`), time.Second)
	in.mu.Lock()
	in.waiting = inv
	in.mu.Unlock()
	next, err := http.Get(srv + "/2018-06-01/runtime/invocation/next")
	if err != nil {
		t.Fatal(err)
	}
	next.Body.Close()
	if next.Header.Get("Lambda-Runtime-Aws-Request-Id") != inv.id || next.Header.Get("Lambda-Runtime-Deadline-Ms") == "" ||
		next.Header.Get("Lambda-Runtime-Invoked-Function-Arn") != "arn" {
		t.Fatalf("next headers: %v", next.Header)
	}
	resp = post(t, srv+"/2018-06-01/runtime/invocation/"+inv.id+"/error", `{"errorType":"Custom","errorMessage":"x"}`)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("error post: %d", resp.StatusCode)
	}
	if o := <-inv.done; !o.failed || o.errType != "Custom" {
		t.Fatalf("outcome = %+v", o)
	}
	if resp := post(t, srv+"/2018-06-01/runtime/invocation/"+inv.id+"/response", `{}`); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a second answer for the same invocation: %d, want 400", resp.StatusCode)
	}
	resp = post(t, srv+"/2018-06-01/runtime/init/error", `{"errorType":"Runtime.ImportModuleError","errorMessage":"no"}`)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("init error post: %d", resp.StatusCode)
	}
	select {
	case <-in.initFailed:
	default:
		t.Fatal("init error not signalled")
	}
	if in.initFailure == nil || in.initFailure.errType != "Runtime.ImportModuleError" {
		t.Fatalf("init failure = %+v", in.initFailure)
	}
}

// newRuntimeServer serves in's Runtime API on a new listener until the test
// ends, and returns its base URL.
func newRuntimeServer(t *testing.T, in *instance) string {
	t.Helper()
	ln, err := netListen()
	if err != nil {
		t.Fatal(err)
	}
	in.serveRuntimeAPI(ln)
	t.Cleanup(in.closeRuntimeAPI)
	return fmt.Sprintf("http://%s", ln.Addr())
}

func post(t *testing.T, url, body string) *http.Response {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}
