package gateway_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/gatehouse-dev/gatehouse/internal/deploy"
	"github.com/gatehouse-dev/gatehouse/internal/exchange"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
)

const fnARN = "arn:aws:lambda:us-east-1:000000000000:function:pets"

// functions is a fake lambda.Invoker: it records every invocation and answers
// with reply (a 2.0 "ok" by default).
type functions struct {
	mu    sync.Mutex
	calls []*lambda.Invocation
	reply func(ctx context.Context, in *lambda.Invocation) (*lambda.Result, error)
}

func (f *functions) Invoke(ctx context.Context, in *lambda.Invocation) (*lambda.Result, error) {
	f.mu.Lock()
	f.calls = append(f.calls, in)
	reply := f.reply
	f.mu.Unlock()
	if reply == nil {
		return &lambda.Result{Payload: []byte(`"ok"`)}, nil
	}
	return reply(ctx, in)
}

func (f *functions) answer(payload string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reply = func(context.Context, *lambda.Invocation) (*lambda.Result, error) {
		return &lambda.Result{Payload: []byte(payload)}, nil
	}
}

func (f *functions) last(t *testing.T) *lambda.Invocation {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		t.Fatal("no function was invoked")
	}
	return f.calls[len(f.calls)-1]
}

// lambdaAPI creates an API with one AWS_PROXY route on an auto-deployed stage.
func lambdaAPI(e *env, id, format, routeKey, stage string, mut ...func(*apigatewayv2.CreateIntegrationInput)) string {
	e.t.Helper()
	ep := e.api(id)
	in := apigatewayv2.CreateIntegrationInput{IntegrationType: types.IntegrationTypeAwsProxy,
		IntegrationUri: aws.String(fnARN), IntegrationMethod: aws.String("POST"), PayloadFormatVersion: aws.String(format)}
	for _, m := range mut {
		m(&in)
	}
	e.route(id, routeKey, e.integration(id, in))
	e.stage(id, stage, true, func(in *apigatewayv2.CreateStageInput) {
		in.StageVariables = map[string]string{"env": "test", "fn": "pets"}
	})
	return ep
}

func TestLambdaProxyEvent20(t *testing.T) {
	fns := &functions{}
	e := newEnv(t, envOpts{lambda: fns})
	ep := lambdaAPI(e, "lam20", "2.0", "POST /pets/{id}/{rest+}", "prod")
	before := time.Now()
	r := e.call("POST", ep+"/prod/pets/caf%C3%A9/a/b%20c?q=1&q=2&s=x%2By&empty", "", `{"name":"rex"}`,
		"Content-Type", "application/json", "User-Agent", "test-agent", "X-Dup", "one", "X-Dup", "two",
		"Cookie", "a=1; b=2", "Cookie", "c=3")
	if r.status != 200 || r.body != "ok" || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("POST = %d %q %v", r.status, r.body, r.header)
	}
	in := fns.last(t)
	if in.Function != fnARN || in.Qualifier != "" || in.Region != "us-east-1" {
		t.Errorf("invoked %+v", in)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(in.Payload, &ev); err != nil {
		t.Fatalf("event is not a v2 request: %v\n%s", err, in.Payload)
	}
	host := strings.TrimPrefix(e.srv.URL, "http://")
	_, port, _ := strings.Cut(host, ":")
	rc := ev.RequestContext
	if rc.RequestID != r.header.Get("Apigw-Requestid") || rc.TimeEpoch < before.UnixMilli() || rc.TimeEpoch > time.Now().UnixMilli() {
		t.Errorf("requestId %q (response id %q), timeEpoch %d", rc.RequestID, r.header.Get("Apigw-Requestid"), rc.TimeEpoch)
	}
	if tm, err := time.Parse(exchange.CLFTime, rc.Time); err != nil || tm.Unix() != rc.TimeEpoch/1000 {
		t.Errorf("time %q does not match timeEpoch %d: %v", rc.Time, rc.TimeEpoch, err)
	}
	if !strings.HasPrefix(ev.Headers["x-amzn-trace-id"], "Root=1-") {
		t.Errorf("x-amzn-trace-id = %q", ev.Headers["x-amzn-trace-id"])
	}
	rc.RequestID, rc.Time, rc.TimeEpoch = "", "", 0
	delete(ev.Headers, "x-amzn-trace-id")
	want := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "POST /pets/{id}/{rest+}", RawPath: "/prod/pets/café/a/b c",
		RawQueryString: "q=1&q=2&s=x%2By&empty", Cookies: []string{"a=1", "b=2", "c=3"},
		Headers: map[string]string{"content-type": "application/json", "user-agent": "test-agent", "x-dup": "one,two",
			"accept-encoding": "gzip", "content-length": "14", "host": host, "x-forwarded-for": "127.0.0.1",
			"x-forwarded-port": port, "x-forwarded-proto": "http"},
		QueryStringParameters: map[string]string{"q": "1,2", "s": "x+y", "empty": ""},
		PathParameters:        map[string]string{"id": "café", "rest": "a/b c"},
		StageVariables:        map[string]string{"env": "test", "fn": "pets"},
		Body:                  `{"name":"rex"}`,
		RequestContext: events.APIGatewayV2HTTPRequestContext{RouteKey: "POST /pets/{id}/{rest+}", AccountID: "000000000000",
			Stage: "prod", APIID: "lam20", DomainName: "lam20.execute-api.us-east-1.amazonaws.com", DomainPrefix: "lam20",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/prod/pets/café/a/b c",
				Protocol: "HTTP/1.1", SourceIP: "127.0.0.1", UserAgent: "test-agent"}},
	}
	ev.RequestContext = rc
	if !reflect.DeepEqual(ev, want) {
		t.Errorf("event =\n%+v\nwant\n%+v", ev, want)
	}
}

