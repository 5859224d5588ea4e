package exchange

import (
	"net/http"
	"net/url"
	"strings"
)

// Input exposes an exchange to parameter-mapping expressions
// (internal/mapping.Input): request values, the backend response (for response
// mappings), $context and stage variables.
type Input struct {
	X          *Exchange
	AccountID  string
	RespHeader http.Header
	RespBody   []byte

	query url.Values // parsed lazily
}

// RequestHeader returns a header's values comma-joined; names are case-insensitive.
func (in *Input) RequestHeader(name string) (string, bool) { return joined(in.X.Req.Header, name) }

// QueryString returns a query parameter's values comma-joined; names are case-sensitive.
func (in *Input) QueryString(name string) (string, bool) {
	if in.query == nil {
		in.query, _ = url.ParseQuery(in.X.Req.RawQuery)
	}
	vs, ok := in.query[name]
	if !ok {
		return "", false
	}
	return strings.Join(vs, ","), true
}

func (in *Input) Path() string { return in.X.Req.Path }

func (in *Input) PathParam(name string) (string, bool) {
	v, ok := in.X.PathParams[name]
	return v, ok
}

func (in *Input) RequestBody() []byte { return in.X.Req.Body }

func (in *Input) ResponseHeader(name string) (string, bool) { return joined(in.RespHeader, name) }

func (in *Input) ResponseBody() []byte { return in.RespBody }

func (in *Input) Context(name string) (string, bool) { return in.X.ContextValue(name, in.AccountID) }

func (in *Input) StageVariable(name string) (string, bool) {
	v, ok := in.X.StageVariables[name]
	return v, ok
}

func joined(h http.Header, name string) (string, bool) {
	vs := h.Values(name)
	if len(vs) == 0 {
		return "", false
	}
	if len(vs) == 1 {
		return vs[0], true
	}
	return strings.Join(vs, ","), true
}
