package gateway_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/gatehouse-dev/gatehouse/internal/targets"
)

const listenerARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/my-alb/50dc6c495c0c9188/0467ef3c8400ae65"

func TestPrivateIntegrationBalancesAcrossTargets(t *testing.T) {
	a, b := newUpstream(t), newUpstream(t)
	tbl, err := targets.Parse(strings.NewReader(`{"targets": {"` + listenerARN + `": ["` + a.URL + `", "` + b.URL + `", "http://127.0.0.1:1"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOpts{targets: tbl})
	link, err := e.c.CreateVpcLink(e.ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("l"), SubnetIds: []string{"subnet-1"}})
	e.must(err, "CreateVpcLink")
	ep := e.api("private")
	in := e.integration("private", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String(listenerARN),
		ConnectionType: types.ConnectionTypeVpcLink, ConnectionId: link.VpcLinkId})
	e.route("private", "GET /orders/{id}", in)
	e.stage("private", "live", true)
	statuses := map[int]int{}
	for range 9 {
		statuses[e.call("GET", ep+"/live/orders/7", "", "").status]++
	}
	// The dead target fails once (500) and is then skipped while it cools down.
	if statuses[200] < 8 || a.count() == 0 || b.count() == 0 {
		t.Errorf("statuses %v, upstream a=%d b=%d: want traffic on both live targets", statuses, a.count(), b.count())
	}
	if got := a.last(t).Path; got != "/live/orders/7" {
		t.Errorf("private integration path = %q, want the stage segment included", got)
	}
}

func TestPrivateIntegrationWithoutTargetsFailsDeployment(t *testing.T) {
	e := newEnv(t)
	link, err := e.c.CreateVpcLink(e.ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("l"), SubnetIds: []string{"subnet-1"}})
	e.must(err, "CreateVpcLink")
	e.api("nolb")
	in := e.integration("nolb", apigatewayv2.CreateIntegrationInput{IntegrationUri: aws.String(listenerARN),
		ConnectionType: types.ConnectionTypeVpcLink, ConnectionId: link.VpcLinkId})
	e.route("nolb", "GET /x", in)
	e.stage("nolb", "s", false)
	_, err = e.c.CreateDeployment(e.ctx, &apigatewayv2.CreateDeploymentInput{ApiId: aws.String("nolb"), StageName: aws.String("s")})
	if err == nil || !strings.Contains(err.Error(), "integration "+in) || !strings.Contains(err.Error(), "--targets") {
		t.Errorf("CreateDeployment with an unresolvable private integration: err = %v, want a BadRequest naming integration %s", err, in)
	}
}
