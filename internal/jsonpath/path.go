package jsonpath

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxPathLength bounds the length of a path expression accepted by Compile.
const MaxPathLength = 4096

// maxFilterDepth bounds nested filters and parentheses inside a path.
const maxFilterDepth = 32

// InvalidPathError reports a path that does not compile, with the byte
// offset where the problem was found.
type InvalidPathError struct {
	Path   string
	Offset int
	Msg    string
}

func (e *InvalidPathError) Error() string {
	return fmt.Sprintf("invalid JSONPath %q at offset %d: %s", e.Path, e.Offset, e.Msg)
}

// ErrNotFound is returned (wrapped) by Read when a definite path matches
// nothing, as Jayway's PathNotFoundException.
var ErrNotFound = errors.New("no results for path")

type stepKind uint8

const (
	stepProps    stepKind = iota // .name, ['a'], ['a','b']
	stepIndex                    // [0], [-1], [0,2]
	stepSlice                    // [1:3], [:2], [-2:]
	stepWildcard                 // .*, [*]
	stepScan                     // ..x: inner applied at every level
	stepFilter                   // [?(...)]
)

type step struct {
	kind     stepKind
	names    []string
	indexes  []int
	from, to int
	hasFrom  bool
	hasTo    bool
	filter   filterExpr
	inner    *step // for stepScan
	upstream bool  // every step before this one is definite
	leaf     bool  // last step of the path
}

func (s *step) definite() bool {
	switch s.kind {
	case stepProps:
		return len(s.names) == 1 || s.leaf // a leaf ['a','b'] merges into one map
	case stepIndex:
		return len(s.indexes) == 1
	}
	return false
}

func (s *step) String() string {
	var b strings.Builder
	s.format(&b)
	return b.String()
}

func (s *step) format(b *strings.Builder) {
	switch s.kind {
	case stepProps:
		b.WriteByte('[')
		for i, n := range s.names {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("'" + n + "'")
		}
		b.WriteByte(']')
	case stepIndex:
		b.WriteByte('[')
		for i, n := range s.indexes {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(n))
		}
		b.WriteByte(']')
	case stepSlice:
		b.WriteByte('[')
		if s.hasFrom {
			b.WriteString(strconv.Itoa(s.from))
		}
		b.WriteByte(':')
		if s.hasTo {
			b.WriteString(strconv.Itoa(s.to))
		}
		b.WriteByte(']')
	case stepWildcard:
		b.WriteString("[*]")
	case stepScan:
		b.WriteString("..")
		s.inner.format(b)
	case stepFilter:
		b.WriteString("[?]")
	}
}

// Path is a compiled JSONPath expression. It is immutable and safe for
// concurrent use.
type Path struct {
	src      string
	relative bool // starts with @
	steps    []step
	fn       *function
	definite bool
	simple   bool // only single properties and indexes: see readSimple
}

// String returns the source text of the path.
func (p *Path) String() string { return p.src }

// Definite reports whether the path can match at most one value.
func (p *Path) Definite() bool { return p.definite }

// Compile parses a JSONPath expression. A path that does not start with $
// or @ is read as relative to the root ("a.b" is "$.a.b"), as Jayway does.
func Compile(path string) (*Path, error) {
	if len(path) > MaxPathLength {
		return nil, &InvalidPathError{Path: truncate(path), Msg: fmt.Sprintf("longer than %d bytes", MaxPathLength)}
	}
	src := strings.TrimSpace(path)
	if src == "" {
		return nil, &InvalidPathError{Path: path, Msg: "path must not be empty"}
	}
	text := src
	if text[0] != '$' && text[0] != '@' {
		if text[0] == '[' {
			text = "$" + text
		} else {
			text = "$." + text
		}
	}
	c := &compiler{src: text}
	p, err := c.path(0)
	if err != nil {
		return nil, err
	}
	if c.pos != len(c.src) {
		return nil, c.errorf("unexpected %q", c.src[c.pos])
	}
	p.src = src
	return p, nil
}