func TestLambdaProxyEvent10(t *testing.T) {
	fns := &functions{}
	fns.answer(`{"statusCode":200,"body":"v1"}`)
	e := newEnv(t, envOpts{lambda: fns})
	ep := lambdaAPI(e, "lam10", "1.0", "GET /items/{id}", "$default")
	r := e.call("GET", ep+"/items/42?tag=a&tag=b", "", "", "X-Dup", "one", "X-Dup", "two", "Cookie", "k=v")
	if r.status != 200 || r.body != "v1" {
		t.Fatalf("GET = %d %q", r.status, r.body)
	}
	var ev events.APIGatewayProxyRequest
	raw := fns.last(t).Payload
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatalf("event is not a v1 request: %v\n%s", err, raw)
	}
	var generic map[string]any
	json.Unmarshal(raw, &generic)
	if generic["version"] != "1.0" || generic["body"] != nil || generic["stageVariables"] == nil {
		t.Errorf("version %v, body %v, stageVariables %v", generic["version"], generic["body"], generic["stageVariables"])
	}
	rc := ev.RequestContext
	if ev.Resource != "/items/{id}" || ev.Path != "/items/42" || ev.HTTPMethod != "GET" ||
		rc.ResourcePath != "/items/{id}" || rc.ResourceID != "GET /items/{id}" || rc.Path != "/items/42" || rc.Stage != "$default" ||
		rc.RequestID != r.header.Get("Apigw-Requestid") || rc.ExtendedRequestID != rc.RequestID || rc.APIID != "lam10" ||
		rc.AccountID != "000000000000" || rc.Identity.SourceIP != "127.0.0.1" || rc.Identity.UserAgent != "Go-http-client/1.1" ||
		rc.HTTPMethod != "GET" || rc.Protocol != "HTTP/1.1" || rc.RequestTimeEpoch == 0 || rc.RequestTime == "" {
		t.Errorf("event = %+v", ev)
	}
	// Header names are lower-cased in both payload formats of HTTP APIs.
	if ev.Headers["x-dup"] != "two" || !reflect.DeepEqual(ev.MultiValueHeaders["x-dup"], []string{"one", "two"}) || ev.Headers["cookie"] != "k=v" ||
		ev.Headers["X-Dup"] != "" {
		t.Errorf("headers %v, multi %v", ev.Headers, ev.MultiValueHeaders)
	}
	if !reflect.DeepEqual(ev.QueryStringParameters, map[string]string{"tag": "b"}) ||
		!reflect.DeepEqual(ev.MultiValueQueryStringParameters, map[string][]string{"tag": {"a", "b"}}) ||
		!reflect.DeepEqual(ev.PathParameters, map[string]string{"id": "42"}) || ev.IsBase64Encoded {
		t.Errorf("query %v / %v, path %v, base64 %v", ev.QueryStringParameters, ev.MultiValueQueryStringParameters, ev.PathParameters, ev.IsBase64Encoded)
	}
}

