package lambdaproxy

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

// sampleExchange is a POST through a named stage with every kind of input:
// repeated headers and query parameters, two Cookie headers, path parameters
// and stage variables.
func sampleExchange() *exchange.Exchange {
	h := http.Header{}
	h.Add("Content-Type", "application/json")
	h.Add("User-Agent", "tester/1.0")
	h.Add("X-Multi", "a")
	h.Add("X-Multi", "b")
	h.Add("Cookie", "c1=v1; c2=v2")
	h.Add("Cookie", "c3=v3")
	h.Add("X-Forwarded-For", "198.51.100.7")
	h.Add("X-Amzn-Trace-Id", "Root=1-00000000-000000000000000000000001")
	return &exchange.Exchange{
		Req: exchange.Request{Method: "POST", RawPath: "/prod/pets/caf%C3%A9/toys", Path: "/pets/caf%C3%A9/toys",
			RawQuery: "a=1&a=2&b=x%20y&flag", Proto: "HTTP/1.1", Host: "abc123.execute-api.us-east-1.amazonaws.com",
			Header: h, Body: []byte(`{"hello":"wörld"}`), SourceIP: "192.0.2.10"},
		RequestID: "req-1", Start: time.Date(2026, 3, 4, 19, 15, 17, 135e6, time.UTC),
		Region: "us-east-1", APIID: "abc123", Stage: "prod",
		DomainName: "abc123.execute-api.us-east-1.amazonaws.com", DomainPrefix: "abc123",
		RouteKey:       "POST /pets/{name}/toys",
		PathParams:     map[string]string{"name": "café"},
		RawPathParams:  map[string]string{"name": "caf%C3%A9"},
		StageVariables: map[string]string{"env": "test"},
	}
}

func TestEvent20DecodesIntoAWSLambdaGo(t *testing.T) {
	raw := testEvent20(sampleExchange(), "123456789012")
	if !json.Valid(raw) {
		t.Fatalf("event20 is not JSON: %s", raw)
	}
	var ev events.APIGatewayV2HTTPRequest
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&ev); err != nil {
		t.Fatal(err)
	}
	want := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "POST /pets/{name}/toys", RawPath: "/prod/pets/café/toys",
		RawQueryString: "a=1&a=2&b=x%20y&flag",
		Cookies:        []string{"c1=v1", "c2=v2", "c3=v3"},
		Headers: map[string]string{"content-type": "application/json", "user-agent": "tester/1.0", "x-multi": "a,b",
			"host": "abc123.execute-api.us-east-1.amazonaws.com", "x-forwarded-for": "198.51.100.7, 192.0.2.10",
			"x-forwarded-port": "80", "x-forwarded-proto": "http", "x-amzn-trace-id": "Root=1-00000000-000000000000000000000001"},
		QueryStringParameters: map[string]string{"a": "1,2", "b": "x y", "flag": ""},
		PathParameters:        map[string]string{"name": "café"},
		StageVariables:        map[string]string{"env": "test"},
		Body:                  `{"hello":"wörld"}`,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: "POST /pets/{name}/toys", AccountID: "123456789012", Stage: "prod", RequestID: "req-1",
			APIID: "abc123", DomainName: "abc123.execute-api.us-east-1.amazonaws.com", DomainPrefix: "abc123",
			Time: "04/Mar/2026:19:15:17 +0000", TimeEpoch: 1772651717135,
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/prod/pets/café/toys",
				Protocol: "HTTP/1.1", SourceIP: "192.0.2.10", UserAgent: "tester/1.0"},
		},
	}
	if !reflect.DeepEqual(ev, want) {
		t.Errorf("event20 decoded =\n%+v\nwant\n%+v", ev, want)
	}
	// Every key we send is a field aws-lambda-go knows.
	assertKnownKeys(t, raw, reflect.TypeOf(want))
}

