package apigwv2_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

func TestStageCRUD(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("stages")
	integ := e.createHTTPIntegration(*api.ApiId, "https://example.com")
	e.createRoute(*api.ApiId, "GET /pets/{id}", *integ.IntegrationId)
	e.createRoute(*api.ApiId, "POST /pets", *integ.IntegrationId)

	out, err := e.c.CreateStage(e.ctx, &apigatewayv2.CreateStageInput{
		ApiId: api.ApiId, StageName: aws.String("prod"), Description: aws.String("production"),
		StageVariables:       map[string]string{"backend": "https://example.com/prod", "mode": "live"},
		DefaultRouteSettings: &types.RouteSettings{ThrottlingBurstLimit: aws.Int32(100), ThrottlingRateLimit: aws.Float64(50)},
		RouteSettings: map[string]types.RouteSettings{
			"GET /pets/{id}": {ThrottlingBurstLimit: aws.Int32(10), ThrottlingRateLimit: aws.Float64(5)},
			"POST /pets":     {DetailedMetricsEnabled: aws.Bool(true)},
		},
		AccessLogSettings: &types.AccessLogSettings{DestinationArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:access"),
			Format: aws.String("$context.requestId")},
		Tags: map[string]string{"env": "prod"},
	})
	noErr(t, "CreateStage", err)
	const call = "CreateStage(prod)"
	eq(t, call, "status", wireStatus(t, call, out.ResultMetadata), http.StatusCreated)
	eqp(t, call, "stageName", out.StageName, "prod")
	eqp(t, call, "description", out.Description, "production")
	eqp(t, call, "autoDeploy", aws.Bool(aws.ToBool(out.AutoDeploy)), false)
	isNil(t, call, "deploymentId", out.DeploymentId)
	recent(t, call, "createdDate", out.CreatedDate)
	recent(t, call, "lastUpdatedDate", out.LastUpdatedDate)
	eqMap(t, call, "stageVariables", out.StageVariables, map[string]string{"backend": "https://example.com/prod", "mode": "live"})
	eqMap(t, call, "tags", out.Tags, map[string]string{"env": "prod"})
	if out.DefaultRouteSettings == nil {
		t.Fatalf("%s: defaultRouteSettings absent", call)
	}
	eqp(t, call, "defaultRouteSettings.detailedMetricsEnabled", out.DefaultRouteSettings.DetailedMetricsEnabled, false)
	eqp(t, call, "defaultRouteSettings.throttlingBurstLimit", out.DefaultRouteSettings.ThrottlingBurstLimit, 100)
	eqp(t, call, "defaultRouteSettings.throttlingRateLimit", out.DefaultRouteSettings.ThrottlingRateLimit, 50)
	eq(t, call, "len(routeSettings)", len(out.RouteSettings), 2)
	eqp(t, call, "routeSettings[GET /pets/{id}].throttlingBurstLimit", out.RouteSettings["GET /pets/{id}"].ThrottlingBurstLimit, 10)
	if out.AccessLogSettings == nil {
		t.Fatalf("%s: accessLogSettings absent", call)
	}
	eqp(t, call, "accessLogSettings.format", out.AccessLogSettings.Format, "$context.requestId")

	got, err := e.c.GetStage(e.ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("prod")})
	noErr(t, "GetStage", err)
	eqp(t, "GetStage", "description", got.Description, "production")
	eq(t, "GetStage", "len(routeSettings)", len(got.RouteSettings), 2)

	// Partial update: description and one stage variable removed ("" value), one added.
	up, err := e.c.UpdateStage(e.ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: aws.String("prod"),
		Description: aws.String("still production"), StageVariables: map[string]string{"mode": "", "region": "us-east-1"}})
	noErr(t, "UpdateStage", err)
	const ucall = "UpdateStage(description, stageVariables)"
	eqp(t, ucall, "stageName", up.StageName, "prod")
	eqp(t, ucall, "description", up.Description, "still production")
	eqMap(t, ucall, "stageVariables", up.StageVariables, map[string]string{"backend": "https://example.com/prod", "region": "us-east-1"})
	eq(t, ucall, "len(routeSettings)", len(up.RouteSettings), 2)
	eqMap(t, ucall, "tags", up.Tags, map[string]string{"env": "prod"})
	eqp(t, ucall, "defaultRouteSettings.throttlingBurstLimit", up.DefaultRouteSettings.ThrottlingBurstLimit, 100)
	if !up.CreatedDate.Equal(*out.CreatedDate) {
		t.Errorf("%s: createdDate = %v, want %v", ucall, up.CreatedDate, out.CreatedDate)
	}

	_, err = e.c.UpdateStage(e.ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: aws.String("prod"),
		StageVariables: map[string]string{"bad name": "x"}})
	wantBadRequest(t, "UpdateStage(bad stage variable name)", err, "Stage variable name bad name is invalid")
	_, err = e.c.UpdateStage(e.ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: aws.String("prod"),
		StageVariables: map[string]string{"v": "has space"}})
	wantBadRequest(t, "UpdateStage(bad stage variable value)", err, "Stage variable value has space is invalid")
	_, err = e.c.UpdateStage(e.ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: aws.String("prod"),
		DefaultRouteSettings: &types.RouteSettings{LoggingLevel: types.LoggingLevelInfo}})
	wantBadRequest(t, "UpdateStage(HTTP API, loggingLevel INFO)", err, "Execution logs are not supported on protocolType HTTP")

	// DeleteRouteSettings: the route key travels URL-encoded in the path.
	_, err = e.c.DeleteRouteSettings(e.ctx, &apigatewayv2.DeleteRouteSettingsInput{ApiId: api.ApiId, StageName: aws.String("prod"), RouteKey: aws.String("GET /pets/{id}")})
	noErr(t, "DeleteRouteSettings(GET /pets/{id})", err)
	got, err = e.c.GetStage(e.ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("prod")})
	noErr(t, "GetStage", err)
	if _, ok := got.RouteSettings["GET /pets/{id}"]; ok || len(got.RouteSettings) != 1 {
		t.Errorf("GetStage after DeleteRouteSettings: routeSettings = %v, want only POST /pets", got.RouteSettings)
	}
	_, err = e.c.DeleteRouteSettings(e.ctx, &apigatewayv2.DeleteRouteSettingsInput{ApiId: api.ApiId, StageName: aws.String("prod"), RouteKey: aws.String("GET /pets/{id}")})
	wantNotFound(t, "DeleteRouteSettings(again)", err, "GET /pets/{id}")

	// DeleteAccessLogSettings.
	_, err = e.c.DeleteAccessLogSettings(e.ctx, &apigatewayv2.DeleteAccessLogSettingsInput{ApiId: api.ApiId, StageName: aws.String("prod")})
	noErr(t, "DeleteAccessLogSettings", err)
	got, err = e.c.GetStage(e.ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("prod")})
	noErr(t, "GetStage", err)
	if got.AccessLogSettings != nil {
		t.Errorf("GetStage after DeleteAccessLogSettings: accessLogSettings = %+v, want absent", got.AccessLogSettings)
	}
	eqp(t, "GetStage after DeleteAccessLogSettings", "description", got.Description, "still production")

	// ResetAuthorizersCache answers 204.
	reset, err := e.c.ResetAuthorizersCache(e.ctx, &apigatewayv2.ResetAuthorizersCacheInput{ApiId: api.ApiId, StageName: aws.String("prod")})
	noErr(t, "ResetAuthorizersCache", err)
	eq(t, "ResetAuthorizersCache", "status", wireStatus(t, "ResetAuthorizersCache", reset.ResultMetadata), http.StatusNoContent)
	_, err = e.c.ResetAuthorizersCache(e.ctx, &apigatewayv2.ResetAuthorizersCacheInput{ApiId: api.ApiId, StageName: aws.String("nosuch")})
	wantNotFound(t, "ResetAuthorizersCache(unknown stage)", err, "Invalid Stage identifier specified 000000000000:nosuch")

	e.createStage(*api.ApiId, "dev", false)
	list, err := e.c.GetStages(e.ctx, &apigatewayv2.GetStagesInput{ApiId: api.ApiId})
	noErr(t, "GetStages", err)
	if len(list.Items) != 2 || aws.ToString(list.Items[0].StageName) != "prod" || aws.ToString(list.Items[1].StageName) != "dev" {
		t.Errorf("GetStages: got %d items, want prod, dev", len(list.Items))
	}

	del, err := e.c.DeleteStage(e.ctx, &apigatewayv2.DeleteStageInput{ApiId: api.ApiId, StageName: aws.String("prod")})
	noErr(t, "DeleteStage", err)
	eq(t, "DeleteStage", "status", wireStatus(t, "DeleteStage", del.ResultMetadata), http.StatusNoContent)
	_, err = e.c.GetStage(e.ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("prod")})
	wantNotFound(t, "GetStage(deleted)", err, "Invalid Stage identifier specified 000000000000:prod")
}

