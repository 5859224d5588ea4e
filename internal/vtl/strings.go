package vtl

import (
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Java strings are UTF-16: lengths and indexes count UTF-16 code units.
// ASCII strings (the common case) are indexed directly; others are
// converted.

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

type jstring struct {
	s     string
	ascii bool
	units []uint16
}

func newJString(s string) jstring {
	if isASCII(s) {
		return jstring{s: s, ascii: true}
	}
	return jstring{s: s, units: utf16.Encode([]rune(s))}
}

func (j jstring) len() int {
	if j.ascii {
		return len(j.s)
	}
	return len(j.units)
}

func (j jstring) slice(a, b int) string {
	if j.ascii {
		return j.s[a:b]
	}
	return string(utf16.Decode(j.units[a:b]))
}

// offset converts a byte offset in j.s to a UTF-16 index.
func (j jstring) offset(byteOff int) int {
	if j.ascii || byteOff < 0 {
		return byteOff
	}
	return len(utf16.Encode([]rune(j.s[:byteOff])))
}

// byteOffset converts a UTF-16 index into a byte offset in j.s.
func (j jstring) byteOffset(idx int) int {
	if j.ascii {
		return idx
	}
	return len(string(utf16.Decode(j.units[:idx])))
}

var errStringIndex = errors.New("string index out of range")

func stringMethod(s, name string, args []any, maxLen int) (any, bool, error) {
	switch len(args) {
	case 0:
		switch name {
		case "length":
			return int64(newJString(s).len()), true, nil
		case "isEmpty":
			return s == "", true, nil
		case "toLowerCase":
			return strings.ToLower(s), true, nil
		case "toUpperCase":
			return strings.ToUpper(s), true, nil
		case "trim":
			return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' }), true, nil
		case "toString", "intern":
			return s, true, nil
		case "hashCode":
			var h int32
			for _, u := range utf16.Encode([]rune(s)) {
				h = 31*h + int32(u)
			}
			return int64(h), true, nil
		}
		return nil, false, nil
	}
	// Methods taking strings.
	strArg := func(i int) (string, bool) {
		a, ok := args[i].(string)
		return a, ok
	}
	intArg := func(i int) (int, bool) { return toInt(args[i]) }
	switch name {
	case "substring":
		j := newJString(s)
		a, ok := intArg(0)
		if !ok {
			return nil, false, nil
		}
		b := j.len()
		if len(args) == 2 {
			if b, ok = intArg(1); !ok {
				return nil, false, nil
			}
		}
		if a < 0 || b > j.len() || a > b {
			return nil, true, &indexError{msg: "begin " + itoa(a) + ", end " + itoa(b) + ", length " + itoa(j.len())}
		}
		return j.slice(a, b), true, nil
	case "charAt":
		j := newJString(s)
		i, ok := intArg(0)
		if !ok {
			return nil, false, nil
		}
		if i < 0 || i >= j.len() {
			return nil, true, &indexError{msg: "index " + itoa(i) + ", length " + itoa(j.len())}
		}
		if j.ascii {
			return char(s[i]), true, nil
		}
		return char(j.units[i]), true, nil
	case "indexOf", "lastIndexOf":
		sub, ok := strArg(0)
		if !ok {
			// indexOf(int ch): the argument is a character code.
			c, isInt := intArg(0)
			if !isInt || c < 0 || c > 0x10FFFF {
				return nil, false, nil
			}
			sub = string(rune(c))
		}
		j := newJString(s)
		from := -1
		if len(args) == 2 {
			if from, ok = intArg(1); !ok {
				return nil, false, nil
			}
		}
		if name == "indexOf" {
			if from < 0 {
				from = 0
			}
			if from > j.len() {
				return int64(-1), true, nil
			}
			bo := j.byteOffset(from)
			i := strings.Index(s[bo:], sub)
			if i < 0 {
				return int64(-1), true, nil
			}
			return int64(j.offset(bo + i)), true, nil
		}
		hay := s
		if len(args) == 2 {
			if from < 0 {
				return int64(-1), true, nil
			}
			end := min(from+newJString(sub).len(), j.len())
			hay = s[:j.byteOffset(end)]
		}
		i := strings.LastIndex(hay, sub)
		return int64(j.offset(i)), true, nil
	case "contains", "startsWith", "endsWith", "equalsIgnoreCase", "concat":
		if len(args) != 1 {
			return nil, false, nil
		}
		a, ok := strArg(0)
		if !ok {
			if name == "equalsIgnoreCase" {
				return false, true, nil
			}
			return nil, false, nil
		}
		switch name {
		case "contains":
			return strings.Contains(s, a), true, nil
		case "startsWith":
			return strings.HasPrefix(s, a), true, nil
		case "endsWith":
			return strings.HasSuffix(s, a), true, nil
		case "equalsIgnoreCase":
			return strings.EqualFold(s, a), true, nil
		default:
			if len(s)+len(a) > maxLen {
				return nil, true, ErrLimit
			}
			return s + a, true, nil
		}
	case "equals":
		if len(args) != 1 {
			return nil, false, nil
		}
		a, ok := strArg(0)
		return ok && a == s, true, nil
	case "replace":
		if len(args) != 2 {
			return nil, false, nil
		}
		a, ok1 := args[0].(string)
		b, ok2 := args[1].(string)
		if !ok1 || !ok2 {
			ca, ok1 := args[0].(char)
			cb, ok2 := args[1].(char)
			if !ok1 || !ok2 {
				return nil, false, nil
			}
			a, b = string(rune(ca)), string(rune(cb))
		}
		if a == "" {
			// Java inserts the replacement between every character.
			out := b + strings.Join(strings.Split(s, ""), b)
			if s != "" {
				out += b
			}
			if len(out) > maxLen {
				return nil, true, ErrLimit
			}
			return out, true, nil
		}
		out := strings.ReplaceAll(s, a, b)
		if len(out) > maxLen {
			return nil, true, ErrLimit
		}
		return out, true, nil
	case "replaceAll", "replaceFirst":
		if len(args) != 2 {
			return nil, false, nil
		}
		pat, ok1 := strArg(0)
		rep, ok2 := strArg(1)
		if !ok1 || !ok2 {
			return nil, false, nil
		}
		if lit, ok := literalRegex(pat); ok {
			if r, ok := literalReplacement(rep); ok {
				// The common case, such as replaceAll("\\'", "'"): no regexp.
				n := -1
				if name == "replaceFirst" {
					n = 1
				}
				out := strings.Replace(s, lit, r, n)
				if len(out) > maxLen {
					return nil, true, ErrLimit
				}
				return out, true, nil
			}
		}
		re, err := compileJavaRegex(pat)
		if err != nil {
			return nil, true, err
		}
		out, err := javaReplace(re, s, rep, name == "replaceAll", maxLen)
		return out, true, err
	case "matches":
		pat, ok := strArg(0)
		if !ok || len(args) != 1 {
			return nil, false, nil
		}
		re, err := compileJavaRegex("^(?:" + pat + ")$")
		if err != nil {
			return nil, true, err
		}
		return re.MatchString(s), true, nil
	case "split":
		pat, ok := strArg(0)
		if !ok {
			return nil, false, nil
		}
		limit := 0
		if len(args) == 2 {
			if limit, ok = intArg(1); !ok {
				return nil, false, nil
			}
		}
		parts, err := javaSplit(s, pat, limit)
		if err != nil {
			return nil, true, err
		}
		items := make([]any, len(parts))
		for i, p := range parts {
			items[i] = p
		}
		return javaList(items), true, nil
	}
	return nil, false, nil
}

func compareUTF16(a, b string) int {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return int(ua[i]) - int(ub[i])
		}
	}
	return len(ua) - len(ub)
}

func itoa(i int) string {
	return string(appendString(nil, int64(i), 0))
}
