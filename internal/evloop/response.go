package evloop

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
)

// appendResponse appends a response head and body to dst. The caller
// decides close (the connection closes after this response) and whether
// the request was HTTP/1.0 (keep-alive is then said explicitly).
func appendResponse(dst []byte, status int, h http.Header, body []byte, head, close, http10 bool) []byte {
	allowed := bodyAllowed(status)
	dst = append(dst, "HTTP/1.1 "...)
	dst = appendStatus(dst, status)
	dst = append(dst, "\r\n"...)
	for k, vs := range h {
		switch k {
		case "Content-Length", "Transfer-Encoding", "Connection":
			continue
		}
		if !httpserver.ValidToken(k) {
			continue
		}
		for _, v := range vs {
			dst = appendField(dst, k, v)
		}
	}
	if allowed {
		n := int64(len(body))
		if head {
			if v, ok := declaredLength(h); ok {
				n = v
			}
		}
		dst = append(dst, "Content-Length: "...)
		dst = strconv.AppendInt(dst, n, 10)
		dst = append(dst, "\r\n"...)
	}
	if _, ok := h["Date"]; !ok {
		dst = append(dst, "Date: "...)
		dst = append(dst, httpserver.Date()...)
		dst = append(dst, "\r\n"...)
	}
	if close {
		dst = append(dst, "Connection: close\r\n"...)
	} else if http10 {
		dst = append(dst, "Connection: keep-alive\r\n"...)
	}
	dst = append(dst, "\r\n"...)
	if allowed && !head {
		dst = append(dst, body...)
	}
	return dst
}

// appendError appends the short plain-text answer to a request that could
// not be read; the connection closes after it (as httpserver and net/http).
func appendError(dst []byte, status int, msg string) []byte {
	dst = append(dst, "HTTP/1.1 "...)
	dst = appendStatus(dst, status)
	dst = append(dst, "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nDate: "...)
	dst = append(dst, httpserver.Date()...)
	dst = append(dst, "\r\n\r\n"...)
	return append(dst, msg...)
}

// appendField appends "k: v\r\n" with CR and LF in v turned into spaces: a
// handler must not be able to split the response.
func appendField(dst []byte, k, v string) []byte {
	dst = append(dst, k...)
	dst = append(dst, ": "...)
	if !plainValue(v) {
		v = strings.TrimSpace(v)
		if strings.ContainsAny(v, "\r\n") {
			v = strings.TrimSpace(strings.NewReplacer("\r", " ", "\n", " ").Replace(v))
		}
	}
	dst = append(dst, v...)
	return append(dst, "\r\n"...)
}

// plainValue reports whether v needs no trimming or replacing: no CR or
// LF, no space (or other byte TrimSpace removes) at either end.
func plainValue(v string) bool {
	if v == "" {
		return true
	}
	if c := v[0]; c <= ' ' || c >= 0x80 {
		return false
	}
	if c := v[len(v)-1]; c <= ' ' || c >= 0x80 {
		return false
	}
	for i := 1; i < len(v)-1; i++ {
		if c := v[i]; c == '\r' || c == '\n' {
			return false
		}
	}
	return true
}

// declaredLength is the one valid Content-Length in h.
func declaredLength(h http.Header) (int64, bool) {
	cl := h["Content-Length"]
	if len(cl) == 0 {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.TrimSpace(cl[0]), 10, 64)
	return v, err == nil && v >= 0
}

// wantsClose reports whether a Connection header asks to close.
func wantsClose(h http.Header) bool {
	for _, v := range h["Connection"] {
		if strings.Contains(strings.ToLower(v), "close") {
			return true
		}
	}
	return false
}

func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// appendStatus appends "200 OK", or "599 status code 599" for codes without
// a text.
func appendStatus(dst []byte, code int) []byte {
	if code == http.StatusOK {
		return append(dst, "200 OK"...)
	}
	dst = strconv.AppendInt(dst, int64(code), 10)
	dst = append(dst, ' ')
	if text := http.StatusText(code); text != "" {
		return append(dst, text...)
	}
	dst = append(dst, "status code "...)
	return strconv.AppendInt(dst, int64(code), 10)
}
