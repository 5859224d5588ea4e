package dataplane_test

// In-process benchmarks of the data plane's hot path: a Gatehouse assembled as
// cmd/gatehouse/serve.go assembles it (SQLite store, deploy.Compiler,
// gateway.Gateway with the account throttle and Prometheus metrics, mgmt.Server
// in front), the benchmark API of run.sh deployed through the management API,
// and the request handed straight to mgmt.Server.ServeHTTP (the handler the
// real http.Server calls), so the numbers and profiles hold Gatehouse's own
// work and its outbound HTTP client, not an inbound HTTP server or wrk.
// The upstream is a real loopback HTTP server in the same process (the handler
// of bench/dataplane/upstream).
//
//	go test -run '^$' -bench . -benchmem ./bench/dataplane/
//	go test -run '^$' -bench 'ServeHTTP/routes=1$' -benchtime 200000x -cpuprofile /tmp/dp-cpu.out \
//	    -o /tmp/dataplane.test ./bench/dataplane/
//	go tool pprof -top /tmp/dataplane.test /tmp/dp-cpu.out
//
// The side-by-side comparison with nginx over real HTTP is run.sh.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse-dev/gatehouse/internal/accesslog"
	"github.com/gatehouse-dev/gatehouse/internal/deploy"
	"github.com/gatehouse-dev/gatehouse/internal/evloop"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/integration/httpproxy"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store/sqlite"
	"github.com/gatehouse-dev/gatehouse/internal/throttle"
)

// upstreamBody is the ~100-byte body of bench/dataplane/upstream.
var upstreamBody = []byte(`{"message":"hello from the benchmark upstream","padding":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}` + "\n")

func upstreamHandler() http.Handler {
	clen := strconv.Itoa(len(upstreamBody))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["Content-Length"] = []string{clen}
		w.WriteHeader(http.StatusOK)
		w.Write(upstreamBody)
	})
}

// gatehouse is an in-process Gatehouse wired as serve.go wires it.
type gatehouse struct {
	handler  http.Handler
	mgmtURL  string
	upstream string
}

var (
	ghOnce sync.Once
	ghEnv  *gatehouse
	ghErr  error
	// deployed API ids by route count; APIs are added to the shared env on demand
	deployed sync.Map
	tempDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if tempDir != "" {
		os.RemoveAll(tempDir)
	}
	os.Exit(code)
}

// env returns the process-wide Gatehouse (one per benchmark binary: creating
// 10,000 routes takes seconds, and every sub-benchmark would redo it).
func env(tb testing.TB) *gatehouse {
	tb.Helper()
	ghOnce.Do(func() { ghEnv, ghErr = newGatehouse() })
	if ghErr != nil {
		tb.Fatal(ghErr)
	}
	return ghEnv
}

func newGatehouse() (*gatehouse, error) {
	dir, err := os.MkdirTemp("", "dataplane-bench-")
	tempDir = dir
	if err != nil {
		return nil, err
	}
	st, err := sqlite.Open(dir, sqlite.Options{})
	if err != nil {
		return nil, err
	}
	up := httptest.NewServer(upstreamHandler())
	sinks := accesslog.NewSinks(dir + "/access-logs")
	compiler := &deploy.Compiler{AccountID: "000000000000", Sinks: sinks, MaxRoutes: 20000}
	gw := gateway.New(gateway.Config{
		Store: st, Compiler: compiler, Region: "us-east-1", AccountID: "000000000000",
		// serve.go's defaults are 10,000 req/s and a burst of 5,000; the benchmark
		// raises them out of the way as run.sh does (same code path).
		Account: throttle.NewAccount(throttle.Limits{Rate: 1e9, Burst: 1e9}, time.Now),
		Metrics: gateway.NewMetrics(prometheus.NewRegistry()),
	})
	if err := gw.LoadAll(context.Background()); err != nil {
		return nil, err
	}
	var url string
	v2 := apigwv2.New(st, apigwv2.Config{AccountID: "000000000000",
		Endpoint: func(region, id, _ string) string { return url + gateway.ExecuteAPIPrefix + region + "/" + id },
		OnDeploy: gw.OnDeploy, OnDomainChange: gw.OnDomainChange, Check: compiler.Check, MaxRoutes: 20000})
	h := mgmt.New(mgmt.Config{Region: "us-east-1", Auth: mgmt.AuthPermissive, Store: st,
		DataPlane: gw, IsDataPlaneHost: gw.IsDataPlaneHost}, v2)
	srv := httptest.NewServer(h)
	url = srv.URL
	return &gatehouse{handler: h, mgmtURL: srv.URL, upstream: up.URL}, nil
}

// call is one management API call.
func (g *gatehouse) call(method, path string, in, out any) error {
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest(method, g.mgmtURL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	rb, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, rb)
	}
	if out != nil {
		return json.Unmarshal(rb, out)
	}
	return nil
}

