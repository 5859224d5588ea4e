package jsonpath

import "slices"

// Map is a JSON object. It keeps keys in insertion order, as Java's
// LinkedHashMap does; replacing a value keeps the key's position.
// The zero value is an empty map ready to use.
type Map struct {
	entries []entry
	index   map[string]int // built lazily once the map grows past a few keys
}

type entry struct {
	key string
	val any
}

// NewMap returns an empty map with room for n entries. A map of up to
// smallMap entries and its entries are one allocation.
func NewMap(n int) *Map {
	if n > 0 && n <= smallMap {
		return new(SmallMap).Init()
	}
	return &Map{entries: make([]entry, 0, n)}
}

const smallMap = 4

// SmallMap is a Map with room for four entries in the same memory, for
// embedding a few maps in one allocation. Init it before use and do not
// copy it afterwards.
type SmallMap struct {
	Map
	room [smallMap]entry
}

// Init empties the map and returns it, its entries in s's own room.
func (s *SmallMap) Init() *Map {
	clear(s.room[:])
	s.Map = Map{entries: s.room[:0]}
	return &s.Map
}

// indexThreshold is the size from which lookups use a hash index instead of
// a linear scan (small objects are the common case and scan faster).
const indexThreshold = 12

func (m *Map) find(k string) int {
	if m.index != nil {
		if i, ok := m.index[k]; ok {
			return i
		}
		return -1
	}
	for i := range m.entries {
		if m.entries[i].key == k {
			return i
		}
	}
	return -1
}

// Grow makes room for n more entries without another allocation.
func (m *Map) Grow(n int) { m.entries = slices.Grow(m.entries, n) }

// Len reports the number of entries.
func (m *Map) Len() int { return len(m.entries) }

// Get returns the value stored under k.
func (m *Map) Get(k string) (any, bool) {
	if i := m.find(k); i >= 0 {
		return m.entries[i].val, true
	}
	return nil, false
}

// Set stores v under k, appending k if it is new. It reports the previous
// value (nil if there was none).
func (m *Map) Set(k string, v any) (prev any) {
	if i := m.find(k); i >= 0 {
		prev, m.entries[i].val = m.entries[i].val, v
		return prev
	}
	m.entries = append(m.entries, entry{key: k, val: v})
	m.indexLast()
	return nil
}

func (m *Map) indexLast() {
	n := len(m.entries)
	if m.index != nil {
		m.index[m.entries[n-1].key] = n - 1
	} else if n > indexThreshold {
		m.index = make(map[string]int, n*2)
		for i := range m.entries {
			m.index[m.entries[i].key] = i
		}
	}
}

// Delete removes k and reports the value it held.
func (m *Map) Delete(k string) (any, bool) {
	i := m.find(k)
	if i < 0 {
		return nil, false
	}
	v := m.entries[i].val
	m.entries = append(m.entries[:i], m.entries[i+1:]...)
	if m.index != nil {
		delete(m.index, k)
		for j := i; j < len(m.entries); j++ {
			m.index[m.entries[j].key] = j
		}
	}
	return v, true
}

// At returns the i-th entry in order.
func (m *Map) At(i int) (string, any) { return m.entries[i].key, m.entries[i].val }

// Keys returns a new slice of the keys in order.
func (m *Map) Keys() []string {
	keys := make([]string, len(m.entries))
	for i := range m.entries {
		keys[i] = m.entries[i].key
	}
	return keys
}

// Clone returns a shallow copy.
func (m *Map) Clone() *Map {
	c := &Map{entries: append([]entry(nil), m.entries...)}
	if m.index != nil {
		c.index = make(map[string]int, len(m.index))
		for k, v := range m.index {
			c.index[k] = v
		}
	}
	return c
}

// List is a JSON array.
type List struct {
	Items []any
	// Java marks a list that a template built (a java.util.ArrayList) rather
	// than one parsed from JSON (json-smart's JSONArray). The two print
	// differently in Velocity: [a, b] versus JSON text.
	Java bool
}

// NewList returns a JSON list holding items.
func NewList(items ...any) *List { return &List{Items: items} }
