package lambdaproxy

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/mapping"
)

func TestRequestAndResponseMapping(t *testing.T) {
	req, err := mapping.CompileRequest(map[string]string{
		"overwrite:header.x-multi": "$request.path.name",
		"append:header.x-added":    "$stageVariables.env",
		"remove:header.user-agent": "''",
		"append:querystring.extra": "two words",
		"remove:querystring.a":     "''",
		"overwrite:path":           "/rewritten/$request.path.name",
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := mapping.CompileResponse(map[string]map[string]string{
		"201": {"overwrite:statuscode": "202", "append:header.x-fn": "$response.header.x-from-fn", "remove:header.x-secret": "''"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got *lambda.Invocation
	p, err := New(Config{URI: testARN, PayloadFormat: Format20, Request: req, Response: resp,
		Invoker: invokerFunc(func(_ context.Context, in *lambda.Invocation) (*lambda.Result, error) {
			got = in
			return &lambda.Result{Payload: []byte(`{"statusCode":201,"headers":{"x-from-fn":"v","x-secret":"s"},"body":"b"}`)}, nil
		})})
	if err != nil {
		t.Fatal(err)
	}
	x := sampleExchange()
	before := x.Req.Header.Clone()
	r, err := p.Invoke(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != 202 || r.Header.Get("X-Fn") != "v" || r.Header.Get("X-Secret") != "" || r.Header.Get("X-From-Fn") != "v" {
		t.Errorf("mapped response %d %v", r.Status, r.Header)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(got.Payload, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Headers["x-multi"] != "café" || ev.Headers["x-added"] != "test" || ev.Headers["user-agent"] != "" {
		t.Errorf("mapped headers %v", ev.Headers)
	}
	if ev.RawQueryString != "b=x+y&flag=&extra=two+words" ||
		!reflect.DeepEqual(ev.QueryStringParameters, map[string]string{"b": "x y", "flag": "", "extra": "two words"}) {
		t.Errorf("mapped query %q %v", ev.RawQueryString, ev.QueryStringParameters)
	}
	if ev.RawPath != "/rewritten/café" || ev.RequestContext.HTTP.Path != "/rewritten/café" {
		t.Errorf("mapped path %q / %q", ev.RawPath, ev.RequestContext.HTTP.Path)
	}
	// requestContext describes the client's request, not the mapped one.
	if ev.RequestContext.HTTP.UserAgent != "tester/1.0" {
		t.Errorf("requestContext.http.userAgent = %q", ev.RequestContext.HTTP.UserAgent)
	}
	if !reflect.DeepEqual(x.Req.Header, before) {
		t.Errorf("request mapping changed the exchange's headers: %v", x.Req.Header)
	}
}

func TestUnmappedQueryKeepsItsEncoding(t *testing.T) {
	req, _ := mapping.CompileRequest(map[string]string{"append:header.x": "1"})
	x := sampleExchange()
	in := newInbound(x, req, "")
	if in.rawQuery != x.Req.RawQuery || in.header.Get("X") != "1" || x.Req.Header.Get("X") != "" {
		t.Errorf("rawQuery %q (want %q), mapped header %q, exchange header %q", in.rawQuery, x.Req.RawQuery, in.header.Get("X"), x.Req.Header.Get("X"))
	}
}
