package gateway_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

func TestQuickCreateProxiesFullPath(t *testing.T) {
	e := newEnv(t)
	up := newUpstream(t)
	ep := e.api("quick", func(in *apigatewayv2.CreateApiInput) { in.Target = aws.String(up.URL + "/base") })
	if r := e.call("GET", ep+"/caf%C3%A9/a%2Fb%20c", "", ""); r.status != 200 || up.last(t).RawPath != "/base/caf%C3%A9/a%2Fb%20c" {
		t.Errorf("encoded path: %d, upstream saw %q", r.status, up.last(t).RawPath)
	}
	r := e.call("POST", ep+"/store/checkout?a=1&b=two%20words", "", `{"x":1}`, "X-Client", "c1", "Content-Type", "application/json")
	if r.status != 200 || r.body != "hello from /base/store/checkout" {
		t.Fatalf("POST via quick-created API = %d %q", r.status, r.body)
	}
	got := up.last(t)
	if got.Method != "POST" || got.RawQuery != "a=1&b=two+words" || got.Body != `{"x":1}` || got.Header.Get("X-Client") != "c1" {
		t.Errorf("upstream saw %+v", got)
	}
	if r.header.Get("Apigw-Requestid") == "" || r.header.Get("X-Backend") != "yes" {
		t.Errorf("response headers %v: want apigw-requestid and the backend's headers", r.header)
	}
	if f := got.Header.Get("Forwarded"); !strings.Contains(f, "for=127.0.0.1") || !strings.Contains(f, "proto=http") {
		t.Errorf("Forwarded = %q", f)
	}
}

func TestStagesAndDeploymentsGateTraffic(t *testing.T) {
	e := newEnv(t)
	up := newUpstream(t)
	ep := e.api("stages")
	in := e.integration("stages", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String(up.URL + "/pets")})
	e.route("stages", "GET /pets", in)
	e.stage("stages", "dev", false)
	if r := e.call("GET", ep+"/dev/pets", "", ""); r.status != 404 || r.body != `{"message":"Not Found"}` {
		t.Fatalf("before any deployment: %d %s, want 404 Not Found", r.status, r.body)
	}
	e.deploy("stages", "dev")
	if r := e.call("GET", ep+"/dev/pets", "", ""); r.status != 200 {
		t.Fatalf("after deployment: %d %s", r.status, r.body)
	}
	// An undeployed change does not affect traffic...
	in2 := e.integration("stages", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String(up.URL + "/toys")})
	e.route("stages", "GET /toys", in2)
	if r := e.call("GET", ep+"/dev/toys", "", ""); r.status != 404 {
		t.Fatalf("undeployed route answered %d", r.status)
	}
	// ...until it is deployed.
	e.deploy("stages", "dev")
	if r := e.call("GET", ep+"/dev/toys", "", ""); r.status != 200 || r.body != "hello from /toys" {
		t.Fatalf("deployed route: %d %q", r.status, r.body)
	}
	// No $default stage: an unknown first segment is 404.
	if r := e.call("GET", ep+"/prod/pets", "", ""); r.status != 404 {
		t.Errorf("unknown stage: %d", r.status)
	}
	// An autoDeploy $default stage serves paths without a stage segment.
	e.stage("stages", "$default", true)
	if r := e.call("GET", ep+"/pets", "", ""); r.status != 200 {
		t.Errorf("$default stage: %d %s", r.status, r.body)
	}
	if r := e.call("GET", ep+"/dev/pets", "", ""); r.status != 200 {
		t.Errorf("named stage still selected by its segment: %d", r.status)
	}
}

func TestPathVariablesStageVariablesAndHostForm(t *testing.T) {
	e := newEnv(t)
	up := newUpstream(t)
	ep := e.api("vars")
	host := strings.TrimPrefix(up.URL, "http://")
	one := e.integration("vars", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String("http://${stageVariables.backend}/items/{id}?src=gw")})
	greedy := e.integration("vars", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String(up.URL + "/files/{proxy}")})
	e.route("vars", "GET /pets/{id}", one)
	e.route("vars", "ANY /files/{proxy+}", greedy)
	e.stage("vars", "v1", true, func(in *apigatewayv2.CreateStageInput) {
		in.StageVariables = map[string]string{"backend": host}
	})
	if r := e.call("GET", ep+"/v1/pets/a%20b?x=1", "", ""); r.status != 200 {
		t.Fatalf("GET /pets/{id}: %d %s", r.status, r.body)
	}
	if got := up.last(t); got.RawPath != "/items/a%20b" || got.RawQuery != "src=gw&x=1" {
		t.Errorf("path variable: upstream saw path %q query %q", got.RawPath, got.RawQuery)
	}
	if r := e.call("DELETE", ep+"/v1/files/a/b/c.txt", "", ""); r.status != 200 {
		t.Fatalf("greedy: %d %s", r.status, r.body)
	}
	if got := up.last(t); got.Path != "/files/a/b/c.txt" || got.Method != "DELETE" {
		t.Errorf("greedy: upstream saw %s %s", got.Method, got.Path)
	}
	// Host form: {apiId}.execute-api.{domain} routed by Host header.
	if r := e.call("GET", e.srv.URL+"/v1/pets/7", "vars.execute-api.localhost", ""); r.status != 200 {
		t.Errorf("host form: %d %s", r.status, r.body)
	}
	if got := up.last(t); got.Path != "/items/7" {
		t.Errorf("host form: upstream saw %s", got.Path)
	}
}

