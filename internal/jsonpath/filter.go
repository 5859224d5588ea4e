package jsonpath

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// filterExpr is a compiled filter predicate.
type filterExpr interface {
	match(item, root any) bool
}

type andExpr struct{ left, right filterExpr }
type orExpr struct{ left, right filterExpr }
type notExpr struct{ inner filterExpr }

func (e andExpr) match(item, root any) bool {
	return e.left.match(item, root) && e.right.match(item, root)
}
func (e orExpr) match(item, root any) bool {
	return e.left.match(item, root) || e.right.match(item, root)
}
func (e notExpr) match(item, root any) bool { return !e.inner.match(item, root) }

// operand is one side of a relation: a path or a literal.
type operand struct {
	path  *Path
	value any // literal; *List for [..] literals
	re    *regexp.Regexp
}

// undefined marks a path operand that matched nothing.
type undefinedValue struct{}

var undefined any = undefinedValue{}

func (o *operand) eval(item, root any) any {
	if o.path == nil {
		return o.value
	}
	base := item
	if !o.path.relative {
		base = root
	}
	v, err := o.path.read(base, root)
	if err != nil {
		return undefined
	}
	return v
}

// existsExpr is a bare path: true when the path matches.
type existsExpr struct{ op operand }

func (e existsExpr) match(item, root any) bool {
	v := e.op.eval(item, root)
	if v == undefined {
		return false
	}
	if l, ok := v.(*List); ok && !e.op.path.definite {
		return len(l.Items) > 0
	}
	if b, ok := v.(bool); ok && e.op.path == nil {
		return b
	}
	return true
}

type relExpr struct {
	op          string
	left, right operand
}

func (e relExpr) match(item, root any) bool {
	l := e.left.eval(item, root)
	if e.op == "=~" {
		s, ok := l.(string)
		return ok && e.right.re != nil && e.right.re.MatchString(s)
	}
	r := e.right.eval(item, root)
	switch e.op {
	case "==":
		return equalValues(l, r)
	case "!=":
		return !equalValues(l, r)
	case "<", "<=", ">", ">=":
		c, ok := compareValues(l, r)
		if !ok {
			return false
		}
		switch e.op {
		case "<":
			return c < 0
		case "<=":
			return c <= 0
		case ">":
			return c > 0
		default:
			return c >= 0
		}
	case "in":
		return contains(r, l)
	case "nin":
		return !contains(r, l)
	case "subsetof":
		ll, ok := l.(*List)
		if !ok {
			return false
		}
		for _, it := range ll.Items {
			if !contains(r, it) {
				return false
			}
		}
		return true
	case "anyof", "noneof":
		ll, ok := l.(*List)
		if !ok {
			return false
		}
		any := false
		for _, it := range ll.Items {
			if contains(r, it) {
				any = true
				break
			}
		}
		if e.op == "anyof" {
			return any
		}
		return !any
	case "size":
		n, ok := toFloat(r)
		if !ok {
			return false
		}
		switch lv := l.(type) {
		case string:
			return float64(utf16Len(lv)) == n
		case *List:
			return float64(len(lv.Items)) == n
		}
		return false
	case "empty":
		want, ok := r.(bool)
		if !ok {
			return false
		}
		switch lv := l.(type) {
		case string:
			return (lv == "") == want
		case *List:
			return (len(lv.Items) == 0) == want
		}
		return false
	}
	return false
}

func contains(list, v any) bool {
	l, ok := list.(*List)
	if !ok {
		return false
	}
	for _, it := range l.Items {
		if equalValues(it, v) {
			return true
		}
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func equalValues(a, b any) bool {
	if a == undefined || b == undefined {
		return false
	}
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		if !ok {
			return false
		}
		if ia, ok := a.(int64); ok {
			if ib, ok := b.(int64); ok {
				return ia == ib
			}
		}
		return fa == fb
	}
	switch av := a.(type) {
	case nil:
		return b == nil
	case string:
		bv, ok := b.(string)
		return ok && av == bv
	case bool:
		bv, ok := b.(bool)
		return ok && av == bv
	case *Map, *List:
		if b == nil {
			return false
		}
		return JSON(a) == JSON(b)
	}
	return false
}

func compareValues(a, b any) (int, bool) {
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		if !ok || math.IsNaN(fa) || math.IsNaN(fb) {
			return 0, false
		}
		ia, aInt := a.(int64)
		ib, bInt := b.(int64)
		switch {
		case aInt && bInt && ia < ib, !(aInt && bInt) && fa < fb:
			return -1, true
		case aInt && bInt && ia > ib, !(aInt && bInt) && fa > fb:
			return 1, true
		}
		return 0, true
	}
	as, ok1 := a.(string)
	bs, ok2 := b.(string)
	if ok1 && ok2 {
		return strings.Compare(as, bs), true
	}
	return 0, false
}

// filterOr parses a filter expression up to the closing ')' (not consumed).
func (c *compiler) filterOr(depth int) (filterExpr, error) {
	left, err := c.filterAnd(depth)
	if err != nil {
		return nil, err
	}
	for {
		c.skipSpace()
		if !strings.HasPrefix(c.src[c.pos:], "||") {
			return left, nil
		}
		c.pos += 2
		right, err := c.filterAnd(depth)
		if err != nil {
			return nil, err
		}
		left = orExpr{left, right}
	}
}

func (c *compiler) filterAnd(depth int) (filterExpr, error) {
	left, err := c.filterUnary(depth)
	if err != nil {
		return nil, err
	}
	for {
		c.skipSpace()
		if !strings.HasPrefix(c.src[c.pos:], "&&") {
			return left, nil
		}
		c.pos += 2
		right, err := c.filterUnary(depth)
		if err != nil {
			return nil, err
		}
		left = andExpr{left, right}
	}
}

