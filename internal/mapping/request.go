package mapping

import (
	"net/http"
	"net/url"
	"strings"
)

// Outbound is the part of the integration request that request mappings
// change. The caller owns it: Apply modifies the Header map and the Query
// slice in place (it never writes into an existing header value slice, so
// those may be shared with the inbound request).
type Outbound struct {
	// Header is the request header sent to the backend. Keys must be in
	// canonical form, as net/http produces them. Apply creates the map if it
	// is nil and a mapping adds a header.
	Header http.Header
	// Query is the query string sent to the backend, in order, as received:
	// repeated names are separate entries.
	Query []QueryParam
	// Path is the path sent to the backend, unescaped.
	Path string
}

// QueryParam is one name=value pair of a query string, unescaped.
type QueryParam struct{ Name, Value string }

// AppendQuery appends the parameters of a raw query string to dst, in order
// and decoded. A parameter without "=" has an empty value; one with a
// malformed escape is kept as literal text rather than dropped.
func AppendQuery(dst []QueryParam, raw string) []QueryParam {
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		dst = append(dst, QueryParam{Name: unescapeQuery(k), Value: unescapeQuery(v)})
	}
	return dst
}

func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// RequestMapping is a compiled requestParameters map. It is immutable and
// safe for concurrent use; a nil *RequestMapping maps nothing.
type RequestMapping struct {
	ops []op
}

// CompileRequest validates and compiles an integration's requestParameters
// [DG:http-api-parameter-mapping "Transforming API requests"]. Keys are
//
//	append:header.NAME     overwrite:header.NAME     remove:header.NAME
//	append:querystring.NAME overwrite:querystring.NAME remove:querystring.NAME
//	overwrite:path
//
// Header names are HTTP tokens and must not be reserved
// ("Reserved headers"); query string names are any non-empty text. Values
// are ParseExpr(value, Request); a remove mapping's value is ignored, and an
// append or overwrite mapping with an empty value is no mapping (that is how
// an update removes one). The error is a *KeyError naming the first bad key
// in byte order.
func CompileRequest(params map[string]string) (*RequestMapping, error) {
	ops, err := compileOps(params, Request, "")
	if err != nil {
		return nil, err
	}
	return &RequestMapping{ops: ops}, nil
}

// Len returns the number of mappings Apply performs.
func (m *RequestMapping) Len() int {
	if m == nil {
		return 0
	}
	return len(m.ops)
}

// Apply changes out as the mappings say, reading values from in. Every value
// is evaluated before anything changes; the changes are then made in the
// order the package documentation describes: overwrite, then append, then
// remove, each group by key. A mapping whose value evaluates to missing (see
// Expr.Eval) is skipped.
//
//   - append:header.NAME adds a value after the existing ones, so a backend
//     that joins them sees "old,new"; overwrite:header.NAME replaces every
//     value with one; remove:header.NAME deletes the header.
//   - append:querystring.NAME adds NAME=value at the end; overwrite replaces
//     every NAME with one NAME=value at the position of the first (or at the
//     end if there was none); remove deletes every NAME.
//   - overwrite:path sets out.Path, prefixed with "/" if it does not start
//     with one.
func (m *RequestMapping) Apply(out *Outbound, in Input) {
	if m == nil || len(m.ops) == 0 {
		return
	}
	var buf [16]opValue
	vals := evalOps(m.ops, in, buf[:])
	for i := range m.ops {
		o, v := &m.ops[i], vals[i].v
		if !vals[i].ok {
			continue
		}
		switch o.tgt {
		case tgtHeader:
			if out.Header == nil {
				if o.act == actRemove {
					continue
				}
				out.Header = make(http.Header)
			}
			applyHeader(out.Header, o.act, o.name, v)
		case tgtQuery:
			out.Query = applyQuery(out.Query, o.act, o.name, v)
		case tgtPath:
			if !strings.HasPrefix(v, "/") {
				v = "/" + v
			}
			out.Path = v
		}
	}
}

// applyHeader performs one header mapping; name is canonical.
func applyHeader(h http.Header, act action, name, v string) {
	switch act {
	case actOverwrite:
		h[name] = []string{v}
	case actAppend:
		old := h[name]
		h[name] = append(old[:len(old):len(old)], v) // never write into a shared array
	case actRemove:
		delete(h, name)
	}
}

// applyQuery performs one query string mapping in place.
func applyQuery(q []QueryParam, act action, name, v string) []QueryParam {
	if act == actAppend {
		return append(q, QueryParam{Name: name, Value: v})
	}
	w, found := 0, false
	for _, p := range q {
		if p.Name == name {
			if act == actRemove || found {
				continue
			}
			found, p.Value = true, v
		}
		q[w] = p
		w++
	}
	clear(q[w:])
	q = q[:w]
	if act == actOverwrite && !found {
		q = append(q, QueryParam{Name: name, Value: v})
	}
	return q
}
