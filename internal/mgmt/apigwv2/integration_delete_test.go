package apigwv2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

// AWS refuses to delete an integration that routes still target, with a 409
// that lists them: "ConflictException: Cannot delete Integration because it
// is referenced by the following Routes with Ids: [xrfucl1]" (reported by
// Terraform and Pulumi users: milliHQ/terraform-aws-next-js#247,
// klothoplatform/klotho#348). Once no route targets it, it can go.
func TestDeleteIntegrationReferencedByRoutes(t *testing.T) {
	e := newEnv(t)
	h := e.createHTTPAPI("http")
	integ := e.createHTTPIntegration(*h.ApiId, "https://example.com/a")
	r1 := e.createRoute(*h.ApiId, "GET /a", *integ.IntegrationId)
	r2 := e.createRoute(*h.ApiId, "GET /b", *integ.IntegrationId)

	del := &apigatewayv2.DeleteIntegrationInput{ApiId: h.ApiId, IntegrationId: integ.IntegrationId}
	_, err := e.c.DeleteIntegration(e.ctx, del)
	wantConflict(t, "DeleteIntegration(targeted by two routes)", err,
		"Cannot delete Integration because it is referenced by the following Routes with Ids: ["+*r1.RouteId+", "+*r2.RouteId+"]")

	_, err = e.c.UpdateRoute(e.ctx, &apigatewayv2.UpdateRouteInput{ApiId: h.ApiId, RouteId: r1.RouteId, Target: aws.String("")})
	noErr(t, "UpdateRoute(no target)", err)
	_, err = e.c.DeleteRoute(e.ctx, &apigatewayv2.DeleteRouteInput{ApiId: h.ApiId, RouteId: r2.RouteId})
	noErr(t, "DeleteRoute", err)
	_, err = e.c.DeleteIntegration(e.ctx, del)
	noErr(t, "DeleteIntegration(no longer targeted)", err)
}
