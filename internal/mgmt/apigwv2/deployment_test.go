package apigwv2_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

func TestDeploymentCRUD(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("deploy")
	integ := e.createHTTPIntegration(*api.ApiId, "https://example.com")
	e.createRoute(*api.ApiId, "GET /pets", *integ.IntegrationId)
	e.createStage(*api.ApiId, "prod", false)

	out, err := e.c.CreateDeployment(e.ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId, StageName: aws.String("prod"), Description: aws.String("v1")})
	noErr(t, "CreateDeployment(prod)", err)
	const call = "CreateDeployment(prod)"
	eq(t, call, "status", wireStatus(t, call, out.ResultMetadata), http.StatusCreated)
	if aws.ToString(out.DeploymentId) == "" {
		t.Fatalf("%s: deploymentId is empty", call)
	}
	eqp(t, call, "autoDeployed", out.AutoDeployed, false)
	eq(t, call, "deploymentStatus", out.DeploymentStatus, types.DeploymentStatusDeployed)
	eqp(t, call, "description", out.Description, "v1")
	recent(t, call, "createdDate", out.CreatedDate)
	dep := *out.DeploymentId

	st, err := e.c.GetStage(e.ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("prod")})
	noErr(t, "GetStage", err)
	eqp(t, "GetStage after CreateDeployment(prod)", "deploymentId", st.DeploymentId, dep)

	got, err := e.c.GetDeployment(e.ctx, &apigatewayv2.GetDeploymentInput{ApiId: api.ApiId, DeploymentId: out.DeploymentId})
	noErr(t, "GetDeployment", err)
	eqp(t, "GetDeployment", "deploymentId", got.DeploymentId, dep)
	eqp(t, "GetDeployment", "description", got.Description, "v1")

	up, err := e.c.UpdateDeployment(e.ctx, &apigatewayv2.UpdateDeploymentInput{ApiId: api.ApiId, DeploymentId: out.DeploymentId, Description: aws.String("v1 (pets)")})
	noErr(t, "UpdateDeployment", err)
	eqp(t, "UpdateDeployment", "deploymentId", up.DeploymentId, dep)
	eqp(t, "UpdateDeployment", "description", up.Description, "v1 (pets)")
	eq(t, "UpdateDeployment", "deploymentStatus", up.DeploymentStatus, types.DeploymentStatusDeployed)

	// A deployment a stage points at cannot be deleted.
	_, err = e.c.DeleteDeployment(e.ctx, &apigatewayv2.DeleteDeploymentInput{ApiId: api.ApiId, DeploymentId: out.DeploymentId})
	wantBadRequest(t, "DeleteDeployment(in use)", err, "Active stages pointing to this deployment must be moved or deleted")

	// A deployment without a stage.
	other, err := e.c.CreateDeployment(e.ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId})
	noErr(t, "CreateDeployment(no stage)", err)
	st, err = e.c.GetStage(e.ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("prod")})
	noErr(t, "GetStage", err)
	eqp(t, "GetStage after CreateDeployment(no stage)", "deploymentId", st.DeploymentId, dep)

	list, err := e.c.GetDeployments(e.ctx, &apigatewayv2.GetDeploymentsInput{ApiId: api.ApiId})
	noErr(t, "GetDeployments", err)
	if len(list.Items) != 2 || aws.ToString(list.Items[0].DeploymentId) != dep || aws.ToString(list.Items[1].DeploymentId) != *other.DeploymentId {
		t.Errorf("GetDeployments: got %d items, want [%s %s]", len(list.Items), dep, *other.DeploymentId)
	}

	del, err := e.c.DeleteDeployment(e.ctx, &apigatewayv2.DeleteDeploymentInput{ApiId: api.ApiId, DeploymentId: other.DeploymentId})
	noErr(t, "DeleteDeployment(unused)", err)
	eq(t, "DeleteDeployment", "status", wireStatus(t, "DeleteDeployment", del.ResultMetadata), http.StatusNoContent)
	_, err = e.c.GetDeployment(e.ctx, &apigatewayv2.GetDeploymentInput{ApiId: api.ApiId, DeploymentId: other.DeploymentId})
	wantNotFound(t, "GetDeployment(deleted)", err, "Invalid Deployment identifier specified 000000000000:"+*other.DeploymentId)

	// Moving the stage frees the first deployment.
	_, err = e.c.UpdateStage(e.ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: aws.String("prod"), DeploymentId: other.DeploymentId})
	wantBadRequest(t, "UpdateStage(deleted deployment)", err, "Invalid deployment identifier specified")
	third, err := e.c.CreateDeployment(e.ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId})
	noErr(t, "CreateDeployment", err)
	_, err = e.c.UpdateStage(e.ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: aws.String("prod"), DeploymentId: third.DeploymentId})
	noErr(t, "UpdateStage(deploymentId)", err)
	_, err = e.c.DeleteDeployment(e.ctx, &apigatewayv2.DeleteDeploymentInput{ApiId: api.ApiId, DeploymentId: out.DeploymentId})
	noErr(t, "DeleteDeployment(after the stage moved)", err)
}

func TestCreateDeploymentErrors(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("deploy")
	e.createStage(*api.ApiId, "auto", true)
	_, err := e.c.CreateDeployment(e.ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId, StageName: aws.String("auto")})
	wantBadRequest(t, "CreateDeployment(autoDeploy stage)", err, "Stage auto has autoDeploy enabled")
	_, err = e.c.CreateDeployment(e.ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId, StageName: aws.String("nosuch")})
	wantNotFound(t, "CreateDeployment(unknown stage)", err, "Invalid Stage identifier specified 000000000000:nosuch")
	_, err = e.c.UpdateDeployment(e.ctx, &apigatewayv2.UpdateDeploymentInput{ApiId: api.ApiId, DeploymentId: aws.String("nodep1"), Description: aws.String("x")})
	wantNotFound(t, "UpdateDeployment(unknown)", err, "Invalid Deployment identifier specified 000000000000:nodep1")

	ws := e.createWSAPI("ws")
	_, err = e.c.CreateDeployment(e.ctx, &apigatewayv2.CreateDeploymentInput{ApiId: ws.ApiId})
	wantBadRequest(t, "CreateDeployment(WebSocket API without routes)", err, "At least one route is required")
}
