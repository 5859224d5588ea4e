package lambdasvc_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func TestInvokeRequestResponse(t *testing.T) {
	e := newEnv(t)
	e.createGo("go-fn")
	out, err := e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("go-fn"),
		Payload: []byte(`{"echo":"hi","print":"a log line"}`), LogType: types.LogTypeTail})
	noErr(t, "Invoke", err)
	var reply struct {
		Echo, RequestID, ARN string
	}
	json.Unmarshal(out.Payload, &reply)
	if out.StatusCode != 200 || out.FunctionError != nil || reply.Echo != "hi" || aws.ToString(out.ExecutedVersion) != "$LATEST" ||
		reply.ARN != "arn:aws:lambda:us-east-1:000000000000:function:go-fn" {
		t.Fatalf("Invoke = %d %v %s", out.StatusCode, out.FunctionError, out.Payload)
	}
	logs, err := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	if err != nil || !strings.Contains(string(logs), "START RequestId: "+reply.RequestID) ||
		!strings.Contains(string(logs), "a log line") || !strings.Contains(string(logs), "REPORT RequestId: "+reply.RequestID) {
		t.Fatalf("LogResult = %q (%v)", logs, err)
	}

	out, err = e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("go-fn"), Payload: []byte(`{"error":"it broke"}`)})
	noErr(t, "Invoke failing", err)
	if aws.ToString(out.FunctionError) != "Unhandled" || out.LogResult != nil ||
		!strings.Contains(string(out.Payload), `"errorMessage":"it broke"`) {
		t.Fatalf("failing Invoke = %v %s", out.FunctionError, out.Payload)
	}

	_, err = e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("missing")})
	wantAPIError(t, "Invoke missing", err, "ResourceNotFoundException", "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing")
	_, err = e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("go-fn"), Qualifier: aws.String("prod")})
	wantAPIError(t, "Invoke alias", err, "ResourceNotFoundException", "function:go-fn:prod")
	_, err = e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("go-fn"), Payload: []byte(`{not json`)})
	wantAPIError(t, "Invoke bad JSON", err, "InvalidRequestContentException", "Could not parse request body into json")
	_, err = e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("go-fn"),
		Payload: []byte(`"` + strings.Repeat("x", 6<<20) + `"`)})
	wantAPIError(t, "Invoke too large", err, "RequestTooLargeException", "Request must be smaller than 6291456 bytes")
}

func TestInvokeEventAndDryRun(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	src := "const fs = require('fs');\nexports.handler = async (e) => { fs.writeFileSync(" + jsString(marker) + ", JSON.stringify(e)); return 1; };\n"
	_, err := e.c.CreateFunction(e.ctx, &awslambda.CreateFunctionInput{FunctionName: aws.String("ev"), Role: aws.String(role),
		Runtime: types.RuntimeNodejs22x, Handler: aws.String("index.handler"),
		Code: &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"index.js": src}, 0o644)}})
	noErr(t, "CreateFunction", err)

	dry, err := e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("ev"), InvocationType: types.InvocationTypeDryRun})
	noErr(t, "Invoke DryRun", err)
	if dry.StatusCode != http.StatusNoContent {
		t.Errorf("DryRun status = %d", dry.StatusCode)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("DryRun ran the function")
	}
	ev, err := e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("ev"), InvocationType: types.InvocationTypeEvent,
		Payload: []byte(`{"async":true}`)})
	noErr(t, "Invoke Event", err)
	if ev.StatusCode != http.StatusAccepted || len(ev.Payload) != 0 {
		t.Errorf("Event = %d %q", ev.StatusCode, ev.Payload)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(marker)
		if err == nil && string(b) == `{"async":true}` {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Event invocation did not run (%q, %v)", b, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	_, err = e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("gone"), InvocationType: types.InvocationTypeEvent})
	wantAPIError(t, "Event to a missing function", err, "ResourceNotFoundException", "Function not found")
}

func jsString(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestInvokePythonMissingHandlerAndCrash(t *testing.T) {
	e := newEnv(t)
	zip := zipOf(t, map[string]string{"app.py": "import os\ndef handler(event, context):\n    if event.get('exit'):\n        os._exit(7)\n    return {'ok': True}\n"}, 0o644)
	for name, handler := range map[string]string{"py": "app.handler", "py-missing": "missing.handler"} {
		_, err := e.c.CreateFunction(e.ctx, &awslambda.CreateFunctionInput{FunctionName: aws.String(name), Role: aws.String(role),
			Runtime: types.RuntimePython312, Handler: aws.String(handler), Code: &types.FunctionCode{ZipFile: zip}})
		noErr(t, "CreateFunction "+name, err)
	}
	if got := invokeJSON(t, e, "py", `{}`); got["ok"] != true {
		t.Fatalf("python = %v", got)
	}
	out, err := e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("py-missing")})
	noErr(t, "Invoke py-missing", err)
	if aws.ToString(out.FunctionError) != "Unhandled" || !strings.Contains(string(out.Payload), `"errorType": "Runtime.ImportModuleError"`) &&
		!strings.Contains(string(out.Payload), `"errorType":"Runtime.ImportModuleError"`) {
		t.Fatalf("missing module = %v %s", out.FunctionError, out.Payload)
	}
	out, err = e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("py"), Payload: []byte(`{"exit":true}`)})
	noErr(t, "Invoke crash", err)
	if aws.ToString(out.FunctionError) != "Unhandled" || !strings.Contains(string(out.Payload), "Runtime.ExitError") ||
		!strings.Contains(string(out.Payload), "exit status 7") {
		t.Fatalf("crash = %v %s", out.FunctionError, out.Payload)
	}
	if got := invokeJSON(t, e, "py", `{}`); got["ok"] != true {
		t.Fatalf("python after a crash = %v", got)
	}
}

