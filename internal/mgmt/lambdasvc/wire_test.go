package lambdasvc_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/gatehouse-dev/gatehouse/internal/lambda/local"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/lambdasvc"
	"github.com/gatehouse-dev/gatehouse/internal/store/sqlite"
)

// Lambda's error bodies as AWS sends them: the x-amzn-ErrorType header, the
// fault and the message under the key of the error's model shape.
func TestErrorWireShape(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		method, path, body string
		status             int
		typ, want          string
	}{
		{"GET", "/2015-03-31/functions/nope", "", 404, "ResourceNotFoundException",
			`{"Message":"Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope","Type":"User"}`},
		{"POST", "/2015-03-31/functions", `{"FunctionName":"x","Role":"arn:aws:iam::000000000000:role/r","Runtime":"java21","Handler":"h","Code":{"ZipFile":"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}}`,
			400, "InvalidParameterValueException", `"Type":"User","message":"The runtime parameter of java21 is not supported`},
		{"POST", "/2015-03-31/functions", `{"FunctionName":"x"}`, 400, "ValidationException",
			`"message":"2 validation errors detected: `},
		{"POST", "/2015-03-31/functions", `{not json`, 400, "InvalidRequestContentException", `"message":"Could not parse request body into json`},
		// Labels, query parameters and headers meet the model's constraints
		// too: a ValidationException naming the member, not an
		// InvalidParameterValueException.
		{"GET", "/2015-03-31/functions/bad%20name", "", 400, "ValidationException",
			`"message":"1 validation error detected: Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?`},
		{"GET", "/2015-03-31/functions/nope?Qualifier=a%20b", "", 400, "ValidationException",
			`"message":"1 validation error detected: Value 'a b' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: `},
		{"GET", "/2018-10-31/layers", "", 501, "UnsupportedOperationException", `{"Type":"Service","message":"Gatehouse does not support the Lambda operation ListLayers"}`},
	} {
		req, _ := http.NewRequest(tc.method, e.srv.URL+tc.path, strings.NewReader(tc.body))
		resp, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("X-Amzn-Errortype") != tc.typ || !strings.Contains(string(b), tc.want) {
			t.Errorf("%s %s = %d %s %s\nwant %d %s containing %s", tc.method, tc.path, resp.StatusCode,
				resp.Header.Get("X-Amzn-Errortype"), b, tc.status, tc.typ, tc.want)
		}
	}
}

// Strict mode verifies the SDK's SigV4 signatures for the lambda service,
// ARNs in the path included.
func TestStrictSigV4(t *testing.T) {
	dataDir := t.TempDir()
	st, err := sqlite.Open(dataDir, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	runner, err := local.New(local.Config{AccountID: accountID, DataDir: dataDir, StopGrace: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	svc := lambdasvc.New(st, lambdasvc.Config{AccountID: accountID, DataDir: dataDir, Runner: runner})
	srv := httptest.NewServer(mgmt.New(mgmt.Config{Region: region, Auth: mgmt.AuthStrict, Store: st,
		Credentials: map[string]string{"test": "test"}, Logger: slog.New(slog.DiscardHandler),
		Services: []mgmt.Service{svc}}, apigwv2.New(st, apigwv2.Config{AccountID: accountID})))
	t.Cleanup(func() { srv.Close(); runner.Close(); st.Close() })
	e := &env{t: t, srv: srv, st: st, runner: runner, svc: svc, ctx: t.Context(), dataDir: dataDir}
	e.c = e.client(region)
	created := e.createGo("signed")
	got := invokeJSON(t, e, aws.ToString(created.FunctionArn), `{"echo":"signed"}`)
	if got["echo"] != "signed" {
		t.Fatalf("Invoke by ARN = %v", got)
	}
	_, err = e.c.GetFunction(e.ctx, &awslambda.GetFunctionInput{FunctionName: created.FunctionArn})
	noErr(t, "GetFunction by ARN", err)
}
