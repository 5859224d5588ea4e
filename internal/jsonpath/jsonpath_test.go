package jsonpath

import (
	"errors"
	"os"
	"testing"
)

func loadStore(t testing.TB) any {
	t.Helper()
	data, err := os.ReadFile("testdata/store.json")
	if err != nil {
		t.Fatal(err)
	}
	v, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestJaywayReadme checks the examples of Jayway's README against the
// results Jayway documents for them.
func TestJaywayReadme(t *testing.T) {
	root := loadStore(t)
	tests := []struct {
		path string
		want string
	}{
		{path: "$.store.book[*].author", want: `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`},
		{path: "$..author", want: `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`},
		{path: "$.store.*", want: `[[{"category":"reference","author":"Nigel Rees","title":"Sayings of the Century","price":8.95},{"category":"fiction","author":"Evelyn Waugh","title":"Sword of Honour","price":12.99},{"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553-21311-3","price":8.99},{"category":"fiction","author":"J. R. R. Tolkien","title":"The Lord of the Rings","isbn":"0-395-19395-8","price":22.99}],{"color":"red","price":19.95}]`},
		{path: "$.store..price", want: `[8.95,12.99,8.99,22.99,19.95]`},
		{path: "$..book[2].title", want: `["Moby Dick"]`},
		{path: "$..book[-2].author", want: `["Herman Melville"]`},
		{path: "$..book[0,1].title", want: `["Sayings of the Century","Sword of Honour"]`},
		{path: "$..book[:2].title", want: `["Sayings of the Century","Sword of Honour"]`},
		{path: "$..book[1:2].title", want: `["Sword of Honour"]`},
		{path: "$..book[-2:].title", want: `["Moby Dick","The Lord of the Rings"]`},
		{path: "$..book[2:].title", want: `["Moby Dick","The Lord of the Rings"]`},
		{path: "$..book[?(@.isbn)].title", want: `["Moby Dick","The Lord of the Rings"]`},
		{path: "$.store.book[?(@.price < 10)].title", want: `["Sayings of the Century","Moby Dick"]`},
		{path: "$..book[?(@.price <= $['expensive'])].title", want: `["Sayings of the Century","Moby Dick"]`},
		{path: "$..book[?(@.author =~ /.*REES/i)].title", want: `["Sayings of the Century"]`},
		{path: "$..book[?(@.category == 'fiction' && @.price > 20)].title", want: `["The Lord of the Rings"]`},
		{path: "$..book[?(@.category in ['reference'] || !@.isbn)].price", want: `[8.95,12.99]`},
		{path: "$.store.book.length()", want: `4`},
		{path: "$.store.book[*].price.sum()", want: `53.92`},
		{path: "$.store.bicycle", want: `{"color":"red","price":19.95}`},
		{path: "$.store.bicycle['color','price']", want: `{"color":"red","price":19.95}`},
		{path: "$['store']['bicycle'].color", want: `"red"`},
		{path: "$.expensive", want: `10`},
		{path: "$.store.book[1]", want: `{"category":"fiction","author":"Evelyn Waugh","title":"Sword of Honour","price":12.99}`},
		{path: "$.store.book[9].title", want: ""},
		{path: "$.store.book[*].nothing", want: `[]`},
		{path: "store.bicycle.color", want: `"red"`},
		{path: "$.store.book[?(@.price > 100)]", want: `[]`},
		{path: "$.store.bicycle[?(@.color == 'red')].price", want: `[19.95]`},
		{path: "$.store.bicycle.keys()", want: `["color","price"]`},
		// Jayway parses a slice step and ignores it.
		{path: "$.store.book[0:3:2].price", want: `[8.95,12.99,8.99]`},
		{path: "$.store.book[3:0:-2]", want: `[]`},
		{path: "$.store.book[1:10].price", want: `[12.99,8.99,22.99]`},
		{path: "$['store']['bicycle']['*']", want: ""},
		{path: "$.store.*.color", want: `["red"]`},
	}
	for _, tc := range tests {
		p, err := Compile(tc.path)
		if err != nil {
			t.Errorf("Compile(%q): %v", tc.path, err)
			continue
		}
		got, err := p.Read(root)
		if tc.want == "" {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("Read(%q) = %s, %v; want ErrNotFound", tc.path, JSON(got), err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Read(%q): %v", tc.path, err)
			continue
		}
		if s := JSON(got); s != tc.want {
			t.Errorf("Read(%q) = %s\nwant %s", tc.path, s, tc.want)
		}
	}
}

func TestDefinite(t *testing.T) {
	for path, want := range map[string]bool{
		"$": true, "$.a.b": true, "$['a'][0]": true, "$.a[-1].b": true, "$.a.length()": true,
		"$.a[*]": false, "$..a": false, "$.a[0,1]": false, "$.a[1:]": false, "$.a[?(@.x)]": false, "$['a','b'].c": false, "$['a','b']": true,
	} {
		p, err := Compile(path)
		if err != nil {
			t.Fatalf("Compile(%q): %v", path, err)
		}
		if p.Definite() != want {
			t.Errorf("Compile(%q).Definite() = %v, want %v", path, p.Definite(), want)
		}
	}
}

func TestDefiniteErrors(t *testing.T) {
	root, _ := ParseString(`{"a":{"b":null},"l":[1,2],"s":"x"}`)
	for _, path := range []string{"$.missing", "$.a.c", "$.missing.c", "$.s.c", "$.l.c", "$.a[0]", "$.l[5]", "$.a.b.c"} {
		if got, err := MustCompile(path).Read(root); !errors.Is(err, ErrNotFound) {
			t.Errorf("Read(%q) = %v, %v; want ErrNotFound", path, got, err)
		}
	}
	if got, err := MustCompile("$.a.b").Read(root); err != nil || got != nil {
		t.Errorf("Read($.a.b) = %v, %v; want null", got, err)
	}
}

func TestCompileErrors(t *testing.T) {
	for _, path := range []string{"", "$.", "$..", "$[", "$['a'", "$[?(@.a <)]", "$.a.nosuch()", "$[?(@.a =~ /(/)]", "$x", "$[a]", "$[:]", "$[::2]", "$[(@.length-1)]", "$['a'b']", "$.[a]"} {
		if _, err := Compile(path); err == nil {
			t.Errorf("Compile(%q) succeeded, want an error", path)
		}
	}
}

func TestParseKeepsOrderAndTypes(t *testing.T) {
	v, err := ParseString(` {"z":1,"a":2.0,"m":-3,"big":12345678901234,"f":1e10,"s":"\u00e9\n\"","n":null,"t":[true,false]} `)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(*Map)
	if got := m.Keys(); len(got) != 8 || got[0] != "z" || got[1] != "a" {
		t.Errorf("keys = %v", got)
	}
	for k, want := range map[string]any{"z": int64(1), "a": 2.0, "m": int64(-3), "big": int64(12345678901234), "f": 1e10} {
		if got, _ := m.Get(k); got != want {
			t.Errorf("%s = %#v, want %#v", k, got, want)
		}
	}
	want := `{"z":1,"a":2.0,"m":-3,"big":12345678901234,"f":1.0E10,"s":"é\n\"","n":null,"t":[true,false]}`
	if got := JSON(v); got != want {
		t.Errorf("JSON = %s\nwant %s", got, want)
	}
	for _, bad := range []string{"", "{", `{"a"}`, "[1,]", "01x", `"\x"`, "tru", `{"a":1}x`} {
		if _, err := ParseString(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}

func TestJavaDouble(t *testing.T) {
	for f, want := range map[float64]string{
		1: "1.0", 0.5: "0.5", 1e7: "1.0E7", 1234567.5: "1234567.5", 0.001: "0.001", 0.0001: "1.0E-4",
		-2.5e-5: "-2.5E-5", 1.5e300: "1.5E300", 100: "100.0", 0: "0.0",
	} {
		if got := string(AppendJavaDouble(nil, f)); got != want {
			t.Errorf("AppendJavaDouble(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestMapOrderAfterMutation(t *testing.T) {
	m := NewMap(0)
	for i := 0; i < 20; i++ {
		m.Set(string(rune('a'+i)), int64(i))
	}
	m.Set("c", "x")
	m.Delete("b")
	if k, v := m.At(1); k != "c" || v != "x" {
		t.Errorf("At(1) = %s, %v", k, v)
	}
	if v, ok := m.Get("t"); !ok || v != int64(19) {
		t.Errorf("Get(t) = %v, %v", v, ok)
	}
}
