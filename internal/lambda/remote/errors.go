package remote

import (
	"context"
	"errors"
	"fmt"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// mapError turns an SDK error into the lambda package's: a missing function
// is lambda.ErrNotFound, throttling lambda.ErrThrottled, any other error the
// endpoint reported a *lambda.Error, and a context expiry stays one (so the
// integration can tell a timeout apart).
func (v *Invoker) mapError(ctx context.Context, in *lambda.Invocation, err error) error {
	name := in.Function
	if in.Qualifier != "" {
		name += ":" + in.Qualifier
	}
	var notFound *types.ResourceNotFoundException
	var throttled *types.TooManyRequestsException
	var api smithy.APIError
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("invoking %s remotely: %w", name, ctx.Err())
	case errors.As(err, &notFound):
		return fmt.Errorf("%w: %s (remote: %s)", lambda.ErrNotFound, name, notFound.ErrorMessage())
	case errors.As(err, &throttled):
		return fmt.Errorf("%w: %s (remote: %s)", lambda.ErrThrottled, name, throttled.ErrorMessage())
	case errors.As(err, &api):
		le := &lambda.Error{Type: api.ErrorCode(), Message: api.ErrorMessage()}
		var re *awshttp.ResponseError
		if errors.As(err, &re) {
			le.Status = re.HTTPStatusCode()
		}
		return le
	}
	return fmt.Errorf("invoking %s remotely: %w", name, err)
}
