package apigwv2_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

var apiIDRE = regexp.MustCompile(`^[a-z0-9]{10}$`)

// wireStatus is the HTTP status the server answered a successful call with.
func wireStatus(t testing.TB, call string, md middleware.Metadata) int {
	t.Helper()
	resp, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response)
	if !ok {
		t.Fatalf("%s: no raw HTTP response in the result metadata", call)
	}
	return resp.StatusCode
}

// skipValidation removes the SDK's client-side input validation so requests
// with missing required members reach the server.
func skipValidation(o *apigatewayv2.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		_, err := s.Initialize.Remove("OperationInputValidation")
		return err
	})
}

func TestCreateApiHTTPDefaults(t *testing.T) {
	e := newEnv(t)
	out, err := e.c.CreateApi(e.ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("pets"), ProtocolType: types.ProtocolTypeHttp, Description: aws.String("pet store"),
	})
	noErr(t, "CreateApi", err)
	const call = "CreateApi(HTTP)"
	eq(t, call, "status", wireStatus(t, call, out.ResultMetadata), http.StatusCreated)
	if out.ApiId == nil || !apiIDRE.MatchString(*out.ApiId) {
		t.Fatalf("%s: apiId = %v, want 10 characters from [a-z0-9]", call, out.ApiId)
	}
	id := *out.ApiId
	eqp(t, call, "name", out.Name, "pets")
	eq(t, call, "protocolType", out.ProtocolType, types.ProtocolTypeHttp)
	eqp(t, call, "routeSelectionExpression", out.RouteSelectionExpression, "$request.method $request.path")
	eqp(t, call, "apiKeySelectionExpression", out.ApiKeySelectionExpression, "$request.header.x-api-key")
	eqp(t, call, "disableExecuteApiEndpoint", out.DisableExecuteApiEndpoint, false)
	eqp(t, call, "apiEndpoint", out.ApiEndpoint, e.apiEndpoint(region, id))
	eqp(t, call, "description", out.Description, "pet store")
	recent(t, call, "createdDate", out.CreatedDate)
	if out.Tags == nil || len(out.Tags) != 0 {
		t.Errorf("%s: tags = %v, want an empty map", call, out.Tags)
	}
	if out.ApiGatewayManaged != nil && *out.ApiGatewayManaged {
		t.Errorf("%s: apiGatewayManaged = true, want false", call)
	}

	got, err := e.c.GetApi(e.ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(id)})
	noErr(t, "GetApi", err)
	eqp(t, "GetApi", "apiId", got.ApiId, id)
	eqp(t, "GetApi", "name", got.Name, "pets")
	eqp(t, "GetApi", "apiEndpoint", got.ApiEndpoint, e.apiEndpoint(region, id))
	eqp(t, "GetApi", "routeSelectionExpression", got.RouteSelectionExpression, "$request.method $request.path")
	if got.CreatedDate == nil || !got.CreatedDate.Equal(*out.CreatedDate) {
		t.Errorf("GetApi: createdDate = %v, want %v", got.CreatedDate, out.CreatedDate)
	}

	list, err := e.c.GetApis(e.ctx, &apigatewayv2.GetApisInput{})
	noErr(t, "GetApis", err)
	if len(list.Items) != 1 || aws.ToString(list.Items[0].ApiId) != id {
		t.Fatalf("GetApis: got %d items, want exactly API %s", len(list.Items), id)
	}
	eqp(t, "GetApis", "items[0].apiEndpoint", list.Items[0].ApiEndpoint, e.apiEndpoint(region, id))
	isNil(t, "GetApis", "nextToken", list.NextToken)
}

func TestCreateApiWebSocket(t *testing.T) {
	e := newEnv(t)
	out := e.createWSAPI("chat")
	const call = "CreateApi(WEBSOCKET)"
	eq(t, call, "protocolType", out.ProtocolType, types.ProtocolTypeWebsocket)
	eqp(t, call, "routeSelectionExpression", out.RouteSelectionExpression, "$request.body.action")
	eqp(t, call, "apiKeySelectionExpression", out.ApiKeySelectionExpression, "$request.header.x-api-key")
	eqp(t, call, "apiEndpoint", out.ApiEndpoint, "ws"+e.apiEndpoint(region, *out.ApiId)[len("http"):])
}

