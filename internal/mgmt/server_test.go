package mgmt_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/smithy-go"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store/sqlite"
)

func newServer(t *testing.T, cfg mgmt.Config, svc mgmt.Service) *httptest.Server {
	t.Helper()
	st, err := sqlite.Open(t.TempDir(), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg.Store = st
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if svc == nil {
		svc = apigwv2.New(st, apigwv2.Config{AccountID: "000000000000"})
	}
	srv := httptest.NewServer(mgmt.New(cfg, svc))
	t.Cleanup(srv.Close)
	return srv
}

func client(url, key, secret string) *apigatewayv2.Client {
	return apigatewayv2.New(apigatewayv2.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(key, secret, ""),
		BaseEndpoint: aws.String(url),
	})
}

func do(t *testing.T, method, url, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s %s: body is not JSON: %q", method, url, b)
		}
	}
	return resp, m
}

func TestHealthAndReset(t *testing.T) {
	srv := newServer(t, mgmt.Config{Version: "1.2.3", Auth: mgmt.AuthPermissive}, nil)
	resp, body := do(t, "GET", srv.URL+"/_gatehouse/health", "")
	if resp.StatusCode != 200 || body["status"] != "ok" || body["version"] != "1.2.3" {
		t.Fatalf("health = %d %v", resp.StatusCode, body)
	}
	c := client(srv.URL, "k", "s")
	ctx := context.Background()
	if _, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("a"), ProtocolType: "HTTP"}); err != nil {
		t.Fatal(err)
	}
	if resp, _ := do(t, "POST", srv.URL+"/_gatehouse/reset", ""); resp.StatusCode != 204 {
		t.Fatalf("reset = %d, want 204", resp.StatusCode)
	}
	out, err := c.GetApis(ctx, &apigatewayv2.GetApisInput{})
	if err != nil || len(out.Items) != 0 {
		t.Fatalf("after reset GetApis = %v, %v; want none", out, err)
	}
}

func TestStrictMode(t *testing.T) {
	creds := map[string]string{"AKIDGOOD": "goodsecret"}
	srv := newServer(t, mgmt.Config{Auth: mgmt.AuthStrict, Credentials: creds}, nil)
	ctx := context.Background()
	if _, err := client(srv.URL, "AKIDGOOD", "goodsecret").GetApis(ctx, &apigatewayv2.GetApisInput{}); err != nil {
		t.Fatalf("signed with a known key: %v", err)
	}
	for _, tc := range []struct{ key, secret, code string }{
		{"AKIDGOOD", "wrong", "InvalidSignatureException"},
		{"AKIDUNKNOWN", "goodsecret", "UnrecognizedClientException"},
	} {
		_, err := client(srv.URL, tc.key, tc.secret).GetApis(ctx, &apigatewayv2.GetApisInput{})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != tc.code {
			t.Errorf("key %s secret %s: err = %v, want %s", tc.key, tc.secret, err, tc.code)
		}
	}
	resp, body := do(t, "GET", srv.URL+"/v2/apis", "")
	if resp.StatusCode != 403 || resp.Header.Get("x-amzn-ErrorType") != "MissingAuthenticationTokenException" || body["message"] != "Missing Authentication Token" {
		t.Errorf("unsigned = %d %s %v", resp.StatusCode, resp.Header.Get("x-amzn-ErrorType"), body)
	}
	if resp, _ := do(t, "POST", srv.URL+"/_gatehouse/reset", ""); resp.StatusCode != 403 {
		t.Errorf("reset in strict mode = %d, want 403", resp.StatusCode)
	}
	allowed := newServer(t, mgmt.Config{Auth: mgmt.AuthStrict, Credentials: creds, AllowReset: true}, nil)
	if resp, _ := do(t, "POST", allowed.URL+"/_gatehouse/reset", ""); resp.StatusCode != 204 {
		t.Errorf("reset with AllowReset = %d, want 204", resp.StatusCode)
	}
}

