//go:build unix

package local

import (
	"context"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// BenchmarkWarmInvokeParallel measures invocations of a warm Go function
// from 32 goroutines against the default concurrency of 10 (the c32 shape of
// bench/lambda): waiting for an instance is part of every invocation. It
// reports the runner's own CPU time per invocation (this process; the
// function processes are not counted) as cpu-µs/op.
func BenchmarkWarmInvokeParallel(b *testing.B) {
	r := newTestRunner(b, nil)
	goFunction(b, r, "par", nil)
	in := &lambda.Invocation{Region: "us-east-1", Function: "par", Payload: []byte(`{"echo":"x"}`)}
	ctx := context.Background()
	if _, err := r.Invoke(ctx, in); err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(32 / runtime.GOMAXPROCS(0))
	cpu0 := selfCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.Invoke(ctx, in); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(selfCPU()-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-µs/op")
}

// selfCPU is this process's user and system CPU time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