func TestParameterMapping(t *testing.T) {
	e := newEnv(t)
	up := newUpstream(t)
	up.handle = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Secret", "s")
		w.WriteHeader(404)
	}
	ep := e.api("mapping")
	in := e.integration("mapping", apigatewayv2.CreateIntegrationInput{
		IntegrationUri: aws.String(up.URL + "/orig"),
		RequestParameters: map[string]string{
			"append:header.x-request-id":   "$context.requestId",
			"overwrite:header.x-user":      "user-${request.path.id}",
			"overwrite:path":               "/v2/items/$request.path.id",
			"remove:querystring.drop":      "''",
			"append:querystring.from-body": "$request.body.order.id",
		},
		ResponseParameters: map[string]map[string]string{
			"404": {"overwrite:statuscode": "200", "remove:header.x-secret": "''", "append:header.x-mapped": "$context.routeKey"},
		},
	})
	e.route("mapping", "POST /items/{id}", in)
	e.stage("mapping", "$default", true)
	r := e.call("POST", ep+"/items/42?drop=1&keep=2", "", `{"order":{"id":"o-9"}}`, "Content-Type", "application/json")
	got := up.last(t)
	if got.Path != "/v2/items/42" || got.Header.Get("X-User") != "user-42" || got.Header.Get("X-Request-Id") != r.header.Get("Apigw-Requestid") {
		t.Errorf("request mapping: upstream saw path %q x-user %q x-request-id %q (request id %q)", got.Path, got.Header.Get("X-User"), got.Header.Get("X-Request-Id"), r.header.Get("Apigw-Requestid"))
	}
	if got.RawQuery != "keep=2&from-body=o-9" {
		t.Errorf("query mapping: upstream saw %q", got.RawQuery)
	}
	if r.status != 200 || r.header.Get("X-Secret") != "" || r.header.Get("X-Mapped") != "POST /items/{id}" {
		t.Errorf("response mapping: %d headers %v", r.status, r.header)
	}
}

func TestIntegrationFailures(t *testing.T) {
	e := newEnv(t)
	slow := newUpstream(t)
	release := make(chan struct{})
	slow.handle = func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
	t.Cleanup(func() { close(release) })
	ep := e.api("fail")
	timeout := e.integration("fail", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String(slow.URL), TimeoutInMillis: aws.Int32(100)})
	dead := e.integration("fail", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String("http://127.0.0.1:1/nothing")})
	e.route("fail", "GET /slow", timeout)
	e.route("fail", "GET /dead", dead)
	e.route("fail", "GET /none", "")
	e.stage("fail", "$default", true)
	if r := e.call("GET", ep+"/slow", "", ""); r.status != 503 || r.body != `{"message":"Service Unavailable"}` {
		t.Errorf("timeout: %d %s, want 503 Service Unavailable", r.status, r.body)
	}
	if r := e.call("GET", ep+"/dead", "", ""); r.status != 500 || r.body != `{"message":"Internal Server Error"}` {
		t.Errorf("unreachable upstream: %d %s, want 500", r.status, r.body)
	}
	if r := e.call("GET", ep+"/none", "", ""); r.status != 404 {
		t.Errorf("route without target: %d %s", r.status, r.body)
	}
	if r := e.call("GET", ep+"/unknown", "", ""); r.status != 404 || r.body != `{"message":"Not Found"}` || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("no route: %d %s %v", r.status, r.body, r.header)
	}
}

func TestCORS(t *testing.T) {
	e := newEnv(t)
	up := newUpstream(t)
	up.handle = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "https://evil.example")
		w.Write([]byte("ok"))
	}
	ep := e.api("cors", func(in *apigatewayv2.CreateApiInput) {
		in.CorsConfiguration = &types.Cors{AllowOrigins: []string{"https://app.example.com"}, AllowMethods: []string{"GET", "POST"},
			AllowHeaders: []string{"content-type"}, ExposeHeaders: []string{"x-total"}, MaxAge: aws.Int32(300)}
	})
	in := e.integration("cors", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String(up.URL)})
	e.route("cors", "GET /items", in)
	e.stage("cors", "$default", true)
	n := up.count()
	pre := e.call("OPTIONS", ep+"/items", "", "", "Origin", "https://app.example.com", "Access-Control-Request-Method", "POST")
	if pre.status != 204 || pre.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" || up.count() != n {
		t.Errorf("preflight without an OPTIONS route: %d %v (upstream calls %d→%d)", pre.status, pre.header, n, up.count())
	}
	r := e.call("GET", ep+"/items", "", "", "Origin", "https://app.example.com")
	if r.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" || r.header.Get("Access-Control-Expose-Headers") == "" {
		t.Errorf("CORS response headers: %v", r.header)
	}
	if r := e.call("GET", ep+"/items", "", ""); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("without Origin, backend CORS header must be dropped and none added: %v", r.header)
	}
}

