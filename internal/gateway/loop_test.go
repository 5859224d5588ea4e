//go:build linux

package gateway_test

import (
	"net"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/gatehouse-dev/gatehouse/internal/evloop"
	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
)

// serveLoop serves h as `gatehouse serve --http-server evloop` does: on
// the event loops, handing connections whose requests block to a
// goroutine-per-connection server.
func serveLoop(t *testing.T, h *mgmt.Server) (string, func()) {
	conns := &httpserver.Server{Handler: h}
	s := &evloop.Server{Handler: h, HandOff: conns.ServeConn, Loops: 2}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { s.Close(); conns.Close(); <-done }
}

// A Lambda route on the event-loop server: the management calls and the
// route's requests are handed to the goroutine server before the pipeline
// counts them, so a request is throttled, invoked and answered once.
func TestLoopHandOffCountsOnce(t *testing.T) {
	fns := &functions{}
	fns.answer(`{"statusCode":201,"body":"from the function"}`)
	e := newEnv(t, envOpts{lambda: fns, serve: serveLoop})
	up := newUpstream(t)
	ep := e.api("loopfn")
	fn := e.integration("loopfn", apigatewayv2.CreateIntegrationInput{IntegrationType: types.IntegrationTypeAwsProxy,
		IntegrationUri: aws.String(fnARN), PayloadFormatVersion: aws.String("2.0")})
	px := e.integration("loopfn", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String(up.URL)})
	e.route("loopfn", "GET /fn", fn)
	e.route("loopfn", "GET /px", px)
	e.stage("loopfn", "$default", true, func(in *apigatewayv2.CreateStageInput) {
		in.RouteSettings = map[string]types.RouteSettings{
			"GET /fn": {ThrottlingBurstLimit: aws.Int32(1), ThrottlingRateLimit: aws.Float64(0.001)},
			"GET /px": {ThrottlingBurstLimit: aws.Int32(1), ThrottlingRateLimit: aws.Float64(0.001)},
		}
	})
	// Fresh connections, so that each first request decides where its
	// connection goes.
	c := &http.Client{Transport: &http.Transport{}}
	get := func(path string) result {
		t.Helper()
		resp, err := c.Get(ep + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b [64]byte
		n, _ := resp.Body.Read(b[:])
		return result{resp.StatusCode, resp.Header, string(b[:n])}
	}
	if r := get("/fn"); r.status != 201 || r.body != "from the function" {
		t.Fatalf("first Lambda request: %d %q", r.status, r.body)
	}
	if r := get("/fn"); r.status != 429 {
		t.Errorf("second Lambda request: %d %q, want 429 (burst 1)", r.status, r.body)
	}
	fns.mu.Lock()
	calls := len(fns.calls)
	fns.mu.Unlock()
	if calls != 1 {
		t.Errorf("%d invocations, want 1", calls)
	}
	// An HTTP_PROXY route, now on the handed-off connection: same rules.
	if r := get("/px"); r.status != 200 {
		t.Errorf("first proxied request: %d %q", r.status, r.body)
	}
	if r := get("/px"); r.status != 429 {
		t.Errorf("second proxied request: %d %q, want 429 (burst 1)", r.status, r.body)
	}
	if n := up.count(); n != 1 {
		t.Errorf("upstream saw %d requests, want 1", n)
	}
}
