// Package exchange is the data plane's unit of work: one buffered request and
// the response that will answer it. API Gateway buffers whole requests and
// responses (10 MB limit), so every pipeline stage sees complete values and can
// replace the response before a byte is written.
//
// The inbound request is immutable once built; integrations build their own
// outbound requests from it.
package exchange

import (
	"net/http"
	"time"
)

// Request is the client's request as received.
type Request struct {
	Method string
	// RawPath is the path as sent (percent-encoded), stage prefix included;
	// Path is the path used for routing: stage (or API mapping) prefix removed.
	RawPath  string
	Path     string
	RawQuery string
	Proto    string // "HTTP/1.1"
	Host     string
	Header   http.Header
	Body     []byte
	// SourceIP is the client address (no port).
	SourceIP string
}

// Response is the buffered response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Exchange is one request in flight through the pipeline.
type Exchange struct {
	Req Request
	// Resp is set by the integration or by a stage that answers early.
	Resp *Response

	RequestID string
	Start     time.Time

	Region, APIID, Stage     string
	DomainName, DomainPrefix string
	// BasePathMatched is the API mapping key used on a custom domain.
	BasePathMatched string
	RouteKey        string
	// PathParams and RawPathParams are read-only (they may be one map).
	PathParams     map[string]string // decoded
	RawPathParams  map[string]string // as received (percent-encoded)
	StageVariables map[string]string

	// Filled as the request progresses, for $context and access logs.
	IntegrationStatus  int
	IntegrationLatency time.Duration
	IntegrationError   string
	ErrorMessage       string
	ErrorType          string
	AuthorizerContext  map[string]string
}

// NewResponse returns an empty response with the status.
func NewResponse(status int) *Response {
	return &Response{Status: status, Header: make(http.Header, 4)}
}
