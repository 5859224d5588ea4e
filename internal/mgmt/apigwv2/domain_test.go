package apigwv2_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

const certARN = "arn:aws:acm:us-east-1:123456789012:certificate/abc"

func (e *env) createDomain(name string) *apigatewayv2.CreateDomainNameOutput {
	e.t.Helper()
	out, err := e.c.CreateDomainName(e.ctx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String(name),
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: aws.String(certARN)}}})
	noErr(e.t, "CreateDomainName("+name+")", err)
	return out
}

func TestDomainName(t *testing.T) {
	e := newEnv(t)
	out, err := e.c.CreateDomainName(e.ctx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String("api.example.com"),
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: aws.String(certARN)}},
		Tags:                     map[string]string{"owner": "me"}})
	noErr(t, "CreateDomainName", err)
	const call = "CreateDomainName(api.example.com)"
	eq(t, call, "status", wireStatus(t, call, out.ResultMetadata), http.StatusCreated)
	eqp(t, call, "domainName", out.DomainName, "api.example.com")
	eqp(t, call, "domainNameArn", out.DomainNameArn, "arn:aws:apigateway:us-east-1::/domainnames/api.example.com")
	eqp(t, call, "apiMappingSelectionExpression", out.ApiMappingSelectionExpression, "$request.basepath")
	eqMap(t, call, "tags", out.Tags, map[string]string{"owner": "me"})
	if len(out.DomainNameConfigurations) != 1 {
		t.Fatalf("%s: %d domainNameConfigurations, want 1", call, len(out.DomainNameConfigurations))
	}
	dc := out.DomainNameConfigurations[0]
	eq(t, call, "endpointType", dc.EndpointType, types.EndpointTypeRegional)
	eq(t, call, "securityPolicy", dc.SecurityPolicy, types.SecurityPolicyTls12)
	eq(t, call, "domainNameStatus", dc.DomainNameStatus, types.DomainNameStatusAvailable)
	eqp(t, call, "certificateArn", dc.CertificateArn, certARN)
	if gw := aws.ToString(dc.ApiGatewayDomainName); !strings.HasPrefix(gw, "d-") || !strings.HasSuffix(gw, ".execute-api.us-east-1.amazonaws.com") {
		t.Errorf("%s: apiGatewayDomainName = %q, want d-*.execute-api.us-east-1.amazonaws.com", call, gw)
	}
	if dc.HostedZoneId == nil {
		t.Errorf("%s: hostedZoneId absent", call)
	}
	recent(t, call, "certificateUploadDate", dc.CertificateUploadDate)

	got, err := e.c.GetDomainName(e.ctx, &apigatewayv2.GetDomainNameInput{DomainName: aws.String("api.example.com")})
	noErr(t, "GetDomainName", err)
	eqp(t, "GetDomainName", "domainNameArn", got.DomainNameArn, "arn:aws:apigateway:us-east-1::/domainnames/api.example.com")
	eqp(t, "GetDomainName", "apiGatewayDomainName", got.DomainNameConfigurations[0].ApiGatewayDomainName, aws.ToString(dc.ApiGatewayDomainName))

	_, err = e.c.CreateDomainName(e.ctx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String("api.example.com")})
	wantConflict(t, "CreateDomainName(duplicate)", err, "The domain name you provided already exists.")
	_, err = e.c.CreateDomainName(e.ctx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String("not a domain")})
	wantBadRequest(t, "CreateDomainName(invalid)", err, "Invalid domain name specified")
	_, err = e.c.GetDomainName(e.ctx, &apigatewayv2.GetDomainNameInput{DomainName: aws.String("nope.example.com")})
	wantNotFound(t, "GetDomainName(unknown)", err, "Invalid domain name identifier specified 000000000000:nope.example.com")

	up, err := e.c.UpdateDomainName(e.ctx, &apigatewayv2.UpdateDomainNameInput{DomainName: aws.String("api.example.com"),
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: aws.String(certARN + "2"), SecurityPolicy: types.SecurityPolicyTls10}}})
	noErr(t, "UpdateDomainName", err)
	const ucall = "UpdateDomainName(securityPolicy TLS_1_0)"
	eqp(t, ucall, "domainName", up.DomainName, "api.example.com")
	eqp(t, ucall, "domainNameArn", up.DomainNameArn, "arn:aws:apigateway:us-east-1::/domainnames/api.example.com")
	eq(t, ucall, "securityPolicy", up.DomainNameConfigurations[0].SecurityPolicy, types.SecurityPolicyTls10)
	eqp(t, ucall, "certificateArn", up.DomainNameConfigurations[0].CertificateArn, certARN+"2")
	eq(t, ucall, "endpointType", up.DomainNameConfigurations[0].EndpointType, types.EndpointTypeRegional)
	eqMap(t, ucall, "tags", up.Tags, map[string]string{"owner": "me"})

	e.createDomain("www.example.com")
	list, err := e.c.GetDomainNames(e.ctx, &apigatewayv2.GetDomainNamesInput{})
	noErr(t, "GetDomainNames", err)
	if len(list.Items) != 2 || aws.ToString(list.Items[0].DomainName) != "api.example.com" || aws.ToString(list.Items[1].DomainName) != "www.example.com" {
		t.Errorf("GetDomainNames: got %d items, want api.example.com, www.example.com", len(list.Items))
	}

	del, err := e.c.DeleteDomainName(e.ctx, &apigatewayv2.DeleteDomainNameInput{DomainName: aws.String("api.example.com")})
	noErr(t, "DeleteDomainName", err)
	eq(t, "DeleteDomainName", "status", wireStatus(t, "DeleteDomainName", del.ResultMetadata), http.StatusNoContent)
	_, err = e.c.GetDomainName(e.ctx, &apigatewayv2.GetDomainNameInput{DomainName: aws.String("api.example.com")})
	wantNotFound(t, "GetDomainName(deleted)", err, "Invalid domain name identifier specified 000000000000:api.example.com")
}

