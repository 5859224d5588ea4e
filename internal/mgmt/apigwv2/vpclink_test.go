package apigwv2_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

func TestVpcLinkCRUD(t *testing.T) {
	e := newEnv(t)
	out, err := e.c.CreateVpcLink(e.ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("link"), SubnetIds: []string{"subnet-1", "subnet-2"},
		SecurityGroupIds: []string{"sg-1"}, Tags: map[string]string{"team": "net"}})
	noErr(t, "CreateVpcLink", err)
	const call = "CreateVpcLink"
	eq(t, call, "status", wireStatus(t, call, out.ResultMetadata), http.StatusCreated)
	if aws.ToString(out.VpcLinkId) == "" {
		t.Fatalf("%s: vpcLinkId is empty", call)
	}
	eqp(t, call, "name", out.Name, "link")
	eq(t, call, "vpcLinkStatus", out.VpcLinkStatus, types.VpcLinkStatusAvailable)
	eq(t, call, "vpcLinkVersion", out.VpcLinkVersion, types.VpcLinkVersionV2)
	eq(t, call, "len(subnetIds)", len(out.SubnetIds), 2)
	eq(t, call, "len(securityGroupIds)", len(out.SecurityGroupIds), 1)
	eqMap(t, call, "tags", out.Tags, map[string]string{"team": "net"})
	recent(t, call, "createdDate", out.CreatedDate)
	if out.VpcLinkStatusMessage == nil {
		t.Errorf("%s: vpcLinkStatusMessage absent", call)
	}

	got, err := e.c.GetVpcLink(e.ctx, &apigatewayv2.GetVpcLinkInput{VpcLinkId: out.VpcLinkId})
	noErr(t, "GetVpcLink", err)
	eqp(t, "GetVpcLink", "vpcLinkId", got.VpcLinkId, *out.VpcLinkId)
	eq(t, "GetVpcLink", "vpcLinkStatus", got.VpcLinkStatus, types.VpcLinkStatusAvailable)

	up, err := e.c.UpdateVpcLink(e.ctx, &apigatewayv2.UpdateVpcLinkInput{VpcLinkId: out.VpcLinkId, Name: aws.String("renamed")})
	noErr(t, "UpdateVpcLink", err)
	eqp(t, "UpdateVpcLink", "vpcLinkId", up.VpcLinkId, *out.VpcLinkId)
	eqp(t, "UpdateVpcLink", "name", up.Name, "renamed")
	eq(t, "UpdateVpcLink", "len(subnetIds)", len(up.SubnetIds), 2)
	eqMap(t, "UpdateVpcLink", "tags", up.Tags, map[string]string{"team": "net"})
	_, err = e.c.UpdateVpcLink(e.ctx, &apigatewayv2.UpdateVpcLinkInput{VpcLinkId: out.VpcLinkId, Name: aws.String("")})
	wantBadRequest(t, "UpdateVpcLink(empty name)", err, "")

	_, err = e.c.CreateVpcLink(e.ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("none"), SubnetIds: []string{}})
	wantBadRequest(t, "CreateVpcLink(no subnets)", err, "subnet")

	list, err := e.c.GetVpcLinks(e.ctx, &apigatewayv2.GetVpcLinksInput{})
	noErr(t, "GetVpcLinks", err)
	if len(list.Items) != 1 || aws.ToString(list.Items[0].Name) != "renamed" {
		t.Errorf("GetVpcLinks: got %d items, want only renamed", len(list.Items))
	}

	del, err := e.c.DeleteVpcLink(e.ctx, &apigatewayv2.DeleteVpcLinkInput{VpcLinkId: out.VpcLinkId})
	noErr(t, "DeleteVpcLink", err)
	eq(t, "DeleteVpcLink", "status", wireStatus(t, "DeleteVpcLink", del.ResultMetadata), http.StatusAccepted)
	_, err = e.c.GetVpcLink(e.ctx, &apigatewayv2.GetVpcLinkInput{VpcLinkId: out.VpcLinkId})
	wantNotFound(t, "GetVpcLink(deleted)", err, "Invalid VpcLink identifier specified 000000000000:"+*out.VpcLinkId)
	_, err = e.c.DeleteVpcLink(e.ctx, &apigatewayv2.DeleteVpcLinkInput{VpcLinkId: out.VpcLinkId})
	wantNotFound(t, "DeleteVpcLink(deleted)", err, "Invalid VpcLink identifier specified")
}
