// Package vtl is a Velocity Template Language engine with the semantics of
// Apache Velocity 1.7, the version API Gateway's mapping templates follow,
// including its whitespace and newline rules.
//
// Templates are compiled once and rendered many times, concurrently and
// without locks: a *Template is immutable and every Render keeps its state
// (variables, output, counters) to itself.
//
//	tpl, err := vtl.Parse("request", src)   // errors carry line:column
//	out, err := tpl.Render(ctx, vtl.Vars{"input": ..., "util": ...})
//
// Rendering is bounded by Limits: iterations per #foreach (API Gateway's
// 1,000), macro and string-interpolation depth, output size and the
// context's deadline, so no template can hang a caller or exhaust memory.
//
// Values follow internal/jsonpath's model (nil, bool, int64, float64,
// string, *jsonpath.Map, *jsonpath.List) plus *big.Int for integers past
// Long's range and host objects implementing Object. Java methods of
// String, Map, List and numbers are provided as Velocity exposes them.
//
// The API Gateway variables ($input, $util, $context, $stageVariables)
// live in the subpackage apigw.
package vtl
