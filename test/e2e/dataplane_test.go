package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestDataPlane deploys an HTTP API on the real binary and calls it through
// every endpoint form: the apiEndpoint (with curl-like Go HTTP and Python's
// urllib), the host form, and a custom domain with an API mapping. The
// upstream asserts what it received.
func TestDataPlane(t *testing.T) {
	var hits atomic.Int64
	var lastPath, lastHeader atomic.Value
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		lastPath.Store(r.URL.Path)
		lastHeader.Store(r.Header.Get("X-Stage"))
		io.WriteString(w, "pong "+r.URL.Path)
	}))
	defer up.Close()
	logDir := t.TempDir()
	g := startGatehouse(t, Options{Args: []string{"--access-log-dir", logDir}})

	var api struct {
		ApiID       string `json:"apiId"`
		ApiEndpoint string `json:"apiEndpoint"`
	}
	g.mustCall(t, 201, "POST", "/v2/apis", map[string]any{"name": "dp", "protocolType": "HTTP"}).JSON(t, &api)
	var integ struct {
		IntegrationID string `json:"integrationId"`
	}
	g.mustCall(t, 201, "POST", "/v2/apis/"+api.ApiID+"/integrations", map[string]any{
		"integrationType": "HTTP_PROXY", "integrationMethod": "ANY", "payloadFormatVersion": "1.0",
		"integrationUri":    up.URL + "/svc/{proxy}",
		"requestParameters": map[string]string{"overwrite:header.x-stage": "$context.stage"},
	}).JSON(t, &integ)
	g.mustCall(t, 201, "POST", "/v2/apis/"+api.ApiID+"/routes", map[string]any{
		"routeKey": "ANY /api/{proxy+}", "target": "integrations/" + integ.IntegrationID})
	g.mustCall(t, 201, "POST", "/v2/apis/"+api.ApiID+"/stages", map[string]any{
		"stageName": "prod", "autoDeploy": true,
		"accessLogSettings": map[string]string{"destinationArn": "arn:aws:logs:us-east-1:000000000000:log-group:dp", "format": "$context.requestId $context.status"}})

	// 1. The apiEndpoint returned by CreateApi, as any HTTP client uses it.
	resp, err := http.Get(api.ApiEndpoint + "/prod/api/hello")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "pong /svc/hello" || lastHeader.Load() != "prod" {
		t.Fatalf("apiEndpoint: %d %q (upstream header %v)", resp.StatusCode, body, lastHeader.Load())
	}
	// 2. Python's urllib, no DNS setup.
	if py := requireBoto3(t); py != "" {
		out, err := runPython(t, nil, "urllib_get.py", api.ApiEndpoint+"/prod/api/py")
		if err != nil || !strings.Contains(out, "200") || !strings.Contains(out, "pong /svc/py") {
			t.Errorf("urllib: %v\n%s", err, out)
		}
	}
	// 3. Host form.
	r := g.call(t, "GET", "/prod/api/host", nil, "Host", api.ApiID+".execute-api.localhost")
	if r.Status != 200 || string(r.Body) != "pong /svc/host" {
		t.Errorf("host form: %d %q", r.Status, r.Body)
	}
	// 4. Custom domain with a multi-level API mapping.
	g.mustCall(t, 201, "POST", "/v2/domainnames", map[string]any{"domainName": "shop.example.test"})
	g.mustCall(t, 201, "POST", "/v2/domainnames/shop.example.test/apimappings", map[string]any{
		"apiId": api.ApiID, "stage": "prod", "apiMappingKey": "v1/store"})
	r = g.call(t, "GET", "/v1/store/api/items", nil, "Host", "shop.example.test")
	if r.Status != 200 || string(r.Body) != "pong /svc/items" {
		t.Errorf("custom domain: %d %q", r.Status, r.Body)
	}
	// 5. Unmatched requests: AWS's 404 body, JSON.
	r = g.call(t, "GET", "/_gatehouse/execute-api/us-east-1/"+api.ApiID+"/prod/nope", nil)
	if r.Status != 404 || string(r.Body) != `{"message":"Not Found"}` {
		t.Errorf("no route: %d %q", r.Status, r.Body)
	}
	// 6. Restart: deployments are rebuilt from the store.
	if code := g.Stop(t); code != 0 {
		t.Fatalf("gatehouse exited %d", code)
	}
	if b, _ := os.ReadFile(filepath.Join(logDir, "dp.log")); strings.Count(string(b), " 200") < 3 {
		t.Errorf("access log after shutdown:\n%s", b)
	}
	g2 := startGatehouse(t, Options{DataDir: g.DataDir})
	deadline := time.Now().Add(5 * time.Second)
	for {
		r = g2.call(t, "GET", "/prod/api/again", nil, "Host", api.ApiID+".execute-api.localhost")
		if r.Status == 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if r.Status != 200 || string(r.Body) != "pong /svc/again" {
		t.Errorf("after restart: %d %q", r.Status, r.Body)
	}
	// 7. Metrics count requests by api, stage, route and status.
	g2.call(t, "GET", "/prod/api/metrics", nil, "Host", api.ApiID+".execute-api.localhost")
	m := g2.mustCall(t, 200, "GET", "/_gatehouse/metrics", nil)
	if !strings.Contains(string(m.Body), `gatehouse_requests_total{api="`+api.ApiID+`",route="ANY /api/{proxy+}",stage="prod",status="200"}`) {
		t.Errorf("metrics missing the request counter:\n%.1500s", m.Body)
	}
}
