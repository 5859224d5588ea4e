package router

import "fmt"

// Route is one route key and the value the caller attaches to it.
type Route[T any] struct {
	Key   string // "$default" or "METHOD /path", e.g. "GET /pets/{petId}"
	Value T
}

// Param is a path parameter: Value is percent-decoded, Raw is as received.
// For a greedy variable both are the rest of the path, segments joined with
// "/" (Raw "a/b%20c", Value "a/b c"). An invalid escape such as "%zz" is kept
// as is in Value.
type Param struct {
	Name, Value, Raw string
}

// Match is the route selected for a request.
type Match[T any] struct {
	Key    string  // the route key as given to New
	Value  T       // the value given with it
	Params []Param // path variables in key order, greedy last; nil if none
}

// Router is a compiled, immutable set of routes. It is safe for concurrent
// use.
type Router[T any] struct {
	root *node[T]
	def  *entry[T] // the $default route, or nil
	n    int
}

// node is a trie node: the routes whose path has consumed depth segments.
type node[T any] struct {
	lit    map[string]*node[T] // children by literal segment
	vr     *node[T]            // the "{var}" child
	exact  *methodSet[T]       // routes ending here without a greedy variable
	greedy *methodSet[T]       // routes whose "{name+}" follows this node
	depth  int

	hasExact  bool // this subtree holds a route without a greedy variable
	maxGreedy int  // deepest node in this subtree with greedy routes; -1 if none
}

// methodSet holds the routes of one path pattern, by method slot.
type methodSet[T any] [len(methods)]*entry[T]

// entry is one compiled route.
type entry[T any] struct {
	key   string
	value T
	names []string // variable names in key order, the greedy one last
	vars  []int    // segment index of each non-greedy variable
	depth int      // segments before the greedy variable (or in all)
	rest  bool     // the last name is a greedy variable
}

// New compiles the routes (keys "$default" or "METHOD /path"); invalid or
// duplicate keys are an error naming the key (a *KeyError). Two keys with the
// same method whose paths differ only in variable names ("GET /a/{id}" and
// "GET /a/{name}") can never both be selected, so they are a conflict too.
func New[T any](routes []Route[T]) (*Router[T], error) {
	r := &Router[T]{root: newNode[T](0), n: len(routes)}
	for _, rt := range routes {
		if rt.Key == DefaultKey {
			if r.def != nil {
				return nil, &KeyError{Key: rt.Key, Reason: "duplicate route key"}
			}
			r.def = &entry[T]{key: rt.Key, value: rt.Value}
			continue
		}
		p, err := parseKey(rt.Key)
		if err != nil {
			return nil, err
		}
		if e := r.insert(p, rt); e != nil {
			if e.key == rt.Key {
				return nil, &KeyError{Key: rt.Key, Reason: "duplicate route key"}
			}
			return nil, &KeyError{Key: rt.Key, Reason: fmt.Sprintf("conflicts with route key %q", e.key)}
		}
	}
	return r, nil
}

// Len reports the number of routes, $default included.
func (r *Router[T]) Len() int { return r.n }

func newNode[T any](depth int) *node[T] {
	return &node[T]{depth: depth, maxGreedy: -1}
}

// insert adds a route to the trie. If its method and path pattern are taken,
// it returns the entry holding them and changes nothing.
func (r *Router[T]) insert(p pattern, rt Route[T]) (taken *entry[T]) {
	e := &entry[T]{key: rt.Key, value: rt.Value, depth: len(p.segs)}
	path := make([]*node[T], 0, len(p.segs)+1)
	n := r.root
	path = append(path, n)
	for i, s := range p.segs {
		var next *node[T]
		if s.name != "" {
			e.names = append(e.names, s.name)
			e.vars = append(e.vars, i)
			if n.vr == nil {
				n.vr = newNode[T](i + 1)
			}
			next = n.vr
		} else {
			if n.lit == nil {
				n.lit = make(map[string]*node[T])
			}
			if next = n.lit[s.lit]; next == nil {
				next = newNode[T](i + 1)
				n.lit[s.lit] = next
			}
		}
		n = next
		path = append(path, n)
	}
	set := &n.exact
	if p.greedy != "" {
		e.names = append(e.names, p.greedy)
		e.rest = true
		set = &n.greedy
	}
	if *set == nil {
		*set = new(methodSet[T])
	}
	if old := (*set)[p.slot]; old != nil {
		return old
	}
	(*set)[p.slot] = e
	for _, a := range path {
		if p.greedy == "" {
			a.hasExact = true
		} else if n.depth > a.maxGreedy {
			a.maxGreedy = n.depth
		}
	}
	return nil
}
