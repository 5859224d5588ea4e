// Package lambdaproxy is the AWS_PROXY (Lambda proxy) integration of HTTP
// APIs: it turns the buffered request into a payload format 1.0 or 2.0
// event, invokes the function through a lambda.Invoker, and turns the
// function's output into the client's response
// [DG:http-api-develop-integrations-lambda, aws-behavior §3.3–3.4].
//
// Outcomes as AWS gives them: a function error, a malformed output, a missing
// function, Lambda throttling or any other invoke failure answer 500
// {"message":"Internal Server Error"}; passing timeoutInMillis answers 503
// {"message":"Service Unavailable"}.
package lambdaproxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
	"github.com/gatehouse-dev/gatehouse/internal/integration"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/mapping"
)

// Payload format versions (payloadFormatVersion).
const (
	Format10 = "1.0"
	Format20 = "2.0"
)

// DefaultTimeout is an HTTP API integration's default timeoutInMillis.
const DefaultTimeout = 30 * time.Second

// MaxResponseBytes bounds a function's output (API Gateway's payload limit).
const MaxResponseBytes = 10 << 20

// Config is a compiled AWS_PROXY integration.
type Config struct {
	// URI is the integrationUri: a function ARN (optionally qualified) or its
	// arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations form.
	URI string
	// PayloadFormat is payloadFormatVersion, "1.0" or "2.0".
	PayloadFormat string
	// Timeout is timeoutInMillis; at the deadline the client gets 503.
	// Zero means DefaultTimeout.
	Timeout time.Duration
	// Invoker runs the function. Nil answers every request as AWS answers for
	// a function that does not exist (500).
	Invoker lambda.Invoker
	// AccountID is requestContext.accountId.
	AccountID string
	// Request (requestParameters) changes the headers, query string and path
	// the event describes; Response (responseParameters) changes the
	// response, keyed by the function's statusCode. Nil maps nothing.
	Request  *mapping.RequestMapping
	Response *mapping.ResponseMapping
}

// Proxy implements integration.Integration.
type Proxy struct {
	cfg    Config
	target Target // parsed URI; re-parsed per request when dynamic
	// dynamic is set when the URI names the function through stage variables.
	dynamic bool
	event   func(*exchange.Exchange, *inbound, string) []byte
	respond func([]byte) (*exchange.Response, error)
}

var _ integration.Integration = (*Proxy)(nil)

// New compiles an AWS_PROXY integration; errors say what is wrong with the
// URI or the payload format.
func New(cfg Config) (*Proxy, error) {
	p := &Proxy{cfg: cfg}
	switch cfg.PayloadFormat {
	case Format20:
		p.event, p.respond = event20, response20
	case Format10:
		p.event, p.respond = event10, response10
	default:
		return nil, fmt.Errorf("payloadFormatVersion %q is not supported for Lambda proxy integrations (1.0 or 2.0)", cfg.PayloadFormat)
	}
	t, err := ParseURI(cfg.URI)
	if err != nil {
		return nil, err
	}
	p.target, p.dynamic = t, hasStageVariable(cfg.URI)
	if p.cfg.Timeout <= 0 {
		p.cfg.Timeout = DefaultTimeout
	}
	return p, nil
}

// Invoke implements integration.Integration.
func (p *Proxy) Invoke(ctx context.Context, x *exchange.Exchange) (*exchange.Response, error) {
	t := p.target
	if p.dynamic {
		var err error
		if t, err = ParseURI(expandStageVariables(p.cfg.URI, x.StageVariables)); err != nil {
			x.IntegrationError = err.Error()
			return nil, exchange.InternalError(err)
		}
	}
	req := newInbound(x, p.cfg.Request, p.cfg.AccountID)
	in := &lambda.Invocation{Region: x.Region, Function: t.ARN, Qualifier: t.Qualifier, Payload: p.event(x, &req, p.cfg.AccountID)}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	start := time.Now()
	res, err := p.invoke(ctx, in)
	x.IntegrationLatency = time.Since(start)
	if err != nil {
		return nil, p.failed(ctx, x, t, err)
	}
	x.IntegrationStatus = http.StatusOK // the Invoke call succeeded, whatever the function did
	if res.FunctionError != "" {
		err := fmt.Errorf("function %s failed (%s): %s", t.ARN, res.FunctionError, errorMessage(res.Payload))
		x.IntegrationError = err.Error()
		return nil, exchange.InternalError(err)
	}
	if len(res.Payload) > MaxResponseBytes {
		err := fmt.Errorf("function %s returned %d bytes, over the %d-byte limit", t.ARN, len(res.Payload), MaxResponseBytes)
		x.IntegrationError = err.Error()
		return nil, exchange.InternalError(err)
	}
	resp, err := p.respond(res.Payload)
	if err != nil {
		err = fmt.Errorf("function %s: %w", t.ARN, err)
		x.IntegrationError = err.Error()
		return nil, exchange.InternalError(err)
	}
	if p.cfg.Response != nil {
		in := &exchange.Input{X: x, AccountID: p.cfg.AccountID, RespHeader: resp.Header, RespBody: resp.Body}
		resp.Status = p.cfg.Response.Apply(resp.Status, resp.Header, in)
	}
	return resp, nil
}

func (p *Proxy) invoke(ctx context.Context, in *lambda.Invocation) (*lambda.Result, error) {
	if p.cfg.Invoker == nil {
		return nil, lambda.ErrNotFound
	}
	res, err := p.cfg.Invoker.Invoke(ctx, in)
	if err == nil && res == nil {
		err = errors.New("lambda: invoker returned no result")
	}
	return res, err
}

// failed maps an invoke that did not run the function to the client outcome
// and records Lambda's status for $context.integrationStatus.
func (p *Proxy) failed(ctx context.Context, x *exchange.Exchange, t Target, err error) error {
	var le *lambda.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		err = fmt.Errorf("function %s did not respond within the integration timeout of %v: %w", t.ARN, p.cfg.Timeout, err)
		x.IntegrationError = err.Error()
		return exchange.ServiceUnavailable(err)
	case errors.Is(err, lambda.ErrNotFound):
		x.IntegrationStatus = http.StatusNotFound
	case errors.Is(err, lambda.ErrThrottled):
		// Lambda's 429 is not passed on: API Gateway answers 500 (INTEGRATION_FAILURE).
		x.IntegrationStatus = http.StatusTooManyRequests
	case errors.As(err, &le):
		x.IntegrationStatus = le.Status
	}
	err = fmt.Errorf("invoking %s: %w", t.ARN, err)
	x.IntegrationError = err.Error()
	return exchange.InternalError(err)
}

// errorMessage extracts errorMessage from a function's error document, or
// returns the document itself (bounded) when it has none.
func errorMessage(payload []byte) string {
	var doc struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}
	if json.Unmarshal(payload, &doc) == nil && (doc.ErrorMessage != "" || doc.ErrorType != "") {
		if doc.ErrorType == "" {
			return doc.ErrorMessage
		}
		return doc.ErrorType + ": " + doc.ErrorMessage
	}
	const max = 256
	if len(payload) > max {
		return string(payload[:max]) + "..."
	}
	return string(payload)
}
