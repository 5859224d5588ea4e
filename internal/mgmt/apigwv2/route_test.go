package apigwv2_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

func TestRouteCRUD(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("routes")
	integ := e.createHTTPIntegration(*api.ApiId, "https://example.com/pets")

	out, err := e.c.CreateRoute(e.ctx, &apigatewayv2.CreateRouteInput{
		ApiId: api.ApiId, RouteKey: aws.String("GET /pets/{petId}"),
		Target: aws.String("integrations/" + *integ.IntegrationId), OperationName: aws.String("getPet"),
	})
	noErr(t, "CreateRoute", err)
	const call = "CreateRoute(GET /pets/{petId})"
	eq(t, call, "status", wireStatus(t, call, out.ResultMetadata), http.StatusCreated)
	if aws.ToString(out.RouteId) == "" {
		t.Fatalf("%s: routeId is empty", call)
	}
	eqp(t, call, "routeKey", out.RouteKey, "GET /pets/{petId}")
	eqp(t, call, "target", out.Target, "integrations/"+*integ.IntegrationId)
	eq(t, call, "authorizationType", out.AuthorizationType, types.AuthorizationTypeNone)
	eqp(t, call, "apiKeyRequired", out.ApiKeyRequired, false)
	eqp(t, call, "operationName", out.OperationName, "getPet")
	if out.ApiGatewayManaged != nil && *out.ApiGatewayManaged {
		t.Errorf("%s: apiGatewayManaged = true, want false", call)
	}
	isNil(t, call, "authorizerId", out.AuthorizerId)

	got, err := e.c.GetRoute(e.ctx, &apigatewayv2.GetRouteInput{ApiId: api.ApiId, RouteId: out.RouteId})
	noErr(t, "GetRoute", err)
	eqp(t, "GetRoute", "routeId", got.RouteId, *out.RouteId)
	eqp(t, "GetRoute", "routeKey", got.RouteKey, "GET /pets/{petId}")
	eqp(t, "GetRoute", "operationName", got.OperationName, "getPet")

	// Partial update: only the operation name changes; id, key and target stay.
	up, err := e.c.UpdateRoute(e.ctx, &apigatewayv2.UpdateRouteInput{ApiId: api.ApiId, RouteId: out.RouteId, OperationName: aws.String("fetchPet")})
	noErr(t, "UpdateRoute(operationName)", err)
	eqp(t, "UpdateRoute(operationName)", "routeId", up.RouteId, *out.RouteId)
	eqp(t, "UpdateRoute(operationName)", "operationName", up.OperationName, "fetchPet")
	eqp(t, "UpdateRoute(operationName)", "routeKey", up.RouteKey, "GET /pets/{petId}")
	eqp(t, "UpdateRoute(operationName)", "target", up.Target, "integrations/"+*integ.IntegrationId)

	up, err = e.c.UpdateRoute(e.ctx, &apigatewayv2.UpdateRouteInput{ApiId: api.ApiId, RouteId: out.RouteId, RouteKey: aws.String("ANY /pets/{proxy+}")})
	noErr(t, "UpdateRoute(routeKey)", err)
	eqp(t, "UpdateRoute(routeKey)", "routeId", up.RouteId, *out.RouteId)
	eqp(t, "UpdateRoute(routeKey)", "routeKey", up.RouteKey, "ANY /pets/{proxy+}")
	eqp(t, "UpdateRoute(routeKey)", "operationName", up.OperationName, "fetchPet")

	// An empty target detaches the integration.
	up, err = e.c.UpdateRoute(e.ctx, &apigatewayv2.UpdateRouteInput{ApiId: api.ApiId, RouteId: out.RouteId, Target: aws.String("")})
	noErr(t, "UpdateRoute(target \"\")", err)
	isNil(t, "UpdateRoute(target \"\")", "target", up.Target)
	eqp(t, "UpdateRoute(target \"\")", "routeKey", up.RouteKey, "ANY /pets/{proxy+}")

	_, err = e.c.UpdateRoute(e.ctx, &apigatewayv2.UpdateRouteInput{ApiId: api.ApiId, RouteId: out.RouteId, RouteKey: aws.String("GET pets")})
	wantBadRequest(t, "UpdateRoute(bad key)", err, "Unable to create route GET pets")

	list, err := e.c.GetRoutes(e.ctx, &apigatewayv2.GetRoutesInput{ApiId: api.ApiId})
	noErr(t, "GetRoutes", err)
	if len(list.Items) != 1 || aws.ToString(list.Items[0].RouteKey) != "ANY /pets/{proxy+}" {
		t.Errorf("GetRoutes: got %+v, want one route ANY /pets/{proxy+}", list.Items)
	}

	del, err := e.c.DeleteRoute(e.ctx, &apigatewayv2.DeleteRouteInput{ApiId: api.ApiId, RouteId: out.RouteId})
	noErr(t, "DeleteRoute", err)
	eq(t, "DeleteRoute", "status", wireStatus(t, "DeleteRoute", del.ResultMetadata), http.StatusNoContent)
	_, err = e.c.GetRoute(e.ctx, &apigatewayv2.GetRouteInput{ApiId: api.ApiId, RouteId: out.RouteId})
	wantNotFound(t, "GetRoute(deleted)", err, "Invalid Route identifier specified 000000000000:"+*out.RouteId)
	_, err = e.c.DeleteRoute(e.ctx, &apigatewayv2.DeleteRouteInput{ApiId: api.ApiId, RouteId: out.RouteId})
	wantNotFound(t, "DeleteRoute(deleted)", err, "Invalid Route identifier specified")
}

