// Package lambda is the contract between the data plane and functions: an
// Invoker runs a function synchronously, wherever it lives (a local process
// through the Runtime API, or a remote Lambda-compatible endpoint).
//
// Implementations: internal/lambda/local (functions registered with the
// Lambda management API) and internal/lambda/remote (the Lambda Invoke API of
// a configured endpoint). Chain tries them in order.
package lambda

import (
	"context"
	"errors"
)

// Invoker runs functions synchronously (InvocationType RequestResponse).
type Invoker interface {
	// Invoke runs the function and returns its result. A function that ran and
	// failed is not an error: Result.FunctionError says so. Errors are for
	// invocations that could not run: ErrNotFound, ErrThrottled, context
	// expiry, or an *Error from a remote endpoint.
	Invoke(ctx context.Context, in *Invocation) (*Result, error)
}

// Invocation names a function and carries its event.
type Invocation struct {
	// Region is the region of the caller (an API's region); it scopes plain
	// function names. An ARN names its own region.
	Region string
	// Function is what the Lambda Invoke API accepts as FunctionName: a name
	// ("my-fn"), a name with a qualifier ("my-fn:live"), a partial ARN
	// ("000000000000:function:my-fn") or a full ARN, optionally qualified.
	Function string
	// Qualifier is a version or alias; empty means $LATEST unless Function
	// carries one.
	Qualifier string
	// Payload is the event, usually JSON.
	Payload []byte
	// Tail asks for the last 4 KB of the invocation's logs (LogType: Tail).
	Tail bool
}

// Result is what a function returned.
type Result struct {
	// Payload is the function's response, or its error document
	// ({"errorMessage","errorType",...}) when FunctionError is set.
	Payload []byte
	// FunctionError is "" on success and "Unhandled" when the function
	// failed (an error, a crash, a timeout), as in X-Amz-Function-Error.
	FunctionError string
	// LogResult is the base64 of the last 4 KB of logs when Tail was asked.
	LogResult string
	// ExecutedVersion is the version that ran ("$LATEST").
	ExecutedVersion string
}

var (
	// ErrNotFound means the Invoker does not know the function; Chain then
	// asks the next Invoker.
	ErrNotFound = errors.New("lambda: function not found")
	// ErrThrottled means the function's concurrency is exhausted
	// (TooManyRequestsException).
	ErrThrottled = errors.New("lambda: rate exceeded")
)

// Error is an error reported by a Lambda endpoint in AWS's shape.
type Error struct {
	Status  int
	Type    string // x-amzn-ErrorType, e.g. "ResourceNotFoundException"
	Message string
}

func (e *Error) Error() string { return "lambda: " + e.Type + ": " + e.Message }

// Chain tries each Invoker in order, moving on only when one reports
// ErrNotFound.
type Chain []Invoker

// Invoke implements Invoker.
func (c Chain) Invoke(ctx context.Context, in *Invocation) (*Result, error) {
	for _, inv := range c {
		if inv == nil {
			continue
		}
		res, err := inv.Invoke(ctx, in)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		return res, err
	}
	return nil, ErrNotFound
}
