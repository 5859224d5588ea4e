package jsonpath

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth bounds the nesting of arrays and objects that Parse accepts, so
// hostile input cannot exhaust the stack.
const MaxDepth = 1000

// SyntaxError reports malformed JSON and the byte offset where it was found.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d: %s", e.Offset, e.Msg)
}

// Parse decodes one JSON document (surrounding whitespace allowed) into the
// package's value model.
func Parse(data []byte) (any, error) { return ParseString(string(data)) }

// ParseString is Parse for a string. Decoded strings without escapes share
// the memory of s.
func ParseString(s string) (any, error) {
	d := decoder{data: s}
	sc := scratchPool.Get().(*scratch)
	d.ents, d.items = sc.ents[:0], sc.items[:0]
	defer sc.put(&d)
	// Size the slabs from the punctuation (vectorized counts; brackets
	// inside strings only over-count): one allocation each.
	maps, lists, colons := strings.Count(s, "{"), strings.Count(s, "["), strings.Count(s, ":")
	d.mapSlab = make([]Map, 0, maps)
	d.listSlab = make([]List, 0, lists)
	d.entrySlab = make([]entry, 0, colons)
	// Array items: an object of k entries has k-1 commas, an array of n
	// items n-1, so the commas less the object entries' share count the
	// items less one per array. Colons inside strings under-count; the
	// slab then grows.
	if n := max(strings.Count(s, ",")-colons+maps+lists, lists); n > 0 {
		d.itemSlab = make([]any, 0, n)
	}
	// String values: every other quote opens a string, and the keys among
	// them are counted by the colons (bounded: the slab grows if needed).
	if n := strings.Count(s, `"`)/2 - cap(d.entrySlab); n > 0 {
		d.strSlab = make([]string, 0, min(n, 1024))
	}
	d.skipSpace()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.pos != len(d.data) {
		return nil, d.errorf("unexpected %q after the value", d.data[d.pos])
	}
	return v, nil
}

// scratch holds a decoder's scratch stacks between documents: what they
// hold is copied into the slabs, so they never escape a Parse, and
// reusing them spares the allocations of growing them for every document.
type scratch struct {
	ents  []entry
	items []any
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{ents: make([]entry, 0, 64), items: make([]any, 0, 64)}
}}

// put returns d's scratch stacks unless they grew large. They are empty
// and hold no pointers: object and array clear what they pushed when
// they return, on every path, so put need not clear their whole capacity.
func (sc *scratch) put(d *decoder) {
	if cap(d.ents) > 4096 || cap(d.items) > 4096 {
		return
	}
	sc.ents, sc.items = d.ents[:0], d.items[:0]
	scratchPool.Put(sc)
}

type decoder struct {
	data  string
	pos   int
	ents  []entry // scratch stack of object entries being decoded
	items []any   // scratch stack of array items being decoded

	// Slabs: a document's maps, lists and their contents are carved out of
	// a few shared allocations instead of two per container. Slices handed
	// out have their capacity capped, so appending to one copies it.
	mapSlab   []Map
	listSlab  []List
	entrySlab []entry
	itemSlab  []any
	strSlab   []string // string values (see box.go)
	numSlab   []uint64 // float64 and int64 values
}

func slabSize(n, want int) int {
	return max(want, min(2*n+8, 4096))
}

// The slabs are carved by length: len is what was handed out, cap what
// the current allocation holds.
func (d *decoder) newMap(ents []entry) *Map {
	m := slabOne(&d.mapSlab)
	m.entries = slabCopy(&d.entrySlab, ents)
	return m
}

func (d *decoder) newList(items []any) *List {
	l := slabOne(&d.listSlab)
	l.Items = slabCopy(&d.itemSlab, items)
	return l
}

// slabOne hands out the next element of *slab, starting a larger slab when
// the current one is used up.
func slabOne[T any](slab *[]T) *T {
	if len(*slab) == cap(*slab) {
		*slab = make([]T, 0, slabSize(cap(*slab), 1))
	}
	*slab = (*slab)[:len(*slab)+1]
	return &(*slab)[len(*slab)-1]
}