func TestCreateApiValidation(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		in   apigatewayv2.CreateApiInput
		msg  string
	}{
		{"missing name", apigatewayv2.CreateApiInput{ProtocolType: types.ProtocolTypeHttp}, "name"},
		{"missing protocolType", apigatewayv2.CreateApiInput{Name: aws.String("x")}, "protocolType"},
		{"unknown protocolType", apigatewayv2.CreateApiInput{Name: aws.String("x"), ProtocolType: "REST"}, "protocolType"},
		{"websocket without routeSelectionExpression", apigatewayv2.CreateApiInput{Name: aws.String("x"), ProtocolType: types.ProtocolTypeWebsocket},
			"Route selection expression is required for WebSocket APIs"},
		{"http with a custom routeSelectionExpression", apigatewayv2.CreateApiInput{Name: aws.String("x"), ProtocolType: types.ProtocolTypeHttp,
			RouteSelectionExpression: aws.String("$request.body.action")}, "Unsupported route selection expression"},
		{"bad apiKeySelectionExpression", apigatewayv2.CreateApiInput{Name: aws.String("x"), ProtocolType: types.ProtocolTypeHttp,
			ApiKeySelectionExpression: aws.String("$request.header.key")}, "Invalid API key selection expression"},
		{"websocket with cors", apigatewayv2.CreateApiInput{Name: aws.String("x"), ProtocolType: types.ProtocolTypeWebsocket,
			RouteSelectionExpression: aws.String("$request.body.action"), CorsConfiguration: &types.Cors{AllowOrigins: []string{"*"}}},
			"CORS configuration is supported only for HTTP APIs"},
		{"cors credentials with wildcard origin", apigatewayv2.CreateApiInput{Name: aws.String("x"), ProtocolType: types.ProtocolTypeHttp,
			CorsConfiguration: &types.Cors{AllowOrigins: []string{"*"}, AllowCredentials: aws.Bool(true)}}, "allowCredentials"},
		{"quick create on websocket", apigatewayv2.CreateApiInput{Name: aws.String("x"), ProtocolType: types.ProtocolTypeWebsocket,
			RouteSelectionExpression: aws.String("$request.body.action"), Target: aws.String("https://example.com")}, "only supported for HTTP APIs"},
		{"routeKey without target", apigatewayv2.CreateApiInput{Name: aws.String("x"), ProtocolType: types.ProtocolTypeHttp,
			RouteKey: aws.String("GET /pets")}, "A target is required"},
		{"bad custom id", apigatewayv2.CreateApiInput{Name: aws.String("x"), ProtocolType: types.ProtocolTypeHttp,
			Tags: map[string]string{"_custom_id_": "not valid!"}}, "_custom_id_"},
		{"aws: tag", apigatewayv2.CreateApiInput{Name: aws.String("x"), ProtocolType: types.ProtocolTypeHttp,
			Tags: map[string]string{"aws:owner": "me"}}, "reserved"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			_, err := e.c.CreateApi(e.ctx, &in, skipValidation)
			wantBadRequest(t, "CreateApi("+tc.name+")", err, tc.msg)
		})
	}
	list, err := e.c.GetApis(e.ctx, &apigatewayv2.GetApisInput{})
	noErr(t, "GetApis", err)
	eq(t, "GetApis after rejected creates", "len(items)", len(list.Items), 0)
}

