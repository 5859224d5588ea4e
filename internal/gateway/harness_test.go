package gateway_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/gatehouse-dev/gatehouse/internal/accesslog"
	"github.com/gatehouse-dev/gatehouse/internal/deploy"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
	"github.com/gatehouse-dev/gatehouse/internal/store/sqlite"
	"github.com/gatehouse-dev/gatehouse/internal/targets"
)

// env is a whole Gatehouse (management API + data plane) on an httptest server.
type env struct {
	t     *testing.T
	ctx   context.Context
	srv   *httptest.Server
	gw    *gateway.Gateway
	st    store.Store
	c     *apigatewayv2.Client
	sinks *accesslog.Sinks
	logs  string
}

type envOpts struct {
	targets *targets.Table
	lambda  lambda.Invoker // runs AWS_PROXY functions
	// serve, if set, serves the handler instead of httptest.Server's
	// net/http (the event-loop server in loop_test.go): it returns the
	// base URL and a stop function.
	serve func(t *testing.T, h *mgmt.Server) (string, func())
}

func newEnv(t *testing.T, opts ...envOpts) *env {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(dir, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: context.Background(), st: st, logs: dir + "/logs"}
	e.sinks = accesslog.NewSinks(e.logs)
	var o envOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	e.start(o)
	t.Cleanup(func() {
		if e.srv != nil {
			e.srv.Close()
		}
		e.sinks.Close()
		st.Close()
	})
	return e
}

func (e *env) start(o envOpts) {
	compiler := &deploy.Compiler{AccountID: "000000000000", Sinks: e.sinks, Targets: o.targets, Lambda: o.lambda}
	e.gw = gateway.New(gateway.Config{Store: e.st, Compiler: compiler, Region: "us-east-1", AccountID: "000000000000"})
	if err := e.gw.LoadAll(e.ctx); err != nil {
		e.t.Fatal(err)
	}
	var url string
	v2 := apigwv2.New(e.st, apigwv2.Config{AccountID: "000000000000",
		Endpoint: func(region, id, _ string) string { return url + gateway.ExecuteAPIPrefix + region + "/" + id },
		OnDeploy: e.gw.OnDeploy, OnDomainChange: e.gw.OnDomainChange, Check: compiler.Check})
	h := mgmt.New(mgmt.Config{Region: "us-east-1", Auth: mgmt.AuthPermissive, Store: e.st,
		DataPlane: e.gw, IsDataPlaneHost: e.gw.IsDataPlaneHost}, v2)
	if o.serve != nil {
		var stop func()
		url, stop = o.serve(e.t, h)
		e.t.Cleanup(stop)
	} else {
		e.srv = httptest.NewServer(h)
		url = e.srv.URL
	}
	e.c = apigatewayv2.New(apigatewayv2.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
}

func (e *env) must(err error, what string) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

// api creates an HTTP API (id chosen) and returns its endpoint.
func (e *env) api(id string, mut ...func(*apigatewayv2.CreateApiInput)) string {
	e.t.Helper()
	in := &apigatewayv2.CreateApiInput{Name: aws.String(id), ProtocolType: types.ProtocolTypeHttp, Tags: map[string]string{"_custom_id_": id}}
	for _, m := range mut {
		m(in)
	}
	out, err := e.c.CreateApi(e.ctx, in)
	e.must(err, "CreateApi")
	return *out.ApiEndpoint
}

func (e *env) integration(apiID string, in apigatewayv2.CreateIntegrationInput) string {
	e.t.Helper()
	in.ApiId = aws.String(apiID)
	if in.IntegrationType == "" {
		in.IntegrationType = types.IntegrationTypeHttpProxy
	}
	if in.IntegrationMethod == nil {
		in.IntegrationMethod = aws.String("ANY")
	}
	if in.PayloadFormatVersion == nil {
		in.PayloadFormatVersion = aws.String("1.0")
	}
	out, err := e.c.CreateIntegration(e.ctx, &in)
	e.must(err, "CreateIntegration")
	return *out.IntegrationId
}

func (e *env) route(apiID, key, integrationID string) string {
	e.t.Helper()
	in := &apigatewayv2.CreateRouteInput{ApiId: aws.String(apiID), RouteKey: aws.String(key)}
	if integrationID != "" {
		in.Target = aws.String("integrations/" + integrationID)
	}
	out, err := e.c.CreateRoute(e.ctx, in)
	e.must(err, "CreateRoute "+key)
	return *out.RouteId
}

func (e *env) stage(apiID, name string, auto bool, mut ...func(*apigatewayv2.CreateStageInput)) {
	e.t.Helper()
	in := &apigatewayv2.CreateStageInput{ApiId: aws.String(apiID), StageName: aws.String(name), AutoDeploy: aws.Bool(auto)}
	for _, m := range mut {
		m(in)
	}
	_, err := e.c.CreateStage(e.ctx, in)
	e.must(err, "CreateStage "+name)
}

func (e *env) deploy(apiID, stage string) {
	e.t.Helper()
	_, err := e.c.CreateDeployment(e.ctx, &apigatewayv2.CreateDeploymentInput{ApiId: aws.String(apiID), StageName: aws.String(stage)})
	e.must(err, "CreateDeployment")
}

type result struct {
	status int
	header http.Header
	body   string
}

// call sends a data-plane request; host, if set, overrides the Host header.
func (e *env) call(method, url, host string, body string, hdr ...string) result {
	e.t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body == "" {
		req.Body = http.NoBody
	}
	if host != "" {
		req.Host = host
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return result{resp.StatusCode, resp.Header, string(b)}
}

// upstream is a backend that records every request it receives.
type upstream struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []seen
	// handle, if set, writes the response.
	handle func(w http.ResponseWriter, r *http.Request)
}

type seen struct {
	Method, Path, RawPath, RawQuery, Host string
	Header                                http.Header
	Body                                  string
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.reqs = append(u.reqs, seen{r.Method, r.URL.Path, r.URL.EscapedPath(), r.URL.RawQuery, r.Host, r.Header.Clone(), string(b)})
		h := u.handle
		u.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Backend", "yes")
		io.WriteString(w, "hello from "+r.URL.Path)
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) last(t *testing.T) seen {
	t.Helper()
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.reqs) == 0 {
		t.Fatal("upstream received no request")
	}
	return u.reqs[len(u.reqs)-1]
}

func (u *upstream) count() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.reqs)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
