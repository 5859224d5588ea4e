// Package cors applies an HTTP API's CORS configuration (Api.corsConfiguration) the way API Gateway
// does [DG:http-api-cors]:
//
//   - "API Gateway automatically sends a response to preflight OPTIONS requests, even if there isn't an
//     OPTIONS route configured for your API": [IsPreflight] recognises one (OPTIONS with Origin and
//     Access-Control-Request-Method) and [Policy.Preflight] answers it, 204, without an integration.
//     (Which requests reach the automatic answer is the router's business: the DG warns that a
//     "$default route catches requests for all methods ... including OPTIONS requests", and that an
//     explicit "OPTIONS /{proxy+}" route outranks it.)
//   - "For a CORS request, API Gateway adds the configured CORS headers to the response from an
//     integration" and "ignores CORS headers returned from your backend integration": [Policy.Apply].
//   - CORS headers are only sent when the request carries an Origin header.
//
// Configuration → header: allowOrigins → Access-Control-Allow-Origin, allowCredentials →
// Access-Control-Allow-Credentials, exposeHeaders → Access-Control-Expose-Headers, maxAge →
// Access-Control-Max-Age, allowMethods → Access-Control-Allow-Methods, allowHeaders →
// Access-Control-Allow-Headers.
//
// What the DG leaves open, and what this package does (marked "(verify)" where no AWS recording backs
// it; see the Policy methods for details):
//
//   - A preflight whose origin, method or requested headers are not allowed is answered 204 with no
//     CORS headers at all, so the browser blocks the real request (verify).
//   - allowMethods and allowHeaders are exhaustive: a method or header not listed (and no "*") fails
//     the preflight, including the CORS-safelisted GET, HEAD and POST. Being stricter than a browser
//     needs means a configuration that works here also works on AWS (verify).
//   - Origins match exactly, ignoring case; "*" matches any origin, "https://*" and "http://*" any
//     origin with that scheme. Nothing else is a pattern: "https://*.example.com" matches only itself.
//   - With allowCredentials, "*" is never sent as a value (browsers read it literally for
//     credentialed requests): the origin, method or headers of the request are echoed instead. AWS
//     rejects allowCredentials with an allowOrigins of "*" ([Config.Validate]).
//   - Header lists are joined with "," as configured; a list is omitted when empty.
//
// A *Policy is compiled once per deployment snapshot ([Compile]) and is safe for concurrent use.
// A nil *Policy means "no CORS configuration": nothing is answered or changed, and backend CORS
// headers pass through.
package cors

// Header names this package reads or writes.
const (
	headerOrigin           = "Origin"
	headerVary             = "Vary"
	headerRequestMethod    = "Access-Control-Request-Method"
	headerRequestHeaders   = "Access-Control-Request-Headers"
	headerAllowOrigin      = "Access-Control-Allow-Origin"
	headerAllowCredentials = "Access-Control-Allow-Credentials"
	headerAllowMethods     = "Access-Control-Allow-Methods"
	headerAllowHeaders     = "Access-Control-Allow-Headers"
	headerExposeHeaders    = "Access-Control-Expose-Headers"
	headerMaxAge           = "Access-Control-Max-Age"

	// prefixCORS starts every header the backend may not set when CORS is configured.
	prefixCORS = "Access-Control-"
)