func TestCreateStageValidation(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("stages")
	e.createRoute(*api.ApiId, "GET /pets", "")
	e.createStage(*api.ApiId, "taken", false)
	tests := []struct {
		name string
		in   apigatewayv2.CreateStageInput
		code string
		msg  string
	}{
		{"unknown route key in routeSettings", apigatewayv2.CreateStageInput{StageName: aws.String("s1"),
			RouteSettings: map[string]types.RouteSettings{"GET /nope": {ThrottlingBurstLimit: aws.Int32(1)}}},
			"BadRequestException", "Unable to find Route by key GET /nope within the provided RouteSettings"},
		{"duplicate name", apigatewayv2.CreateStageInput{StageName: aws.String("taken")}, "ConflictException", "Stage taken already exists"},
		{"invalid name", apigatewayv2.CreateStageInput{StageName: aws.String("has space")}, "BadRequestException", "Stage name has space is invalid"},
		{"unknown deployment", apigatewayv2.CreateStageInput{StageName: aws.String("s2"), DeploymentId: aws.String("nodep1")},
			"BadRequestException", "Invalid deployment identifier specified 000000000000:nodep1"},
		{"bad stage variable value", apigatewayv2.CreateStageInput{StageName: aws.String("s3"), StageVariables: map[string]string{"v": "a b"}},
			"BadRequestException", "Stage variable value a b is invalid"},
		{"access log without ARN", apigatewayv2.CreateStageInput{StageName: aws.String("s4"),
			AccessLogSettings: &types.AccessLogSettings{DestinationArn: aws.String("my-group"), Format: aws.String("$context.requestId")}},
			"BadRequestException", "Access log destination must be a valid ARN"},
		{"negative throttling", apigatewayv2.CreateStageInput{StageName: aws.String("s5"),
			DefaultRouteSettings: &types.RouteSettings{ThrottlingBurstLimit: aws.Int32(-1)}}, "BadRequestException", "throttlingBurstLimit"},
		{"clientCertificateId on HTTP API", apigatewayv2.CreateStageInput{StageName: aws.String("s6"), ClientCertificateId: aws.String("abc")},
			"BadRequestException", "clientCertificateId is supported only for WebSocket APIs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.ApiId = api.ApiId
			_, err := e.c.CreateStage(e.ctx, &in)
			wantAPIError(t, "CreateStage("+tc.name+")", err, tc.code, tc.msg)
		})
	}
	list, err := e.c.GetStages(e.ctx, &apigatewayv2.GetStagesInput{ApiId: api.ApiId})
	noErr(t, "GetStages", err)
	eq(t, "GetStages after rejected creates", "len(items)", len(list.Items), 1)
}

