package httpproxy

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/textproto"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
)

// The HTTP/1.1 wire format of the client, written for the common case and
// checked against the standard library: writeRequest produces what
// Request.Write produces for the requests Proxy builds, and readResponse
// parses a well-formed response head itself (one string for the whole head,
// values sliced out of it) and hands anything unusual (folded header
// lines, an HTTP/1.0 or malformed status line, a head larger than the
// read buffer, a transfer coding other than chunked) to http.ReadResponse.
// parseResponse (wirebuf.go) is readResponse over a byte buffer, for the
// event loop. The differential tests in wire_test.go hold all of them to
// the standard library.

// writeRequest writes req's head and body to bw as Request.Write does for
// a request with a known ContentLength and no trailers. Requests it does
// not write itself (a non-ASCII or unusual Host, control bytes in the
// target) go to Request.Write.
func writeRequest(bw *bufio.Writer, req *http.Request, body []byte) error {
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	target := req.URL.RequestURI()
	if !plainHost(host) || hasCTL(target) || req.Method == "" {
		return req.Write(bw)
	}
	bw.WriteString(req.Method)
	bw.WriteByte(' ')
	bw.WriteString(target)
	bw.WriteString(" HTTP/1.1\r\nHost: ")
	bw.WriteString(host)
	bw.WriteString("\r\n")
	ua := "Go-http-client/1.1"
	if _, ok := req.Header["User-Agent"]; ok {
		ua = req.Header.Get("User-Agent")
	}
	if ua != "" {
		bw.WriteString("User-Agent: ")
		writeValue(bw, ua)
		bw.WriteString("\r\n")
	}
	if req.Close && !hasToken(req.Header["Connection"], "close") {
		bw.WriteString("Connection: close\r\n")
	}
	switch {
	case len(body) > 0:
		bw.WriteString("Content-Length: ")
		bw.Write(strconv.AppendInt(bw.AvailableBuffer(), int64(len(body)), 10))
		bw.WriteString("\r\n")
	case req.Method == http.MethodPost || req.Method == http.MethodPut || req.Method == http.MethodPatch:
		bw.WriteString("Content-Length: 0\r\n") // many servers expect one
	}
	// Header.Write's order: keys sorted, the ones written above skipped.
	var keysBuf [32]string
	keys := keysBuf[:0]
	for k := range req.Header {
		switch k {
		case "Host", "User-Agent", "Content-Length", "Transfer-Encoding", "Trailer":
			continue
		}
		if !httpserver.ValidToken(k) {
			// Request.Write would write it as is; nothing Proxy builds has
			// one (names come from parsed requests and validated mappings),
			// and a bad name must not reach the wire.
			return errors.New("http: invalid header field name " + strconv.Quote(k))
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range req.Header[k] {
			bw.WriteString(k)
			bw.WriteString(": ")
			writeValue(bw, v)
			bw.WriteString("\r\n")
		}
	}
	bw.WriteString("\r\n")
	bw.Write(body)
	return nil
}

// plainHost reports whether h is an ASCII host[:port] that needs none of
// Request.Write's rewriting (punycode, IPv6 zones) or validation.
func plainHost(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_') {
			return false
		}
	}
	return true
}

func hasCTL(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == 0x7f {
			return true
		}
	}
	return false
}

var newlineToSpace = strings.NewReplacer("\r", " ", "\n", " ")

// writeValue writes a header value as Header.Write does: CR and LF become
// spaces and surrounding spaces and tabs are trimmed.
func writeValue(bw *bufio.Writer, v string) {
	v = textproto.TrimString(v)
	if strings.ContainsAny(v, "\r\n") {
		v = newlineToSpace.Replace(v)
	}
	bw.WriteString(v)
}

// readResponse reads the response to a request with the given method from
// br, skipping 1xx interim responses, and returns it with its body (at most
// MaxResponseBytes).
func readResponse(br *bufio.Reader, req *http.Request) (*http.Response, []byte, error) {
	for {
		resp, body, err := readOne(br, req)
		if err != nil {
			return nil, nil, err
		}
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
			continue // 100 Continue, 103 Early Hints: the final response follows
		}
		if resp.StatusCode == http.StatusSwitchingProtocols {
			return nil, nil, errors.New("backend switched protocols")
		}
		return resp, body, nil
	}
}