func TestClientMistakesAreAWSShaped(t *testing.T) {
	srv := newServer(t, mgmt.Config{Auth: mgmt.AuthPermissive}, nil)
	big := strings.Repeat("x", mgmt.MaxBodyBytes+1)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		errType                  string
	}{
		{"unknown path", "GET", "/v2/nope", "", 404, "UnknownOperationException"},
		{"unknown v1 path", "GET", "/restapis", "", 404, "UnknownOperationException"},
		{"wrong method", "PUT", "/v2/apis/abc/routes", "", 405, "MethodNotAllowedException"},
		{"bad json", "POST", "/v2/apis", `{"name":`, 400, "BadRequestException"},
		{"json array", "POST", "/v2/apis", `[]`, 400, "BadRequestException"},
		{"wrong type", "POST", "/v2/apis", `{"name":1,"protocolType":"HTTP"}`, 400, "BadRequestException"},
		{"missing required", "POST", "/v2/apis", `{"protocolType":"HTTP"}`, 400, "BadRequestException"},
		{"bad enum", "POST", "/v2/apis", `{"name":"a","protocolType":"GRPC"}`, 400, "BadRequestException"},
		{"too large", "POST", "/v2/apis", big, 413, "RequestEntityTooLargeException"},
		{"missing required query", "DELETE", "/v2/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Fapis%2Fx", "", 400, "BadRequestException"},
		{"unknown gatehouse endpoint", "GET", "/_gatehouse/nope", "", 404, "UnknownOperationException"},
		{"health wrong method", "POST", "/_gatehouse/health", "", 405, "MethodNotAllowedException"},
	} {
		resp, body := do(t, tc.method, srv.URL+tc.path, tc.body)
		if resp.StatusCode != tc.status || resp.Header.Get("x-amzn-ErrorType") != tc.errType || body["message"] == nil {
			t.Errorf("%s: %s %s = %d %q %v, want %d %s with a message", tc.name, tc.method, tc.path,
				resp.StatusCode, resp.Header.Get("x-amzn-ErrorType"), body, tc.status, tc.errType)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type = %q", tc.name, ct)
		}
	}
}

// failing is a Service whose handler fails with an internal error.
type failing struct{}

func (failing) Model() *awsmodel.Service { return awsmodel.APIGatewayV2() }
func (failing) Handle(*mgmt.Request) (any, error) {
	return nil, errors.New("disk on fire: /secret/path")
}

func TestInternalErrorsDoNotLeak(t *testing.T) {
	srv := newServer(t, mgmt.Config{Auth: mgmt.AuthPermissive}, failing{})
	resp, body := do(t, "GET", srv.URL+"/v2/apis", "")
	msg, _ := body["message"].(string)
	if resp.StatusCode != 500 || strings.Contains(msg, "secret") || resp.Header.Get("x-amzn-ErrorType") != "InternalServerErrorException" {
		t.Errorf("internal error = %d %q %q", resp.StatusCode, resp.Header.Get("x-amzn-ErrorType"), msg)
	}
}

func TestDataPlaneHostsAreNotManagement(t *testing.T) {
	srv := newServer(t, mgmt.Config{Auth: mgmt.AuthPermissive, IsDataPlaneHost: func(h string) bool { return strings.HasPrefix(h, "abc.execute-api.") }}, nil)
	for _, host := range []string{"abc.execute-api.localhost", ""} {
		req, _ := http.NewRequest("GET", srv.URL+"/_gatehouse/execute-api/us-east-1/abc/v2/apis", nil)
		if host != "" {
			req, _ = http.NewRequest("GET", srv.URL+"/v2/apis", nil)
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 404 || string(b) != `{"message":"Not Found"}` {
			t.Errorf("host %q: data-plane request = %d %s, want 404 Not Found", host, resp.StatusCode, b)
		}
	}
}

func TestRegionFromCredentialScope(t *testing.T) {
	srv := newServer(t, mgmt.Config{Auth: mgmt.AuthPermissive}, nil)
	for _, tc := range []struct {
		region string
		status int
	}{{"eu-west-1", 200}, {"local", 200}, {"EU_WEST", 400}, {"x%2Fy", 400}} {
		req, _ := http.NewRequest("GET", srv.URL+"/v2/apis", nil)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/"+tc.region+"/apigateway/aws4_request, SignedHeaders=host, Signature=00")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("region %q: status %d, want %d", tc.region, resp.StatusCode, tc.status)
		}
	}
}

func TestAWSHeaderSpellingOnTheWire(t *testing.T) {
	srv := newServer(t, mgmt.Config{Auth: mgmt.AuthPermissive}, nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /v2/apis/nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	raw, _ := io.ReadAll(conn)
	for _, want := range []string{"\r\nx-amzn-ErrorType: NotFoundException\r\n", "\r\nx-amzn-RequestId: "} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("response lacks %q:\n%s", want, raw)
		}
	}
}
