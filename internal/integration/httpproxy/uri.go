package httpproxy

import (
	"fmt"
	"strings"
)

// template is a compiled integration URI: literal text with {pathParam} and
// ${stageVariables.name} holes, filled per request [DG:http-api-develop-integrations-http,
// DG:http-api-stages "stage variables in integration URIs"].
type template struct {
	parts []part
}

type part struct {
	lit      string
	param    string // path parameter name ("proxy" for {proxy} of a {proxy+} route)
	stageVar string
}

func parseTemplate(s string) (template, error) {
	var t template
	for s != "" {
		i := strings.IndexAny(s, "{$")
		if i < 0 {
			t.parts = append(t.parts, part{lit: s})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, part{lit: s[:i]})
			s = s[i:]
		}
		switch {
		case strings.HasPrefix(s, "${stageVariables."):
			end := strings.IndexByte(s, '}')
			if end < 0 {
				return template{}, fmt.Errorf("unterminated ${ in integration URI")
			}
			name := s[len("${stageVariables."):end]
			if name == "" {
				return template{}, fmt.Errorf("empty stage variable name in integration URI")
			}
			t.parts = append(t.parts, part{stageVar: name})
			s = s[end+1:]
		case s[0] == '{':
			end := strings.IndexByte(s, '}')
			if end < 0 {
				return template{}, fmt.Errorf("unterminated { in integration URI")
			}
			name := strings.TrimSuffix(s[1:end], "+")
			if name == "" {
				return template{}, fmt.Errorf("empty path variable in integration URI")
			}
			t.parts = append(t.parts, part{param: name})
			s = s[end+1:]
		default: // a '$' that starts no stage variable is literal text
			t.parts = append(t.parts, part{lit: s[:1]})
			s = s[1:]
		}
	}
	return t, nil
}

// static reports whether the template has no holes.
func (t template) static() bool {
	for _, p := range t.parts {
		if p.lit == "" {
			return false
		}
	}
	return true
}

// expand fills the holes: path parameters keep their received (encoded) form.
func (t template) expand(rawParams, stageVars map[string]string) string {
	if len(t.parts) == 1 && t.parts[0].lit != "" {
		return t.parts[0].lit
	}
	var b strings.Builder
	for _, p := range t.parts {
		switch {
		case p.param != "":
			b.WriteString(rawParams[p.param])
		case p.stageVar != "":
			b.WriteString(stageVars[p.stageVar])
		default:
			b.WriteString(p.lit)
		}
	}
	return b.String()
}
