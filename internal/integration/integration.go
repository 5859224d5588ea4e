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
