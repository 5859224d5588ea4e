package lambdaproxy

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

// event20 builds the payload format 2.0 event [DG:http-api-develop-integrations-lambda,
// aws-behavior §3.3]. Keys follow the Developer Guide's order; cookies,
// queryStringParameters, pathParameters, stageVariables and body are omitted
// when there are none, as AWS omits them.
func event20(x *exchange.Exchange, accountID string) []byte {
	path := decodedPath(x)
	w := writer{b: make([]byte, 0, 1024+len(x.Req.Body)*4/3)}
	w.open()
	w.str("version", "2.0")
	w.str("routeKey", x.RouteKey)
	w.str("rawPath", path)
	w.str("rawQueryString", x.Req.RawQuery)
	if c := cookies(x); len(c) > 0 {
		w.strings("cookies", c)
	}
	w.strMap("headers", headers20(x))
	if q := parseQuery(x.Req.RawQuery); len(q) > 0 {
		w.strMap("queryStringParameters", joinQuery(q))
	}
	w.object("requestContext")
	w.str("accountId", accountID)
	w.str("apiId", x.APIID)
	w.str("domainName", x.DomainName)
	w.str("domainPrefix", x.DomainPrefix)
	w.object("http")
	w.str("method", x.Req.Method)
	w.str("path", path)
	w.str("protocol", x.Req.Proto)
	w.str("sourceIp", x.Req.SourceIP)
	w.str("userAgent", x.Req.Header.Get("User-Agent"))
	w.close()
	w.str("requestId", x.RequestID)
	w.str("routeKey", x.RouteKey)
	w.str("stage", x.Stage)
	w.str("time", x.Start.Format(exchange.CLFTime))
	w.int("timeEpoch", x.Start.UnixMilli())
	w.close()
	b, b64 := body(x)
	if b != "" {
		w.str("body", b)
	}
	if len(x.PathParams) > 0 {
		w.strMap("pathParameters", x.PathParams)
	}
	w.bool("isBase64Encoded", b64)
	if len(x.StageVariables) > 0 {
		w.strMap("stageVariables", x.StageVariables)
	}
	w.close()
	return w.b
}

// headers20 lower-cases names and joins repeated headers with commas; cookies
// travel in the cookies field instead.
func headers20(x *exchange.Exchange) map[string]string {
	out := make(map[string]string, len(x.Req.Header)+5)
	for k, vs := range x.Req.Header {
		if k == "Cookie" || replaced(k) || len(vs) == 0 {
			continue
		}
		out[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	for _, kv := range forwardedHeaders(x) {
		out[strings.ToLower(kv[0])] = kv[1]
	}
	return out
}

// cookies splits every Cookie header into its name=value pairs.
func cookies(x *exchange.Exchange) []string {
	var out []string
	for _, v := range x.Req.Header["Cookie"] {
		for v != "" {
			var c string
			c, v, _ = strings.Cut(v, ";")
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

// joinQuery joins the values of repeated parameters with commas, in request order.
func joinQuery(q []queryParam) map[string]string {
	out := make(map[string]string, len(q))
	for _, p := range q {
		if prev, ok := out[p.name]; ok {
			out[p.name] = prev + "," + p.value
		} else {
			out[p.name] = p.value
		}
	}
	return out
}
