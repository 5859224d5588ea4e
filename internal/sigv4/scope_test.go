package sigv4

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestScope(t *testing.T) {
	want := Identity{AccessKeyID: testAccessKey, Region: "eu-west-2", Service: "execute-api"}
	tests := []struct {
		name   string
		target string
		auth   string
		want   Identity
		ok     bool
	}{
		{name: "authorization header", target: "/",
			auth: "AWS4-HMAC-SHA256 Credential=" + testAccessKey + "/20190101/eu-west-2/execute-api/aws4_request, SignedHeaders=host, Signature=00",
			want: want, ok: true},
		{name: "header without signature or date still parses", target: "/",
			auth: "AWS4-HMAC-SHA256 Credential=" + testAccessKey + "/20190101/eu-west-2/execute-api/aws4_request",
			want: want, ok: true},
		{name: "presigned query", target: "/?X-Amz-Credential=" + testAccessKey + "%2F20190101%2Feu-west-2%2Fexecute-api%2Faws4_request",
			want: want, ok: true},
		{name: "unsigned", target: "/"},
		{name: "bearer token", target: "/", auth: "Bearer abc"},
		{name: "short credential", target: "/", auth: "AWS4-HMAC-SHA256 Credential=AKID/20190101/eu-west-2"},
		{name: "bad terminator", target: "/", auth: "AWS4-HMAC-SHA256 Credential=AKID/20190101/eu-west-2/execute-api/x"},
		{name: "header wins over query",
			target: "/?X-Amz-Credential=" + testAccessKey + "%2F20190101%2Feu-west-2%2Fexecute-api%2Faws4_request",
			auth:   "Bearer abc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tc.target, nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			got, ok := Scope(r)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Scope = %+v, %v; want %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
