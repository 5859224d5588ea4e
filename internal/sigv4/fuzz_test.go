package sigv4

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary Authorization headers and request targets to
// Verify and Scope: they must never panic, and every failure must be a 403
// *Error with a known code and a bounded message that does not echo the
// secret.
func FuzzVerify(f *testing.F) {
	seeds := [][2]string{
		{goodAuth, "/restapis"},
		{goodAuth, "/v2/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Fapis%2Fabc?tagKeys=a&tagKeys=b"},
		{"", "/?" + presignQS + "&X-Amz-Expires=300"},
		{"", "/?" + presignQS + "&X-Amz-Expires=-9999999999999999999999"},
		{"", "/?X-Amz-Credential=%ZZ&X-Amz-Signature="},
		{"Bearer abc.def.ghi", "/"},
		{"AWS4-HMAC-SHA256", ""},
		{"AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=;;;, Signature=", "*"},
		{"AWS4-HMAC-SHA256 Credential=a/20190101/r/s/aws4_request,SignedHeaders=host,Signature=00", "http://h/a%2F?x=%"},
		{"AWS4-HMAC-SHA256 Credential=" + testAccessKey + "/20190101/us-east-1/apigateway/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + strings.Repeat("f", 64), "/a/../b//c?=&=="},
		{"AWS4-HMAC-SHA256 Credential=\xff\xfe/20190101/\x00/s/aws4_request, SignedHeaders=HOST, Signature=\xc3", "/\xc3\x28?\xe2\x82"},
		{"=,=,=", "?"},
		{strings.Repeat("a=b ", 200), "/" + strings.Repeat("%2F", 100)},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	now := signTime.Add(time.Minute)
	v := &Verifier{Lookup: lookupSecret(testSecret), Now: func() time.Time { return now }}
	known := map[string]bool{
		CodeMissingAuthenticationToken: true, CodeIncompleteSignature: true,
		CodeUnrecognizedClient: true, CodeInvalidSignature: true,
	}
	f.Fuzz(func(t *testing.T, auth, target string) {
		path, query, _ := strings.Cut(target, "?")
		r := &http.Request{
			Method:     http.MethodGet,
			Host:       testHost,
			RequestURI: target,
			URL:        &url.URL{Path: path, RawQuery: query},
			Header:     http.Header{"X-Amz-Date": {signDate}},
		}
		if auth != "" {
			r.Header["Authorization"] = []string{auth}
		}
		Scope(r)
		id, err := v.Verify(r, []byte(auth))
		if err == nil {
			if id.AccessKeyID != testAccessKey {
				t.Fatalf("verified unknown key: %+v", id)
			}
			return
		}
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("error %T is not *Error", err)
		}
		if e.Status != http.StatusForbidden || !known[e.Code] {
			t.Fatalf("unexpected error %+v", e)
		}
		if len(e.Message) > 1024 {
			t.Fatalf("message is %d bytes", len(e.Message))
		}
		if strings.Contains(e.Message, testSecret) {
			t.Fatalf("message echoes the secret: %q", e.Message)
		}
	})
}
