package jsonpath

// Map is a JSON object. It keeps keys in insertion order, as Java's
// LinkedHashMap does; replacing a value keeps the key's position.
// The zero value is an empty map ready to use.
type Map struct {
	keys  []string
	vals  []any
	index map[string]int // built lazily once the map grows past a few keys
}

// NewMap returns an empty map with room for n entries.
func NewMap(n int) *Map {
	return &Map{keys: make([]string, 0, n), vals: make([]any, 0, n)}
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
	for i, key := range m.keys {
		if key == k {
			return i
		}
	}
	return -1
}

// Len reports the number of entries.
func (m *Map) Len() int { return len(m.keys) }

// Get returns the value stored under k.
func (m *Map) Get(k string) (any, bool) {
	if i := m.find(k); i >= 0 {
		return m.vals[i], true
	}
	return nil, false
}

// Set stores v under k, appending k if it is new. It reports the previous
// value (nil if there was none).
func (m *Map) Set(k string, v any) (prev any) {
	if i := m.find(k); i >= 0 {
		prev, m.vals[i] = m.vals[i], v
		return prev
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
	if m.index != nil {
		m.index[k] = len(m.keys) - 1
	} else if len(m.keys) > indexThreshold {
		m.index = make(map[string]int, len(m.keys)*2)
		for i, key := range m.keys {
			m.index[key] = i
		}
	}
	return nil
}

// Delete removes k and reports the value it held.
func (m *Map) Delete(k string) (any, bool) {
	i := m.find(k)
	if i < 0 {
		return nil, false
	}
	v := m.vals[i]
	m.keys = append(m.keys[:i], m.keys[i+1:]...)
	m.vals = append(m.vals[:i], m.vals[i+1:]...)
	if m.index != nil {
		delete(m.index, k)
		for j := i; j < len(m.keys); j++ {
			m.index[m.keys[j]] = j
		}
	}
	return v, true
}

// At returns the i-th entry in order.
func (m *Map) At(i int) (string, any) { return m.keys[i], m.vals[i] }

// Keys returns the keys in order. The slice must not be modified.
func (m *Map) Keys() []string { return m.keys }

// Clone returns a shallow copy.
func (m *Map) Clone() *Map {
	c := &Map{keys: append([]string(nil), m.keys...), vals: append([]any(nil), m.vals...)}
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
