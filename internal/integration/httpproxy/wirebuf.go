package httpproxy

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
)

// parseResponse is readResponse for an event loop: it parses the response
// at the start of b, the bytes received so far on a connection (eof: the
// backend closed the connection after them), without blocking. It returns
// the response (into, unless the standard parser made another), its body
// and the number of bytes of b they took; n is 0,
// with a nil error, when b does not hold the whole response yet. Interim
// 1xx responses are skipped (and counted in n). The framing is
// readResponse's, and the same differential tests hold it to the standard
// library's, fed in every possible split.
func parseResponse(b []byte, req *http.Request, eof bool, into *http.Response) (resp *http.Response, body []byte, n int, err error) {
	off := 0
	for {
		resp, body, used, err := parseOneBuffered(b[off:], req, eof, into)
		if err != nil || used == 0 {
			return nil, nil, 0, err
		}
		off += used
		switch code := resp.StatusCode; {
		case code == http.StatusSwitchingProtocols:
			return nil, nil, 0, errors.New("backend switched protocols")
		case code >= 100 && code < 200:
			continue
		}
		return resp, body, off, nil
	}
}

// maxBufferedHead bounds a response head an event loop waits for.
const maxBufferedHead = 64 << 10

var errHeadTooLarge = errors.New("backend response head too large")

func parseOneBuffered(b []byte, req *http.Request, eof bool, into *http.Response) (*http.Response, []byte, int, error) {
	end := headEnd(b)
	switch {
	case end == 0 && len(b) > maxBufferedHead:
		return nil, nil, 0, errHeadTooLarge
	case end == 0 && !eof:
		return nil, nil, 0, nil
	case end == 0 && len(b) == 0:
		return nil, nil, 0, io.EOF
	case end <= 0:
		return stdParseBuffered(b, req, eof)
	}
	resp := into
	ok := parseHead(b[:end], resp)
	if ok {
		_, trailer := resp.Header["Trailer"]
		ok = !trailer
	}
	if !ok {
		return stdParseBuffered(b, req, eof)
	}
	resp.Request = req
	resp.Body = http.NoBody
	kind, n, err := framing(resp, req.Method)
	if err != nil {
		return nil, nil, 0, err
	}
	rest := b[end:]
	switch kind {
	case bodyNone:
		return resp, []byte{}, end, nil
	case bodyLength:
		if int64(len(rest)) < n {
			if eof {
				return nil, nil, 0, io.ErrUnexpectedEOF
			}
			return nil, nil, 0, nil
		}
		return resp, bytes.Clone(rest[:n:n]), end + int(n), nil
	case bodyChunked:
		cend, err := chunkedEnd(rest)
		if err != nil {
			return nil, nil, 0, err
		}
		if cend == 0 {
			if eof {
				return nil, nil, 0, io.ErrUnexpectedEOF
			}
			if len(rest) > MaxResponseBytes+maxBufferedHead {
				return nil, nil, 0, errors.New("integration response exceeds 10485760 bytes")
			}
			return nil, nil, 0, nil
		}
		// All there: the standard chunked reader decodes and validates it,
		// and says where it ends.
		r := bytes.NewReader(rest[:cend])
		br := bufio.NewReaderSize(r, 4096)
		body, err := readChunked(br)
		if err != nil {
			return nil, nil, 0, err
		}
		return resp, body, end + cend - r.Len() - br.Buffered(), nil
	}
	// Until EOF.
	if len(rest) > MaxResponseBytes {
		_, err := readBody(bytes.NewReader(rest)) // names the limit
		return nil, nil, 0, err
	}
	if !eof {
		return nil, nil, 0, nil
	}
	return resp, bytes.Clone(rest), len(b), nil
}

// stdParseBuffered runs http.ReadResponse over b for what parseHead leaves
// to it. It starts only once the head is complete (by the standard
// parser's line rules) and reads the body only once the framing says it is
// all there, so an error is the message's, never the cut's.
func stdParseBuffered(b []byte, req *http.Request, eof bool) (*http.Response, []byte, int, error) {
	if !eof && lenientHeadEnd(b) == 0 {
		if len(b) > maxBufferedHead {
			return nil, nil, 0, errHeadTooLarge
		}
		return nil, nil, 0, nil
	}
	r := bytes.NewReader(b)
	br := bufio.NewReaderSize(r, 4096)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return nil, nil, 0, err
	}
	rest := b[len(b)-r.Len()-br.Buffered():]
	if !eof && resp.Body != http.NoBody {
		switch {
		case len(resp.TransferEncoding) > 0:
			cend, err := chunkedEnd(rest)
			if err != nil {
				return nil, nil, 0, err
			}
			if cend == 0 {
				return nil, nil, 0, nil
			}
		case resp.ContentLength >= 0:
			if int64(len(rest)) < resp.ContentLength {
				return nil, nil, 0, nil
			}
		default: // until EOF
			return nil, nil, 0, nil
		}
	}
	body, err := readBody(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, nil, 0, err
	}
	return resp, body, len(b) - r.Len() - br.Buffered(), nil
}

// lenientHeadEnd is headEnd by the standard parser's rules (a line may
// end in a bare LF): the length up to the first empty line, 0 if none.
func lenientHeadEnd(b []byte) int {
	for pos := 0; ; {
		i := bytes.IndexByte(b[pos:], '\n')
		if i < 0 {
			return 0
		}
		blank := i == 0 || i == 1 && b[pos] == '\r'
		pos += i + 1
		if blank {
			return pos
		}
	}
}

// chunkedEnd returns the length of the chunked body at the start of b,
// trailer section included, or 0 when b does not hold all of it. It only
// finds the end; the standard chunked reader then decodes and validates.
// A size line that cannot be one is an error at once, so a broken backend
// does not keep the request waiting for its deadline.
func chunkedEnd(b []byte) (int, error) {
	pos := 0
	for {
		i := bytes.IndexByte(b[pos:], '\n')
		if i < 0 {
			if len(b)-pos > 4096 {
				return 0, errors.New("malformed chunked encoding in backend response")
			}
			return 0, nil
		}
		size, ok := httpserver.ChunkSize(b[pos : pos+i])
		if !ok {
			return 0, errors.New("malformed chunked encoding in backend response")
		}
		pos += i + 1
		if size == 0 {
			// The trailer section (readChunked's rules): a CRLF, or
			// anything up to a CRLF CRLF.
			t := b[pos:]
			switch {
			case len(t) < 2:
				return 0, nil
			case t[0] == '\r' && t[1] == '\n':
				return pos + 2, nil
			}
			if k := bytes.Index(t, []byte("\r\n\r\n")); k >= 0 {
				return pos + k + 4, nil
			}
			if len(t) > maxBufferedHead {
				return 0, errors.New("http: suspiciously long trailer after chunked body")
			}
			return 0, nil
		}
		if size > MaxResponseBytes {
			return 0, errors.New("integration response exceeds 10485760 bytes")
		}
		if uint64(len(b)-pos) < size+2 {
			return 0, nil
		}
		pos += int(size) + 2
	}
}
