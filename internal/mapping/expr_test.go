package mapping

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// evalBody exercises the JSON path subset: nesting, arrays, names that need
// brackets, escapes, duplicates, every JSON type.
const evalBody = `{"name":"Rex","age":3,"price":-1.5e+2,"ok":true,"no":false,"nil":null,
 "owner":{ "id" : 7 , "tags" : [ "a", "b" ] },
 "list":[10,[20,21],{"k":"v"}],
 "x-y":"dash","it's":"quote","a.b":"dotted","a}b":"brace","a b":"space",
 "esc":"line\nbreak \u00e9 \ud83d\ude00 \"q\"",
 "k\u0065y":"escaped key",
 "dup":1,"dup":2,
 "empty":"","emptyObj":{},"html":"<a&b>","0":"zero-key"}`

func evalInput() *fakeInput {
	return &fakeInput{
		header: http.Header{
			"X-One":   {"1"},
			"X-Multi": {"a", "b"},
			"X-Empty": {""},
		},
		query:      []QueryParam{{"q", "1"}, {"q", "2"}, {"Q", "upper"}, {"empty", ""}},
		path:       "/pets/7",
		pathParams: map[string]string{"petId": "7", "name": "rex", "a.b-c_d": "odd"},
		body:       []byte(evalBody),
		respHeader: http.Header{"X-Backend": {"b1", "b2"}},
		respBody:   []byte(`{"id":"pet-7","items":[{"n":1}]}`),
		context: map[string]string{
			"requestId":             "req-1",
			"authorizer.claims.sub": "user-1",
			"a_b.c":                 "x",
			"empty":                 "",
		},
		stageVars: map[string]string{"env": "prod", "v_1": "one"},
	}
}

