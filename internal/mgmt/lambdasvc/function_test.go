package lambdasvc_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func TestCreateGetListDelete(t *testing.T) {
	e := newEnv(t)
	created := e.createGo("fn-one")
	sum := sha256.Sum256(goZip(t))
	if aws.ToString(created.FunctionArn) != "arn:aws:lambda:us-east-1:000000000000:function:fn-one" ||
		aws.ToString(created.CodeSha256) != base64.StdEncoding.EncodeToString(sum[:]) ||
		created.CodeSize != int64(len(goZip(t))) || created.State != types.StateActive ||
		aws.ToString(created.Version) != "$LATEST" || aws.ToInt32(created.Timeout) != 3 ||
		aws.ToInt32(created.MemorySize) != 128 || created.PackageType != types.PackageTypeZip {
		t.Fatalf("CreateFunction = %+v", created)
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$`).MatchString(aws.ToString(created.LastModified)) {
		t.Errorf("LastModified = %q", aws.ToString(created.LastModified))
	}
	// The package is unpacked under the data directory.
	hexSum := filepath.Join(e.dataDir, "functions", "us-east-1", "fn-one")
	if entries, err := os.ReadDir(hexSum); err != nil || len(entries) != 1 {
		t.Fatalf("code directory: %v %v", entries, err)
	}

	got, err := e.c.GetFunction(e.ctx, &awslambda.GetFunctionInput{FunctionName: aws.String("fn-one")})
	noErr(t, "GetFunction", err)
	if aws.ToString(got.Configuration.CodeSha256) != aws.ToString(created.CodeSha256) || aws.ToString(got.Code.RepositoryType) != "S3" {
		t.Fatalf("GetFunction = %+v", got.Configuration)
	}
	byARN, err := e.c.GetFunctionConfiguration(e.ctx, &awslambda.GetFunctionConfigurationInput{FunctionName: created.FunctionArn})
	noErr(t, "GetFunctionConfiguration", err)
	if aws.ToString(byARN.RevisionId) != aws.ToString(created.RevisionId) {
		t.Errorf("GetFunctionConfiguration by ARN: %+v", byARN)
	}

	// Regions do not see each other's functions.
	_, err = e.client("eu-west-1").GetFunction(e.ctx, &awslambda.GetFunctionInput{FunctionName: aws.String("fn-one")})
	wantAPIError(t, "GetFunction in eu-west-1", err, "ResourceNotFoundException",
		"Function not found: arn:aws:lambda:eu-west-1:000000000000:function:fn-one")

	_, err = e.c.CreateFunction(e.ctx, &awslambda.CreateFunctionInput{
		FunctionName: aws.String("fn-one"), Role: aws.String(role), Runtime: types.RuntimeProvidedal2023,
		Handler: aws.String("bootstrap"), Code: &types.FunctionCode{ZipFile: goZip(t)},
	})
	wantAPIError(t, "CreateFunction duplicate", err, "ResourceConflictException", "Function already exist: fn-one")

	_, err = e.c.DeleteFunction(e.ctx, &awslambda.DeleteFunctionInput{FunctionName: aws.String("fn-one")})
	noErr(t, "DeleteFunction", err)
	_, err = e.c.GetFunction(e.ctx, &awslambda.GetFunctionInput{FunctionName: aws.String("fn-one")})
	wantAPIError(t, "GetFunction after delete", err, "ResourceNotFoundException", "Function not found")
	_, err = e.c.DeleteFunction(e.ctx, &awslambda.DeleteFunctionInput{FunctionName: aws.String("fn-one")})
	wantAPIError(t, "DeleteFunction again", err, "ResourceNotFoundException", "Function not found")
	if _, err := os.Stat(hexSum); !os.IsNotExist(err) {
		t.Errorf("code directory left after delete: %v", err)
	}
}

func TestListFunctionsPages(t *testing.T) {
	e := newEnv(t)
	zip := zipOf(t, map[string]string{"index.js": "exports.handler = async () => 1;"}, 0o644)
	var want []string
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		_, err := e.c.CreateFunction(e.ctx, &awslambda.CreateFunctionInput{FunctionName: aws.String(name),
			Role: aws.String(role), Runtime: types.RuntimeNodejs20x, Handler: aws.String("index.handler"),
			Code: &types.FunctionCode{ZipFile: zip}})
		noErr(t, "CreateFunction", err)
		want = append(want, name)
	}
	var got []string
	p := awslambda.NewListFunctionsPaginator(e.c, &awslambda.ListFunctionsInput{MaxItems: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(e.ctx)
		noErr(t, "ListFunctions", err)
		pages++
		for _, f := range out.Functions {
			got = append(got, aws.ToString(f.FunctionName))
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") || pages != 3 {
		t.Fatalf("listed %v in %d pages, want %v in 3", got, pages, want)
	}
	_, err := e.c.ListFunctions(e.ctx, &awslambda.ListFunctionsInput{Marker: aws.String("bogus")})
	wantAPIError(t, "ListFunctions bad marker", err, "InvalidParameterValueException", "Marker")
}

func TestCreateFunctionErrors(t *testing.T) {
	e := newEnv(t)
	nodeZip := zipOf(t, map[string]string{"index.js": "exports.handler = async () => 1;"}, 0o644)
	for _, tc := range []struct {
		name     string
		in       awslambda.CreateFunctionInput
		code     string
		contains string
	}{
		{"unsupported runtime", awslambda.CreateFunctionInput{FunctionName: aws.String("j"), Runtime: types.RuntimeJava21,
			Handler: aws.String("a.B::h"), Code: &types.FunctionCode{ZipFile: nodeZip}},
			"InvalidParameterValueException", "The runtime parameter of java21 is not supported"},
		{"unknown runtime", awslambda.CreateFunctionInput{FunctionName: aws.String("u"), Runtime: types.Runtime("cobol85"),
			Handler: aws.String("a.b"), Code: &types.FunctionCode{ZipFile: nodeZip}},
			"ValidationException", "Value 'cobol85' at 'runtime' failed to satisfy constraint"},
		{"bad zip", awslambda.CreateFunctionInput{FunctionName: aws.String("z"), Runtime: types.RuntimeNodejs20x,
			Handler: aws.String("index.handler"), Code: &types.FunctionCode{ZipFile: []byte("not a zip")}},
			"InvalidParameterValueException", "Could not unzip uploaded file"},
		{"zip slip", awslambda.CreateFunctionInput{FunctionName: aws.String("s"), Runtime: types.RuntimeNodejs20x,
			Handler: aws.String("index.handler"), Code: &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"../x.js": "1"}, 0o644)}},
			"InvalidParameterValueException", "Could not unzip uploaded file"},
		{"no handler", awslambda.CreateFunctionInput{FunctionName: aws.String("h"), Runtime: types.RuntimePython312,
			Code: &types.FunctionCode{ZipFile: nodeZip}},
			"InvalidParameterValueException", "Runtime and Handler are mandatory"},
		{"reserved env", awslambda.CreateFunctionInput{FunctionName: aws.String("r"), Runtime: types.RuntimeNodejs20x,
			Handler: aws.String("index.handler"), Code: &types.FunctionCode{ZipFile: nodeZip},
			Environment: &types.Environment{Variables: map[string]string{"AWS_REGION": "x", "OK": "1"}}},
			"InvalidParameterValueException", "Reserved keys used in this request: AWS_REGION"},
		{"s3 code", awslambda.CreateFunctionInput{FunctionName: aws.String("b"), Runtime: types.RuntimeNodejs20x,
			Handler: aws.String("index.handler"), Code: &types.FunctionCode{S3Bucket: aws.String("my-bucket"), S3Key: aws.String("k.zip")}},
			"InvalidParameterValueException", "cannot read code from S3"},
		{"relative local dir", awslambda.CreateFunctionInput{FunctionName: aws.String("l"), Runtime: types.RuntimeNodejs20x,
			Handler: aws.String("index.handler"), Code: &types.FunctionCode{S3Bucket: aws.String("__local__"), S3Key: aws.String("rel/dir")}},
			"InvalidParameterValueException", "absolute directory"},
		{"timeout too long", awslambda.CreateFunctionInput{FunctionName: aws.String("t"), Runtime: types.RuntimeNodejs20x,
			Handler: aws.String("index.handler"), Code: &types.FunctionCode{ZipFile: nodeZip}, Timeout: aws.Int32(901)},
			"ValidationException", "less than or equal to 900"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Role = aws.String(role)
			_, err := e.c.CreateFunction(e.ctx, &in)
			wantAPIError(t, "CreateFunction", err, tc.code, tc.contains)
			_, err = e.c.GetFunction(e.ctx, &awslambda.GetFunctionInput{FunctionName: in.FunctionName})
			wantAPIError(t, "GetFunction after a failed create", err, "ResourceNotFoundException", "")
		})
	}
	if entries, _ := os.ReadDir(filepath.Join(e.dataDir, "functions", "us-east-1")); len(entries) != 0 {
		t.Errorf("failed creates left code behind: %v", entries)
	}
}

func TestUpdateFunctionConfigurationAndCode(t *testing.T) {
	e := newEnv(t)
	created := e.createGo("upd")
	out, err := e.c.UpdateFunctionConfiguration(e.ctx, &awslambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("upd"), Timeout: aws.Int32(10), MemorySize: aws.Int32(256),
		Environment: &types.Environment{Variables: map[string]string{"GREETING": "hello"}},
	})
	noErr(t, "UpdateFunctionConfiguration", err)
	if aws.ToInt32(out.Timeout) != 10 || aws.ToInt32(out.MemorySize) != 256 || out.Environment.Variables["GREETING"] != "hello" ||
		aws.ToString(out.RevisionId) == aws.ToString(created.RevisionId) || aws.ToString(out.Handler) != "bootstrap" {
		t.Fatalf("UpdateFunctionConfiguration = %+v", out)
	}
	if got := invokeJSON(t, e, "upd", `{"env":"GREETING"}`); got["env"] != "hello" {
		t.Fatalf("the function sees %v, want GREETING=hello", got)
	}
	_, err = e.c.UpdateFunctionConfiguration(e.ctx, &awslambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("upd"), RevisionId: created.RevisionId, Timeout: aws.Int32(5)})
	wantAPIError(t, "UpdateFunctionConfiguration stale revision", err, "PreconditionFailedException", "Revision Id")
	_, err = e.c.UpdateFunctionConfiguration(e.ctx, &awslambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("upd"), Runtime: types.RuntimeRuby33})
	wantAPIError(t, "UpdateFunctionConfiguration ruby", err, "InvalidParameterValueException", "ruby3.3")
	_, err = e.c.UpdateFunctionConfiguration(e.ctx, &awslambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("nope"), Timeout: aws.Int32(5)})
	wantAPIError(t, "UpdateFunctionConfiguration missing", err, "ResourceNotFoundException", "Function not found")

	// New code: a Node.js function replaces the Go one.
	nodeZip := zipOf(t, map[string]string{"index.js": "exports.handler = async (e) => ({ from: 'node', env: process.env[e.env] });"}, 0o644)
	_, err = e.c.UpdateFunctionConfiguration(e.ctx, &awslambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("upd"), Runtime: types.RuntimeNodejs20x, Handler: aws.String("index.handler")})
	noErr(t, "UpdateFunctionConfiguration to node", err)
	code, err := e.c.UpdateFunctionCode(e.ctx, &awslambda.UpdateFunctionCodeInput{FunctionName: aws.String("upd"), ZipFile: nodeZip})
	noErr(t, "UpdateFunctionCode", err)
	sum := sha256.Sum256(nodeZip)
	if aws.ToString(code.CodeSha256) != base64.StdEncoding.EncodeToString(sum[:]) {
		t.Errorf("CodeSha256 = %s", aws.ToString(code.CodeSha256))
	}
	if got := invokeJSON(t, e, "upd", `{"env":"GREETING"}`); got["from"] != "node" || got["env"] != "hello" {
		t.Fatalf("after UpdateFunctionCode: %v", got)
	}
	if entries, _ := os.ReadDir(filepath.Join(e.dataDir, "functions", "us-east-1", "upd")); len(entries) != 1 {
		t.Errorf("old packages kept: %d directories", len(entries))
	}
	_, err = e.c.UpdateFunctionCode(e.ctx, &awslambda.UpdateFunctionCodeInput{FunctionName: aws.String("upd"), ZipFile: []byte("junk")})
	wantAPIError(t, "UpdateFunctionCode bad zip", err, "InvalidParameterValueException", "Could not unzip")
}

func TestUnsupportedOperation(t *testing.T) {
	e := newEnv(t)
	_, err := e.c.ListLayers(e.ctx, &awslambda.ListLayersInput{})
	wantAPIError(t, "ListLayers", err, "UnsupportedOperationException", "ListLayers")
}

// invokeJSON invokes a function synchronously and decodes its JSON result.
func invokeJSON(t *testing.T, e *env, name, payload string) map[string]any {
	t.Helper()
	out, err := e.c.Invoke(e.ctx, &awslambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(payload)})
	noErr(t, "Invoke", err)
	if out.FunctionError != nil {
		t.Fatalf("Invoke(%s): function error %s: %s", name, aws.ToString(out.FunctionError), out.Payload)
	}
	var m map[string]any
	if err := json.Unmarshal(out.Payload, &m); err != nil {
		t.Fatalf("Invoke(%s) payload %s: %v", name, out.Payload, err)
	}
	return m
}
