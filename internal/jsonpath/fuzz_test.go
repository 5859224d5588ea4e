package jsonpath

import (
	"testing"
	"time"
)

// FuzzParsePath compiles arbitrary paths and evaluates those that compile
// against the store document: no panic, bounded time.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{
		"$", "$.store.book[*].author", "$..author", "$.store..price", "$..book[-2:]", "$..book[0,1]",
		"$..book[?(@.isbn)]", "$.store.book[?(@.price < 10 && @.category == 'fiction')]",
		"$..book[?(@.author =~ /.*REES/i)]", "$..*", "$.store.book.length()", "$['store']['book'][0]['title']",
		"$.a[?(@.x in [1,2,'a'])]", "$.a[?(!(@.x) || @.y size 2)]", "a.b", "$[?(@ == $.expensive)]",
	} {
		f.Add(s)
	}
	data, _ := ParseString(`{"store":{"book":[{"category":"reference","author":"Nigel Rees","price":8.95},{"isbn":"x","price":22,"tags":["a","b"]}],"bicycle":{"color":"red"}},"expensive":10,"l":[[1,[2]],{"a":{"a":1}}]}`)
	f.Fuzz(func(t *testing.T, path string) {
		p, err := Compile(path)
		if err != nil {
			return
		}
		start := time.Now()
		_, _ = p.Read(data)
		if d := time.Since(start); d > time.Second {
			t.Fatalf("Read(%q) took %v", path, d)
		}
	})
}

// FuzzParseJSON decodes arbitrary bytes; whatever decodes must re-encode to
// JSON that decodes to the same text.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5,"x",null,true]}`, `"\ud83d\ude00"`, `-0.0e5`, `[[[]]]`, `{"a":{"b":{}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		if err != nil {
			return
		}
		text := JSON(v)
		v2, err := ParseString(text)
		if err != nil {
			t.Fatalf("re-parse of %q: %v", text, err)
		}
		if JSON(v2) != text {
			t.Fatalf("round trip changed %q to %q", text, JSON(v2))
		}
	})
}