func TestLocalDirectoryFunctionReloads(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	write := func(v string) {
		src := "def handler(event, context):\n    return {'version': '" + v + "'}\n"
		if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("1")
	out, err := e.c.CreateFunction(e.ctx, &awslambda.CreateFunctionInput{FunctionName: aws.String("live"), Role: aws.String(role),
		Runtime: types.RuntimePython311, Handler: aws.String("app.handler"),
		Code: &types.FunctionCode{S3Bucket: aws.String("__local__"), S3Key: aws.String(dir)}})
	noErr(t, "CreateFunction local", err)
	if out.CodeSize != 0 || aws.ToString(out.CodeSha256) == "" {
		t.Errorf("local function code = %d %q", out.CodeSize, aws.ToString(out.CodeSha256))
	}
	if got := invokeJSON(t, e, "live", `{}`); got["version"] != "1" {
		t.Fatalf("first = %v", got)
	}
	write("22")
	if got := invokeJSON(t, e, "live", `{}`); got["version"] != "22" {
		t.Fatalf("after editing the directory = %v", got)
	}
	_, err = e.c.DeleteFunction(e.ctx, &awslambda.DeleteFunctionInput{FunctionName: aws.String("live")})
	noErr(t, "DeleteFunction", err)
	if _, err := os.Stat(filepath.Join(dir, "app.py")); err != nil {
		t.Fatalf("deleting a local function touched its directory: %v", err)
	}
}

func TestConcurrencyOperationsThrottle(t *testing.T) {
	e := newEnv(t)
	e.createGo("conc")
	got, err := e.c.GetFunctionConcurrency(e.ctx, &awslambda.GetFunctionConcurrencyInput{FunctionName: aws.String("conc")})
	noErr(t, "GetFunctionConcurrency", err)
	if got.ReservedConcurrentExecutions != nil {
		t.Fatalf("reserved concurrency before any = %v", *got.ReservedConcurrentExecutions)
	}
	put, err := e.c.PutFunctionConcurrency(e.ctx, &awslambda.PutFunctionConcurrencyInput{FunctionName: aws.String("conc"),
		ReservedConcurrentExecutions: aws.Int32(2)})
	noErr(t, "PutFunctionConcurrency", err)
	if aws.ToInt32(put.ReservedConcurrentExecutions) != 2 {
		t.Fatalf("PutFunctionConcurrency = %v", put.ReservedConcurrentExecutions)
	}
	fn, _ := e.c.GetFunction(e.ctx, &awslambda.GetFunctionInput{FunctionName: aws.String("conc")})
	if fn.Concurrency == nil || aws.ToInt32(fn.Concurrency.ReservedConcurrentExecutions) != 2 {
		t.Errorf("GetFunction Concurrency = %+v", fn.Concurrency)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, throttled := 0, 0
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("conc"), Payload: []byte(`{"sleepMs":800}`)})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok++
				return
			}
			var tm *types.TooManyRequestsException
			if asErr(err, &tm) {
				throttled++
				return
			}
			t.Errorf("Invoke: %v", err)
		}()
	}
	wg.Wait()
	if ok != 2 || throttled != 3 {
		t.Fatalf("5 parallel invocations with reserved concurrency 2: %d ran, %d throttled", ok, throttled)
	}
	_, err = e.c.DeleteFunctionConcurrency(e.ctx, &awslambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("conc")})
	noErr(t, "DeleteFunctionConcurrency", err)
	got, _ = e.c.GetFunctionConcurrency(e.ctx, &awslambda.GetFunctionConcurrencyInput{FunctionName: aws.String("conc")})
	if got.ReservedConcurrentExecutions != nil {
		t.Fatalf("reserved concurrency after delete = %v", *got.ReservedConcurrentExecutions)
	}
	_, err = e.c.PutFunctionConcurrency(e.ctx, &awslambda.PutFunctionConcurrencyInput{FunctionName: aws.String("none"),
		ReservedConcurrentExecutions: aws.Int32(1)})
	wantAPIError(t, "PutFunctionConcurrency missing", err, "ResourceNotFoundException", "Function not found")
}

