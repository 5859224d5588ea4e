package lambdaproxy

import (
	"errors"
	"net/http"
	"reflect"
	"testing"
)

func TestResponse20(t *testing.T) {
	for _, tc := range []struct {
		name, payload string
		status        int
		header        http.Header
		body          string
	}{
		{name: "json string is inferred", payload: `"Hello from Lambda!"`, status: 200,
			header: http.Header{"Content-Type": {"application/json"}}, body: "Hello from Lambda!"},
		{name: "object without statusCode is the body", payload: `{ "message": "Hello from Lambda!" }`, status: 200,
			header: http.Header{"Content-Type": {"application/json"}}, body: `{ "message": "Hello from Lambda!" }`},
		{name: "body and headers without statusCode are not unwrapped", payload: `{"body":"x","headers":{"a":"b"}}`, status: 200,
			header: http.Header{"Content-Type": {"application/json"}}, body: `{"body":"x","headers":{"a":"b"}}`},
		{name: "number", payload: `42`, status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: `42`},
		{name: "array", payload: `[1,2]`, status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: `[1,2]`},
		{name: "null", payload: `null`, status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: `null`},
		{name: "structured", payload: `{"statusCode":201,"headers":{"x-a":"1","x-n":7,"x-b":true},"body":"made"}`, status: 201,
			header: http.Header{"X-A": {"1"}, "X-N": {"7"}, "X-B": {"true"}}, body: "made"},
		{name: "cookies become set-cookie headers", payload: `{"statusCode":200,"cookies":["a=1; Path=/","b=2"]}`, status: 200,
			header: http.Header{"Set-Cookie": {"a=1; Path=/", "b=2"}}},
		{name: "multiValueHeaders win over headers", payload: `{"statusCode":200,"headers":{"x-m":"h","x-s":"s"},"multiValueHeaders":{"x-m":["1","2"]}}`,
			status: 200, header: http.Header{"X-M": {"1", "2"}, "X-S": {"s"}}},
		{name: "base64 body", payload: `{"statusCode":200,"isBase64Encoded":true,"body":"AAEC/w=="}`, status: 200,
			header: http.Header{}, body: "\x00\x01\x02\xff"},
		{name: "numeric string status", payload: `{"statusCode":"404"}`, status: 404, header: http.Header{}},
		{name: "framing headers are dropped", payload: `{"statusCode":200,"headers":{"content-length":"99","transfer-encoding":"chunked","x-ok":"1"},"body":"ab"}`,
			status: 200, header: http.Header{"X-Ok": {"1"}}, body: "ab"},
		{name: "invalid header names and values are dropped", payload: `{"statusCode":200,"headers":{"bad name":"1","x-nl":"a\r\nb","x-ok":"1"}}`,
			status: 200, header: http.Header{"X-Ok": {"1"}}},
		{name: "null members", payload: `{"statusCode":204,"headers":null,"body":null,"cookies":null,"isBase64Encoded":null}`,
			status: 204, header: http.Header{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := response20([]byte(tc.payload))
			if err != nil {
				t.Fatalf("response20(%s): %v", tc.payload, err)
			}
			if r.Status != tc.status || !reflect.DeepEqual(r.Header, tc.header) || string(r.Body) != tc.body {
				t.Errorf("response20(%s) = %d %v %q; want %d %v %q", tc.payload, r.Status, r.Header, r.Body, tc.status, tc.header, tc.body)
			}
		})
	}
}

func TestResponse10(t *testing.T) {
	r, err := response10([]byte(`{"statusCode":302,"headers":{"Location":"/x","X-A":"h"},"multiValueHeaders":{"X-A":["m1","m2"]},"body":"moved","isBase64Encoded":false,"cookies":["ignored=1"]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := http.Header{"Location": {"/x"}, "X-A": {"m1", "m2"}}
	if r.Status != 302 || !reflect.DeepEqual(r.Header, want) || string(r.Body) != "moved" {
		t.Errorf("response10 = %d %v %q", r.Status, r.Header, r.Body)
	}
	r, err = response10([]byte(`{"body":"no status"}`))
	if err != nil || r.Status != 200 || string(r.Body) != "no status" {
		t.Errorf("response10 without statusCode = %v, %v; want 200", r, err)
	}
}

func TestMalformedResponses(t *testing.T) {
	both := []string{
		``, `not json`, `{"statusCode":200`, `{"statusCode":"abc"}`, `{"statusCode":99}`, `{"statusCode":600}`,
		`{"statusCode":200.5}`, `{"statusCode":200,"body":{"a":1}}`, `{"statusCode":200,"headers":["a"]}`,
		`{"statusCode":200,"headers":{"a":{"b":1}}}`, `{"statusCode":200,"multiValueHeaders":{"a":"b"}}`,
		`{"statusCode":200,"isBase64Encoded":"yes"}`, `{"statusCode":200,"isBase64Encoded":true,"body":"!!"}`,
	}
	for _, p := range both {
		if _, err := response20([]byte(p)); !errors.Is(err, errMalformed) {
			t.Errorf("response20(%s) error = %v, want malformed", p, err)
		}
		if _, err := response10([]byte(p)); !errors.Is(err, errMalformed) {
			t.Errorf("response10(%s) error = %v, want malformed", p, err)
		}
	}
	if _, err := response20([]byte(`{"statusCode":200,"cookies":"a=1"}`)); !errors.Is(err, errMalformed) {
		t.Errorf("2.0 cookies not an array: %v", err)
	}
	for _, p := range []string{`"a string"`, `[1]`, `42`} {
		if _, err := response10([]byte(p)); !errors.Is(err, errMalformed) {
			t.Errorf("response10(%s) error = %v, want malformed (1.0 has no inference)", p, err)
		}
	}
}
