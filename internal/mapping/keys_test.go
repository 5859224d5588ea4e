package mapping

import (
	"errors"
	"strings"
	"testing"
)

func TestCompileRequestErrors(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]string
		want   string
	}{
		{name: "unknown action", params: map[string]string{"add:header.x": "v"}, want: `requestParameters["add:header.x"]: invalid key: use append|overwrite|remove:header.NAME`},
		{name: "no colon", params: map[string]string{"append": "v"}, want: `requestParameters["append"]: invalid key`},
		{name: "action case-sensitive", params: map[string]string{"Append:header.x": "v"}, want: "invalid key"},
		{name: "empty header name", params: map[string]string{"append:header.": "v"}, want: `invalid header name ""`},
		{name: "header name not a token", params: map[string]string{"append:header.a b": "v"}, want: `invalid header name "a b"`},
		{name: "header name not ASCII", params: map[string]string{"append:header.é": "v"}, want: "invalid header name"},
		{name: "reserved header", params: map[string]string{"overwrite:header.authorization": "v"}, want: "header authorization is reserved"},
		{name: "empty query name", params: map[string]string{"append:querystring.": "v"}, want: "missing query string name"},
		{name: "append path", params: map[string]string{"append:path": "/x"}, want: "path supports only overwrite"},
		{name: "remove path", params: map[string]string{"remove:path": ""}, want: "path supports only overwrite"},
		{name: "statuscode in request", params: map[string]string{"overwrite:statuscode": "200"}, want: `invalid target "statuscode": use header.NAME, querystring.NAME or path`},
		{name: "body target", params: map[string]string{"overwrite:body": "x"}, want: `invalid target "body"`},
		{name: "target case-sensitive", params: map[string]string{"append:Header.x": "v"}, want: `invalid target "Header.x"`},
		{name: "bad value", params: map[string]string{"append:header.x": "${request.header.x"}, want: `requestParameters["append:header.x"]: mapping expression "${request.header.x": "${" without "}"`},
		{name: "response value in request", params: map[string]string{"append:header.x": "$response.body"}, want: "not allowed in request parameters"},
		{name: "first bad key in byte order", params: map[string]string{"remove:header.te": "", "append:header.via": "x", "overwrite:header.origin": "x"}, want: `requestParameters["append:header.via"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := CompileRequest(tc.params)
			if err == nil {
				t.Fatalf("CompileRequest(%v) = %d mappings, want error containing %q", tc.params, m.Len(), tc.want)
			}
			var ke *KeyError
			if !errors.As(err, &ke) || ke.Side != Request || ke.Key == "" {
				t.Errorf("CompileRequest(%v) error %#v, want a *KeyError naming the key", tc.params, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("CompileRequest(%v) error = %q, want it to contain %q", tc.params, err, tc.want)
			}
		})
	}
}

func TestCompileRequestAccepts(t *testing.T) {
	tests := []struct {
		name    string
		params  map[string]string
		wantLen int
	}{
		{name: "nil", params: nil, wantLen: 0},
		{name: "every key kind", params: map[string]string{
			"append:header.x": "a", "overwrite:header.y": "b", "remove:header.z": "",
			"append:querystring.q": "a", "overwrite:querystring.r": "b", "remove:querystring.s": "",
			"overwrite:path": "/p",
		}, wantLen: 7},
		{name: "remove value is not parsed", params: map[string]string{"remove:header.x": "${unterminated"}, wantLen: 1},
		{name: "empty append value is no mapping", params: map[string]string{"append:header.x": "", "overwrite:querystring.q": ""}, wantLen: 0},
		{name: "token characters in header name", params: map[string]string{"append:header.x!#$%&'*+-.^_`|~9": "v"}, wantLen: 1},
		{name: "any query name", params: map[string]string{"append:querystring.a b[]": "v"}, wantLen: 1},
		{name: "near-miss reserved names", params: map[string]string{
			"append:header.Access-Control": "v", "append:header.X-Amzn": "v", "append:header.Apigw": "v",
			"append:header.Trailer": "v", "append:header.Host": "v", "append:header.X-Forwarded-Port": "v",
		}, wantLen: 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := CompileRequest(tc.params)
			if err != nil {
				t.Fatalf("CompileRequest(%v): %v", tc.params, err)
			}
			if m.Len() != tc.wantLen {
				t.Errorf("CompileRequest(%v).Len() = %d, want %d", tc.params, m.Len(), tc.wantLen)
			}
		})
	}
}

