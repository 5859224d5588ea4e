package apigwv2_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

func TestIntegrationDefaults(t *testing.T) {
	e := newEnv(t)
	h := e.createHTTPAPI("http")
	ws := e.createWSAPI("ws")
	tests := []struct {
		name        string
		in          apigatewayv2.CreateIntegrationInput
		timeout     int32
		method      string // "" = absent
		passthrough types.PassthroughBehavior
	}{
		{"HTTP API, HTTP_PROXY", apigatewayv2.CreateIntegrationInput{ApiId: h.ApiId, IntegrationType: types.IntegrationTypeHttpProxy,
			IntegrationUri: aws.String("https://example.com/{proxy}"), IntegrationMethod: aws.String("ANY")}, 30000, "ANY", ""},
		{"HTTP API, AWS_PROXY Lambda", apigatewayv2.CreateIntegrationInput{ApiId: h.ApiId, IntegrationType: types.IntegrationTypeAwsProxy,
			IntegrationUri: aws.String(lambdaARN)}, 30000, "POST", ""},
		{"HTTP API, AWS_PROXY Lambda named by a stage variable", apigatewayv2.CreateIntegrationInput{ApiId: h.ApiId, IntegrationType: types.IntegrationTypeAwsProxy,
			IntegrationUri: aws.String("arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}")}, 30000, "POST", ""},
		{"WebSocket API, MOCK", apigatewayv2.CreateIntegrationInput{ApiId: ws.ApiId, IntegrationType: types.IntegrationTypeMock},
			29000, "", types.PassthroughBehaviorWhenNoMatch},
		{"WebSocket API, HTTP", apigatewayv2.CreateIntegrationInput{ApiId: ws.ApiId, IntegrationType: types.IntegrationTypeHttp,
			IntegrationUri: aws.String("https://example.com/ws"), IntegrationMethod: aws.String("POST")}, 29000, "POST", types.PassthroughBehaviorWhenNoMatch},
		{"WebSocket API, AWS_PROXY Lambda", apigatewayv2.CreateIntegrationInput{ApiId: ws.ApiId, IntegrationType: types.IntegrationTypeAwsProxy,
			IntegrationUri: aws.String(lambdaInvokeARN)}, 29000, "POST", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			out, err := e.c.CreateIntegration(e.ctx, &in)
			call := "CreateIntegration(" + tc.name + ")"
			noErr(t, call, err)
			eq(t, call, "status", wireStatus(t, call, out.ResultMetadata), http.StatusCreated)
			if aws.ToString(out.IntegrationId) == "" {
				t.Fatalf("%s: integrationId is empty", call)
			}
			eq(t, call, "integrationType", out.IntegrationType, tc.in.IntegrationType)
			eq(t, call, "connectionType", out.ConnectionType, types.ConnectionTypeInternet)
			eqp(t, call, "timeoutInMillis", out.TimeoutInMillis, tc.timeout)
			eqp(t, call, "payloadFormatVersion", out.PayloadFormatVersion, "1.0")
			if tc.method == "" {
				isNil(t, call, "integrationMethod", out.IntegrationMethod)
			} else {
				eqp(t, call, "integrationMethod", out.IntegrationMethod, tc.method)
			}
			eq(t, call, "passthroughBehavior", out.PassthroughBehavior, tc.passthrough)
			if out.ApiGatewayManaged != nil && *out.ApiGatewayManaged {
				t.Errorf("%s: apiGatewayManaged = true, want false", call)
			}

			got, err := e.c.GetIntegration(e.ctx, &apigatewayv2.GetIntegrationInput{ApiId: tc.in.ApiId, IntegrationId: out.IntegrationId})
			noErr(t, "GetIntegration", err)
			eqp(t, "GetIntegration", "integrationId", got.IntegrationId, *out.IntegrationId)
			eqp(t, "GetIntegration", "timeoutInMillis", got.TimeoutInMillis, tc.timeout)
			eq(t, "GetIntegration", "connectionType", got.ConnectionType, types.ConnectionTypeInternet)
		})
	}
}

