package sigv4

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// botocoreRequest is one entry of testdata/botocore_sign.py's input.
type botocoreRequest struct {
	Name           string            `json:"name"`
	Method         string            `json:"method"`
	URL            string            `json:"url"`
	Headers        map[string]string `json:"headers,omitempty"`
	Body           string            `json:"body,omitempty"`
	Params         [][2]string       `json:"params,omitempty"` // AWSRequest params (urlencoded on the wire)
	Token          string            `json:"token,omitempty"`
	PresignExpires int               `json:"presign_expires,omitempty"`
}

// botocoreSigned is one entry of its output: the prepared request.
type botocoreSigned struct {
	Name    string      `json:"name"`
	Method  string      `json:"method"`
	URL     string      `json:"url"`
	Headers [][2]string `json:"headers"`
	BodyB64 string      `json:"body_b64"`
}

const arnPath = "/v2/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Fapis%2Fabc"

var botocoreRequests = []botocoreRequest{
	{Name: "GET ARN path, tagKeys params", Method: "GET", URL: "https://" + testHost + arnPath,
		Params: [][2]string{{"tagKeys", "a"}, {"tagKeys", "b"}}},
	{Name: "DELETE ARN path, pre-encoded query", Method: "DELETE", URL: "https://" + testHost + arnPath + "?tagKeys=a&tagKeys=b"},
	{Name: "query params with space and plus", Method: "GET", URL: "https://" + testHost + "/restapis",
		Params: [][2]string{{"name", "a b+c"}, {"q", "x+y z"}}},
	{Name: "pre-encoded query with space and plus", Method: "GET", URL: "https://" + testHost + "/restapis?name=a%20b%2Bc&q=x%2By%20z"},
	{Name: "route key path parameter", Method: "GET", URL: "https://" + testHost + "/v2/apis/abc/routes/GET%20%2Fpets"},
	{Name: "POST JSON", Method: "POST", URL: "https://" + testHost + "/v2/apis",
		Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"name":"pets","protocolType":"HTTP"}`},
	{Name: "PATCH JSON over http", Method: "PATCH", URL: "http://" + testHost + "/restapis/a1b2c3",
		Headers: map[string]string{"Content-Type": "application/json", "X-Custom": "a   b"}, Body: `{"patchOperations":[]}`},
	{Name: "session token", Method: "GET", URL: "https://" + testHost + "/restapis", Token: testToken},
	{Name: "presigned", Method: "GET", URL: "https://" + testHost + "/v2/apis?maxResults=5", PresignExpires: 300},
	{Name: "presigned with session token", Method: "GET", URL: "https://" + testHost + arnPath, PresignExpires: 300, Token: testToken},
}

// signWithBotocore runs testdata/botocore_sign.py, skipping the test when
// python3 or botocore is unavailable.
func signWithBotocore(t *testing.T, reqs []botocoreRequest) []botocoreSigned {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	if out, err := exec.Command(py, "-c", "import botocore.auth").CombinedOutput(); err != nil {
		t.Skipf("botocore not importable: %v: %s", err, out)
	}
	spec, err := json.Marshal(map[string]any{
		"access_key": testAccessKey, "secret_key": testSecret,
		"time": signTime.Format(amzDateFormat), "region": testRegion, "service": testService,
		"requests": reqs,
	})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "testdata/botocore_sign.py")
	cmd.Stdin = bytes.NewReader(spec)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore_sign.py: %v\n%s", err, stderr.String())
	}
	var signed []botocoreSigned
	if err := json.Unmarshal(out, &signed); err != nil {
		t.Fatalf("decoding botocore_sign.py output: %v\n%s", err, out)
	}
	if len(signed) != len(reqs) {
		t.Fatalf("got %d signed requests, want %d", len(signed), len(reqs))
	}
	return signed
}

// wireRequest renders the prepared request as the bytes an HTTP/1.1 client
// sends (request target taken verbatim from the URL) and parses them as
// net/http's server does.
func (s botocoreSigned) wireRequest(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	body, err := base64.StdEncoding.DecodeString(s.BodyB64)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(s.URL, "://")
	if !ok {
		t.Fatalf("bad URL %q", s.URL)
	}
	host, target := rest, "/"
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		host, target = rest[:i], rest[i:]
	}
	var raw strings.Builder
	fmt.Fprintf(&raw, "%s %s HTTP/1.1\r\nHost: %s\r\n", s.Method, target, host)
	hasLength := false
	for _, h := range s.Headers {
		hasLength = hasLength || strings.EqualFold(h[0], "Content-Length")
		fmt.Fprintf(&raw, "%s: %s\r\n", h[0], h[1])
	}
	if !hasLength && len(body) > 0 {
		fmt.Fprintf(&raw, "Content-Length: %d\r\n", len(body))
	}
	raw.WriteString("\r\n")
	raw.Write(body)

	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw.String())))
	if err != nil {
		t.Fatalf("parsing %q: %v", raw.String(), err)
	}
	got, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	return req, got
}

func TestVerifyBotocoreSigned(t *testing.T) {
	signed := signWithBotocore(t, botocoreRequests)
	for i, s := range signed {
		t.Run(s.Name, func(t *testing.T) {
			presign := botocoreRequests[i].PresignExpires > 0
			checks := []struct {
				name   string
				v      *Verifier
				mutate func(r *http.Request)
				want   string
			}{
				{name: "as signed", v: verifierAt(time.Minute)},
				{name: "wrong secret", v: &Verifier{Lookup: lookupSecret("wrong"), Now: verifierAt(0).Now}, want: CodeInvalidSignature},
				{name: "clock +6min", v: verifierAt(6 * time.Minute), want: CodeInvalidSignature},
				{name: "clock -6min", v: verifierAt(-6 * time.Minute), want: CodeInvalidSignature},
				{name: "path changed", v: verifierAt(0), want: CodeInvalidSignature, mutate: func(r *http.Request) {
					p, q, _ := strings.Cut(r.RequestURI, "?")
					r.RequestURI = p + "/x"
					if q != "" {
						r.RequestURI += "?" + q
					}
				}},
			}
			for _, c := range checks {
				t.Run(c.name, func(t *testing.T) {
					req, body := s.wireRequest(t)
					if c.mutate != nil {
						c.mutate(req)
					}
					id, err := c.v.Verify(req, body)
					if code := errCode(t, err); code != c.want {
						t.Fatalf("code %q (%v), want %q\nrequest: %s %s %v (presigned=%v)",
							code, err, c.want, req.Method, req.RequestURI, req.Header, presign)
					}
					if c.want == "" && id.AccessKeyID != testAccessKey {
						t.Errorf("identity %+v", id)
					}
				})
			}
		})
	}
}
