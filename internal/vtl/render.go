package vtl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
)

// errStop and errBreak unwind #stop and #break; they never leave Execute.
var (
	errStop  = errors.New("#stop")
	errBreak = errors.New("#break")
)

// renderer is the state of one render.
type renderer struct {
	tpl      *Template
	ctx      context.Context
	out      *bytes.Buffer
	limits   Limits
	vals     []any // variables by slot; nil is unset (see Template.slots)
	depth    int
	steps    int
	lastPos  int
	loop     *loopState // innermost #foreach, for $foreach
	deadline time.Time  // from Limits.Timeout; zero until the first check
	args     []any      // stack of method arguments being evaluated
}

// checkEvery is how many steps pass between checks of the context.
const checkEvery = 256

func (r *renderer) step(pos int) error {
	r.lastPos = pos
	r.steps++
	if r.steps%checkEvery == 0 {
		if err := r.ctx.Err(); err != nil {
			return r.tpl.errorAt(pos, err, "render stopped: %v", err)
		}
		if r.limits.Timeout > 0 {
			// The clock starts at the first check: a render of fewer
			// steps (most mapping templates) never reads it.
			now := time.Now()
			if r.deadline.IsZero() {
				r.deadline = now.Add(r.limits.Timeout)
			} else if now.After(r.deadline) {
				return r.tpl.errorAt(pos, context.DeadlineExceeded, "render stopped: took longer than %v", r.limits.Timeout)
			}
		}
	}
	if r.out.Len() > r.limits.MaxOutput {
		return r.tpl.errorAt(pos, ErrLimit, "output exceeds %d bytes", r.limits.MaxOutput)
	}
	return nil
}

