package httpserver

import (
	"bytes"
	"net/http"
	"net/textproto"
	"net/url"
)

// head is a parsed request line and header block, before the checks that
// both parsers share (finish).
type head struct {
	method, uri, proto string
	major, minor       int
	h                  http.Header
	u                  *url.URL
}

// maxFastHeaders bounds the header lines the fast parser takes; a request
// with more goes to textproto.
const maxFastHeaders = 64

// parseFastHead parses the request head at the start of b if it is of the
// common shape, and reports how many bytes it took. It accepts a subset of
// what the textproto-based parser accepts and parses it identically
// (FuzzFastHead holds it to that): CRLF line ends, no empty lines before
// the request line, HTTP/1.0 or HTTP/1.1, an origin-form target whose path
// needs no escaping (no '%': url.URL.RawPath stays empty), header names
// that are tokens followed directly by ':', values without control bytes,
// no folded lines. Anything else returns ok false and the caller parses
// with textproto, which has the last word (and the error messages).
//
// The whole head becomes one string and every method, target, name and
// value is a substring of it; the values share one []string: three
// allocations for the head, the header map and the values, where
// textproto makes one per header.
func parseFastHead(b []byte) (hd head, n int, ok bool) {
	end := bytes.Index(b, crlfcrlf)
	if end < 0 {
		return head{}, 0, false
	}
	n = end + 4
	raw := b[:end+2] // every line with its CRLF
	lines := bytes.Count(raw, crlf) - 1
	if lines > maxFastHeaders {
		return head{}, 0, false
	}
	s := string(raw)

	// Request line: method SP target SP version.
	i := 0
	for i < len(s) && isTokenByte(s[i]) {
		i++
	}
	if i == 0 || i >= len(s) || s[i] != ' ' {
		return head{}, 0, false
	}
	hd.method = s[:i]
	if hd.method == http.MethodConnect {
		return head{}, 0, false
	}
	i++
	j := i
	q := -1
	for j < len(s) && s[j] != ' ' {
		c := s[j]
		switch {
		case q < 0 && c == '?':
			q = j
		case q < 0 && !pathByte(c), q >= 0 && (c <= ' ' || c >= 0x7f):
			return head{}, 0, false
		}
		j++
	}
	if j == i || s[i] != '/' || j >= len(s) || s[j-1] == '?' {
		return head{}, 0, false
	}
	hd.uri = s[i:j]
	switch v := s[j+1:]; {
	case len(v) >= 10 && v[:10] == "HTTP/1.1\r\n":
		hd.proto, hd.major, hd.minor = v[:8], 1, 1
	case len(v) >= 10 && v[:10] == "HTTP/1.0\r\n":
		hd.proto, hd.major, hd.minor = v[:8], 1, 0
	default:
		return head{}, 0, false
	}
	hd.u = &url.URL{Path: hd.uri}
	if q >= 0 {
		hd.u.Path, hd.u.RawQuery = s[i:q], s[q+1:j]
	}

	// Header lines: name ":" OWS value OWS CRLF.
	pos := j + 1 + 10
	hd.h = make(http.Header, lines)
	vals := make([]string, lines)
	for pos < len(s) {
		k := pos
		for k < len(s) && isTokenByte(s[k]) {
			k++
		}
		if k == pos || k >= len(s) || s[k] != ':' {
			return head{}, 0, false
		}
		name := s[pos:k]
		e := k + 1
		for e < len(s) && s[e] != '\r' {
			if c := s[e]; (c < ' ' && c != '\t') || c == 0x7f {
				return head{}, 0, false
			}
			e++
		}
		if e+1 >= len(s) || s[e+1] != '\n' {
			return head{}, 0, false
		}
		v := s[k+1 : e]
		for len(v) > 0 && (v[0] == ' ' || v[0] == '\t') {
			v = v[1:]
		}
		for len(v) > 0 && (v[len(v)-1] == ' ' || v[len(v)-1] == '\t') {
			v = v[:len(v)-1]
		}
		name = CanonicalKey(name)
		if vv, seen := hd.h[name]; seen {
			hd.h[name] = append(vv, v)
		} else {
			vals[0] = v
			hd.h[name], vals = vals[:1:1], vals[1:]
		}
		pos = e + 2
	}
	return hd, n, true
}

var (
	crlf     = []byte("\r\n")
	crlfcrlf = []byte("\r\n\r\n")
)

// pathByte reports whether c may appear unescaped in a path that
// url.URL.EscapedPath gives back as it is: unreserved characters and the
// sub-delimiters Go does not escape in a path.
func pathByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '-', '_', '.', '~', '/', '$', '&', '+', ',', ':', ';', '=', '@':
		return true
	}
	return false
}

// CanonicalKey is textproto.CanonicalMIMEHeaderKey without its scan's
// allocation when k is already canonical (upper case at the start and
// after each '-', lower case elsewhere: the usual case).
func CanonicalKey(k string) string {
	upper := true
	for i := 0; i < len(k); i++ {
		c := k[i]
		if upper && 'a' <= c && c <= 'z' || !upper && 'A' <= c && c <= 'Z' {
			return textproto.CanonicalMIMEHeaderKey(k)
		}
		upper = c == '-'
	}
	return k
}

// PlainPath reports whether url.Parse keeps s as a path unchanged (and
// url.URL.EscapedPath gives it back): only bytes pathByte accepts.
func PlainPath(s string) bool {
	for i := 0; i < len(s); i++ {
		if !pathByte(s[i]) {
			return false
		}
	}
	return true
}
