package httpserver

import (
	"bufio"
	"context"
	"errors"
	"net/http"
)

// ParseRequest reads one request head from br with this server's parser
// (the same strictness, the same refusals) and frames its body: r.Body reads
// the body that follows the head in br (http.NoBody when there is none), a
// chunked body fills r.Trailer when read to its end. The Host header moves to
// r.Host, r.Close says whether the client wants the connection closed, and an
// Expect header left in r.Header is a valid "100-continue".
//
// It is for servers that buffer a whole request head before parsing it
// (internal/evloop); it reads nothing past the empty line ending the head.
// Errors are answered with ErrorStatus.
func ParseRequest(br *bufio.Reader, ctx context.Context, remote string) (*http.Request, error) {
	req, err := readRequest(br, ctx, remote)
	if err != nil {
		return nil, err
	}
	return req.r, nil
}

// ErrorStatus is the status and plain-text message this server answers a
// request that ParseRequest refused with.
func ErrorStatus(err error) (status int, msg string) {
	var he *headError
	switch {
	case errors.Is(err, errHeadTooLarge):
		return http.StatusRequestHeaderFieldsTooLarge, "431 Request Header Fields Too Large"
	case errors.As(err, &he):
		return he.status, he.msg
	}
	return http.StatusBadRequest, "400 Bad Request"
}