func TestQuickCreate(t *testing.T) {
	tests := []struct {
		name       string
		target     string
		routeKey   *string
		wantKey    string
		wantType   types.IntegrationType
		wantMethod string
		wantPFV    string
		newTarget  string // for UpdateApi
	}{
		{"lambda target", lambdaARN, nil, "$default", types.IntegrationTypeAwsProxy, "POST", "2.0",
			"arn:aws:lambda:us-east-1:123456789012:function:other"},
		{"url target with route key", "https://example.com/backend", aws.String("GET /pets"), "GET /pets", types.IntegrationTypeHttpProxy, "ANY", "1.0",
			"https://example.org/v2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			call := "CreateApi(quick create, " + tc.name + ")"
			api, err := e.c.CreateApi(e.ctx, &apigatewayv2.CreateApiInput{
				Name: aws.String("quick"), ProtocolType: types.ProtocolTypeHttp,
				Target: aws.String(tc.target), RouteKey: tc.routeKey,
			})
			noErr(t, call, err)
			id := api.ApiId

			integs, err := e.c.GetIntegrations(e.ctx, &apigatewayv2.GetIntegrationsInput{ApiId: id})
			noErr(t, "GetIntegrations", err)
			if len(integs.Items) != 1 {
				t.Fatalf("%s: %d integrations, want exactly 1", call, len(integs.Items))
			}
			in := integs.Items[0]
			eqp(t, call, "integration.apiGatewayManaged", in.ApiGatewayManaged, true)
			eq(t, call, "integration.integrationType", in.IntegrationType, tc.wantType)
			eqp(t, call, "integration.integrationMethod", in.IntegrationMethod, tc.wantMethod)
			eqp(t, call, "integration.payloadFormatVersion", in.PayloadFormatVersion, tc.wantPFV)
			eqp(t, call, "integration.integrationUri", in.IntegrationUri, tc.target)
			eq(t, call, "integration.connectionType", in.ConnectionType, types.ConnectionTypeInternet)
			eqp(t, call, "integration.timeoutInMillis", in.TimeoutInMillis, 30000)

			routes, err := e.c.GetRoutes(e.ctx, &apigatewayv2.GetRoutesInput{ApiId: id})
			noErr(t, "GetRoutes", err)
			if len(routes.Items) != 1 {
				t.Fatalf("%s: %d routes, want exactly 1", call, len(routes.Items))
			}
			r := routes.Items[0]
			eqp(t, call, "route.apiGatewayManaged", r.ApiGatewayManaged, true)
			eqp(t, call, "route.routeKey", r.RouteKey, tc.wantKey)
			eqp(t, call, "route.target", r.Target, "integrations/"+aws.ToString(in.IntegrationId))
			eq(t, call, "route.authorizationType", r.AuthorizationType, types.AuthorizationTypeNone)

			stages, err := e.c.GetStages(e.ctx, &apigatewayv2.GetStagesInput{ApiId: id})
			noErr(t, "GetStages", err)
			if len(stages.Items) != 1 {
				t.Fatalf("%s: %d stages, want exactly 1", call, len(stages.Items))
			}
			st := stages.Items[0]
			eqp(t, call, "stage.stageName", st.StageName, "$default")
			eqp(t, call, "stage.apiGatewayManaged", st.ApiGatewayManaged, true)
			eqp(t, call, "stage.autoDeploy", st.AutoDeploy, true)

			deps, err := e.c.GetDeployments(e.ctx, &apigatewayv2.GetDeploymentsInput{ApiId: id})
			noErr(t, "GetDeployments", err)
			if len(deps.Items) != 1 {
				t.Fatalf("%s: %d deployments, want exactly 1", call, len(deps.Items))
			}
			d := deps.Items[0]
			eqp(t, call, "deployment.autoDeployed", d.AutoDeployed, true)
			eq(t, call, "deployment.deploymentStatus", d.DeploymentStatus, types.DeploymentStatusDeployed)
			eqp(t, call, "stage.deploymentId", st.DeploymentId, aws.ToString(d.DeploymentId))

			// Managed children cannot be deleted on their own.
			_, err = e.c.DeleteRoute(e.ctx, &apigatewayv2.DeleteRouteInput{ApiId: id, RouteId: r.RouteId})
			wantBadRequest(t, "DeleteRoute(managed)", err, "managed by API Gateway")
			_, err = e.c.DeleteIntegration(e.ctx, &apigatewayv2.DeleteIntegrationInput{ApiId: id, IntegrationId: in.IntegrationId})
			wantBadRequest(t, "DeleteIntegration(managed)", err, "managed by API Gateway")

			// UpdateApi's quick-create members change the managed route and integration.
			_, err = e.c.UpdateApi(e.ctx, &apigatewayv2.UpdateApiInput{ApiId: id, RouteKey: aws.String("POST /orders"),
				Target: aws.String(tc.newTarget)})
			noErr(t, "UpdateApi(routeKey, target)", err)
			r2, err := e.c.GetRoute(e.ctx, &apigatewayv2.GetRouteInput{ApiId: id, RouteId: r.RouteId})
			noErr(t, "GetRoute", err)
			eqp(t, "GetRoute after UpdateApi(routeKey)", "routeKey", r2.RouteKey, "POST /orders")
			in2, err := e.c.GetIntegration(e.ctx, &apigatewayv2.GetIntegrationInput{ApiId: id, IntegrationId: in.IntegrationId})
			noErr(t, "GetIntegration", err)
			eqp(t, "GetIntegration after UpdateApi(target)", "integrationUri", in2.IntegrationUri, tc.newTarget)
		})
	}
}

