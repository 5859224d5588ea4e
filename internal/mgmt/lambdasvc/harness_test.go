package lambdasvc_test

// The tests in this package drive the Lambda management subset end to end:
// the real aws-sdk-go-v2 lambda client against an in-process Gatehouse
// (mgmt.Server + lambdasvc.Service + SQLite + the local runner) running real
// function processes.

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	smithy "github.com/aws/smithy-go"

	"github.com/gatehouse-dev/gatehouse/internal/lambda/local"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/lambdasvc"
	"github.com/gatehouse-dev/gatehouse/internal/store"
	"github.com/gatehouse-dev/gatehouse/internal/store/sqlite"
)

const (
	accountID = "000000000000"
	region    = "us-east-1"
	role      = "arn:aws:iam::000000000000:role/lambda-role"
)

type env struct {
	t       *testing.T
	srv     *httptest.Server
	st      store.Store
	runner  *local.Runner
	svc     *lambdasvc.Service
	c       *awslambda.Client
	ctx     context.Context
	dataDir string
}

// newEnv starts Gatehouse with an empty store and returns a us-east-1 client.
func newEnv(t *testing.T, mod ...func(*local.Config)) *env {
	t.Helper()
	dataDir := t.TempDir()
	st, err := sqlite.Open(dataDir, sqlite.Options{})
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	rcfg := local.Config{AccountID: accountID, DataDir: dataDir, StopGrace: 200 * time.Millisecond}
	for _, f := range mod {
		f(&rcfg)
	}
	runner, err := local.New(rcfg)
	if err != nil {
		t.Fatal(err)
	}
	svc := lambdasvc.New(st, lambdasvc.Config{AccountID: accountID, DataDir: dataDir, Runner: runner})
	srv := httptest.NewUnstartedServer(mgmt.New(mgmt.Config{
		Region: region, Auth: mgmt.AuthPermissive, Store: st,
		Services: []mgmt.Service{svc},
	}, apigwv2.New(st, apigwv2.Config{AccountID: accountID})))
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		runner.Close()
		st.Close()
	})
	e := &env{t: t, srv: srv, st: st, runner: runner, svc: svc, ctx: context.Background(), dataDir: dataDir}
	e.c = e.client(region)
	return e
}

func (e *env) client(region string) *awslambda.Client {
	return awslambda.NewFromConfig(aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
		HTTPClient:  e.srv.Client(),
	}, func(o *awslambda.Options) { o.BaseEndpoint = aws.String(e.srv.URL) })
}

// createGo creates a provided.al2023 function from the Go test function.
func (e *env) createGo(name string) *awslambda.CreateFunctionOutput {
	e.t.Helper()
	out, err := e.c.CreateFunction(e.ctx, &awslambda.CreateFunctionInput{
		FunctionName: aws.String(name), Role: aws.String(role), Runtime: types.RuntimeProvidedal2023,
		Handler: aws.String("bootstrap"), Code: &types.FunctionCode{ZipFile: goZip(e.t)},
	})
	noErr(e.t, "CreateFunction", err)
	return out
}

// The Go test function (internal/lambda/local/testdata/gofn, built with
// aws-lambda-go) is built and zipped once per test binary.
var (
	goZipOnce  sync.Once
	goZipBytes []byte
	goZipErr   error
)

func goZip(t testing.TB) []byte {
	t.Helper()
	goZipOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gatehouse-lambdasvc-")
		if err != nil {
			goZipErr = err
			return
		}
		defer os.RemoveAll(dir)
		bin := filepath.Join(dir, "bootstrap")
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-ldflags=-s -w", "-o", bin, "../../lambda/local/testdata/gofn")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false")
		if out, err := cmd.CombinedOutput(); err != nil {
			goZipErr = errors.New(err.Error() + "\n" + string(out))
			return
		}
		b, err := os.ReadFile(bin)
		if err != nil {
			goZipErr = err
			return
		}
		goZipBytes = zipOf(t, map[string]string{"bootstrap": string(b)}, 0o755)
	})
	if goZipErr != nil {
		t.Fatalf("building the Go test function: %v", goZipErr)
	}
	return goZipBytes
}

// zipOf zips files with mode.
func zipOf(t testing.TB, files map[string]string, mode fs.FileMode) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func noErr(t testing.TB, call string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", call, err)
	}
}

// wantAPIError checks that err is an AWS API error with code whose message
// contains msg.
func wantAPIError(t testing.TB, call string, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("%s: error = %v, want %s", call, err, code)
	}
	if ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), msg) {
		t.Fatalf("%s: error = %s %q, want %s containing %q", call, ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }
