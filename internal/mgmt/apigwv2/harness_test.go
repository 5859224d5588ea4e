package apigwv2_test

// The tests in this package drive the apigatewayv2 management API end to end:
// the real aws-sdk-go-v2 client, signing and serializing as it does against AWS,
// talks to an in-process Gatehouse (mgmt.Server + apigwv2.Service + SQLite).
//
// Every operation the SDK sends is recorded twice: by a client middleware (the
// operation name the SDK invoked) and by the server's request log (the
// operation the server matched and the status it answered). TestMain fails the
// run if any operation of the embedded botocore model was never exercised.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
	"github.com/gatehouse-dev/gatehouse/internal/store/sqlite"
)

const (
	accountID = "000000000000"
	region    = "us-east-1"
	lambdaARN = "arn:aws:lambda:us-east-1:123456789012:function:my-function"
	// lambdaInvokeARN is the apigateway "lambda:path" form of lambdaARN.
	lambdaInvokeARN = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + lambdaARN + "/invocations"
)

// ---------------------------------------------------------------------------
// Operation coverage

type opRecord struct {
	sdkCalls   int         // invoked through the SDK client
	statuses   map[int]int // server status -> count
	serverSeen int
}

var coverage = struct {
	sync.Mutex
	ops map[string]*opRecord
}{ops: map[string]*opRecord{}}

func record(op string, fn func(r *opRecord)) {
	coverage.Lock()
	defer coverage.Unlock()
	r := coverage.ops[op]
	if r == nil {
		r = &opRecord{statuses: map[int]int{}}
		coverage.ops[op] = r
	}
	fn(r)
}

// logRecorder is a slog.Handler that records the server's per-request log line
// ("management request" with op and status).
type logRecorder struct{}

func (logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return logRecorder{} }
func (logRecorder) WithGroup(string) slog.Handler            { return logRecorder{} }
func (logRecorder) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "management request" {
		return nil
	}
	var op string
	var status int
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "op":
			op = a.Value.String()
		case "status":
			status = int(a.Value.Int64())
		}
		return true
	})
	if op != "" {
		record(op, func(r *opRecord) { r.serverSeen++; r.statuses[status]++ })
	}
	return nil
}

// recordSDKOp is an SDK middleware that records which operation the client invoked.
func recordSDKOp(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("gatehouseRecordOp",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			record(awsmiddleware.GetOperationName(ctx), func(r *opRecord) { r.sdkCalls++ })
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
}

// notSupportedOps answer BadRequestException "... not supported yet"; every
// other operation must have succeeded at least once.
var notSupportedOps = map[string]bool{"ImportApi": true, "ReimportApi": true, "ExportApi": true}

// checkCoverage reports operations of the model that the tests never exercised.
func checkCoverage() []string {
	coverage.Lock()
	defer coverage.Unlock()
	var problems []string
	names := make([]string, 0)
	for name := range awsmodel.APIGatewayV2().Operations {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		r := coverage.ops[name]
		switch {
		case r == nil || r.sdkCalls == 0:
			problems = append(problems, name+": never called through the SDK")
		case r.serverSeen == 0:
			problems = append(problems, name+": called through the SDK but the server never matched it")
		case notSupportedOps[name]:
			if r.statuses[http.StatusBadRequest] == 0 {
				problems = append(problems, fmt.Sprintf("%s: expected a 400 (not supported yet), got statuses %v", name, r.statuses))
			}
		default:
			ok := false
			for st := range r.statuses {
				ok = ok || (st >= 200 && st < 300)
			}
			if !ok {
				problems = append(problems, fmt.Sprintf("%s: never succeeded (statuses %v)", name, r.statuses))
			}
		}
	}
	return problems
}

func TestMain(m *testing.M) {
	code := m.Run()
	// The coverage check is meaningful only when every test ran.
	if code == 0 && !filtered() {
		if problems := checkCoverage(); len(problems) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: %d apigatewayv2 operations not exercised by the SDK tests:\n  %s\n",
				len(problems), strings.Join(problems, "\n  "))
			code = 1
		} else {
			fmt.Fprintf(os.Stderr, "all %d apigatewayv2 operations exercised through the SDK\n", len(awsmodel.APIGatewayV2().Operations))
		}
	}
	os.Exit(code)
}

