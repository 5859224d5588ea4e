package mapping

import (
	"bytes"
	"encoding/json"
)

// maxBodyPathBytes is where a body is cut before a JSON path is evaluated on
// it: "API Gateway truncates the request body at 100 KB and then applies the
// selection expression" [DG:http-api-parameter-mapping "Request body",
// "Response body"].
const maxBodyPathBytes = 100 * 1024

// maxJSONDepth is the deepest nesting accepted, as in encoding/json.
const maxJSONDepth = 10000

type jsonKind uint8

const (
	jsonObject jsonKind = iota + 1
	jsonArray
	jsonString
	jsonNumber
	jsonTrue
	jsonFalse
	jsonNull
)

// jsonNode is one value of an indexed document. Nodes are stored in
// document order, so a container's members follow it and the next sibling of
// node i is node i+size.
type jsonNode struct {
	start, end       int32 // the value's bytes, data[start:end]
	keyStart, keyEnd int32 // an object member's key, without the quotes
	size             int32 // nodes in this subtree, itself included
	kind             jsonKind
	escaped          bool // a string value holds a backslash escape
	keyEscaped       bool // the key holds a backslash escape
}

// jsonDoc is a body indexed once so that any number of paths can be looked
// up without parsing again. The zero value is "not loaded".
type jsonDoc struct {
	loaded bool
	valid  bool
	data   []byte
	nodes  []jsonNode
}

// load indexes body cut at maxBodyPathBytes. If the cut (or anything else)
// makes it invalid JSON, every lookup reports missing.
func (d *jsonDoc) load(body []byte) {
	d.loaded = true
	if len(body) > maxBodyPathBytes {
		body = body[:maxBodyPathBytes]
	}
	d.index(body)
}

// index parses data, which must not be longer than maxBodyPathBytes (node
// offsets are int32).
func (d *jsonDoc) index(data []byte) {
	// Every value but the first follows a "," or opens a container, so this
	// bounds the node count (strings may hold more of these bytes).
	n := 1 + bytes.Count(data, []byte{','}) + bytes.Count(data, []byte{'['}) + bytes.Count(data, []byte{'{'})
	p := jsonParser{data: data, nodes: make([]jsonNode, 0, n)}
	p.space()
	if !p.value(0, 0, false) {
		return
	}
	p.space()
	if p.pos != len(data) {
		return
	}
	d.data, d.nodes, d.valid = data, p.nodes, true
}

// lookup evaluates path and returns the selected value as text, as Expr.Eval
// describes.
func (d *jsonDoc) lookup(path []step) (string, bool) {
	if !d.valid {
		return "", false
	}
	i := 0
	for _, s := range path {
		n := d.nodes[i]
		end := i + int(n.size)
		found := -1
		switch {
		case s.index >= 0 && n.kind == jsonArray:
			k := 0
			for c := i + 1; c < end; c += int(d.nodes[c].size) {
				if k == s.index {
					found = c
					break
				}
				k++
			}
		case s.index < 0 && n.kind == jsonObject:
			for c := i + 1; c < end; c += int(d.nodes[c].size) {
				if d.keyIs(c, s.name) {
					found = c
				}
			}
		}
		if found < 0 {
			return "", false
		}
		i = found
	}
	return d.text(i)
}

func (d *jsonDoc) keyIs(i int, name string) bool {
	n := d.nodes[i]
	if !n.keyEscaped {
		return string(d.data[n.keyStart:n.keyEnd]) == name
	}
	var key string
	if json.Unmarshal(d.data[n.keyStart-1:n.keyEnd+1], &key) != nil {
		return false
	}
	return key == name
}

