package vtl

import (
	"math/big"
	"strconv"
	"strings"
)

// reference parses a reference at p.pos ('$'). It returns nil, with p.pos
// unchanged, when the text there is not a reference (such as "$5" or "$").
func (p *parser) reference(depth int) (*refNode, error) {
	start := p.pos
	i := start + 1
	ref := &refNode{pos: p.base + start}
	if i < len(p.src) && p.src[i] == '!' {
		ref.quiet = true
		i++
	}
	braced := i < len(p.src) && p.src[i] == '{'
	if braced {
		i++
	}
	ref.braced = braced
	if i >= len(p.src) || !isIdentStart(p.src[i]) {
		return nil, nil
	}
	j := i
	for j < len(p.src) && isIdentChar(p.src[j]) {
		j++
	}
	ref.name = p.src[i:j]
	ref.slot = p.tpl.slot(ref.name)
	p.pos = j
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '.' && p.pos+1 < len(p.src) && isAlpha(p.src[p.pos+1]) {
			k := p.pos + 1
			m := k
			for m < len(p.src) && isIdentChar(p.src[m]) {
				m++
			}
			mod := modifier{kind: modProperty, pos: p.base + p.pos, name: p.src[k:m]}
			mod.cap = strings.ToUpper(mod.name[:1]) + mod.name[1:]
			mod.get, mod.is = "get"+mod.cap, "is"+mod.cap
			p.pos = m
			if m < len(p.src) && p.src[m] == '(' {
				p.pos++
				args, err := p.methodArgs(depth)
				if err != nil {
					return nil, err
				}
				mod.kind = modMethod
				mod.args = args
			}
			ref.mods = append(ref.mods, mod)
			continue
		}
		if c == '[' {
			// Velocity commits to an index after '[': $a[x is an error.
			at := p.pos
			p.pos++
			p.skipSpace()
			var idx expr
			switch c := p.peek(); {
			case c == '$', c == '"', c == '\'', c == '-', c >= '0' && c <= '9', c == 't', c == 'f':
				var err error
				if idx, err = p.primary(depth + 1); err != nil {
					return nil, err
				}
				if _, isList := idx.(*listExpr); isList {
					return nil, p.errorf(at, "invalid index")
				}
			default:
				return nil, p.errorf(p.pos, "invalid index after %s", p.src[start:at])
			}
			p.skipSpace()
			if !p.consume("]") {
				return nil, p.errorf(p.pos, "expected ']' to close the index")
			}
			ref.mods = append(ref.mods, modifier{kind: modIndex, pos: p.base + at, index: idx})
			continue
		}
		break
	}
	if braced {
		if p.pos >= len(p.src) || p.src[p.pos] != '}' {
			return nil, p.errorf(p.pos, "expected '}' to close ${%s", ref.name)
		}
		p.pos++
	}
	ref.raw = p.src[start:p.pos]
	return ref, nil
}