func TestLambdaProxyBinaryBodies(t *testing.T) {
	fns := &functions{}
	e := newEnv(t, envOpts{lambda: fns})
	ep := lambdaAPI(e, "bin", "2.0", "ANY /up", "$default")
	bin := "\x00\x01\xfe\xffpng"
	for _, tc := range []struct {
		contentType, body string
		b64               bool
	}{
		{"image/png", bin, true},
		{"", "no type", true},
		{"application/x-www-form-urlencoded", "a=1&b=2", true},
		{"text/plain; charset=utf-8", "plain text", false},
		{"application/json", `{"a":1}`, false},
	} {
		hdr := []string{}
		if tc.contentType != "" {
			hdr = append(hdr, "Content-Type", tc.contentType)
		}
		e.call("POST", ep+"/up", "", tc.body, hdr...)
		var ev events.APIGatewayV2HTTPRequest
		json.Unmarshal(fns.last(t).Payload, &ev)
		got := ev.Body
		if ev.IsBase64Encoded {
			b, err := base64.StdEncoding.DecodeString(ev.Body)
			if err != nil {
				t.Fatalf("%q: body is not base64: %v", tc.contentType, err)
			}
			got = string(b)
		}
		if ev.IsBase64Encoded != tc.b64 || got != tc.body {
			t.Errorf("Content-Type %q: isBase64Encoded %v body %q; want %v %q", tc.contentType, ev.IsBase64Encoded, got, tc.b64, tc.body)
		}
	}
}

