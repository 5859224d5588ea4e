package apigwv2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// AWS refuses to delete a VPC link that a route still reaches through a
// private integration: "BadRequestException: Cannot delete vpc link. Vpc link
// 'l4er5c', is referenced in [ANY:qtfgl2b] in format of [Method:Resource]."
// (hashicorp/terraform-provider-aws#12195, for an HTTP API, where qtfgl2b is
// the route that targets the integration). Once no route does, it can go.
func TestDeleteVpcLinkReferencedByRoutes(t *testing.T) {
	e := newEnv(t)
	link, err := e.c.CreateVpcLink(e.ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("link"), SubnetIds: []string{"subnet-1"}})
	noErr(t, "CreateVpcLink", err)
	h := e.createHTTPAPI("http")
	integ, err := e.c.CreateIntegration(e.ctx, &apigatewayv2.CreateIntegrationInput{ApiId: h.ApiId,
		IntegrationType: types.IntegrationTypeHttpProxy, IntegrationMethod: aws.String("ANY"), PayloadFormatVersion: aws.String("1.0"),
		ConnectionType: types.ConnectionTypeVpcLink, ConnectionId: link.VpcLinkId,
		IntegrationUri: aws.String("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/50dc6c495c0c9188/0467ef3c8400ae65")})
	noErr(t, "CreateIntegration(VPC_LINK)", err)
	r1 := e.createRoute(*h.ApiId, "GET /a", *integ.IntegrationId)
	r2 := e.createRoute(*h.ApiId, "$default", *integ.IntegrationId)

	del := &apigatewayv2.DeleteVpcLinkInput{VpcLinkId: link.VpcLinkId}
	_, err = e.c.DeleteVpcLink(e.ctx, del)
	wantBadRequest(t, "DeleteVpcLink(in use)", err, "Cannot delete vpc link. Vpc link '"+*link.VpcLinkId+
		"', is referenced in [GET:"+*r1.RouteId+", ANY:"+*r2.RouteId+"] in format of [Method:Resource].")

	for _, r := range []*apigatewayv2.CreateRouteOutput{r1, r2} {
		_, err = e.c.DeleteRoute(e.ctx, &apigatewayv2.DeleteRouteInput{ApiId: h.ApiId, RouteId: r.RouteId})
		noErr(t, "DeleteRoute", err)
	}
	_, err = e.c.DeleteVpcLink(e.ctx, del)
	noErr(t, "DeleteVpcLink(no longer reached)", err)
}
