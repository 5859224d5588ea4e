package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// sdkRequest describes a request signed by aws-sdk-go-v2's signer.
type sdkRequest struct {
	name    string
	method  string
	url     string // https://host/escaped-path?raw-query
	body    string
	headers map[string]string
	token   string // session token
	presign bool   // PresignHTTP instead of SignHTTP
	expires string // X-Amz-Expires for presigned requests
	// payloadHash, when literalHash is set, replaces the hex SHA-256 of
	// body passed to the signer.
	payloadHash string
	literalHash bool
}

var sdkRequests = []sdkRequest{
	{
		name:   "GET with query string",
		method: http.MethodGet,
		url:    "https://" + testHost + "/restapis?limit=25&position=abc%3D%3D&name=my%20api",
	},
	{
		name:    "POST with JSON body",
		method:  http.MethodPost,
		url:     "https://" + testHost + "/v2/apis",
		body:    `{"name":"pets","protocolType":"HTTP"}`,
		headers: map[string]string{"Content-Type": "application/json"},
	},
	{
		name:    "PATCH",
		method:  http.MethodPatch,
		url:     "https://" + testHost + "/restapis/a1b2c3/stages/prod",
		body:    `{"patchOperations":[{"op":"replace","path":"/description","value":"x  y"}]}`,
		headers: map[string]string{"Content-Type": "application/json", "X-Custom": "  spaced   value  "},
	},
	{
		name:   "DELETE with URL-encoded ARN in path and repeated query",
		method: http.MethodDelete,
		url:    "https://" + testHost + "/v2/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Fapis%2Fabc?tagKeys=a&tagKeys=b",
	},
	{
		name:   "route key path parameter",
		method: http.MethodGet,
		url:    "https://" + testHost + "/v2/apis/abc/routes/GET%20%2Fpets",
	},
	{
		name:   "session token",
		method: http.MethodGet,
		url:    "https://" + testHost + "/restapis",
		token:  testToken,
	},
	{
		name:    "presigned URL",
		method:  http.MethodGet,
		url:     "https://" + testHost + "/v2/apis?maxResults=5&X-Amz-Expires=900",
		presign: true,
		expires: "900",
	},
	{
		// As RDS auth tokens and EKS tokens are presigned.
		name:        "presigned URL over the empty-body hash",
		method:      http.MethodGet,
		url:         "https://" + testHost + "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=900",
		presign:     true,
		expires:     "900",
		payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		literalHash: true,
	},
	{
		name:    "presigned URL with session token and ARN path",
		method:  http.MethodGet,
		url:     "https://" + testHost + "/v2/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Fapis%2Fabc?X-Amz-Expires=60",
		token:   testToken,
		presign: true,
		expires: "60",
	},
}

// sign builds the request and signs it at signTime with the given key.
func (s sdkRequest) sign(t *testing.T, accessKey string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(s.method, s.url, strings.NewReader(s.body))
	if err != nil {
		t.Fatal(err)
	}
	if s.body == "" {
		req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
	}
	for k, v := range s.headers {
		req.Header.Set(k, v)
	}
	creds := aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: testSecret, SessionToken: s.token}
	hash := s.payloadHash
	if !s.literalHash {
		sum := sha256.Sum256([]byte(s.body))
		hash = hex.EncodeToString(sum[:])
	}
	signer := v4.NewSigner()
	ctx := context.Background()
	if !s.presign {
		if err := signer.SignHTTP(ctx, creds, req, hash, testService, testRegion, signTime); err != nil {
			t.Fatal(err)
		}
		return req
	}
	presignHash := "UNSIGNED-PAYLOAD"
	if s.literalHash {
		presignHash = s.payloadHash
	}
	uri, hdr, err := signer.PresignHTTP(ctx, creds, req, presignHash, testService, testRegion, signTime)
	if err != nil {
		t.Fatal(err)
	}
	preq, err := http.NewRequest(s.method, uri, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if k != "Host" { // net/http sends req.Host
			preq.Header[k] = v
		}
	}
	return preq
}

// roundTrip sends req over a real HTTP connection to a test server and
// returns the request and body as the server received them, so that
// Verify sees exactly what net/http hands a handler.
func roundTrip(t *testing.T, req *http.Request) (*http.Request, []byte) {
	t.Helper()
	var (
		got  *http.Request
		body []byte
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		got, body = r.Clone(context.Background()), b
	}))
	defer srv.Close()

	if req.Host == "" {
		req.Host = req.URL.Host // keep the signed host on the wire
	}
	req.URL.Scheme, req.URL.Host = "http", srv.Listener.Addr().String()
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got == nil {
		t.Fatal("server saw no request")
	}
	return got, body
}

