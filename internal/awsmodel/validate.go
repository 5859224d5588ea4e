package awsmodel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidationError is a client error in the input; Message is AWS-style text.
type ValidationError struct{ Message string }

func (e *ValidationError) Error() string { return e.Message }

// DecodeBody checks a JSON request body against the body members of input and
// returns the members that are present and non-null, keyed by wire name. Keys
// that are not body members of the shape are dropped, as AWS ignores them.
// An empty body is an empty object.
func DecodeBody(input *Shape, body []byte) (map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return nil, &ValidationError{Message: "Could not parse request body into json: " + parseProblem(err)}
	}
	v := &validator{}
	if input != nil {
		for _, name := range sortedMembers(input) {
			m := input.Members[name]
			if m.Location != "" {
				continue
			}
			raw, ok := obj[m.WireName()]
			if !ok || isNull(raw) {
				if input.Required[name] {
					v.fail(m.messageName(), "null", "Member must not be null")
				}
				continue
			}
			v.value(m.messageName(), m.Shape, raw)
			out[m.WireName()] = raw
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// CheckParams checks the members of input that travel outside the body (URI
// labels, query parameters, headers): required ones must be present, and
// string values must meet their shape's enum, length and pattern, as AWS
// checks them. value returns a member's value and whether it was sent.
func CheckParams(input *Shape, value func(m *Member) (string, bool)) error {
	if input == nil {
		return nil
	}
	v := &validator{}
	for _, name := range sortedMembers(input) {
		m := input.Members[name]
		if m.Location == "" {
			continue
		}
		str, ok := value(m)
		if !ok {
			if input.Required[name] {
				v.fail(m.messageName(), "null", "Member must not be null")
			}
			continue
		}
		if m.Shape.Type == "string" {
			v.str(m.messageName(), m.Shape, str)
		}
	}
	return v.err()
}

type validator struct{ problems []string }

// fail records a problem; value is the rendered value ("null", "'abc'"), or ""
// for a sensitive one, which AWS leaves out ("Value at 'x' failed ...").
func (v *validator) fail(path, value, constraint string) {
	if value == "" {
		v.problems = append(v.problems, fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", path, constraint))
		return
	}
	v.problems = append(v.problems, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", value, path, constraint))
}

// messageName is how AWS's validation messages name a member: its model name
// with the first letter lowered ("role", "kMSKeyArn"), whatever its wire name.
func (m *Member) messageName() string {
	r, n := utf8.DecodeRuneInString(m.Name)
	return string(unicode.ToLower(r)) + m.Name[n:]
}

func (v *validator) err() error {
	switch n := len(v.problems); n {
	case 0:
		return nil
	case 1:
		return &ValidationError{Message: "1 validation error detected: " + v.problems[0]}
	default:
		return &ValidationError{Message: fmt.Sprintf("%d validation errors detected: %s", n, strings.Join(v.problems, "; "))}
	}
}

func (v *validator) typeErr(path string, raw json.RawMessage, want string) {
	v.fail(path, quoteRaw(raw), "Member must be of type "+want)
}

func (v *validator) value(path string, s *Shape, raw json.RawMessage) {
	if isNull(raw) {
		return
	}
	switch s.Type {
	case "string":
		var str string
		if json.Unmarshal(raw, &str) != nil {
			v.typeErr(path, raw, "string")
			return
		}
		v.str(path, s, str)
	case "integer", "long":
		f, ok := number(raw)
		if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			v.typeErr(path, raw, s.Type)
			return
		}
		if s.Type == "integer" && (f > math.MaxInt32 || f < math.MinInt32) {
			v.typeErr(path, raw, "integer")
			return
		}
		v.rangeCheck(path, s, f, raw)
	case "double", "float":
		f, ok := number(raw)
		if !ok {
			v.typeErr(path, raw, s.Type)
			return
		}
		v.rangeCheck(path, s, f, raw)
	case "boolean":
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			v.typeErr(path, raw, "boolean")
		}
	case "timestamp":
		if _, ok := number(raw); !ok {
			var str string
			if json.Unmarshal(raw, &str) != nil {
				v.typeErr(path, raw, "timestamp")
			}
		}
	case "list":
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			v.typeErr(path, raw, "list")
			return
		}
		v.lengthCheck(path, s, len(items), listValue(items))
		for i, it := range items {
			v.value(fmt.Sprintf("%s.%d.member", path, i+1), s.Elem, it)
		}
	case "map":
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil || m == nil {
			v.typeErr(path, raw, "map")
			return
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v.value(path+"."+k, s.Elem, m[k])
		}
	case "structure":
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil || m == nil {
			v.typeErr(path, raw, "structure")
			return
		}
		for _, name := range sortedMembers(s) {
			mem := s.Members[name]
			r, ok := m[mem.WireName()]
			if !ok || isNull(r) {
				if s.Required[name] {
					v.fail(path+"."+mem.messageName(), "null", "Member must not be null")
				}
				continue
			}
			v.value(path+"."+mem.messageName(), mem.Shape, r)
		}
	}
}

func (v *validator) rangeCheck(path string, s *Shape, f float64, raw json.RawMessage) {
	if s.Min != nil && f < *s.Min {
		v.fail(path, "'"+string(raw)+"'", "Member must have value greater than or equal to "+strconv.FormatFloat(*s.Min, 'f', -1, 64))
	}
	if s.Max != nil && f > *s.Max {
		v.fail(path, "'"+string(raw)+"'", "Member must have value less than or equal to "+strconv.FormatFloat(*s.Max, 'f', -1, 64))
	}
}

// str checks a string against its shape's enum, length and pattern.
func (v *validator) str(path string, s *Shape, str string) {
	shown := "'" + str + "'"
	if s.Sensitive {
		shown = ""
	}
	if len(s.Enum) > 0 && !contains(s.Enum, str) {
		v.fail(path, shown, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
	}
	v.lengthCheck(path, s, utf8.RuneCountInString(str), shown)
	if s.Pattern != nil && !s.Pattern.MatchString(str) {
		v.fail(path, shown, "Member must satisfy regular expression pattern: "+s.PatternText)
	}
}

// lengthCheck applies the model's min and max to the length of a string, list
// or map; shown is the value as messages render it.
func (v *validator) lengthCheck(path string, s *Shape, n int, shown string) {
	if s.Min != nil && float64(n) < *s.Min {
		v.fail(path, shown, "Member must have length greater than or equal to "+strconv.FormatFloat(*s.Min, 'f', -1, 64))
	}
	if s.Max != nil && float64(n) > *s.Max {
		v.fail(path, shown, "Member must have length less than or equal to "+strconv.FormatFloat(*s.Max, 'f', -1, 64))
	}
}

// listValue renders a list as AWS's messages do: [a, b].
func listValue(items []json.RawMessage) string {
	parts := make([]string, len(items))
	for i, it := range items {
		var str string
		if json.Unmarshal(it, &str) == nil {
			parts[i] = str
		} else {
			parts[i] = string(it)
		}
	}
	return "'[" + strings.Join(parts, ", ") + "]'"
}

func number(raw json.RawMessage) (float64, bool) {
	var f float64
	if json.Unmarshal(raw, &f) != nil {
		return 0, false
	}
	return f, true
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func quoteRaw(raw json.RawMessage) string {
	s := string(raw)
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return "'" + s + "'"
}

func parseProblem(err error) string {
	if err == nil {
		return "expected a JSON object"
	}
	return err.Error()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedMembers(s *Shape) []string { return s.order }
