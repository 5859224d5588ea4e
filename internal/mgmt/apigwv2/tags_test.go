package apigwv2_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

func TestTags(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("tagged")
	e.createStage(*api.ApiId, "prod", false)
	e.createDomain("api.example.com")
	link, err := e.c.CreateVpcLink(e.ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("link"), SubnetIds: []string{"subnet-1"}})
	noErr(t, "CreateVpcLink", err)

	arns := []struct{ name, arn string }{
		{"api", "arn:aws:apigateway:us-east-1::/apis/" + *api.ApiId},
		{"stage", "arn:aws:apigateway:us-east-1::/apis/" + *api.ApiId + "/stages/prod"},
		{"domain name", "arn:aws:apigateway:us-east-1::/domainnames/api.example.com"},
		{"vpc link", "arn:aws:apigateway:us-east-1::/vpclinks/" + *link.VpcLinkId},
	}
	for _, tc := range arns {
		t.Run(tc.name, func(t *testing.T) {
			arn := aws.String(tc.arn)
			tag, err := e.c.TagResource(e.ctx, &apigatewayv2.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"a": "1", "b": "2"}})
			noErr(t, "TagResource("+tc.arn+")", err)
			eq(t, "TagResource", "status", wireStatus(t, "TagResource", tag.ResultMetadata), http.StatusCreated)
			got, err := e.c.GetTags(e.ctx, &apigatewayv2.GetTagsInput{ResourceArn: arn})
			noErr(t, "GetTags("+tc.arn+")", err)
			eqMap(t, "GetTags("+tc.arn+") after TagResource", "tags", got.Tags, map[string]string{"a": "1", "b": "2"})

			_, err = e.c.TagResource(e.ctx, &apigatewayv2.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"b": "two", "c": "3"}})
			noErr(t, "TagResource(merge)", err)
			un, err := e.c.UntagResource(e.ctx, &apigatewayv2.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"a", "c", "never-set"}})
			noErr(t, "UntagResource("+tc.arn+")", err)
			eq(t, "UntagResource", "status", wireStatus(t, "UntagResource", un.ResultMetadata), http.StatusNoContent)
			got, err = e.c.GetTags(e.ctx, &apigatewayv2.GetTagsInput{ResourceArn: arn})
			noErr(t, "GetTags", err)
			eqMap(t, "GetTags("+tc.arn+") after UntagResource", "tags", got.Tags, map[string]string{"b": "two"})
		})
	}

	// The resources themselves report the tags.
	a, err := e.c.GetApi(e.ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	noErr(t, "GetApi", err)
	eqMap(t, "GetApi after tagging", "tags", a.Tags, map[string]string{"b": "two"})
	s, err := e.c.GetStage(e.ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("prod")})
	noErr(t, "GetStage", err)
	eqMap(t, "GetStage after tagging", "tags", s.Tags, map[string]string{"b": "two"})
	v, err := e.c.GetVpcLink(e.ctx, &apigatewayv2.GetVpcLinkInput{VpcLinkId: link.VpcLinkId})
	noErr(t, "GetVpcLink", err)
	eqMap(t, "GetVpcLink after tagging", "tags", v.Tags, map[string]string{"b": "two"})

	errs := []struct{ name, arn, code, msg string }{
		{"unknown api", "arn:aws:apigateway:us-east-1::/apis/nosuchapi1", "NotFoundException", "arn:aws:apigateway:us-east-1::/apis/nosuchapi1"},
		{"unknown stage", "arn:aws:apigateway:us-east-1::/apis/" + *api.ApiId + "/stages/nosuch", "NotFoundException", "Invalid resource identifier"},
		{"unknown domain", "arn:aws:apigateway:us-east-1::/domainnames/nope.example.com", "NotFoundException", "Invalid resource identifier"},
		{"unknown vpc link", "arn:aws:apigateway:us-east-1::/vpclinks/nosuch", "NotFoundException", "Invalid resource identifier"},
		{"other region", "arn:aws:apigateway:eu-west-1::/apis/" + *api.ApiId, "NotFoundException", "Invalid resource identifier"},
		{"not an apigateway ARN", "arn:aws:lambda:us-east-1:123456789012:function:f", "BadRequestException", "Invalid resource ARN specified"},
		{"unknown resource type", "arn:aws:apigateway:us-east-1::/restapis/abc", "BadRequestException", "Invalid resource ARN specified"},
	}
	for _, tc := range errs {
		arn := aws.String(tc.arn)
		_, err := e.c.TagResource(e.ctx, &apigatewayv2.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"a": "1"}})
		wantAPIError(t, "TagResource("+tc.name+")", err, tc.code, tc.msg)
		_, err = e.c.GetTags(e.ctx, &apigatewayv2.GetTagsInput{ResourceArn: arn})
		wantAPIError(t, "GetTags("+tc.name+")", err, tc.code, tc.msg)
		_, err = e.c.UntagResource(e.ctx, &apigatewayv2.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"a"}})
		wantAPIError(t, "UntagResource("+tc.name+")", err, tc.code, tc.msg)
	}

	_, err = e.c.TagResource(e.ctx, &apigatewayv2.TagResourceInput{ResourceArn: aws.String(arns[0].arn), Tags: map[string]string{"aws:x": "1"}})
	wantBadRequest(t, "TagResource(aws: key)", err, "reserved")
}
