// Package lambda holds the wire types of the Lambda management subset
// (botocore model lambda 2015-03-31) and the record Gatehouse stores per
// function. Data only: no I/O.
package lambda

// KindFunction is the store kind of functions: scope is the region, the id is
// the function name, the body a Function.
const KindFunction = "lambda-function"

// Lambda's wire constants.
const (
	// TimeFormat is the layout of FunctionConfiguration.LastModified.
	TimeFormat = "2006-01-02T15:04:05.000-0700"
	// VersionLatest is the only version Gatehouse serves.
	VersionLatest = "$LATEST"
)
