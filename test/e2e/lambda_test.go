package e2e

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLambdaCLI drives the Lambda management subset with the real AWS CLI
// and a real Go function built with aws-lambda-go: create-function with
// --zip-file fileb://, invoke (with a log tail), errors and exit codes,
// and that stopping Gatehouse stops the function's process.
func TestLambdaCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	zipPath := goFunctionZip(t)
	g := startGatehouse(t, Options{})
	role := "arn:aws:iam::000000000000:role/lambda"

	var created struct{ FunctionName, FunctionArn, State, Runtime, CodeSha256 string }
	mustAWS(t, g, "lambda", "create-function", "--function-name", "go-fn", "--runtime", "provided.al2023",
		"--handler", "bootstrap", "--role", role, "--zip-file", "fileb://"+zipPath).JSON(t, &created)
	if created.FunctionArn != "arn:aws:lambda:us-east-1:000000000000:function:go-fn" || created.State != "Active" || created.CodeSha256 == "" {
		t.Fatalf("create-function: %+v", created)
	}

	out := filepath.Join(t.TempDir(), "out.json")
	var inv struct {
		StatusCode      int
		FunctionError   string
		LogResult       string
		ExecutedVersion string
	}
	mustAWS(t, g, append(append([]string{"lambda", "invoke", "--function-name", "go-fn", "--log-type", "Tail"},
		cliPayload(t, `{"echo":"from the cli","print":"hello log"}`)...), out)...).JSON(t, &inv)
	body, _ := os.ReadFile(out)
	var reply struct {
		Echo, RequestID string
		PID             int
	}
	json.Unmarshal(body, &reply)
	logs, _ := base64.StdEncoding.DecodeString(inv.LogResult)
	if inv.StatusCode != 200 || inv.FunctionError != "" || inv.ExecutedVersion != "$LATEST" || reply.Echo != "from the cli" ||
		!strings.Contains(string(logs), "hello log") || !strings.Contains(string(logs), "REPORT RequestId: "+reply.RequestID) {
		t.Fatalf("invoke: %+v, payload %s, log %q", inv, body, logs)
	}

	mustAWS(t, g, append(append([]string{"lambda", "invoke", "--function-name", "go-fn"},
		cliPayload(t, `{"error":"bad input"}`)...), out)...).JSON(t, &inv)
	body, _ = os.ReadFile(out)
	if inv.FunctionError != "Unhandled" || !strings.Contains(string(body), `"errorMessage":"bad input"`) {
		t.Fatalf("failing invoke: %+v %s", inv, body)
	}

	r := runAWS(t, g, "lambda", "invoke", "--function-name", "nope", out)
	if r.Code == 0 || !strings.Contains(r.Stderr, "ResourceNotFoundException") ||
		!strings.Contains(r.Stderr, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope") {
		t.Fatalf("invoke of a missing function: exit %d, %s", r.Code, r.Stderr)
	}
	r = runAWS(t, g, "lambda", "create-function", "--function-name", "go-fn", "--runtime", "provided.al2023",
		"--handler", "bootstrap", "--role", role, "--zip-file", "fileb://"+zipPath)
	if r.Code == 0 || !strings.Contains(r.Stderr, "ResourceConflictException") {
		t.Fatalf("duplicate create-function: exit %d, %s", r.Code, r.Stderr)
	}
	r = runAWS(t, g, "lambda", "create-function", "--function-name", "rb", "--runtime", "ruby3.3",
		"--handler", "x.y", "--role", role, "--zip-file", "fileb://"+zipPath)
	if r.Code == 0 || !strings.Contains(r.Stderr, "InvalidParameterValueException") {
		t.Fatalf("create-function with an unsupported runtime: exit %d, %s", r.Code, r.Stderr)
	}

	var list struct {
		Functions []struct{ FunctionName string }
	}
	mustAWS(t, g, "lambda", "list-functions").JSON(t, &list)
	if len(list.Functions) != 1 || list.Functions[0].FunctionName != "go-fn" {
		t.Fatalf("list-functions: %+v", list)
	}

	if code := g.Stop(t); code != 0 {
		t.Fatalf("gatehouse exited with %d", code)
	}
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(reply.PID, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("function process %d outlived gatehouse", reply.PID)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestLambdaBoto3 drives the Lambda API with boto3: a Python function
// uploaded as a zip, RequestResponse with a log tail, a function error,
// Event and DryRun invocations, the paginator, permissions and modelled
// exceptions.
func TestLambdaBoto3(t *testing.T) {
	t.Parallel()
	requireBoto3(t)
	g := startGatehouse(t, Options{})
	out, err := runPython(t, nil, "lambda_boto3.py", g.URL)
	if err != nil {
		t.Fatalf("lambda_boto3.py: %v\n%s", err, out)
	}
	if !strings.Contains(out, "OK lambda") {
		t.Fatalf("lambda_boto3.py did not report success:\n%s", out)
	}
}

// cliPayload returns the global options that make the AWS CLI send payload
// as raw JSON (CLI v2 reads blobs as base64 unless told otherwise).
func cliPayload(t *testing.T, payload string) []string {
	t.Helper()
	v, _ := exec.Command(requireAWSCLI(t), "--version").CombinedOutput()
	if strings.HasPrefix(string(v), "aws-cli/1.") {
		return []string{"--payload", payload}
	}
	return []string{"--cli-binary-format", "raw-in-base64-out", "--payload", payload}
}

// goFunctionZip builds internal/lambda/local/testdata/gofn (aws-lambda-go's
// lambda.Start) as bootstrap and zips it; it returns the zip's path.
func goFunctionZip(t *testing.T) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bootstrap")
	build := exec.Command(goTool(), "build", "-o", bin, "./internal/lambda/local/testdata/gofn")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the Go function: %v\n%s", err, out)
	}
	exe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(exe)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(dir, "fn.zip")
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return zipPath
}

// TestLambdaSurvivesRestart: functions are stored; after a restart on the
// same data directory they are listed and run, and /_gatehouse/reset
// forgets them.
func TestLambdaSurvivesRestart(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	dir := t.TempDir()
	code := t.TempDir()
	if err := os.WriteFile(filepath.Join(code, "index.js"), []byte("exports.handler = async (e) => ({ again: e.n + 1 });\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := startGatehouse(t, Options{DataDir: dir})
	mustAWS(t, g, "lambda", "create-function", "--function-name", "kept", "--runtime", "nodejs20.x",
		"--handler", "index.handler", "--role", "arn:aws:iam::000000000000:role/r",
		"--code", "S3Bucket=__local__,S3Key="+code)
	if code := g.Stop(t); code != 0 {
		t.Fatalf("gatehouse exited with %d", code)
	}
	g = startGatehouse(t, Options{DataDir: dir})
	out := filepath.Join(t.TempDir(), "out.json")
	mustAWS(t, g, append(append([]string{"lambda", "invoke", "--function-name", "kept"}, cliPayload(t, `{"n":41}`)...), out)...)
	if b, _ := os.ReadFile(out); string(b) != `{"again":42}` {
		t.Fatalf("after a restart the function answered %s", b)
	}
	g.mustCall(t, 204, "POST", "/_gatehouse/reset", nil)
	if r := runAWS(t, g, "lambda", "get-function", "--function-name", "kept"); r.Code == 0 || !strings.Contains(r.Stderr, "ResourceNotFoundException") {
		t.Fatalf("get-function after reset: exit %d %s", r.Code, r.Stderr)
	}
}
