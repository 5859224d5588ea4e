package mapping

import (
	"errors"
	"maps"
	"net/http"
	"slices"
)

// ResponseMapping is a compiled responseParameters map. It is immutable and
// safe for concurrent use; a nil *ResponseMapping maps nothing.
type ResponseMapping struct {
	byStatus map[int][]op
}

// CompileResponse validates and compiles an integration's responseParameters
// [DG:http-api-parameter-mapping "Transforming API responses"]. The outer key
// is a backend status code, three digits 200-599 (as the control plane
// accepts them); the inner keys are
//
//	append:header.NAME  overwrite:header.NAME  remove:header.NAME
//	overwrite:statuscode
//
// with the header rules of CompileRequest and values ParseExpr(value,
// Response). An overwrite:statuscode value that is static text must be an
// integer 100-599. An empty inner map (how an update removes a status code's
// mappings) maps nothing. The error is a *KeyError naming the first bad
// status code or key in byte order.
func CompileResponse(params map[string]map[string]string) (*ResponseMapping, error) {
	m := &ResponseMapping{byStatus: make(map[int][]op, len(params))}
	for _, code := range slices.Sorted(maps.Keys(params)) {
		status, ok := parseStatusKey(code)
		if !ok {
			return nil, &KeyError{Side: Response, Status: code, Err: errors.New("status code must be an integer between 200 and 599")}
		}
		ops, err := compileOps(params[code], Response, code)
		if err != nil {
			return nil, err
		}
		if len(ops) > 0 {
			m.byStatus[status] = ops
		}
	}
	return m, nil
}

// Len returns the number of mappings configured, over all status codes.
func (m *ResponseMapping) Len() int {
	if m == nil {
		return 0
	}
	n := 0
	for _, ops := range m.byStatus {
		n += len(ops)
	}
	return n
}

// Apply applies the mappings configured for the backend status code to the
// response header h, reading values from in, and returns the status to send
// [DG:http-api-parameter-mapping "Transforming API responses": "You configure
// response parameters for each status code that your integration returns"].
// Mappings are chosen by the backend status only; overwrite:statuscode does
// not select another set.
//
// Header mappings behave as in RequestMapping.Apply, in the same order, and
// every value is evaluated before h changes, so an Input whose
// ResponseHeader reads h itself still sees the backend's headers. h must not
// be nil when a mapping adds a header. overwrite:statuscode takes
// effect when its value is an integer 100-599 and is ignored otherwise, as is
// any mapping whose value is missing.
func (m *ResponseMapping) Apply(status int, h http.Header, in Input) int {
	if m == nil {
		return status
	}
	ops := m.byStatus[status]
	if len(ops) == 0 {
		return status
	}
	var buf [16]opValue
	vals := evalOps(ops, in, buf[:])
	out := status
	for i := range ops {
		o, v := &ops[i], vals[i].v
		if !vals[i].ok {
			continue
		}
		switch o.tgt {
		case tgtHeader:
			applyHeader(h, o.act, o.name, v)
		case tgtStatus:
			if n, ok := parseStatus(v); ok {
				out = n
			}
		}
	}
	return out
}

// parseStatusKey parses a responseParameters status code key: three digits,
// 200-599.
func parseStatusKey(s string) (int, bool) {
	n, ok := parseStatus(s)
	return n, ok && len(s) == 3 && n >= 200
}
