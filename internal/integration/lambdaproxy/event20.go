package lambdaproxy

import (
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
	"github.com/gatehouse-dev/gatehouse/internal/mapping"
)

// event20 builds the payload format 2.0 event [DG:http-api-develop-integrations-lambda,
// aws-behavior §3.3]. Keys follow the Developer Guide's order; cookies,
// queryStringParameters, pathParameters, stageVariables and body are omitted
// when there are none, as AWS omits them.
func event20(x *exchange.Exchange, in *inbound, accountID string) []byte {
	path := in.path
	w := writer{b: make([]byte, 0, 1024+len(x.Req.Body)*4/3)}
	w.open()
	w.str("version", "2.0")
	w.str("routeKey", x.RouteKey)
	w.str("rawPath", path)
	w.str("rawQueryString", in.rawQuery)
	if c := cookies(in.header); len(c) > 0 {
		w.strings("cookies", c)
	}
	w.object("headers")
	for _, f := range eventHeaders(x, in.header) {
		if f.name != "Cookie" {
			w.lowerKey(f.name)
			w.joined(f.values, ',')
		}
	}
	w.close()
	if len(in.query) > 0 {
		w.strMap("queryStringParameters", joinQuery(in.query))
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
	b, b64 := body(x, in.header)
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

// cookies splits every Cookie header into its name=value pairs.
func cookies(h http.Header) []string {
	var out []string
	for _, v := range h["Cookie"] {
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
func joinQuery(q []mapping.QueryParam) map[string]string {
	out := make(map[string]string, len(q))
	for _, p := range q {
		if prev, ok := out[p.Name]; ok {
			out[p.Name] = prev + "," + p.Value
		} else {
			out[p.Name] = p.Value
		}
	}
	return out
}
