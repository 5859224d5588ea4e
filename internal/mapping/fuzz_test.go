package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// echoInput has every value: lookups return "<kind:name>".
type echoInput struct{ body []byte }

func (echoInput) RequestHeader(n string) (string, bool)  { return "<h:" + n + ">", true }
func (echoInput) QueryString(n string) (string, bool)    { return "<q:" + n + ">", true }
func (echoInput) Path() string                           { return "/p" }
func (echoInput) PathParam(n string) (string, bool)      { return "<p:" + n + ">", true }
func (e echoInput) RequestBody() []byte                  { return e.body }
func (echoInput) ResponseHeader(n string) (string, bool) { return "<rh:" + n + ">", true }
func (e echoInput) ResponseBody() []byte                 { return e.body }
func (echoInput) Context(n string) (string, bool)        { return "<c:" + n + ">", true }
func (echoInput) StageVariable(n string) (string, bool)  { return "<s:" + n + ">", true }

var fuzzExprSeeds = []string{
	"", "static", "$", "$$", "${", "${}", "${foo}", "costs $5", "a}b",
	"$request.header.x", "${request.header.X-Id}", "$request.header.a$request.header.b",
	"$request.querystring.q", "$request.path", "$request.path.id", "$request.path.", "${request.path.name} ${request.path.id}",
	"$request.body", "$request.body.a", "${request.body.a[0]['b-c']}", `$request.body["it\"s"][12].x`,
	"$request.body..a", "$request.body.a[?(@.x)]", "$request.body.*", "$request.body.a[-1]", "$request.body[0:1]",
	"$response.header.x", "$response.body.a.b", "$context.requestId", "$context.authorizer.claims.sub.",
	"${stageVariables.env}", "$stageVariables.", "${request.header.x", "$request", "$request.foo",
}

// FuzzParseExpr: ParseExpr never panics; an error is a *SyntaxError with an
// offset inside the expression; a parsed expression prints as written,
// evaluates without panicking against any body, reports ok=false only with
// an empty result, and evaluates to itself if it has no references.
func FuzzParseExpr(f *testing.F) {
	for _, s := range fuzzExprSeeds {
		f.Add(s, false, []byte(evalBody))
		f.Add(s, true, []byte(`[1,{"a":"b"}]`))
	}
	f.Fuzz(func(t *testing.T, s string, response bool, body []byte) {
		side := Request
		if response {
			side = Response
		}
		e, err := ParseExpr(s, side)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(s) {
				t.Fatalf("ParseExpr(%q) error %#v: want a *SyntaxError with an offset in the expression", s, err)
			}
			return
		}
		if e.String() != s {
			t.Fatalf("ParseExpr(%q).String() = %q", s, e.String())
		}
		for _, in := range []Input{echoInput{body: body}, &fakeInput{body: body, respBody: body}, &fakeInput{}} {
			v, ok := e.Eval(in)
			if !ok && v != "" {
				t.Fatalf("Eval(%q) = %q, false: a missing result must be empty", s, v)
			}
			if text, static := e.static(); static && (v != s || text != s && text != "" || !ok) {
				t.Fatalf("Eval(%q) of static text = %q, %v", s, v, ok)
			}
		}
	})
}

// FuzzJSONIndex checks the body index against encoding/json: it accepts
// exactly what json.Valid accepts, and the root and its members evaluate to
// what encoding/json decodes.
func FuzzJSONIndex(f *testing.F) {
	for _, s := range []string{
		evalBody, `[]`, `{}`, `""`, `0`, `-0.0e-0`, `null`, `true`, ` [1, [2, [3]]] `, `{"a":1,"a":{"b":2}}`,
		`{"\u0061":"x","a":"y"}`, `"\ud800"`, `{"a":"\/"}`, `[1,]`, `{"a"}`, `01`, `1.`, `"\u12"`, "\"\x01\"", `[[[[`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxBodyPathBytes {
			return
		}
		var d jsonDoc
		d.index(data)
		if d.valid != json.Valid(data) {
			t.Fatalf("index(%q) valid = %v, json.Valid = %v", data, d.valid, !d.valid)
		}
		if !d.valid {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var root any
		if err := dec.Decode(&root); err != nil {
			t.Fatalf("Decode(%q): %v", data, err)
		}
		checkLookup(t, &d, nil, root)
		// Members and elements, up to 64 of them (a lookup is linear).
		switch v := root.(type) {
		case map[string]any:
			n := 0
			for k, mv := range v {
				if n++; n > 64 {
					break
				}
				if !strings.ContainsRune(k, utf8.RuneError) {
					checkLookup(t, &d, []step{{name: k, index: -1}}, mv)
				}
			}
		case []any:
			for i, av := range v[:min(len(v), 64)] {
				checkLookup(t, &d, []step{{index: i}}, av)
			}
		}
	})
}

func checkLookup(t *testing.T, d *jsonDoc, path []step, want any) {
	t.Helper()
	got, ok := d.lookup(path)
	switch w := want.(type) {
	case nil:
		if ok {
			t.Fatalf("lookup(%v) of null = %q, true", path, got)
		}
		return
	case string:
		if !utf8.ValidString(got) || strings.ContainsRune(w, utf8.RuneError) {
			return // encoding/json replaces invalid UTF-8; the index keeps bytes
		}
		if !ok || got != w {
			t.Fatalf("lookup(%v) = %q, %v; want %q", path, got, ok, w)
		}
		return
	case json.Number:
		if !ok || got != w.String() {
			t.Fatalf("lookup(%v) = %q, %v; want %q", path, got, ok, w)
		}
		return
	case bool:
		if !ok || got != map[bool]string{true: "true", false: "false"}[w] {
			t.Fatalf("lookup(%v) = %q, %v; want %v", path, got, ok, w)
		}
		return
	}
	if !ok {
		t.Fatalf("lookup(%v) of a container missing", path)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(got)); err != nil || compact.String() != got {
		t.Fatalf("lookup(%v) = %q, not compact JSON (%v)", path, got, err)
	}
	dec := json.NewDecoder(strings.NewReader(got))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || !reflect.DeepEqual(v, want) {
		t.Fatalf("lookup(%v) = %q decodes to %v (%v), want %v", path, got, v, err, want)
	}
}