func TestPermissions(t *testing.T) {
	e := newEnv(t)
	created := e.createGo("pol")
	_, err := e.c.GetPolicy(e.ctx, &awslambda.GetPolicyInput{FunctionName: aws.String("pol")})
	wantAPIError(t, "GetPolicy empty", err, "ResourceNotFoundException", "The resource you requested does not exist.")
	add, err := e.c.AddPermission(e.ctx, &awslambda.AddPermissionInput{FunctionName: aws.String("pol"),
		StatementId: aws.String("apigw"), Action: aws.String("lambda:InvokeFunction"),
		Principal: aws.String("apigateway.amazonaws.com"), SourceArn: aws.String("arn:aws:execute-api:us-east-1:000000000000:abc/*")})
	noErr(t, "AddPermission", err)
	wantStmt := `{"Sid":"apigw","Effect":"Allow","Principal":{"Service":"apigateway.amazonaws.com"},"Action":"lambda:InvokeFunction",` +
		`"Resource":"` + aws.ToString(created.FunctionArn) + `","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:execute-api:us-east-1:000000000000:abc/*"}}}`
	if aws.ToString(add.Statement) != wantStmt {
		t.Fatalf("Statement = %s\nwant        %s", aws.ToString(add.Statement), wantStmt)
	}
	_, err = e.c.AddPermission(e.ctx, &awslambda.AddPermissionInput{FunctionName: aws.String("pol"),
		StatementId: aws.String("apigw"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("123456789012")})
	wantAPIError(t, "AddPermission duplicate", err, "ResourceConflictException", "The statement id (apigw) provided already exists")
	_, err = e.c.AddPermission(e.ctx, &awslambda.AddPermissionInput{FunctionName: aws.String("pol"),
		StatementId: aws.String("acct"), Action: aws.String("lambda:GetFunction"), Principal: aws.String("123456789012")})
	noErr(t, "AddPermission account", err)
	pol, err := e.c.GetPolicy(e.ctx, &awslambda.GetPolicyInput{FunctionName: aws.String("pol")})
	noErr(t, "GetPolicy", err)
	wantPolicy := `{"Version":"2012-10-17","Id":"default","Statement":[` + wantStmt +
		`,{"Sid":"acct","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"lambda:GetFunction","Resource":"` +
		aws.ToString(created.FunctionArn) + `"}]}`
	if aws.ToString(pol.Policy) != wantPolicy || aws.ToString(pol.RevisionId) == "" {
		t.Fatalf("Policy = %s\nwant     %s", aws.ToString(pol.Policy), wantPolicy)
	}
	_, err = e.c.RemovePermission(e.ctx, &awslambda.RemovePermissionInput{FunctionName: aws.String("pol"), StatementId: aws.String("apigw")})
	noErr(t, "RemovePermission", err)
	_, err = e.c.RemovePermission(e.ctx, &awslambda.RemovePermissionInput{FunctionName: aws.String("pol"), StatementId: aws.String("apigw")})
	wantAPIError(t, "RemovePermission again", err, "ResourceNotFoundException", "Statement apigw is not found in resource policy.")
	pol, _ = e.c.GetPolicy(e.ctx, &awslambda.GetPolicyInput{FunctionName: aws.String("pol")})
	if strings.Contains(aws.ToString(pol.Policy), `"apigw"`) {
		t.Fatalf("removed statement still in %s", aws.ToString(pol.Policy))
	}
}

func TestInvokeTimeout(t *testing.T) {
	e := newEnv(t)
	e.createGo("sleepy")
	_, err := e.c.UpdateFunctionConfiguration(e.ctx, &awslambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("sleepy"), Timeout: aws.Int32(1)})
	noErr(t, "UpdateFunctionConfiguration", err)
	start := time.Now()
	out, err := e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String("sleepy"), Payload: []byte(`{"sleepMs":5000}`)})
	noErr(t, "Invoke", err)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("a 1 s timeout took %v", took)
	}
	if aws.ToString(out.FunctionError) != "Unhandled" || !strings.HasSuffix(string(out.Payload), `Task timed out after 1.00 seconds"}`) {
		t.Fatalf("timeout = %v %s", out.FunctionError, out.Payload)
	}
	if got := invokeJSON(t, e, "sleepy", `{"echo":"fresh"}`); got["echo"] != "fresh" {
		t.Fatalf("after a timeout: %v", got)
	}
}