// slabCopy copies src into *slab and returns the copy, capped so that an
// append to it cannot overwrite its neighbours.
func slabCopy[T any](slab *[]T, src []T) []T {
	n := len(src)
	if cap(*slab)-len(*slab) < n {
		*slab = make([]T, 0, slabSize(cap(*slab), n))
	}
	start := len(*slab)
	*slab = append(*slab, src...)
	return (*slab)[start : start+n : start+n]
}

func (d *decoder) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: d.pos, Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) skipSpace() {
	i, s := d.pos, d.data
	for i < len(s) && s[i] <= ' ' && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
		i++
	}
	d.pos = i
}

func (d *decoder) value(depth int) (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.errorf("unexpected end of input")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		if depth >= MaxDepth {
			return nil, d.errorf("nesting deeper than %d", MaxDepth)
		}
		return d.object(depth + 1)
	case c == '[':
		if depth >= MaxDepth {
			return nil, d.errorf("nesting deeper than %d", MaxDepth)
		}
		return d.array(depth + 1)
	case c == '"':
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		return d.boxString(s), nil
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case d.literal("true"):
		return true, nil
	case d.literal("false"):
		return false, nil
	case d.literal("null"):
		return nil, nil
	default:
		return nil, d.errorf("unexpected %q", c)
	}
}

func (d *decoder) literal(word string) bool {
	if len(d.data)-d.pos >= len(word) && d.data[d.pos:d.pos+len(word)] == word {
		d.pos += len(word)
		return true
	}
	return false
}

func (d *decoder) object(depth int) (any, error) {
	d.pos++ // {
	mark := len(d.ents)
	defer func() {
		clear(d.ents[mark:])
		d.ents = d.ents[:mark]
	}()
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return &Map{}, nil
	}
	for {
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, d.errorf("expected a string key")
		}
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, d.errorf("expected ':' after key")
		}
		d.pos++
		d.skipSpace()
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		d.ents = append(d.ents, entry{key: k, val: v})
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.errorf("unterminated object")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return d.newMapFrom(d.ents[mark:]), nil
		default:
			return nil, d.errorf("expected ',' or '}' in object")
		}
	}
}

// newMapFrom builds a map from decoded entries in one allocation; a
// repeated key keeps its first position and its last value, as
// LinkedHashMap.put does.
func (d *decoder) newMapFrom(ents []entry) *Map {
	m := d.newMap(ents)
	n := len(ents)
	if n > indexThreshold {
		m.index = make(map[string]int, n)
		for i := range m.entries {
			if _, dup := m.index[m.entries[i].key]; dup {
				return rebuild(ents)
			}
			m.index[m.entries[i].key] = i
		}
		return m
	}
	for i := 1; i < n; i++ {
		for j := 0; j < i; j++ {
			if m.entries[i].key == m.entries[j].key {
				return rebuild(ents)
			}
		}
	}
	return m
}

func rebuild(ents []entry) *Map {
	m := NewMap(len(ents))
	for _, e := range ents {
		m.Set(e.key, e.val)
	}
	return m
}

func (d *decoder) array(depth int) (any, error) {
	d.pos++ // [
	mark := len(d.items)
	defer func() {
		clear(d.items[mark:])
		d.items = d.items[:mark]
	}()
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return &List{}, nil
	}
	for {
		d.skipSpace()
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		d.items = append(d.items, v)
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.errorf("unterminated array")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return d.newList(d.items[mark:]), nil
		default:
			return nil, d.errorf("expected ',' or ']' in array")
		}
	}
}

