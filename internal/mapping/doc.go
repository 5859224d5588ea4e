// Package mapping compiles and applies HTTP API parameter mappings: an
// integration's requestParameters and responseParameters when the integration
// has no integrationSubtype [DG:http-api-parameter-mapping]. Integrations with a
// subtype (SQS-SendMessage, ...) map named service parameters instead and are
// not handled here.
//
// # Lifecycle
//
// CompileRequest and CompileResponse run at deploy time: they validate every
// key as the control plane does (see [KeyError]) and parse every value into an
// [Expr]. The results are immutable and safe for concurrent use. Apply runs on
// the data plane and parses nothing; the only per-call work is evaluating
// references and, when an expression reads a JSON path of a body, indexing
// that body once per Apply call.
//
// # Values
//
// A value is static text containing references (see [ParseExpr] for the
// grammar). References read the inbound request (or the backend response)
// through [Input], never the [Outbound] being built, and Apply evaluates every
// value before it changes anything, so "rename a header"
// (append:header.header2 = $request.header.header1 plus remove:header.header1)
// works whatever the order of the two mappings. When a value evaluates to the
// empty string because a referenced value is missing, the mapping is skipped
// (see [Expr.Eval]).
//
// # Order
//
// AWS documents no order for the mappings of one map (a JSON object). Apply
// uses this deterministic order, which only matters when several mappings
// name the same header or query parameter:
//
//  1. every overwrite mapping, then every append mapping, then every remove
//     mapping;
//  2. within each group, by key in byte order ("overwrite:header.A" before
//     "overwrite:header.a" before "overwrite:path").
//
// So remove wins over append and overwrite on the same name, and append after
// overwrite adds to the overwritten value. Header names are canonicalised
// (http.CanonicalHeaderKey) at compile time, so "append:header.x-id" and
// "append:header.X-Id" both act on X-Id; query names are case-sensitive.
//
// # Choices where the Developer Guide is silent
//
//   - A value that is empty for an append or overwrite key means "no mapping":
//     the Developer Guide's "Remove configured parameter mappings" example
//     sends {"append:header.header1": ""} to delete a mapping, so such an entry
//     compiles to nothing rather than to an error.
//   - A remove mapping's value is ignored and never parsed ("" in the
//     Developer Guide's rename example).
//   - An overwrite:statuscode value that is static text must be an integer
//     100-599 at compile time; a computed value that is not one at run time is
//     ignored (the backend status is kept).
//   - overwrite:path values that do not start with "/" get one prepended; the
//     path is used as evaluated (unescaped); the proxy escapes it.
//   - Values are not sanitised: a header value containing CR or LF (from a
//     body string, say) is passed on, and the HTTP client must reject it.
package mapping
