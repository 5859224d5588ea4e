package local

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// copyDir copies the files of testdata/src into a new temporary directory.
func copyDir(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func needInterpreter(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not installed", name)
	}
}

func interpFunction(t *testing.T, r *Runner, name, runtime, handler, dir string, watch bool) {
	t.Helper()
	r.Put(Function{Region: "us-east-1", Name: name, ARN: "arn:aws:lambda:us-east-1:123456789012:function:" + name,
		Runtime: runtime, Handler: handler, CodeDir: dir, Watch: watch, Timeout: 5 * time.Second, MemoryMB: 256})
}

type interpReply struct {
	Echo      string `json:"echo"`
	RequestID string `json:"requestId"`
	Remaining bool   `json:"remaining"`
	Style     string `json:"style"`
	Root      string `json:"root"`
	PID       int    `json:"pid"`
	Trace     string `json:"trace"`
}

func TestNodeAsyncAndCallbackHandlers(t *testing.T) {
	needInterpreter(t, "node")
	r := newTestRunner(t, nil)
	dir := copyDir(t, "testdata/node")
	interpFunction(t, r, "node-async", "nodejs20.x", "index.handler", dir, false)
	interpFunction(t, r, "node-cb", "nodejs22.x", "index.callback", dir, false)

	res, err := invokeErr(r, "node-async", map[string]any{"echo": "hi"}, true)
	if err != nil {
		t.Fatal(err)
	}
	got := decode[interpReply](t, res.Payload)
	if res.FunctionError != "" || got.Echo != "hi" || len(got.RequestID) != 36 || !got.Remaining {
		t.Fatalf("async handler = %q %s", res.FunctionError, res.Payload)
	}
	if logs := decodeTail(t, res.LogResult); !strings.Contains(logs, "\t"+got.RequestID+"\tINFO\tnode got {\"echo\":\"hi\"}") {
		t.Errorf("tail lacks the console.log line with the request id:\n%s", logs)
	}
	if got := decode[interpReply](t, invoke(t, r, "node-cb", map[string]any{"echo": "cb"}).Payload); got.Style != "callback" || got.Echo != "cb" {
		t.Fatalf("callback handler = %+v", got)
	}

	interpFunction(t, r, "node-esm", "nodejs22.x", "esm.handler", dir, false)
	if got := string(invoke(t, r, "node-esm", map[string]any{"echo": "module"}).Payload); got != `{"esm":true,"echo":"module"}` {
		t.Fatalf("ES module handler = %s", got)
	}

	// An error type with line breaks (it travels in a header) is still
	// reported as the function's error, not lost to a malformed request.
	res = invoke(t, r, "node-async", map[string]any{"errorName": "Bad\r\nno colon here"})
	if doc := decode[errDoc](t, res.Payload); res.FunctionError != "Unhandled" || doc.ErrorMessage != "named" {
		t.Fatalf("error with a CR/LF name = %q %s", res.FunctionError, res.Payload)
	}

	res = invoke(t, r, "node-async", map[string]any{"error": "bad thing"})
	doc := decode[errDoc](t, res.Payload)
	if res.FunctionError != "Unhandled" || doc.ErrorType != "Error" || doc.ErrorMessage != "bad thing" || len(doc.Trace) == 0 {
		t.Fatalf("async error = %q %s", res.FunctionError, res.Payload)
	}
	res = invoke(t, r, "node-cb", map[string]any{"error": "typed"})
	if doc := decode[errDoc](t, res.Payload); doc.ErrorType != "TypeError" || doc.ErrorMessage != "typed" {
		t.Fatalf("callback error = %s", res.Payload)
	}
}

// The Node bootstrap sends each result and its next poll in one write
// (pipelined). One instance serves a run of invocations, each with its own
// request id and trace header; a response the runner refuses (over 6 MB, after
// which it closes the connection and loses the poll sent with it) fails its
// invocation and the instance goes on serving.
func TestNodePipelinedInvocations(t *testing.T) {
	needInterpreter(t, "node")
	r := newTestRunner(t, nil)
	interpFunction(t, r, "node-pipe", "nodejs20.x", "index.handler", copyDir(t, "testdata/node"), false)
	first := decode[interpReply](t, invoke(t, r, "node-pipe", map[string]any{"echo": "0"}).Payload)
	seen := map[string]bool{}
	check := func(i int) {
		t.Helper()
		res := invoke(t, r, "node-pipe", map[string]any{"echo": strconv.Itoa(i)})
		got := decode[interpReply](t, res.Payload)
		if res.FunctionError != "" || got.Echo != strconv.Itoa(i) || got.PID != first.PID || seen[got.RequestID] ||
			!strings.HasPrefix(got.Trace, "Root=1-") || seen[got.Trace] {
			t.Fatalf("invocation %d = %q %s (first on pid %d)", i, res.FunctionError, res.Payload, first.PID)
		}
		seen[got.RequestID], seen[got.Trace] = true, true
	}
	for i := 1; i <= 50; i++ {
		check(i)
	}
	res := invoke(t, r, "node-pipe", map[string]any{"big": MaxPayloadBytes + 1<<20}) // past what the runner drains
	if doc := decode[errDoc](t, res.Payload); res.FunctionError != "Unhandled" || doc.ErrorType != "Function.ResponseSizeTooLarge" {
		t.Fatalf("oversized response = %q %.200s", res.FunctionError, res.Payload)
	}
	for i := 51; i <= 55; i++ {
		check(i)
	}
}

