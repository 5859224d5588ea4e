package lambdaproxy

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// A function's output is read with a small scanner rather than decoded into
// map[string]json.RawMessage: the document is checked once with json.Valid,
// and the scanner then only splits values that are known to be valid, which
// costs a fraction of encoding/json's reflection and allocations. Strings
// without escapes (almost all of them) are sliced; anything else is decoded
// by encoding/json, so the results are the same.

// member is one member of a JSON object: the key as written (a JSON string
// with its quotes, escapes not yet decoded) and the value's raw text.
type member struct {
	key []byte
	val []byte
}

// members appends the members of the object obj, which must be valid JSON
// starting with '{', to dst in document order.
func members(dst []member, obj []byte) []member {
	i := skipSpace(obj, 1)
	if obj[i] == '}' {
		return dst
	}
	for {
		end := skipString(obj, i)
		key := obj[i:end]
		i = skipSpace(obj, end)
		i = skipSpace(obj, i+1) // ':'
		end = skipValue(obj, i)
		dst = append(dst, member{key: key, val: obj[i:end]})
		i = skipSpace(obj, end)
		if obj[i] == '}' {
			return dst
		}
		i = skipSpace(obj, i+1) // ','
	}
}

// elements appends the elements of the array arr, which must be valid JSON
// starting with '[', to dst.
func elements(dst [][]byte, arr []byte) [][]byte {
	i := skipSpace(arr, 1)
	if arr[i] == ']' {
		return dst
	}
	for {
		end := skipValue(arr, i)
		dst = append(dst, arr[i:end])
		i = skipSpace(arr, end)
		if arr[i] == ']' {
			return dst
		}
		i = skipSpace(arr, i+1) // ','
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] ('"').
func skipString(b []byte, i int) int {
	for i++; ; i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
}

// skipValue returns the index after the value starting at b[i].
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
	}
	for ; i < len(b); i++ { // a number, true, false or null
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
	}
	return i
}

// field is an object member with its key decoded.
type field struct {
	name string
	val  []byte
}

// fields returns the members of the valid JSON object obj with their keys
// decoded; a repeated key keeps only its last value, as decoding into a map
// does. Order is the document's (of each key's last occurrence).
func fields(obj []byte) []field {
	var buf [16]member
	ms := members(buf[:0], obj)
	fs := make([]field, len(ms))
	for i, m := range ms {
		fs[i] = field{name: keyName(m.key), val: m.val}
	}
	if len(fs) <= 16 {
		out := fs[:0]
	next:
		for i, f := range fs {
			for _, g := range fs[i+1:] {
				if g.name == f.name {
					continue next
				}
			}
			out = append(out, f)
		}
		return out
	}
	last := make(map[string]int, len(fs))
	for i, f := range fs {
		last[f.name] = i
	}
	out := fs[:0]
	for i, f := range fs {
		if last[f.name] == i {
			out = append(out, f)
		}
	}
	return out
}

// keyName decodes a member's key.
func keyName(key []byte) string {
	s, _ := decodeString(key) // valid JSON: cannot fail
	return s
}

// decodeString decodes the valid JSON string raw (with its quotes).
func decodeString(raw []byte) (string, error) {
	if in, ok := plainString(raw); ok {
		return string(in), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// decodeBytes is decodeString returning bytes, which share raw's memory when
// the string has no escapes.
func decodeBytes(raw []byte) ([]byte, error) {
	if in, ok := plainString(raw); ok {
		return in, nil
	}
	s, err := decodeString(raw)
	return []byte(s), err
}

// plainString returns the contents of the JSON string raw when they need no
// decoding: no escapes, and valid UTF-8 (encoding/json replaces invalid
// bytes with U+FFFD).
func plainString(raw []byte) ([]byte, bool) {
	in := raw[1 : len(raw)-1]
	return in, bytes.IndexByte(in, '\\') < 0 && utf8.Valid(in)
}
