package cors

import (
	"net/http"
	"strings"
)

// Apply edits the headers resp of an actual (non-preflight) response before it is sent, given the
// request headers reqHeader:
//
//  1. Every Access-Control-* header in resp is removed, whatever the request: "API Gateway ignores
//     CORS headers returned from your backend integration" [DG:http-api-cors].
//  2. If the request's Origin is allowed, it adds Access-Control-Allow-Origin ("*" when allowOrigins
//     has "*" and credentials are off, else the Origin, with Vary: Origin added unless present),
//     Access-Control-Allow-Credentials: true when allowCredentials, and Access-Control-Expose-Headers
//     when exposeHeaders is set. The request's method is not checked against allowMethods: that is
//     the preflight's job, and simple requests have none.
//
// Apply does not allocate when the request has no Origin. A nil *Policy leaves resp alone (no CORS
// configuration: backend CORS headers pass through).
func (p *Policy) Apply(reqHeader http.Header, resp http.Header) {
	if p == nil {
		return
	}
	for k := range resp {
		if len(k) >= len(prefixCORS) && strings.EqualFold(k[:len(prefixCORS)], prefixCORS) {
			delete(resp, k)
		}
	}
	origin := reqHeader.Get(headerOrigin)
	if !p.AllowsOrigin(origin) {
		return
	}
	value, echoed := p.allowOriginValue(origin)
	// One backing array for all values; each slice is capped so an append by a later stage copies.
	vals := [3]string{value, "true", p.exposeHeaders}
	buf := vals[:]
	resp[headerAllowOrigin] = buf[0:1:1]
	if p.credentials {
		resp[headerAllowCredentials] = buf[1:2:2]
	}
	if p.exposeHeaders != "" {
		resp[headerExposeHeaders] = buf[2:3:3]
	}
	if echoed && !varies(resp, headerOrigin) {
		resp.Add(headerVary, headerOrigin)
	}
}

// varies reports whether resp's Vary header already names field (or is "*").
func varies(resp http.Header, field string) bool {
	for _, v := range resp.Values(headerVary) {
		for f := range strings.SplitSeq(v, ",") {
			f = strings.TrimSpace(f)
			if f == "*" || strings.EqualFold(f, field) {
				return true
			}
		}
	}
	return false
}
