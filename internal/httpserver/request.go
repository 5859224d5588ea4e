package httpserver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
)

// request is a parsed request and how its body is framed.
type request struct {
	r     *http.Request
	body  *body // &b
	b     body
	close bool // the client asked for the connection to close (or HTTP/1.0)
}

// headError is a request the server refuses with a specific status.
type headError struct {
	status int
	msg    string
}

func (e *headError) Error() string { return e.msg }

func badHead(format string, args ...any) error {
	return &headError{status: http.StatusBadRequest, msg: "400 Bad Request: " + fmt.Sprintf(format, args...)}
}

// readRequest reads a request line and headers and frames the body, as
// strictly as net/http (RFC 9112): anything ambiguous is an error. A head
// of the common shape already buffered in br is parsed by parseFastHead;
// any other by textproto. base is copied into the request (its context).
func readRequest(br *bufio.Reader, base *http.Request, remote string) (*request, error) {
	br.Peek(1) // fills an empty buffer: the slow path would read as much
	if buf, _ := br.Peek(br.Buffered()); len(buf) > 0 {
		if hd, n, ok := parseFastHead(buf); ok {
			br.Discard(n)
			return hd.finish(br, base, remote)
		}
	}
	hd, err := readHead(br)
	if err != nil {
		return nil, err
	}
	return hd.finish(br, base, remote)
}

// readHead reads a request line and headers with textproto.
func readHead(br *bufio.Reader) (head, error) {
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	if err != nil {
		return head{}, err
	}
	// RFC 9112 §2.2: ignore empty lines before a request line (a client may
	// send a stray CRLF after a body); a few, not an unbounded stream.
	for i := 0; line == "" && i < 4; i++ {
		if line, err = tp.ReadLine(); err != nil {
			return head{}, err
		}
	}
	method, rest, ok1 := strings.Cut(line, " ")
	uri, proto, ok2 := strings.Cut(rest, " ")
	if !ok1 || !ok2 || !ValidToken(method) || uri == "" || strings.IndexByte(proto, ' ') >= 0 {
		return head{}, badHead("malformed request line")
	}
	major, minor, ok := http.ParseHTTPVersion(proto)
	if !ok || major != 1 {
		if ok && major > 1 {
			return head{}, &headError{status: http.StatusHTTPVersionNotSupported, msg: "505 HTTP Version Not Supported"}
		}
		return head{}, badHead("malformed HTTP version %q", proto)
	}
	mh, err := tp.ReadMIMEHeader()
	if err != nil {
		if errors.Is(err, errHeadTooLarge) {
			return head{}, err
		}
		var pe textproto.ProtocolError
		if errors.As(err, &pe) {
			return head{}, badHead("malformed header")
		}
		return head{}, err
	}
	h := http.Header(mh)
	for k, vs := range h {
		if !ValidToken(k) {
			return head{}, badHead("invalid header name")
		}
		for _, v := range vs {
			if !validHeaderValue(v) {
				return head{}, badHead("invalid header value")
			}
		}
	}
	hd := head{method: method, uri: uri, proto: proto, major: major, minor: minor, h: h}
	if method == http.MethodConnect {
		return head{}, &headError{status: http.StatusMethodNotAllowed, msg: "405 Method Not Allowed: CONNECT"}
	}
	if uri == "*" {
		hd.u = &url.URL{Path: "*"}
	} else if hd.u, err = url.ParseRequestURI(uri); err != nil {
		return head{}, badHead("malformed request target")
	}
	return hd, nil
}