func readOne(br *bufio.Reader, req *http.Request) (*http.Response, []byte, error) {
	head, ok, err := peekHead(br)
	if err != nil {
		return nil, nil, err
	}
	var resp *http.Response
	if ok {
		resp = new(http.Response)
		ok = parseHead(head, resp)
	}
	if ok {
		// Declared trailers change the framing rules (net/http's
		// fixTrailer): the standard parser handles them.
		_, trailer := resp.Header["Trailer"]
		ok = !trailer
	}
	if !ok {
		// Not the common case: the standard library parses it.
		resp, err = http.ReadResponse(br, req)
		if err != nil {
			return nil, nil, err
		}
		body, err := readBody(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, nil, err
		}
		return resp, body, nil
	}
	br.Discard(len(head))
	resp.Request = req
	body, err := readFramedBody(br, resp, req.Method)
	if err != nil {
		return nil, nil, err
	}
	resp.Body = http.NoBody
	return resp, body, nil
}

// peekHead returns the buffered response head up to and including its
// blank line, reading more as needed. ok is false when the head does not
// fit the buffer (the caller falls back to the standard parser).
func peekHead(br *bufio.Reader) ([]byte, bool, error) {
	for {
		b, _ := br.Peek(br.Buffered()) // what is buffered; no read
		switch end := headEnd(b); {
		case end > 0:
			return b[:end], true, nil
		case end < 0:
			return nil, false, nil // a bare LF: the standard parser's line rules apply
		}
		if len(b) >= br.Size() {
			return nil, false, nil // larger than the buffer
		}
		if _, err := br.Peek(len(b) + 1); err != nil { // one more read
			if len(b) > 0 {
				return nil, false, nil // a truncated head: the standard parser names the error
			}
			return nil, false, err
		}
	}
}

// headEnd returns the length of the head in b up to its blank line, 0 when
// b does not hold all of it yet, and -1 when a line ends in a bare LF.
func headEnd(b []byte) int {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return 0
		}
		i += j
		if i == 0 || b[i-1] != '\r' {
			return -1
		}
		if i >= 3 && b[i-2] == '\n' {
			return i + 1
		}
		i++
	}
}

// parseHead parses a complete response head the strict, common way, into
// resp. It is false when anything is unusual; the standard parser then
// decides.
func parseHead(head []byte, resp *http.Response) bool {
	s := string(head[:len(head)-2]) // one allocation: every value is a substring
	line, rest, ok := cutCRLF(s)
	if !ok {
		return false
	}
	// "HTTP/1.1 200 OK" (HTTP/1.0 and other versions go the standard way:
	// their keep-alive rules differ).
	if len(line) < 12 || line[:9] != "HTTP/1.1 " || (len(line) > 12 && line[12] != ' ') {
		return false
	}
	code := 0
	for i := 9; i < 12; i++ {
		c := line[i]
		if c < '0' || c > '9' {
			return false
		}
		code = code*10 + int(c-'0')
	}
	if code < 100 || strings.IndexByte(line, '\r') >= 0 {
		return false
	}
	lines := strings.Count(rest, "\r\n")
	h := make(http.Header, lines)
	values := make([]string, 0, lines) // one backing array for single values
	for rest != "" {
		var l string
		if l, rest, ok = cutCRLF(rest); !ok {
			return false
		}
		colon := strings.IndexByte(l, ':')
		if colon <= 0 {
			return false
		}
		k := l[:colon]
		if !httpserver.ValidToken(k) {
			return false // includes "Name :" and folded lines
		}
		v := l[colon+1:]
		if !validFieldValue(v) { // before trimming: a stray CR is not space here
			return false
		}
		v = textproto.TrimString(v)
		k = httpserver.CanonicalKey(k)
		if vs, ok := h[k]; ok {
			h[k] = append(vs, v)
			continue
		}
		values = append(values, v)
		h[k] = values[len(values)-1 : len(values) : len(values)]
	}
	status := line[9:]
	*resp = http.Response{
		Status:     status,
		StatusCode: code,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
	}
	return true
}

// cutCRLF cuts s at its first line end, which must be CRLF (a bare LF is
// left to the standard parser: ok is false).
func cutCRLF(s string) (line, rest string, ok bool) {
	i := strings.IndexByte(s, '\n')
	if i < 1 || s[i-1] != '\r' {
		return "", "", false
	}
	return s[:i-1], s[i+1:], true
}

// validFieldValue refuses what textproto refuses in a value: control
// characters other than tab.
func validFieldValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// bodyKind is how a response body is delimited.
type bodyKind uint8