func TestIntegrationPayloadV2(t *testing.T) {
	e := newEnv(t)
	h := e.createHTTPAPI("http")
	out, err := e.c.CreateIntegration(e.ctx, &apigatewayv2.CreateIntegrationInput{ApiId: h.ApiId, IntegrationType: types.IntegrationTypeAwsProxy,
		IntegrationUri: aws.String(lambdaInvokeARN), PayloadFormatVersion: aws.String("2.0"), TimeoutInMillis: aws.Int32(5000)})
	noErr(t, "CreateIntegration(AWS_PROXY 2.0)", err)
	eqp(t, "CreateIntegration(AWS_PROXY 2.0)", "payloadFormatVersion", out.PayloadFormatVersion, "2.0")
	eqp(t, "CreateIntegration(AWS_PROXY 2.0)", "timeoutInMillis", out.TimeoutInMillis, 5000)
	eqp(t, "CreateIntegration(AWS_PROXY 2.0)", "integrationUri", out.IntegrationUri, lambdaInvokeARN)
}

func TestIntegrationValidation(t *testing.T) {
	e := newEnv(t)
	h := e.createHTTPAPI("http")
	ws := e.createWSAPI("ws")
	proxy := func(mut func(in *apigatewayv2.CreateIntegrationInput)) apigatewayv2.CreateIntegrationInput {
		in := httpProxyInput(*h.ApiId, "https://example.com")
		mut(in)
		return *in
	}
	tests := []struct {
		name string
		in   apigatewayv2.CreateIntegrationInput
		msg  string
	}{
		{"HTTP timeout 30001", proxy(func(in *apigatewayv2.CreateIntegrationInput) { in.TimeoutInMillis = aws.Int32(30001) }),
			"30000"}, // rejected by the model's range (50..30000)
		{"HTTP timeout 49", proxy(func(in *apigatewayv2.CreateIntegrationInput) { in.TimeoutInMillis = aws.Int32(49) }), "50"},
		{"WebSocket timeout 29001", apigatewayv2.CreateIntegrationInput{ApiId: ws.ApiId, IntegrationType: types.IntegrationTypeMock,
			TimeoutInMillis: aws.Int32(29001)}, "Timeout must be between 50 ms and 29000 ms"},
		{"MOCK on HTTP API", apigatewayv2.CreateIntegrationInput{ApiId: h.ApiId, IntegrationType: types.IntegrationTypeMock},
			"Integration type MOCK is not supported for HTTP APIs"},
		{"HTTP type on HTTP API", proxy(func(in *apigatewayv2.CreateIntegrationInput) { in.IntegrationType = types.IntegrationTypeHttp }),
			"Integration type HTTP is not supported for HTTP APIs"},
		{"payload 2.0 with HTTP_PROXY", proxy(func(in *apigatewayv2.CreateIntegrationInput) { in.PayloadFormatVersion = aws.String("2.0") }),
			"Payload format version 2.0 is supported only for AWS_PROXY"},
		{"payload 3.0", proxy(func(in *apigatewayv2.CreateIntegrationInput) { in.PayloadFormatVersion = aws.String("3.0") }),
			"Unsupported payload format version 3.0"},
		{"reserved header x-amz-*", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.RequestParameters = map[string]string{"append:header.x-amz-foo": "$request.header.foo"}
		}), "Operations on header x-amz-foo are restricted"},
		{"reserved header Connection", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.RequestParameters = map[string]string{"overwrite:header.Connection": "close"}
		}), "Operations on header Connection are restricted"},
		{"bad mapping action", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.RequestParameters = map[string]string{"foo:header.x": "$request.header.x"}
		}), "Parameter mapping key foo:header.x is invalid"},
		{"append:path", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.RequestParameters = map[string]string{"append:path": "$request.path"}
		}), "only overwrite:path is supported"},
		{"bad mapping source", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.RequestParameters = map[string]string{"append:header.x-id": "$response.header.id"}
		}), "Invalid mapping expression specified"},
		{"bad response status code", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.ResponseParameters = map[string]map[string]string{"700": {"overwrite:statuscode": "200"}}
		}), "Invalid response parameters status code 700"},
		{"reserved response header", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.ResponseParameters = map[string]map[string]string{"200": {"append:header.x-amzn-requestid": "x"}}
		}), "restricted"},
		{"recursive descent in a body path", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.RequestParameters = map[string]string{"append:header.x-id": "$request.body..id"}
		}), "Invalid mapping expression specified"},
		{"filter in a body path", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.RequestParameters = map[string]string{"append:header.x-id": "$request.body.items[?(@.a)]"}
		}), "Invalid mapping expression specified"},
		{"non-numeric static status code", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.ResponseParameters = map[string]map[string]string{"404": {"overwrite:statuscode": "abc"}}
		}), "Invalid mapping expression specified"},
		{"status key with a sign", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.ResponseParameters = map[string]map[string]string{"+200": {"overwrite:statuscode": "201"}}
		}), "Invalid"},
		{"HTTP_PROXY with a bad URL", proxy(func(in *apigatewayv2.CreateIntegrationInput) { in.IntegrationUri = aws.String("example.com") }),
			"Invalid HTTP endpoint specified for URI"},
		{"HTTP_PROXY without a method", proxy(func(in *apigatewayv2.CreateIntegrationInput) { in.IntegrationMethod = nil }),
			"IntegrationMethod must be specified"},
		{"AWS_PROXY with a non-Lambda URI", apigatewayv2.CreateIntegrationInput{ApiId: h.ApiId, IntegrationType: types.IntegrationTypeAwsProxy,
			IntegrationUri: aws.String("https://example.com")}, "currently only supports Lambda function"},
		{"VPC_LINK with unknown connectionId", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.ConnectionType = types.ConnectionTypeVpcLink
			in.ConnectionId = aws.String("nosuch")
			in.IntegrationUri = aws.String("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/1/2")
		}), "Invalid VpcLink identifier specified 000000000000:nosuch"},
		{"connectionId without VPC_LINK", proxy(func(in *apigatewayv2.CreateIntegrationInput) { in.ConnectionId = aws.String("abc") }),
			"ConnectionId can be specified only for connection type VPC_LINK"},
		{"passthroughBehavior on HTTP API", proxy(func(in *apigatewayv2.CreateIntegrationInput) {
			in.PassthroughBehavior = types.PassthroughBehaviorNever
		}), "passthroughBehavior is supported only for WebSocket APIs"},
		{"unknown integrationType", proxy(func(in *apigatewayv2.CreateIntegrationInput) { in.IntegrationType = "LAMBDA" }), "integrationType"},
		{"WebSocket AWS without path or action", apigatewayv2.CreateIntegrationInput{ApiId: ws.ApiId, IntegrationType: types.IntegrationTypeAws,
			IntegrationUri: aws.String("arn:aws:apigateway:us-east-1:sqs:queue")}, "AWS ARN for integration must contain path or action"},
		{"WebSocket bad request parameter", apigatewayv2.CreateIntegrationInput{ApiId: ws.ApiId, IntegrationType: types.IntegrationTypeMock,
			RequestParameters: map[string]string{"append:header.x": "route.request.header.x"}}, "Invalid mapping expression specified"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			_, err := e.c.CreateIntegration(e.ctx, &in)
			wantBadRequest(t, "CreateIntegration("+tc.name+")", err, tc.msg)
		})
	}
	for _, api := range []*string{h.ApiId, ws.ApiId} {
		list, err := e.c.GetIntegrations(e.ctx, &apigatewayv2.GetIntegrationsInput{ApiId: api})
		noErr(t, "GetIntegrations", err)
		eq(t, "GetIntegrations after rejected creates", "len(items)", len(list.Items), 0)
	}
}