func TestRouteKeys(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("keys")
	tests := []struct {
		key string
		ok  bool
	}{
		{"$default", true},
		{"GET /", true},
		{"GET /pets", true},
		{"ANY /{proxy+}", true},
		{"POST /pets/{petId}/toys/{toyId}", true},
		{"DELETE /a/b/{rest+}", true},
		{"GET pets", false},
		{"FOO /x", false},
		{"get /x", false},
		{"GET /{proxy+}/x", false},
		{"GET /a//b", false},
		{"GET /a/", false},
		{"GET /{id}/{id}", false},
		{"GET /a{id}", false},
		{"GET", false},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			call := "CreateRoute(" + tc.key + ")"
			out, err := e.c.CreateRoute(e.ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String(tc.key)})
			if tc.ok {
				noErr(t, call, err)
				eqp(t, call, "routeKey", out.RouteKey, tc.key)
				return
			}
			wantBadRequest(t, call, err, "Unable to create route "+tc.key)
		})
	}

	// WebSocket route keys are free-form.
	ws := e.createWSAPI("ws")
	for _, key := range []string{"$connect", "$disconnect", "$default", "sendMessage"} {
		out, err := e.c.CreateRoute(e.ctx, &apigatewayv2.CreateRouteInput{ApiId: ws.ApiId, RouteKey: aws.String(key)})
		noErr(t, "CreateRoute(WebSocket "+key+")", err)
		eqp(t, "CreateRoute(WebSocket "+key+")", "routeKey", out.RouteKey, key)
	}
}

