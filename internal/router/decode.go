package router

import "strings"

// lookup finds the literal child for a raw request segment, comparing the
// percent-decoded segment with the literals. It does not allocate for
// segments up to 256 bytes. An invalid escape matches nothing.
func lookup[T any](m map[string]*node[T], seg string) *node[T] {
	if strings.IndexByte(seg, '%') < 0 {
		return m[seg]
	}
	var buf [256]byte
	b := buf[:0]
	if len(seg) > len(buf) {
		b = make([]byte, 0, len(seg))
	}
	b, ok := unescape(b, seg)
	if !ok {
		return nil
	}
	return m[string(b)]
}

// unescape appends the percent-decoding of s to dst. It reports false if s
// holds a '%' not followed by two hex digits. '+' is not a space in a path.
func unescape(dst []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 >= len(s) {
				return dst, false
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return dst, false
			}
			c = hi<<4 | lo
			i += 2
		}
		dst = append(dst, c)
	}
	return dst, true
}

// decode percent-decodes s for a Param's Value. Unlike unescape it never
// fails: a '%' not followed by two hex digits is kept as is. It returns s
// itself, without allocating, when s holds no '%'.
func decode(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				c = hi<<4 | lo
				i += 2
			}
		}
		b = append(b, c)
	}
	return string(b)
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