func TestIntegrationParameterMapping(t *testing.T) {
	e := newEnv(t)
	h := e.createHTTPAPI("http")
	in := httpProxyInput(*h.ApiId, "https://example.com")
	in.RequestParameters = map[string]string{
		"append:header.x-id":   "$context.requestId",
		"overwrite:path":       "$request.path",
		"remove:querystring.q": "''",
	}
	in.ResponseParameters = map[string]map[string]string{
		"200": {"append:header.x-served-by": "gatehouse", "overwrite:statuscode": "204"},
		"404": {"overwrite:header.x-missing": "$response.header.x-upstream"},
	}
	out, err := e.c.CreateIntegration(e.ctx, in)
	noErr(t, "CreateIntegration(parameter mapping)", err)
	const call = "CreateIntegration(parameter mapping)"
	eqMap(t, call, "requestParameters", out.RequestParameters, in.RequestParameters)
	eqMap(t, call, "responseParameters[200]", out.ResponseParameters["200"], in.ResponseParameters["200"])
	eqMap(t, call, "responseParameters[404]", out.ResponseParameters["404"], in.ResponseParameters["404"])
	id := out.IntegrationId

	// Partial update: the description changes, everything else stays.
	up, err := e.c.UpdateIntegration(e.ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: h.ApiId, IntegrationId: id, Description: aws.String("backend")})
	noErr(t, "UpdateIntegration(description)", err)
	const ucall = "UpdateIntegration(description)"
	eqp(t, ucall, "integrationId", up.IntegrationId, *id)
	eqp(t, ucall, "description", up.Description, "backend")
	eqp(t, ucall, "integrationUri", up.IntegrationUri, "https://example.com")
	eqp(t, ucall, "integrationMethod", up.IntegrationMethod, "GET")
	eqp(t, ucall, "timeoutInMillis", up.TimeoutInMillis, 30000)
	eqMap(t, ucall, "requestParameters", up.RequestParameters, in.RequestParameters)
	if len(up.ResponseParameters) != 2 {
		t.Errorf("%s: responseParameters = %v, want both status codes kept", ucall, up.ResponseParameters)
	}

	// "key": "" removes a request mapping; other keys merge in.
	up, err = e.c.UpdateIntegration(e.ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: h.ApiId, IntegrationId: id,
		RequestParameters: map[string]string{"append:header.x-id": "", "overwrite:header.x-stage": "$context.stage"}})
	noErr(t, "UpdateIntegration(requestParameters)", err)
	eqMap(t, "UpdateIntegration(remove append:header.x-id)", "requestParameters", up.RequestParameters, map[string]string{
		"overwrite:path": "$request.path", "remove:querystring.q": "''", "overwrite:header.x-stage": "$context.stage"})

	// "200": {} removes that status code's response mappings.
	up, err = e.c.UpdateIntegration(e.ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: h.ApiId, IntegrationId: id,
		ResponseParameters: map[string]map[string]string{"200": {}}})
	noErr(t, "UpdateIntegration(responseParameters 200: {})", err)
	if _, ok := up.ResponseParameters["200"]; ok {
		t.Errorf("UpdateIntegration(responseParameters 200: {}): responseParameters = %v, want 200 removed", up.ResponseParameters)
	}
	eqMap(t, "UpdateIntegration(responseParameters 200: {})", "responseParameters[404]", up.ResponseParameters["404"], in.ResponseParameters["404"])

	got, err := e.c.GetIntegration(e.ctx, &apigatewayv2.GetIntegrationInput{ApiId: h.ApiId, IntegrationId: id})
	noErr(t, "GetIntegration", err)
	eqp(t, "GetIntegration after updates", "description", got.Description, "backend")
	if len(got.ResponseParameters) != 1 || len(got.RequestParameters) != 3 {
		t.Errorf("GetIntegration after updates: requestParameters = %v, responseParameters = %v; want 3 and 1 entries", got.RequestParameters, got.ResponseParameters)
	}

	// A rejected update leaves the integration untouched.
	_, err = e.c.UpdateIntegration(e.ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: h.ApiId, IntegrationId: id, TimeoutInMillis: aws.Int32(30001)})
	wantBadRequest(t, "UpdateIntegration(timeout 30001)", err, "30000")
	_, err = e.c.UpdateIntegration(e.ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: h.ApiId, IntegrationId: id,
		RequestParameters: map[string]string{"overwrite:header.Connection": "x"}})
	wantBadRequest(t, "UpdateIntegration(reserved header)", err, "restricted")
	up, err = e.c.UpdateIntegration(e.ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: h.ApiId, IntegrationId: id, TimeoutInMillis: aws.Int32(1000)})
	noErr(t, "UpdateIntegration(timeout 1000)", err)
	eqp(t, "UpdateIntegration(timeout 1000)", "timeoutInMillis", up.TimeoutInMillis, 1000)
	eqMap(t, "UpdateIntegration(timeout 1000)", "requestParameters", up.RequestParameters, got.RequestParameters)

	_, err = e.c.UpdateIntegration(e.ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: h.ApiId, IntegrationId: aws.String("nosuchi"), Description: aws.String("x")})
	wantNotFound(t, "UpdateIntegration(unknown)", err, "Invalid Integration identifier specified 000000000000:nosuchi")
}

