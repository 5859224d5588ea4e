package awsmodel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
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
					v.fail(m.WireName(), "null", "Member must not be null")
				}
				continue
			}
			v.value(m.WireName(), m.Shape, raw)
			out[m.WireName()] = raw
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// CheckRequired reports required members of input in non-body locations that are
// missing from present (wire names of the query parameters, headers and labels
// that were sent).
func CheckRequired(input *Shape, present func(m *Member) bool) error {
	if input == nil {
		return nil
	}
	v := &validator{}
	for _, name := range sortedMembers(input) {
		m := input.Members[name]
		if m.Location != "" && input.Required[name] && !present(m) {
			v.fail(m.WireName(), "null", "Member must not be null")
		}
	}
	return v.err()
}

type validator struct{ problems []string }

func (v *validator) fail(path, value, constraint string) {
	v.problems = append(v.problems, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", value, path, constraint))
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
		if len(s.Enum) > 0 && !contains(s.Enum, str) {
			v.fail(path, "'"+str+"'", "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
		}
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
					v.fail(path+"."+mem.WireName(), "null", "Member must not be null")
				}
				continue
			}
			v.value(path+"."+mem.WireName(), mem.Shape, r)
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
