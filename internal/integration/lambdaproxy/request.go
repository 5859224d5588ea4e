package lambdaproxy

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime"
	"net"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

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

// queryParam is one decoded query-string parameter, in request order.
type queryParam struct{ name, value string }

// parseQuery splits a raw query string into decoded parameters. A parameter
// without "=" has an empty value; a malformed escape is kept literally rather
// than dropping the parameter.
func parseQuery(raw string) []queryParam {
	var out []queryParam
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		out = append(out, queryParam{unescapeQuery(k), unescapeQuery(v)})
	}
	return out
}

func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// body returns the event's body and whether it is base64-encoded. HTTP APIs
// have no binaryMediaTypes: they pass the body as text only for text/*,
// application/json, application/xml and application/javascript, and encode
// every other body, including one without a Content-Type
// [aws-behavior §3.3]. Text that is not valid UTF-8 is encoded too, since a
// JSON string cannot carry it.
func body(x *exchange.Exchange) (string, bool) {
	b := x.Req.Body
	if len(b) == 0 {
		return "", false
	}
	if isText(x.Req.Header.Get("Content-Type")) && utf8.Valid(b) {
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

// forwardedHeaders returns the headers API Gateway adds to what the client
// sent: Host (which Go keeps outside the header map), X-Forwarded-For with the
// client address appended, X-Forwarded-Port, X-Forwarded-Proto and an
// X-Amzn-Trace-Id when the client sent none. The keys are canonical.
func forwardedHeaders(x *exchange.Exchange) [][2]string {
	h := x.Req.Header
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
	out := [][2]string{
		{"Host", x.Req.Host},
		{"X-Forwarded-For", xff},
		{"X-Forwarded-Port", port},
		{"X-Forwarded-Proto", proto},
	}
	if h.Get("X-Amzn-Trace-Id") == "" {
		out = append(out, [2]string{"X-Amzn-Trace-Id", traceID(x)})
	}
	return out
}

// replaced reports whether a client header is replaced by forwardedHeaders.
func replaced(canonical string) bool {
	switch canonical {
	case "Host", "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto":
		return true
	}
	return false
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
	return fmt.Sprintf("Root=1-%08x-%08x%016x", uint32(x.Start.Unix()), rand.Uint32(), rand.Uint64())
}
