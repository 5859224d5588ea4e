package cors

import (
	"net/http"
	"strings"
)

// IsPreflight reports whether a request is a CORS preflight: method OPTIONS with both an Origin and
// an Access-Control-Request-Method header ("A preflight needs both", aws-behavior §3.7).
func IsPreflight(method string, h http.Header) bool {
	return method == http.MethodOptions && h.Get(headerOrigin) != "" && h.Get(headerRequestMethod) != ""
}

// Preflight answers a preflight request with request headers h. The status is always 204
// (No Content, empty body); out holds the headers to send and is never nil.
//
// When the Origin is allowed, the Access-Control-Request-Method is in allowMethods (or allowMethods
// has "*") and every name in Access-Control-Request-Headers is in allowHeaders ignoring case (or
// allowHeaders has "*"), out holds:
//
//	Access-Control-Allow-Origin       "*" when allowOrigins has "*" and credentials are off, else the Origin
//	Vary: Origin                      when the Origin was echoed
//	Access-Control-Allow-Methods      allowMethods joined with ","; with credentials, "*" is replaced by the requested method
//	Access-Control-Allow-Headers      allowHeaders joined with ","; with credentials, "*" is replaced by the requested headers
//	Access-Control-Max-Age            maxAge, when set
//	Access-Control-Allow-Credentials  "true", when allowCredentials
//
// Otherwise out is empty: API Gateway answers a failed preflight 204 without CORS headers, which the
// browser treats as a refusal (verify; the DG does not say). A request that is not a preflight (see
// [IsPreflight]) gets the same empty answer. A nil *Policy answers every preflight that way.
func (p *Policy) Preflight(h http.Header) (status int, out http.Header) {
	out = http.Header{}
	if p == nil {
		return http.StatusNoContent, out
	}
	origin := h.Get(headerOrigin)
	method := h.Get(headerRequestMethod)
	if method == "" || !p.AllowsOrigin(origin) {
		return http.StatusNoContent, out
	}
	if !p.anyMethod && !containsFold(p.methods, method) {
		return http.StatusNoContent, out
	}
	requested := h.Values(headerRequestHeaders)
	if !p.anyHeader && !p.allowsHeaders(requested) {
		return http.StatusNoContent, out
	}

	value, echoed := p.allowOriginValue(origin)
	out.Set(headerAllowOrigin, value)
	if echoed {
		out.Set(headerVary, headerOrigin)
	}
	switch {
	case p.allowMethods == "":
	case p.anyMethod && p.credentials:
		out.Set(headerAllowMethods, method)
	default:
		out.Set(headerAllowMethods, p.allowMethods)
	}
	switch {
	case p.anyHeader && p.credentials:
		if names := joinNames(requested); names != "" {
			out.Set(headerAllowHeaders, names)
		}
	case p.allowHeaders != "":
		out.Set(headerAllowHeaders, p.allowHeaders)
	}
	if p.maxAge != "" {
		out.Set(headerMaxAge, p.maxAge)
	}
	if p.credentials {
		out.Set(headerAllowCredentials, "true")
	}
	return http.StatusNoContent, out
}

// allowsHeaders reports whether every header name in the Access-Control-Request-Headers values is
// configured. Names are comma-separated, surrounded by optional whitespace; empty items are skipped.
func (p *Policy) allowsHeaders(values []string) bool {
	for _, v := range values {
		for name := range strings.SplitSeq(v, ",") {
			name = strings.TrimSpace(name)
			if name != "" && !containsFold(p.headers, name) {
				return false
			}
		}
	}
	return true
}

// joinNames returns the requested header names as one comma-separated list without blanks.
func joinNames(values []string) string {
	var names []string
	for _, v := range values {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				names = append(names, name)
			}
		}
	}
	return strings.Join(names, ",")
}
