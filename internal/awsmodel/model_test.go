package awsmodel

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAPIGatewayV2HasTheClassicOperations(t *testing.T) {
	svc := APIGatewayV2()
	if n := len(svc.Operations); n != 72 {
		t.Fatalf("operations = %d, want 72", n)
	}
	for name, want := range map[string]struct {
		method string
		status int
	}{
		"CreateApi": {"POST", 201}, "DeleteVpcLink": {"DELETE", 202}, "DeleteApi": {"DELETE", 204},
		"GetIntegrations": {"GET", 200}, "UpdateRoute": {"PATCH", 200}, "TagResource": {"POST", 201},
	} {
		op := svc.Operations[name]
		if op == nil || op.Method != want.method || op.Status != want.status {
			t.Errorf("%s = %+v, want %s %d", name, op, want.method, want.status)
		}
	}
}

func TestMatch(t *testing.T) {
	svc := APIGatewayV2()
	for _, tc := range []struct {
		method, path, op string
		labels           map[string]string
		known            bool
	}{
		{"GET", "/v2/apis", "GetApis", nil, true},
		{"POST", "/v2/apis/abc/integrations", "CreateIntegration", map[string]string{"apiId": "abc"}, true},
		{"DELETE", "/v2/apis/a/stages/dev/routesettings/GET%20%2Fpets", "DeleteRouteSettings",
			map[string]string{"apiId": "a", "stageName": "dev", "routeKey": "GET /pets"}, true},
		{"GET", "/v2/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Fapis%2Fabc", "GetTags",
			map[string]string{"resource-arn": "arn:aws:apigateway:us-east-1::/apis/abc"}, true},
		{"PUT", "/v2/apis/abc/routes", "", nil, true},
		{"GET", "/v2/nope", "", nil, false},
		{"GET", "/v2/apis//routes", "", nil, false},
		{"GET", "/v2/apis/%zz/routes", "", nil, false},
	} {
		op, labels, known := svc.Match(tc.method, tc.path)
		name := ""
		if op != nil {
			name = op.Name
		}
		if name != tc.op || known != tc.known {
			t.Errorf("Match(%s %s) = %q known=%v, want %q known=%v", tc.method, tc.path, name, known, tc.op, tc.known)
			continue
		}
		for k, v := range tc.labels {
			if labels[k] != v {
				t.Errorf("Match(%s %s) label %s = %q, want %q", tc.method, tc.path, k, labels[k], v)
			}
		}
	}
}

func TestDecodeBody(t *testing.T) {
	svc := APIGatewayV2()
	in := svc.Operations["CreateIntegration"].Input
	for _, tc := range []struct {
		name, body string
		wantErr    string // substring; "" = valid
		wantKeys   []string
	}{
		{"minimal", `{"integrationType":"HTTP_PROXY"}`, "", []string{"integrationType"}},
		{"empty body is an object", ``, "Value null at 'integrationType'", nil},
		{"unknown keys dropped", `{"integrationType":"MOCK","bogus":1,"apiId":"x"}`, "", []string{"integrationType"}},
		{"null is absent", `{"integrationType":"MOCK","description":null}`, "", []string{"integrationType"}},
		{"enum", `{"integrationType":"FOO"}`, "Member must satisfy enum value set: [AWS, HTTP, MOCK, HTTP_PROXY, AWS_PROXY]", nil},
		{"range low", `{"integrationType":"MOCK","timeoutInMillis":49}`, "greater than or equal to 50", nil},
		{"range high", `{"integrationType":"MOCK","timeoutInMillis":30001}`, "less than or equal to 30000", nil},
		{"integer type", `{"integrationType":"MOCK","timeoutInMillis":"abc"}`, "Member must be of type integer", nil},
		{"fraction", `{"integrationType":"MOCK","timeoutInMillis":1000.5}`, "Member must be of type integer", nil},
		{"map values", `{"integrationType":"MOCK","requestParameters":{"a":1}}`, "requestParameters.a", nil},
		{"nested struct", `{"integrationType":"MOCK","tlsConfig":{"serverNameToVerify":5}}`, "tlsConfig.serverNameToVerify", nil},
		{"array body", `[1,2]`, "Could not parse request body", nil},
		{"not json", `{"a":`, "Could not parse request body", nil},
		{"two problems", `{"integrationType":"X","connectionType":"Y"}`, "2 validation errors detected", nil},
	} {
		got, err := DecodeBody(in, []byte(tc.body))
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: DecodeBody(%s) = %v, want no error", tc.name, tc.body, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: DecodeBody(%s) error = %v, want it to contain %q", tc.name, tc.body, err, tc.wantErr)
		case tc.wantErr == "" && len(got) != len(tc.wantKeys):
			t.Errorf("%s: DecodeBody(%s) keys = %v, want %v", tc.name, tc.body, got, tc.wantKeys)
		}
	}
}

func FuzzDecodeBody(f *testing.F) {
	svc := APIGatewayV2()
	for _, seed := range []string{`{}`, `{"integrationType":"MOCK","timeoutInMillis":50}`, `{"corsConfiguration":{"maxAge":-1}}`,
		`{"routeSettings":{"GET /x":{"throttlingRateLimit":1.5}}}`, `[`, `null`, `{"a":[{"b":{}}]}`} {
		f.Add("CreateIntegration", seed)
		f.Add("CreateStage", seed)
		f.Add("CreateApi", seed)
	}
	f.Fuzz(func(t *testing.T, opName, body string) {
		op := svc.Operations[opName]
		if op == nil {
			op = svc.Operations["CreateStage"]
		}
		got, err := DecodeBody(op.Input, []byte(body))
		if err != nil {
			if _, ok := err.(*ValidationError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for k, v := range got {
			if !json.Valid(v) {
				t.Fatalf("member %s is not valid JSON: %s", k, v)
			}
		}
	})
}

func FuzzMatch(f *testing.F) {
	svc := APIGatewayV2()
	for _, p := range []string{"/v2/apis", "/v2/apis/a/routes/b", "/v2/tags/arn%3Aa%2Fb", "/v2/apis/%", "//", ""} {
		f.Add("GET", p)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		op, labels, _ := svc.Match(method, path)
		if op != nil && op.Method != method {
			t.Fatalf("matched %s for method %s", op.Name, method)
		}
		for k, v := range labels {
			if v == "" {
				t.Fatalf("empty label %s", k)
			}
		}
	})
}