func TestEvent10DecodesIntoAWSLambdaGo(t *testing.T) {
	raw := testEvent10(sampleExchange(), "123456789012")
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	host := "abc123.execute-api.us-east-1.amazonaws.com"
	want := events.APIGatewayProxyRequest{
		Resource: "/pets/{name}/toys", Path: "/prod/pets/café/toys", HTTPMethod: "POST",
		Headers: map[string]string{"content-type": "application/json", "user-agent": "tester/1.0", "x-multi": "b",
			"cookie": "c3=v3", "host": host, "x-forwarded-for": "198.51.100.7, 192.0.2.10", "x-forwarded-port": "80",
			"x-forwarded-proto": "http", "x-amzn-trace-id": "Root=1-00000000-000000000000000000000001"},
		MultiValueHeaders: map[string][]string{"content-type": {"application/json"}, "user-agent": {"tester/1.0"},
			"x-multi": {"a", "b"}, "cookie": {"c1=v1; c2=v2", "c3=v3"}, "host": {host},
			"x-forwarded-for": {"198.51.100.7, 192.0.2.10"}, "x-forwarded-port": {"80"}, "x-forwarded-proto": {"http"},
			"x-amzn-trace-id": {"Root=1-00000000-000000000000000000000001"}},
		QueryStringParameters:           map[string]string{"a": "2", "b": "x y", "flag": ""},
		MultiValueQueryStringParameters: map[string][]string{"a": {"1", "2"}, "b": {"x y"}, "flag": {""}},
		PathParameters:                  map[string]string{"name": "café"},
		StageVariables:                  map[string]string{"env": "test"},
		Body:                            `{"hello":"wörld"}`,
		RequestContext: events.APIGatewayProxyRequestContext{
			AccountID: "123456789012", ResourceID: "POST /pets/{name}/toys", Stage: "prod", DomainName: host,
			DomainPrefix: "abc123", RequestID: "req-1", ExtendedRequestID: "req-1", Protocol: "HTTP/1.1",
			Identity:     events.APIGatewayRequestIdentity{SourceIP: "192.0.2.10", UserAgent: "tester/1.0"},
			ResourcePath: "/pets/{name}/toys", Path: "/prod/pets/café/toys", HTTPMethod: "POST",
			RequestTime: "04/Mar/2026:19:15:17 +0000", RequestTimeEpoch: 1772651717135, APIID: "abc123",
		},
	}
	if !reflect.DeepEqual(ev, want) {
		t.Errorf("event10 decoded =\n%+v\nwant\n%+v", ev, want)
	}
	// aws-lambda-go's REST-shaped type has no field for the two keys HTTP
	// APIs add to 1.0 events.
	assertKnownKeys(t, raw, reflect.TypeOf(want), "version", "requestContext.identity.principalOrgId")
}

func TestEventsOmitAbsentFields(t *testing.T) {
	x := &exchange.Exchange{
		Req:       exchange.Request{Method: "GET", RawPath: "/", Path: "/", Proto: "HTTP/1.1", Host: "h", Header: http.Header{}, SourceIP: "127.0.0.1"},
		RequestID: "r", Start: time.Unix(0, 0).UTC(), APIID: "a", Stage: "$default", RouteKey: "$default",
	}
	var v2 map[string]any
	if err := json.Unmarshal(testEvent20(x, "000000000000"), &v2); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"cookies", "queryStringParameters", "pathParameters", "stageVariables", "body"} {
		if _, ok := v2[k]; ok {
			t.Errorf("2.0: %s present without a value: %v", k, v2[k])
		}
	}
	if v2["isBase64Encoded"] != false || v2["rawQueryString"] != "" {
		t.Errorf("2.0: isBase64Encoded %v, rawQueryString %q", v2["isBase64Encoded"], v2["rawQueryString"])
	}
	var v1 map[string]any
	if err := json.Unmarshal(testEvent10(x, "000000000000"), &v1); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables", "body"} {
		if v, ok := v1[k]; !ok || v != nil {
			t.Errorf("1.0: %s = %v (present %v), want null", k, v, ok)
		}
	}
	if v1["resource"] != "$default" || v1["isBase64Encoded"] != false {
		t.Errorf("1.0: resource %v, isBase64Encoded %v", v1["resource"], v1["isBase64Encoded"])
	}
}

func TestEventKeyOrder(t *testing.T) {
	raw := testEvent20(sampleExchange(), "123456789012")
	wantOrder := []string{"version", "routeKey", "rawPath", "rawQueryString", "cookies", "headers",
		"queryStringParameters", "requestContext", "body", "pathParameters", "isBase64Encoded", "stageVariables"}
	if got := topKeys(t, raw); !reflect.DeepEqual(got, wantOrder) {
		t.Errorf("2.0 key order %v, want %v", got, wantOrder)
	}
	raw = testEvent10(sampleExchange(), "123456789012")
	wantOrder = []string{"version", "resource", "path", "httpMethod", "headers", "multiValueHeaders",
		"queryStringParameters", "multiValueQueryStringParameters", "requestContext", "pathParameters",
		"stageVariables", "body", "isBase64Encoded"}
	if got := topKeys(t, raw); !reflect.DeepEqual(got, wantOrder) {
		t.Errorf("1.0 key order %v, want %v", got, wantOrder)
	}
}

