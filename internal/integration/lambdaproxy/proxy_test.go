package lambdaproxy

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// invokerFunc adapts a function to lambda.Invoker.
type invokerFunc func(context.Context, *lambda.Invocation) (*lambda.Result, error)

func (f invokerFunc) Invoke(ctx context.Context, in *lambda.Invocation) (*lambda.Result, error) {
	return f(ctx, in)
}

const testARN = "arn:aws:lambda:us-east-1:123456789012:function:fn"

func newProxy(t *testing.T, cfg Config) *Proxy {
	t.Helper()
	if cfg.URI == "" {
		cfg.URI = testARN
	}
	if cfg.PayloadFormat == "" {
		cfg.PayloadFormat = Format20
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInvokePassesFunctionAndEvent(t *testing.T) {
	var got *lambda.Invocation
	p := newProxy(t, Config{URI: testARN + ":live", Invoker: invokerFunc(func(_ context.Context, in *lambda.Invocation) (*lambda.Result, error) {
		got = in
		return &lambda.Result{Payload: []byte(`{"statusCode":202,"body":"ok"}`)}, nil
	})})
	x := sampleExchange()
	resp, err := p.Invoke(context.Background(), x)
	if err != nil || resp.Status != 202 || string(resp.Body) != "ok" {
		t.Fatalf("Invoke = %+v, %v", resp, err)
	}
	if got.Function != testARN || got.Qualifier != "live" || got.Region != "us-east-1" || !strings.HasPrefix(string(got.Payload), `{"version":"2.0"`) {
		t.Errorf("invocation = %+v (payload %.40s)", got, got.Payload)
	}
	if x.IntegrationStatus != 200 || x.IntegrationError != "" {
		t.Errorf("recorded status %d, error %q", x.IntegrationStatus, x.IntegrationError)
	}
}

func TestInvokeFailures(t *testing.T) {
	for _, tc := range []struct {
		name      string
		res       *lambda.Result
		err       error
		status    int
		intStatus int
		errSays   string
	}{
		{name: "function error", res: &lambda.Result{FunctionError: "Unhandled", Payload: []byte(`{"errorMessage":"boom","errorType":"Error"}`)},
			status: 500, intStatus: 200, errSays: "Error: boom"},
		{name: "malformed output", res: &lambda.Result{Payload: []byte(`{"statusCode":"x"}`)}, status: 500, intStatus: 200, errSays: "malformed"},
		{name: "not found", err: lambda.ErrNotFound, status: 500, intStatus: 404, errSays: "function not found"},
		{name: "throttled", err: lambda.ErrThrottled, status: 500, intStatus: 429, errSays: "rate exceeded"},
		{name: "remote error", err: &lambda.Error{Status: 403, Type: "AccessDeniedException", Message: "no"}, status: 500, intStatus: 403, errSays: "AccessDeniedException"},
		{name: "no result", status: 500, errSays: "no result"},
		{name: "oversized output", res: &lambda.Result{Payload: make([]byte, MaxResponseBytes+1)}, status: 500, intStatus: 200, errSays: "limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newProxy(t, Config{Invoker: invokerFunc(func(context.Context, *lambda.Invocation) (*lambda.Result, error) { return tc.res, tc.err })})
			x := sampleExchange()
			_, err := p.Invoke(context.Background(), x)
			var ge *exchange.Error
			if !errors.As(err, &ge) || ge.Status != tc.status || ge.Message != "Internal Server Error" {
				t.Fatalf("Invoke error = %v, want %d Internal Server Error", err, tc.status)
			}
			if x.IntegrationStatus != tc.intStatus || !strings.Contains(x.IntegrationError, tc.errSays) {
				t.Errorf("recorded status %d error %q; want %d and %q", x.IntegrationStatus, x.IntegrationError, tc.intStatus, tc.errSays)
			}
		})
	}
}

func TestInvokeTimeoutIs503(t *testing.T) {
	p := newProxy(t, Config{Timeout: 50 * time.Millisecond, Invoker: invokerFunc(func(ctx context.Context, _ *lambda.Invocation) (*lambda.Result, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})})
	x := sampleExchange()
	start := time.Now()
	_, err := p.Invoke(context.Background(), x)
	var ge *exchange.Error
	if !errors.As(err, &ge) || ge.Status != http.StatusServiceUnavailable || ge.Message != "Service Unavailable" || ge.Type != "INTEGRATION_TIMEOUT" {
		t.Fatalf("Invoke error = %v, want 503", err)
	}
	if el := time.Since(start); el < 50*time.Millisecond || el > 2*time.Second {
		t.Errorf("timed out after %v, want about 50ms", el)
	}
	if x.IntegrationLatency < 50*time.Millisecond || !strings.Contains(x.IntegrationError, "timeout") {
		t.Errorf("recorded latency %v error %q", x.IntegrationLatency, x.IntegrationError)
	}
}

func TestNoInvokerAnswersAsAMissingFunction(t *testing.T) {
	p := newProxy(t, Config{})
	x := sampleExchange()
	_, err := p.Invoke(context.Background(), x)
	var ge *exchange.Error
	if !errors.As(err, &ge) || ge.Status != 500 || x.IntegrationStatus != 404 {
		t.Fatalf("Invoke error = %v, integration status %d; want 500 and 404", err, x.IntegrationStatus)
	}
}

func TestStageVariableURI(t *testing.T) {
	var got *lambda.Invocation
	p := newProxy(t, Config{URI: "arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}",
		Invoker: invokerFunc(func(_ context.Context, in *lambda.Invocation) (*lambda.Result, error) {
			got = in
			return &lambda.Result{Payload: []byte(`"ok"`)}, nil
		})})
	x := sampleExchange()
	x.StageVariables = map[string]string{"fn": "orders:blue"}
	if _, err := p.Invoke(context.Background(), x); err != nil {
		t.Fatal(err)
	}
	if got.Function != "arn:aws:lambda:us-east-1:123456789012:function:orders" || got.Qualifier != "blue" {
		t.Errorf("invocation %s qualifier %s", got.Function, got.Qualifier)
	}
	x.StageVariables = map[string]string{"fn": "bad name"}
	if _, err := p.Invoke(context.Background(), x); err == nil || !strings.Contains(x.IntegrationError, "invalid function name") {
		t.Errorf("bad stage variable: %v, %q", err, x.IntegrationError)
	}
}

func TestNewRejects(t *testing.T) {
	if _, err := New(Config{URI: testARN, PayloadFormat: "3.0"}); err == nil || !strings.Contains(err.Error(), "payloadFormatVersion") {
		t.Errorf("format 3.0: %v", err)
	}
	if _, err := New(Config{URI: "http://x", PayloadFormat: Format10}); err == nil {
		t.Error("an HTTP URL compiled as a Lambda proxy")
	}
}
