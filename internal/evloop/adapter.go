package evloop

import (
	"bytes"
	"io"
	"net/http"
	"runtime/debug"
	"strconv"
)

// FromHTTPHandler runs an http.Handler for the loop: each request's
// ServeHTTP runs on a new goroutine with a buffering http.ResponseWriter,
// and its response goes back to the loop when it returns. The writer
// behaves as internal/httpserver's: the status defaults to 200, 1xx codes
// are ignored, a body is refused for 204 and 304 (http.ErrBodyNotAllowed)
// and beyond a declared Content-Length (http.ErrContentLength), an unset
// Content-Type is sniffed, and a HEAD request's length is the declared one
// or that of what was written. A panic answers 500 and closes the
// connection; http.ErrAbortHandler closes it without an answer.
func FromHTTPHandler(h http.Handler) Handler { return httpHandler{h} }

type httpHandler struct{ h http.Handler }

func (a httpHandler) ServeLoop(r *http.Request, body []byte, res *Responder) {
	if len(body) > 0 {
		// The loop reuses its buffer after Respond; a handler may not know
		// that (a goroutine it started may still read the body).
		body = bytes.Clone(body)
		r.Body = bodyReader(body)
	}
	go a.serve(r, body, res)
}

func (a httpHandler) serve(r *http.Request, body []byte, res *Responder) {
	w := &bufferedWriter{header: make(http.Header, 8), head: r.Method == http.MethodHead, declared: -1}
	panicked := true
	defer func() {
		if !panicked {
			return
		}
		v := recover()
		if v == http.ErrAbortHandler {
			res.Abort()
			return
		}
		res.c.l.s.logger().Error("http: panic serving request", "remote", r.RemoteAddr, "method", r.Method,
			"uri", r.RequestURI, "panic", v, "stack", string(debug.Stack()))
		res.Respond(http.StatusInternalServerError, http.Header{
			"Content-Type": {"text/plain; charset=utf-8"}, "Connection": {"close"},
		}, []byte("500 Internal Server Error"))
	}()
	a.h.ServeHTTP(w, r)
	panicked = false
	w.finish()
	res.Respond(w.status, w.header, w.buf)
}

// bodyReader is the request's Body over the buffered bytes.
func bodyReader(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

// bufferedWriter is the http.ResponseWriter of FromHTTPHandler.
type bufferedWriter struct {
	header      http.Header
	head        bool
	status      int
	wroteHeader bool
	declared    int64 // the Content-Length the handler set, or -1
	buf         []byte
}

func (w *bufferedWriter) Header() http.Header { return w.header }

func (w *bufferedWriter) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	if code < 100 || code > 999 {
		panic("evloop: invalid WriteHeader code " + strconv.Itoa(code))
	}
	if code < 200 { // 1xx informational responses are not supported; ignore
		return
	}
	w.wroteHeader, w.status = true, code
	if n, ok := declaredLength(w.header); ok {
		w.declared = n
	}
}

func (w *bufferedWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	if w.declared >= 0 && !w.head && int64(len(w.buf)+len(p)) > w.declared {
		return 0, http.ErrContentLength
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// WriteString lets io.WriteString skip a conversion.
func (w *bufferedWriter) WriteString(s string) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	if w.declared >= 0 && !w.head && int64(len(w.buf)+len(s)) > w.declared {
		return 0, http.ErrContentLength
	}
	w.buf = append(w.buf, s...)
	return len(s), nil
}

// finish completes the response after the handler returned.
func (w *bufferedWriter) finish() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		w.buf = nil
		return
	}
	if _, ok := w.header["Content-Type"]; !ok && len(w.buf) > 0 {
		w.header["Content-Type"] = []string{http.DetectContentType(w.buf)}
	}
	if w.declared >= 0 && !w.head && int64(len(w.buf)) != w.declared {
		// Less than declared: httpserver would have sent a truncated
		// message and closed; the buffered body goes out with its true
		// length, and the connection still closes.
		w.header["Connection"] = []string{"close"}
	}
}
