package mapping

import (
	"strconv"
	"strings"
)

// step is one selector of a body JSON path (see ParseExpr for the subset):
// an object member name or an array index.
type step struct {
	name  string
	index int // -1 for a name
}

// parsePath parses the selectors at the start of s. Without braces a "."
// not followed by a name ends the path (the "." is static text); with braces
// it is an error.
func parsePath(s string, braced bool) ([]step, int, *refError) {
	var steps []step
	i := 0
	for i < len(s) {
		switch s[i] {
		case '.':
			if i+1 < len(s) {
				switch s[i+1] {
				case '.':
					return nil, 0, &refError{i, "recursive descent (..) is not supported"}
				case '*':
					return nil, 0, &refError{i + 1, "wildcards (*) are not supported"}
				case '[':
					return nil, 0, &refError{i + 1, `unexpected "[" after "."`}
				}
			}
			n := 0
			for i+1+n < len(s) && isDotNameChar(s[i+1+n]) {
				n++
			}
			if n == 0 {
				if braced {
					return nil, 0, &refError{i, `missing name after "."`}
				}
				return steps, i, nil
			}
			steps = append(steps, step{name: s[i+1 : i+1+n], index: -1})
			i += 1 + n
		case '[':
			st, n, err := parseBracket(s[i:])
			if err != nil {
				err.off += i
				return nil, 0, err
			}
			steps = append(steps, st)
			i += n
		default:
			return steps, i, nil
		}
	}
	return steps, i, nil
}

// parseBracket parses one "[...]" selector at the start of s.
func parseBracket(s string) (step, int, *refError) {
	if len(s) < 2 {
		return step{}, 0, &refError{0, `"[" without "]"`}
	}
	switch c := s[1]; {
	case c == '\'' || c == '"':
		j, escaped := 2, false
		for j < len(s) && s[j] != c {
			if s[j] == '\\' {
				j++
				escaped = true
			}
			j++
		}
		if j >= len(s) {
			return step{}, 0, &refError{1, "unterminated quoted name"}
		}
		name := s[2:j]
		if escaped {
			name = unescapeName(name)
		}
		j++
		switch {
		case j >= len(s):
			return step{}, 0, &refError{0, `"[" without "]"`}
		case s[j] == ',':
			return step{}, 0, &refError{j, "unions ([a,b]) are not supported"}
		case s[j] != ']':
			return step{}, 0, &refError{j, `expected "]"`}
		}
		return step{name: name, index: -1}, j + 1, nil
	case '0' <= c && c <= '9':
		j := 1
		for j < len(s) && '0' <= s[j] && s[j] <= '9' {
			j++
		}
		switch {
		case j >= len(s):
			return step{}, 0, &refError{0, `"[" without "]"`}
		case s[j] == ':':
			return step{}, 0, &refError{j, "slices ([a:b]) are not supported"}
		case s[j] == ',':
			return step{}, 0, &refError{j, "unions ([a,b]) are not supported"}
		case s[j] != ']':
			return step{}, 0, &refError{j, `expected "]"`}
		}
		idx, err := strconv.Atoi(s[1:j])
		if err != nil {
			return step{}, 0, &refError{1, "array index out of range"}
		}
		return step{index: idx}, j + 1, nil
	case c == '*':
		return step{}, 0, &refError{1, "wildcards (*) are not supported"}
	case c == '?':
		return step{}, 0, &refError{1, "filter expressions (?()) are not supported"}
	case c == '(':
		return step{}, 0, &refError{1, "script expressions (()) are not supported"}
	case c == '-':
		return step{}, 0, &refError{1, "negative array indexes are not supported"}
	case c == ':':
		return step{}, 0, &refError{1, "slices ([a:b]) are not supported"}
	}
	return step{}, 0, &refError{1, `expected a quoted name or an index after "["`}
}

// unescapeName drops each backslash and keeps the byte after it.
func unescapeName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// isDotNameChar reports the bytes of a ".name" selector.
func isDotNameChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}
