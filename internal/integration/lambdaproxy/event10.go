package lambdaproxy

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
	"github.com/gatehouse-dev/gatehouse/internal/mapping"
)

// identityBefore are the requestContext.identity members an HTTP API without
// IAM or Cognito authorization sends as null, in AWS's order around sourceIp
// and userAgent.
var (
	identityBefore = []string{"accessKey", "accountId", "caller", "cognitoAuthenticationProvider",
		"cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId"}
)

// event10 builds the payload format 1.0 event of HTTP APIs
// [DG:http-api-develop-integrations-lambda, aws-behavior §3.3]: the REST
// shape, with headers and queryStringParameters holding the last value of
// each name and the multi-value maps holding all of them. Empty maps and an
// empty body are null; isBase64Encoded is always present.
//
// Header names are lower-cased, as for 2.0: the Developer Guide says so for
// both formats of HTTP APIs (REST APIs, unlike HTTP APIs, keep the casing).
func event10(x *exchange.Exchange, in *inbound, accountID string) []byte {
	path := in.path
	resource := routePath(x.RouteKey)
	w := writer{b: make([]byte, 0, 1536+len(x.Req.Body)*4/3)}
	w.open()
	w.str("version", "1.0")
	w.str("resource", resource)
	w.str("path", path)
	w.str("httpMethod", x.Req.Method)
	hs := eventHeaders(x, in.header)
	w.object("headers")
	for _, f := range hs {
		w.lowerKey(f.name)
		w.b = appendString(w.b, f.values[len(f.values)-1])
		w.comma = true
	}
	w.close()
	w.object("multiValueHeaders")
	for _, f := range hs {
		w.lowerKey(f.name)
		w.stringList(f.values)
	}
	w.close()
	if len(in.query) > 0 {
		last, all := splitQuery(in.query)
		w.strMap("queryStringParameters", last)
		w.listMap("multiValueQueryStringParameters", all)
	} else {
		w.null("queryStringParameters")
		w.null("multiValueQueryStringParameters")
	}
	w.object("requestContext")
	w.str("accountId", accountID)
	w.str("apiId", x.APIID)
	w.str("domainName", x.DomainName)
	w.str("domainPrefix", x.DomainPrefix)
	w.str("extendedRequestId", x.RequestID)
	w.str("httpMethod", x.Req.Method)
	w.object("identity")
	for _, k := range identityBefore {
		w.null(k)
	}
	w.str("sourceIp", x.Req.SourceIP)
	w.null("user")
	w.str("userAgent", x.Req.Header.Get("User-Agent"))
	w.null("userArn")
	w.close()
	w.str("path", path)
	w.str("protocol", x.Req.Proto)
	w.str("requestId", x.RequestID)
	w.str("requestTime", x.Start.Format(exchange.CLFTime))
	w.int("requestTimeEpoch", x.Start.UnixMilli())
	w.str("resourceId", x.RouteKey)
	w.str("resourcePath", resource)
	w.str("stage", x.Stage)
	w.close()
	if len(x.PathParams) > 0 {
		w.strMap("pathParameters", x.PathParams)
	} else {
		w.null("pathParameters")
	}
	if len(x.StageVariables) > 0 {
		w.strMap("stageVariables", x.StageVariables)
	} else {
		w.null("stageVariables")
	}
	b, b64 := body(x, in.header)
	if b != "" {
		w.str("body", b)
	} else {
		w.null("body")
	}
	w.bool("isBase64Encoded", b64)
	w.close()
	return w.b
}

// routePath is the path part of a route key ("GET /pets/{id}" → "/pets/{id}");
// the $default route's resource is "$default".
func routePath(routeKey string) string {
	if _, p, ok := strings.Cut(routeKey, " "); ok {
		return p
	}
	return routeKey
}

// splitQuery returns each parameter's last value and all its values.
func splitQuery(q []mapping.QueryParam) (map[string]string, map[string][]string) {
	last, all := make(map[string]string, len(q)), make(map[string][]string, len(q))
	for _, p := range q {
		last[p.Name] = p.Value
		all[p.Name] = append(all[p.Name], p.Value)
	}
	return last, all
}