func (d *jsonDoc) text(i int) (string, bool) {
	n := d.nodes[i]
	raw := d.data[n.start:n.end]
	switch n.kind {
	case jsonNull:
		return "", false
	case jsonString:
		if !n.escaped {
			return string(raw[1 : len(raw)-1]), true
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case jsonObject, jsonArray:
		var b bytes.Buffer
		b.Grow(len(raw))
		if json.Compact(&b, raw) != nil {
			return "", false
		}
		return b.String(), true
	}
	return string(raw), true
}

// jsonParser validates JSON (exactly what json.Valid accepts) while recording
// nodes.
type jsonParser struct {
	data  []byte
	pos   int
	depth int
	nodes []jsonNode
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) peek() byte {
	if p.pos < len(p.data) {
		return p.data[p.pos]
	}
	return 0
}

func (p *jsonParser) value(keyStart, keyEnd int32, keyEscaped bool) bool {
	if p.pos >= len(p.data) {
		return false
	}
	idx := len(p.nodes)
	p.nodes = append(p.nodes, jsonNode{start: int32(p.pos), keyStart: keyStart, keyEnd: keyEnd, keyEscaped: keyEscaped})
	var kind jsonKind
	ok := false
	switch c := p.data[p.pos]; {
	case c == '{':
		kind, ok = jsonObject, p.object()
	case c == '[':
		kind, ok = jsonArray, p.array()
	case c == '"':
		var esc bool
		esc, ok = p.str()
		kind = jsonString
		p.nodes[idx].escaped = esc
	case c == '-' || '0' <= c && c <= '9':
		kind, ok = jsonNumber, p.number()
	case c == 't':
		kind, ok = jsonTrue, p.literal("true")
	case c == 'f':
		kind, ok = jsonFalse, p.literal("false")
	case c == 'n':
		kind, ok = jsonNull, p.literal("null")
	}
	if !ok {
		return false
	}
	n := &p.nodes[idx]
	n.kind, n.end, n.size = kind, int32(p.pos), int32(len(p.nodes)-idx)
	return true
}

func (p *jsonParser) object() bool {
	if p.depth++; p.depth > maxJSONDepth {
		return false
	}
	p.pos++ // '{'
	p.space()
	if p.peek() == '}' {
		p.pos++
		p.depth--
		return true
	}
	for {
		if p.peek() != '"' {
			return false
		}
		ks := int32(p.pos + 1)
		esc, ok := p.str()
		if !ok {
			return false
		}
		ke := int32(p.pos - 1)
		p.space()
		if p.peek() != ':' {
			return false
		}
		p.pos++
		p.space()
		if !p.value(ks, ke, esc) {
			return false
		}
		p.space()
		switch p.peek() {
		case ',':
			p.pos++
			p.space()
		case '}':
			p.pos++
			p.depth--
			return true
		default:
			return false
		}
	}
}

func (p *jsonParser) array() bool {
	if p.depth++; p.depth > maxJSONDepth {
		return false
	}
	p.pos++ // '['
	p.space()
	if p.peek() == ']' {
		p.pos++
		p.depth--
		return true
	}
	for {
		if !p.value(0, 0, false) {
			return false
		}
		p.space()
		switch p.peek() {
		case ',':
			p.pos++
			p.space()
		case ']':
			p.pos++
			p.depth--
			return true
		default:
			return false
		}
	}
}

// str consumes a string and reports whether it holds an escape.
func (p *jsonParser) str() (escaped, ok bool) {
	p.pos++ // '"'
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return escaped, true
		case c == '\\':
			escaped = true
			p.pos++
			if p.pos >= len(p.data) {
				return false, false
			}
			switch p.data[p.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.pos++
			case 'u':
				if p.pos+4 >= len(p.data) {
					return false, false
				}
				for _, h := range p.data[p.pos+1 : p.pos+5] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return false, false
					}
				}
				p.pos += 5
			default:
				return false, false
			}
		case c < 0x20:
			return false, false
		default:
			p.pos++
		}
	}
	return false, false
}

func (p *jsonParser) digits() int {
	n := 0
	for p.pos < len(p.data) && '0' <= p.data[p.pos] && p.data[p.pos] <= '9' {
		p.pos++
		n++
	}
	return n
}

func (p *jsonParser) number() bool {
	if p.peek() == '-' {
		p.pos++
	}
	switch c := p.peek(); {
	case c == '0':
		p.pos++
	case '1' <= c && c <= '9':
		p.digits()
	default:
		return false
	}
	if p.peek() == '.' {
		p.pos++
		if p.digits() == 0 {
			return false
		}
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.pos++
		if c := p.peek(); c == '+' || c == '-' {
			p.pos++
		}
		if p.digits() == 0 {
			return false
		}
	}
	return true
}

func (p *jsonParser) literal(word string) bool {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(word)) {
		return false
	}
	p.pos += len(word)
	return true
}