func TestIntegrationVpcLink(t *testing.T) {
	e := newEnv(t)
	h := e.createHTTPAPI("http")
	link, err := e.c.CreateVpcLink(e.ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("link"), SubnetIds: []string{"subnet-1"}})
	noErr(t, "CreateVpcLink", err)
	const listener = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/1/2"
	in := httpProxyInput(*h.ApiId, listener)
	in.ConnectionType = types.ConnectionTypeVpcLink
	in.ConnectionId = link.VpcLinkId
	in.TlsConfig = &types.TlsConfigInput{ServerNameToVerify: aws.String("backend.internal")}
	out, err := e.c.CreateIntegration(e.ctx, in)
	noErr(t, "CreateIntegration(VPC_LINK)", err)
	const call = "CreateIntegration(VPC_LINK)"
	eq(t, call, "connectionType", out.ConnectionType, types.ConnectionTypeVpcLink)
	eqp(t, call, "connectionId", out.ConnectionId, *link.VpcLinkId)
	eqp(t, call, "integrationUri", out.IntegrationUri, listener)
	if out.TlsConfig == nil {
		t.Fatalf("%s: tlsConfig absent", call)
	}
	eqp(t, call, "tlsConfig.serverNameToVerify", out.TlsConfig.ServerNameToVerify, "backend.internal")

	// Switching to INTERNET detaches the VPC link.
	up, err := e.c.UpdateIntegration(e.ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: h.ApiId, IntegrationId: out.IntegrationId,
		ConnectionType: types.ConnectionTypeInternet, IntegrationUri: aws.String("https://example.com/public")})
	noErr(t, "UpdateIntegration(VPC_LINK -> INTERNET)", err)
	eq(t, "UpdateIntegration(VPC_LINK -> INTERNET)", "connectionType", up.ConnectionType, types.ConnectionTypeInternet)
	isNil(t, "UpdateIntegration(VPC_LINK -> INTERNET)", "connectionId", up.ConnectionId)
	eqp(t, "UpdateIntegration(VPC_LINK -> INTERNET)", "integrationUri", up.IntegrationUri, "https://example.com/public")
	// ... and back.
	up, err = e.c.UpdateIntegration(e.ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: h.ApiId, IntegrationId: out.IntegrationId,
		ConnectionType: types.ConnectionTypeVpcLink, ConnectionId: link.VpcLinkId, IntegrationUri: aws.String(listener)})
	noErr(t, "UpdateIntegration(INTERNET -> VPC_LINK)", err)
	eqp(t, "UpdateIntegration(INTERNET -> VPC_LINK)", "connectionId", up.ConnectionId, *link.VpcLinkId)
	_, err = e.c.UpdateIntegration(e.ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: h.ApiId, IntegrationId: out.IntegrationId,
		ConnectionId: aws.String("nosuch")})
	wantBadRequest(t, "UpdateIntegration(unknown connectionId)", err, "Invalid VpcLink identifier specified 000000000000:nosuch")

	_, err = e.c.DeleteIntegration(e.ctx, &apigatewayv2.DeleteIntegrationInput{ApiId: h.ApiId, IntegrationId: out.IntegrationId})
	noErr(t, "DeleteIntegration", err)
	_, err = e.c.GetIntegration(e.ctx, &apigatewayv2.GetIntegrationInput{ApiId: h.ApiId, IntegrationId: out.IntegrationId})
	wantNotFound(t, "GetIntegration(deleted)", err, "Invalid Integration identifier specified 000000000000:"+*out.IntegrationId)
	_, err = e.c.DeleteIntegration(e.ctx, &apigatewayv2.DeleteIntegrationInput{ApiId: h.ApiId, IntegrationId: out.IntegrationId})
	wantNotFound(t, "DeleteIntegration(deleted)", err, "Invalid Integration identifier specified")
}