// filtered reports whether the run selects or skips tests (-run, -skip).
func filtered() bool {
	return lookupFlag("test.run") != "" || lookupFlag("test.skip") != ""
}

func lookupFlag(name string) string {
	if f := flag.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

// ---------------------------------------------------------------------------
// Server and client

type env struct {
	t   *testing.T
	srv *httptest.Server
	st  store.Store
	svc *apigwv2.Service
	c   *apigatewayv2.Client // us-east-1
	ctx context.Context
}

// newEnv starts a fresh Gatehouse with an empty store and returns a us-east-1 client.
// configure, if given, adjusts the service's Config (an injected NewID, say).
func newEnv(t *testing.T, configure ...func(*apigwv2.Config)) *env {
	t.Helper()
	st, err := sqlite.Open(t.TempDir(), sqlite.Options{})
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	cfg := apigwv2.Config{
		AccountID: accountID,
		Endpoint: func(region, apiID, protocol string) string {
			b := base
			if protocol == "WEBSOCKET" {
				b = "ws" + strings.TrimPrefix(base, "http")
			}
			return b + "/_gatehouse/execute-api/" + region + "/" + apiID
		},
	}
	for _, f := range configure {
		f(&cfg)
	}
	v2 := apigwv2.New(st, cfg)
	srv.Config.Handler = mgmt.New(mgmt.Config{
		Region: region,
		Auth:   mgmt.AuthPermissive,
		Store:  st,
		Logger: slog.New(logRecorder{}),
	}, v2)
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		st.Close()
	})
	e := &env{t: t, srv: srv, st: st, svc: v2, ctx: context.Background()}
	e.c = e.client(region)
	return e
}

// client returns an SDK client for region that talks to the test server.
func (e *env) client(region string) *apigatewayv2.Client {
	return apigatewayv2.NewFromConfig(aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
		HTTPClient:  e.srv.Client(),
	}, func(o *apigatewayv2.Options) {
		o.BaseEndpoint = aws.String(e.srv.URL)
		o.APIOptions = append(o.APIOptions, recordSDKOp)
	})
}

// apiEndpoint is the apiEndpoint the test server reports for an HTTP API.
func (e *env) apiEndpoint(region, apiID string) string {
	return e.srv.URL + "/_gatehouse/execute-api/" + region + "/" + apiID
}

// ---------------------------------------------------------------------------
// Assertions

// noErr fails the test now if a call that must succeed failed.
func noErr(t testing.TB, call string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", call, err)
	}
}

// wantAPIError checks that err is an AWS API error with the given code whose
// message contains msg (any message when msg is "").
func wantAPIError(t testing.TB, call string, err error, code, msg string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: got success, want %s %q", call, code, msg)
		return
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Errorf("%s: got non-API error %v, want %s", call, err, code)
		return
	}
	if ae.ErrorCode() != code {
		t.Errorf("%s: got error code %s (%q), want %s", call, ae.ErrorCode(), ae.ErrorMessage(), code)
		return
	}
	if !strings.Contains(ae.ErrorMessage(), msg) {
		t.Errorf("%s: got %s message %q, want it to contain %q", call, code, ae.ErrorMessage(), msg)
	}
}

func wantBadRequest(t testing.TB, call string, err error, msg string) {
	t.Helper()
	wantAPIError(t, call, err, "BadRequestException", msg)
	if err != nil {
		var br *types.BadRequestException
		if !errors.As(err, &br) {
			t.Errorf("%s: errors.As(*types.BadRequestException) is false for %v", call, err)
		}
	}
}

func wantNotFound(t testing.TB, call string, err error, msg string) {
	t.Helper()
	wantAPIError(t, call, err, "NotFoundException", msg)
	if err != nil {
		var nf *types.NotFoundException
		if !errors.As(err, &nf) {
			t.Errorf("%s: errors.As(*types.NotFoundException) is false for %v", call, err)
		}
	}
}

func wantConflict(t testing.TB, call string, err error, msg string) {
	t.Helper()
	wantAPIError(t, call, err, "ConflictException", msg)
	if err != nil {
		var ce *types.ConflictException
		if !errors.As(err, &ce) {
			t.Errorf("%s: errors.As(*types.ConflictException) is false for %v", call, err)
		}
	}
}