func TestLambdaProxyResponses(t *testing.T) {
	fns := &functions{}
	e := newEnv(t, envOpts{lambda: fns})
	ep20 := lambdaAPI(e, "resp20", "2.0", "GET /r", "$default")
	ep10 := lambdaAPI(e, "resp10", "1.0", "GET /r", "$default")
	for _, tc := range []struct {
		name, ep, payload string
		status            int
		header            map[string][]string
		body              string
	}{
		{"2.0 string inferred", ep20, `"Hello from Lambda!"`, 200, map[string][]string{"Content-Type": {"application/json"}}, "Hello from Lambda!"},
		{"2.0 object inferred", ep20, `{"message":"hi"}`, 200, map[string][]string{"Content-Type": {"application/json"}}, `{"message":"hi"}`},
		{"2.0 structured", ep20, `{"statusCode":418,"headers":{"content-type":"text/plain","x-a":"1"},"cookies":["s=1; HttpOnly","t=2"],"body":"teapot"}`,
			418, map[string][]string{"Content-Type": {"text/plain"}, "X-A": {"1"}, "Set-Cookie": {"s=1; HttpOnly", "t=2"}}, "teapot"},
		{"2.0 base64", ep20, `{"statusCode":200,"headers":{"content-type":"application/octet-stream"},"isBase64Encoded":true,"body":"AP8="}`,
			200, map[string][]string{"Content-Type": {"application/octet-stream"}}, "\x00\xff"},
		{"2.0 malformed", ep20, `{"statusCode":"nope"}`, 500, map[string][]string{"Content-Type": {"application/json"}}, `{"message":"Internal Server Error"}`},
		{"2.0 not json", ep20, `<html>`, 500, nil, `{"message":"Internal Server Error"}`},
		{"1.0 multiValueHeaders", ep10, `{"statusCode":201,"headers":{"X-One":"1"},"multiValueHeaders":{"X-Many":["a","b"]},"body":"made"}`,
			201, map[string][]string{"X-One": {"1"}, "X-Many": {"a", "b"}}, "made"},
		{"1.0 string is malformed", ep10, `"just a string"`, 500, nil, `{"message":"Internal Server Error"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fns.answer(tc.payload)
			r := e.call("GET", tc.ep+"/r", "", "")
			if r.status != tc.status || r.body != tc.body {
				t.Errorf("%s → %d %q; want %d %q", tc.payload, r.status, r.body, tc.status, tc.body)
			}
			for k, want := range tc.header {
				if got := r.header.Values(k); !reflect.DeepEqual(got, want) {
					t.Errorf("%s → header %s = %q, want %q", tc.payload, k, got, want)
				}
			}
		})
	}
}

func TestLambdaProxyFailures(t *testing.T) {
	fns := &functions{}
	e := newEnv(t, envOpts{lambda: fns})
	ep := e.api("fail")
	in := e.integration("fail", apigatewayv2.CreateIntegrationInput{IntegrationType: types.IntegrationTypeAwsProxy,
		IntegrationUri: aws.String(fnARN), IntegrationMethod: aws.String("POST"), PayloadFormatVersion: aws.String("2.0"),
		TimeoutInMillis: aws.Int32(100)})
	e.route("fail", "GET /f", in)
	e.stage("fail", "$default", true, func(in *apigatewayv2.CreateStageInput) {
		in.AccessLogSettings = &types.AccessLogSettings{DestinationArn: aws.String("arn:aws:logs:us-east-1:000000000000:log-group:lam"),
			Format: aws.String(`$context.status $context.integrationStatus $context.error.responseType $context.integrationErrorMessage`)}
	})
	for _, tc := range []struct {
		name   string
		reply  func(ctx context.Context, in *lambda.Invocation) (*lambda.Result, error)
		status int
		body   string
		log    string
	}{
		{"function error", func(context.Context, *lambda.Invocation) (*lambda.Result, error) {
			return &lambda.Result{FunctionError: "Unhandled", Payload: []byte(`{"errorMessage":"kaboom","errorType":"Error"}`)}, nil
		}, 500, `{"message":"Internal Server Error"}`, "500 200 INTEGRATION_FAILURE function " + fnARN + " failed (Unhandled): Error: kaboom"},
		{"missing function", func(context.Context, *lambda.Invocation) (*lambda.Result, error) { return nil, lambda.ErrNotFound },
			500, `{"message":"Internal Server Error"}`, "500 404 INTEGRATION_FAILURE invoking " + fnARN + ": lambda: function not found"},
		{"throttled", func(context.Context, *lambda.Invocation) (*lambda.Result, error) { return nil, lambda.ErrThrottled },
			500, `{"message":"Internal Server Error"}`, "500 429 INTEGRATION_FAILURE invoking " + fnARN + ": lambda: rate exceeded"},
		{"remote error", func(context.Context, *lambda.Invocation) (*lambda.Result, error) {
			return nil, &lambda.Error{Status: 502, Type: "ServiceException", Message: "down"}
		}, 500, `{"message":"Internal Server Error"}`, "500 502 INTEGRATION_FAILURE invoking " + fnARN + ": lambda: ServiceException: down"},
		{"timeout", func(ctx context.Context, _ *lambda.Invocation) (*lambda.Result, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, 503, `{"message":"Service Unavailable"}`, "503 - INTEGRATION_TIMEOUT function " + fnARN + " did not respond within the integration timeout of 100ms: context deadline exceeded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fns.mu.Lock()
			fns.reply = tc.reply
			fns.mu.Unlock()
			r := e.call("GET", ep+"/f", "", "")
			if r.status != tc.status || r.body != tc.body || r.header.Get("Content-Type") != "application/json" {
				t.Errorf("%d %q %v; want %d %q", r.status, r.body, r.header, tc.status, tc.body)
			}
			e.sinks.Flush()
			b, _ := os.ReadFile(filepath.Join(e.logs, "lam.log"))
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			if got := lines[len(lines)-1]; got != tc.log {
				t.Errorf("access log %q, want %q", got, tc.log)
			}
		})
	}
}

func TestLambdaParameterMapping(t *testing.T) {
	fns := &functions{}
	fns.answer(`{"statusCode":200,"headers":{"x-internal":"secret"},"body":"mapped"}`)
	e := newEnv(t, envOpts{lambda: fns})
	ep := lambdaAPI(e, "maplam", "2.0", "GET /m/{id}", "$default", func(in *apigatewayv2.CreateIntegrationInput) {
		in.RequestParameters = map[string]string{"append:header.x-item": "$request.path.id", "overwrite:querystring.src": "gatehouse"}
		in.ResponseParameters = map[string]map[string]string{"200": {"remove:header.x-internal": "''", "overwrite:statuscode": "203"}}
	})
	r := e.call("GET", ep+"/m/7?src=client", "", "")
	if r.status != 203 || r.body != "mapped" || r.header.Get("X-Internal") != "" {
		t.Errorf("mapped response %d %q %v", r.status, r.body, r.header)
	}
	var ev events.APIGatewayV2HTTPRequest
	json.Unmarshal(fns.last(t).Payload, &ev)
	if ev.Headers["x-item"] != "7" || ev.RawQueryString != "src=gatehouse" || ev.QueryStringParameters["src"] != "gatehouse" {
		t.Errorf("event headers %v, query %q %v", ev.Headers, ev.RawQueryString, ev.QueryStringParameters)
	}
}

func TestLambdaProxyWithoutInvoker(t *testing.T) {
	e := newEnv(t)
	ep := lambdaAPI(e, "none", "2.0", "GET /x", "$default")
	if r := e.call("GET", ep+"/x", "", ""); r.status != 500 || r.body != `{"message":"Internal Server Error"}` {
		t.Errorf("no invoker configured: %d %q", r.status, r.body)
	}
}

func TestLambdaQuickCreate(t *testing.T) {
	fns := &functions{}
	e := newEnv(t, envOpts{lambda: fns})
	ep := e.api("quicklam", func(in *apigatewayv2.CreateApiInput) { in.Target = aws.String(fnARN + ":live") })
	r := e.call("DELETE", ep+"/any/path?x=1", "", "")
	if r.status != 200 || r.body != "ok" {
		t.Fatalf("quick-created Lambda API = %d %q", r.status, r.body)
	}
	in := fns.last(t)
	var ev events.APIGatewayV2HTTPRequest
	json.Unmarshal(in.Payload, &ev)
	if in.Function != fnARN || in.Qualifier != "live" || ev.Version != "2.0" || ev.RouteKey != "$default" ||
		ev.RawPath != "/any/path" || ev.RequestContext.Stage != "$default" || ev.RequestContext.HTTP.Method != "DELETE" || ev.PathParameters != nil {
		t.Errorf("invocation %s:%s, event %+v", in.Function, in.Qualifier, ev)
	}
}

func TestLambdaInvocationsURI(t *testing.T) {
	fns := &functions{}
	e := newEnv(t, envOpts{lambda: fns})
	uri := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + fnARN + ":v2/invocations"
	ep := lambdaAPI(e, "invuri", "1.0", "GET /s", "$default", func(in *apigatewayv2.CreateIntegrationInput) { in.IntegrationUri = aws.String(uri) })
	fns.answer(`{"statusCode":200,"body":"v2"}`)
	if r := e.call("GET", ep+"/s", "", ""); r.status != 200 || r.body != "v2" {
		t.Fatalf("GET = %d %s", r.status, r.body)
	}
	if in := fns.last(t); in.Function != fnARN || in.Qualifier != "v2" {
		t.Errorf("invoked %s qualifier %s", in.Function, in.Qualifier)
	}
}

// The management API refuses malformed Lambda URIs, so a configuration that
// reaches the compiler with one (an import, an older store) is checked there.
func TestLambdaBadURIFailsCompilation(t *testing.T) {
	c := &deploy.Compiler{AccountID: "000000000000", Lambda: &functions{}}
	cfg := &model.DeploymentConfig{
		Api:    model.Api{ApiId: "a1", ProtocolType: model.ProtocolHTTP},
		Routes: []model.Route{{RouteId: "r1", RouteKey: "GET /x", Target: aws.String("integrations/i1")}},
		Integrations: []model.Integration{{IntegrationId: "i1", IntegrationType: model.IntegrationAWSProxy,
			IntegrationUri: aws.String("arn:aws:lambda:us-east-1:000000000000:function:bad.name"), PayloadFormatVersion: aws.String("2.0")}},
	}
	err := c.Check(cfg)
	if err == nil || !strings.Contains(err.Error(), "integration i1") || !strings.Contains(err.Error(), "invalid function name") {
		t.Errorf("Check = %v; want an error naming integration i1 and the bad name", err)
	}
	cfg.Integrations[0].IntegrationUri = aws.String(fnARN)
	cfg.Integrations[0].PayloadFormatVersion = aws.String("3.0")
	if err := c.Check(cfg); err == nil || !strings.Contains(err.Error(), "integration i1") || !strings.Contains(err.Error(), "payloadFormatVersion") {
		t.Errorf("Check with format 3.0 = %v", err)
	}
}

func TestLambdaCustomDomainFields(t *testing.T) {
	fns := &functions{}
	e := newEnv(t, envOpts{lambda: fns})
	lambdaAPI(e, "domlam", "2.0", "GET /pets", "prod")
	_, err := e.c.CreateDomainName(e.ctx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String("api.example.com")})
	e.must(err, "CreateDomainName")
	_, err = e.c.CreateApiMapping(e.ctx, &apigatewayv2.CreateApiMappingInput{DomainName: aws.String("api.example.com"),
		ApiId: aws.String("domlam"), Stage: aws.String("prod"), ApiMappingKey: aws.String("v1")})
	e.must(err, "CreateApiMapping")
	if r := e.call("GET", e.srv.URL+"/v1/pets", "api.example.com", ""); r.status != 200 {
		t.Fatalf("custom domain: %d %s", r.status, r.body)
	}
	var ev events.APIGatewayV2HTTPRequest
	json.Unmarshal(fns.last(t).Payload, &ev)
	rc := ev.RequestContext
	if rc.DomainName != "api.example.com" || rc.DomainPrefix != "api" || rc.Stage != "prod" || ev.RawPath != "/v1/pets" ||
		ev.Headers["host"] != "api.example.com" || ev.RouteKey != "GET /pets" {
		t.Errorf("domain %q prefix %q stage %q rawPath %q host %q route %q", rc.DomainName, rc.DomainPrefix, rc.Stage, ev.RawPath, ev.Headers["host"], ev.RouteKey)
	}
}

// TestLambdaConcurrentRequests checks that concurrent requests each get the
// response built from their own event (no state shared between exchanges).
func TestLambdaConcurrentRequests(t *testing.T) {
	fns := &functions{reply: func(_ context.Context, in *lambda.Invocation) (*lambda.Result, error) {
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(in.Payload, &ev); err != nil {
			return nil, err
		}
		body, _ := json.Marshal(ev.RequestContext.RequestID + " " + ev.QueryStringParameters["n"])
		return &lambda.Result{Payload: []byte(`{"statusCode":200,"body":` + string(body) + `}`)}, nil
	}}
	e := newEnv(t, envOpts{lambda: fns})
	ep := lambdaAPI(e, "conc", "2.0", "GET /c", "$default")
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := strconv.Itoa(i)
			for range 10 {
				r := e.call("GET", ep+"/c?n="+n, "", "")
				if want := r.header.Get("Apigw-Requestid") + " " + n; r.status != 200 || r.body != want {
					t.Errorf("request %s: %d %q, want %q", n, r.status, r.body, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}
