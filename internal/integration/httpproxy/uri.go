package httpproxy

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
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

// pathBase returns the URL of the template's first part when it is a
// literal "scheme://host/path" whose path needs no escaping and every
// variable comes after it: the common "http://10.0.0.1:8080/{proxy}". The
// target is then that URL with the rest appended to its path, without
// parsing the whole URI per request (pathTarget).
func (t template) pathBase() *url.URL {
	if len(t.parts) < 2 || t.parts[0].lit == "" {
		return nil
	}
	u, err := url.Parse(t.parts[0].lit)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.Opaque != "" || u.RawPath != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" ||
		!strings.HasPrefix(u.Path, "/") || !httpserver.PlainPath(u.Path) || t.parts[0].lit != u.Scheme+"://"+u.Host+u.Path {
		return nil
	}
	return u
}

// pathTarget is the target URL built on p.base: the base path with the
// expanded rest of the template, when that rest is plain path text (what
// url.Parse would take as it is: no escapes, query or fragment); nil
// otherwise, and the caller parses the whole expanded URI.
func (p *Proxy) pathTarget(x *exchange.Exchange) *url.URL {
	if p.base == nil {
		return nil
	}
	var b strings.Builder
	n := len(p.base.Path)
	for _, pt := range p.uri.parts[1:] {
		switch {
		case pt.param != "":
			n += len(x.RawPathParams[pt.param])
		case pt.stageVar != "":
			n += len(x.StageVariables[pt.stageVar])
		default:
			n += len(pt.lit)
		}
	}
	b.Grow(n)
	b.WriteString(p.base.Path)
	for _, pt := range p.uri.parts[1:] {
		switch {
		case pt.param != "":
			b.WriteString(x.RawPathParams[pt.param])
		case pt.stageVar != "":
			b.WriteString(x.StageVariables[pt.stageVar])
		default:
			b.WriteString(pt.lit)
		}
	}
	path := b.String()
	if !httpserver.PlainPath(path[len(p.base.Path):]) {
		return nil
	}
	u := *p.base
	u.Path = path
	return &u
}