func TestCustomIDTag(t *testing.T) {
	e := newEnv(t)
	in := &apigatewayv2.CreateApiInput{Name: aws.String("stable"), ProtocolType: types.ProtocolTypeHttp,
		Tags: map[string]string{"_custom_id_": "my-api_1"}}
	out, err := e.c.CreateApi(e.ctx, in)
	noErr(t, "CreateApi(_custom_id_)", err)
	eqp(t, "CreateApi(_custom_id_)", "apiId", out.ApiId, "my-api_1")
	eqp(t, "CreateApi(_custom_id_)", "apiEndpoint", out.ApiEndpoint, e.apiEndpoint(region, "my-api_1"))

	got, err := e.c.GetApi(e.ctx, &apigatewayv2.GetApiInput{ApiId: aws.String("my-api_1")})
	noErr(t, "GetApi(my-api_1)", err)
	eqp(t, "GetApi(my-api_1)", "name", got.Name, "stable")

	_, err = e.c.CreateApi(e.ctx, in)
	wantConflict(t, "CreateApi(duplicate _custom_id_)", err, "my-api_1")

	// The same custom id is free in another region.
	_, err = e.client("eu-west-1").CreateApi(e.ctx, in)
	noErr(t, "CreateApi(_custom_id_, eu-west-1)", err)
}

func TestApiNotFound(t *testing.T) {
	e := newEnv(t)
	const msg = "Invalid API identifier specified 000000000000:nosuchapi1"
	id := aws.String("nosuchapi1")
	_, err := e.c.GetApi(e.ctx, &apigatewayv2.GetApiInput{ApiId: id})
	wantNotFound(t, "GetApi", err, msg)
	_, err = e.c.UpdateApi(e.ctx, &apigatewayv2.UpdateApiInput{ApiId: id, Name: aws.String("x")})
	wantNotFound(t, "UpdateApi", err, msg)
	_, err = e.c.DeleteApi(e.ctx, &apigatewayv2.DeleteApiInput{ApiId: id})
	wantNotFound(t, "DeleteApi", err, msg)
	_, err = e.c.GetRoutes(e.ctx, &apigatewayv2.GetRoutesInput{ApiId: id})
	wantNotFound(t, "GetRoutes", err, msg)
	_, err = e.c.CreateIntegration(e.ctx, httpProxyInput("nosuchapi1", "https://example.com"))
	wantNotFound(t, "CreateIntegration", err, msg)
	_, err = e.c.GetStages(e.ctx, &apigatewayv2.GetStagesInput{ApiId: id})
	wantNotFound(t, "GetStages", err, msg)
	_, err = e.c.DeleteCorsConfiguration(e.ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: id})
	wantNotFound(t, "DeleteCorsConfiguration", err, msg)
}

