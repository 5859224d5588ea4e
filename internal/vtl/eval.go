package vtl

import (
	"bytes"
	"math"
	"math/big"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
)

// evalRef returns the value of a reference, nil when it is null or
// undefined.
func (r *renderer) evalRef(n *refNode) (any, error) {
	return r.walk(n, n.mods)
}

// walk evaluates the reference's base variable and the given modifiers.
func (r *renderer) walk(n *refNode, mods []modifier) (any, error) {
	var v any
	if n.name == "velocityCount" && r.loop != nil {
		// Velocity 1.7's loop counter, computed instead of stored.
		v = int64(r.loop.index + 1)
	} else {
		if v = r.vals[n.slot]; v == nil {
			return nil, nil
		}
	}
	if _, isNull := v.(*nullArg); isNull {
		return nil, nil
	}
	for i := range mods {
		if v == nil {
			return nil, nil
		}
		m := &mods[i]
		var err error
		switch m.kind {
		case modProperty:
			v, err = r.property(v, m)
		case modMethod:
			// Arguments live on a per-render stack: no allocation per call.
			base := len(r.args)
			for _, a := range m.args {
				var av any
				if av, err = r.eval(a); err != nil {
					r.popArgs(base)
					return nil, err
				}
				r.args = append(r.args, av)
			}
			n := len(r.args)
			v, err = r.method(v, m, r.args[base:n:n])
			r.popArgs(base)
			if err == nil {
				err = r.checkSize(v, m.pos)
			}
		case modIndex:
			var idx any
			if idx, err = r.eval(m.index); err != nil {
				return nil, err
			}
			v, err = r.index(v, idx, m.pos)
		}
		if err != nil {
			return nil, err
		}
	}
	return v, nil
}

