package lambdaproxy

import (
	"context"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

func BenchmarkEvent20(b *testing.B) {
	x := sampleExchange()
	b.ReportAllocs()
	for b.Loop() {
		testEvent20(x, "123456789012")
	}
}

func BenchmarkEvent10(b *testing.B) {
	x := sampleExchange()
	b.ReportAllocs()
	for b.Loop() {
		testEvent10(x, "123456789012")
	}
}

func BenchmarkResponse20Structured(b *testing.B) {
	p := []byte(`{"statusCode":200,"headers":{"content-type":"application/json","x-a":"1"},"cookies":["a=1"],"body":"{\"ok\":true}"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := response20(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInvoke20 is the integration's whole overhead per request: event,
// invoke (an in-memory function), response.
func BenchmarkInvoke20(b *testing.B) {
	res := &lambda.Result{Payload: []byte(`{"statusCode":200,"headers":{"content-type":"text/plain"},"body":"hello"}`)}
	p, err := New(Config{URI: testARN, PayloadFormat: Format20, Invoker: invokerFunc(func(context.Context, *lambda.Invocation) (*lambda.Result, error) {
		return res, nil
	})})
	if err != nil {
		b.Fatal(err)
	}
	x := sampleExchange()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Invoke(ctx, x); err != nil {
			b.Fatal(err)
		}
	}
}