func (c *compiler) filterUnary(depth int) (filterExpr, error) {
	if depth > maxFilterDepth {
		return nil, c.errorf("filter nested deeper than %d", maxFilterDepth)
	}
	c.skipSpace()
	switch c.peek() {
	case '!':
		if !strings.HasPrefix(c.src[c.pos:], "!=") {
			c.pos++
			inner, err := c.filterUnary(depth + 1)
			if err != nil {
				return nil, err
			}
			return notExpr{inner}, nil
		}
	case '(':
		c.pos++
		inner, err := c.filterOr(depth + 1)
		if err != nil {
			return nil, err
		}
		c.skipSpace()
		if c.peek() != ')' {
			return nil, c.errorf("expected ')'")
		}
		c.pos++
		return inner, nil
	}
	left, err := c.operand(depth)
	if err != nil {
		return nil, err
	}
	c.skipSpace()
	op := c.relOp()
	if op == "" {
		if left.path == nil {
			if _, ok := left.value.(bool); !ok {
				return nil, c.errorf("expected a comparison operator")
			}
		}
		return existsExpr{left}, nil
	}
	c.skipSpace()
	var right operand
	if op == "=~" {
		re, err := c.regex()
		if err != nil {
			return nil, err
		}
		right.re = re
	} else if right, err = c.operand(depth); err != nil {
		return nil, err
	}
	return relExpr{op: op, left: left, right: right}, nil
}

var wordOps = []string{"subsetof", "anyof", "noneof", "empty", "size", "nin", "in"}

func (c *compiler) relOp() string {
	rest := c.src[c.pos:]
	for _, op := range []string{"==", "!=", "<=", ">=", "=~", "<", ">"} {
		if strings.HasPrefix(rest, op) {
			c.pos += len(op)
			return op
		}
	}
	for _, op := range wordOps {
		if strings.HasPrefix(rest, op) && (len(rest) == len(op) || !isWordByte(rest[len(op)])) {
			c.pos += len(op)
			return op
		}
	}
	return ""
}

func isWordByte(b byte) bool {
	return b == '_' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
}

func (c *compiler) regex() (*regexp.Regexp, error) {
	if c.peek() != '/' {
		return nil, c.errorf("expected /regex/ after =~")
	}
	c.pos++
	var b strings.Builder
	for {
		if c.pos >= len(c.src) {
			return nil, c.errorf("unterminated regular expression")
		}
		ch := c.src[c.pos]
		if ch == '\\' && c.pos+1 < len(c.src) && c.src[c.pos+1] == '/' {
			b.WriteByte('/')
			c.pos += 2
			continue
		}
		if ch == '/' {
			c.pos++
			break
		}
		b.WriteByte(ch)
		c.pos++
	}
	flags := ""
	for c.pos < len(c.src) && strings.IndexByte("imsx", c.src[c.pos]) >= 0 {
		if c.src[c.pos] != 'x' {
			flags += string(c.src[c.pos])
		}
		c.pos++
	}
	expr := "^(?:" + b.String() + ")$" // Java's Matcher.matches: the whole input
	if flags != "" {
		expr = "(?" + flags + ")" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, c.errorf("invalid regular expression: %v", err)
	}
	return re, nil
}

func (c *compiler) operand(depth int) (operand, error) {
	c.skipSpace()
	switch ch := c.peek(); {
	case ch == '@' || ch == '$':
		p, err := c.path(depth)
		if err != nil {
			return operand{}, err
		}
		return operand{path: p}, nil
	case ch == '\'' || ch == '"':
		s, err := c.quoted(ch)
		if err != nil {
			return operand{}, err
		}
		return operand{value: s}, nil
	case ch == '[' || ch == '{':
		// A JSON literal: find its end by bracket matching, then parse it.
		start, level := c.pos, 0
		var quote byte
		for ; c.pos < len(c.src); c.pos++ {
			b := c.src[c.pos]
			if quote != 0 {
				if b == '\\' {
					c.pos++
				} else if b == quote {
					quote = 0
				}
				continue
			}
			switch b {
			case '\'', '"':
				quote = b
			case '[', '{':
				level++
			case ']', '}':
				level--
			}
			if level == 0 {
				break
			}
		}
		if c.pos >= len(c.src) {
			return operand{}, c.errorf("unterminated literal")
		}
		c.pos++
		text := strings.ReplaceAll(c.src[start:c.pos], "'", "\"")
		v, err := ParseString(text)
		if err != nil {
			return operand{}, c.errorf("invalid literal %s: %v", text, err)
		}
		return operand{value: v}, nil
	case ch == '-' || (ch >= '0' && ch <= '9'):
		start := c.pos
		c.pos++
		for c.pos < len(c.src) && strings.IndexByte("0123456789.eE+-", c.src[c.pos]) >= 0 {
			c.pos++
		}
		text := c.src[start:c.pos]
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return operand{value: n}, nil
		}
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return operand{}, c.errorf("invalid number %q", text)
		}
		return operand{value: f}, nil
	default:
		for _, lit := range []struct {
			word string
			v    any
		}{{"true", true}, {"false", false}, {"null", nil}} {
			if strings.HasPrefix(c.src[c.pos:], lit.word) {
				c.pos += len(lit.word)
				return operand{value: lit.v}, nil
			}
		}
		return operand{}, c.errorf("unexpected %q in filter", ch)
	}
}