func TestThrottling(t *testing.T) {
	e := newEnv(t)
	up := newUpstream(t)
	ep := e.api("throttle")
	in := e.integration("throttle", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String(up.URL)})
	e.route("throttle", "GET /limited", in)
	e.route("throttle", "GET /open", in)
	e.stage("throttle", "$default", true, func(in *apigatewayv2.CreateStageInput) {
		in.RouteSettings = map[string]types.RouteSettings{"GET /limited": {ThrottlingBurstLimit: aws.Int32(2), ThrottlingRateLimit: aws.Float64(0.001)}}
	})
	var codes []int
	for range 4 {
		codes = append(codes, e.call("GET", ep+"/limited", "", "").status)
	}
	if codes[0] != 200 || codes[1] != 200 || codes[2] != 429 || codes[3] != 429 {
		t.Errorf("burst 2: statuses %v, want [200 200 429 429]", codes)
	}
	if r := e.call("GET", ep+"/limited", "", ""); r.body != `{"message":"Too Many Requests"}` {
		t.Errorf("429 body %q", r.body)
	}
	if r := e.call("GET", ep+"/open", "", ""); r.status != 200 {
		t.Errorf("other route throttled: %d", r.status)
	}
}

func TestCustomDomainAndDisabledEndpoint(t *testing.T) {
	e := newEnv(t)
	up := newUpstream(t)
	ep := e.api("dom", func(in *apigatewayv2.CreateApiInput) { in.DisableExecuteApiEndpoint = aws.Bool(true) })
	in := e.integration("dom", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String(up.URL + "/x")})
	e.route("dom", "GET /pets", in)
	e.stage("dom", "prod", true)
	_, err := e.c.CreateDomainName(e.ctx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String("api.example.com")})
	e.must(err, "CreateDomainName")
	_, err = e.c.CreateApiMapping(e.ctx, &apigatewayv2.CreateApiMappingInput{DomainName: aws.String("api.example.com"),
		ApiId: aws.String("dom"), Stage: aws.String("prod"), ApiMappingKey: aws.String("v1/animals")})
	e.must(err, "CreateApiMapping")
	if r := e.call("GET", e.srv.URL+"/v1/animals/pets", "api.example.com", ""); r.status != 200 {
		t.Fatalf("custom domain: %d %s", r.status, r.body)
	}
	if r := e.call("GET", e.srv.URL+"/v2/pets", "api.example.com", ""); r.status != 404 {
		t.Errorf("unmapped base path: %d", r.status)
	}
	if r := e.call("GET", ep+"/prod/pets", "", ""); r.status != 404 {
		t.Errorf("disabled execute-api endpoint answered %d", r.status)
	}
}

func TestLimits(t *testing.T) {
	e := newEnv(t)
	up := newUpstream(t)
	ep := e.api("limits", func(in *apigatewayv2.CreateApiInput) { in.Target = aws.String(up.URL) })
	if r := e.call("POST", ep+"/x", "", strings.Repeat("a", 10<<20+1)); r.status != 413 {
		t.Errorf("11 MB body: %d %s", r.status, r.body)
	}
	if r := e.call("GET", ep+"/x", "", "", "X-Big", strings.Repeat("h", 11000)); r.status != 431 {
		t.Errorf("11 KB header: %d %s", r.status, r.body)
	}
	if r := e.call("POST", ep+"/x", "", strings.Repeat("a", 10<<20)); r.status != 200 {
		t.Errorf("exactly 10 MB body: %d", r.status)
	}
}

func TestAccessLogAndRestart(t *testing.T) {
	e := newEnv(t)
	up := newUpstream(t)
	ep := e.api("logged")
	in := e.integration("logged", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String(up.URL)})
	e.route("logged", "GET /a", in)
	e.stage("logged", "$default", true, func(in *apigatewayv2.CreateStageInput) {
		in.AccessLogSettings = &types.AccessLogSettings{DestinationArn: aws.String("arn:aws:logs:us-east-1:000000000000:log-group:api-logs"),
			Format: aws.String(`$context.requestId $context.httpMethod $context.routeKey $context.status $context.integrationStatus`)}
	})
	r := e.call("GET", ep+"/a", "", "")
	e.call("GET", ep+"/nope", "", "")
	e.sinks.Flush()
	b, _ := os.ReadFile(filepath.Join(e.logs, "api-logs.log"))
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	want0 := r.header.Get("Apigw-Requestid") + " GET GET /a 200 200"
	if len(lines) != 2 || lines[0] != want0 || !strings.HasSuffix(lines[1], " GET - 404 -") {
		t.Errorf("access log lines = %q, want [%q, ... GET - 404 -]", lines, want0)
	}
	// A new gateway over the same store serves the same deployments.
	e.srv.Close()
	e.start(envOpts{})
	ep = strings.Replace(ep, ep[:strings.Index(ep, "/_gatehouse")], e.srv.URL, 1)
	waitFor(t, "restarted gateway to serve", func() bool { return e.call("GET", ep+"/a", "", "").status == 200 })
	_ = time.Second
}