// finish builds the request from a parsed head: Host, framing, Expect and
// Connection, the same for both parsers.
func (hd head) finish(br *bufio.Reader, base *http.Request, remote string) (*request, error) {
	h := hd.h
	r := new(http.Request)
	*r = *base // its context; one allocation where WithContext makes two
	r.Method, r.URL, r.RequestURI = hd.method, hd.u, hd.uri
	r.Proto, r.ProtoMajor, r.ProtoMinor = hd.proto, hd.major, hd.minor
	r.Header, r.RemoteAddr = h, remote
	// Host: exactly one for HTTP/1.1; an absolute-form target wins (RFC 9112 §3.2.2).
	hosts := h["Host"]
	if len(hosts) > 1 || (len(hosts) == 0 && hd.minor >= 1) {
		return nil, badHead("missing or repeated Host header")
	}
	if len(hosts) == 1 {
		r.Host = hosts[0]
		if !validHost(r.Host) {
			return nil, badHead("malformed Host header")
		}
	}
	if r.URL.Host != "" {
		r.Host = r.URL.Host
	}
	delete(h, "Host")

	req := &request{r: r, close: shouldClose(hd.major, hd.minor, h)}
	r.Close = req.close
	if err := frameBody(req, br); err != nil {
		return nil, err
	}
	if e, ok := h["Expect"]; ok {
		if len(e) != 1 || !strings.EqualFold(e[0], "100-continue") || hd.minor == 0 {
			return nil, &headError{status: http.StatusExpectationFailed, msg: "417 Expectation Failed"}
		}
		req.body.continueW = true
	}
	r.Body = req.body
	if req.body.kind == bodyNone {
		r.Body = http.NoBody
	}
	return req, nil
}

// RequestBase returns the request every request a server parses starts
// from: it carries ctx. One per server or connection, read-only.
func RequestBase(ctx context.Context) *http.Request {
	return (&http.Request{}).WithContext(ctx)
}

// frameBody decides how the body is delimited: Content-Length, chunked, or none.
func frameBody(req *request, br *bufio.Reader) error {
	h := req.r.Header
	te, hasTE := h["Transfer-Encoding"]
	cl, hasCL := h["Content-Length"]
	req.b = body{br: br} // one allocation with the request
	b := &req.b
	req.body = b
	switch {
	case hasTE && hasCL:
		return badHead("both Transfer-Encoding and Content-Length")
	case hasTE:
		if req.r.ProtoMinor == 0 {
			return badHead("Transfer-Encoding in an HTTP/1.0 request")
		}
		if len(te) != 1 || !strings.EqualFold(strings.TrimSpace(te[0]), "chunked") {
			return &headError{status: http.StatusNotImplemented, msg: "501 Not Implemented: unsupported transfer encoding"}
		}
		b.kind = bodyChunked
		b.chunked = httputil.NewChunkedReader(br)
		b.trailer = &req.r.Trailer
		req.r.TransferEncoding = []string{"chunked"}
		req.r.ContentLength = -1
		delete(h, "Transfer-Encoding")
	case hasCL:
		n, err := parseContentLength(cl)
		if err != nil {
			return err
		}
		req.r.ContentLength = n
		if n > 0 {
			b.kind, b.remain = bodyLength, n
		}
	}
	return nil
}

func parseContentLength(vs []string) (int64, error) {
	first := strings.TrimSpace(vs[0])
	for _, v := range vs[1:] {
		if strings.TrimSpace(v) != first {
			return 0, badHead("conflicting Content-Length headers")
		}
	}
	if first == "" || len(first) > 18 {
		return 0, badHead("malformed Content-Length")
	}
	for i := 0; i < len(first); i++ {
		if first[i] < '0' || first[i] > '9' {
			return 0, badHead("malformed Content-Length")
		}
	}
	n, err := strconv.ParseInt(first, 10, 64)
	if err != nil {
		return 0, badHead("malformed Content-Length")
	}
	return n, nil
}

// shouldClose: HTTP/1.1 keeps the connection unless asked not to; HTTP/1.0
// closes it unless asked to keep it.
func shouldClose(major, minor int, h http.Header) bool {
	hasToken := func(tok string) bool {
		for _, v := range h["Connection"] {
			for f := range strings.SplitSeq(v, ",") {
				if strings.EqualFold(strings.TrimSpace(f), tok) {
					return true
				}
			}
		}
		return false
	}
	if major == 1 && minor == 0 {
		return !hasToken("keep-alive")
	}
	return hasToken("close")
}

// ValidToken reports whether s is an RFC 9110 token: what a method or a
// header field name must be.
func ValidToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return true
}

func isTokenByte(c byte) bool { return tokenBytes[c] }

// tokenBytes: RFC 9110 tchar.
var tokenBytes = func() (t [256]bool) {
	for c := range 256 {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			t[c] = true
		}
	}
	for _, c := range []byte("!#$%&'*+-.^_`|~") {
		t[c] = true
	}
	return t
}()

