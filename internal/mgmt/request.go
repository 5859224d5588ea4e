package mgmt

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
)

// Request is one decoded management call, handed to a Service. The server has
// already matched the operation, authenticated the caller, chosen the region and
// validated the body against the operation's input shape.
type Request struct {
	Ctx       context.Context
	RequestID string
	Region    string
	Op        *awsmodel.Operation
	// Labels are the decoded URI labels by wire name ("apiId", "resource-arn").
	Labels map[string]string
	Query  url.Values
	// Body holds the input's body members that were present, by wire name,
	// each already checked against its shape.
	Body map[string]json.RawMessage
	// Header is the request's headers (for members located in headers).
	Header http.Header
	// Payload is the raw request body when the input's payload member is a
	// blob (Lambda's Invoke); Body is then empty.
	Payload []byte
}

// Has reports whether the body carried member wire name.
func (r *Request) Has(name string) bool { _, ok := r.Body[name]; return ok }

// Service is one AWS management API (apigatewayv2, apigateway, lambda).
type Service interface {
	// Model is the service model the server matches and validates requests with.
	Model() *awsmodel.Service
	// Handle runs the operation and returns the value to encode as the JSON
	// response body (nil for none), or a *Reply to send as it is, or an error
	// (*awserr.Error for client errors).
	Handle(r *Request) (any, error)
}

// Reply is a response a service renders itself: headers located in the
// output shape and a raw body (a blob payload).
type Reply struct {
	Status int // 0 means the operation's success status
	Header http.Header
	Body   []byte
}

// ErrorShaper is implemented by services whose errors are not rendered as
// {"message": ...}. ShapeError may replace the error (for example, to give
// input validation failures the service's own type) and returns the body.
type ErrorShaper interface {
	ShapeError(e *awserr.Error) (*awserr.Error, []byte)
}

// BodyLimiter is implemented by services that accept request bodies larger
// than MaxBodyBytes (Lambda's base64 deployment packages).
type BodyLimiter interface {
	MaxBodyBytes() int64
}
