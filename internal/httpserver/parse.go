package httpserver

import (
	"bufio"
	"bytes"
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
// Errors are answered with ErrorStatus. The request is a copy of base
// (RequestBase: the server's context) with the parsed fields set.
func ParseRequest(br *bufio.Reader, base *http.Request, remote string) (*http.Request, error) {
	req, err := readRequest(br, base, remote)
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

// ChunkSize parses a chunk-size line (without its LF): hex digits,
// optional whitespace and extensions, an optional CR. It only delimits
// chunked bodies for servers and clients that buffer them (evloop, the
// backend client's non-blocking reader); net/http's chunked reader
// decodes and validates them.
func ChunkSize(line []byte) (uint64, bool) {
	line = bytes.TrimRight(line, " \t\r") // as net/http trims the line
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimRight(line, " \t")
	if len(line) == 0 || len(line) > 16 {
		return 0, false
	}
	var n uint64
	for _, c := range line {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		n = n<<4 | uint64(c)
	}
	return n, true
}