// validHeaderValue rejects control bytes other than horizontal tab.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// validHost rejects bytes that cannot appear in a Host header (as net/http's
// httpguts.ValidHostHeader).
func validHost(h string) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"<>\^`+"`{|}", c) >= 0 {
			return false
		}
	}
	return true
}

type bodyKind int

const (
	bodyNone bodyKind = iota
	bodyLength
	bodyChunked
)

// body reads a request body framed by Content-Length or chunked encoding.
type body struct {
	br      *bufio.Reader
	kind    bodyKind
	remain  int64     // bodyLength: bytes left
	chunked io.Reader // bodyChunked
	done    bool      // read to the end (trailers included)
	err     error     // sticky
	// continueW: the client waits for "100 Continue" before sending the body.
	continueW bool
	// trailer is the request's Trailer, filled when a chunked body ends.
	trailer *http.Header
	// skipped: the response went out before "100 Continue"; the client will
	// not send the body.
	skipped  bool
	sendCont func() error
}

func (b *body) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.done || b.kind == bodyNone || b.skipped {
		return 0, io.EOF
	}
	if b.continueW {
		b.continueW = false
		if b.sendCont != nil {
			if err := b.sendCont(); err != nil {
				b.err = err
				return 0, err
			}
		}
	}
	switch b.kind {
	case bodyLength:
		if int64(len(p)) > b.remain {
			p = p[:b.remain]
		}
		n, err := b.br.Read(p)
		b.remain -= int64(n)
		if b.remain == 0 {
			b.done = true
			return n, io.EOF
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			b.err = err
		}
		return n, err
	default:
		n, err := b.chunked.Read(p)
		if err == io.EOF {
			if terr := b.readTrailers(); terr != nil {
				b.err = terr
				return n, terr
			}
			b.done = true
			return n, io.EOF
		}
		if err != nil {
			b.err = err
		}
		return n, err
	}
}

// readTrailers reads the trailer section after the last chunk (bounded) into
// the request's Trailer, as net/http does: fields the client declared in a
// Trailer header, or any field when it declared none. Fields that must not
// be trailers (framing, routing, authentication) are dropped.
func (b *body) readTrailers() error {
	total := 0
	for {
		line, err := b.br.ReadSlice('\n')
		if err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				return badHead("trailer line too long")
			}
			return err
		}
		total += len(line)
		if total > 8<<10 {
			return badHead("trailers too large")
		}
		text := strings.TrimRight(string(line), "\r\n")
		if text == "" {
			return nil
		}
		name, value, ok := strings.Cut(text, ":")
		if !ok || !ValidToken(name) || !validHeaderValue(value) {
			return badHead("malformed trailer")
		}
		name = textproto.CanonicalMIMEHeaderKey(name)
		if b.trailer == nil || forbiddenTrailer[name] {
			continue
		}
		if *b.trailer == nil {
			*b.trailer = http.Header{}
		}
		(*b.trailer)[name] = append((*b.trailer)[name], strings.TrimSpace(value))
	}
}

// forbiddenTrailer are fields a trailer may not carry (RFC 9110 §6.5.1).
var forbiddenTrailer = map[string]bool{
	"Content-Length": true, "Transfer-Encoding": true, "Host": true, "Trailer": true,
	"Content-Type": true, "Content-Encoding": true, "Authorization": true, "Cache-Control": true,
	"Expect": true, "Range": true, "Te": true,
}

// Close implements io.Closer; the server drains what the handler left.
func (b *body) Close() error { return nil }

// cheapToDrain reports whether what is left of the body is known to be
// small enough to read and discard.
func (b *body) cheapToDrain(max int64) bool {
	switch {
	case b.kind == bodyNone || b.done:
		return true
	case b.err != nil || b.continueW || b.skipped:
		return false
	case b.kind == bodyLength:
		return b.remain <= max
	}
	return true // chunked: unknown; drain tries
}

// drain reads and discards the rest of the body, up to max bytes; it
// reports whether the body was read to its end (the connection can be
// reused). A body the client was never told to send (100-continue) counts as
// consumed: the client will not send it.
func (b *body) drain(max int64) bool {
	if b.kind == bodyNone || b.done {
		return true
	}
	if b.continueW || b.skipped {
		return false // never asked for: the client may or may not send it; close to be safe
	}
	if b.err != nil {
		return false
	}
	if b.kind == bodyLength && b.remain > max {
		return false
	}
	n, err := io.Copy(io.Discard, io.LimitReader(b, max+1))
	return err == nil && n <= max && b.done
}
