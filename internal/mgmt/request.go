package mgmt

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
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
}

// Has reports whether the body carried member wire name.
func (r *Request) Has(name string) bool { _, ok := r.Body[name]; return ok }

// Service is one AWS management API (apigatewayv2, apigateway, lambda).
type Service interface {
	// Model is the service model the server matches and validates requests with.
	Model() *awsmodel.Service
	// Handle runs the operation and returns the value to encode as the JSON
	// response body (nil for none), or an error (*awserr.Error for client errors).
	Handle(r *Request) (any, error)
}