func TestNodeMissingModuleAndHandler(t *testing.T) {
	needInterpreter(t, "node")
	r := newTestRunner(t, nil)
	dir := copyDir(t, "testdata/node")
	interpFunction(t, r, "no-module", "nodejs20.x", "missing.handler", dir, false)
	interpFunction(t, r, "no-handler", "nodejs20.x", "index.nothere", dir, false)
	res := invoke(t, r, "no-module", map[string]any{})
	if doc := decode[errDoc](t, res.Payload); res.FunctionError != "Unhandled" || doc.ErrorType != "Runtime.ImportModuleError" ||
		!strings.Contains(doc.ErrorMessage, "Cannot find module 'missing'") {
		t.Fatalf("missing module = %q %s", res.FunctionError, res.Payload)
	}
	res = invoke(t, r, "no-handler", map[string]any{})
	if doc := decode[errDoc](t, res.Payload); doc.ErrorType != "Runtime.HandlerNotFound" || doc.ErrorMessage != "index.nothere is undefined or not exported" {
		t.Fatalf("missing handler = %s", res.Payload)
	}
}

func TestPythonHandler(t *testing.T) {
	needInterpreter(t, "python3")
	r := newTestRunner(t, nil)
	dir := copyDir(t, "testdata/python")
	interpFunction(t, r, "py", "python3.12", "app.handler", dir, false)
	res, err := invokeErr(r, "py", map[string]any{"echo": "snake"}, true)
	if err != nil {
		t.Fatal(err)
	}
	got := decode[interpReply](t, res.Payload)
	if res.FunctionError != "" || got.Echo != "snake" || len(got.RequestID) != 36 || !got.Remaining || got.Root != dir {
		t.Fatalf("python handler = %q %s", res.FunctionError, res.Payload)
	}
	if logs := decodeTail(t, res.LogResult); !strings.Contains(logs, "python got {'echo': 'snake'}") {
		t.Errorf("tail lacks the print output:\n%s", logs)
	}
	res = invoke(t, r, "py", map[string]any{"error": "wrong value"})
	if doc := decode[errDoc](t, res.Payload); res.FunctionError != "Unhandled" || doc.ErrorType != "ValueError" ||
		doc.ErrorMessage != "wrong value" || !strings.Contains(string(doc.StackTrace), "app.py") {
		t.Fatalf("python error = %q %s", res.FunctionError, res.Payload)
	}
	interpFunction(t, r, "py-missing", "python3.12", "nope.handler", dir, false)
	res = invoke(t, r, "py-missing", map[string]any{})
	if doc := decode[errDoc](t, res.Payload); doc.ErrorType != "Runtime.ImportModuleError" ||
		doc.ErrorMessage != "Unable to import module 'nope': No module named 'nope'" {
		t.Fatalf("python missing module = %s", res.Payload)
	}
}

func TestDirectoryModeReloadsChangedCode(t *testing.T) {
	needInterpreter(t, "node")
	r := newTestRunner(t, nil)
	dir := t.TempDir()
	write := func(v string) {
		src := "exports.handler = async () => ({ version: '" + v + "' });\n"
		if err := os.WriteFile(filepath.Join(dir, "index.js"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("one")
	interpFunction(t, r, "live", "nodejs20.x", "index.handler", dir, true)
	if got := string(invoke(t, r, "live", nil).Payload); got != `{"version":"one"}` {
		t.Fatalf("first = %s", got)
	}
	write("two!") // a different size, so the change is seen even within one mtime tick
	if got := string(invoke(t, r, "live", nil).Payload); got != `{"version":"two!"}` {
		t.Fatalf("after the edit = %s", got)
	}
}

func decodeTail(t *testing.T, s string) string {
	t.Helper()
	b, err := base64Decode(s)
	if err != nil {
		t.Fatalf("LogResult %q: %v", s, err)
	}
	return string(b)
}
