package lambda

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
)

// The JSON keys of each wire type must be members of the model shape it
// stands for.
func TestWireKeysAreModelMembers(t *testing.T) {
	svc := awsmodel.Lambda()
	for shape, v := range map[string]any{
		"FunctionConfiguration": FunctionConfiguration{}, "EnvironmentResponse": EnvironmentResponse{},
		"Environment": Environment{}, "TracingConfigResponse": TracingConfig{}, "EphemeralStorage": EphemeralStorage{},
		"SnapStartResponse": SnapStartResponse{}, "LoggingConfig": LoggingConfig{}, "RuntimeVersionConfig": RuntimeVersionConfig{},
		"FunctionCode": FunctionCode{}, "FunctionCodeLocation": FunctionCodeLocation{}, "Concurrency": Concurrency{},
		"GetFunctionResponse": GetFunctionResponse{}, "ListFunctionsResponse": ListFunctionsResponse{},
		"AddPermissionResponse": AddPermissionResponse{}, "GetPolicyResponse": GetPolicyResponse{},
	} {
		s := svc.Shapes[shape]
		if s == nil {
			t.Errorf("no shape %s", shape)
			continue
		}
		wire := map[string]bool{}
		for _, m := range s.Members {
			wire[m.WireName()] = true
		}
		var missing []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			key, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			if !wire[key] {
				missing = append(missing, key)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%s: keys %v are not members of the shape", shape, missing)
		}
	}
}

func TestParseName(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Ref
		ok   bool
	}{
		{"fn", Ref{Name: "fn"}, true},
		{"fn:live", Ref{Name: "fn", Qualifier: "live"}, true},
		{"fn:$LATEST", Ref{Name: "fn", Qualifier: "$LATEST"}, true},
		{"123456789012:function:fn", Ref{Account: "123456789012", Name: "fn"}, true},
		{"123456789012:function:fn:7", Ref{Account: "123456789012", Name: "fn", Qualifier: "7"}, true},
		{"arn:aws:lambda:eu-west-1:123456789012:function:fn", Ref{Region: "eu-west-1", Account: "123456789012", Name: "fn"}, true},
		{"arn:aws:lambda:eu-west-1:123456789012:function:fn:prod", Ref{Region: "eu-west-1", Account: "123456789012", Name: "fn", Qualifier: "prod"}, true},
		{"", Ref{}, false},
		{"bad name", Ref{}, false},
		{"fn:bad qualifier", Ref{}, false},
		{"12345:function:fn", Ref{}, false},
		{"arn:aws:s3:eu-west-1:123456789012:function:fn", Ref{}, false},
		{strings.Repeat("a", 65), Ref{}, false},
	} {
		got, ok := ParseName(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseName(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