func TestManagedStageIsReadOnly(t *testing.T) {
	e := newEnv(t)
	api, err := e.c.CreateApi(e.ctx, &apigatewayv2.CreateApiInput{Name: aws.String("quick"), ProtocolType: types.ProtocolTypeHttp, Target: aws.String(lambdaARN)})
	noErr(t, "CreateApi(quick create)", err)
	def := aws.String("$default")
	_, err = e.c.UpdateStage(e.ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: def, Description: aws.String("x")})
	wantBadRequest(t, "UpdateStage(managed $default)", err, "Stage $default is managed by API Gateway")
	_, err = e.c.DeleteStage(e.ctx, &apigatewayv2.DeleteStageInput{ApiId: api.ApiId, StageName: def})
	wantBadRequest(t, "DeleteStage(managed $default)", err, "Stage $default is managed by API Gateway")
	got, err := e.c.GetStage(e.ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: def})
	noErr(t, "GetStage($default)", err)
	isNil(t, "GetStage($default) after rejected update", "description", got.Description)
	eqp(t, "GetStage($default)", "apiGatewayManaged", got.ApiGatewayManaged, true)
}

func TestAutoDeploy(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("auto")
	st := e.createStage(*api.ApiId, "live", true)
	const call = "CreateStage(autoDeploy)"
	eqp(t, call, "autoDeploy", st.AutoDeploy, true)
	if st.DeploymentId == nil {
		t.Fatalf("%s: deploymentId absent, want the initial automatic deployment", call)
	}
	first := *st.DeploymentId

	integ := e.createHTTPIntegration(*api.ApiId, "https://example.com")
	got, err := e.c.GetStage(e.ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("live")})
	noErr(t, "GetStage", err)
	if got.DeploymentId == nil || *got.DeploymentId == first {
		t.Fatalf("GetStage after CreateIntegration: deploymentId = %v, want a new deployment (was %s)", aws.ToString(got.DeploymentId), first)
	}
	second := *got.DeploymentId
	if msg := aws.ToString(got.LastDeploymentStatusMessage); !strings.Contains(msg, second) {
		t.Errorf("GetStage: lastDeploymentStatusMessage = %q, want it to name deployment %s", msg, second)
	}
	d, err := e.c.GetDeployment(e.ctx, &apigatewayv2.GetDeploymentInput{ApiId: api.ApiId, DeploymentId: aws.String(second)})
	noErr(t, "GetDeployment", err)
	eqp(t, "GetDeployment(auto)", "autoDeployed", d.AutoDeployed, true)
	eq(t, "GetDeployment(auto)", "deploymentStatus", d.DeploymentStatus, types.DeploymentStatusDeployed)

	// Every change to the API's configuration redeploys.
	r := e.createRoute(*api.ApiId, "GET /x", *integ.IntegrationId)
	_, err = e.c.UpdateRoute(e.ctx, &apigatewayv2.UpdateRouteInput{ApiId: api.ApiId, RouteId: r.RouteId, OperationName: aws.String("x")})
	noErr(t, "UpdateRoute", err)
	deps, err := e.c.GetDeployments(e.ctx, &apigatewayv2.GetDeploymentsInput{ApiId: api.ApiId})
	noErr(t, "GetDeployments", err)
	eq(t, "GetDeployments after 4 changes", "len(items)", len(deps.Items), 4)
	got, err = e.c.GetStage(e.ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("live")})
	noErr(t, "GetStage", err)
	eqp(t, "GetStage", "deploymentId", got.DeploymentId, aws.ToString(deps.Items[len(deps.Items)-1].DeploymentId))

	// A stage without autoDeploy is not moved.
	manual := e.createStage(*api.ApiId, "manual", false)
	e.createHTTPIntegration(*api.ApiId, "https://example.org")
	m, err := e.c.GetStage(e.ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: manual.StageName})
	noErr(t, "GetStage(manual)", err)
	isNil(t, "GetStage(manual) after CreateIntegration", "deploymentId", m.DeploymentId)

	// Turning autoDeploy on deploys at once.
	up, err := e.c.UpdateStage(e.ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: manual.StageName, AutoDeploy: aws.Bool(true)})
	noErr(t, "UpdateStage(autoDeploy true)", err)
	if up.DeploymentId == nil {
		t.Errorf("UpdateStage(autoDeploy true): deploymentId absent, want a new deployment")
	}
}

