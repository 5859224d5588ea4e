package gateway

import (
	"context"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/internal/evloop"
	"github.com/gatehouse-dev/gatehouse/internal/exchange"
	"github.com/gatehouse-dev/gatehouse/internal/integration"
)

// loopIntegration is an integration that can run on an event loop without
// blocking it (httpproxy.Proxy): done runs on the loop or on a goroutine
// of its own.
type loopIntegration interface {
	InvokeOnLoop(ctx context.Context, x *exchange.Exchange, res *evloop.Responder, done integration.Completion)
}

var _ evloop.Handler = (*Gateway)(nil)

// ServeLoop implements evloop.Handler (step 2 of the engine plan in
// docs/architecture.md): the pipeline's stages run on the loop's thread up
// to the integration; an integration that can run on the loop continues
// there, any other on a goroutine of its own; the response stages run
// where the integration finishes and answer through res.
func (g *Gateway) ServeLoop(r *http.Request, body []byte, res *evloop.Responder) {
	fl := g.newFlight(r)
	fl.onLoop, fl.res = true, res
	x := fl.x
	if int64(len(body)) > MaxBodyBytes {
		fl.tooBig = true
	} else if len(body) > 0 {
		x.Req.Body = body // valid until res.Respond, which comes last
	}
	for _, st := range pipeline {
		if st.name == "integrate" {
			break
		}
		if st.name == "throttle" && fl.route != nil && fl.route.Integration != nil && !onLoop(fl.route.Integration) && res.HandOff() {
			// The route's integration blocks (Lambda, MOCK, AWS services):
			// the connection goes to the goroutine server, which serves
			// this request again from its bytes, before anything here has
			// counted it (throttle, metrics, logs).
			return
		}
		if err := st.run(fl); err != nil || x.Resp != nil {
			fl.respond(res, err)
			return
		}
	}
	in := fl.route.Integration
	if in == nil {
		fl.respond(res, exchange.NotFound())
		return
	}
	if li, ok := in.(loopIntegration); ok {
		li.InvokeOnLoop(requestContext(r), x, res, fl)
		return
	}
	go func() {
		defer func() {
			if v := recover(); v != nil { // as the HTTP servers do for a handler
				g.log.Error("panic serving request", "request_id", x.RequestID, "panic", v)
				func() {
					defer func() { recover() }() // answered already: nothing more to do
					res.Respond(http.StatusInternalServerError, http.Header{"Content-Type": {"application/json"},
						"Connection": {"close"}}, []byte(`{"message":"Internal Server Error"}`))
				}()
			}
		}()
		resp, err := in.Invoke(requestContext(r), x)
		x.Resp = resp
		fl.respond(res, err)
	}()
}

// onLoop reports whether in runs on the loop (InvokeOnLoop).
func onLoop(in integration.Integration) bool {
	_, ok := in.(loopIntegration)
	return ok
}

var _ integration.Completion = (*flight)(nil)

// Complete implements integration.Completion for a loop integration: the
// response stages run where it finishes.
func (fl *flight) Complete(resp *exchange.Response, err error) {
	fl.x.Resp = resp
	fl.respond(fl.res, err)
}

// respond runs the response stages into the flight's recorder and answers
// res.
func (fl *flight) respond(res *evloop.Responder, err error) {
	w := &fl.rec
	*w = recorder{status: http.StatusOK} // finish gives it the response's header
	fl.finish(w, err)
	res.Respond(w.status, w.h, w.body)
}

// recorder is the http.ResponseWriter finish writes into on a loop.
type recorder struct {
	h      http.Header
	status int
	body   []byte
}

func (w *recorder) Header() http.Header {
	if w.h == nil {
		w.h = make(http.Header, 4)
	}
	return w.h
}

func (w *recorder) WriteHeader(status int) { w.status = status }

func (w *recorder) Write(b []byte) (int, error) {
	if w.body == nil {
		w.body = b // the response body is the exchange's own: no copy
		return len(b), nil
	}
	w.body = append(w.body[:len(w.body):len(w.body)], b...) // never into the exchange's array
	return len(b), nil
}

// requestContext is r's context: the server's, which ends at shutdown.
func requestContext(r *http.Request) context.Context {
	if ctx := r.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}