// api deploys run.sh's benchmark API with `routes` routes (routes-1
// "GET /svc{i}/items/{id}" plus "ANY /api/{proxy+}") and returns its id.
func (g *gatehouse) api(tb testing.TB, routes int) string {
	tb.Helper()
	id := "bench" + strconv.Itoa(routes)
	if _, ok := deployed.Load(id); ok {
		return id
	}
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(g.call("POST", "/v2/apis", map[string]any{"name": id, "protocolType": "HTTP", "tags": map[string]string{"_custom_id_": id}}, nil))
	var integ struct{ IntegrationId string }
	must(g.call("POST", "/v2/apis/"+id+"/integrations", map[string]any{
		"integrationType": "HTTP_PROXY", "integrationUri": g.upstream + "/{proxy}", "integrationMethod": "ANY",
		"payloadFormatVersion": "1.0", "requestParameters": map[string]string{"append:header.x-request-id": "$context.requestId"},
	}, &integ))
	target := "integrations/" + integ.IntegrationId
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr atomic.Value
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(routes-1); i = next.Add(1) - 1 {
				if err := g.call("POST", "/v2/apis/"+id+"/routes", map[string]any{
					"routeKey": fmt.Sprintf("GET /svc%d/items/{id}", i), "target": target}, nil); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		tb.Fatal(err)
	}
	must(g.call("POST", "/v2/apis/"+id+"/routes", map[string]any{"routeKey": "ANY /api/{proxy+}", "target": target}, nil))
	must(g.call("POST", "/v2/apis/"+id+"/stages", map[string]any{"stageName": "$default", "autoDeploy": true}, nil))
	deployed.Store(id, true)
	return id
}

// discardWriter is a reusable http.ResponseWriter that checks the status.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(s int)           { w.status = s }
func (w *discardWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// newRequest is what net/http's server hands the handler for wrk's
// "GET /api/hello" with "Host: {id}.execute-api.localhost" on a keep-alive connection.
func newRequest(host, path string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "http://"+host+path, nil)
	r.RemoteAddr = "127.0.0.1:40000"
	r.Body = http.NoBody
	return r
}

// BenchmarkServeHTTP is one proxied GET /api/hello through the whole data
// plane, from GOMAXPROCS*4 goroutines (the server's concurrency under wrk -c32
// is one goroutine per connection); ns/op is wall time per request with all
// cores busy, so compare it with BenchmarkUpstreamOnly (the same round trip to
// the upstream without Gatehouse) to get Gatehouse's own cost.
func BenchmarkServeHTTP(b *testing.B) {
	for _, routes := range []int{1, 10000} {
		b.Run(fmt.Sprintf("routes=%d", routes), func(b *testing.B) {
			g := env(b)
			host := g.api(b, routes) + ".execute-api.localhost"
			w := &discardWriter{h: http.Header{}}
			g.handler.ServeHTTP(w, newRequest(host, "/api/hello"))
			if w.status != 200 || w.n != len(upstreamBody) {
				b.Fatalf("GET /api/hello: status %d, %d bytes", w.status, w.n)
			}
			b.ReportAllocs()
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				w := &discardWriter{h: make(http.Header, 8)}
				for pb.Next() {
					clear(w.h)
					w.status, w.n = 0, 0
					g.handler.ServeHTTP(w, newRequest(host, "/api/hello"))
					if w.status != 200 {
						b.Errorf("status %d", w.status)
						return
					}
				}
			})
		})
	}
}

// BenchmarkUpstreamOnly is the outbound half alone: the same GET to the same
// in-process upstream with Gatehouse's backend client (httpproxy.Client),
// reading the whole body, from the same number of goroutines. It includes
// building the request, as any proxy must.
func BenchmarkUpstreamOnly(b *testing.B) {
	g := env(b)
	c := &httpproxy.Client{}
	u, _ := url.Parse(g.upstream + "/hello")
	b.ReportAllocs()
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := &http.Request{Method: http.MethodGet, URL: u, Host: u.Host, Header: http.Header{},
				Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
			if _, _, err := c.Do(context.Background(), req, nil, "", time.Now().Add(5*time.Second)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// TestServeHTTP checks the benchmark's setup answers like run.sh expects, and
// prints the allocations of one proxied request.
func TestServeHTTP(t *testing.T) {
	g := env(t)
	host := g.api(t, 1) + ".execute-api.localhost"
	rec := httptest.NewRecorder()
	g.handler.ServeHTTP(rec, newRequest(host, "/api/hello"))
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), upstreamBody) {
		t.Fatalf("GET /api/hello: %d %q", rec.Code, rec.Body.String())
	}
	if len(rec.Header()["apigw-requestid"]) == 0 { // AWS's spelling, kept as a raw map key
		t.Errorf("no apigw-requestid header: %v", rec.Header())
	}
	w := &discardWriter{h: http.Header{}}
	allocs := testing.AllocsPerRun(200, func() {
		clear(w.h)
		g.handler.ServeHTTP(w, newRequest(host, "/api/hello"))
	})
	t.Logf("allocations per proxied request (whole handler incl. outbound transport, the in-process upstream and the request built here): %.0f", allocs)
}

// BenchmarkServeLoop is BenchmarkServeHTTP through the event-loop server
// (--http-server evloop, Linux): a real client connection, the gateway on
// the loop, the upstream request on the loop. Its allocations and profile
// are the data plane's on that server.
func BenchmarkServeLoop(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("the event-loop server is Linux only")
	}
	g := env(b)
	id := g.api(b, 1)
	srv := &evloop.Server{Handler: g.handler.(evloop.Handler), Loops: 1}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	defer func() { srv.Close(); <-done }()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	req := []byte("GET /api/hello HTTP/1.1\r\nHost: " + id + ".execute-api.localhost\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n")
	br := bufio.NewReaderSize(c, 16<<10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}