func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func (p *parser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// methodArgs parses arguments up to and including ')'. Velocity 1.7 takes
// only literals and references here, not operators.
func (p *parser) methodArgs(depth int) ([]expr, error) {
	var args []expr
	p.skipSpace()
	if p.consume(")") {
		return args, nil
	}
	for {
		p.skipSpace()
		a, err := p.primary(depth + 1)
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		p.skipSpace()
		if p.consume(")") {
			return args, nil
		}
		if !p.consume(",") {
			return nil, p.errorf(p.pos, "expected ',' or ')' in method arguments")
		}
	}
}

// macroArgs parses macro call arguments, separated by spaces or commas, up
// to and including ')'.
func (p *parser) macroArgs(depth int) ([]expr, error) {
	var args []expr
	for {
		p.skipSpace()
		if p.consume(",") {
			continue
		}
		if p.consume(")") {
			return args, nil
		}
		if p.pos >= len(p.src) {
			return nil, p.errorf(p.pos, "unterminated macro call")
		}
		a, err := p.primary(depth + 1)
		if err != nil {
			return nil, err
		}
		args = append(args, a)
	}
}

// expression parses a full expression (directive arguments).
func (p *parser) expression(depth int) (expr, error) {
	if depth > maxParseDepth {
		return nil, p.errorf(p.pos, "expression nested deeper than %d", maxParseDepth)
	}
	p.skipSpace()
	return p.binary(depth, 0)
}

// precedence levels, loosest first.
var binaryLevels = [][]struct{ sym, word, op string }{
	{{"||", "or", "||"}},
	{{"&&", "and", "&&"}},
	{{"==", "eq", "=="}, {"!=", "ne", "!="}},
	{{"<=", "le", "<="}, {">=", "ge", ">="}, {"<", "lt", "<"}, {">", "gt", ">"}},
	{{"+", "", "+"}, {"-", "", "-"}},
	{{"*", "", "*"}, {"/", "", "/"}, {"%", "", "%"}},
}

func (p *parser) binary(depth, level int) (expr, error) {
	if level == len(binaryLevels) {
		return p.unary(depth)
	}
	left, err := p.binary(depth, level+1)
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		pos := p.pos
		op := ""
		for _, o := range binaryLevels[level] {
			if strings.HasPrefix(p.src[p.pos:], o.sym) {
				// "-" followed by a digit is Velocity's negative literal,
				// not a minus: "5-3" is a parse error in 1.7.
				if o.sym == "-" && p.pos+1 < len(p.src) && p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9' {
					return nil, p.errorf(p.pos, "unexpected number %q after an expression (write \"- %c\")", p.src[p.pos:p.pos+2], p.src[p.pos+1])
				}
				op = o.op
				p.pos += len(o.sym)
				break
			}
			if o.word != "" && p.consumeWord(o.word) {
				op = o.op
				break
			}
		}
		if op == "" {
			return left, nil
		}
		litStart := p.pos
		p.skipSpace()
		right, err := p.binary(depth, level+1)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		left = &binaryExpr{pos: p.base + pos, op: op, left: left, right: right, lit: p.src[litStart:p.pos]}
	}
}

func (p *parser) unary(depth int) (expr, error) {
	p.skipSpace()
	if depth > maxParseDepth {
		return nil, p.errorf(p.pos, "expression nested deeper than %d", maxParseDepth)
	}
	if p.pos < len(p.src) && p.src[p.pos] == '!' && !strings.HasPrefix(p.src[p.pos:], "!=") {
		p.pos++
		inner, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &notExpr{inner: inner}, nil
	}
	if p.consumeWord("not") {
		inner, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &notExpr{inner: inner}, nil
	}
	if p.consume("(") {
		inner, err := p.expression(depth + 1)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if !p.consume(")") {
			return nil, p.errorf(p.pos, "expected ')'")
		}
		return &parenExpr{inner: inner}, nil
	}
	return p.primary(depth + 1)
}

// primary parses a literal, a reference, a list, a range or a map.
func (p *parser) primary(depth int) (expr, error) {
	if depth > maxParseDepth {
		return nil, p.errorf(p.pos, "expression nested deeper than %d", maxParseDepth)
	}
	if p.pos >= len(p.src) {
		return nil, p.errorf(p.pos, "unexpected end of template in an expression")
	}
	switch c := p.src[p.pos]; {
	case c == '$':
		ref, err := p.reference(depth)
		if err != nil {
			return nil, err
		}
		if ref == nil {
			return nil, p.errorf(p.pos, "invalid reference")
		}
		return &refExpr{ref: ref}, nil
	case c == '"' || c == '\'':
		return p.stringLiteral(c, depth)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == '[':
		return p.listOrRange(depth)
	case c == '{':
		return p.mapLiteral(depth)
	case p.consumeWord("true"):
		return &literalExpr{v: true, src: "true"}, nil
	case p.consumeWord("false"):
		return &literalExpr{v: false, src: "false"}, nil
	}
	return nil, p.errorf(p.pos, "unexpected %q in an expression", p.src[p.pos])
}

