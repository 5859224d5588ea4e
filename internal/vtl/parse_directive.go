package vtl

// directive parses the directive name (already consumed) that started at
// start. It returns nil and leaves p.pos alone for a #name that is text.
func (p *parser) directive(name string, start, depth int) (node, error) {
	switch name {
	case "set":
		if err := p.openParen(name, start); err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != '$' {
			return nil, p.errorf(p.pos, "#set needs a reference on the left of '='")
		}
		target, err := p.reference(depth)
		if err != nil {
			return nil, err
		}
		if target == nil || target.quiet {
			return nil, p.errorf(p.pos, "#set needs a reference on the left of '='")
		}
		p.skipSpace()
		if !p.consume("=") {
			return nil, p.errorf(p.pos, "expected '=' in #set")
		}
		value, err := p.expression(depth)
		if err != nil {
			return nil, err
		}
		if err := p.closeParen(name); err != nil {
			return nil, err
		}
		return &setNode{pos: start, target: target, value: value}, nil
	case "if":
		n := &ifNode{pos: start}
		cond, err := p.condition(name, start, depth)
		if err != nil {
			return nil, err
		}
		for {
			body, term, err := p.block(depth + 1)
			if err != nil {
				return nil, err
			}
			n.branches = append(n.branches, ifBranch{cond: cond, body: body})
			switch term.name {
			case "":
				return nil, p.errorf(start, "#if is not closed by #end")
			case "end":
				return n, nil
			case "elseif":
				if cond, err = p.condition("elseif", term.pos, depth); err != nil {
					return nil, err
				}
			case "else":
				body, term, err := p.block(depth + 1)
				if err != nil {
					return nil, err
				}
				if term.name != "end" {
					if term.name == "" {
						return nil, p.errorf(start, "#if is not closed by #end")
					}
					return nil, p.errorf(term.pos, "#%s after #else", term.name)
				}
				n.elseBody = body
				return n, nil
			}
		}
	case "foreach":
		if err := p.openParen(name, start); err != nil {
			return nil, err
		}
		p.skipSpace()
		if !p.consume("$") || p.pos >= len(p.src) || !isIdentStart(p.src[p.pos]) {
			return nil, p.errorf(p.pos, "#foreach needs a loop variable")
		}
		i := p.pos
		for p.pos < len(p.src) && isIdentChar(p.src[p.pos]) {
			p.pos++
		}
		n := &foreachNode{pos: start, varName: p.src[i:p.pos]}
		n.varSlot = p.tpl.slot(n.varName)
		n.state = p.tpl.slot("foreach")
		p.skipSpace()
		if !p.consumeWord("in") {
			return nil, p.errorf(p.pos, "expected 'in' in #foreach")
		}
		iter, err := p.expression(depth)
		if err != nil {
			return nil, err
		}
		n.iter = iter
		if err := p.closeParen(name); err != nil {
			return nil, err
		}
		body, term, err := p.block(depth + 1)
		if err != nil {
			return nil, err
		}
		if term.name != "end" {
			if term.name == "" {
				return nil, p.errorf(start, "#foreach is not closed by #end")
			}
			return nil, p.errorf(term.pos, "#%s inside #foreach without #if", term.name)
		}
		n.body = body
		return n, nil
	case "break":
		return &breakNode{pos: start}, nil
	case "stop":
		return &stopNode{pos: start}, nil
	case "macro":
		return p.macro(start, depth)
	case "include", "parse", "evaluate", "define":
		return nil, p.errorf(start, "#%s is not supported in mapping templates", name)
	}
	// A macro call when '(' follows; plain text otherwise.
	save := p.pos
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != '(' {
		p.pos = save
		return nil, nil
	}
	p.pos++
	call := &macroCallNode{pos: start, name: name}
	args, err := p.macroArgs(depth)
	if err != nil {
		return nil, err
	}
	call.args = args
	p.eatNewline()
	// An undefined macro prints its source, the swallowed newline included.
	call.raw = p.src[start:p.pos]
	return call, nil
}

func (p *parser) macro(start, depth int) (node, error) {
	if err := p.openParen("macro", start); err != nil {
		return nil, err
	}
	p.skipSpace()
	i := p.pos
	for p.pos < len(p.src) && isIdentChar(p.src[p.pos]) {
		p.pos++
	}
	if i == p.pos {
		return nil, p.errorf(p.pos, "#macro needs a name")
	}
	def := &macroDef{name: p.src[i:p.pos]}
	for {
		p.skipSpace()
		if p.consume(",") {
			continue
		}
		if p.consume(")") {
			break
		}
		if !p.consume("$") || p.pos >= len(p.src) || !isIdentStart(p.src[p.pos]) {
			return nil, p.errorf(p.pos, "expected a $parameter or ')' in #macro")
		}
		j := p.pos
		for p.pos < len(p.src) && isIdentChar(p.src[p.pos]) {
			p.pos++
		}
		def.params = append(def.params, p.src[j:p.pos])
		def.slots = append(def.slots, p.tpl.slot(p.src[j:p.pos]))
	}
	p.eatNewline()
	body, term, err := p.block(depth + 1)
	if err != nil {
		return nil, err
	}
	if term.name != "end" {
		if term.name == "" {
			return nil, p.errorf(start, "#macro is not closed by #end")
		}
		return nil, p.errorf(term.pos, "#%s inside #macro without #if", term.name)
	}
	def.body = body
	p.tpl.macros[def.name] = def
	return def, nil
}

func (p *parser) openParen(name string, start int) error {
	if name == "set" {
		for p.pos < len(p.src) && p.src[p.pos] == ' ' {
			p.pos++
		}
	} else {
		p.skipSpace()
	}
	if !p.consume("(") {
		return p.errorf(start, "expected '(' after #%s", name)
	}
	return nil
}

func (p *parser) closeParen(name string) error {
	p.skipSpace()
	if !p.consume(")") {
		return p.errorf(p.pos, "expected ')' to close #%s", name)
	}
	p.eatNewline()
	return nil
}

func (p *parser) condition(name string, start, depth int) (expr, error) {
	if err := p.openParen(name, start); err != nil {
		return nil, err
	}
	e, err := p.expression(depth)
	if err != nil {
		return nil, err
	}
	return e, p.closeParen(name)
}
