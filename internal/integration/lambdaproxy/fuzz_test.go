package lambdaproxy

import (
	"encoding/json"
	"net/http"
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