// number decodes a number in one pass over its digits: the integer of up
// to 18 digits and the decimal of up to 15 (prices, quantities) are built
// as they are scanned; longer ones and exponents go to strconv.
func (d *decoder) number() (any, error) {
	s, i := d.data, d.pos
	start := i
	neg := s[i] == '-'
	if neg {
		i++
	}
	// m accumulates the digits, integer and fraction, while there are at
	// most 19 of them (it cannot overflow); nd counts them all, k those
	// after the point.
	var m uint64
	nd, k := 0, 0
	for ; i < len(s) && s[i]-'0' <= 9; i++ {
		if nd < 19 {
			m = m*10 + uint64(s[i]-'0')
		}
		nd++
	}
	if nd == 0 {
		d.pos = i
		return nil, d.errorf("invalid number")
	}
	isFloat, exp := false, false
	if i < len(s) && s[i] == '.' {
		i++
		isFloat = true
		for ; i < len(s) && s[i]-'0' <= 9; i++ {
			if nd < 19 {
				m = m*10 + uint64(s[i]-'0')
			}
			nd++
			k++
		}
		if k == 0 {
			d.pos = i
			return nil, d.errorf("invalid number")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		isFloat, exp = true, true
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		e := i
		for i < len(s) && s[i]-'0' <= 9 {
			i++
		}
		if i == e {
			d.pos = i
			return nil, d.errorf("invalid number")
		}
	}
	d.pos = i
	text := s[start:i]
	if !isFloat {
		if nd <= 18 { // cannot overflow int64
			n := int64(m)
			if neg {
				n = -n
			}
			return d.boxInt(n), nil
		}
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return d.boxInt(n), nil
		}
	}
	if !exp && nd <= 15 {
		return d.boxFloat(shortDecimal(m, k, neg)), nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !math.IsInf(f, 0) {
		return nil, d.errorf("invalid number %q", text)
	}
	return d.boxFloat(f), nil
}

// shortDecimal is the double nearest m / 10^k (negated if neg), exactly
// as strconv would round the decimal of at most 15 digits it was scanned
// from: m < 2^53 and 10^k (k <= 15) are exact doubles, so the quotient is
// one correctly rounded division. TestShortDecimalParse holds the decoder
// to strconv on 300,000 such decimals.
func shortDecimal(m uint64, k int, neg bool) float64 {
	f := float64(m) / shortPow10[k]
	if neg {
		f = -f
	}
	return f
}

// shortPow10 are the exact powers of ten shortDecimal divides by.
var shortPow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16}

// strStop marks the bytes that end the fast scan of a string: the quote,
// a backslash and control characters.
var strStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

func (d *decoder) str() (string, error) {
	d.pos++ // opening quote
	start := d.pos
	// Fast path: no escapes up to the closing quote.
	i := start
	for i < len(d.data) && !strStop[d.data[i]] {
		i++
	}
	if i < len(d.data) && d.data[i] == '"' {
		d.pos = i + 1
		return d.data[start:i], nil
	}
	buf := make([]byte, 0, 32)
	for d.pos < len(d.data) {
		// Copy the run up to the next quote, backslash or control byte.
		j := d.pos
		for j < len(d.data) && d.data[j] != '"' && d.data[j] != '\\' && d.data[j] >= 0x20 {
			j++
		}
		buf = append(buf, d.data[d.pos:j]...)
		d.pos = j
		if d.pos >= len(d.data) {
			break
		}
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return string(buf), nil
		case c < 0x20:
			return "", d.errorf("control character in string")
		default: // backslash
			d.pos++
			if d.pos >= len(d.data) {
				return "", d.errorf("unterminated escape")
			}
			e := d.data[d.pos]
			d.pos++
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := d.hex4()
				if !ok {
					return "", d.errorf("invalid \\u escape")
				}
				if utf16.IsSurrogate(r) {
					r2 := utf8.RuneError
					if d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
						save := d.pos
						d.pos += 2
						if lo, ok := d.hex4(); ok {
							r2 = utf16.DecodeRune(r, lo)
						}
						if r2 == utf8.RuneError {
							d.pos = save
						}
					}
					r = r2
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", d.errorf("invalid escape \\%c", e)
			}
		}
	}
	return "", d.errorf("unterminated string")
}

func (d *decoder) hex4() (rune, bool) {
	if len(d.data)-d.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range d.data[d.pos : d.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	d.pos += 4
	return r, true
}
