package sigv4

import (
	"fmt"
	"net/http"
	"unicode/utf8"
)

// Error codes carried by [Error.Code]. They are the exception names AWS
// reports (in the x-amzn-ErrorType header and the __type body field).
const (
	// CodeMissingAuthenticationToken: the request carries no signature.
	CodeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	// CodeIncompleteSignature: the signature is malformed or incomplete.
	CodeIncompleteSignature = "IncompleteSignatureException"
	// CodeUnrecognizedClient: the access key is unknown.
	CodeUnrecognizedClient = "UnrecognizedClientException"
	// CodeInvalidSignature: the signature is expired or does not match.
	CodeInvalidSignature = "InvalidSignatureException"
)

// Client-visible messages, worded as AWS words them.
const (
	msgMissingToken       = "Missing Authentication Token"
	msgUnrecognizedClient = "The security token included in the request is invalid."
	msgSignatureMismatch  = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgContentSHAMismatch = "The provided 'x-amz-content-sha256' header does not match what was computed."
)

// maxEcho bounds how much of a client-supplied value an error message repeats.
const maxEcho = 256

// Error is the client-visible outcome of a failed verification. Every Error
// has Status 403 (Forbidden); Code is one of the Code* constants and Message
// is the text AWS would return. Messages may repeat client-supplied values
// (such as the Authorization header, truncated to 256 bytes) but never a
// secret key.
type Error struct {
	Code    string
	Status  int
	Message string
}

// Error returns "Code: Message".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

func newError(code, msg string) *Error {
	return &Error{Code: code, Status: http.StatusForbidden, Message: msg}
}

func incompletef(format string, args ...any) *Error {
	return newError(CodeIncompleteSignature, fmt.Sprintf(format, args...))
}

func invalidf(format string, args ...any) *Error {
	return newError(CodeInvalidSignature, fmt.Sprintf(format, args...))
}

// echo returns s cut to at most maxEcho bytes without splitting a UTF-8
// sequence, for repeating client input in messages.
func echo(s string) string {
	if len(s) <= maxEcho {
		return s
	}
	n := maxEcho
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
