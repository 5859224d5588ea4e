package vtl

import (
	"bytes"
	"context"
	"sync"
	"time"
)

// MaxTemplateSize bounds the source accepted by Parse (API Gateway's quota
// for a mapping template is 300 KB; this leaves headroom for offline use).
const MaxTemplateSize = 1 << 20

// Limits bounds one render. The zero value of a field means its default.
type Limits struct {
	// MaxIterations is the number of iterations after which a #foreach
	// stops, silently, as Velocity's directive.foreach.maxloops does.
	// Default 1000, API Gateway's quota; negative means unlimited.
	MaxIterations int
	// MaxDepth bounds nested macro calls and string interpolations.
	// Default 20, Velocity's velocimacro.max.depth.
	MaxDepth int
	// MaxOutput bounds the rendered size in bytes. Default 10 MiB, API
	// Gateway's payload limit.
	MaxOutput int
	// Timeout bounds the render's wall time in addition to the context's
	// deadline. Default 5s; negative means only the context bounds it.
	// Both are checked every 256 steps (cheaper than a timer per render),
	// and the Timeout clock starts at the first of those checks, so that
	// the many renders shorter than that never read the clock: a render
	// stops within Timeout plus the time of 512 steps.
	Timeout time.Duration
}

// DefaultLimits are API Gateway's.
var DefaultLimits = Limits{MaxIterations: 1000, MaxDepth: 20, MaxOutput: 10 << 20, Timeout: 5 * time.Second}

func (l Limits) withDefaults() Limits {
	if l.MaxIterations == 0 {
		l.MaxIterations = DefaultLimits.MaxIterations
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxOutput <= 0 {
		l.MaxOutput = DefaultLimits.MaxOutput
	}
	if l.Timeout == 0 {
		l.Timeout = DefaultLimits.Timeout
	}
	return l
}

// Vars are the variables a render starts with, by name without the '$'.
// Render copies the map; the values themselves (maps and lists) are shared
// and a template's #set on their entries mutates them, as in Java. Callers
// that render concurrently must give each render its own mutable values.
type Vars map[string]any

// Template is a compiled template. It is immutable and safe for concurrent
// use.
type Template struct {
	name   string
	src    string
	root   []node
	macros map[string]*macroDef
	// Every variable name the template mentions has a slot, its index in
	// a render's values: references resolve by index, not by hashing.
	slots map[string]int
	names []string // the names by slot
}

// slot returns name's slot, assigning the next one to a new name.
func (t *Template) slot(name string) int {
	i, ok := t.slots[name]
	if !ok {
		i = len(t.slots)
		t.slots[name] = i
		t.names = append(t.names, name)
	}
	return i
}

// Name returns the name the template was parsed with.
func (t *Template) Name() string { return t.name }

// Parse compiles src. The name appears in error messages.
func Parse(name, src string) (_ *Template, err error) {
	t := &Template{name: name, src: src, macros: map[string]*macroDef{}, slots: map[string]int{}}
	defer func() {
		// A safety net: a parser bug must not take the caller down.
		if p := recover(); p != nil {
			err = t.errorAt(0, nil, "internal error while parsing: %v", p)
		}
	}()
	if len(src) > MaxTemplateSize {
		return nil, t.errorAt(0, ErrLimit, "template is %d bytes, more than %d", len(src), MaxTemplateSize)
	}
	p := &parser{src: src, tpl: t}
	nodes, term, err := p.block(0)
	if err != nil {
		return nil, err
	}
	if term.name != "" {
		return nil, t.errorAt(term.pos, nil, "#%s without a matching #if or #foreach", term.name)
	}
	t.root = nodes
	return t, nil
}

var (
	bufPool      = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	rendererPool = sync.Pool{New: func() any { return new(renderer) }}
)

// Render renders the template with DefaultLimits.
func (t *Template) Render(ctx context.Context, vars Vars) (string, error) {
	return t.RenderLimits(ctx, vars, DefaultLimits)
}

// RenderLimits renders the template within limits.
func (t *Template) RenderLimits(ctx context.Context, vars Vars, limits Limits) (string, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 {
			bufPool.Put(buf)
		}
	}()
	if err := t.Execute(ctx, buf, vars, limits); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// Execute renders the template into buf within limits. On error, buf holds
// the output produced before the error.
func (t *Template) Execute(ctx context.Context, buf *bytes.Buffer, vars Vars, limits Limits) (err error) {
	limits = limits.withDefaults()
	r := rendererPool.Get().(*renderer)
	vals := r.vals[:0]
	if cap(vals) < len(t.slots) {
		vals = make([]any, 0, len(t.slots))
	}
	*r = renderer{tpl: t, ctx: ctx, out: buf, limits: limits, vals: vals[:len(t.slots)], args: r.args[:0]}
	defer func() {
		// Nothing of a render outlives it: its state is reused.
		clear(r.vals)
		clear(r.args[:cap(r.args)])
		*r = renderer{vals: r.vals[:0], args: r.args[:0]}
		rendererPool.Put(r)
	}()
	// A variable the template never mentions cannot be read. Whichever
	// of the two is shorter is walked: looking the template's few names
	// up in vars is cheaper than iterating a map.
	if len(t.names) <= len(vars) {
		for i, name := range t.names {
			if v, ok := vars[name]; ok {
				r.vals[i] = v
			}
		}
	} else {
		for k, v := range vars {
			if i, ok := t.slots[k]; ok {
				r.vals[i] = v
			}
		}
	}
	defer func() {
		if p := recover(); p != nil {
			err = t.errorAt(r.lastPos, nil, "internal error: %v", p)
		}
	}()
	err = r.nodes(t.root)
	if err == errStop {
		err = nil
	}
	if err == errBreak {
		err = nil
	}
	return err
}
