package deploy

import (
	"context"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

func (u unsupported) Invoke(context.Context, *exchange.Exchange) (*exchange.Response, error) {
	return nil, exchange.InternalError(&UnsupportedError{What: u.what})
}
