package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

func TestCanonicalURI(t *testing.T) {
	tests := []struct{ name, wire, want string }{
		{"empty", "", "/"},
		{"root", "/", "/"},
		{"plain", "/restapis/abc/stages", "/restapis/abc/stages"},
		{"ARN is encoded twice", "/v2/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Fapis%2Fabc",
			"/v2/tags/arn%253Aaws%253Aapigateway%253Aus-east-1%253A%253A%252Fapis%252Fabc"},
		{"route key", "/v2/apis/abc/routes/GET%20%2Fpets", "/v2/apis/abc/routes/GET%2520%252Fpets"},
		{"lowercase escapes stay distinct", "/a%3a", "/a%253a"},
		{"raw reserved bytes", "/a:b@c!d$e&'()*+,;=", "/a%3Ab%40c%21d%24e%26%27%28%29%2A%2B%2C%3B%3D"},
		{"unreserved untouched", "/AZaz09-_.~", "/AZaz09-_.~"},
		{"dot segments kept", "/a/./b/../c", "/a/./b/../c"},
		{"slashes not merged", "//a//b/", "//a//b/"},
		{"non-ASCII bytes", "/caf\xc3\xa9", "/caf%C3%A9"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := canonicalURI(tc.wire); got != tc.want {
				t.Errorf("canonicalURI(%q) = %q, want %q", tc.wire, got, tc.want)
			}
		})
	}
}

func TestCanonicalQuery(t *testing.T) {
	tests := []struct {
		name, raw string
		presigned bool
		want      string
	}{
		{name: "empty", raw: "", want: ""},
		{name: "sorted by name", raw: "b=2&a=1&c=3", want: "a=1&b=2&c=3"},
		{name: "repeated name sorted by value", raw: "tagKeys=b&tagKeys=a", want: "tagKeys=a&tagKeys=b"},
		{name: "space as plus or %20, literal plus", raw: "q=a+b%2Bc&r=x%20y", want: "q=a%20b%2Bc&r=x%20y"},
		{name: "reserved bytes re-encoded", raw: "k=a:b/c", want: "k=a%3Ab%2Fc"},
		{name: "lowercase escapes normalised", raw: "k=%3a", want: "k=%3A"},
		{name: "name without value", raw: "flag&a=1", want: "a=1&flag="},
		{name: "empty pairs skipped", raw: "&a=1&&", want: "a=1"},
		{name: "sorted on encoded form", raw: "k=a-b&k=a%2Fb", want: "k=a%2Fb&k=a-b"},
		{name: "bad escape kept literally", raw: "k=%zz", want: "k=%25zz"},
		{name: "signature kept when header-signed", raw: "X-Amz-Signature=abc&a=1", want: "X-Amz-Signature=abc&a=1"},
		{name: "signature dropped when presigned", raw: "X-Amz-Signature=abc&a=1", presigned: true, want: "a=1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := canonicalQuery(tc.raw, tc.presigned); got != tc.want {
				t.Errorf("canonicalQuery(%q) = %q, want %q", tc.raw, got, tc.want)
			}
		})
	}
}

func TestRequestPath(t *testing.T) {
	tests := []struct {
		name string
		req  *http.Request
		want string
	}{
		{"origin form", &http.Request{RequestURI: "/a%2Fb?x=1", URL: &url.URL{Path: "/a/b"}}, "/a%2Fb"},
		{"absolute form", &http.Request{RequestURI: "http://h:1/a%3Ab?x", URL: &url.URL{}}, "/a%3Ab"},
		{"absolute form without path", &http.Request{RequestURI: "http://h", URL: &url.URL{}}, ""},
		{"in process", &http.Request{URL: &url.URL{Path: "/a/b:c", RawPath: "/a%2Fb:c"}}, "/a%2Fb:c"},
		{"no URL", &http.Request{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := requestPath(tc.req); got != tc.want {
				t.Errorf("requestPath = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCanonicalHeaderValue(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Host = "h.example.com"
	r.Header["X-Multi"] = []string{" a ", "b   c"}
	r.Header["x-lower"] = []string{"v"} // stored without canonicalisation
	r.ContentLength = 12
	r.TransferEncoding = []string{"chunked"}
	tests := []struct{ name, header, want string }{
		{"host from r.Host", "host", "h.example.com"},
		{"multiple values joined and trimmed", "x-multi", "a,b c"},
		{"non-canonical key", "x-lower", "v"},
		{"content-length from r.ContentLength", "content-length", "12"},
		{"transfer-encoding from r.TransferEncoding", "transfer-encoding", "chunked"},
		{"absent header", "x-absent", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := canonicalHeaderValue(r, tc.header); got != tc.want {
				t.Errorf("canonicalHeaderValue(%q) = %q, want %q", tc.header, got, tc.want)
			}
		})
	}
}

func TestTrimAll(t *testing.T) {
	for in, want := range map[string]string{
		"":              "",
		"a":             "a",
		"  a  b   c  ":  "a b c",
		"\ta  b\t":      "a b",
		"a\t\tb":        "a\t\tb",
		"no  op   here": "no op here",
	} {
		if got := trimAll(in); got != want {
			t.Errorf("trimAll(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestKnownAnswers replays vectors from AWS's published SigV4 test suite
// (credentials AKIDEXAMPLE, service "service", 20150830T123600Z).
func TestKnownAnswers(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	now := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	v := &Verifier{
		Lookup: func(id string) (string, bool) { return secret, id == "AKIDEXAMPLE" },
		Now:    func() time.Time { return now },
	}
	tests := []struct{ name, method, target, sig string }{
		{"get-vanilla", "GET", "/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
		{"get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
		{"post-vanilla", "POST", "/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.target, nil)
			r.Host = "example.amazonaws.com"
			r.Header.Set("X-Amz-Date", "20150830T123600Z")
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "+
				"SignedHeaders=host;x-amz-date, Signature="+tc.sig)
			id, err := v.Verify(r, nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := (Identity{AccessKeyID: "AKIDEXAMPLE", Region: "us-east-1", Service: "service"}); id != want {
				t.Errorf("identity = %+v, want %+v", id, want)
			}
		})
	}
}

// TestDateHeader signs with the Date header instead of X-Amz-Date, which no
// SDK does, computing the signature by hand from the spec.
func TestDateHeader(t *testing.T) {
	const date = "Tue, 01 Jan 2019 00:00:00 GMT"
	canonical := "GET\n/restapis\nlimit=5\n" +
		"date:" + date + "\nhost:" + testHost + "\n\n" +
		"date;host\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	sum := sha256.Sum256([]byte(canonical))
	sts := "AWS4-HMAC-SHA256\n20190101T000000Z\n20190101/us-east-1/apigateway/aws4_request\n" + hex.EncodeToString(sum[:])
	mac := func(key []byte, s string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(s))
		return h.Sum(nil)
	}
	key := mac(mac(mac(mac([]byte("AWS4"+testSecret), "20190101"), "us-east-1"), "apigateway"), "aws4_request")
	sig := hex.EncodeToString(mac(key, sts))

	r := httptest.NewRequest(http.MethodGet, "/restapis?limit=5", nil)
	r.Host = testHost
	r.Header.Set("Date", date)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAccessKey+
		"/20190101/us-east-1/apigateway/aws4_request,SignedHeaders=date;host,Signature="+sig)
	if _, err := verifierAt(time.Minute).Verify(r, nil); err != nil {
		t.Fatal(err)
	}
}
