package jsonpath

import "fmt"

// MaxResults bounds the number of values one Read may collect, so a deep
// scan over a hostile document stays bounded in memory.
const MaxResults = 1 << 20

// Read evaluates the path against root. A definite path returns the value it
// matches or an error wrapping ErrNotFound; an indefinite one returns a
// *List of every match in document order (empty when nothing matches).
func (p *Path) Read(root any) (any, error) { return p.read(root, root) }

func (p *Path) read(base, root any) (any, error) {
	if p.simple {
		return p.readSimple(base)
	}
	e := evaluation{root: root, path: p}
	if err := e.walk(base, 0); err != nil {
		return nil, err
	}
	var v any
	if p.isDefiniteSteps() {
		if len(e.out) == 0 {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, p.src)
		}
		v = e.out[0]
	} else {
		v = &List{Items: e.out}
	}
	if p.fn != nil {
		return p.fn.apply(v)
	}
	return v, nil
}

func (p *Path) isDefiniteSteps() bool {
	for i := range p.steps {
		if !p.steps[i].definite() {
			return false
		}
	}
	return true
}

type evaluation struct {
	root any
	path *Path
	out  []any
}

func (e *evaluation) emit(v any) error {
	if len(e.out) >= MaxResults {
		return fmt.Errorf("JSONPath %s: more than %d results", e.path.src, MaxResults)
	}
	e.out = append(e.out, v)
	return nil
}

func (e *evaluation) walk(v any, i int) error {
	if i == len(e.path.steps) {
		return e.emit(v)
	}
	return e.apply(&e.path.steps[i], v, i)
}

// apply evaluates step s (at index i of the path) on v, continuing with the
// rest of the path for each match.
func (e *evaluation) apply(s *step, v any, i int) error {
	leaf := i == len(e.path.steps)-1
	switch s.kind {
	case stepProps:
		m, ok := v.(*Map)
		if !ok {
			if s.upstream {
				return fmt.Errorf("%w: expected to find an object with property %s in path %s but found %s", ErrNotFound, s, e.path.src, kindName(v))
			}
			return nil
		}
		if len(s.names) > 1 && leaf {
			merged := NewMap(len(s.names))
			for _, n := range s.names {
				if val, ok := m.Get(n); ok {
					merged.Set(n, val)
				}
			}
			return e.emit(merged)
		}
		for _, n := range s.names {
			val, ok := m.Get(n)
			if !ok {
				if !leaf && s.upstream && s.definite() {
					return fmt.Errorf("%w: missing property ['%s'] in path %s", ErrNotFound, n, e.path.src)
				}
				continue
			}
			if err := e.walk(val, i+1); err != nil {
				return err
			}
		}
	case stepIndex:
		l, ok := v.(*List)
		if !ok {
			if s.upstream {
				return fmt.Errorf("%w: %s can only be applied to arrays, found %s in path %s", ErrNotFound, s, kindName(v), e.path.src)
			}
			return nil
		}
		for _, idx := range s.indexes {
			if idx < 0 {
				idx += len(l.Items)
			}
			if idx < 0 || idx >= len(l.Items) {
				continue
			}
			if err := e.walk(l.Items[idx], i+1); err != nil {
				return err
			}
		}
	case stepSlice:
		l, ok := v.(*List)
		if !ok {
			return nil
		}
		n := len(l.Items)
		from, to := 0, n
		if s.hasFrom {
			from = s.from
			if from < 0 {
				from = max(0, n+from)
			}
		}
		if s.hasTo {
			to = s.to
			if to < 0 {
				to = n + to
			}
		}
		to = min(to, n)
		for j := from; j < to; j++ {
			if err := e.walk(l.Items[j], i+1); err != nil {
				return err
			}
		}
	case stepWildcard:
		switch x := v.(type) {
		case *Map:
			for j := range x.entries {
				if err := e.walk(x.entries[j].val, i+1); err != nil {
					return err
				}
			}
		case *List:
			for _, it := range x.Items {
				if err := e.walk(it, i+1); err != nil {
					return err
				}
			}
		}
	case stepFilter:
		switch x := v.(type) {
		case *Map:
			if s.filter.match(x, e.root) {
				return e.walk(x, i+1)
			}
		case *List:
			for _, it := range x.Items {
				if s.filter.match(it, e.root) {
					if err := e.walk(it, i+1); err != nil {
						return err
					}
				}
			}
		}
	case stepScan:
		return e.scan(s.inner, v, i, 0)
	}
	return nil
}

// scan applies inner to v and to every container below it, depth first in
// document order, as Jayway's ScanPathToken does.
func (e *evaluation) scan(inner *step, v any, i int, depth int) error {
	if depth > MaxDepth {
		return nil
	}
	var matches bool
	switch inner.kind {
	case stepProps:
		if m, ok := v.(*Map); ok {
			if len(inner.names) > 1 {
				matches = true
			} else {
				_, matches = m.Get(inner.names[0])
			}
		}
	case stepIndex, stepSlice:
		_, matches = v.(*List)
	case stepWildcard:
		switch v.(type) {
		case *Map, *List:
			matches = true
		}
	case stepFilter:
		if m, ok := v.(*Map); ok {
			if inner.filter.match(m, e.root) {
				if err := e.walk(m, i+1); err != nil {
					return err
				}
			}
		}
	}
	if matches {
		// Inner steps of a scan are never upstream-definite.
		if err := e.apply(inner, v, i); err != nil {
			return err
		}
	}
	switch x := v.(type) {
	case *Map:
		for j := range x.entries {
			switch x.entries[j].val.(type) {
			case *Map, *List:
				if err := e.scan(inner, x.entries[j].val, i, depth+1); err != nil {
					return err
				}
			}
		}
	case *List:
		for _, it := range x.Items {
			switch it.(type) {
			case *Map, *List:
				if err := e.scan(inner, it, i, depth+1); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// readSimple evaluates a path made only of single properties and single
// indexes ($.a.b[0].c) without collecting results.
func (p *Path) readSimple(v any) (any, error) {
	for i := range p.steps {
		s := &p.steps[i]
		switch s.kind {
		case stepProps:
			m, ok := v.(*Map)
			if !ok {
				return nil, fmt.Errorf("%w: expected to find an object with property %s in path %s but found %s", ErrNotFound, s, p.src, kindName(v))
			}
			if v, ok = m.Get(s.names[0]); !ok {
				return nil, fmt.Errorf("%w: missing property %s in path %s", ErrNotFound, s, p.src)
			}
		case stepIndex:
			l, ok := v.(*List)
			if !ok {
				return nil, fmt.Errorf("%w: %s can only be applied to arrays, found %s in path %s", ErrNotFound, s, kindName(v), p.src)
			}
			idx := s.indexes[0]
			if idx < 0 {
				idx += len(l.Items)
			}
			if idx < 0 || idx >= len(l.Items) {
				return nil, fmt.Errorf("%w: index %s out of range in path %s", ErrNotFound, s, p.src)
			}
			v = l.Items[idx]
		}
	}
	return v, nil
}
