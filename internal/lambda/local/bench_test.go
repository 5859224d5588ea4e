package local

import (
	"context"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// BenchmarkWarmInvoke measures one invocation of a warm Go function: the
// event to the instance over its Runtime API listener and the response back.
func BenchmarkWarmInvoke(b *testing.B) {
	r := newTestRunner(b, nil)
	goFunction(b, r, "warm", nil)
	in := &lambda.Invocation{Region: "us-east-1", Function: "warm", Payload: []byte(`{"echo":"x"}`)}
	ctx := context.Background()
	if _, err := r.Invoke(ctx, in); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := r.Invoke(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdStart measures the first invocation of a new Go function:
// starting the process, its initialisation and the invocation.
func BenchmarkColdStart(b *testing.B) {
	r := newTestRunner(b, func(c *Config) { c.DefaultConcurrency = 1 })
	goFunctionDir(b) // built before timing
	ctx := context.Background()
	i := 0
	for b.Loop() {
		name := fmt.Sprintf("cold%d", i)
		i++
		goFunction(b, r, name, nil)
		res, err := r.Invoke(ctx, &lambda.Invocation{Region: "us-east-1", Function: name, Payload: []byte(`{}`)})
		if err != nil || res.FunctionError != "" {
			b.Fatalf("cold invoke: %v %s", err, res.Payload)
		}
		b.StopTimer()
		r.Remove("us-east-1", name)
		b.StartTimer()
	}
}

// BenchmarkColdStartNode measures the first invocation of a new Node.js
// function (node's start-up, the bootstrap, loading the handler).
func BenchmarkColdStartNode(b *testing.B) {
	if _, err := exec.LookPath("node"); err != nil {
		b.Skip("node is not installed")
	}
	r := newTestRunner(b, nil)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		name := fmt.Sprintf("coldnode%d", i)
		i++
		r.Put(Function{Region: "us-east-1", Name: name, Runtime: "nodejs20.x", Handler: "index.handler",
			CodeDir: "testdata/node", Timeout: 5 * time.Second, MemoryMB: 128})
		res, err := r.Invoke(ctx, &lambda.Invocation{Region: "us-east-1", Function: name, Payload: []byte(`{"echo":"x"}`)})
		if err != nil || res.FunctionError != "" {
			b.Fatalf("cold invoke: %v %s", err, res.Payload)
		}
		b.StopTimer()
		r.Remove("us-east-1", name)
		b.StartTimer()
	}
}

// BenchmarkWarmInvokeLatency measures one invocation of a warm Go function
// that is already waiting for its next event (as between requests of a
// lightly loaded API): the pause between invocations is not timed.
func BenchmarkWarmInvokeLatency(b *testing.B) {
	r := newTestRunner(b, nil)
	goFunction(b, r, "idlewarm", nil)
	in := &lambda.Invocation{Region: "us-east-1", Function: "idlewarm", Payload: []byte(`{"echo":"x"}`)}
	ctx := context.Background()
	if _, err := r.Invoke(ctx, in); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		time.Sleep(500 * time.Microsecond) // the runtime polls for its next event meanwhile
		b.StartTimer()
		if _, err := r.Invoke(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdStartPython measures the first invocation of a new Python
// function.
func BenchmarkColdStartPython(b *testing.B) {
	if _, err := exec.LookPath("python3"); err != nil {
		b.Skip("python3 is not installed")
	}
	r := newTestRunner(b, nil)
	r.python() // resolved before timing
	dir := copyDir(b, "testdata/python")
	ctx := context.Background()
	i := 0
	for b.Loop() {
		name := fmt.Sprintf("coldpy%d", i)
		i++
		r.Put(Function{Region: "us-east-1", Name: name, Runtime: "python3.12", Handler: "app.handler",
			CodeDir: dir, Timeout: 5 * time.Second, MemoryMB: 128})
		res, err := r.Invoke(ctx, &lambda.Invocation{Region: "us-east-1", Function: name, Payload: []byte(`{"echo":"x"}`)})
		if err != nil || res.FunctionError != "" {
			b.Fatalf("cold invoke: %v %s", err, res.Payload)
		}
		b.StopTimer()
		r.Remove("us-east-1", name)
		b.StartTimer()
	}
}
