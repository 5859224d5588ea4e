package jsonpath

import (
	"math"
	"strconv"
	"sync"
	"unicode/utf8"
)

// AppendJSON appends the compact JSON text of v (a value of this package's
// model) to dst. Numbers are written as Java writes them (1.0, 1.0E10); a
// non-finite float, or a value outside the model, is written via its
// Stringer when it has one and as null otherwise.
func AppendJSON(dst []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		return strconv.AppendBool(dst, v)
	case int64:
		return strconv.AppendInt(dst, v, 10)
	case int:
		return strconv.AppendInt(dst, int64(v), 10)
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return append(dst, "null"...)
		}
		return AppendJavaDouble(dst, v)
	case string:
		return AppendQuoted(dst, v)
	case *Map:
		dst = append(dst, '{')
		for i := range v.entries {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendQuoted(dst, v.entries[i].key)
			dst = append(dst, ':')
			dst = AppendJSON(dst, v.entries[i].val)
		}
		return append(dst, '}')
	case *List:
		dst = append(dst, '[')
		for i, it := range v.Items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSON(dst, it)
		}
		return append(dst, ']')
	case interface{ String() string }:
		return AppendQuoted(dst, v.String())
	default:
		return append(dst, "null"...)
	}
}

// JSON returns the compact JSON text of v.
func JSON(v any) string {
	bp := jsonBufs.Get().(*[]byte)
	b := AppendJSON((*bp)[:0], v)
	s := string(b)
	if cap(b) <= 64<<10 {
		*bp = b
		jsonBufs.Put(bp)
	}
	return s
}

// jsonBufs spare JSON a growing buffer per call (one allocation: the string).
var jsonBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

const hexDigits = "0123456789abcdef"

// AppendQuoted appends s as a JSON string literal.
func AppendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, "\uFFFD"...) // as Java decodes invalid UTF-8
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendJavaDouble appends f as Java's Double.toString does: plain decimal
// notation with at least one fractional digit for 1e-3 <= |f| < 1e7
// (1.0, 0.001, 1234567.5), computerized scientific notation otherwise
// (1.0E7, 1.5E-4), and NaN / Infinity / -Infinity.
func AppendJavaDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	abs := math.Abs(f)
	if abs >= 1e-3 && abs < 1e7 {
		if b, ok := appendShortDecimal(dst, f); ok {
			return b
		}
		start := len(dst)
		dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
		for _, c := range dst[start:] {
			if c == '.' {
				return dst
			}
		}
		return append(dst, '.', '0')
	}
	// Shortest digits in exponent form: d[.ddd]e±XX.
	var tmp [32]byte
	b := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64)
	e := 0
	for i, c := range b {
		if c == 'e' {
			e = i
			break
		}
	}
	mant, exp := b[:e], b[e+1:]
	dst = append(dst, mant...)
	hasDot := false
	for _, c := range mant {
		if c == '.' {
			hasDot = true
		}
	}
	if !hasDot {
		dst = append(dst, '.', '0')
	}
	dst = append(dst, 'E')
	if exp[0] == '-' {
		dst = append(dst, '-')
	}
	exp = exp[1:]
	for len(exp) > 1 && exp[0] == '0' {
		exp = exp[1:]
	}
	return append(dst, exp...)
}

// pow10 are the exact powers of ten appendShortDecimal scales by.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// appendShortDecimal is the fast path of AppendJavaDouble for the numbers
// payloads are full of (prices, quantities: few decimals). It finds the
// fewest fractional digits k for which f is exactly r / 10^k with r an
// integer of at most 15 digits. Such a decimal is the shortest that reads
// back as f, and the only one of its length (15 digits always round-trip
// through a double), so it is what strconv's shortest formatting prints;
// TestShortDecimalMatchesStrconv checks that. ok is false otherwise.
func appendShortDecimal(dst []byte, f float64) ([]byte, bool) {
	for k, p := range pow10 {
		r := math.Round(f * p)
		if math.Abs(r) >= 1e15 {
			return dst, false
		}
		if r/p != f {
			continue
		}
		n := int64(r)
		if n < 0 {
			dst = append(dst, '-')
			n = -n
		}
		scale := int64(p)
		dst = strconv.AppendInt(dst, n/scale, 10)
		dst = append(dst, '.')
		if k == 0 {
			return append(dst, '0'), true
		}
		frac := n % scale
		for d := scale / 10; d > frac && d > 1; d /= 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, frac, 10), true
	}
	return dst, false
}
