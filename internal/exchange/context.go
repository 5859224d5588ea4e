package exchange

import (
	"strconv"
	"strings"
	"time"
)

// ContextValue returns the $context variable name (without the "$context."
// prefix) for the exchange, as HTTP APIs define them
// [DG:http-api-logging-variables]. accountID is the gateway's account.
func (x *Exchange) ContextValue(name, accountID string) (string, bool) {
	switch name {
	case "requestId", "extendedRequestId", "awsEndpointRequestId":
		return x.RequestID, true
	case "accountId":
		return accountID, true
	case "apiId":
		return x.APIID, true
	case "stage":
		return x.Stage, true
	case "routeKey":
		return x.RouteKey, true
	case "domainName":
		return x.DomainName, true
	case "domainPrefix":
		return x.DomainPrefix, true
	case "customDomain.basePathMatched":
		return x.BasePathMatched, x.BasePathMatched != ""
	case "httpMethod", "http.method":
		return x.Req.Method, true
	case "path", "http.path":
		return x.Req.RawPath, true
	case "protocol", "http.protocol":
		return x.Req.Proto, true
	case "identity.sourceIp", "http.sourceIp":
		return x.Req.SourceIP, true
	case "identity.userAgent", "http.userAgent":
		return x.Req.Header.Get("User-Agent"), true
	case "requestTime":
		return x.Start.Format(CLFTime), true
	case "requestTimeEpoch":
		return strconv.FormatInt(x.Start.UnixMilli(), 10), true
	case "status":
		if x.Resp == nil {
			return "", false
		}
		return strconv.Itoa(x.Resp.Status), true
	case "responseLength":
		if x.Resp == nil {
			return "", false
		}
		return strconv.Itoa(len(x.Resp.Body)), true
	case "dataProcessed":
		n := len(x.Req.Body)
		if x.Resp != nil {
			n += len(x.Resp.Body)
		}
		return strconv.Itoa(n), true
	case "responseLatency":
		return strconv.FormatInt(time.Since(x.Start).Milliseconds(), 10), true
	case "integrationLatency", "integration.latency":
		if x.IntegrationLatency == 0 && x.IntegrationStatus == 0 {
			return "", false
		}
		return strconv.FormatInt(x.IntegrationLatency.Milliseconds(), 10), true
	case "integrationStatus", "integration.integrationStatus", "integration.status":
		if x.IntegrationStatus == 0 {
			return "", false
		}
		return strconv.Itoa(x.IntegrationStatus), true
	case "integrationErrorMessage", "integration.error":
		return x.IntegrationError, x.IntegrationError != ""
	case "error.message":
		return x.ErrorMessage, x.ErrorMessage != ""
	case "error.messageString":
		if x.ErrorMessage == "" {
			return "", false
		}
		return strconv.Quote(x.ErrorMessage), true
	case "error.responseType":
		return x.ErrorType, x.ErrorType != ""
	}
	if key, ok := strings.CutPrefix(name, "authorizer."); ok {
		v, ok := x.AuthorizerContext[key]
		return v, ok
	}
	return "", false
}

// CLFTime is the Common Log Format time layout of $context.requestTime.
const CLFTime = "02/Jan/2006:15:04:05 -0700"