func (r *renderer) nodes(ns []node) error {
	for _, n := range ns {
		if err := r.node(n); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) node(n node) error {
	switch n := n.(type) {
	case *textNode:
		r.out.WriteString(n.text)
		return nil
	case *refNode:
		if err := r.step(n.pos); err != nil {
			return err
		}
		return r.renderRef(n)
	case *setNode:
		if err := r.step(n.pos); err != nil {
			return err
		}
		return r.set(n)
	case *ifNode:
		if err := r.step(n.pos); err != nil {
			return err
		}
		for _, b := range n.branches {
			ok, err := r.cond(b.cond)
			if err != nil {
				return err
			}
			if ok {
				return r.nodes(b.body)
			}
		}
		return r.nodes(n.elseBody)
	case *foreachNode:
		return r.foreach(n)
	case *breakNode:
		return errBreak
	case *stopNode:
		return errStop
	case *macroDef:
		return nil
	case *macroCallNode:
		if err := r.step(n.pos); err != nil {
			return err
		}
		return r.callMacro(n)
	}
	return fmt.Errorf("vtl: unknown node %T", n)
}

// renderRef writes a reference: its value, or its source text when null
// (nothing for $!). Backslashes before it follow Velocity's escaping.
func (r *renderer) renderRef(n *refNode) error {
	v, err := r.evalRef(n)
	if err != nil {
		return err
	}
	if n.escapes > 0 {
		if v == nil {
			// Velocity 1.7: an escaped null reference keeps half the
			// backslashes plus one; an unescaped one all of them.
			k := n.escapes
			if k%2 == 1 {
				k = k/2 + 1
			}
			for i := 0; i < k; i++ {
				r.out.WriteByte('\\')
			}
			r.out.WriteString(r.nullText(n))
			return nil
		}
		for i := 0; i < n.escapes/2; i++ {
			r.out.WriteByte('\\')
		}
		if n.escapes%2 == 1 {
			r.out.WriteString(n.raw)
			return nil
		}
	}
	if v == nil {
		if !n.quiet {
			r.out.WriteString(r.nullText(n))
		}
		return nil
	}
	return r.write(v)
}

// nullText is what a null reference prints: its source, or for a macro
// parameter bound to a null reference, that reference's source (Velocity
// passes macro arguments by name).
func (r *renderer) nullText(n *refNode) string {
	if len(n.mods) == 0 {
		if a, ok := r.vals[n.slot].(*nullArg); ok {
			return a.raw
		}
	}
	return n.raw
}

// nullArg is a macro parameter whose argument was a null reference.
type nullArg struct{ raw string }

// write appends v's Java string form.
func (r *renderer) write(v any) error {
	switch v := v.(type) {
	case string:
		r.out.WriteString(v)
	default:
		b := r.out.AvailableBuffer()
		b = appendString(b, v, 0)
		r.out.Write(b)
	}
	return nil
}

func (r *renderer) set(n *setNode) error {
	v, err := r.eval(n.value)
	if err != nil {
		return err
	}
	if v == nil {
		// Velocity 1.7: a null right-hand side leaves the target unchanged.
		return nil
	}
	t := n.target
	if len(t.mods) == 0 {
		r.vals[t.slot] = v
		return nil
	}
	// Evaluate all but the last modifier, then assign through the last.
	holder, err := r.walk(t, t.mods[:len(t.mods)-1])
	if err != nil || holder == nil {
		return err
	}
	last := t.mods[len(t.mods)-1]
	switch last.kind {
	case modProperty, modMethod:
		// #set($m.get("k") = v) sets the property "get", as Velocity 1.7
		// takes the last identifier of the reference.
		return r.setProperty(holder, last.name, v, last.pos)
	case modIndex:
		idx, err := r.eval(last.index)
		if err != nil {
			return err
		}
		return r.setIndex(holder, idx, v, last.pos)
	}
	return nil
}

func (r *renderer) setProperty(holder any, name string, v any, pos int) error {
	switch h := holder.(type) {
	case *jsonpath.Map:
		h.Set(name, v)
		return r.checkSize(h, pos)
	case Setter:
		if err := h.SetProperty(name, v); err != nil {
			return r.tpl.errorAt(pos, err, "%v", err)
		}
	}
	return nil
}

func (r *renderer) setIndex(holder, idx, v any, pos int) error {
	switch h := holder.(type) {
	case Setter:
		if err := h.SetProperty(toJavaString(idx), v); err != nil {
			return r.tpl.errorAt(pos, err, "%v", err)
		}
		return nil
	case *jsonpath.Map:
		h.Set(toJavaString(idx), v)
		return r.checkSize(h, pos)
	case *jsonpath.List:
		i, ok := toInt(idx)
		if !ok {
			return nil // no List.set(String, Object): Velocity ignores it
		}
		if i < 0 || i >= len(h.Items) {
			return r.tpl.errorAt(pos, nil, "index %s out of bounds for length %d", toJavaString(idx), len(h.Items))
		}
		h.Items[i] = v
	}
	return nil
}

// loopState is $foreach.
type loopState struct {
	index  int
	hasNxt bool
	parent *loopState
}

func (r *renderer) foreach(n *foreachNode) error {
	if err := r.step(n.pos); err != nil {
		return err
	}
	var v any
	var err error
	if rng, isRange := n.iter.(*rangeExpr); isRange && r.limits.MaxIterations >= 0 {
		// Build only the iterations the loop may run (plus one, for hasNext).
		v, err = r.evalRange(rng, min(r.limits.MaxIterations+1, maxRange))
	} else {
		v, err = r.eval(n.iter)
	}
	if err != nil {
		return err
	}
	items, ok := iterate(v)
	if !ok {
		return nil
	}
	prevVar, prevForeach := r.vals[n.varSlot], r.vals[n.state]
	st := &loopState{parent: r.loop}
	r.loop = st
	defer func() {
		r.loop = st.parent
		r.vals[n.varSlot], r.vals[n.state] = prevVar, prevForeach
	}()
	r.vals[n.state] = st
	limit := r.limits.MaxIterations
	for i, it := range items {
		if limit >= 0 && i >= limit {
			break
		}
		if err := r.step(n.pos); err != nil {
			return err
		}
		st.index = i
		st.hasNxt = i+1 < len(items) && (limit < 0 || i+1 < limit)
		r.vals[n.varSlot] = it
		err := r.nodes(n.body)
		if err == errBreak {
			break
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// iterate returns the items #foreach visits: a list's items, a map's
// values; nothing for anything else.
func iterate(v any) ([]any, bool) {
	switch v := v.(type) {
	case *jsonpath.List:
		return v.Items, true
	case *jsonpath.Map:
		vals := make([]any, v.Len())
		for i := range vals {
			_, vals[i] = v.At(i)
		}
		return vals, true
	case Iterable:
		return v.Items(), true
	}
	return nil, false
}

func (r *renderer) callMacro(n *macroCallNode) error {
	def := r.tpl.macros[n.name]
	if def == nil {
		r.out.WriteString(n.raw)
		return nil
	}
	if r.depth >= r.limits.MaxDepth {
		return r.tpl.errorAt(n.pos, ErrLimit, "macro calls nested deeper than %d", r.limits.MaxDepth)
	}
	args := make([]any, len(n.args))
	for i, a := range n.args {
		v, err := r.eval(a)
		if err != nil {
			return err
		}
		args[i] = v
	}
	// Parameters without an argument are not bound: as in Velocity, the
	// macro reads (and #sets) the variable of that name outside it.
	bound := def.slots[:min(len(def.slots), len(args))]
	prev := make([]any, len(bound))
	for i, s := range bound {
		prev[i] = r.vals[s]
		switch {
		case args[i] != nil:
			r.vals[s] = args[i]
		default:
			if ref, ok := n.args[i].(*refExpr); ok {
				// Prints as the caller wrote it ($y inside a macro that was
				// itself passed $nope prints "$y"), as Velocity does.
				r.vals[s] = &nullArg{raw: ref.ref.raw}
			} else {
				r.vals[s] = nil
			}
		}
	}
	r.depth++
	err := r.nodes(def.body)
	r.depth--
	// Restored in reverse, so a parameter named twice gets its first value back.
	for i := len(bound) - 1; i >= 0; i-- {
		r.vals[bound[i]] = prev[i]
	}
	return err
}
