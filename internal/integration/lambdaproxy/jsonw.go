package lambdaproxy

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// writer appends one JSON document in a fixed key order. Events are written
// by hand rather than through encoding/json so that key order follows AWS's
// and absent fields are omitted (or null) exactly where AWS omits them.
type writer struct {
	b     []byte
	comma bool // a value precedes the next key or element
}

func (w *writer) sep() {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.comma = true
}

// key writes "k": and leaves the writer ready for the value.
func (w *writer) key(k string) {
	w.sep()
	w.b = appendString(w.b, k)
	w.b = append(w.b, ':')
	w.comma = false
}

func (w *writer) open()  { w.sep(); w.b = append(w.b, '{'); w.comma = false }
func (w *writer) close() { w.b = append(w.b, '}'); w.comma = true }

func (w *writer) object(k string) { w.key(k); w.open() }

func (w *writer) str(k, v string) {
	w.key(k)
	w.b = appendString(w.b, v)
	w.comma = true
}

func (w *writer) null(k string) {
	w.key(k)
	w.b = append(w.b, "null"...)
	w.comma = true
}

func (w *writer) int(k string, v int64) {
	w.key(k)
	w.b = strconv.AppendInt(w.b, v, 10)
	w.comma = true
}

func (w *writer) bool(k string, v bool) {
	w.key(k)
	w.b = strconv.AppendBool(w.b, v)
	w.comma = true
}

// strings writes a JSON array of strings.
func (w *writer) strings(k string, vs []string) {
	w.key(k)
	w.stringList(vs)
}

// stringList writes a JSON array of strings as a value.
func (w *writer) stringList(vs []string) {
	w.b = append(w.b, '[')
	for i, v := range vs {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendString(w.b, v)
	}
	w.b = append(w.b, ']')
	w.comma = true
}

// strMap writes an object of strings with sorted keys (AWS's order is not
// specified; sorted keys keep events reproducible).
func (w *writer) strMap(k string, m map[string]string) {
	w.object(k)
	for _, name := range sortedKeys(m) {
		w.str(name, m[name])
	}
	w.close()
}

// listMap writes an object of string arrays with sorted keys.
func (w *writer) listMap(k string, m map[string][]string) {
	w.object(k)
	for _, name := range sortedKeys(m) {
		w.strings(name, m[name])
	}
	w.close()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as
// encoding/json does.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendEscaped(b, s)
	return append(b, '"')
}

// appendEscaped appends the JSON escaping of s, without quotes.
func appendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// joined writes the value "v1,v2,..." (the values joined with sep) after a
// key, without building the joined string.
func (w *writer) joined(vs []string, sep byte) {
	w.b = append(w.b, '"')
	for i, v := range vs {
		if i > 0 {
			w.b = append(w.b, sep)
		}
		w.b = appendEscaped(w.b, v)
	}
	w.b = append(w.b, '"')
	w.comma = true
}

// lowerKey writes "k": with ASCII letters of k lower-cased.
func (w *writer) lowerKey(k string) {
	w.sep()
	w.b = append(w.b, '"')
	start := len(w.b)
	w.b = appendEscaped(w.b, k)
	for i := start; i < len(w.b); i++ {
		if c := w.b[i]; c >= 'A' && c <= 'Z' {
			w.b[i] = c + ('a' - 'A')
		}
	}
	w.b = append(w.b, '"', ':')
	w.comma = false
}
