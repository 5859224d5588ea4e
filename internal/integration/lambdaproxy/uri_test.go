package lambdaproxy

import (
	"strings"
	"testing"
)

func TestParseURI(t *testing.T) {
	const fn = "arn:aws:lambda:eu-west-1:123456789012:function:my-fn"
	for _, tc := range []struct {
		uri  string
		want Target
	}{
		{fn, Target{ARN: fn, Region: "eu-west-1"}},
		{fn + ":live", Target{ARN: fn, Qualifier: "live", Region: "eu-west-1"}},
		{fn + ":7", Target{ARN: fn, Qualifier: "7", Region: "eu-west-1"}},
		{fn + ":$LATEST", Target{ARN: fn, Qualifier: "$LATEST", Region: "eu-west-1"}},
		{"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/" + fn + "/invocations", Target{ARN: fn, Region: "eu-west-1"}},
		{"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/" + fn + ":prod/invocations", Target{ARN: fn, Qualifier: "prod", Region: "eu-west-1"}},
		{"arn:aws-cn:lambda:cn-north-1:123456789012:function:f", Target{ARN: "arn:aws-cn:lambda:cn-north-1:123456789012:function:f", Region: "cn-north-1"}},
		{"arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}", Target{ARN: "arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}", Region: "us-east-1"}},
	} {
		got, err := ParseURI(tc.uri)
		if err != nil || got != tc.want {
			t.Errorf("ParseURI(%q) = %+v, %v; want %+v", tc.uri, got, err, tc.want)
		}
	}
}

func TestParseURIRejects(t *testing.T) {
	for _, tc := range []struct{ uri, says string }{
		{"", "not a Lambda function ARN"},
		{"my-fn", "not a Lambda function ARN"},
		{"https://example.com/", "not a Lambda function ARN"},
		{"arn:aws:s3:::bucket", "not a Lambda function ARN"},
		{"arn:aws:lambda:us-east-1:123456789012:layer:x", "not a Lambda function ARN"},
		{"arn:aws:lambda:us-east-1:123:function:f", "invalid account id"},
		{"arn:aws:lambda:US_EAST:123456789012:function:f", "invalid region"},
		{"arn:aws:lambda:us-east-1:123456789012:function:bad.name", "invalid function name"},
		{"arn:aws:lambda:us-east-1:123456789012:function:f:bad/q", "invalid qualifier"},
		{"arn:aws:lambda:us-east-1:123456789012:function:f:a:b", "not a Lambda function ARN"},
		{"arn:aws:apigateway:us-east-1:sqs:path/123/queue", "does not invoke a Lambda function"},
		{"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f", "must end with /invocations"},
		{"arn:aws:apigateway::lambda:path/2015-03-31/functions/x/invocations", "expected arn:aws:apigateway:{region}"},
	} {
		_, err := ParseURI(tc.uri)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("ParseURI(%q) error = %v, want one saying %q", tc.uri, err, tc.says)
		}
	}
}

func TestExpandStageVariables(t *testing.T) {
	vars := map[string]string{"fn": "orders", "alias": "live"}
	for in, want := range map[string]string{
		"function:${stageVariables.fn}:${stageVariables.alias}": "function:orders:live",
		"function:${stageVariables.missing}":                    "function:",
		"function:${stageVariables.fn":                          "function:${stageVariables.fn",
		"plain":                                                 "plain",
	} {
		if got := expandStageVariables(in, vars); got != want {
			t.Errorf("expandStageVariables(%q) = %q, want %q", in, got, want)
		}
	}
}
