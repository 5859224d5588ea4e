package lambdaproxy

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

// FuzzResponse checks that any function output is either a response with a
// valid status and writable headers or a malformed-response error, never a
// panic.
func FuzzResponse(f *testing.F) {
	for _, s := range []string{`"hi"`, `{"statusCode":200,"body":"x"}`, `{"statusCode":"301","headers":{"location":"/"}}`,
		`{"statusCode":200,"multiValueHeaders":{"a":["1",2,true,null]},"cookies":["c=1"]}`, `{"statusCode":200,"isBase64Encoded":true,"body":"AA=="}`,
		`[1,2]`, `null`, `{`, ``, `{"statusCode":1e3}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		for _, parse := range []func([]byte) (*exchange.Response, error){response20, response10} {
			r, err := parse(payload)
			if err != nil {
				continue
			}
			if r.Status < 100 || r.Status > 599 {
				t.Fatalf("status %d from %q", r.Status, payload)
			}
			for k, vs := range r.Header {
				for _, v := range vs {
					if !validHeader(k, v) {
						t.Fatalf("unwritable header %q: %q from %q", k, v, payload)
					}
				}
			}
		}
	})
}

// FuzzEvent builds events from arbitrary request parts: the result must be
// valid JSON whatever the bytes.
func FuzzEvent(f *testing.F) {
	f.Add("/prod/a%20b", "a=1&a=2&b", "application/json", "c=1; d", []byte(`{"x":1}`))
	f.Add("/%zz", "%zz=%", "", "", []byte{0xff, 0})
	f.Fuzz(func(t *testing.T, rawPath, rawQuery, contentType, cookie string, body []byte) {
		h := http.Header{}
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		if cookie != "" {
			h.Set("Cookie", cookie)
		}
		x := &exchange.Exchange{Req: exchange.Request{Method: "POST", RawPath: rawPath, RawQuery: rawQuery, Proto: "HTTP/1.1",
			Host: "h", Header: h, Body: body}, Start: time.Unix(0, 0), RouteKey: "$default"}
		for _, ev := range [][]byte{testEvent20(x, "1"), testEvent10(x, "1")} {
			if !json.Valid(ev) {
				t.Fatalf("invalid JSON event for %q %q: %s", rawPath, rawQuery, ev)
			}
		}
	})
}

// FuzzParseURI checks that a URI either parses to an ARN that parses back to
// itself or is refused; never a panic.
func FuzzParseURI(f *testing.F) {
	f.Add("arn:aws:lambda:us-east-1:123456789012:function:f:live")
	f.Add("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations")
	f.Fuzz(func(t *testing.T, uri string) {
		tg, err := ParseURI(uri)
		if err != nil {
			return
		}
		again, err := ParseURI(tg.ARN)
		if err != nil || again.ARN != tg.ARN || !strings.Contains(tg.ARN, ":function:") {
			t.Fatalf("ParseURI(%q) = %+v, but its ARN parses to %+v, %v", uri, tg, again, err)
		}
	})
}

// FuzzResponseMatchesReference checks the scanning decoder of function
// output against the map-based one it replaced (refresponse_test.go): the
// same status, headers and body, or both malformed.
func FuzzResponseMatchesReference(f *testing.F) {
	for _, s := range []string{
		`"hi"`, `" spaced "`, `"esc\"aped\u00e9\n"`, "\"\xff\"", `{"statusCode":200,"body":"x"}`, ` { "statusCode" : 201 , "body" : "a\tb" } `,
		`{"statusCode":"301","headers":{"location":"/"}}`, `{"statusCode":200,"multiValueHeaders":{"a":["1",2,true,null]},"cookies":["c=1",null]}`,
		`{"statusCode":200,"isBase64Encoded":true,"body":"AA=="}`, `{"statusCode":200,"isBase64Encoded":false,"body":"AA=="}`,
		`[1,2]`, `null`, `{`, ``, `{"statusCode":1e3}`, `{"statusCode":200.0}`, `{"statusCode":-200}`, `{"statusCode":"0200"}`,
		`{"\u0073tatusCode":200,"b\u006fdy":"k"}`, `{"statusCode":500,"statusCode":200}`, `{"body":"x","body":null,"statusCode":200}`,
		`{"statusCode":200,"headers":{"a":{},"a":"x"}}`, `{"statusCode":200,"headers":{"a":"1","b":[1]}}`,
		`{"statusCode":200,"multiValueHeaders":{"a":"x","a":["1"]}}`, `{"statusCode":200,"multiValueHeaders":{"a":[{}],"a":["1"]}}`,
		`{"statusCode":200,"multiValueHeaders":{"a":null,"b":[]},"headers":{"a":"h","b":"h"}}`,
		`{"statusCode":200,"cookies":["a",1]}`, `{"statusCode":200,"cookies":{}}`, `{"statusCode":200,"headers":"x"}`,
		`{"statusCode":200,"headers":{"x":"` + "\xff\xfe" + `","y":"\ud800"}}`, `{"statusCode":200,"body":"\u0000"}`,
		`{"statusCode":200,"isBase64Encoded":1}`, `{"statusCode":200,"nested":{"body":"no","a":[{"b":"]}"}]},"body":"yes"}`,
		`{"statusCode":200,"headers":{"content-length":"5","Connection":"close","x":1.5e3}}`, `{}`, `{"a":1}`, `42`, `true`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		for _, c := range []struct {
			name      string
			got, want func([]byte) (*exchange.Response, error)
		}{{"response20", response20, refResponse20}, {"response10", response10, refResponse10}} {
			got, gerr := c.got(payload)
			want, werr := c.want(payload)
			if (gerr != nil) != (werr != nil) || gerr != nil && !errors.Is(gerr, errMalformed) {
				t.Fatalf("%s(%q) error = %v, reference %v", c.name, payload, gerr, werr)
			}
			if gerr != nil {
				continue
			}
			if got.Status != want.Status || string(got.Body) != string(want.Body) || (got.Body == nil) != (want.Body == nil) {
				t.Fatalf("%s(%q) = %d %q, reference %d %q", c.name, payload, got.Status, got.Body, want.Status, want.Body)
			}
			if !headerNamesCollide(payload) && !reflect.DeepEqual(got.Header, want.Header) {
				t.Fatalf("%s(%q) headers = %v, reference %v", c.name, payload, got.Header, want.Header)
			}
		}
	})
}

// headerNamesCollide reports whether two different keys of headers (or of
// multiValueHeaders) name the same header: the reference applied them in
// map order, so its result is not deterministic.
func headerNamesCollide(payload []byte) bool {
	var out struct {
		Headers           map[string]json.RawMessage `json:"headers"`
		MultiValueHeaders map[string]json.RawMessage `json:"multiValueHeaders"`
	}
	json.Unmarshal(payload, &out)
	for _, m := range []map[string]json.RawMessage{out.Headers, out.MultiValueHeaders} {
		seen := map[string]bool{}
		for k := range m {
			ck := http.CanonicalHeaderKey(k)
			if seen[ck] {
				return true
			}
			seen[ck] = true
		}
	}
	return false
}