func TestCompileResponseErrors(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]map[string]string
		want   string
	}{
		{name: "status not a number", params: map[string]map[string]string{"abc": {"append:header.x": "v"}}, want: `responseParameters["abc"]: status code must be an integer between 200 and 599`},
		{name: "status below 200", params: map[string]map[string]string{"199": {}}, want: `responseParameters["199"]: status code`},
		{name: "status above 599", params: map[string]map[string]string{"600": {}}, want: `responseParameters["600"]`},
		{name: "status with sign", params: map[string]map[string]string{"+200": {}}, want: `responseParameters["+200"]`},
		{name: "status leading zero", params: map[string]map[string]string{"0200": {}}, want: `responseParameters["0200"]`},
		{name: "status pattern", params: map[string]map[string]string{"2XX": {}}, want: `responseParameters["2XX"]`},
		{name: "querystring target", params: map[string]map[string]string{"200": {"append:querystring.x": "v"}}, want: `responseParameters["200"]["append:querystring.x"]: invalid target "querystring.x": use header.NAME or statuscode`},
		{name: "path target", params: map[string]map[string]string{"200": {"overwrite:path": "/x"}}, want: `invalid target "path"`},
		{name: "append statuscode", params: map[string]map[string]string{"200": {"append:statuscode": "201"}}, want: "statuscode supports only overwrite"},
		{name: "remove statuscode", params: map[string]map[string]string{"200": {"remove:statuscode": ""}}, want: "statuscode supports only overwrite"},
		{name: "static status out of range", params: map[string]map[string]string{"500": {"overwrite:statuscode": "600"}}, want: `status code "600" is not an integer between 100 and 599`},
		{name: "static status below range", params: map[string]map[string]string{"500": {"overwrite:statuscode": "99"}}, want: `status code "99"`},
		{name: "static status not a number", params: map[string]map[string]string{"500": {"overwrite:statuscode": "forbidden"}}, want: `status code "forbidden"`},
		{name: "reserved header", params: map[string]map[string]string{"200": {"overwrite:header.Content-Length": "1"}}, want: "header Content-Length is reserved"},
		{name: "request value in response", params: map[string]map[string]string{"200": {"overwrite:header.x": "$request.header.x"}}, want: "not allowed in response parameters"},
		{name: "unknown action", params: map[string]map[string]string{"200": {"set:header.x": "v"}}, want: "invalid key: use append|overwrite|remove:header.NAME or overwrite:statuscode"},
		{name: "first bad status in byte order", params: map[string]map[string]string{"700": {}, "600": {}}, want: `responseParameters["600"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := CompileResponse(tc.params)
			if err == nil {
				t.Fatalf("CompileResponse(%v) = %d mappings, want error containing %q", tc.params, m.Len(), tc.want)
			}
			var ke *KeyError
			if !errors.As(err, &ke) || ke.Side != Response || ke.Status == "" {
				t.Errorf("CompileResponse(%v) error %#v, want a *KeyError naming the status", tc.params, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("CompileResponse(%v) error = %q, want it to contain %q", tc.params, err, tc.want)
			}
		})
	}
}

func TestCompileResponseAccepts(t *testing.T) {
	tests := []struct {
		name    string
		params  map[string]map[string]string
		wantLen int
	}{
		{name: "nil", params: nil, wantLen: 0},
		{name: "range ends", params: map[string]map[string]string{"200": {"append:header.x": "v"}, "599": {"remove:header.x": ""}}, wantLen: 2},
		{name: "computed status", params: map[string]map[string]string{"500": {"overwrite:statuscode": "$response.header.x-status"}}, wantLen: 1},
		{name: "status partly computed", params: map[string]map[string]string{"500": {"overwrite:statuscode": "4${stageVariables.code}"}}, wantLen: 1},
		{name: "static status range ends", params: map[string]map[string]string{"500": {"overwrite:statuscode": "100"}, "501": {"overwrite:statuscode": "599"}}, wantLen: 2},
		{name: "empty status map", params: map[string]map[string]string{"200": {}}, wantLen: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := CompileResponse(tc.params)
			if err != nil {
				t.Fatalf("CompileResponse(%v): %v", tc.params, err)
			}
			if m.Len() != tc.wantLen {
				t.Errorf("CompileResponse(%v).Len() = %d, want %d", tc.params, m.Len(), tc.wantLen)
			}
		})
	}
}

// TestReservedHeaders covers every entry of [DG:http-api-parameter-mapping
// "Reserved headers"], for request and response mappings, in any case.
func TestReservedHeaders(t *testing.T) {
	reserved := []string{
		"access-control-allow-origin", "Access-Control-Request-Method", "apigw-requestid", "APIGW-anything",
		"Authorization", "Connection", "Content-Encoding", "Content-Length", "Content-Location",
		"Forwarded", "Keep-Alive", "Origin", "Proxy-Authenticate", "Proxy-Authorization", "TE",
		"Trailers", "Transfer-Encoding", "Upgrade", "x-amz-date", "X-Amz-Security-Token",
		"x-amzn-requestid", "X-Amzn-Trace-Id", "X-Forwarded-For", "X-Forwarded-Host",
		"X-Forwarded-Proto", "Via", "VIA", "authorization",
	}
	for _, h := range reserved {
		for _, act := range []string{"append", "overwrite", "remove"} {
			key := act + ":header." + h
			if _, err := CompileRequest(map[string]string{key: "v"}); err == nil || !strings.Contains(err.Error(), "is reserved") {
				t.Errorf("CompileRequest(%q) error = %v, want reserved", key, err)
			}
			if _, err := CompileResponse(map[string]map[string]string{"200": {key: "v"}}); err == nil || !strings.Contains(err.Error(), "is reserved") {
				t.Errorf("CompileResponse(200: %q) error = %v, want reserved", key, err)
			}
		}
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		in     string
		want   int
		wantOK bool
	}{
		{"100", 100, true}, {"403", 403, true}, {"599", 599, true},
		{"99", 0, false}, {"600", 0, false}, {"", 0, false}, {"+403", 0, false},
		{" 403", 0, false}, {"403 ", 0, false}, {"4.0", 0, false}, {"0403", 0, false}, {"1e2", 0, false},
	}
	for _, tc := range tests {
		got, ok := parseStatus(tc.in)
		if ok != tc.wantOK || (ok && got != tc.want) {
			t.Errorf("parseStatus(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}
