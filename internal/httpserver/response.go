package httpserver

import (
	"bufio"
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// response is the http.ResponseWriter of one request. The body is buffered
// until the handler returns, so the head carries an exact Content-Length and
// head and body leave in one write; a handler that sets Content-Length
// itself has its body written through as it goes ("streaming").
type response struct {
	c    *conn
	req  *request
	head bool // HEAD request: no body on the wire

	header      http.Header
	status      int
	wroteHeader bool
	streaming   bool  // head written, body written through
	declared    int64 // Content-Length the handler set (streaming)
	written     int64 // body bytes written through (streaming)
	buf         *bytes.Buffer
	close       bool // the connection closes after this response
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func newResponse(c *conn, req *request) *response {
	w := &response{c: c, req: req, head: req.r.Method == http.MethodHead, header: make(http.Header, 8)}
	req.body.sendCont = func() error {
		c.bw.WriteString("HTTP/1.1 100 Continue\r\n\r\n")
		return c.bw.Flush()
	}
	return w
}

func (w *response) Header() http.Header { return w.header }

func (w *response) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	if code < 100 || code > 999 {
		panic("httpserver: invalid WriteHeader code " + strconv.Itoa(code))
	}
	if code < 200 { // 1xx informational responses are not supported; ignore
		return
	}
	w.wroteHeader = true
	w.status = code
	if cl := w.header.Get("Content-Length"); cl != "" && !w.head && bodyAllowed(code) {
		if n, err := strconv.ParseInt(cl, 10, 64); err == nil && n >= 0 {
			w.streaming, w.declared = true, n
			w.writeHead(n, true)
		}
	}
}

func (w *response) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	if w.streaming {
		if w.written+int64(len(p)) > w.declared {
			return 0, http.ErrContentLength
		}
		n, err := w.c.bw.Write(p)
		w.written += int64(n)
		return n, err
	}
	if w.buf == nil {
		w.buf = bufPool.Get().(*bytes.Buffer)
	}
	return w.buf.Write(p)
}

// WriteString lets io.WriteString skip a copy.
func (w *response) WriteString(s string) (int, error) {
	if w.wroteHeader && !w.streaming && w.buf != nil && bodyAllowed(w.status) {
		return w.buf.WriteString(s)
	}
	return w.Write([]byte(s))
}

// finish writes what the handler left buffered.
func (w *response) finish() error {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.streaming {
		if w.written != w.declared {
			w.close = true // the message is truncated; the framing is lost
		}
		return nil
	}
	var n int64
	if w.buf != nil {
		n = int64(w.buf.Len())
	}
	if w.head {
		// HEAD: the length the handler declared (one valid value), else of
		// what it wrote (not sent).
		if cl := w.header["Content-Length"]; len(cl) > 0 {
			if v, err := strconv.ParseInt(strings.TrimSpace(cl[0]), 10, 64); err == nil && v >= 0 {
				n = v
			}
		}
	}
	w.writeHead(n, false)
	if w.buf != nil && !w.head {
		_, err := w.c.bw.Write(w.buf.Bytes())
		return err
	}
	return nil
}

// writeHead writes the status line and headers. n is the body length to
// declare (-1: keep the handler's Content-Length).
func (w *response) writeHead(n int64, declared bool) {
	h := w.header
	allowed := bodyAllowed(w.status)
	if !allowed {
		delete(h, "Content-Length")
		delete(h, "Transfer-Encoding")
	} else if !declared && n >= 0 {
		h["Content-Length"] = []string{strconv.FormatInt(n, 10)}
	}
	delete(h, "Transfer-Encoding") // bodies are always delimited by length
	if allowed && n > 0 {
		if _, ok := h["Content-Type"]; !ok && w.buf != nil {
			h["Content-Type"] = []string{http.DetectContentType(w.buf.Bytes())}
		}
	}
	if _, ok := h["Date"]; !ok {
		h["Date"] = []string{Date()}
	}
	if w.req.body.continueW {
		// The client still waits for "100 Continue": the answer comes first,
		// so it will not send the body, and the connection cannot be reused.
		w.req.body.continueW = false
		w.req.body.sendCont = nil
		w.req.body.skipped = true // later reads see an empty body; nothing will come
		w.close = true
	}
	if w.req.close || w.c.s.inShut.Load() || hasCloseToken(h) {
		w.close = true
	}
	if w.close {
		h["Connection"] = []string{"close"}
	} else if w.req.r.ProtoMinor == 0 {
		h["Connection"] = []string{"keep-alive"}
	}
	bw := w.c.bw
	bw.WriteString("HTTP/1.1 ")
	bw.WriteString(statusLine(w.status))
	bw.WriteString("\r\n")
	writeHeader(bw, h)
	bw.WriteString("\r\n")
}

func hasCloseToken(h http.Header) bool {
	for _, v := range h["Connection"] {
		if strings.Contains(strings.ToLower(v), "close") {
			return true
		}
	}
	return false
}

// writeHeader writes every header line, dropping CR and LF from values (a
// handler must not be able to split the response).
func writeHeader(bw *bufio.Writer, h http.Header) {
	for k, vs := range h {
		if !ValidToken(k) {
			continue
		}
		for _, v := range vs {
			bw.WriteString(k)
			bw.WriteString(": ")
			if strings.ContainsAny(v, "\r\n") {
				v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
			}
			bw.WriteString(strings.TrimSpace(v))
			bw.WriteString("\r\n")
		}
	}
}

func (w *response) reset() {
	if w.buf != nil {
		w.buf.Reset()
	}
	w.wroteHeader, w.status = false, 0
}

func (w *response) release() {
	if w.buf != nil && w.buf.Cap() <= 64<<10 {
		w.buf.Reset()
		bufPool.Put(w.buf)
	}
	w.buf = nil
}

func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// statusLine is "200 OK", or "599 status code 599" for codes without a text.
func statusLine(code int) string {
	if code == http.StatusOK {
		return "200 OK"
	}
	text := http.StatusText(code)
	if text == "" {
		text = "status code " + strconv.Itoa(code)
	}
	return strconv.Itoa(code) + " " + text
}

// Date is the Date header value for now, formatted at most once a second.
func Date() string {
	now := time.Now().Unix()
	if d := cachedDate.Load(); d != nil && d.sec == now {
		return d.s
	}
	d := &dateValue{sec: now, s: time.Unix(now, 0).UTC().Format(http.TimeFormat)}
	cachedDate.Store(d)
	return d.s
}

type dateValue struct {
	sec int64
	s   string
}

var cachedDate atomic.Pointer[dateValue]
