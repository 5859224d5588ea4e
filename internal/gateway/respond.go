package gateway

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

// newFlight starts a request's walk through the pipeline: its exchange
// (allocated with it) from r.
func (g *Gateway) newFlight(r *http.Request) *flight {
	fl := &flight{g: g, r: r}
	fl.x = &fl.xv
	x := fl.x
	x.RequestID, x.Start = newRequestID(), g.cfg.Now()
	var raw string
	if r.RequestURI != "" && r.RequestURI[0] == '/' {
		raw = r.RequestURI
		if i := strings.IndexByte(raw, '?'); i >= 0 {
			raw = raw[:i]
		}
	} else {
		raw = r.URL.EscapedPath()
	}
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	x.Req = exchange.Request{Method: r.Method, RawPath: raw, Path: raw, RawQuery: r.URL.RawQuery,
		Proto: r.Proto, Host: r.Host, Header: r.Header, SourceIP: ip}
	return fl
}

// readBody buffers the request body up to MaxBodyBytes.
func (fl *flight) readBody() {
	r := fl.r
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	if r.ContentLength > MaxBodyBytes {
		fl.tooBig = true
		return
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		fl.readErr = err
		return
	}
	if len(b) > MaxBodyBytes {
		fl.tooBig = true
		return
	}
	fl.x.Req.Body = b
}

// finish runs the response stages: render an error, apply CORS, add
// API Gateway's headers, write, then log and count.
func (fl *flight) finish(w http.ResponseWriter, err error) {
	x := fl.x
	if err != nil {
		x.Resp = fl.errorResponse(err)
	}
	if fl.stage != nil && fl.stage.CORS != nil && !fl.preflighted {
		fl.stage.CORS.Apply(x.Req.Header, x.Resp.Header)
	}
	var h http.Header
	if rec, ok := w.(*recorder); ok && x.Resp.Header != nil {
		// The response's header is the exchange's own (the stages above
		// already change it): the recorder takes it as it is.
		rec.h, h = x.Resp.Header, x.Resp.Header
	} else {
		h = w.Header()
		for k, vs := range x.Resp.Header {
			h[k] = vs
		}
	}
	fl.idv[0] = x.RequestID
	h["apigw-requestid"] = fl.idv[:] // AWS's spelling on the wire
	headWithLength := x.Req.Method == http.MethodHead && h.Get("Content-Length") != ""
	switch {
	case headWithLength:
	case fl.onLoop && x.Req.Method != http.MethodHead:
		// evloop writes the body's length itself (none where the status
		// allows no body) and ignores a Content-Length in the header.
	case x.Resp.Body != nil || x.Resp.Status != http.StatusNoContent:
		h.Set("Content-Length", strconv.Itoa(len(x.Resp.Body)))
	}
	if vs := h["Content-Type"]; (len(vs) == 0 || vs[0] == "") && len(x.Resp.Body) > 0 { // h.Get, without canonicalizing
		h.Set("Content-Type", "application/json")
	}
	w.WriteHeader(x.Resp.Status)
	if x.Req.Method != http.MethodHead {
		w.Write(x.Resp.Body)
	}
	fl.accessLog()
	if m := fl.g.cfg.Metrics; m != nil {
		m.observe(x, fl.stage, fl.route)
	}
}

func (fl *flight) errorResponse(err error) *exchange.Response {
	var ge *exchange.Error
	if !errors.As(err, &ge) {
		ge = exchange.InternalError(err)
	}
	x := fl.x
	x.ErrorMessage, x.ErrorType = ge.Message, ge.Type
	if ge.Cause != nil {
		logAsync(fl.g.log, "request failed", slog.String("request_id", x.RequestID),
			slog.String("api", x.APIID), slog.String("stage", x.Stage), slog.String("route", x.RouteKey),
			slog.Int("status", ge.Status), slog.String("type", ge.Type), slog.String("cause", ge.Cause.Error()))
	}
	body := []byte(`{"message":` + strconv.Quote(ge.Message) + `}`)
	resp := exchange.NewResponse(ge.Status)
	resp.Header.Set("Content-Type", "application/json")
	resp.Body = body
	return resp
}

func (fl *flight) accessLog() {
	if fl.stage == nil || fl.stage.AccessLog == nil {
		return // no stage matched: AWS writes no access log entry
	}
	x := fl.x
	al := fl.stage.AccessLog
	line := al.Format.Append(make([]byte, 0, 256), func(name string) (string, bool) {
		return x.ContextValue(name, fl.g.cfg.AccountID)
	})
	al.Sink.Write(line)
}

// headerBytes approximates the request line plus headers as sent.
func headerBytes(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}