func setBody(r *http.Request, body string) {
	r.Body = io.NopCloser(strings.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
	r.ContentLength = int64(len(body))
}

// tamper is a change to a correctly signed request, or to the verifier, and
// the outcome it must produce.
type tamper struct {
	name      string
	applies   func(s sdkRequest) bool // nil: always
	accessKey string                  // sign with this key instead of testAccessKey
	client    func(r *http.Request)   // change the signed request before sending
	secret    string                  // verifier's secret for testAccessKey, if not testSecret
	offset    time.Duration           // verifier clock, relative to signTime
	want      string                  // expected error code; "" means success
}

func headerSigned(s sdkRequest) bool { return !s.presign }
func presigned(s sdkRequest) bool    { return s.presign }
func hasBody(s sdkRequest) bool      { return s.body != "" }

// hasOwnQuery reports whether the request has query parameters other than
// the X-Amz-* ones presigning adds.
func hasOwnQuery(s sdkRequest) bool {
	_, q, _ := strings.Cut(s.url, "?")
	for _, p := range strings.Split(q, "&") {
		if p != "" && !strings.HasPrefix(p, "X-Amz-") {
			return true
		}
	}
	return false
}

var tampers = []tamper{
	{name: "untouched", want: ""},
	{name: "clock 4min ahead", offset: 4 * time.Minute, want: ""},
	{name: "clock 4min behind", offset: -4 * time.Minute, want: ""},
	{name: "body", applies: hasBody, want: CodeInvalidSignature, client: func(r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		b[len(b)/2] ^= 1 // same length, different content
		setBody(r, string(b))
	}},
	{name: "path", want: CodeInvalidSignature, client: func(r *http.Request) {
		r.URL.Path += "x"
		if r.URL.RawPath != "" {
			r.URL.RawPath += "x"
		}
	}},
	{name: "path encoding", applies: func(s sdkRequest) bool { return strings.Contains(s.url, "%3A") }, want: CodeInvalidSignature,
		client: func(r *http.Request) { r.URL.RawPath = strings.ReplaceAll(r.URL.RawPath, "%3A", "%3a") }},
	{name: "host header", want: CodeInvalidSignature, client: func(r *http.Request) { r.Host = "evil.example.com" }},
	{name: "x-amz-date header", applies: headerSigned, want: CodeInvalidSignature,
		client: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20190101T000001Z") }},
	{name: "content-type header", applies: func(s sdkRequest) bool { return s.headers["Content-Type"] != "" }, want: CodeInvalidSignature,
		client: func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }},
	{name: "session token header", applies: func(s sdkRequest) bool { return s.token != "" && !s.presign }, want: CodeInvalidSignature,
		client: func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "other") }},
	{name: "query added", want: CodeInvalidSignature, client: func(r *http.Request) { r.URL.RawQuery += "&extra=1" }},
	{name: "query value", applies: hasOwnQuery, want: CodeInvalidSignature, client: func(r *http.Request) {
		pairs := strings.Split(r.URL.RawQuery, "&")
		for i, p := range pairs {
			if !strings.HasPrefix(p, "X-Amz-") {
				pairs[i] = p + "z"
				break
			}
		}
		r.URL.RawQuery = strings.Join(pairs, "&")
	}},
	{name: "unsigned header added", want: "", client: func(r *http.Request) { r.Header.Set("X-Unsigned", "1") }},
	{name: "wrong secret", secret: "not-the-secret", want: CodeInvalidSignature},
	{name: "unknown key", accessKey: "AKIDUNKNOWN", want: CodeUnrecognizedClient},
	{name: "skew +6min", applies: headerSigned, offset: 6 * time.Minute, want: CodeInvalidSignature},
	{name: "skew -6min", offset: -6 * time.Minute, want: CodeInvalidSignature},
	{name: "presign within X-Amz-Expires", applies: presigned, offset: 59 * time.Second, want: ""},
	{name: "presign expired", applies: presigned, offset: 15*time.Minute + time.Second, want: CodeInvalidSignature},
	{name: "authorization removed", applies: headerSigned, want: CodeMissingAuthenticationToken,
		client: func(r *http.Request) { r.Header.Del("Authorization") }},
}

