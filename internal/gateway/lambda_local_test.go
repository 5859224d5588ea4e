package gateway_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/lambda/local"
)

// buildLambdaFunction builds testdata/lambdafn (aws-lambda-go) as a
// provided.al2023 bootstrap in a directory removed when the test ends.
func buildLambdaFunction(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", filepath.Join(dir, "bootstrap"), "./testdata/lambdafn")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building testdata/lambdafn: %v\n%s", err, out)
	}
	return dir
}

// TestLambdaThroughLocalRunner runs an unmodified aws-lambda-go function as
// a local process behind an HTTP API: the function decodes the gateway's
// events with aws-lambda-go's types and the gateway interprets its responses.
func TestLambdaThroughLocalRunner(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a function process")
	}
	dir := buildLambdaFunction(t)
	runner, err := local.New(local.Config{AccountID: "000000000000", DataDir: t.TempDir(), StopGrace: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { runner.Close() })
	for name, env := range map[string]map[string]string{"pets": nil, "pets1": {"FORMAT": "1.0"}} {
		runner.Put(local.Function{Region: "us-east-1", Name: name, ARN: "arn:aws:lambda:us-east-1:000000000000:function:" + name,
			Runtime: "provided.al2023", Handler: "bootstrap", CodeDir: dir, Timeout: 3 * time.Second, MemoryMB: 128, Env: env})
	}
	e := newEnv(t, envOpts{lambda: lambda.Chain{runner}})
	ep := lambdaAPI(e, "golocal", "2.0", "POST /pets/{id}", "prod")
	r := e.call("POST", ep+"/prod/pets/7?a=1&a=2", "", `{"n":1}`, "Content-Type", "application/json", "Cookie", "c=1; d=2")
	if r.status != 201 || r.header.Get("X-Fn") != "go" || !reflect.DeepEqual(r.header.Values("Set-Cookie"), []string{"a=1", "b=2; Path=/"}) {
		t.Fatalf("POST = %d %q %v", r.status, r.body, r.header)
	}
	var echo map[string]any
	if err := json.Unmarshal([]byte(r.body), &echo); err != nil {
		t.Fatalf("function answered %q: %v", r.body, err)
	}
	want := map[string]any{"routeKey": "POST /pets/{id}", "rawPath": "/prod/pets/7", "query": map[string]any{"a": "1,2"},
		"cookies": []any{"c=1", "d=2"}, "path": map[string]any{"id": "7"}, "body": `{"n":1}`, "b64": false,
		"requestId": r.header.Get("Apigw-Requestid"), "stage": "prod", "vars": map[string]any{"env": "test", "fn": "pets"}}
	if !reflect.DeepEqual(echo, want) {
		t.Errorf("the function saw %v\nwant %v", echo, want)
	}
	if r := e.call("POST", ep+"/prod/pets/fail", "", ""); r.status != 500 || r.body != `{"message":"Internal Server Error"}` {
		t.Errorf("function error: %d %q", r.status, r.body)
	}

	ep1 := lambdaAPI(e, "golocal1", "1.0", "GET /items/{proxy+}", "$default", func(in *apigatewayv2.CreateIntegrationInput) {
		in.IntegrationUri = aws.String("arn:aws:lambda:us-east-1:000000000000:function:pets1")
	})
	r = e.call("GET", ep1+"/items/a/b?t=x&t=y", "", "")
	if r.status != 200 || !reflect.DeepEqual(r.header.Values("X-Multi"), []string{"1", "2"}) {
		t.Fatalf("1.0 GET = %d %q %v", r.status, r.body, r.header)
	}
	echo = nil
	json.Unmarshal([]byte(r.body), &echo)
	want = map[string]any{"resource": "/items/{proxy+}", "path": "/items/a/b", "multiQuery": map[string]any{"t": []any{"x", "y"}},
		"requestId": r.header.Get("Apigw-Requestid")}
	if !reflect.DeepEqual(echo, want) {
		t.Errorf("the 1.0 function saw %v\nwant %v", echo, want)
	}
}
