// Package awserr is the AWS error shape shared by Gatehouse's management APIs:
// an HTTP status, the error type sent in the x-amzn-ErrorType header and a
// message sent as {"message": ...}. Handlers return *Error values; the server
// renders them in one place. Any other error is an internal failure (500) whose
// text is logged, never sent.
package awserr

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is a client-visible AWS error.
type Error struct {
	Status  int
	Type    string // e.g. "NotFoundException"
	Message string
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// New returns an error with a formatted message.
func New(status int, typ, format string, args ...any) *Error {
	return &Error{Status: status, Type: typ, Message: fmt.Sprintf(format, args...)}
}

// BadRequest is a 400 BadRequestException.
func BadRequest(format string, args ...any) *Error {
	return New(http.StatusBadRequest, "BadRequestException", format, args...)
}

// NotFound is a 404 NotFoundException.
func NotFound(format string, args ...any) *Error {
	return New(http.StatusNotFound, "NotFoundException", format, args...)
}

// Conflict is a 409 ConflictException.
func Conflict(format string, args ...any) *Error {
	return New(http.StatusConflict, "ConflictException", format, args...)
}

// As returns err as an *Error if it is one (wrapped or not).
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