func TestApiMappings(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("mapped")
	e.createStage(*api.ApiId, "prod", false)
	e.createStage(*api.ApiId, "beta", false)
	e.createDomain("api.example.com")
	dom := aws.String("api.example.com")

	root, err := e.c.CreateApiMapping(e.ctx, &apigatewayv2.CreateApiMappingInput{DomainName: dom, ApiId: api.ApiId, Stage: aws.String("prod")})
	noErr(t, "CreateApiMapping(root)", err)
	const call = "CreateApiMapping(root)"
	eq(t, call, "status", wireStatus(t, call, root.ResultMetadata), http.StatusCreated)
	eqp(t, call, "apiId", root.ApiId, *api.ApiId)
	eqp(t, call, "stage", root.Stage, "prod")
	if aws.ToString(root.ApiMappingId) == "" {
		t.Fatalf("%s: apiMappingId is empty", call)
	}

	multi, err := e.c.CreateApiMapping(e.ctx, &apigatewayv2.CreateApiMappingInput{DomainName: dom, ApiId: api.ApiId, Stage: aws.String("beta"),
		ApiMappingKey: aws.String("v1/orders")})
	noErr(t, "CreateApiMapping(v1/orders)", err)
	eqp(t, "CreateApiMapping(v1/orders)", "apiMappingKey", multi.ApiMappingKey, "v1/orders")

	tests := []struct {
		name string
		in   apigatewayv2.CreateApiMappingInput
		code string
		msg  string
	}{
		{"duplicate key", apigatewayv2.CreateApiMappingInput{ApiId: api.ApiId, Stage: aws.String("prod"), ApiMappingKey: aws.String("v1/orders")},
			"ConflictException", "v1/orders"},
		{"duplicate root", apigatewayv2.CreateApiMappingInput{ApiId: api.ApiId, Stage: aws.String("beta")}, "ConflictException", "already exists"},
		{"missing stage", apigatewayv2.CreateApiMappingInput{ApiId: api.ApiId, Stage: aws.String("nosuch"), ApiMappingKey: aws.String("x")},
			"BadRequestException", "Invalid stage identifier specified 000000000000:nosuch"},
		{"missing API", apigatewayv2.CreateApiMappingInput{ApiId: aws.String("nosuchapi1"), Stage: aws.String("prod"), ApiMappingKey: aws.String("y")},
			"NotFoundException", "Invalid API identifier specified 000000000000:nosuchapi1"},
		{"bad key", apigatewayv2.CreateApiMappingInput{ApiId: api.ApiId, Stage: aws.String("prod"), ApiMappingKey: aws.String("a//b")},
			"BadRequestException", "Invalid API mapping key specified"},
	}
	for _, tc := range tests {
		in := tc.in
		in.DomainName = dom
		_, err := e.c.CreateApiMapping(e.ctx, &in)
		wantAPIError(t, "CreateApiMapping("+tc.name+")", err, tc.code, tc.msg)
	}
	_, err = e.c.CreateApiMapping(e.ctx, &apigatewayv2.CreateApiMappingInput{DomainName: aws.String("nope.example.com"), ApiId: api.ApiId, Stage: aws.String("prod")})
	wantNotFound(t, "CreateApiMapping(unknown domain)", err, "Invalid domain name identifier specified 000000000000:nope.example.com")

	got, err := e.c.GetApiMapping(e.ctx, &apigatewayv2.GetApiMappingInput{DomainName: dom, ApiMappingId: multi.ApiMappingId})
	noErr(t, "GetApiMapping", err)
	eqp(t, "GetApiMapping", "apiMappingKey", got.ApiMappingKey, "v1/orders")
	eqp(t, "GetApiMapping", "stage", got.Stage, "beta")

	// Partial update: only the key changes.
	up, err := e.c.UpdateApiMapping(e.ctx, &apigatewayv2.UpdateApiMappingInput{DomainName: dom, ApiMappingId: multi.ApiMappingId, ApiId: api.ApiId,
		ApiMappingKey: aws.String("v2/orders")})
	noErr(t, "UpdateApiMapping(key)", err)
	eqp(t, "UpdateApiMapping(key)", "apiMappingId", up.ApiMappingId, *multi.ApiMappingId)
	eqp(t, "UpdateApiMapping(key)", "apiMappingKey", up.ApiMappingKey, "v2/orders")
	eqp(t, "UpdateApiMapping(key)", "stage", up.Stage, "beta")
	_, err = e.c.UpdateApiMapping(e.ctx, &apigatewayv2.UpdateApiMappingInput{DomainName: dom, ApiMappingId: multi.ApiMappingId, ApiId: api.ApiId,
		Stage: aws.String("nosuch")})
	wantBadRequest(t, "UpdateApiMapping(missing stage)", err, "Invalid stage identifier specified")

	list, err := e.c.GetApiMappings(e.ctx, &apigatewayv2.GetApiMappingsInput{DomainName: dom})
	noErr(t, "GetApiMappings", err)
	if len(list.Items) != 2 {
		t.Fatalf("GetApiMappings: got %d items, want 2", len(list.Items))
	}

	_, err = e.c.DeleteApiMapping(e.ctx, &apigatewayv2.DeleteApiMappingInput{DomainName: dom, ApiMappingId: root.ApiMappingId})
	noErr(t, "DeleteApiMapping", err)
	_, err = e.c.GetApiMapping(e.ctx, &apigatewayv2.GetApiMappingInput{DomainName: dom, ApiMappingId: root.ApiMappingId})
	wantNotFound(t, "GetApiMapping(deleted)", err, "Invalid ApiMapping identifier specified 000000000000:"+*root.ApiMappingId)

	// Deleting the domain removes its mappings: a new domain of the same name starts empty.
	_, err = e.c.DeleteDomainName(e.ctx, &apigatewayv2.DeleteDomainNameInput{DomainName: dom})
	noErr(t, "DeleteDomainName", err)
	_, err = e.c.GetApiMappings(e.ctx, &apigatewayv2.GetApiMappingsInput{DomainName: dom})
	wantNotFound(t, "GetApiMappings(deleted domain)", err, "Invalid domain name identifier specified")
	e.createDomain("api.example.com")
	list, err = e.c.GetApiMappings(e.ctx, &apigatewayv2.GetApiMappingsInput{DomainName: dom})
	noErr(t, "GetApiMappings(recreated domain)", err)
	eq(t, "GetApiMappings(recreated domain)", "len(items)", len(list.Items), 0)
	_, err = e.c.GetApiMapping(e.ctx, &apigatewayv2.GetApiMappingInput{DomainName: dom, ApiMappingId: multi.ApiMappingId})
	wantNotFound(t, "GetApiMapping(mapping of the deleted domain)", err, "Invalid ApiMapping identifier")
}

