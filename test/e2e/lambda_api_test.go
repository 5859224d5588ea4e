package e2e

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLambdaBehindHTTPAPI is the whole user path of the issue, with the real
// binary and the AWS CLI: `aws lambda create-function --zip-file fileb://`,
// `aws apigatewayv2 create-api --target <function ARN>` (quick create), then
// plain HTTP requests to the API's endpoint, for a Node, a Python and a Go
// function (aws-lambda-go), and a function that throws.
func TestLambdaBehindHTTPAPI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	if _, err := exec.LookPath("node"); err != nil {
		missingTool(t, "node is not available: %v", err)
	}
	g := startGatehouse(t, Options{})
	role := "arn:aws:iam::000000000000:role/lambda"

	// deploy creates the function and a quick-created API for it and returns
	// the API's endpoint.
	deploy := func(name, runtime, handler, zipPath string) string {
		t.Helper()
		var fn struct{ FunctionArn string }
		mustAWS(t, g, "lambda", "create-function", "--function-name", name, "--runtime", runtime,
			"--handler", handler, "--role", role, "--zip-file", "fileb://"+zipPath).JSON(t, &fn)
		var api struct{ ApiId, ApiEndpoint string }
		mustAWS(t, g, "apigatewayv2", "create-api", "--name", name, "--protocol-type", "HTTP",
			"--target", fn.FunctionArn).JSON(t, &api)
		if api.ApiEndpoint == "" {
			t.Fatalf("create-api %s: no apiEndpoint", name)
		}
		return api.ApiEndpoint
	}
	get := func(url string, hdr ...string) (int, http.Header, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Add(hdr[i], hdr[i+1])
		}
		c := &http.Client{Timeout: 30 * time.Second}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, body
	}

	t.Run("node", func(t *testing.T) {
		zipPath := zipFiles(t, map[string]string{"index.js": `
exports.handler = async (event) => ({
  statusCode: 201,
  headers: { "content-type": "application/json", "x-fn": "node" },
  cookies: ["a=1; Path=/", "b=2"],
  body: JSON.stringify({ path: event.rawPath, q: event.queryStringParameters, h: event.headers["x-test"],
                         route: event.routeKey, version: event.version, stage: event.requestContext.stage }),
});`})
		ep := deploy("node-api", "nodejs20.x", "index.handler", zipPath)
		status, h, body := get(ep+"/pets/7?x=1&x=2&y=z", "X-Test", "one", "X-Test", "two")
		var got struct {
			Path, H, Route, Version, Stage string
			Q                              map[string]string
		}
		if err := json.Unmarshal(body, &got); err != nil || status != 201 {
			t.Fatalf("status %d, body %s (%v)", status, body, err)
		}
		if got.Path != "/pets/7" || got.Q["x"] != "1,2" || got.Q["y"] != "z" || got.H != "one,two" ||
			got.Route != "$default" || got.Version != "2.0" || got.Stage != "$default" {
			t.Errorf("event as the function saw it: %+v", got)
		}
		if h.Get("X-Fn") != "node" || strings.Join(h.Values("Set-Cookie"), "|") != "a=1; Path=/|b=2" {
			t.Errorf("response headers: %v", h)
		}
	})

	t.Run("python", func(t *testing.T) {
		zipPath := zipFiles(t, map[string]string{"app.py": `
import json

def handler(event, context):
    return {"statusCode": 202, "body": json.dumps({"method": event["requestContext"]["http"]["method"],
            "fn": context.function_name, "path": event["rawPath"]})}
`})
		ep := deploy("py-api", "python3.12", "app.handler", zipPath)
		status, _, body := get(ep + "/hello")
		if status != 202 || string(body) != `{"method": "GET", "fn": "py-api", "path": "/hello"}` {
			t.Fatalf("status %d, body %s", status, body)
		}
	})

	t.Run("go", func(t *testing.T) {
		// testdata/gofn answers a struct without statusCode: payload 2.0
		// infers a 200 whose body is the whole JSON output.
		ep := deploy("go-api", "provided.al2023", "bootstrap", goFunctionZip(t))
		status, h, body := get(ep + "/anything")
		var got struct {
			RequestID, ARN string
		}
		if err := json.Unmarshal(body, &got); err != nil || status != 200 || h.Get("Content-Type") != "application/json" {
			t.Fatalf("status %d, content-type %q, body %s (%v)", status, h.Get("Content-Type"), body, err)
		}
		if got.ARN != "arn:aws:lambda:us-east-1:000000000000:function:go-api" || got.RequestID == "" {
			t.Errorf("context as the function saw it: %+v", got)
		}
		// Warm: the same instance answers again.
		if status, _, _ := get(ep + "/again"); status != 200 {
			t.Fatalf("second request: %d", status)
		}
	})

	t.Run("function error", func(t *testing.T) {
		zipPath := zipFiles(t, map[string]string{"index.js": `exports.handler = async () => { throw new Error("boom"); };`})
		ep := deploy("throws-api", "nodejs20.x", "index.handler", zipPath)
		status, h, body := get(ep + "/x")
		if status != 500 || string(body) != `{"message":"Internal Server Error"}` || h.Get("Apigw-Requestid") == "" {
			t.Fatalf("status %d, body %s, headers %v", status, body, h)
		}
	})
}

// zipFiles writes a zip of the named files (mode 0644) and returns its path.
func zipFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, content)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "fn.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