func TestUpdateApi(t *testing.T) {
	e := newEnv(t)
	api, err := e.c.CreateApi(e.ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("orig"), ProtocolType: types.ProtocolTypeHttp, Description: aws.String("first"),
		Version: aws.String("1"), Tags: map[string]string{"team": "a"},
	})
	noErr(t, "CreateApi", err)
	id := api.ApiId

	// Partial update: only the name changes.
	up, err := e.c.UpdateApi(e.ctx, &apigatewayv2.UpdateApiInput{ApiId: id, Name: aws.String("renamed")})
	noErr(t, "UpdateApi(name)", err)
	const call = "UpdateApi(name)"
	eqp(t, call, "apiId", up.ApiId, *id)
	eqp(t, call, "name", up.Name, "renamed")
	eqp(t, call, "description", up.Description, "first")
	eqp(t, call, "version", up.Version, "1")
	eq(t, call, "protocolType", up.ProtocolType, types.ProtocolTypeHttp)
	eqp(t, call, "routeSelectionExpression", up.RouteSelectionExpression, "$request.method $request.path")
	eqMap(t, call, "tags", up.Tags, map[string]string{"team": "a"})
	eqp(t, call, "apiEndpoint", up.ApiEndpoint, e.apiEndpoint(region, *id))
	if !up.CreatedDate.Equal(*api.CreatedDate) {
		t.Errorf("%s: createdDate = %v, want %v", call, up.CreatedDate, api.CreatedDate)
	}

	up, err = e.c.UpdateApi(e.ctx, &apigatewayv2.UpdateApiInput{ApiId: id, DisableExecuteApiEndpoint: aws.Bool(true),
		CorsConfiguration: &types.Cors{AllowOrigins: []string{"https://example.com"}, AllowMethods: []string{"GET", "POST"}, MaxAge: aws.Int32(300)}})
	noErr(t, "UpdateApi(cors, disableExecuteApiEndpoint)", err)
	eqp(t, "UpdateApi(cors)", "disableExecuteApiEndpoint", up.DisableExecuteApiEndpoint, true)
	eqp(t, "UpdateApi(cors)", "name", up.Name, "renamed")
	if up.CorsConfiguration == nil || len(up.CorsConfiguration.AllowOrigins) != 1 || up.CorsConfiguration.AllowOrigins[0] != "https://example.com" {
		t.Fatalf("UpdateApi(cors): corsConfiguration = %+v, want allowOrigins [https://example.com]", up.CorsConfiguration)
	}
	eqp(t, "UpdateApi(cors)", "corsConfiguration.maxAge", up.CorsConfiguration.MaxAge, 300)

	_, err = e.c.UpdateApi(e.ctx, &apigatewayv2.UpdateApiInput{ApiId: id, CorsConfiguration: &types.Cors{AllowOrigins: []string{"not a url"}}})
	wantBadRequest(t, "UpdateApi(bad origin)", err, "Invalid CORS origin")
	_, err = e.c.UpdateApi(e.ctx, &apigatewayv2.UpdateApiInput{ApiId: id, Name: aws.String("")})
	wantBadRequest(t, "UpdateApi(empty name)", err, "")

	del, err := e.c.DeleteCorsConfiguration(e.ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: id})
	noErr(t, "DeleteCorsConfiguration", err)
	eq(t, "DeleteCorsConfiguration", "status", wireStatus(t, "DeleteCorsConfiguration", del.ResultMetadata), http.StatusNoContent)
	got, err := e.c.GetApi(e.ctx, &apigatewayv2.GetApiInput{ApiId: id})
	noErr(t, "GetApi", err)
	if got.CorsConfiguration != nil {
		t.Errorf("GetApi after DeleteCorsConfiguration: corsConfiguration = %+v, want absent", got.CorsConfiguration)
	}
	eqp(t, "GetApi after DeleteCorsConfiguration", "name", got.Name, "renamed")
	_, err = e.c.DeleteCorsConfiguration(e.ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: id})
	wantNotFound(t, "DeleteCorsConfiguration(none left)", err, "CORS configuration")
}

