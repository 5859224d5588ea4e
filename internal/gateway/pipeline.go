package gateway

import (
	"context"
	"github.com/gatehouse-dev/gatehouse/internal/evloop"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/internal/cors"
	"github.com/gatehouse-dev/gatehouse/internal/deploy"
	"github.com/gatehouse-dev/gatehouse/internal/exchange"
	"github.com/gatehouse-dev/gatehouse/internal/throttle"
)

// pipeline is THE ordered list of request stages of an HTTP API request. Each
// stage either lets the request continue (returns nil) or ends it: by setting
// the response (fl.x.Resp) or by returning an error (an *exchange.Error is
// rendered as AWS renders it; anything else becomes a 500). Every stage feels
// the effects of the stages before it; after the last stage (or the first that
// ends the request) the response stages in finish() run, in order.
var pipeline = []struct {
	name string
	run  func(*flight) error
}{
	{"limits", (*flight).limits},          // 413 / 431 (body already read, bounded)
	{"resolve", (*flight).resolve},        // endpoint → API, stage, path; 404
	{"preflight", (*flight).preflight},    // CORS preflight answered without a route
	{"route", (*flight).matchRoute},       // route matching; 404
	{"throttle", (*flight).checkThrottle}, // account, stage and route token buckets; 429
	{"authorize", (*flight).authorize},    // route authorization
	{"integrate", (*flight).integrate},    // the integration produces the response
}

// flight is one request's walk through the pipeline.
type flight struct {
	g       *Gateway
	x       *exchange.Exchange // &xv
	xv      exchange.Exchange
	r       *http.Request
	tooBig  bool // body over MaxBodyBytes
	readErr error
	api     *deploy.API
	stage   *deploy.Stage
	route   *deploy.Route
	// preflighted is set when the CORS preflight answered the request.
	preflighted bool
	// onLoop: served by evloop (ServeLoop), finishing into rec and
	// answering res.
	onLoop bool
	res    *evloop.Responder
	rec    recorder
	idv    [1]string // the apigw-requestid header's value
}

func (fl *flight) run(w http.ResponseWriter) {
	fl.readBody()
	var err error
	for _, st := range pipeline {
		if err = st.run(fl); err != nil || fl.x.Resp != nil {
			break
		}
	}
	fl.finish(w, err)
}

func (fl *flight) limits() error {
	if fl.readErr != nil {
		return exchange.BadRequest("Bad Request")
	}
	if fl.tooBig {
		return exchange.PayloadTooLarge()
	}
	if headerBytes(fl.r) > MaxHeaderBytes {
		return exchange.HeadersTooLarge()
	}
	return nil
}

func (fl *flight) preflight() error {
	if fl.stage.CORS == nil || !cors.IsPreflight(fl.x.Req.Method, fl.x.Req.Header) {
		return nil
	}
	status, h := fl.stage.CORS.Preflight(fl.x.Req.Header)
	fl.x.Resp = &exchange.Response{Status: status, Header: h}
	fl.preflighted = true
	return nil
}

func (fl *flight) matchRoute() error {
	if fl.stage.Router == nil {
		return exchange.NotFound()
	}
	m, ok := fl.stage.Router.Match(fl.x.Req.Method, fl.x.Req.Path)
	if !ok {
		return exchange.NotFound()
	}
	fl.route = m.Value
	fl.x.RouteKey = m.Key
	if len(m.Params) > 0 {
		fl.x.PathParams = make(map[string]string, len(m.Params))
		escaped := false
		for _, p := range m.Params {
			fl.x.PathParams[p.Name] = p.Value
			escaped = escaped || p.Raw != p.Value
		}
		fl.x.RawPathParams = fl.x.PathParams // both read-only: one map when nothing was escaped
		if escaped {
			fl.x.RawPathParams = make(map[string]string, len(m.Params))
			for _, p := range m.Params {
				fl.x.RawPathParams[p.Name] = p.Raw
			}
		}
	}
	return nil
}

func (fl *flight) checkThrottle() error {
	// The stage/route bucket is checked first, so a request it refuses does not
	// spend an account token.
	if !throttle.Allow(fl.g.cfg.Account, fl.x.Region, fl.stage.Throttle, fl.x.RouteKey) {
		return exchange.TooManyRequests()
	}
	return nil
}

// authorize enforces the route's authorizationType. JWT, Lambda (CUSTOM) and
// IAM authorizers are a later milestone: until then such routes answer 500 and
// the reason is logged, rather than letting requests through unchecked.
func (fl *flight) authorize() error {
	switch fl.route.AuthorizationType {
	case "", "NONE":
		return nil
	}
	return exchange.InternalError(&deploy.UnsupportedError{What: "authorization type " + fl.route.AuthorizationType})
}

func (fl *flight) integrate() error {
	if fl.route.Integration == nil {
		return exchange.NotFound()
	}
	ctx := fl.r.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	resp, err := fl.route.Integration.Invoke(ctx, fl.x)
	if err != nil {
		return err
	}
	fl.x.Resp = resp
	return nil
}
