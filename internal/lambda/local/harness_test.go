package local

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// The Go test function (testdata/gofn) is built once per test binary.
var (
	goFnOnce sync.Once
	goFnDir  string
	goFnErr  error
)

// goFunctionDir returns a directory holding the test function built as an
// executable named bootstrap (provided.al2023).
func goFunctionDir(t testing.TB) string {
	t.Helper()
	goFnOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gatehouse-gofn-")
		if err != nil {
			goFnErr = err
			return
		}
		goFnDir = dir
		gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
		cmd := exec.Command(gobin, "build", "-o", filepath.Join(dir, "bootstrap"), "./testdata/gofn")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false")
		if out, err := cmd.CombinedOutput(); err != nil {
			goFnErr = &buildError{err: err, out: string(out)}
		}
	})
	if goFnErr != nil {
		t.Fatalf("building testdata/gofn: %v", goFnErr)
	}
	return goFnDir
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// newTestRunner returns a runner whose instances are stopped when the test ends.
func newTestRunner(t testing.TB, mod func(*Config)) *Runner {
	t.Helper()
	cfg := Config{AccountID: "123456789012", DataDir: t.TempDir(), StopGrace: 200 * time.Millisecond}
	if mod != nil {
		mod(&cfg)
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// goFunction registers the Go test function as name.
func goFunction(t testing.TB, r *Runner, name string, mod func(*Function)) *Function {
	t.Helper()
	fn := Function{Region: "us-east-1", Name: name, ARN: "arn:aws:lambda:us-east-1:123456789012:function:" + name,
		Runtime: "provided.al2023", Handler: "bootstrap", CodeDir: goFunctionDir(t), Timeout: 3 * time.Second, MemoryMB: 128}
	if mod != nil {
		mod(&fn)
	}
	r.Put(fn)
	return &fn
}

func invoke(t testing.TB, r *Runner, name string, event any) *lambda.Result {
	t.Helper()
	res, err := invokeErr(r, name, event, false)
	if err != nil {
		t.Fatalf("Invoke(%s): %v", name, err)
	}
	return res
}

func invokeErr(r *Runner, name string, event any, tail bool) (*lambda.Result, error) {
	b, err := json.Marshal(event)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return r.Invoke(ctx, &lambda.Invocation{Region: "us-east-1", Function: name, Payload: b, Tail: tail})
}

// goReply is testdata/gofn's answer.
type goReply struct {
	Echo      string `json:"echo"`
	RequestID string `json:"requestId"`
	ARN       string `json:"arn"`
	PID       int    `json:"pid"`
	Env       string `json:"env"`
	Deadline  bool   `json:"deadline"`
	Big       string `json:"big"`
}

// errDoc is a Lambda error document.
type errDoc struct {
	ErrorType    string          `json:"errorType"`
	ErrorMessage string          `json:"errorMessage"`
	StackTrace   json.RawMessage `json:"stackTrace"` // strings (Python) or frames (Go)
	Trace        []string        `json:"trace"`      // Node.js
}

func decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}

func base64Decode(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }

func netListen() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

// TestMain removes the test function built for the package's tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if goFnDir != "" {
		os.RemoveAll(goFnDir)
	}
	os.Exit(code)
}