// AWS refuses to delete an API that custom domain names still map to:
// "BadRequestException: Deleting API XYZ failed. Please remove all API
// mappings for the API from your custom domain names." (gruntwork-io/cloud-nuke#370,
// deleting an HTTP API). Once its mappings are gone, it can go, and mappings
// to other APIs are left alone.
func TestDeleteApiWithMappings(t *testing.T) {
	e := newEnv(t)
	gone := e.createHTTPAPI("gone")
	kept := e.createHTTPAPI("kept")
	e.createStage(*gone.ApiId, "prod", false)
	e.createStage(*kept.ApiId, "prod", false)
	e.createDomain("api.example.com")
	dom := aws.String("api.example.com")
	g, err := e.c.CreateApiMapping(e.ctx, &apigatewayv2.CreateApiMappingInput{DomainName: dom, ApiId: gone.ApiId, Stage: aws.String("prod"), ApiMappingKey: aws.String("gone")})
	noErr(t, "CreateApiMapping(gone)", err)
	k, err := e.c.CreateApiMapping(e.ctx, &apigatewayv2.CreateApiMappingInput{DomainName: dom, ApiId: kept.ApiId, Stage: aws.String("prod"), ApiMappingKey: aws.String("kept")})
	noErr(t, "CreateApiMapping(kept)", err)

	_, err = e.c.DeleteApi(e.ctx, &apigatewayv2.DeleteApiInput{ApiId: gone.ApiId})
	wantBadRequest(t, "DeleteApi(mapped)", err,
		"Deleting API "+*gone.ApiId+" failed. Please remove all API mappings for the API from your custom domain names.")

	_, err = e.c.DeleteApiMapping(e.ctx, &apigatewayv2.DeleteApiMappingInput{DomainName: dom, ApiMappingId: g.ApiMappingId})
	noErr(t, "DeleteApiMapping(gone)", err)
	_, err = e.c.DeleteApi(e.ctx, &apigatewayv2.DeleteApiInput{ApiId: gone.ApiId})
	noErr(t, "DeleteApi(no longer mapped)", err)
	list, err := e.c.GetApiMappings(e.ctx, &apigatewayv2.GetApiMappingsInput{DomainName: dom})
	noErr(t, "GetApiMappings", err)
	if len(list.Items) != 1 || aws.ToString(list.Items[0].ApiMappingId) != *k.ApiMappingId {
		t.Errorf("GetApiMappings after DeleteApi: got %d items, want only the mapping to the kept API", len(list.Items))
	}
}