func (r *renderer) eval(e expr) (any, error) {
	switch e := e.(type) {
	case *literalExpr:
		return e.v, nil
	case *refExpr:
		return r.evalRef(e.ref)
	case *interpExpr:
		if r.depth >= r.limits.MaxDepth {
			return nil, r.tpl.errorAt(e.pos, ErrLimit, "string interpolation nested deeper than %d", r.limits.MaxDepth)
		}
		saved := r.out
		var buf bytes.Buffer
		r.out = &buf
		r.depth++
		err := r.nodes(e.nodes)
		r.depth--
		r.out = saved
		if err != nil && err != errStop && err != errBreak {
			return nil, err
		}
		if saved.Len()+buf.Len() > r.limits.MaxOutput {
			return nil, r.tpl.errorAt(e.pos, ErrLimit, "string exceeds %d bytes", r.limits.MaxOutput)
		}
		out := buf.Bytes()
		if len(out) > 0 {
			_, size := utf8.DecodeLastRune(out)
			out = out[:len(out)-size]
		}
		return string(out), nil
	case *listExpr:
		items := make([]any, len(e.items))
		for i, it := range e.items {
			v, err := r.eval(it)
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		return javaList(items), nil
	case *mapExpr:
		m := jsonpath.NewMap(len(e.keys))
		for i := range e.keys {
			k, err := r.eval(e.keys[i])
			if err != nil {
				return nil, err
			}
			v, err := r.eval(e.vals[i])
			if err != nil {
				return nil, err
			}
			m.Set(toJavaString(k), v)
		}
		return m, nil
	case *rangeExpr:
		return r.evalRange(e, maxRange)
	case *parenExpr:
		return r.eval(e.inner)
	case *notExpr:
		ok, err := r.cond(e.inner)
		return !ok, err
	case *binaryExpr:
		return r.evalBinary(e)
	}
	return nil, nil
}

// maxRange bounds the length of a range literal; a #foreach over a range
// builds only the iterations it will run.
const maxRange = 1 << 20

// evalRange builds [from..to], at most limit items (a longer range that is
// not cut short by a #foreach is an error).
func (r *renderer) evalRange(e *rangeExpr, limit int) (any, error) {
	from, err := r.eval(e.from)
	if err != nil {
		return nil, err
	}
	to, err := r.eval(e.to)
	if err != nil {
		return nil, err
	}
	a, ok1 := rangeBound(from)
	b, ok2 := rangeBound(to)
	if !ok1 || !ok2 {
		return nil, nil
	}
	n := b - a
	if n < 0 {
		n = -n
	}
	n++
	if n > limit {
		if limit == maxRange {
			return nil, r.tpl.errorAt(e.pos, ErrLimit, "range [%d..%d] has more than %d items", a, b, maxRange)
		}
		n = limit
	}
	items := make([]any, n)
	step := 1
	if b < a {
		step = -1
	}
	for i := range items {
		items[i] = int64(a + i*step)
	}
	return javaList(items), nil
}

// rangeBound is a range end as Velocity takes it: the number's intValue()
// (a long is truncated, a double saturates).
func rangeBound(v any) (int, bool) {
	switch n := v.(type) {
	case float64:
		switch {
		case n != n:
			return 0, true
		case n >= math.MaxInt32:
			return math.MaxInt32, true
		case n <= math.MinInt32:
			return math.MinInt32, true
		}
		return int(n), true
	case int64:
		return int(int32(n)), true
	case int:
		return int(int32(n)), true
	case *big.Int:
		return int(int32(n.Int64())), true
	}
	return 0, false
}

// cond evaluates e as an #if condition. Velocity 1.7 only gives truth
// values to references (null false, Boolean its value, anything else
// true), true/false, comparisons and logical operators: any other
// expression, a string or number literal say, is false.
func (r *renderer) cond(e expr) (bool, error) {
	switch e := e.(type) {
	case *refExpr:
		v, err := r.evalRef(e.ref)
		return truthy(v), err
	case *literalExpr:
		b, ok := e.v.(bool)
		return ok && b, nil
	case *parenExpr:
		return r.cond(e.inner)
	case *notExpr:
		ok, err := r.cond(e.inner)
		return !ok, err
	case *binaryExpr:
		switch e.op {
		case "&&":
			ok, err := r.cond(e.left)
			if err != nil || !ok {
				return false, err
			}
			return r.cond(e.right)
		case "||":
			ok, err := r.cond(e.left)
			if err != nil || ok {
				return ok, err
			}
			return r.cond(e.right)
		case "==", "!=", "<", "<=", ">", ">=":
			v, err := r.evalBinary(e)
			b, _ := v.(bool)
			return b, err
		}
	}
	return false, nil
}

func (r *renderer) evalBinary(e *binaryExpr) (any, error) {
	switch e.op {
	case "&&", "||":
		return r.cond(e)
	}
	left, err := r.eval(e.left)
	if err != nil {
		return nil, err
	}
	right, err := r.eval(e.right)
	if err != nil {
		return nil, err
	}
	switch e.op {
	case "==":
		return valuesEqual(left, right), nil
	case "!=":
		return !valuesEqual(left, right), nil
	case "<", "<=", ">", ">=":
		if !isNumber(left) || !isNumber(right) {
			return false, nil
		}
		c, ok := compareNumbers(left, right)
		if !ok {
			return false, nil
		}
		switch e.op {
		case "<":
			return c < 0, nil
		case "<=":
			return c <= 0, nil
		case ">":
			return c > 0, nil
		}
		return c >= 0, nil
	case "+":
		_, ls := left.(string)
		_, rs := right.(string)
		if ls || rs {
			// Velocity 1.7 concatenates a null operand as its source text.
			if left == nil {
				left = literalText(e.left)
			}
			if right == nil {
				right = literalText(e.right)
			}
			s := toJavaString(left) + toJavaString(right)
			if len(s) > r.limits.MaxOutput {
				return nil, r.tpl.errorAt(e.pos, ErrLimit, "string exceeds %d bytes", r.limits.MaxOutput)
			}
			return s, nil
		}
	}
	if !isNumber(left) || !isNumber(right) {
		return nil, nil
	}
	return arith(e.op, left, right), nil
}

// maxCollection bounds the items of a list or map a template grows, so
// that no loop of add() or put() can exhaust memory.
const maxCollection = 1 << 20

// checkSize bounds what a method returned or grew: strings by the output
// limit, lists and maps by maxCollection.
func (r *renderer) checkSize(v any, pos int) error {
	switch x := v.(type) {
	case string:
		if len(x) > r.limits.MaxOutput {
			return r.tpl.errorAt(pos, ErrLimit, "string of %d bytes exceeds %d", len(x), r.limits.MaxOutput)
		}
	case *jsonpath.List:
		if len(x.Items) > maxCollection {
			return r.tpl.errorAt(pos, ErrLimit, "list of more than %d items", maxCollection)
		}
	case *jsonpath.Map:
		if x.Len() > maxCollection {
			return r.tpl.errorAt(pos, ErrLimit, "map of more than %d entries", maxCollection)
		}
	}
	return nil
}

func (r *renderer) popArgs(base int) {
	clear(r.args[base:])
	r.args = r.args[:base]
}

// literalText is the text Velocity's SimpleNode.literal() gives e.
func literalText(e expr) string {
	switch e := e.(type) {
	case *refExpr:
		return e.ref.raw
	case *literalExpr:
		return e.src
	case *interpExpr:
		return e.src
	case *binaryExpr:
		return e.lit
	case *parenExpr:
		return literalText(e.inner)
	}
	return ""
}
