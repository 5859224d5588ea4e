// Command lambdafn is a Lambda function built with aws-lambda-go, used by the
// gateway's end-to-end tests: it echoes what it decoded from the event in its
// response. FORMAT=1.0 selects the payload format 1.0 types.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func v2(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if strings.HasSuffix(ev.RawPath, "/fail") {
		return events.APIGatewayV2HTTPResponse{}, errors.New("asked to fail")
	}
	b, _ := json.Marshal(map[string]any{"routeKey": ev.RouteKey, "rawPath": ev.RawPath, "query": ev.QueryStringParameters,
		"cookies": ev.Cookies, "path": ev.PathParameters, "body": ev.Body, "b64": ev.IsBase64Encoded,
		"requestId": ev.RequestContext.RequestID, "stage": ev.RequestContext.Stage, "vars": ev.StageVariables})
	return events.APIGatewayV2HTTPResponse{StatusCode: 201, Headers: map[string]string{"content-type": "application/json", "x-fn": "go"},
		Cookies: []string{"a=1", "b=2; Path=/"}, Body: string(b)}, nil
}

func v1(_ context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	b, _ := json.Marshal(map[string]any{"resource": ev.Resource, "path": ev.Path, "multiQuery": ev.MultiValueQueryStringParameters,
		"requestId": ev.RequestContext.RequestID})
	return events.APIGatewayProxyResponse{StatusCode: 200, MultiValueHeaders: map[string][]string{"X-Multi": {"1", "2"}}, Body: string(b)}, nil
}

func main() {
	if os.Getenv("FORMAT") == "1.0" {
		lambda.Start(v1)
		return
	}
	lambda.Start(v2)
}