const (
	bodyNone     bodyKind = iota // no body (HEAD, 1xx, 204, 304)
	bodyLength                   // Content-Length bytes
	bodyChunked                  // chunked transfer coding
	bodyUntilEOF                 // the rest of the connection
)

// framing decides how resp's body is delimited, as http.ReadResponse
// decides it for an HTTP/1.1 response (net/http's readTransfer,
// parseTransferEncoding and fixLength, step by step), and sets
// resp.ContentLength, Close and TransferEncoding and the header changes
// net/http makes. n is the length of a bodyLength body.
func framing(resp *http.Response, method string) (kind bodyKind, n int64, err error) {
	h := resp.Header
	if resp.Close = hasToken(h["Connection"], "close"); resp.Close {
		delete(h, "Connection")
	}
	chunked := false
	if te, ok := h["Transfer-Encoding"]; ok {
		delete(h, "Transfer-Encoding")
		if len(te) != 1 || !strings.EqualFold(te[0], "chunked") {
			return 0, 0, errors.New("unsupported transfer encoding in backend response")
		}
		chunked = true
		resp.TransferEncoding = []string{"chunked"}
	}
	cl := h["Content-Length"]
	if len(cl) > 1 {
		for _, v := range cl[1:] {
			if v != cl[0] {
				return 0, 0, errors.New("conflicting Content-Length in backend response")
			}
		}
		cl = cl[:1]
		h["Content-Length"] = cl
	}
	if n, err = contentLength(cl); err != nil {
		return 0, 0, err
	}
	code := resp.StatusCode
	switch {
	case method == http.MethodHead:
		resp.ContentLength = n // what the backend announced; no body follows
		return bodyNone, 0, nil
	case code < 200 || code == http.StatusNoContent || code == http.StatusNotModified:
		resp.ContentLength = 0
		return bodyNone, 0, nil
	case chunked:
		delete(h, "Content-Length") // chunked overrides it
		resp.ContentLength = -1
		return bodyChunked, 0, nil
	case n < 0:
		resp.ContentLength = -1
		resp.Close = true
		return bodyUntilEOF, 0, nil
	}
	resp.ContentLength = n
	if n > MaxResponseBytes {
		return 0, 0, fmt.Errorf("integration response exceeds %d bytes", MaxResponseBytes)
	}
	return bodyLength, n, nil
}

// readFramedBody reads the body resp's headers announce from br.
func readFramedBody(br *bufio.Reader, resp *http.Response, method string) ([]byte, error) {
	kind, n, err := framing(resp, method)
	if err != nil {
		return nil, err
	}
	switch kind {
	case bodyNone:
		return []byte{}, nil // empty, not nil, as io.ReadAll of no body
	case bodyChunked:
		return readChunked(br)
	case bodyUntilEOF:
		return readBody(br)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(br, body); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return body, nil
}

// contentLength parses a Content-Length as net/http does; -1 when absent.
func contentLength(cl []string) (int64, error) {
	if len(cl) == 0 {
		return -1, nil
	}
	n, err := strconv.ParseUint(cl[0], 10, 63)
	if err != nil {
		return 0, errors.New("bad Content-Length in backend response")
	}
	return int64(n), nil
}

// readChunked decodes a chunked body and consumes its trailer section as
// net/http's body.readTrailer does (trailer fields are dropped: API
// Gateway does not forward them).
func readChunked(br *bufio.Reader) ([]byte, error) {
	body, err := readBody(httputil.NewChunkedReader(br))
	if err != nil {
		return nil, err
	}
	buf, err := br.Peek(2)
	if bytes.Equal(buf, []byte("\r\n")) {
		br.Discard(2)
		return body, nil
	}
	if len(buf) < 2 {
		return nil, errors.New("http: unexpected EOF reading trailer")
	}
	if err != nil {
		return nil, err
	}
	// A trailer section must end in sight of the buffer (no unbounded trailer).
	for n := 4; ; n++ {
		b, err := br.Peek(n)
		if bytes.HasSuffix(b, []byte("\r\n\r\n")) {
			break
		}
		if err != nil {
			return nil, errors.New("http: suspiciously long trailer after chunked body")
		}
	}
	if _, err := textproto.NewReader(br).ReadMIMEHeader(); err != nil {
		if err == io.EOF {
			return nil, errors.New("http: unexpected EOF reading trailer")
		}
		return nil, err
	}
	return body, nil
}

func hasToken(vs []string, token string) bool {
	for _, v := range vs {
		for f := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(textproto.TrimString(f), token) {
				return true
			}
		}
	}
	return false
}
