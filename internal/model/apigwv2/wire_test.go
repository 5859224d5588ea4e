package apigwv2

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
)

// TestWireKeysMatchModel proves every wire type's JSON keys are exactly the
// locationName set of its botocore shape, so no member is missing or misspelt.
func TestWireKeysMatchModel(t *testing.T) {
	svc := awsmodel.APIGatewayV2()
	for shape, v := range map[string]any{
		"Api": Api{}, "Cors": Cors{}, "Route": Route{}, "ParameterConstraints": ParameterConstraints{},
		"RouteResponse": RouteResponse{}, "Integration": Integration{}, "TlsConfig": TlsConfig{},
		"IntegrationResponse": IntegrationResponse{}, "Stage": Stage{}, "AccessLogSettings": AccessLogSettings{},
		"RouteSettings": RouteSettings{}, "Deployment": Deployment{}, "Authorizer": Authorizer{},
		"JWTConfiguration": JWTConfiguration{}, "Model": Model{}, "DomainName": DomainName{},
		"DomainNameConfiguration": DomainNameConfiguration{}, "MutualTlsAuthentication": MutualTlsAuthentication{},
		"ApiMapping": ApiMapping{}, "VpcLink": VpcLink{},
		"CreateApiRequest": QuickCreate{}, // only the quick-create members, checked as a subset below
	} {
		s := svc.Shapes[shape]
		if s == nil {
			t.Fatalf("shape %s not in model", shape)
		}
		var want []string
		for _, m := range s.Members {
			want = append(want, m.WireName())
		}
		var got []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			got = append(got, name)
		}
		sort.Strings(want)
		sort.Strings(got)
		if shape == "CreateApiRequest" {
			for _, g := range got {
				if sort.SearchStrings(want, g) == len(want) || want[sort.SearchStrings(want, g)] != g {
					t.Errorf("QuickCreate key %s is not a CreateApiRequest member", g)
				}
			}
			continue
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s JSON keys = %v\nwant (model locationNames) %v", shape, got, want)
		}
	}
}
