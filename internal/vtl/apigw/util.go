package apigw

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
)

// Util is $util.
type Util struct{}

// Call implements vtl.Object.
func (Util) Call(name string, args []any) (any, bool, error) {
	if len(args) != 1 {
		return nil, false, nil
	}
	if args[0] == nil {
		// Java would throw a NullPointerException for most of these.
		return nil, true, nil
	}
	s, isString := args[0].(string)
	if !isString {
		s = fmt.Sprint(args[0])
		if st, ok := args[0].(interface{ String() string }); ok {
			s = st.String()
		}
	}
	switch name {
	case "escapeJavaScript":
		if !isString {
			switch args[0].(type) {
			case bool, int64, float64:
				s = toString(args[0])
			}
		}
		return EscapeJavaScript(s), true, nil
	case "parseJson":
		v, err := jsonpath.ParseString(s)
		if err != nil {
			return nil, true, fmt.Errorf("parseJson: %w", err)
		}
		return v, true, nil
	case "urlEncode":
		return URLEncode(s), true, nil
	case "urlDecode":
		out, err := URLDecode(s)
		return out, true, err
	case "base64Encode":
		return base64.StdEncoding.EncodeToString([]byte(s)), true, nil
	case "base64Decode":
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, true, fmt.Errorf("base64Decode: %w", err)
		}
		return string(b), true, nil
	}
	return nil, false, nil
}

func toString(v any) string {
	switch v := v.(type) {
	case bool:
		if v {
			return "true"
		}
		return "false"
	case int64:
		return fmt.Sprint(v)
	case float64:
		return string(jsonpath.AppendJavaDouble(nil, v))
	}
	return fmt.Sprint(v)
}

const upperHex = "0123456789ABCDEF"

// EscapeJavaScript escapes s with JavaScript string rules as Apache
// Commons Lang's StringEscapeUtils.escapeJavaScript does: quotes, backslash
// and '/' get a backslash, control characters their short escapes or
// \u00XX, and every non-ASCII UTF-16 unit \uXXXX (upper-case hex).
func EscapeJavaScript(s string) string {
	i := 0
	for i < len(s) && !needsJSEscape(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+len(s)/4+8)
	b = append(b, s[:i]...)
	for i < len(s) {
		// Copy the run of characters that need nothing.
		j := i
		for j < len(s) && !needsJSEscape(s[j]) {
			j++
		}
		b = append(b, s[i:j]...)
		if i = j; i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case '\'', '"', '\\', '/':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\n':
				b = append(b, '\\', 'n')
			case '\t':
				b = append(b, '\\', 't')
			case '\f':
				b = append(b, '\\', 'f')
			case '\r':
				b = append(b, '\\', 'r')
			case 0x7f:
				b = append(b, c)
			default:
				b = append(b, '\\', 'u', '0', '0', upperHex[c>>4], upperHex[c&0xf])
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			b = appendU(b, hi)
			b = appendU(b, lo)
			continue
		}
		b = appendU(b, r)
	}
	return string(b)
}

// needsJSEscape reports whether byte c starts something EscapeJavaScript
// rewrites (DEL is left as is, as Commons Lang does).
func needsJSEscape(c byte) bool {
	return c < 0x20 || c > 0x7f || c == '\'' || c == '"' || c == '\\' || c == '/'
}

func appendU(b []byte, r rune) []byte {
	return append(b, '\\', 'u', upperHex[(r>>12)&0xf], upperHex[(r>>8)&0xf], upperHex[(r>>4)&0xf], upperHex[r&0xf])
}

// URLEncode is java.net.URLEncoder.encode(s, "UTF-8"): letters, digits and
// ".-*_" stay, space becomes '+', every other byte %XX.
func URLEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '*', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&0xf])
		}
	}
	return b.String()
}

var errURLDecode = errors.New("urlDecode: incomplete or invalid % escape")

// URLDecode is java.net.URLDecoder.decode(s, "UTF-8"): '+' becomes a space
// and %XX a byte; a malformed escape is an error, as in Java.
func URLDecode(s string) (string, error) {
	if !strings.ContainsAny(s, "+%") {
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b = append(b, ' ')
		case '%':
			if i+2 >= len(s) {
				return "", errURLDecode
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return "", errURLDecode
			}
			b = append(b, hi<<4|lo)
			i += 2
		default:
			b = append(b, c)
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// String is what "$util" alone prints.
func (Util) String() string { return "$util" }