func TestDeleteApi(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("doomed")
	integ := e.createHTTPIntegration(*api.ApiId, "https://example.com")
	e.createRoute(*api.ApiId, "GET /x", *integ.IntegrationId)
	keep := e.createHTTPAPI("keep")

	out, err := e.c.DeleteApi(e.ctx, &apigatewayv2.DeleteApiInput{ApiId: api.ApiId})
	noErr(t, "DeleteApi", err)
	eq(t, "DeleteApi", "status", wireStatus(t, "DeleteApi", out.ResultMetadata), http.StatusNoContent)
	_, err = e.c.GetApi(e.ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	wantNotFound(t, "GetApi(deleted)", err, "Invalid API identifier specified 000000000000:"+*api.ApiId)
	_, err = e.c.GetIntegration(e.ctx, &apigatewayv2.GetIntegrationInput{ApiId: api.ApiId, IntegrationId: integ.IntegrationId})
	wantNotFound(t, "GetIntegration(of deleted API)", err, "Invalid API identifier")
	list, err := e.c.GetApis(e.ctx, &apigatewayv2.GetApisInput{})
	noErr(t, "GetApis", err)
	if len(list.Items) != 1 || aws.ToString(list.Items[0].ApiId) != *keep.ApiId {
		t.Errorf("GetApis after DeleteApi: got %d items, want only %s", len(list.Items), *keep.ApiId)
	}
}

func TestImportExportNotSupported(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("x")
	const doc = `{"openapi":"3.0.1","info":{"title":"x","version":"1"},"paths":{}}`
	_, err := e.c.ImportApi(e.ctx, &apigatewayv2.ImportApiInput{Body: aws.String(doc)})
	wantBadRequest(t, "ImportApi", err, "ImportApi is not supported yet")
	_, err = e.c.ReimportApi(e.ctx, &apigatewayv2.ReimportApiInput{ApiId: api.ApiId, Body: aws.String(doc)})
	wantBadRequest(t, "ReimportApi", err, "ReimportApi is not supported yet")
	_, err = e.c.ExportApi(e.ctx, &apigatewayv2.ExportApiInput{ApiId: api.ApiId, OutputType: aws.String("JSON"), Specification: aws.String("OAS30")})
	wantBadRequest(t, "ExportApi", err, "ExportApi is not supported yet")
}

func TestRegionsAreIsolated(t *testing.T) {
	e := newEnv(t)
	us := e.createHTTPAPI("in-us-east-1")
	eu := e.client("eu-west-1")

	list, err := eu.GetApis(e.ctx, &apigatewayv2.GetApisInput{})
	noErr(t, "GetApis(eu-west-1)", err)
	eq(t, "GetApis(eu-west-1)", "len(items)", len(list.Items), 0)
	_, err = eu.GetApi(e.ctx, &apigatewayv2.GetApiInput{ApiId: us.ApiId})
	wantNotFound(t, "GetApi(us-east-1 API from eu-west-1)", err, "Invalid API identifier specified 000000000000:"+*us.ApiId)

	euAPI, err := eu.CreateApi(e.ctx, &apigatewayv2.CreateApiInput{Name: aws.String("in-eu"), ProtocolType: types.ProtocolTypeHttp})
	noErr(t, "CreateApi(eu-west-1)", err)
	eqp(t, "CreateApi(eu-west-1)", "apiEndpoint", euAPI.ApiEndpoint, e.apiEndpoint("eu-west-1", *euAPI.ApiId))

	list, err = e.c.GetApis(e.ctx, &apigatewayv2.GetApisInput{})
	noErr(t, "GetApis(us-east-1)", err)
	if len(list.Items) != 1 || aws.ToString(list.Items[0].ApiId) != *us.ApiId {
		t.Errorf("GetApis(us-east-1): got %d items, want only %s", len(list.Items), *us.ApiId)
	}
	list, err = eu.GetApis(e.ctx, &apigatewayv2.GetApisInput{})
	noErr(t, "GetApis(eu-west-1)", err)
	if len(list.Items) != 1 || aws.ToString(list.Items[0].ApiId) != *euAPI.ApiId {
		t.Errorf("GetApis(eu-west-1): got %d items, want only %s", len(list.Items), *euAPI.ApiId)
	}
}