func TestIntegrationResponses(t *testing.T) {
	e := newEnv(t)
	ws := e.createWSAPI("ws")
	integ, err := e.c.CreateIntegration(e.ctx, &apigatewayv2.CreateIntegrationInput{ApiId: ws.ApiId, IntegrationType: types.IntegrationTypeMock})
	noErr(t, "CreateIntegration(MOCK)", err)

	ids := map[string]string{}
	for _, key := range []string{"$default", `/4\d\d/`} {
		call := "CreateIntegrationResponse(" + key + ")"
		out, err := e.c.CreateIntegrationResponse(e.ctx, &apigatewayv2.CreateIntegrationResponseInput{
			ApiId: ws.ApiId, IntegrationId: integ.IntegrationId, IntegrationResponseKey: aws.String(key),
			ResponseTemplates: map[string]string{"application/json": `{"ok": true}`}, TemplateSelectionExpression: aws.String("\\$default"),
		})
		noErr(t, call, err)
		eq(t, call, "status", wireStatus(t, call, out.ResultMetadata), http.StatusCreated)
		eqp(t, call, "integrationResponseKey", out.IntegrationResponseKey, key)
		eqMap(t, call, "responseTemplates", out.ResponseTemplates, map[string]string{"application/json": `{"ok": true}`})
		if aws.ToString(out.IntegrationResponseId) == "" {
			t.Fatalf("%s: integrationResponseId is empty", call)
		}
		ids[key] = *out.IntegrationResponseId
	}

	tests := []struct{ key, msg string }{
		{"default", "Invalid integration response key default"},
		{"/(/", "Invalid integration response key /(/"},
	}
	for _, tc := range tests {
		_, err := e.c.CreateIntegrationResponse(e.ctx, &apigatewayv2.CreateIntegrationResponseInput{ApiId: ws.ApiId, IntegrationId: integ.IntegrationId,
			IntegrationResponseKey: aws.String(tc.key)})
		wantBadRequest(t, "CreateIntegrationResponse("+tc.key+")", err, tc.msg)
	}
	_, err = e.c.CreateIntegrationResponse(e.ctx, &apigatewayv2.CreateIntegrationResponseInput{ApiId: ws.ApiId, IntegrationId: integ.IntegrationId,
		IntegrationResponseKey: aws.String("$default")})
	wantConflict(t, "CreateIntegrationResponse(duplicate $default)", err, "$default")
	_, err = e.c.CreateIntegrationResponse(e.ctx, &apigatewayv2.CreateIntegrationResponseInput{ApiId: ws.ApiId, IntegrationId: aws.String("nosuchi"),
		IntegrationResponseKey: aws.String("$default")})
	wantNotFound(t, "CreateIntegrationResponse(unknown integration)", err, "Invalid Integration identifier specified 000000000000:nosuchi")

	def := aws.String(ids["$default"])
	got, err := e.c.GetIntegrationResponse(e.ctx, &apigatewayv2.GetIntegrationResponseInput{ApiId: ws.ApiId, IntegrationId: integ.IntegrationId, IntegrationResponseId: def})
	noErr(t, "GetIntegrationResponse", err)
	eqp(t, "GetIntegrationResponse", "integrationResponseKey", got.IntegrationResponseKey, "$default")
	eqp(t, "GetIntegrationResponse", "templateSelectionExpression", got.TemplateSelectionExpression, "\\$default")

	// Partial update; an empty template value removes the template.
	up, err := e.c.UpdateIntegrationResponse(e.ctx, &apigatewayv2.UpdateIntegrationResponseInput{ApiId: ws.ApiId, IntegrationId: integ.IntegrationId,
		IntegrationResponseId: def, ResponseTemplates: map[string]string{"application/json": "", "text/plain": "ok"}})
	noErr(t, "UpdateIntegrationResponse", err)
	eqp(t, "UpdateIntegrationResponse", "integrationResponseId", up.IntegrationResponseId, ids["$default"])
	eqp(t, "UpdateIntegrationResponse", "integrationResponseKey", up.IntegrationResponseKey, "$default")
	eqp(t, "UpdateIntegrationResponse", "templateSelectionExpression", up.TemplateSelectionExpression, "\\$default")
	eqMap(t, "UpdateIntegrationResponse", "responseTemplates", up.ResponseTemplates, map[string]string{"text/plain": "ok"})
	_, err = e.c.UpdateIntegrationResponse(e.ctx, &apigatewayv2.UpdateIntegrationResponseInput{ApiId: ws.ApiId, IntegrationId: integ.IntegrationId,
		IntegrationResponseId: def, IntegrationResponseKey: aws.String(`/4\d\d/`)})
	wantConflict(t, "UpdateIntegrationResponse(to an existing key)", err, `/4\d\d/`)

	list, err := e.c.GetIntegrationResponses(e.ctx, &apigatewayv2.GetIntegrationResponsesInput{ApiId: ws.ApiId, IntegrationId: integ.IntegrationId})
	noErr(t, "GetIntegrationResponses", err)
	if len(list.Items) != 2 {
		t.Errorf("GetIntegrationResponses: got %d items, want 2", len(list.Items))
	}

	_, err = e.c.DeleteIntegrationResponse(e.ctx, &apigatewayv2.DeleteIntegrationResponseInput{ApiId: ws.ApiId, IntegrationId: integ.IntegrationId, IntegrationResponseId: def})
	noErr(t, "DeleteIntegrationResponse", err)
	_, err = e.c.GetIntegrationResponse(e.ctx, &apigatewayv2.GetIntegrationResponseInput{ApiId: ws.ApiId, IntegrationId: integ.IntegrationId, IntegrationResponseId: def})
	wantNotFound(t, "GetIntegrationResponse(deleted)", err, "Invalid IntegrationResponse identifier specified 000000000000:"+ids["$default"])

	// HTTP APIs have no integration responses.
	h := e.createHTTPAPI("http")
	hi := e.createHTTPIntegration(*h.ApiId, "https://example.com")
	_, err = e.c.CreateIntegrationResponse(e.ctx, &apigatewayv2.CreateIntegrationResponseInput{ApiId: h.ApiId, IntegrationId: hi.IntegrationId,
		IntegrationResponseKey: aws.String("$default")})
	wantBadRequest(t, "CreateIntegrationResponse(HTTP API)", err, "Integration responses are supported only for WebSocket APIs")
}