func (p *parser) number() (expr, error) {
	start := p.pos
	if p.src[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		i := p.pos
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
		}
		return p.pos - i
	}
	if digits() == 0 {
		return nil, p.errorf(start, "unexpected '-' in an expression")
	}
	float := false
	// "1." is a float but "1.." starts a range.
	if p.pos < len(p.src) && p.src[p.pos] == '.' && !strings.HasPrefix(p.src[p.pos:], "..") {
		p.pos++
		digits()
		float = true
	}
	if p.pos < len(p.src) && (p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
		save := p.pos
		p.pos++
		if p.pos < len(p.src) && (p.src[p.pos] == '+' || p.src[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			p.pos = save
		} else {
			float = true
		}
	}
	text := p.src[start:p.pos]
	if float {
		f, err := strconv.ParseFloat(strings.TrimSuffix(text, "."), 64)
		if err != nil {
			return nil, p.errorf(start, "invalid number %s", text)
		}
		return &literalExpr{v: f, src: text}, nil
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return &literalExpr{v: n, src: text}, nil
	}
	b, ok := new(big.Int).SetString(text, 10)
	if !ok {
		return nil, p.errorf(start, "invalid number %s", text)
	}
	return &literalExpr{v: b, src: text}, nil
}

// stringLiteral parses '...' (verbatim) or "..." (interpolated when it
// holds $ or #). A doubled quote stands for one quote, as in Velocity 1.7.
func (p *parser) stringLiteral(q byte, depth int) (expr, error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	contentStart := p.pos
	for {
		if p.pos >= len(p.src) {
			return nil, p.errorf(start, "unterminated string literal")
		}
		c := p.src[p.pos]
		if c == q {
			if p.pos+1 < len(p.src) && p.src[p.pos+1] == q {
				b.WriteByte(q)
				p.pos += 2
				continue
			}
			p.pos++
			break
		}
		b.WriteByte(c)
		p.pos++
	}
	s := b.String()
	src := p.src[start:p.pos]
	if q == '\'' || !strings.ContainsAny(s, "$#") {
		return &literalExpr{v: s, src: src}, nil
	}
	// Velocity 1.7 parses the content with a space appended and drops the
	// last character of the result.
	sub := &parser{src: s + " ", base: p.base + contentStart, tpl: p.tpl, sub: true}
	nodes, term, err := sub.block(depth + 1)
	if err != nil {
		return nil, err
	}
	if term.name != "" {
		return nil, sub.errorf(term.pos, "#%s without a matching #if or #foreach in a string", term.name)
	}
	return &interpExpr{pos: p.base + start, nodes: nodes, src: src}, nil
}

func (p *parser) listOrRange(depth int) (expr, error) {
	start := p.pos
	p.pos++ // [
	p.skipSpace()
	if p.consume("]") {
		return &listExpr{}, nil
	}
	first, err := p.primary(depth + 1)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.consume("..") {
		p.skipSpace()
		to, err := p.primary(depth + 1)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if !p.consume("]") {
			return nil, p.errorf(p.pos, "expected ']' to close the range")
		}
		return &rangeExpr{pos: p.base + start, from: first, to: to}, nil
	}
	l := &listExpr{items: []expr{first}}
	for {
		p.skipSpace()
		if p.consume("]") {
			return l, nil
		}
		if !p.consume(",") {
			return nil, p.errorf(p.pos, "expected ',' or ']' in a list")
		}
		p.skipSpace()
		it, err := p.primary(depth + 1)
		if err != nil {
			return nil, err
		}
		l.items = append(l.items, it)
	}
}

func (p *parser) mapLiteral(depth int) (expr, error) {
	p.pos++ // {
	m := &mapExpr{}
	p.skipSpace()
	if p.consume("}") {
		return m, nil
	}
	for {
		p.skipSpace()
		k, err := p.primary(depth + 1)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if !p.consume(":") {
			return nil, p.errorf(p.pos, "expected ':' in a map")
		}
		p.skipSpace()
		v, err := p.primary(depth + 1)
		if err != nil {
			return nil, err
		}
		m.keys = append(m.keys, k)
		m.vals = append(m.vals, v)
		p.skipSpace()
		if p.consume("}") {
			return m, nil
		}
		if !p.consume(",") {
			return nil, p.errorf(p.pos, "expected ',' or '}' in a map")
		}
	}
}
