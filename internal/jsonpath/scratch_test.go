package jsonpath

import "testing"

// TestScratchStacksLeftClean: object and array clear what they pushed on
// every way out, valid document or not, so the pooled stacks hold no
// pointers into a finished document (scratch.put does not clear them).
func TestScratchStacksLeftClean(t *testing.T) {
	for _, s := range []string{
		`{"a":[1,2.5,"x",{"b":[true,{"c":"d"}]}],"e":{"f":"g"}}`,
		`{"a":[1,2.5,"x",{"b":[true,{"c":"d"}]}],"e":{"f":`,
		`{"a":[1,2.5,"x",{"b":[true,{"c":"d"}]}],"e":{"f":"g"}}x`,
		`[[{"a":1},{"b":[2,3,{"c":}]}]]`,
		`{"a":1,"a":2,"b":[1,2,3]}`,
	} {
		d := decoder{data: s, ents: make([]entry, 0, 64), items: make([]any, 0, 64)}
		d.value(0)
		if len(d.ents) != 0 || len(d.items) != 0 {
			t.Errorf("%s: stacks not popped: %d entries, %d items", s, len(d.ents), len(d.items))
		}
		for i, e := range d.ents[:cap(d.ents)] {
			if e.key != "" || e.val != nil {
				t.Errorf("%s: entry %d left behind: %q", s, i, e.key)
			}
		}
		for i, v := range d.items[:cap(d.items)] {
			if v != nil {
				t.Errorf("%s: item %d left behind: %v", s, i, v)
			}
		}
	}
}
