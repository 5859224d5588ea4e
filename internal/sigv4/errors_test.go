package sigv4

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const (
	goodCred   = "Credential=" + testAccessKey + "/20190101/us-east-1/apigateway/aws4_request"
	goodAuth   = "AWS4-HMAC-SHA256 " + goodCred + ", SignedHeaders=host;x-amz-date, Signature=0123abcd"
	presignQS  = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + testAccessKey + "%2F20190101%2Fus-east-1%2Fapigateway%2Faws4_request&X-Amz-Date=20190101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=0123abcd"
	signDate   = "20190101T000000Z"
	longHeader = "AWS4-HMAC-SHA256 Credential=" + testAccessKey + "/20190101/us-east-1/apigateway/aws4_request, SignedHeaders=host;x-amz-date, X-Padding="
)

// TestVerifyErrors checks the code and AWS-worded message of every failure
// that does not depend on a valid signature.
func TestVerifyErrors(t *testing.T) {
	long := longHeader + strings.Repeat("p", 400)
	tests := []struct {
		name    string
		target  string            // request target
		headers map[string]string // X-Amz-Date defaults to signDate when Authorization is set
		skew    time.Duration     // Verifier.MaxSkew
		offset  time.Duration     // clock, relative to signTime
		code    string
		msg     string // exact message
		prefix  string // or message prefix
	}{
		{name: "unsigned", target: "/restapis",
			code: CodeMissingAuthenticationToken, msg: "Missing Authentication Token"},
		{name: "empty authorization header", target: "/restapis", headers: map[string]string{"Authorization": " "},
			code: CodeMissingAuthenticationToken, msg: "Missing Authentication Token"},
		{name: "unrelated query", target: "/restapis?X-Amz-Date=20190101T000000Z&limit=1",
			code: CodeMissingAuthenticationToken, msg: "Missing Authentication Token"},
		{name: "bearer token", target: "/", headers: map[string]string{"Authorization": "Bearer abc.def.ghi"},
			code: CodeIncompleteSignature,
			msg:  "'abc.def.ghi' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc.def.ghi'."},
		{name: "space after Credential=", target: "/", headers: map[string]string{
			"Authorization": "AWS4-HMAC-SHA256 Credential= AKID/20190101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=00"},
			code: CodeIncompleteSignature, prefix: "'AKID/20190101/us-east-1/apigateway/aws4_request' not a valid key=value pair"},
		{name: "nothing usable, no date", target: "/", headers: map[string]string{"Authorization": "foo=bar", "X-Amz-Date": ""},
			code: CodeIncompleteSignature,
			msg: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. " +
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=foo=bar"},
		{name: "missing signature", target: "/", headers: map[string]string{
			"Authorization": "AWS4-HMAC-SHA256 " + goodCred + ", SignedHeaders=host;x-amz-date"},
			code: CodeIncompleteSignature,
			msg:  "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 " + goodCred + ", SignedHeaders=host;x-amz-date"},
		{name: "missing date", target: "/", headers: map[string]string{"Authorization": goodAuth, "X-Amz-Date": ""},
			code: CodeIncompleteSignature,
			msg:  "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + goodAuth},
		{name: "echo truncated to 256 bytes", target: "/", headers: map[string]string{"Authorization": long},
			code: CodeIncompleteSignature,
			msg:  "Authorization header requires 'Signature' parameter. Authorization=" + long[:256]},
		{name: "wrong algorithm", target: "/", headers: map[string]string{
			"Authorization": strings.Replace(goodAuth, "SHA256", "SHA512", 1)},
			code: CodeIncompleteSignature, prefix: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."},
		{name: "SigV2-style header", target: "/", headers: map[string]string{"Authorization": "AWS AKID:c2lnbmF0dXJl"},
			code: CodeIncompleteSignature, prefix: "'AKID:c2lnbmF0dXJl' not a valid key=value pair"},
		{name: "credential without terminator", target: "/", headers: map[string]string{
			"Authorization": strings.Replace(goodAuth, "/aws4_request", "", 1)},
			code: CodeIncompleteSignature, prefix: "Authorization header's Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\""},
		{name: "credential with bad date", target: "/", headers: map[string]string{
			"Authorization": strings.Replace(goodAuth, "/20190101/", "/2019-01-01/", 1)},
			code: CodeIncompleteSignature, prefix: "Authorization header's Credential is mal-formed"},
		{name: "wrong terminator", target: "/", headers: map[string]string{
			"Authorization": strings.Replace(goodAuth, "aws4_request", "aws4_reqest", 1)},
			code: CodeIncompleteSignature, msg: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reqest'."},
		{name: "scope date differs from X-Amz-Date", target: "/", headers: map[string]string{
			"Authorization": strings.Replace(goodAuth, "/20190101/", "/20190102/", 1)},
			code: CodeIncompleteSignature,
			msg: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: " +
				"'20190102' != '20190101', from '20190101T000000Z'."},
		{name: "malformed X-Amz-Date", target: "/", headers: map[string]string{"Authorization": goodAuth, "X-Amz-Date": "2019-01-01T00:00:00Z"},
			code: CodeIncompleteSignature, prefix: "Date must be in ISO-8601 'basic format'. Got '2019-01-01T00:00:00Z'."},
		{name: "host not signed", target: "/", headers: map[string]string{
			"Authorization": strings.Replace(goodAuth, "host;", "", 1)},
			code: CodeIncompleteSignature, msg: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "unknown access key", target: "/", headers: map[string]string{
			"Authorization": strings.Replace(goodAuth, testAccessKey, "AKIDUNKNOWN", 1)},
			code: CodeUnrecognizedClient, msg: "The security token included in the request is invalid."},
		{name: "bad signature", target: "/", headers: map[string]string{"Authorization": goodAuth},
			code: CodeInvalidSignature, msg: msgSignatureMismatch},
		{name: "signature expired", target: "/", headers: map[string]string{"Authorization": goodAuth}, offset: 10 * time.Minute,
			code: CodeInvalidSignature,
			msg:  "Signature expired: 20190101T000000Z is now earlier than 20190101T000500Z (20190101T001000Z - 5 min.)"},
		{name: "signature not yet current", target: "/", headers: map[string]string{"Authorization": goodAuth}, offset: -10 * time.Minute,
			code: CodeInvalidSignature,
			msg:  "Signature not yet current: 20190101T000000Z is still later than 20181231T235500Z (20181231T235000Z + 5 min.)"},
		{name: "custom skew in seconds", target: "/", headers: map[string]string{"Authorization": goodAuth}, skew: 90 * time.Second, offset: 2 * time.Minute,
			code: CodeInvalidSignature,
			msg:  "Signature expired: 20190101T000000Z is now earlier than 20190101T000030Z (20190101T000200Z - 90 sec.)"},
		{name: "Date header expired", target: "/", offset: 10 * time.Minute, headers: map[string]string{
			"Authorization": strings.Replace(goodAuth, "x-amz-date", "date", 1), "X-Amz-Date": "", "Date": "Tue, 01 Jan 2019 00:00:00 GMT"},
			code: CodeInvalidSignature,
			msg:  "Signature expired: 20190101T000000Z is now earlier than 20190101T000500Z (20190101T001000Z - 5 min.)"},
		{name: "X-Amz-Date wins over Date", target: "/", offset: 10 * time.Minute, headers: map[string]string{
			"Authorization": goodAuth, "Date": "Tue, 01 Jan 2019 00:10:00 GMT"},
			code: CodeInvalidSignature, prefix: "Signature expired: 20190101T000000Z"},
		{name: "presign missing signature", target: "/?" + strings.Replace(presignQS, "&X-Amz-Signature=0123abcd", "", 1),
			code: CodeIncompleteSignature,
			msg: "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', " +
				"'X-Amz-Date', 'X-Amz-SignedHeaders'. Re-examine the query-string parameters."},
		{name: "presign wrong algorithm", target: "/?" + strings.Replace(presignQS, "SHA256", "SHA1", 1),
			code: CodeIncompleteSignature, msg: "X-Amz-Algorithm only supports 'AWS4-HMAC-SHA256', not 'AWS4-HMAC-SHA1'."},
		{name: "presign bad credential", target: "/?" + strings.Replace(presignQS, "%2Fapigateway", "", 1),
			code: CodeIncompleteSignature, prefix: "X-Amz-Credential is mal-formed"},
		{name: "presign expires not a number", target: "/?" + presignQS + "&X-Amz-Expires=soon",
			code: CodeIncompleteSignature, msg: "X-Amz-Expires should be a number, not 'soon'."},
		{name: "presign expires negative", target: "/?" + presignQS + "&X-Amz-Expires=-1",
			code: CodeIncompleteSignature, msg: "X-Amz-Expires must be non-negative."},
		{name: "presign expires over a week", target: "/?" + presignQS + "&X-Amz-Expires=604801",
			code: CodeIncompleteSignature, msg: "X-Amz-Expires must be less than a week (in seconds) that is 604800."},
		{name: "presign expired", target: "/?" + presignQS + "&X-Amz-Expires=300", offset: 10 * time.Minute,
			code: CodeInvalidSignature,
			msg:  "Signature expired: 20190101T000000Z is now earlier than 20190101T000500Z (20190101T001000Z - 5 min.)"},
		{name: "presign expires in seconds", target: "/?" + presignQS + "&X-Amz-Expires=30", offset: time.Minute,
			code: CodeInvalidSignature,
			msg:  "Signature expired: 20190101T000000Z is now earlier than 20190101T000030Z (20190101T000100Z - 30 sec.)"},
		{name: "presign long expiry not expired", target: "/?" + presignQS + "&X-Amz-Expires=86400", offset: 23 * time.Hour,
			code: CodeInvalidSignature, msg: msgSignatureMismatch},
		{name: "presign without expires uses skew", target: "/?" + presignQS, offset: 6 * time.Minute,
			code: CodeInvalidSignature, prefix: "Signature expired: "},
		{name: "presign in the future", target: "/?" + presignQS + "&X-Amz-Expires=300", offset: -6 * time.Minute,
			code: CodeInvalidSignature, prefix: "Signature not yet current: "},
		{name: "header wins over presign query", target: "/?" + presignQS, headers: map[string]string{"Authorization": "Bearer x"},
			code: CodeIncompleteSignature, prefix: "'x' not a valid key=value pair"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tc.target, nil)
			r.Host = testHost
			if _, ok := tc.headers["Authorization"]; ok {
				r.Header.Set("X-Amz-Date", signDate)
			}
			for k, v := range tc.headers {
				if v == "" {
					r.Header.Del(k)
				} else {
					r.Header.Set(k, v)
				}
			}
			v := verifierAt(tc.offset)
			v.MaxSkew = tc.skew
			_, err := v.Verify(r, nil)
			if code := errCode(t, err); code != tc.code {
				t.Fatalf("code %q (%v), want %q", code, err, tc.code)
			}
			msg := err.(*Error).Message
			if tc.msg != "" && msg != tc.msg {
				t.Errorf("message\n got %q\nwant %q", msg, tc.msg)
			}
			if tc.prefix != "" && !strings.HasPrefix(msg, tc.prefix) {
				t.Errorf("message\n got %q\nwant prefix %q", msg, tc.prefix)
			}
			if strings.Contains(msg, testSecret) {
				t.Errorf("message echoes the secret: %q", msg)
			}
			if want := err.(*Error).Code + ": " + msg; err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestVerifyNilLookup(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", goodAuth)
	r.Header.Set("X-Amz-Date", signDate)
	_, err := (&Verifier{}).Verify(r, nil)
	if code := errCode(t, err); code != CodeUnrecognizedClient {
		t.Fatalf("code %q, want %q", code, CodeUnrecognizedClient)
	}
}