// MustCompile is Compile for paths known to be valid; it panics otherwise.
func MustCompile(path string) *Path {
	p, err := Compile(path)
	if err != nil {
		panic(err)
	}
	return p
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

type compiler struct {
	src   string
	pos   int
	depth int
}

func (c *compiler) errorf(format string, args ...any) error {
	return &InvalidPathError{Path: truncate(c.src), Offset: c.pos, Msg: fmt.Sprintf(format, args...)}
}

func (c *compiler) peek() byte {
	if c.pos < len(c.src) {
		return c.src[c.pos]
	}
	return 0
}

func (c *compiler) skipSpace() {
	for c.pos < len(c.src) && (c.src[c.pos] == ' ' || c.src[c.pos] == '\t' || c.src[c.pos] == '\n' || c.src[c.pos] == '\r') {
		c.pos++
	}
}

// path parses a root ($ or @) and its steps, stopping at the first byte
// that cannot continue a path (so that filters can embed paths).
func (c *compiler) path(depth int) (*Path, error) {
	p := &Path{}
	switch c.peek() {
	case '$':
	case '@':
		p.relative = true
	default:
		return nil, c.errorf("path must start with $ or @")
	}
	c.pos++
	for c.pos < len(c.src) {
		switch c.src[c.pos] {
		case '.':
			if strings.HasPrefix(c.src[c.pos:], "..") {
				c.pos += 2
				var inner step
				var err error
				switch c.peek() {
				case '[':
					inner, err = c.bracket(depth)
				case '*':
					c.pos++
					inner = step{kind: stepWildcard}
				default:
					var name string
					name, err = c.dotName()
					inner = step{kind: stepProps, names: []string{name}}
				}
				if err != nil {
					return nil, err
				}
				p.steps = append(p.steps, step{kind: stepScan, inner: &inner})
				continue
			}
			c.pos++
			if c.peek() == '*' {
				c.pos++
				p.steps = append(p.steps, step{kind: stepWildcard})
				continue
			}
			if c.peek() == '[' {
				// Jayway accepts $.['a'] as $['a'].
				continue
			}
			name, err := c.dotName()
			if err != nil {
				return nil, err
			}
			if c.peek() == '(' {
				fn, err := c.function(name)
				if err != nil {
					return nil, err
				}
				p.fn = fn
				return c.finish(p), nil
			}
			p.steps = append(p.steps, step{kind: stepProps, names: []string{name}})
		case '[':
			s, err := c.bracket(depth)
			if err != nil {
				return nil, err
			}
			p.steps = append(p.steps, s)
		default:
			return c.finish(p), nil
		}
	}
	return c.finish(p), nil
}

func (c *compiler) finish(p *Path) *Path {
	p.definite = true
	if n := len(p.steps); n > 0 {
		p.steps[n-1].leaf = true
	}
	for i := range p.steps {
		p.steps[i].upstream = p.definite
		if !p.steps[i].definite() {
			p.definite = false
		}
	}
	p.simple = p.fn == nil
	for i := range p.steps {
		s := &p.steps[i]
		if !(s.kind == stepProps && len(s.names) == 1) && !(s.kind == stepIndex && len(s.indexes) == 1) {
			p.simple = false
		}
	}
	if p.fn != nil {
		p.definite = true
	}
	return p
}

// dotName reads a property name in dot notation.
func (c *compiler) dotName() (string, error) {
	start := c.pos
	for c.pos < len(c.src) {
		switch c.src[c.pos] {
		case '.', '[', '(', ')', ' ', '\t', '\n', '\r', ',', '=', '!', '<', '>', '&', '|', ']':
			goto done
		}
		c.pos++
	}
done:
	if c.pos == start {
		return "", c.errorf("path must not end with a '.' or '..'")
	}
	return c.src[start:c.pos], nil
}

func (c *compiler) function(name string) (*function, error) {
	kind, ok := functionNames[name]
	if !ok {
		return nil, c.errorf("function with name %q does not exist", name)
	}
	c.pos++ // (
	c.skipSpace()
	if c.peek() != ')' {
		return nil, c.errorf("function %s() takes no arguments", name)
	}
	c.pos++
	return &function{kind: kind, name: name}, nil
}

// bracket parses one [...] step; c.pos is at '['.
func (c *compiler) bracket(depth int) (step, error) {
	c.pos++
	c.skipSpace()
	switch ch := c.peek(); {
	case ch == '?':
		if depth >= maxFilterDepth {
			return step{}, c.errorf("filters nested deeper than %d", maxFilterDepth)
		}
		c.pos++
		c.skipSpace()
		if c.peek() != '(' {
			return step{}, c.errorf("expected '(' after '?'")
		}
		c.pos++
		f, err := c.filterOr(depth + 1)
		if err != nil {
			return step{}, err
		}
		c.skipSpace()
		if c.peek() != ')' {
			return step{}, c.errorf("expected ')' to close the filter")
		}
		c.pos++
		if err := c.closeBracket(); err != nil {
			return step{}, err
		}
		return step{kind: stepFilter, filter: f}, nil
	case ch == '*':
		c.pos++
		if err := c.closeBracket(); err != nil {
			return step{}, err
		}
		return step{kind: stepWildcard}, nil
	case ch == '\'' || ch == '"':
		var names []string
		for {
			c.skipSpace()
			q := c.peek()
			if q != '\'' && q != '"' {
				return step{}, c.errorf("expected a quoted property name")
			}
			name, err := c.quoted(q)
			if err != nil {
				return step{}, err
			}
			names = append(names, name)
			c.skipSpace()
			if c.peek() == ',' {
				c.pos++
				continue
			}
			break
		}
		if err := c.closeBracket(); err != nil {
			return step{}, err
		}
		return step{kind: stepProps, names: names}, nil
	case ch == '-' || ch == ':' || (ch >= '0' && ch <= '9'):
		return c.indexOrSlice()
	default:
		return step{}, c.errorf("unexpected %q in brackets", ch)
	}
}

func (c *compiler) closeBracket() error {
	c.skipSpace()
	if c.peek() != ']' {
		return c.errorf("expected ']'")
	}
	c.pos++
	return nil
}

func (c *compiler) quoted(q byte) (string, error) {
	c.pos++
	var b strings.Builder
	for c.pos < len(c.src) {
		ch := c.src[c.pos]
		switch {
		case ch == '\\' && c.pos+1 < len(c.src):
			b.WriteByte(c.src[c.pos+1])
			c.pos += 2
		case ch == q:
			c.pos++
			return b.String(), nil
		default:
			b.WriteByte(ch)
			c.pos++
		}
	}
	return "", c.errorf("unterminated quoted string")
}

func (c *compiler) integer() (int, bool) {
	start := c.pos
	if c.peek() == '-' {
		c.pos++
	}
	for c.pos < len(c.src) && c.src[c.pos] >= '0' && c.src[c.pos] <= '9' {
		c.pos++
	}
	n, err := strconv.Atoi(c.src[start:c.pos])
	if err != nil {
		c.pos = start
		return 0, false
	}
	return n, true
}

func (c *compiler) indexOrSlice() (step, error) {
	s := step{kind: stepIndex}
	c.skipSpace()
	if c.peek() != ':' {
		n, ok := c.integer()
		if !ok {
			return step{}, c.errorf("invalid array index")
		}
		s.from, s.hasFrom = n, true
	}
	c.skipSpace()
	if c.peek() == ':' {
		c.pos++
		s.kind = stepSlice
		c.skipSpace()
		if c.peek() != ']' && c.peek() != ':' {
			n, ok := c.integer()
			if !ok {
				return step{}, c.errorf("invalid slice end")
			}
			s.to, s.hasTo = n, true
		}
		if !s.hasFrom && !s.hasTo {
			// Jayway rejects [:] and [::n].
			return step{}, c.errorf("a slice needs a start or an end")
		}
		c.skipSpace()
		if c.peek() == ':' {
			// Jayway parses a step and ignores it: [0:3:2] is [0:3].
			c.pos++
			c.skipSpace()
			if c.peek() != ']' {
				if _, ok := c.integer(); !ok {
					return step{}, c.errorf("invalid slice step")
				}
			}
		}
		if err := c.closeBracket(); err != nil {
			return step{}, err
		}
		return s, nil
	}
	s.indexes = []int{s.from}
	for {
		c.skipSpace()
		if c.peek() != ',' {
			break
		}
		c.pos++
		c.skipSpace()
		n, ok := c.integer()
		if !ok {
			return step{}, c.errorf("invalid array index")
		}
		s.indexes = append(s.indexes, n)
	}
	if err := c.closeBracket(); err != nil {
		return step{}, err
	}
	return s, nil
}
