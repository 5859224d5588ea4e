// Package integration defines what every integration type implements. Each
// type lives in its own package (httpproxy, and later lambdaproxy, mock, ...);
// the deploy step compiles a model.Integration into one of them.
package integration

import (
	"context"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

// Integration answers an exchange with a buffered response. Client-visible
// failures are *exchange.Error values.
type Integration interface {
	Invoke(ctx context.Context, x *exchange.Exchange) (*exchange.Response, error)
}

// Completion receives, exactly once, the outcome of an integration that
// runs on an event loop (httpproxy.Proxy.InvokeOnLoop). An interface, so
// that the gateway's per-request state receives it with no closure
// allocated per request.
type Completion interface {
	Complete(resp *exchange.Response, err error)
}

// CompletionFunc adapts a func to Completion.
type CompletionFunc func(resp *exchange.Response, err error)

// Complete implements Completion.
func (f CompletionFunc) Complete(resp *exchange.Response, err error) { f(resp, err) }
