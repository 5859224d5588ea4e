package vtl

import (
	"strings"
)

// maxParseDepth bounds nesting of blocks, expressions and interpolated
// strings while parsing, so hostile templates cannot exhaust the stack.
const maxParseDepth = 200

// parser reads one template body: the whole template, or the content of an
// interpolated string literal (base is then its offset in the template).
type parser struct {
	src  string
	pos  int
	base int
	tpl  *Template
	sub  bool // parsing an interpolated string
}

// terminator is the #else, #elseif or #end that ended a block.
type terminator struct {
	name string // "" at end of input
	pos  int
}

func (p *parser) errorf(off int, format string, args ...any) error {
	return p.tpl.errorAt(p.base+off, nil, format, args...)
}

func isIdentStart(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || (c >= '0' && c <= '9') || c == '-'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordChar(c byte) bool {
	return isIdentStart(c) || (c >= '0' && c <= '9')
}

// controlDirectives are the grammar's own block keywords.
var controlDirectives = map[string]bool{"if": true, "else": true, "elseif": true, "end": true}

// escapable are the names an odd run of backslashes escapes besides
// directives and macros.
var escapable = map[string]bool{"if": true, "end": true, "set": true, "else": true, "elseif": true}

// directives are the names Velocity reserves; any other #name( is a macro
// call.
var directives = map[string]bool{
	"set": true, "if": true, "elseif": true, "else": true, "end": true, "foreach": true,
	"break": true, "stop": true, "macro": true, "include": true, "parse": true,
	"evaluate": true, "define": true,
}

// directiveName reads "#name" or "#{name}" at off. It returns the name and
// the offset after it; name is "" when there is none.
func (p *parser) directiveName(off int) (string, int) {
	i := off + 1
	braced := i < len(p.src) && p.src[i] == '{'
	if braced {
		i++
	}
	if i >= len(p.src) || !isIdentStart(p.src[i]) {
		return "", off
	}
	j := i
	for j < len(p.src) && isWordChar(p.src[j]) {
		j++
	}
	name := p.src[i:j]
	if braced {
		if j >= len(p.src) || p.src[j] != '}' {
			return "", off
		}
		j++
	}
	return name, j
}

// curlyAfter handles what Velocity's lexer, still in its reference state,
// reads as a token of its own right after a reference without braces: a
// '{' or '}', or a word after a method call or an index ($a.b()text). The
// text after it starts a new token. It returns the new token boundary in
// buf.
func (p *parser) curlyAfter(ref *refNode, buf *[]byte) int {
	if ref.braced || p.pos >= len(p.src) {
		return len(*buf)
	}
	switch c := p.src[p.pos]; {
	case c == '}' || c == '{':
		*buf = append(*buf, c)
		p.pos++
	case isIdentStart(c) && len(ref.mods) > 0 && ref.mods[len(ref.mods)-1].kind != modProperty:
		i := p.pos
		for i < len(p.src) && isIdentChar(p.src[i]) {
			i++
		}
		*buf = append(*buf, p.src[p.pos:i]...)
		p.pos = i
	}
	return len(*buf)
}

// eatNewline consumes spaces and tabs followed by a line break, which
// Velocity 1.7 swallows after a directive's ')' and after #else / #end.
func (p *parser) eatNewline() {
	i := p.pos
	for i < len(p.src) && (p.src[i] == ' ' || p.src[i] == '\t') {
		i++
	}
	if i < len(p.src) {
		switch p.src[i] {
		case '\n':
			p.pos = i + 1
		case '\r':
			p.pos = i + 1
			if p.pos < len(p.src) && p.src[p.pos] == '\n' {
				p.pos++
			}
		}
	}
}

// block parses nodes until end of input or a #else, #elseif or #end.
func (p *parser) block(depth int) ([]node, terminator, error) {
	if depth > maxParseDepth {
		return nil, terminator{}, p.errorf(p.pos, "blocks nested deeper than %d", maxParseDepth)
	}
	var nodes []node
	var buf []byte
	// boundary is the length of buf where Velocity's lexer starts its
	// current TEXT token: after any other token (a reference, a directive,
	// a comment, an escape). TEXT is greedy across spaces and newlines, so
	// #set swallows the spaces before it only when they start a token.
	boundary := 0
	flush := func() {
		if len(buf) > 0 {
			nodes = append(nodes, &textNode{text: string(buf)})
			buf = buf[:0]
		}
		boundary = 0
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch c {
		case '\\':
			start := p.pos
			for p.pos < len(p.src) && p.src[p.pos] == '\\' {
				p.pos++
			}
			n := p.pos - start
			if p.pos < len(p.src) && p.src[p.pos] == '$' {
				ref, err := p.reference(depth)
				if err != nil {
					return nil, terminator{}, err
				}
				if ref != nil {
					flush()
					ref.escapes = n
					nodes = append(nodes, ref)
					boundary = p.curlyAfter(ref, &buf)
					continue
				}
			} else if p.pos < len(p.src) && p.src[p.pos] == '#' {
				if name, end := p.directiveName(p.pos); name != "" {
					braced := p.src[p.pos+1] == '{'
					if n%2 == 1 {
						// An escaped directive: half the backslashes and
						// the directive as text when Velocity knows it.
						if escapable[name] || directives[name] || p.tpl.macros[name] != nil {
							buf = append(buf, p.src[start:start+n/2]...)
						} else {
							buf = append(buf, p.src[start:p.pos]...)
						}
						buf = append(buf, p.src[p.pos:end]...)
						p.pos = end
						boundary = len(buf)
						continue
					}
					// Pairs of backslashes before a directive that runs:
					// one each before control directives, known
					// directives and macros, two otherwise.
					control := controlDirectives[name] || (!braced && (directives[name] && name != "set" || p.tpl.macros[name] != nil))
					if control {
						buf = append(buf, p.src[start:start+n/2]...)
					} else {
						buf = append(buf, p.src[start:p.pos]...)
					}
					boundary = len(buf)
					continue
				}
			}
			buf = append(buf, p.src[start:p.pos]...)
			boundary = len(buf)
		case '$':
			ref, err := p.reference(depth)
			if err != nil {
				return nil, terminator{}, err
			}
			if ref == nil {
				buf = append(buf, '$')
				p.pos++
				continue
			}
			flush()
			nodes = append(nodes, ref)
			boundary = p.curlyAfter(ref, &buf)
		case '#':
			rest := p.src[p.pos:]
			switch {
			case strings.HasPrefix(rest, "##"):
				i := strings.IndexByte(rest, '\n')
				if i < 0 {
					p.pos = len(p.src)
				} else {
					p.pos += i + 1
				}
				boundary = len(buf)
				continue
			case strings.HasPrefix(rest, "#*"):
				i := strings.Index(rest[2:], "*#")
				if i < 0 {
					return nil, terminator{}, p.errorf(p.pos, "unterminated #* comment")
				}
				p.pos += 2 + i + 2
				boundary = len(buf)
				continue
			case strings.HasPrefix(rest, "#[["):
				i := strings.Index(rest[3:], "]]#")
				if i < 0 {
					return nil, terminator{}, p.errorf(p.pos, "unterminated #[[ literal block")
				}
				buf = append(buf, rest[3:3+i]...)
				p.pos += 3 + i + 3
				boundary = len(buf)
				continue
			}
			start := p.pos
			name, end := p.directiveName(p.pos)
			if name == "" && p.pos+1 < len(p.src) && (isDigit(p.src[p.pos+1]) || p.src[p.pos+1] == '-') {
				// "#1" is a number token of its own in Velocity's lexer.
				i := p.pos + 1
				if p.src[i] == '-' {
					i++
				}
				if i < len(p.src) && isDigit(p.src[i]) {
					for i < len(p.src) && isDigit(p.src[i]) {
						i++
					}
					buf = append(buf, p.src[p.pos:i]...)
					p.pos = i
					boundary = len(buf)
					continue
				}
			}
			if name == "" {
				if p.pos+1 == len(p.src) && !p.sub {
					return nil, terminator{}, p.errorf(p.pos, "'#' at end of template")
				}
				buf = append(buf, '#')
				p.pos++
				continue
			}
			switch name {
			case "else", "end", "elseif":
				flush()
				p.pos = end
				if name != "elseif" {
					p.eatNewline()
				}
				return nodes, terminator{name: name, pos: start}, nil
			case "set":
				k := len(buf)
				for k > boundary && (buf[k-1] == ' ' || buf[k-1] == '\t') {
					k--
				}
				switch {
				case k == boundary:
					buf = buf[:k]
				case k-1 >= boundary && (buf[k-1] == '$' || buf[k-1] == '#') && k < len(buf):
					// A lone '$' or '#' is the lexer's MORE prefix of the
					// next token: #set swallows it with the spaces.
					buf = buf[:k-1]
				}
			}
			flush()
			p.pos = end
			n, err := p.directive(name, start, depth)
			if err != nil {
				return nil, terminator{}, err
			}
			if n != nil {
				nodes = append(nodes, n)
			} else if p.pos == end {
				buf = append(buf, p.src[start:end]...)
				boundary = len(buf)
			}
		default:
			i := strings.IndexAny(p.src[p.pos:], "\\$#")
			if i < 0 {
				i = len(p.src) - p.pos
			}
			buf = append(buf, p.src[p.pos:p.pos+i]...)
			p.pos += i
		}
	}
	flush()
	return nodes, terminator{}, nil
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) consume(s string) bool {
	if strings.HasPrefix(p.src[p.pos:], s) {
		p.pos += len(s)
		return true
	}
	return false
}

// consumeWord consumes w when it is a whole word.
func (p *parser) consumeWord(w string) bool {
	if strings.HasPrefix(p.src[p.pos:], w) {
		end := p.pos + len(w)
		if end < len(p.src) && isWordChar(p.src[end]) {
			return false
		}
		p.pos = end
		return true
	}
	return false
}