func TestVerifySDKSigned(t *testing.T) {
	for _, s := range sdkRequests {
		for _, tc := range tampers {
			if tc.applies != nil && !tc.applies(s) {
				continue
			}
			t.Run(s.name+"/"+tc.name, func(t *testing.T) {
				key := testAccessKey
				if tc.accessKey != "" {
					key = tc.accessKey
				}
				req := s.sign(t, key)
				if tc.client != nil {
					tc.client(req)
				}
				got, body := roundTrip(t, req)

				v := verifierAt(tc.offset)
				if tc.secret != "" {
					v.Lookup = lookupSecret(tc.secret)
				}
				want := tc.want
				if s.presign && s.expires == "60" && tc.offset >= time.Minute {
					want = CodeInvalidSignature // its X-Amz-Expires is shorter
				}
				id, err := v.Verify(got, body)
				if code := errCode(t, err); code != want {
					t.Fatalf("Verify: code %q (%v), want %q", code, err, want)
				}
				if want == "" {
					wantID := Identity{AccessKeyID: testAccessKey, Region: testRegion, Service: testService}
					if id != wantID {
						t.Errorf("identity = %+v, want %+v", id, wantID)
					}
				}
			})
		}
	}
}

// TestVerifyPayloadHashHeader covers X-Amz-Content-Sha256 sent and signed by
// the client.
func TestVerifyPayloadHashHeader(t *testing.T) {
	const body = `{"name":"pets"}`
	sum := sha256.Sum256([]byte(body))
	bodyHash := hex.EncodeToString(sum[:])
	tests := []struct {
		name       string
		header     string // X-Amz-Content-Sha256, also given to the signer
		sendBody   string
		want       string
		wantDetail string
	}{
		{name: "matching hash", header: bodyHash, sendBody: body},
		{name: "matching hash, uppercase hex", header: strings.ToUpper(bodyHash), sendBody: body},
		{name: "body tampered", header: bodyHash, sendBody: strings.Replace(body, "pets", "cats", 1),
			want: CodeInvalidSignature, wantDetail: msgContentSHAMismatch},
		{name: "unsigned payload", header: "UNSIGNED-PAYLOAD", sendBody: body},
		{name: "unsigned payload, body tampered", header: "UNSIGNED-PAYLOAD", sendBody: "anything at all"},
		{name: "signed but wrong hash", header: strings.Repeat("0", 64), sendBody: body,
			want: CodeInvalidSignature, wantDetail: msgContentSHAMismatch},
		{name: "signed but empty", header: "", sendBody: body,
			want: CodeInvalidSignature, wantDetail: msgContentSHAMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := sdkRequest{
				method: http.MethodPost, url: "https://" + testHost + "/v2/apis", body: body,
				headers: map[string]string{"X-Amz-Content-Sha256": tc.header}, payloadHash: tc.header, literalHash: true,
			}
			req := s.sign(t, testAccessKey)
			setBody(req, tc.sendBody)
			got, gotBody := roundTrip(t, req)
			_, err := verifierAt(0).Verify(got, gotBody)
			if code := errCode(t, err); code != tc.want {
				t.Fatalf("code %q (%v), want %q", code, err, tc.want)
			}
			if tc.wantDetail != "" && err.(*Error).Message != tc.wantDetail {
				t.Errorf("message %q, want %q", err.(*Error).Message, tc.wantDetail)
			}
		})
	}
}

// TestVerifyInProcessRequest checks requests that never went over the wire
// (no RequestURI), e.g. built by tests or handlers calling each other.
func TestVerifyInProcessRequest(t *testing.T) {
	for _, s := range sdkRequests {
		t.Run(s.name, func(t *testing.T) {
			req := s.sign(t, testAccessKey)
			if req.Host == "" {
				req.Host = req.URL.Host
			}
			var body []byte
			if req.Body != nil {
				body, _ = io.ReadAll(req.Body)
			}
			if _, err := verifierAt(0).Verify(req, body); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			// Through httptest.NewRequest, which sets RequestURI.
			sreq := httptest.NewRequest(req.Method, req.URL.RequestURI(), bytes.NewReader(body))
			sreq.Host = req.Host
			sreq.Header = req.Header.Clone()
			if _, err := verifierAt(0).Verify(sreq, body); err != nil {
				t.Fatalf("Verify (httptest.NewRequest): %v", err)
			}
		})
	}
}
