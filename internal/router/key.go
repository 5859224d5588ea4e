package router

import (
	"fmt"
	"strings"
)

// DefaultKey is the catch-all route key.
const DefaultKey = "$default"

// methods lists the route-key methods; a method's index is its slot in a
// [methodSet]. ANY is slot 0.
var methods = [...]string{"ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

const anySlot = 0

// methodSlot returns the slot of a route-key or request method, or -1 for a
// method no route key can name (lower case, TRACE, ...).
func methodSlot(m string) int {
	switch m {
	case "ANY":
		return 0
	case "GET":
		return 1
	case "POST":
		return 2
	case "PUT":
		return 3
	case "PATCH":
		return 4
	case "DELETE":
		return 5
	case "HEAD":
		return 6
	case "OPTIONS":
		return 7
	}
	return -1
}

// KeyError reports a route key that New cannot compile.
type KeyError struct {
	Key    string // the route key as given
	Reason string // what is wrong with it
}

func (e *KeyError) Error() string { return fmt.Sprintf("route key %q: %s", e.Key, e.Reason) }

// segment is one compiled path segment of a route key.
type segment struct {
	lit  string // the literal text; empty for a variable
	name string // the variable name, without braces or "+"; empty for a literal
}

// pattern is a parsed "METHOD /path" route key.
type pattern struct {
	slot   int       // method slot
	segs   []segment // segments before the greedy variable, if any
	greedy string    // greedy variable name; empty if none
}

// ValidateKey reports whether key is a route key New accepts on its own
// (uniqueness against other keys is checked by New). It returns a *KeyError.
func ValidateKey(key string) error {
	if key == DefaultKey {
		return nil
	}
	_, err := parseKey(key)
	return err
}

// parseKey parses "METHOD /path". It rejects: an unknown or lower-case
// method; anything but one space between method and path; a path not
// starting with "/"; empty segments (so "//" and a trailing "/"); whitespace,
// '?' and '#' in the path; braces that do not enclose a whole segment
// ("{}", "{a}{b}", "x{a}"); variable names outside [A-Za-z0-9._-]; a greedy
// variable before the last segment; a variable name used twice.
func parseKey(key string) (pattern, error) {
	bad := func(format string, a ...any) (pattern, error) {
		return pattern{}, &KeyError{Key: key, Reason: fmt.Sprintf(format, a...)}
	}
	method, path, ok := strings.Cut(key, " ")
	if !ok {
		return bad(`want "$default" or "METHOD /path"`)
	}
	p := pattern{slot: methodSlot(method)}
	if p.slot < 0 {
		return bad("unknown method %q (want one of %s)", method, strings.Join(methods[:], " "))
	}
	if !strings.HasPrefix(path, "/") {
		return bad("path must start with /")
	}
	if i := strings.IndexAny(path, " \t\r\n\v\f?#"); i >= 0 {
		return bad("path must not contain %q", path[i])
	}
	if path == "/" {
		return p, nil
	}
	parts := strings.Split(path[1:], "/")
	seen := make(map[string]bool, len(parts))
	for i, s := range parts {
		if s == "" {
			return bad("empty path segment")
		}
		if !strings.ContainsAny(s, "{}") {
			p.segs = append(p.segs, segment{lit: s})
			continue
		}
		if len(s) < 3 || s[0] != '{' || s[len(s)-1] != '}' || strings.ContainsAny(s[1:len(s)-1], "{}") {
			return bad("segment %q: a path variable must fill its whole segment, like {id}", s)
		}
		name, greedy := strings.CutSuffix(s[1:len(s)-1], "+")
		if !validName(name) {
			return bad("segment %q: invalid variable name", s)
		}
		if seen[name] {
			return bad("variable {%s} appears more than once", name)
		}
		seen[name] = true
		if greedy {
			if i != len(parts)-1 {
				return bad("greedy variable %s must be the last segment", s)
			}
			p.greedy = name
			continue
		}
		p.segs = append(p.segs, segment{name: name})
	}
	return p, nil
}

// validName reports whether name matches [A-Za-z0-9._-]+, the names the
// management API accepts.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
