package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// canonicalRequest rebuilds the SigV4 canonical request the client signed:
//
//	Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n PayloadHash
func canonicalRequest(r *http.Request, c *claim, payloadHash string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(requestPath(r)))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(rawQuery(r), c.presigned))
	b.WriteByte('\n')
	for _, name := range c.signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(c.signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// stringToSign is "AWS4-HMAC-SHA256 \n timestamp \n scope \n hex(sha256(canonical request))".
func stringToSign(c *claim, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return algorithm + "\n" + c.timestamp + "\n" + c.scope.String() + "\n" + hex.EncodeToString(sum[:])
}

// requestPath returns the path exactly as the client sent it: the path part
// of the request target, or the escaped URL path for requests built in
// process (which have no RequestURI).
func requestPath(r *http.Request) string {
	uri := r.RequestURI
	if uri == "" {
		if r.URL == nil {
			return ""
		}
		return r.URL.EscapedPath()
	}
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	if !strings.HasPrefix(uri, "/") {
		// Absolute-form target (scheme://authority/path), as sent to proxies.
		if i := strings.Index(uri, "://"); i >= 0 {
			rest := uri[i+3:]
			if j := strings.IndexByte(rest, '/'); j >= 0 {
				return rest[j:]
			}
			return ""
		}
	}
	return uri
}

// rawQuery returns the query string as it came on the wire.
func rawQuery(r *http.Request) string {
	if r.URL != nil {
		return r.URL.RawQuery
	}
	_, q, _ := strings.Cut(r.RequestURI, "?")
	return q
}

// canonicalURI encodes the (already escaped) wire path once more, as SigV4
// requires for every service but S3. The path is not normalised: no dot
// segments are removed and no slashes merged.
func canonicalURI(path string) string {
	if path == "" {
		return "/"
	}
	return uriEncode(path, true)
}

type queryParam struct{ name, value string }

// parseQuery splits a raw query string into decoded name/value pairs, in
// order. '+' decodes to a space; a malformed escape is kept literally.
func parseQuery(raw string) []queryParam {
	var out []queryParam
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		out = append(out, queryParam{name: unescapeQuery(name), value: unescapeQuery(value)})
	}
	return out
}

func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// canonicalQuery URI-encodes every name and value and sorts the pairs by
// encoded name, then encoded value. Presigned requests leave out
// X-Amz-Signature.
func canonicalQuery(raw string, presigned bool) string {
	params := parseQuery(raw)
	enc := make([]queryParam, 0, len(params))
	for _, p := range params {
		if presigned && p.name == qSignature {
			continue
		}
		enc = append(enc, queryParam{name: uriEncode(p.name, false), value: uriEncode(p.value, false)})
	}
	sort.Slice(enc, func(i, j int) bool {
		if enc[i].name != enc[j].name {
			return enc[i].name < enc[j].name
		}
		return enc[i].value < enc[j].value
	})
	var b strings.Builder
	for i, p := range enc {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
}

// canonicalHeaderValue returns the trimmed values of the named header,
// joined with commas. host comes from r.Host, where net/http moves it;
// content-length and transfer-encoding fall back to the fields net/http
// moves them to.
func canonicalHeaderValue(r *http.Request, name string) string {
	lname := strings.ToLower(name)
	if lname == "host" {
		host := r.Host
		if host == "" && r.URL != nil {
			host = r.URL.Host
		}
		return trimAll(host)
	}
	values := headerValues(r.Header, name)
	if len(values) == 0 {
		switch {
		case lname == "content-length" && r.ContentLength > 0:
			values = []string{strconv.FormatInt(r.ContentLength, 10)}
		case lname == "transfer-encoding" && len(r.TransferEncoding) > 0:
			values = r.TransferEncoding
		}
	}
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(trimAll(v))
	}
	return b.String()
}

// headerValues looks a header up case-insensitively, also finding keys that
// were stored without canonicalisation.
func headerValues(h http.Header, name string) []string {
	if v, ok := h[textproto.CanonicalMIMEHeaderKey(name)]; ok {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// trimAll trims surrounding whitespace and collapses runs of spaces into
// one, per the SigV4 Trimall function.
func trimAll(s string) string {
	s = strings.Trim(s, " \t")
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' && prevSpace {
			continue
		}
		prevSpace = c == ' '
		b.WriteByte(c)
	}
	return b.String()
}

// uriEncode percent-encodes every byte except the unreserved characters
// A-Z a-z 0-9 - _ . ~ (and '/', when keepSlash), with uppercase hex digits.
func uriEncode(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !isUnreserved(s[i]) && !(keepSlash && s[i] == '/') {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || (keepSlash && c == '/') {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hexDigits[c>>4], hexDigits[c&0x0f])
	}
	return string(b)
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}