func TestBodyEncoding(t *testing.T) {
	for _, tc := range []struct {
		name, contentType string
		body              []byte
		want              string
		b64               bool
	}{
		{name: "json", contentType: "application/json; charset=utf-8", body: []byte(`{"a":1}`), want: `{"a":1}`},
		{name: "text", contentType: "text/plain", body: []byte("hi"), want: "hi"},
		{name: "text uppercase", contentType: "Text/HTML", body: []byte("<p>"), want: "<p>"},
		{name: "xml", contentType: "application/xml", body: []byte("<a/>"), want: "<a/>"},
		{name: "javascript", contentType: "application/javascript", body: []byte("f()"), want: "f()"},
		{name: "form is binary", contentType: "application/x-www-form-urlencoded", body: []byte("a=1"), want: "YT0x", b64: true},
		{name: "no content type", body: []byte("hi"), want: "aGk=", b64: true},
		{name: "octet-stream", contentType: "application/octet-stream", body: []byte{0, 1, 2}, want: "AAEC", b64: true},
		{name: "json suffix is binary", contentType: "application/vnd.api+json", body: []byte("{}"), want: "e30=", b64: true},
		{name: "invalid utf-8 text", contentType: "text/plain", body: []byte{0xff, 'a'}, want: "/2E=", b64: true},
		{name: "empty", contentType: "application/octet-stream"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := &exchange.Exchange{Req: exchange.Request{Header: http.Header{}, Body: tc.body}}
			if tc.contentType != "" {
				x.Req.Header.Set("Content-Type", tc.contentType)
			}
			got, b64 := body(x, x.Req.Header)
			if got != tc.want || b64 != tc.b64 {
				t.Errorf("body(%q, %q) = %q, %v; want %q, %v", tc.contentType, tc.body, got, b64, tc.want, tc.b64)
			}
		})
	}
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote\back`, "ctl\x00\x01\x1f\n\r\t", "ünï©ødé ✓", "bad\xffutf8\xc3", "<&>\u2028"} {
		got := appendString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("appendString(%q) = %s: not JSON: %v", s, got, err)
		}
		want, _ := json.Marshal(s)
		var wantBack string
		json.Unmarshal(want, &wantBack)
		if back != wantBack {
			t.Errorf("appendString(%q) decodes to %q, encoding/json gives %q", s, back, wantBack)
		}
	}
}

func topKeys(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// assertKnownKeys fails for any object key in raw that the aws-lambda-go type
// has no field for (encoding/json would silently drop it), walking nested
// structs; maps accept any key.
func assertKnownKeys(t *testing.T, raw []byte, typ reflect.Type, except ...string) {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	walkKeys(t, "", v, typ, except)
}

func walkKeys(t *testing.T, path string, v any, typ reflect.Type, except []string) {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	obj, ok := v.(map[string]any)
	if !ok || typ.Kind() != reflect.Struct {
		return
	}
	fields := map[string]reflect.Type{}
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name, _, _ := bytes.Cut([]byte(f.Tag.Get("json")), []byte(","))
		fields[string(name)] = f.Type
	}
	for k, sub := range obj {
		ft, ok := fields[k]
		if !ok && slices.Contains(except, path+k) {
			continue
		}
		if !ok {
			t.Errorf("key %s%s has no field in %s", path, k, typ)
			continue
		}
		walkKeys(t, path+k+".", sub, ft, except)
	}
}

// testEvent20 and testEvent10 build events for an exchange without request mapping.
func testEvent20(x *exchange.Exchange, accountID string) []byte {
	in := newInbound(x, nil, accountID)
	return event20(x, &in, accountID)
}

func testEvent10(x *exchange.Exchange, accountID string) []byte {
	in := newInbound(x, nil, accountID)
	return event10(x, &in, accountID)
}

func TestTraceIDShape(t *testing.T) {
	x := &exchange.Exchange{Start: time.Unix(0x5e9f0c65, 0)}
	id := traceID(x)
	if len(id) != len("Root=1-5e9f0c65-1de4d666d4dd26aced652b6c") || !strings.HasPrefix(id, "Root=1-5e9f0c65-") || strings.Trim(id[16:], "0123456789abcdef") != "" {
		t.Errorf("traceID = %q", id)
	}
	if traceID(x) == id {
		t.Errorf("two trace ids are equal: %q", id)
	}
}
