package apigwv2_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// TestAutoDeploymentSnapshotsArePruned: each change to an auto-deployed API
// makes a deployment; only snapshots a stage still serves are kept, so storage
// does not grow with the square of the API's size.
func TestAutoDeploymentSnapshotsArePruned(t *testing.T) {
	e := newEnv(t)
	c, ctx, st := e.c, e.ctx, e.st
	api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("a"), ProtocolType: types.ProtocolTypeHttp,
		Target: aws.String("https://example.com")}) // quick create: an auto-deploy $default stage
	if err != nil {
		t.Fatal(err)
	}
	first, err := c.GetStage(ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("$default")})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if _, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String(fmt.Sprintf("GET /r%d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	deps, err := c.GetDeployments(ctx, &apigatewayv2.GetDeploymentsInput{ApiId: api.ApiId})
	if err != nil || len(deps.Items) != 21 {
		t.Fatalf("GetDeployments = %d items, %v; want all 21 auto-deployments listed", len(deps.Items), err)
	}
	var snapshots int
	st.View(ctx, func(tx store.Tx) error {
		snapshots, err = tx.Count(model.KindDeploymentConfig, "us-east-1/apis/"+*api.ApiId)
		return err
	})
	if snapshots != 1 {
		t.Errorf("%d deployment snapshots stored after 21 auto-deployments, want 1 (the one the stage serves)", snapshots)
	}
	// A second, manual stage can't be pointed at a pruned auto-deployment...
	_, err = c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("old"), DeploymentId: first.DeploymentId})
	if err == nil || !strings.Contains(err.Error(), "no longer retained") {
		t.Errorf("CreateStage on a pruned deployment: %v, want a BadRequest saying it is no longer retained", err)
	}
	// ...but can use a manual deployment, whose snapshot survives later auto-deploys.
	d, err := c.CreateDeployment(ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /late")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("pinned"), DeploymentId: d.DeploymentId}); err != nil {
		t.Errorf("CreateStage on a manual deployment: %v", err)
	}
}