// eq compares comparable values and reports call, field, got and want.
func eq[T comparable](t testing.TB, call, field string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: %s = %v, want %v", call, field, got, want)
	}
}

// eqp compares a pointer's value (nil reads as "<nil>").
func eqp[T comparable](t testing.TB, call, field string, got *T, want T) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: %s = <nil>, want %v", call, field, want)
		return
	}
	if *got != want {
		t.Errorf("%s: %s = %v, want %v", call, field, *got, want)
	}
}

// isNil checks that an optional field is absent.
func isNil[T any](t testing.TB, call, field string, got *T) {
	t.Helper()
	if got != nil {
		t.Errorf("%s: %s = %v, want absent", call, field, *got)
	}
}

// eqMap compares string maps (nil and empty are equal).
func eqMap[V comparable](t testing.TB, call, field string, got, want map[string]V) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %s = %v, want %v", call, field, got, want)
		return
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s: %s = %v, want %v", call, field, got, want)
			return
		}
	}
}

// recent checks that a timestamp is set and close to now.
func recent(t testing.TB, call, field string, got *time.Time) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: %s = <nil>, want a timestamp", call, field)
		return
	}
	if d := time.Since(*got); d < -time.Minute || d > time.Minute {
		t.Errorf("%s: %s = %v, want about now", call, field, *got)
	}
}

// ---------------------------------------------------------------------------
// Fixtures

// createHTTPAPI creates a plain HTTP API.
func (e *env) createHTTPAPI(name string) *apigatewayv2.CreateApiOutput {
	e.t.Helper()
	out, err := e.c.CreateApi(e.ctx, &apigatewayv2.CreateApiInput{Name: aws.String(name), ProtocolType: types.ProtocolTypeHttp})
	noErr(e.t, "CreateApi(HTTP "+name+")", err)
	return out
}

// createWSAPI creates a WebSocket API routing on $request.body.action.
func (e *env) createWSAPI(name string) *apigatewayv2.CreateApiOutput {
	e.t.Helper()
	out, err := e.c.CreateApi(e.ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String(name), ProtocolType: types.ProtocolTypeWebsocket,
		RouteSelectionExpression: aws.String("$request.body.action"),
	})
	noErr(e.t, "CreateApi(WEBSOCKET "+name+")", err)
	return out
}

// httpProxyInput is a valid HTTP_PROXY integration for an HTTP API.
func httpProxyInput(apiID, uri string) *apigatewayv2.CreateIntegrationInput {
	return &apigatewayv2.CreateIntegrationInput{
		ApiId:                aws.String(apiID),
		IntegrationType:      types.IntegrationTypeHttpProxy,
		IntegrationUri:       aws.String(uri),
		IntegrationMethod:    aws.String("GET"),
		PayloadFormatVersion: aws.String("1.0"),
	}
}

// createHTTPIntegration creates an HTTP_PROXY integration.
func (e *env) createHTTPIntegration(apiID, uri string) *apigatewayv2.CreateIntegrationOutput {
	e.t.Helper()
	out, err := e.c.CreateIntegration(e.ctx, httpProxyInput(apiID, uri))
	noErr(e.t, "CreateIntegration(HTTP_PROXY "+uri+")", err)
	return out
}

// createRoute creates a route, optionally targeting an integration.
func (e *env) createRoute(apiID, key, integrationID string) *apigatewayv2.CreateRouteOutput {
	e.t.Helper()
	in := &apigatewayv2.CreateRouteInput{ApiId: aws.String(apiID), RouteKey: aws.String(key)}
	if integrationID != "" {
		in.Target = aws.String("integrations/" + integrationID)
	}
	out, err := e.c.CreateRoute(e.ctx, in)
	noErr(e.t, "CreateRoute("+key+")", err)
	return out
}

// createStage creates a stage.
func (e *env) createStage(apiID, name string, autoDeploy bool) *apigatewayv2.CreateStageOutput {
	e.t.Helper()
	out, err := e.c.CreateStage(e.ctx, &apigatewayv2.CreateStageInput{
		ApiId: aws.String(apiID), StageName: aws.String(name), AutoDeploy: aws.Bool(autoDeploy),
	})
	noErr(e.t, "CreateStage("+name+")", err)
	return out
}
