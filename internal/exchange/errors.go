package exchange

import "net/http"

// Error is a gateway error: the client-visible outcome (status, message, AWS
// gateway response type) and an internal cause that is logged, never sent.
type Error struct {
	Status  int
	Message string // the {"message": ...} text
	Type    string // gateway response type, e.g. INTEGRATION_TIMEOUT
	Cause   error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Type + ": " + e.Cause.Error()
	}
	return e.Type + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Cause }

// HTTP API error outcomes [aws-behavior §3.13].
func NotFound() *Error {
	return &Error{Status: http.StatusNotFound, Message: "Not Found", Type: "RESOURCE_NOT_FOUND"}
}
func TooManyRequests() *Error {
	return &Error{Status: http.StatusTooManyRequests, Message: "Too Many Requests", Type: "THROTTLED"}
}
func InternalError(cause error) *Error {
	return &Error{Status: http.StatusInternalServerError, Message: "Internal Server Error", Type: "INTEGRATION_FAILURE", Cause: cause}
}
func ServiceUnavailable(cause error) *Error {
	return &Error{Status: http.StatusServiceUnavailable, Message: "Service Unavailable", Type: "INTEGRATION_TIMEOUT", Cause: cause}
}
func PayloadTooLarge() *Error {
	return &Error{Status: http.StatusRequestEntityTooLarge, Message: "Request Entity Too Large", Type: "REQUEST_TOO_LARGE"}
}
func HeadersTooLarge() *Error {
	return &Error{Status: http.StatusRequestHeaderFieldsTooLarge, Message: "Request Header Fields Too Large", Type: "REQUEST_TOO_LARGE"}
}
func BadRequest(msg string) *Error {
	return &Error{Status: http.StatusBadRequest, Message: msg, Type: "BAD_REQUEST_BODY"}
}