// Route settings stored on a stage may outlive their route; they must not make
// later changes to the stage fail (only keys a request sets must name a route).
func TestDeleteRouteDropsItsRouteSettings(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("stale")
	a := e.createRoute(*api.ApiId, "GET /a", "")
	b := e.createRoute(*api.ApiId, "GET /b", "")
	e.createRoute(*api.ApiId, "GET /c", "")
	_, err := e.c.CreateStage(e.ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("prod"),
		RouteSettings: map[string]types.RouteSettings{"GET /a": {ThrottlingBurstLimit: aws.Int32(1)}, "GET /b": {ThrottlingBurstLimit: aws.Int32(2)}, "GET /c": {ThrottlingBurstLimit: aws.Int32(3)}}})
	noErr(t, "CreateStage(routeSettings GET /a, GET /b, GET /c)", err)
	for _, r := range []*apigatewayv2.CreateRouteOutput{a, b} {
		_, err := e.c.DeleteRoute(e.ctx, &apigatewayv2.DeleteRouteInput{ApiId: api.ApiId, RouteId: r.RouteId})
		noErr(t, "DeleteRoute("+*r.RouteKey+")", err)
	}
	prod := aws.String("prod")
	got, err := e.c.GetStage(e.ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: prod})
	noErr(t, "GetStage", err)
	eq(t, "GetStage after deleting routes GET /a and GET /b", "len(routeSettings)", len(got.RouteSettings), 1)
	eq(t, "GetStage after deleting routes GET /a and GET /b", "routeSettings[GET /c].throttlingBurstLimit", *got.RouteSettings["GET /c"].ThrottlingBurstLimit, int32(3))

	up, err := e.c.UpdateStage(e.ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: prod, Description: aws.String("after")})
	noErr(t, "UpdateStage(description)", err)
	eqp(t, "UpdateStage(description)", "description", up.Description, "after")
	_, err = e.c.UpdateStage(e.ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: prod,
		RouteSettings: map[string]types.RouteSettings{"GET /a": {ThrottlingBurstLimit: aws.Int32(5)}}})
	wantBadRequest(t, "UpdateStage(routeSettings for a deleted route)", err, "Unable to find Route by key GET /a")
	_, err = e.c.DeleteRouteSettings(e.ctx, &apigatewayv2.DeleteRouteSettingsInput{ApiId: api.ApiId, StageName: prod, RouteKey: aws.String("GET /a")})
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("DeleteRouteSettings(GET /a) after the route was deleted: err = %v, want NotFoundException", err)
	}
}
