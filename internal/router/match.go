package router

import "strings"

// Match finds the route for a request. path is the request path WITHOUT the
// stage prefix, still percent-encoded as received (e.g. "/pets/caf%C3%A9");
// method is the request method, compared case-sensitively. It reports false
// if no route matches (API Gateway then answers 404 {"message":"Not Found"}).
//
// Match does not allocate unless the selected route has path variables; then
// it allocates the Params slice and one string per variable whose value holds
// a percent-escape.
func (r *Router[T]) Match(method, path string) (Match[T], bool) {
	if strings.HasPrefix(path, "/") {
		slot := methodSlot(method)
		start := 1
		if path == "/" {
			start = len(path) + 1 // "/" has no segments
		}
		e := r.root.matchExact(path, start, slot)
		if e == nil {
			var b best[T]
			r.root.matchGreedy(path, start, slot, &b)
			e = b.e
		}
		if e != nil {
			return Match[T]{Key: e.key, Value: e.value, Params: e.params(path)}, true
		}
	}
	if r.def != nil {
		return Match[T]{Key: r.def.key, Value: r.def.value}, true
	}
	return Match[T]{}, false
}

// next returns the segment of p starting at i and the start of the segment
// after it, which is len(p)+1 once p is used up.
func next(p string, i int) (seg string, j int) {
	k := strings.IndexByte(p[i:], '/')
	if k < 0 {
		return p[i:], len(p) + 1
	}
	return p[i : i+k], i + k + 1
}

// pick returns the route of the method slot, else the ANY route, else nil.
func (s *methodSet[T]) pick(slot int) *entry[T] {
	if s == nil {
		return nil
	}
	if slot > 0 && s[slot] != nil {
		return s[slot]
	}
	return s[anySlot]
}

// matchExact returns the first route without a greedy variable, in
// literal-before-variable order, that matches the segments of p from i and
// accepts the method.
func (n *node[T]) matchExact(p string, i, slot int) *entry[T] {
	if i > len(p) {
		return n.exact.pick(slot)
	}
	seg, j := next(p, i)
	if seg == "" {
		return nil
	}
	if n.lit != nil {
		if c := lookup(n.lit, seg); c != nil && c.hasExact {
			if e := c.matchExact(p, j, slot); e != nil {
				return e
			}
		}
	}
	if n.vr != nil && n.vr.hasExact {
		return n.vr.matchExact(p, j, slot)
	}
	return nil
}

// best is the greedy route found so far and the depth of its prefix.
type best[T any] struct {
	e     *entry[T]
	depth int
}

// matchGreedy records in b the greedy route with the longest prefix matching
// p from i that accepts the method and leaves a non-empty rest; among equal
// prefix lengths the first in literal-before-variable order wins, so only a
// strictly deeper route replaces b.
func (n *node[T]) matchGreedy(p string, i, slot int, b *best[T]) {
	if n.maxGreedy < 0 || b.e != nil && n.maxGreedy <= b.depth {
		return
	}
	if i < len(p) {
		if seg, j := next(p, i); seg != "" {
			if n.lit != nil {
				if c := lookup(n.lit, seg); c != nil {
					c.matchGreedy(p, j, slot, b)
				}
			}
			if n.vr != nil {
				n.vr.matchGreedy(p, j, slot, b)
			}
		}
	}
	if n.greedy != nil && i < len(p) && (b.e == nil || n.depth > b.depth) {
		if e := n.greedy.pick(slot); e != nil {
			b.e, b.depth = e, n.depth
		}
	}
}

// params extracts the route's path variables from p, which it matched.
func (e *entry[T]) params(p string) []Param {
	if len(e.names) == 0 {
		return nil
	}
	ps := make([]Param, len(e.names))
	i, v := 1, 0
	for k := 0; k < e.depth; k++ {
		seg, j := next(p, i)
		if v < len(e.vars) && e.vars[v] == k {
			ps[v] = Param{Name: e.names[v], Value: decode(seg), Raw: seg}
			v++
		}
		i = j
	}
	if e.rest {
		raw := p[i:]
		ps[len(ps)-1] = Param{Name: e.names[len(ps)-1], Value: decode(raw), Raw: raw}
	}
	return ps
}
