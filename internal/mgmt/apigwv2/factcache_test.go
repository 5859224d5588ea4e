package apigwv2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

// TestFactCacheFollowsWrites: CreateIntegration consults cached facts about
// its API (it exists; no stage auto-deploys). Each test step first warms the
// cache with a CreateIntegration, then changes the fact through another
// operation and checks that the next CreateIntegration sees the change.
func TestFactCacheFollowsWrites(t *testing.T) {
	e := newEnv(t)
	c, ctx := e.c, e.ctx
	deployments := func(apiID string) int {
		out, err := c.GetDeployments(ctx, &apigatewayv2.GetDeploymentsInput{ApiId: aws.String(apiID)})
		noErr(t, "GetDeployments", err)
		return len(out.Items)
	}

	api := *e.createHTTPAPI("facts").ApiId
	e.createHTTPIntegration(api, "https://example.com/1")
	e.createHTTPIntegration(api, "https://example.com/2") // served from the cache
	if n := deployments(api); n != 0 {
		t.Fatalf("%d deployments without any stage", n)
	}

	// A new auto-deploy stage must be seen by the next change.
	e.createStage(api, "live", true)
	before := deployments(api)
	e.createHTTPIntegration(api, "https://example.com/3")
	if n := deployments(api); n != before+1 {
		t.Fatalf("CreateIntegration after CreateStage(autoDeploy) made %d deployments, want 1", n-before)
	}

	// Turning auto-deploy off, then on again, through UpdateStage.
	_, err := c.UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: &api, StageName: aws.String("live"), AutoDeploy: aws.Bool(false)})
	noErr(t, "UpdateStage", err)
	before = deployments(api)
	e.createHTTPIntegration(api, "https://example.com/4")
	e.createHTTPIntegration(api, "https://example.com/5")
	if n := deployments(api); n != before {
		t.Fatalf("CreateIntegration with auto-deploy off made %d deployments", n-before)
	}
	_, err = c.UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: &api, StageName: aws.String("live"), AutoDeploy: aws.Bool(true)})
	noErr(t, "UpdateStage", err)
	before = deployments(api)
	e.createHTTPIntegration(api, "https://example.com/6")
	if n := deployments(api); n != before+1 {
		t.Fatalf("CreateIntegration after re-enabling auto-deploy made %d deployments, want 1", n-before)
	}

	// A deleted API must not keep accepting children.
	_, err = c.DeleteApi(ctx, &apigatewayv2.DeleteApiInput{ApiId: &api})
	noErr(t, "DeleteApi", err)
	_, err = c.CreateIntegration(ctx, httpProxyInput(api, "https://example.com/7"))
	wantNotFound(t, "CreateIntegration on a deleted API", err, "Invalid API identifier specified")

	// The same after a reset of the whole store.
	api2 := *e.createHTTPAPI("facts2").ApiId
	e.createHTTPIntegration(api2, "https://example.com/1")
	e.svc.BeginReset()
	if err := e.st.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	e.svc.EndReset()
	_, err = c.CreateIntegration(ctx, httpProxyInput(api2, "https://example.com/2"))
	wantNotFound(t, "CreateIntegration after reset", err, "Invalid API identifier specified")

	// Regions are separate facts.
	api3 := *e.createHTTPAPI("facts3").ApiId
	e.createHTTPIntegration(api3, "https://example.com/1")
	_, err = e.client("eu-west-1").CreateIntegration(ctx, httpProxyInput(api3, "https://example.com/2"))
	wantNotFound(t, "CreateIntegration in another region", err, "Invalid API identifier specified")
}
