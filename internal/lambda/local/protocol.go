package local

// The Lambda Runtime API (2018-06-01) and the part of the Extensions API
// (2020-01-01) that aws-lambda-go's lambda.WithEnableSIGTERM uses, as served
// to each instance.
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
const (
	pathNext        = "/2018-06-01/runtime/invocation/next"
	pathInvocation  = "/2018-06-01/runtime/invocation/" // + {id}/response | {id}/error
	pathInitError   = "/2018-06-01/runtime/init/error"
	pathExtRegister = "/2020-01-01/extension/register"
	pathExtNext     = "/2020-01-01/extension/event/next"

	hdrRequestID        = "Lambda-Runtime-Aws-Request-Id"
	hdrDeadlineMs       = "Lambda-Runtime-Deadline-Ms"
	hdrFunctionArn      = "Lambda-Runtime-Invoked-Function-Arn"
	hdrTraceID          = "Lambda-Runtime-Trace-Id"
	hdrClientContext    = "Lambda-Runtime-Client-Context"
	hdrFunctionErrType  = "Lambda-Runtime-Function-Error-Type"
	hdrFunctionErrBody  = "Lambda-Runtime-Function-Error-Body"
	hdrExtensionID      = "Lambda-Extension-Identifier"
	hdrExtensionName    = "Lambda-Extension-Name"
	contentTypeJSON     = "application/json"
	runtimeAPIStatusOK  = `{"status":"OK"}`
	invalidRequestIDMsg = `{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}`
)

// Limits, as Lambda's.
const (
	// MaxPayloadBytes bounds a synchronous invocation's request and response
	// payloads (6 MB).
	MaxPayloadBytes = 6 * 1024 * 1024
	// maxErrorBytes bounds an error document posted by a runtime.
	maxErrorBytes = 1 << 20
	// tailBytes is how much of an invocation's log LogType Tail returns.
	tailBytes = 4096
	// maxLineBytes bounds one log line; longer output is split.
	maxLineBytes = 256 << 10
)
