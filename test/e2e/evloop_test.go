package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

// TestEvloopServer runs the gateway on the experimental event-loop server
// (--http-server evloop): management calls, an HTTP_PROXY route with and
// without a body (Content-Length and chunked), the gateway's own 413 past
// 10 MB, and a graceful stop.
func TestEvloopServer(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the evloop server is Linux only")
	}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		io.WriteString(w, r.Method+" "+r.URL.Path+" "+string(b))
	}))
	defer up.Close()
	g := startGatehouse(t, Options{Args: []string{"--http-server", "evloop"}})

	var api struct {
		ApiID       string `json:"apiId"`
		ApiEndpoint string `json:"apiEndpoint"`
	}
	g.mustCall(t, 201, "POST", "/v2/apis", map[string]any{"name": "ev", "protocolType": "HTTP"}).JSON(t, &api)
	var integ struct {
		IntegrationID string `json:"integrationId"`
	}
	g.mustCall(t, 201, "POST", "/v2/apis/"+api.ApiID+"/integrations", map[string]any{
		"integrationType": "HTTP_PROXY", "integrationMethod": "ANY", "payloadFormatVersion": "1.0",
		"integrationUri": up.URL + "/svc/{proxy}",
	}).JSON(t, &integ)
	g.mustCall(t, 201, "POST", "/v2/apis/"+api.ApiID+"/routes", map[string]any{
		"routeKey": "ANY /api/{proxy+}", "target": "integrations/" + integ.IntegrationID})
	g.mustCall(t, 201, "POST", "/v2/apis/"+api.ApiID+"/stages", map[string]any{"stageName": "prod", "autoDeploy": true})
	var list struct {
		Items []struct {
			ApiID string `json:"apiId"`
		} `json:"items"`
	}
	g.mustCall(t, 200, "GET", "/v2/apis", nil).JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].ApiID != api.ApiID {
		t.Fatalf("GetApis: %+v", list)
	}

	resp, err := http.Get(api.ApiEndpoint + "/prod/api/hello")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "GET /svc/hello " {
		t.Fatalf("GET through the proxy: %d %q", resp.StatusCode, body)
	}
	r := g.call(t, "POST", "/prod/api/post", "payload", "Host", api.ApiID+".execute-api.localhost")
	if r.Status != 200 || string(r.Body) != "POST /svc/post payload" {
		t.Errorf("POST through the proxy: %d %q", r.Status, r.Body)
	}
	// Chunked: a reader of unknown length.
	r = g.call(t, "PUT", "/prod/api/chunked", io.MultiReader(strings.NewReader("a"), strings.NewReader("b")),
		"Host", api.ApiID+".execute-api.localhost")
	if r.Status != 200 || string(r.Body) != "PUT /svc/chunked ab" {
		t.Errorf("chunked PUT through the proxy: %d %q", r.Status, r.Body)
	}
	r = g.call(t, "POST", "/prod/api/big", strings.Repeat("x", 10<<20+1), "Host", api.ApiID+".execute-api.localhost")
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over 10 MB: %d %.200q", r.Status, r.Body)
	}
	if code := g.Stop(t); code != 0 {
		t.Fatalf("gatehouse exited %d:\n%s", code, tail(g.Logs(), 2000))
	}
}
