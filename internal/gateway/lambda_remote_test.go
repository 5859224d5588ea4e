package gateway_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/lambda/remote"
)

// TestLambdaThroughRemoteEndpoint serves an HTTP API whose function lives
// behind a Lambda-compatible Invoke endpoint, with the local side of the
// chain not knowing it.
func TestLambdaThroughRemoteEndpoint(t *testing.T) {
	var mu sync.Mutex
	var gotPath string
	var gotEvent events.APIGatewayV2HTTPRequest
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		gotPath = r.URL.EscapedPath()
		json.Unmarshal(b, &gotEvent)
		mu.Unlock()
		switch {
		case strings.Contains(gotPath, "missing"):
			w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
			w.WriteHeader(404)
			io.WriteString(w, `{"Type":"User","message":"Function not found"}`)
		case strings.Contains(gotPath, "slow"):
			select {
			case <-release:
			case <-r.Context().Done():
			}
		default:
			io.WriteString(w, `{"statusCode":200,"headers":{"x-remote":"yes"},"body":"from remote"}`)
		}
	}))
	t.Cleanup(endpoint.Close)
	rem, err := remote.New(context.Background(), remote.Config{Endpoint: endpoint.URL,
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOpts{lambda: lambda.Chain{&functions{reply: func(context.Context, *lambda.Invocation) (*lambda.Result, error) {
		return nil, lambda.ErrNotFound // the local side knows no function
	}}, rem}})
	ep := lambdaAPI(e, "remote", "2.0", "GET /r", "$default")
	r := e.call("GET", ep+"/r?x=1", "", "")
	if r.status != 200 || r.body != "from remote" || r.header.Get("X-Remote") != "yes" {
		t.Fatalf("GET = %d %q %v", r.status, r.body, r.header)
	}
	mu.Lock()
	if want := "/2015-03-31/functions/" + strings.ReplaceAll(fnARN, ":", "%3A") + "/invocations"; gotPath != want {
		t.Errorf("endpoint path %q, want %q", gotPath, want)
	}
	if gotEvent.RouteKey != "GET /r" || gotEvent.RawQueryString != "x=1" || gotEvent.RequestContext.RequestID != r.header.Get("Apigw-Requestid") {
		t.Errorf("remote function got %+v", gotEvent)
	}
	mu.Unlock()

	ep = lambdaAPI(e, "remotemissing", "2.0", "GET /r", "$default", func(in *apigatewayv2.CreateIntegrationInput) {
		in.IntegrationUri = aws.String("arn:aws:lambda:us-east-1:000000000000:function:missing")
	})
	if r := e.call("GET", ep+"/r", "", ""); r.status != 500 || r.body != `{"message":"Internal Server Error"}` {
		t.Errorf("missing remote function: %d %q", r.status, r.body)
	}
	ep = lambdaAPI(e, "remoteslow", "2.0", "GET /r", "$default", func(in *apigatewayv2.CreateIntegrationInput) {
		in.IntegrationUri = aws.String("arn:aws:lambda:us-east-1:000000000000:function:slow")
		in.TimeoutInMillis = aws.Int32(200)
	})
	if r := e.call("GET", ep+"/r", "", ""); r.status != 503 || r.body != `{"message":"Service Unavailable"}` {
		t.Errorf("slow remote function: %d %q", r.status, r.body)
	}
}
