package lambdaproxy

import (
	"encoding/base64"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
	"github.com/gatehouse-dev/gatehouse/internal/mapping"
)

// inbound is the request an event describes: the client's, after request
// parameter mapping (requestParameters) when the integration has one.
type inbound struct {
	header   http.Header
	query    []mapping.QueryParam // decoded, in order
	rawQuery string
	path     string // decoded; stage (or API mapping key) included
}

// newInbound applies the request mapping m (nil maps nothing). The client's
// header map is cloned before a mapping changes it: the exchange's request
// stays immutable.
func newInbound(x *exchange.Exchange, m *mapping.RequestMapping, accountID string) inbound {
	in := inbound{header: x.Req.Header, query: mapping.AppendQuery(nil, x.Req.RawQuery), rawQuery: x.Req.RawQuery, path: decodedPath(x)}
	if m == nil {
		return in
	}
	out := mapping.Outbound{Header: x.Req.Header.Clone(), Query: slices.Clone(in.query), Path: in.path}
	m.Apply(&out, &exchange.Input{X: x, AccountID: accountID})
	if out.Header == nil {
		out.Header = http.Header{}
	}
	in.header, in.path = out.Header, out.Path
	if !slices.Equal(out.Query, in.query) {
		in.query, in.rawQuery = out.Query, encodeQuery(out.Query)
	}
	return in
}

func encodeQuery(q []mapping.QueryParam) string {
	var b strings.Builder
	for i, p := range q {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.Name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.Value))
	}
	return b.String()
}

// decodedPath is the request path as HTTP APIs give it to functions: stage
// (or API mapping) prefix included, percent-decoded. HTTP APIs decode rawPath
// (2.0) and path (1.0), unlike REST APIs and function URLs; a path with a
// malformed escape is passed as received.
func decodedPath(x *exchange.Exchange) string {
	p, err := url.PathUnescape(x.Req.RawPath)
	if err != nil {
		return x.Req.RawPath
	}
	return p
}

// body returns the event's body and whether it is base64-encoded. HTTP APIs
// have no binaryMediaTypes: they pass the body as text only for text/*,
// application/json, application/xml and application/javascript, and encode
// every other body, including one without a Content-Type
// [aws-behavior §3.3]. Text that is not valid UTF-8 is encoded too, since a
// JSON string cannot carry it.
func body(x *exchange.Exchange, h http.Header) (string, bool) {
	b := x.Req.Body
	if len(b) == 0 {
		return "", false
	}
	if isText(h.Get("Content-Type")) && utf8.Valid(b) {
		return string(b), false
	}
	return base64.StdEncoding.EncodeToString(b), true
}

func isText(contentType string) bool {
	if contentType == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(strings.ToLower(contentType), ";")
		mt = strings.TrimSpace(mt)
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript":
		return true
	}
	return strings.HasPrefix(mt, "text/")
}

// headerField is one header an event carries, with all its values.
type headerField struct {
	name   string // canonical
	values []string
}

// eventHeaders lists the headers an event carries: the client's, sorted by
// name, then those API Gateway adds or replaces (Host, which Go keeps outside
// the header map, X-Forwarded-For with the client address appended,
// X-Forwarded-Port, X-Forwarded-Proto, and X-Amzn-Trace-Id when the client
// sent none).
func eventHeaders(x *exchange.Exchange, h http.Header) []headerField {
	out := make([]headerField, 0, len(h)+5)
	for k, vs := range h {
		if len(vs) == 0 {
			continue
		}
		switch k {
		case "Host", "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto":
			continue
		}
		out = append(out, headerField{k, vs})
	}
	slices.SortFunc(out, func(a, b headerField) int { return strings.Compare(a.name, b.name) })
	xff := x.Req.SourceIP
	if prev := h.Values("X-Forwarded-For"); len(prev) > 0 {
		xff = strings.Join(prev, ", ") + ", " + xff
	}
	proto := h.Get("X-Forwarded-Proto")
	if proto == "" {
		proto = "http"
	}
	port := h.Get("X-Forwarded-Port")
	if port == "" {
		port = hostPort(x.Req.Host, proto)
	}
	out = append(out,
		headerField{"Host", []string{x.Req.Host}},
		headerField{"X-Forwarded-For", []string{xff}},
		headerField{"X-Forwarded-Port", []string{port}},
		headerField{"X-Forwarded-Proto", []string{proto}})
	if len(h["X-Amzn-Trace-Id"]) == 0 {
		out = append(out, headerField{"X-Amzn-Trace-Id", []string{traceID(x)}})
	}
	return out
}

func hostPort(host, proto string) string {
	if _, port, err := net.SplitHostPort(host); err == nil && port != "" {
		return port
	}
	if proto == "https" {
		return "443"
	}
	return "80"
}

// traceID is a new X-Ray trace header: Root=1-{epoch seconds, 8 hex
// digits}-{96 random bits, 24 hex digits}.
func traceID(x *exchange.Exchange) string {
	b := make([]byte, 0, 40)
	b = append(b, "Root=1-"...)
	b = appendHex(b, uint64(uint32(x.Start.Unix())), 8)
	b = append(b, '-')
	b = appendHex(b, uint64(rand.Uint32()), 8)
	b = appendHex(b, rand.Uint64(), 16)
	return string(b)
}

// appendHex appends the low 4*digits bits of v as zero-padded lower-case hex.
func appendHex(b []byte, v uint64, digits int) []byte {
	const hex = "0123456789abcdef"
	for i := digits - 1; i >= 0; i-- {
		b = append(b, hex[(v>>(4*uint(i)))&0xf])
	}
	return b
}