func TestEval(t *testing.T) {
	tests := []struct {
		name   string
		expr   string
		side   Side // Request unless set
		want   string
		wantOK bool
	}{
		// $request.header
		{name: "header", expr: "$request.header.x-one", want: "1", wantOK: true},
		{name: "header case-insensitive", expr: "$request.header.X-ONE", want: "1", wantOK: true},
		{name: "header braced", expr: "${request.header.x-one}", want: "1", wantOK: true},
		{name: "header repeated values comma-joined", expr: "$request.header.x-multi", want: "a,b", wantOK: true},
		{name: "header present but empty", expr: "$request.header.x-empty", want: "", wantOK: true},
		{name: "header missing", expr: "$request.header.x-nope", want: "", wantOK: false},
		{name: "header name takes token characters", expr: "$request.header.x-one+x", want: "", wantOK: false},
		{name: "header name ends at non-token", expr: "$request.header.x-one,$request.header.x-multi", want: "1,a,b", wantOK: true},

		// $request.querystring
		{name: "query repeated values comma-joined", expr: "$request.querystring.q", want: "1,2", wantOK: true},
		{name: "query case-sensitive", expr: "$request.querystring.Q", want: "upper", wantOK: true},
		{name: "query braced", expr: "${request.querystring.q}", want: "1,2", wantOK: true},
		{name: "query present but empty", expr: "$request.querystring.empty", want: "", wantOK: true},
		{name: "query missing", expr: "$request.querystring.nope", want: "", wantOK: false},

		// $request.path
		{name: "path", expr: "$request.path", want: "/pets/7", wantOK: true},
		{name: "path braced", expr: "${request.path}", want: "/pets/7", wantOK: true},
		{name: "path then text", expr: "$request.path/extra", want: "/pets/7/extra", wantOK: true},
		{name: "path then dot", expr: "$request.path.", want: "/pets/7.", wantOK: true},
		{name: "path parameter", expr: "$request.path.petId", want: "7", wantOK: true},
		{name: "path parameter braced", expr: "${request.path.petId}", want: "7", wantOK: true},
		{name: "path parameter with . _ -", expr: "${request.path.a.b-c_d}", want: "odd", wantOK: true},
		{name: "path parameter missing", expr: "$request.path.nope", want: "", wantOK: false},

		// $context and $stageVariables
		{name: "context", expr: "$context.requestId", want: "req-1", wantOK: true},
		{name: "context dotted name", expr: "$context.authorizer.claims.sub", want: "user-1", wantOK: true},
		{name: "context braced", expr: "${context.authorizer.claims.sub}", want: "user-1", wantOK: true},
		{name: "context underscore", expr: "$context.a_b.c", want: "x", wantOK: true},
		{name: "context trailing dot is text", expr: "id $context.requestId.", want: "id req-1.", wantOK: true},
		{name: "context name ends at dash", expr: "$context.requestId-x", want: "req-1-x", wantOK: true},
		{name: "context present but empty", expr: "$context.empty", want: "", wantOK: true},
		{name: "context missing", expr: "$context.nope", want: "", wantOK: false},
		{name: "stage variable", expr: "$stageVariables.env", want: "prod", wantOK: true},
		{name: "stage variable braced", expr: "${stageVariables.v_1}", want: "one", wantOK: true},
		{name: "stage variable missing", expr: "$stageVariables.nope", want: "", wantOK: false},
		{name: "context on response side", expr: "$context.requestId", side: Response, want: "req-1", wantOK: true},
		{name: "stage variable on response side", expr: "$stageVariables.env", side: Response, want: "prod", wantOK: true},

		// $response
		{name: "response header", expr: "$response.header.x-backend", side: Response, want: "b1,b2", wantOK: true},
		{name: "response header missing", expr: "$response.header.nope", side: Response, want: "", wantOK: false},
		{name: "response body", expr: "$response.body", side: Response, want: `{"id":"pet-7","items":[{"n":1}]}`, wantOK: true},
		{name: "response body path", expr: "$response.body.items[0].n", side: Response, want: "1", wantOK: true},
		{name: "response body path braced", expr: "${response.body.id}", side: Response, want: "pet-7", wantOK: true},

		// concatenation
		{name: "two braced references", expr: "${request.path.name} ${request.path.petId}", want: "rex 7", wantOK: true},
		{name: "text right after a reference", expr: "${request.path.name}-suffix", want: "rex-suffix", wantOK: true},
		{name: "unbraced name swallows the suffix", expr: "$request.path.name-suffix", want: "", wantOK: false},
		{name: "adjacent braced references", expr: "${context.requestId}${stageVariables.env}", want: "req-1prod", wantOK: true},
		{name: "text around references", expr: "<${request.header.x-one}|$stageVariables.env>", want: "<1|prod>", wantOK: true},
		{name: "many references", expr: "${context.requestId}/${context.requestId}/${context.requestId}/${context.requestId}/${context.requestId}/${context.requestId}/${context.requestId}/${context.requestId}/${context.requestId}",
			want: "req-1/req-1/req-1/req-1/req-1/req-1/req-1/req-1/req-1", wantOK: true},

		// missing values
		{name: "text plus missing reference", expr: "id-$request.header.nope", want: "id-", wantOK: true},
		{name: "all references missing", expr: "${request.header.nope}${context.nope}", want: "", wantOK: false},
		{name: "empty because one is missing", expr: "${request.header.x-empty}${context.nope}", want: "", wantOK: false},
		{name: "empty values present", expr: "${request.header.x-empty}${context.empty}", want: "", wantOK: true},
		{name: "one of two missing", expr: "${context.nope}${context.requestId}", want: "req-1", wantOK: true},

		// static text
		{name: "empty expression", expr: "", want: "", wantOK: true},
		{name: "plain text", expr: "hello", want: "hello", wantOK: true},
		{name: "dollar amount", expr: "costs $5", want: "costs $5", wantOK: true},
		{name: "unknown word", expr: "$foo.bar", want: "$foo.bar", wantOK: true},
		{name: "unknown braced word", expr: "${foo}", want: "${foo}", wantOK: true},
		{name: "empty braces", expr: "${}", want: "${}", wantOK: true},
		{name: "lone dollar", expr: "$", want: "$", wantOK: true},
		{name: "double dollar", expr: "$$request.path", want: "$/pets/7", wantOK: true},
		{name: "source words are case-sensitive", expr: "$Request.header.x", want: "$Request.header.x", wantOK: true},
		{name: "longer word", expr: "$request-id $requests", want: "$request-id $requests", wantOK: true},
		{name: "closing brace alone", expr: "a}b", want: "a}b", wantOK: true},

		// $request.body
		{name: "whole body", expr: "$request.body", want: evalBody, wantOK: true},
		{name: "whole body braced", expr: "${request.body}", want: evalBody, wantOK: true},
		{name: "whole body then dot", expr: "$request.body.", want: evalBody + ".", wantOK: true},
		{name: "string", expr: "$request.body.name", want: "Rex", wantOK: true},
		{name: "string braced", expr: "${request.body.name}", want: "Rex", wantOK: true},
		{name: "integer as JSON text", expr: "$request.body.age", want: "3", wantOK: true},
		{name: "number kept as written", expr: "$request.body.price", want: "-1.5e+2", wantOK: true},
		{name: "true", expr: "$request.body.ok", want: "true", wantOK: true},
		{name: "false", expr: "$request.body.no", want: "false", wantOK: true},
		{name: "null is missing", expr: "$request.body.nil", want: "", wantOK: false},
		{name: "absent member is missing", expr: "$request.body.nope", want: "", wantOK: false},
		{name: "object as compact JSON", expr: "$request.body.owner", want: `{"id":7,"tags":["a","b"]}`, wantOK: true},
		{name: "empty object", expr: "$request.body.emptyObj", want: `{}`, wantOK: true},
		{name: "empty string is present", expr: "$request.body.empty", want: "", wantOK: true},
		{name: "nested member", expr: "$request.body.owner.id", want: "7", wantOK: true},
		{name: "array index", expr: "$request.body.owner.tags[1]", want: "b", wantOK: true},
		{name: "array index zero", expr: "$request.body.list[0]", want: "10", wantOK: true},
		{name: "array as compact JSON", expr: "$request.body.list[1]", want: "[20,21]", wantOK: true},
		{name: "nested arrays", expr: "$request.body.list[1][1]", want: "21", wantOK: true},
		{name: "member of array element", expr: "$request.body.list[2].k", want: "v", wantOK: true},
		{name: "index out of range", expr: "$request.body.list[3]", want: "", wantOK: false},
		{name: "huge index", expr: "$request.body.list[9999999999]", want: "", wantOK: false},
		{name: "name on an array", expr: "$request.body.list.k", want: "", wantOK: false},
		{name: "index on an object", expr: "$request.body.owner[0]", want: "", wantOK: false},
		{name: "index on an object with a digit key", expr: "$request.body[0]", want: "", wantOK: false},
		{name: "digit key by name", expr: "$request.body['0']", want: "zero-key", wantOK: true},
		{name: "member of a string", expr: "$request.body.name.x", want: "", wantOK: false},
		{name: "dash in a dot name", expr: "$request.body.x-y", want: "dash", wantOK: true},
		{name: "bracket name", expr: "$request.body['x-y']", want: "dash", wantOK: true},
		{name: "double-quoted bracket name", expr: `$request.body["it's"]`, want: "quote", wantOK: true},
		{name: "escaped quote in bracket name", expr: `$request.body['it\'s']`, want: "quote", wantOK: true},
		{name: "dot in bracket name", expr: "$request.body['a.b']", want: "dotted", wantOK: true},
		{name: "space in bracket name", expr: "$request.body['a b']", want: "space", wantOK: true},
		{name: "brace in unbraced bracket name", expr: "$request.body['a}b']", want: "brace", wantOK: true},
		{name: "bracket after name", expr: "$request.body.owner['tags'][0]", want: "a", wantOK: true},
		{name: "string escapes decoded", expr: "$request.body.esc", want: "line\nbreak \u00e9 \U0001F600 \"q\"", wantOK: true},
		{name: "escaped key matches", expr: "$request.body.key", want: "escaped key", wantOK: true},
		{name: "duplicate key: last wins", expr: "$request.body.dup", want: "2", wantOK: true},
		{name: "no HTML escaping", expr: "$request.body.html", want: "<a&b>", wantOK: true},
		{name: "path ends at other text", expr: "[$request.body.owner.id]", want: "[7]", wantOK: true},
		{name: "path then sentence dot", expr: "id $request.body.owner.id.", want: "id 7.", wantOK: true},
		{name: "path mixed with text", expr: "${request.body.name}/${request.body.owner.tags[0]}", want: "Rex/a", wantOK: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			side := tc.side
			if side == 0 {
				side = Request
			}
			e, err := ParseExpr(tc.expr, side)
			if err != nil {
				t.Fatalf("ParseExpr(%q, %v): %v", tc.expr, side, err)
			}
			if e.String() != tc.expr {
				t.Errorf("String() = %q, want %q", e.String(), tc.expr)
			}
			got, ok := e.Eval(evalInput())
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("Eval(%q) = %q, %v; want %q, %v", tc.expr, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestEvalBodies(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		expr   string
		want   string
		wantOK bool
	}{
		{name: "top-level array", body: `["a",{"b":[1,2]}]`, expr: "$request.body[1].b[1]", want: "2", wantOK: true},
		{name: "top-level string", body: `"just text"`, expr: "$request.body.x", want: "", wantOK: false},
		{name: "whitespace around document", body: " \n\t{\"a\" : 1}\r\n ", expr: "$request.body.a", want: "1", wantOK: true},
		{name: "invalid JSON: path missing", body: `{"a":1,}`, expr: "$request.body.a", want: "", wantOK: false},
		{name: "invalid JSON: whole body present", body: `{"a":1,}`, expr: "$request.body", want: `{"a":1,}`, wantOK: true},
		{name: "not JSON at all", body: `a=1&b=2`, expr: "$request.body.a", want: "", wantOK: false},
		{name: "two documents", body: `{"a":1} {"a":2}`, expr: "$request.body.a", want: "", wantOK: false},
		{name: "empty body: whole missing", body: "", expr: "$request.body", want: "", wantOK: false},
		{name: "empty body: path missing", body: "", expr: "$request.body.a", want: "", wantOK: false},
		{name: "nested object compacted", body: "{\"o\": {\"z\": [1, {\"y\" : null}], \"a\": \"s p\"}}", expr: "$request.body.o",
			want: `{"z":[1,{"y":null}],"a":"s p"}`, wantOK: true},
		{name: "escapes kept in compact JSON", body: `{"o":{"s":"a\"b\u00e9"}}`, expr: "$request.body.o", want: `{"s":"a\"b\u00e9"}`, wantOK: true},
		{name: "bad escape is invalid", body: `{"a":"\x"}`, expr: "$request.body.a", want: "", wantOK: false},
		{name: "raw control character is invalid", body: "{\"a\":\"x\ty\"}", expr: "$request.body.a", want: "", wantOK: false},
		{name: "leading zero is invalid", body: `{"a":01}`, expr: "$request.body.a", want: "", wantOK: false},
		{name: "non-UTF-8 bytes kept", body: "{\"a\":\"\xff\"}", expr: "$request.body.a", want: "\xff", wantOK: true},
		{name: "escaped slash", body: `{"a":"x\/y"}`, expr: "$request.body.a", want: "x/y", wantOK: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := ParseExpr(tc.expr, Request)
			if err != nil {
				t.Fatalf("ParseExpr(%q): %v", tc.expr, err)
			}
			got, ok := e.Eval(&fakeInput{body: []byte(tc.body)})
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("Eval(%q) on %q = %q, %v; want %q, %v", tc.expr, tc.body, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

// paddedBody returns {"pad":"xxx…","b":1} of exactly n bytes.
func paddedBody(n int) string {
	const head, tail = `{"pad":"`, `","b":1}`
	return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
}

// TestEvalBodyTruncation checks the 100 KB cut [DG:http-api-parameter-mapping
// "API Gateway truncates the request body at 100 KB and then applies the
// selection expression"] at its exact boundary, 102400 bytes.
func TestEvalBodyTruncation(t *testing.T) {
	if maxBodyPathBytes != 102400 {
		t.Fatalf("maxBodyPathBytes = %d, want 102400", maxBodyPathBytes)
	}
	tests := []struct {
		name   string
		body   string
		expr   string
		want   string
		wantOK bool
	}{
		{name: "exactly 102400 bytes: whole document", body: paddedBody(102400), expr: "$request.body.b", want: "1", wantOK: true},
		{name: "102401 bytes: cut inside the document", body: paddedBody(102401), expr: "$request.body.b", want: "", wantOK: false},
		{name: "cut only drops trailing whitespace", body: paddedBody(102400) + "\n\n", expr: "$request.body.b", want: "1", wantOK: true},
		{name: "member before the cut, document cut", body: `{"b":1,"pad":"` + strings.Repeat("x", 102400) + `"}`, expr: "$request.body.b", want: "", wantOK: false},
		{name: "whole body is not cut", body: paddedBody(102401), expr: "$request.body", want: paddedBody(102401), wantOK: true},
		{name: "response body cut alike", body: paddedBody(102401), expr: "$response.body.b", want: "", wantOK: false},
		{name: "response body at the limit", body: paddedBody(102400), expr: "$response.body.b", want: "1", wantOK: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			side := Request
			if strings.HasPrefix(tc.expr, "$response") {
				side = Response
			}
			e, err := ParseExpr(tc.expr, side)
			if err != nil {
				t.Fatal(err)
			}
			in := &fakeInput{body: []byte(tc.body), respBody: []byte(tc.body)}
			got, ok := e.Eval(in)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("Eval(%q) on %d bytes = %s, %v; want %s, %v", tc.expr, len(tc.body), show(got), ok, show(tc.want), tc.wantOK)
			}
		})
	}
}

func TestParseExprErrors(t *testing.T) {
	tests := []struct {
		name string
		expr string
		side Side // Request unless set
		want string
	}{
		{name: "unterminated brace", expr: "a ${request.header.x", want: `"${" without "}" at offset 2`},
		{name: "unterminated unknown brace", expr: "${foo", want: `"${" without "}"`},
		{name: "response reference in request", expr: "$response.header.x", want: "$response references are not allowed in request parameters"},
		{name: "request reference in response", expr: "x ${request.path}", side: Response, want: "$request references are not allowed in response parameters at offset 4"},
		{name: "source without dot", expr: "$request", want: `expected "." after "request"`},
		{name: "source then space", expr: "$context x", want: `expected "." after "context"`},
		{name: "unknown request source", expr: "$request.cookie.x", want: `unknown source "request.cookie"`},
		{name: "request source case-sensitive", expr: "$request.Header.x", want: `unknown source "request.Header"`},
		{name: "querystring on response", expr: "$response.querystring.x", side: Response, want: `unknown source "response.querystring"`},
		{name: "path on response", expr: "$response.path", side: Response, want: `unknown source "response.path"`},
		{name: "header without name", expr: "$request.header", want: `missing name after "request.header"`},
		{name: "header with empty name", expr: "$request.header.", want: `missing name after "request.header."`},
		{name: "braced header name with space", expr: "${request.header.x y}", want: `unexpected " y" in ${...}`},
		{name: "braced context with dash", expr: "${context.a-b}", want: `unexpected "-b" in ${...}`},
		{name: "context without name", expr: "$context.", want: `missing variable name after "context."`},
		{name: "stage variable without name", expr: "${stageVariables.}", want: `missing variable name after "stageVariables."`},
		{name: "braced path trailing dot", expr: "${request.path.}", want: `unexpected "." after "request.path"`},
		{name: "braced body trailing dot", expr: "${request.body.a.}", want: `missing name after "."`},
		{name: "recursive descent", expr: "$request.body..name", want: "recursive descent (..) is not supported at offset 13"},
		{name: "recursive descent deeper", expr: "$response.body.a..b", side: Response, want: "recursive descent (..) is not supported"},
		{name: "filter", expr: "$request.body.a[?(@.b == 1)]", want: "filter expressions (?()) are not supported"},
		{name: "dot wildcard", expr: "$request.body.*", want: "wildcards (*) are not supported"},
		{name: "bracket wildcard", expr: "$request.body.a[*]", want: "wildcards (*) are not supported"},
		{name: "negative index", expr: "$request.body.a[-1]", want: "negative array indexes are not supported"},
		{name: "slice", expr: "$request.body.a[0:2]", want: "slices ([a:b]) are not supported"},
		{name: "open slice", expr: "$request.body.a[:2]", want: "slices ([a:b]) are not supported"},
		{name: "name union", expr: "$request.body['a','b']", want: "unions ([a,b]) are not supported"},
		{name: "index union", expr: "$request.body[0,1]", want: "unions ([a,b]) are not supported"},
		{name: "script", expr: "$request.body.a[(@.length-1)]", want: "script expressions (()) are not supported"},
		{name: "unquoted bracket name", expr: "$request.body[a]", want: `expected a quoted name or an index after "["`},
		{name: "unterminated quoted name", expr: "$request.body['a", want: "unterminated quoted name"},
		{name: "unterminated bracket", expr: "$request.body[0", want: `"[" without "]"`},
		{name: "bracket at end", expr: "$request.body[", want: `"[" without "]"`},
		{name: "quoted name without bracket", expr: "$request.body['a'x", want: `expected "]"`},
		{name: "dot before bracket", expr: "$request.body.a.[0]", want: `unexpected "[" after "."`},
		{name: "index too large", expr: "$request.body[99999999999999999999]", want: "array index out of range"},
		{name: "brace inside braced bracket name", expr: "${request.body['a}b']}", want: "unterminated quoted name"},
		{name: "invalid side", expr: "x", side: 9, want: "invalid side Side(9)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			side := tc.side
			if side == 0 {
				side = Request
			}
			e, err := ParseExpr(tc.expr, side)
			if err == nil {
				t.Fatalf("ParseExpr(%q, %v) = %+v, want error containing %q", tc.expr, side, e.parts, tc.want)
			}
			var se *SyntaxError
			if !errors.As(err, &se) || se.Expr != tc.expr {
				t.Errorf("ParseExpr(%q) error %T %v, want *SyntaxError for the expression", tc.expr, err, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseExpr(%q, %v) error = %q, want it to contain %q", tc.expr, side, err, tc.want)
			}
		})
	}
}

// TestParseExprParts checks how text is split into static text and
// references.
func TestParseExprParts(t *testing.T) {
	tests := []struct {
		expr string
		want []part
	}{
		{"", nil},
		{"a$5b", []part{{src: srcStatic, text: "a$5b"}}},
		{"${foo}$request.path", []part{{src: srcStatic, text: "${foo}"}, {src: srcRequestPath}}},
		{"x${request.header.a}y", []part{{src: srcStatic, text: "x"}, {src: srcRequestHeader, text: "a"}, {src: srcStatic, text: "y"}}},
		{"$request.header.a.", []part{{src: srcRequestHeader, text: "a"}, {src: srcStatic, text: "."}}},
		{"$request.querystring.a$b", []part{{src: srcQueryString, text: "a$b"}}},
		{"$request.body['a'][2].c", []part{{src: srcRequestBodyPath, path: []step{{name: "a", index: -1}, {index: 2}, {name: "c", index: -1}}}}},
	}
	for _, tc := range tests {
		e, err := ParseExpr(tc.expr, Request)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tc.expr, err)
			continue
		}
		if !partsEqual(e.parts, tc.want) {
			t.Errorf("ParseExpr(%q) parts = %+v, want %+v", tc.expr, e.parts, tc.want)
		}
	}
}

func partsEqual(a, b []part) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].src != b[i].src || a[i].text != b[i].text || len(a[i].path) != len(b[i].path) {
			return false
		}
		for j := range a[i].path {
			if a[i].path[j] != b[i].path[j] {
				return false
			}
		}
	}
	return true
}