func TestRouteConflictsAndTargets(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("conflicts")
	integ := e.createHTTPIntegration(*api.ApiId, "https://example.com")
	first := e.createRoute(*api.ApiId, "GET /pets", *integ.IntegrationId)
	other := e.createRoute(*api.ApiId, "POST /pets", "")

	_, err := e.c.CreateRoute(e.ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /pets")})
	wantConflict(t, "CreateRoute(duplicate GET /pets)", err, "GET /pets")
	_, err = e.c.UpdateRoute(e.ctx, &apigatewayv2.UpdateRouteInput{ApiId: api.ApiId, RouteId: other.RouteId, RouteKey: aws.String("GET /pets")})
	wantConflict(t, "UpdateRoute(to an existing key)", err, "GET /pets")

	tests := []struct{ name, target, msg string }{
		{"unknown integration", "integrations/doesnotexist", "integrations/doesnotexist"},
		{"no prefix", *integ.IntegrationId, "Invalid target"},
		{"empty id", "integrations/", "Invalid target"},
	}
	for _, tc := range tests {
		_, err := e.c.CreateRoute(e.ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /t"), Target: aws.String(tc.target)})
		wantBadRequest(t, "CreateRoute(target "+tc.name+")", err, tc.msg)
		_, err = e.c.UpdateRoute(e.ctx, &apigatewayv2.UpdateRouteInput{ApiId: api.ApiId, RouteId: first.RouteId, Target: aws.String(tc.target)})
		wantBadRequest(t, "UpdateRoute(target "+tc.name+")", err, tc.msg)
	}
	got, err := e.c.GetRoute(e.ctx, &apigatewayv2.GetRouteInput{ApiId: api.ApiId, RouteId: first.RouteId})
	noErr(t, "GetRoute", err)
	eqp(t, "GetRoute after rejected updates", "target", got.Target, "integrations/"+*integ.IntegrationId)

	// HTTP APIs reject WebSocket-only route members.
	_, err = e.c.CreateRoute(e.ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /ws"), ApiKeyRequired: aws.Bool(true)})
	wantBadRequest(t, "CreateRoute(HTTP, apiKeyRequired)", err, "apiKeyRequired is supported only for WebSocket APIs")
	_, err = e.c.CreateRoute(e.ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /ws"),
		RequestParameters: map[string]types.ParameterConstraints{"route.request.header.x": {Required: aws.Bool(true)}}})
	wantBadRequest(t, "CreateRoute(HTTP, requestParameters)", err, "requestParameters is supported only for WebSocket APIs")
}

func TestDeleteRouteRequestParameter(t *testing.T) {
	e := newEnv(t)
	ws := e.createWSAPI("ws")
	r, err := e.c.CreateRoute(e.ctx, &apigatewayv2.CreateRouteInput{
		ApiId: ws.ApiId, RouteKey: aws.String("sendMessage"),
		RequestParameters: map[string]types.ParameterConstraints{
			"route.request.header.x-token":   {Required: aws.Bool(true)},
			"route.request.querystring.room": {Required: aws.Bool(false)},
		},
	})
	noErr(t, "CreateRoute(requestParameters)", err)
	if len(r.RequestParameters) != 2 || !aws.ToBool(r.RequestParameters["route.request.header.x-token"].Required) {
		t.Fatalf("CreateRoute: requestParameters = %+v, want x-token required and room", r.RequestParameters)
	}

	_, err = e.c.CreateRoute(e.ctx, &apigatewayv2.CreateRouteInput{ApiId: ws.ApiId, RouteKey: aws.String("bad"),
		RequestParameters: map[string]types.ParameterConstraints{"header.x": {Required: aws.Bool(true)}}})
	wantBadRequest(t, "CreateRoute(bad request parameter key)", err, "Invalid route request parameter header.x")

	_, err = e.c.DeleteRouteRequestParameter(e.ctx, &apigatewayv2.DeleteRouteRequestParameterInput{
		ApiId: ws.ApiId, RouteId: r.RouteId, RequestParameterKey: aws.String("route.request.header.x-token")})
	noErr(t, "DeleteRouteRequestParameter", err)
	got, err := e.c.GetRoute(e.ctx, &apigatewayv2.GetRouteInput{ApiId: ws.ApiId, RouteId: r.RouteId})
	noErr(t, "GetRoute", err)
	if _, ok := got.RequestParameters["route.request.header.x-token"]; ok || len(got.RequestParameters) != 1 {
		t.Errorf("GetRoute after DeleteRouteRequestParameter: requestParameters = %+v, want only route.request.querystring.room", got.RequestParameters)
	}
	_, err = e.c.DeleteRouteRequestParameter(e.ctx, &apigatewayv2.DeleteRouteRequestParameterInput{
		ApiId: ws.ApiId, RouteId: r.RouteId, RequestParameterKey: aws.String("route.request.header.x-token")})
	wantNotFound(t, "DeleteRouteRequestParameter(again)", err, "route.request.header.x-token")
}

func TestRouteResponses(t *testing.T) {
	e := newEnv(t)
	ws := e.createWSAPI("ws")
	r := e.createRoute(*ws.ApiId, "sendMessage", "")

	out, err := e.c.CreateRouteResponse(e.ctx, &apigatewayv2.CreateRouteResponseInput{
		ApiId: ws.ApiId, RouteId: r.RouteId, RouteResponseKey: aws.String("$default"),
		ModelSelectionExpression: aws.String("$request.body.type"),
	})
	noErr(t, "CreateRouteResponse", err)
	const call = "CreateRouteResponse($default)"
	eq(t, call, "status", wireStatus(t, call, out.ResultMetadata), http.StatusCreated)
	eqp(t, call, "routeResponseKey", out.RouteResponseKey, "$default")
	eqp(t, call, "modelSelectionExpression", out.ModelSelectionExpression, "$request.body.type")
	if aws.ToString(out.RouteResponseId) == "" {
		t.Fatalf("%s: routeResponseId is empty", call)
	}

	_, err = e.c.CreateRouteResponse(e.ctx, &apigatewayv2.CreateRouteResponseInput{ApiId: ws.ApiId, RouteId: r.RouteId, RouteResponseKey: aws.String("$default")})
	wantConflict(t, "CreateRouteResponse(duplicate $default)", err, "$default")
	_, err = e.c.CreateRouteResponse(e.ctx, &apigatewayv2.CreateRouteResponseInput{ApiId: ws.ApiId, RouteId: r.RouteId, RouteResponseKey: aws.String("$error")})
	wantBadRequest(t, "CreateRouteResponse($error)", err, "only $default is supported")
	_, err = e.c.CreateRouteResponse(e.ctx, &apigatewayv2.CreateRouteResponseInput{ApiId: ws.ApiId, RouteId: aws.String("nosuchr"), RouteResponseKey: aws.String("$default")})
	wantNotFound(t, "CreateRouteResponse(unknown route)", err, "Invalid Route identifier specified 000000000000:nosuchr")

	got, err := e.c.GetRouteResponse(e.ctx, &apigatewayv2.GetRouteResponseInput{ApiId: ws.ApiId, RouteId: r.RouteId, RouteResponseId: out.RouteResponseId})
	noErr(t, "GetRouteResponse", err)
	eqp(t, "GetRouteResponse", "routeResponseId", got.RouteResponseId, *out.RouteResponseId)
	eqp(t, "GetRouteResponse", "modelSelectionExpression", got.ModelSelectionExpression, "$request.body.type")

	up, err := e.c.UpdateRouteResponse(e.ctx, &apigatewayv2.UpdateRouteResponseInput{ApiId: ws.ApiId, RouteId: r.RouteId, RouteResponseId: out.RouteResponseId,
		ResponseModels: map[string]string{"$default": "Reply"}})
	noErr(t, "UpdateRouteResponse", err)
	eqp(t, "UpdateRouteResponse", "routeResponseId", up.RouteResponseId, *out.RouteResponseId)
	eqp(t, "UpdateRouteResponse", "routeResponseKey", up.RouteResponseKey, "$default")
	eqp(t, "UpdateRouteResponse", "modelSelectionExpression (untouched)", up.ModelSelectionExpression, "$request.body.type")
	eqMap(t, "UpdateRouteResponse", "responseModels", up.ResponseModels, map[string]string{"$default": "Reply"})

	list, err := e.c.GetRouteResponses(e.ctx, &apigatewayv2.GetRouteResponsesInput{ApiId: ws.ApiId, RouteId: r.RouteId})
	noErr(t, "GetRouteResponses", err)
	if len(list.Items) != 1 || aws.ToString(list.Items[0].RouteResponseId) != *out.RouteResponseId {
		t.Errorf("GetRouteResponses: got %d items, want only %s", len(list.Items), *out.RouteResponseId)
	}

	_, err = e.c.DeleteRouteResponse(e.ctx, &apigatewayv2.DeleteRouteResponseInput{ApiId: ws.ApiId, RouteId: r.RouteId, RouteResponseId: out.RouteResponseId})
	noErr(t, "DeleteRouteResponse", err)
	_, err = e.c.GetRouteResponse(e.ctx, &apigatewayv2.GetRouteResponseInput{ApiId: ws.ApiId, RouteId: r.RouteId, RouteResponseId: out.RouteResponseId})
	wantNotFound(t, "GetRouteResponse(deleted)", err, "Invalid RouteResponse identifier specified 000000000000:"+*out.RouteResponseId)

	// HTTP APIs have no route responses.
	h := e.createHTTPAPI("http")
	hr := e.createRoute(*h.ApiId, "GET /x", "")
	_, err = e.c.CreateRouteResponse(e.ctx, &apigatewayv2.CreateRouteResponseInput{ApiId: h.ApiId, RouteId: hr.RouteId, RouteResponseKey: aws.String("$default")})
	wantBadRequest(t, "CreateRouteResponse(HTTP API)", err, "Route responses are supported only for WebSocket APIs")
}
