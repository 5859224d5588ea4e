package apigwv2

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

func (s *Service) createIntegration(c *call) (any, error) {
	integ := model.Integration{}
	if err := c.apply(&integ); err != nil {
		return nil, err
	}
	var stored []byte
	err := c.update(func(tx store.Tx) error {
		api, err := c.loadAPIMeta(tx, c.label("apiId"))
		if err != nil {
			return err
		}
		integ.ApiGatewayManaged = false
		if err := c.checkIntegration(tx, api, &integ); err != nil {
			return err
		}
		if err := c.insertNew(tx, kindIntegration, apiScope(c.Region, api.ApiId), childIDLen, &integ.IntegrationId, "", &integ, nil); err != nil {
			return err
		}
		stored = c.stored
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return json.RawMessage(stored), nil // the stored wire JSON is the response
}

func (c *call) integrationNotFound(id string) error { return c.notFound("Integration", id) }

func (s *Service) getIntegration(c *call) (any, error) {
	var integ model.Integration
	err := c.view(func(tx store.Tx) error {
		if _, err := c.loadAPI(tx, c.label("apiId")); err != nil {
			return err
		}
		_, err := get(tx, kindIntegration, apiScope(c.Region, c.label("apiId")), c.label("integrationId"), &integ, c.integrationNotFound(c.label("integrationId")))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &integ, nil
}

func (s *Service) getIntegrations(c *call) (any, error) {
	if err := c.view(func(tx store.Tx) error { _, err := c.loadAPI(tx, c.label("apiId")); return err }); err != nil {
		return nil, err
	}
	return c.page(kindIntegration, apiScope(c.Region, c.label("apiId")), nil)
}

func (s *Service) updateIntegration(c *call) (any, error) {
	var integ model.Integration
	err := c.update(func(tx store.Tx) error {
		api, err := c.loadAPI(tx, c.label("apiId"))
		if err != nil {
			return err
		}
		scope := apiScope(c.Region, api.ApiId)
		id := c.label("integrationId")
		if _, err := get(tx, kindIntegration, scope, id, &integ, c.integrationNotFound(id)); err != nil {
			return err
		}
		managed := integ.ApiGatewayManaged
		if err := c.apply(&integ); err != nil {
			return err
		}
		integ.IntegrationId, integ.ApiGatewayManaged = id, managed
		if integ.ConnectionType == model.ConnectionInternet && c.Has("connectionType") &&
			(!c.Has("connectionId") || (integ.ConnectionId != nil && *integ.ConnectionId == "")) {
			integ.ConnectionId = nil // switching to INTERNET detaches the VPC link
		}
		pruneStrings(integ.RequestParameters)
		pruneStrings(integ.RequestTemplates)
		for k, m := range integ.ResponseParameters {
			pruneStrings(m)
			if len(m) == 0 {
				delete(integ.ResponseParameters, k)
			}
		}
		if err := c.checkIntegration(tx, api, &integ); err != nil {
			return err
		}
		if err := replace(tx, kindIntegration, scope, id, "", &integ, nil); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return &integ, nil
}

func (s *Service) deleteIntegration(c *call) (any, error) {
	return nil, c.update(func(tx store.Tx) error {
		api, err := c.loadAPI(tx, c.label("apiId"))
		if err != nil {
			return err
		}
		scope := apiScope(c.Region, api.ApiId)
		id := c.label("integrationId")
		var integ model.Integration
		if _, err := get(tx, kindIntegration, scope, id, &integ, c.integrationNotFound(id)); err != nil {
			return err
		}
		if integ.ApiGatewayManaged {
			return awserr.BadRequest("Cannot delete integration %s: it is managed by API Gateway (quick create). Delete the API instead", id)
		}
		routes, err := listAll[model.Route](tx, kindRoute, scope)
		if err != nil {
			return err
		}
		var users []string
		for _, r := range routes {
			if r.Target != nil && *r.Target == "integrations/"+id {
				users = append(users, r.RouteId)
			}
		}
		if len(users) > 0 {
			return awserr.Conflict("Cannot delete Integration because it is referenced by the following Routes with Ids: [%s]", strings.Join(users, ", "))
		}
		if err := tx.Delete(kindIntegration, scope, id); err != nil {
			return err
		}
		if err := tx.DeleteTree(childScope(scope, "integrations", id)); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
}

// pruneStrings deletes entries with empty values: in a v2 update, sending
// "key": "" removes the key [DG:http-api-parameter-mapping].
func pruneStrings(m map[string]string) {
	for k, v := range m {
		if v == "" {
			delete(m, k)
		}
	}
}

// checkIntegration applies AWS's defaults to integ and validates it for the API's protocol.
func (c *call) checkIntegration(tx store.Tx, api *model.Api, integ *model.Integration) error {
	if integ.ConnectionType == "" {
		integ.ConnectionType = model.ConnectionInternet
	}
	http := api.ProtocolType == model.ProtocolHTTP
	t := integ.IntegrationType
	if t == "" {
		return awserr.BadRequest("1 validation error detected: Value null at 'integrationType' failed to satisfy constraint: Member must not be null")
	}
	maxTimeout := model.MaxWebSocketTimeoutMillis
	if http {
		maxTimeout = model.MaxHTTPTimeoutMillis
	}
	if integ.TimeoutInMillis == 0 {
		integ.TimeoutInMillis = maxTimeout
	}
	if integ.TimeoutInMillis < model.MinTimeoutMillis || integ.TimeoutInMillis > maxTimeout {
		return awserr.BadRequest("Timeout must be between %d ms and %d ms", model.MinTimeoutMillis, maxTimeout)
	}
	if integ.PayloadFormatVersion == nil {
		integ.PayloadFormatVersion = ptr("1.0")
	}
	switch *integ.PayloadFormatVersion {
	case "1.0":
	case "2.0":
		if !http || t != model.IntegrationAWSProxy {
			return awserr.BadRequest("Payload format version 2.0 is supported only for AWS_PROXY integrations of HTTP APIs")
		}
	default:
		return awserr.BadRequest("Unsupported payload format version %s. Supported values are 1.0 and 2.0", *integ.PayloadFormatVersion)
	}
	if http {
		if err := c.checkHTTPIntegration(integ); err != nil {
			return err
		}
	} else if err := c.checkWebSocketIntegration(integ); err != nil {
		return err
	}
	if integ.Description != nil && len(*integ.Description) > 1024 {
		return awserr.BadRequest("Description must be at most 1024 characters")
	}
	switch integ.ConnectionType {
	case model.ConnectionVPCLink:
		if !http && t != model.IntegrationHTTP && t != model.IntegrationHTTPProxy {
			return awserr.BadRequest("VPC_LINK connections are supported only for HTTP and HTTP_PROXY integrations")
		}
		if integ.ConnectionId == nil || *integ.ConnectionId == "" {
			return awserr.BadRequest("ConnectionId must be specified for connection type VPC_LINK")
		}
		if http {
			if _, err := get(tx, kindVpcLink, regionScope(c.Region), *integ.ConnectionId, &model.VpcLink{},
				awserr.BadRequest("Invalid VpcLink identifier specified %s:%s", c.s.cfg.AccountID, *integ.ConnectionId)); err != nil {
				return err
			}
		}
	default:
		if integ.ConnectionId != nil {
			return awserr.BadRequest("ConnectionId can be specified only for connection type VPC_LINK")
		}
	}
	return nil
}

var lambdaARNRE = regexp.MustCompile(`^arn:aws[a-z\-]*:lambda:[a-z0-9\-]+:\d{12}:function:[A-Za-z0-9\-_]{1,64}(:[A-Za-z0-9\-_$]{1,128})?$`)
var lambdaPathARNRE = regexp.MustCompile(`^arn:aws[a-z\-]*:apigateway:[a-z0-9\-]+:lambda:path/2015-03-31/functions/(.+)/invocations$`)
var awsServiceARNRE = regexp.MustCompile(`^arn:aws[a-z\-]*:apigateway:[a-z0-9\-]+:[a-z0-9\-.]+:(path|action)/.+$`)

// isLambdaURI reports whether uri names a Lambda function, plainly or in the
// apigateway "lambda:path" invocation form. Stage variables may stand for any
// part of it (function:${stageVariables.fn}), resolved per stage at request time.
func isLambdaURI(uri string) bool {
	uri = stageVarRE.ReplaceAllString(uri, "stagevariable")
	if lambdaARNRE.MatchString(uri) {
		return true
	}
	m := lambdaPathARNRE.FindStringSubmatch(uri)
	return m != nil && lambdaARNRE.MatchString(m[1])
}

// stageVarRE matches ${stageVariables.name}, which integration URIs may use in
// any position, host included [DG:http-api-stages].
var stageVarRE = regexp.MustCompile(`\$\{stageVariables\.[A-Za-z0-9_]+\}`)

func validHTTPURL(s string) bool {
	s = stageVarRE.ReplaceAllString(s, "stagevariable")
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (c *call) checkHTTPIntegration(integ *model.Integration) error {
	for name, set := range map[string]bool{
		"passthroughBehavior":                    integ.PassthroughBehavior != nil,
		"contentHandlingStrategy":                integ.ContentHandlingStrategy != nil,
		"requestTemplates":                       len(integ.RequestTemplates) > 0,
		"templateSelectionExpression":            integ.TemplateSelectionExpression != nil,
		"integrationResponseSelectionExpression": integ.IntegrationResponseSelectionExpression != nil,
	} {
		if set {
			return awserr.BadRequest("%s is supported only for WebSocket APIs", name)
		}
	}
	switch integ.IntegrationType {
	case model.IntegrationHTTPProxy:
		if integ.IntegrationUri == nil {
			return awserr.BadRequest("IntegrationUri must be specified for HTTP_PROXY integrations")
		}
		if integ.IntegrationMethod == nil {
			return awserr.BadRequest("IntegrationMethod must be specified for HTTP_PROXY integrations")
		}
		if m := *integ.IntegrationMethod; m != "ANY" && !httpMethods[m] {
			return awserr.BadRequest("Invalid integration method specified: %s", m)
		}
		if integ.ConnectionType == model.ConnectionVPCLink {
			if !strings.HasPrefix(*integ.IntegrationUri, "arn:") {
				return awserr.BadRequest("For a VPC_LINK integration, IntegrationUri must be the ARN of a load balancer listener or a Cloud Map service")
			}
		} else if !validHTTPURL(*integ.IntegrationUri) {
			return awserr.BadRequest("Invalid HTTP endpoint specified for URI")
		}
		if integ.IntegrationSubtype != nil {
			return awserr.BadRequest("IntegrationSubtype is supported only for AWS_PROXY integrations")
		}
	case model.IntegrationAWSProxy:
		if integ.IntegrationSubtype != nil {
			if len(integ.RequestParameters) == 0 {
				return awserr.BadRequest("RequestParameters must be specified for integration subtype %s", *integ.IntegrationSubtype)
			}
			if *integ.PayloadFormatVersion != "1.0" {
				return awserr.BadRequest("Integrations with a subtype support only payload format version 1.0")
			}
			break
		}
		if integ.IntegrationUri == nil {
			return awserr.BadRequest("IntegrationUri must be specified for AWS_PROXY integrations")
		}
		if !isLambdaURI(*integ.IntegrationUri) {
			return awserr.BadRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.")
		}
		if integ.IntegrationMethod == nil {
			integ.IntegrationMethod = ptr("POST")
		}
		if integ.ConnectionType != model.ConnectionInternet {
			return awserr.BadRequest("AWS_PROXY integrations support only connection type INTERNET")
		}
	default:
		return awserr.BadRequest("Integration type %s is not supported for HTTP APIs. Supported types are AWS_PROXY and HTTP_PROXY", integ.IntegrationType)
	}
	if integ.IntegrationSubtype == nil {
		if err := validateHTTPRequestParameters(integ.RequestParameters); err != nil {
			return err
		}
	}
	return validateHTTPResponseParameters(integ.ResponseParameters)
}

var wsRequestParamKeyRE = regexp.MustCompile(`^integration\.request\.(header|querystring|path)\.[A-Za-z0-9._\-]+$`)

func (c *call) checkWebSocketIntegration(integ *model.Integration) error {
	if len(integ.ResponseParameters) > 0 {
		return awserr.BadRequest("responseParameters is supported only for HTTP APIs")
	}
	if integ.TlsConfig != nil {
		return awserr.BadRequest("tlsConfig is supported only for HTTP APIs")
	}
	if integ.IntegrationSubtype != nil {
		return awserr.BadRequest("IntegrationSubtype is supported only for HTTP APIs")
	}
	t := integ.IntegrationType
	switch t {
	case model.IntegrationHTTP, model.IntegrationHTTPProxy:
		if integ.IntegrationUri == nil || (integ.ConnectionType == model.ConnectionInternet && !validHTTPURL(*integ.IntegrationUri)) {
			return awserr.BadRequest("Invalid HTTP endpoint specified for URI")
		}
		if integ.IntegrationMethod == nil {
			return awserr.BadRequest("IntegrationMethod must be specified for %s integrations", t)
		}
	case model.IntegrationAWS, model.IntegrationAWSProxy:
		if integ.IntegrationUri == nil {
			return awserr.BadRequest("IntegrationUri must be specified for %s integrations", t)
		}
		if !isLambdaURI(*integ.IntegrationUri) && !awsServiceARNRE.MatchString(*integ.IntegrationUri) {
			return awserr.BadRequest("AWS ARN for integration must contain path or action")
		}
		if t == model.IntegrationAWSProxy && !isLambdaURI(*integ.IntegrationUri) {
			return awserr.BadRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.")
		}
		if integ.IntegrationMethod == nil && isLambdaURI(*integ.IntegrationUri) {
			integ.IntegrationMethod = ptr("POST")
		}
	case model.IntegrationMock:
	}
	if t != model.IntegrationAWSProxy && t != model.IntegrationHTTPProxy {
		if integ.PassthroughBehavior == nil {
			integ.PassthroughBehavior = ptr("WHEN_NO_MATCH")
		}
		// API Gateway selects integration responses by status code, or for Lambda
		// custom integrations by the function's error message; it reports the
		// expression it uses (clients cannot set it).
		integ.IntegrationResponseSelectionExpression = ptr("${integration.response.statuscode}")
		if t == model.IntegrationAWS && isLambdaURI(*integ.IntegrationUri) {
			integ.IntegrationResponseSelectionExpression = ptr("${integration.response.body.errorMessage}")
		}
	} else {
		integ.IntegrationResponseSelectionExpression = nil
	}
	for k, v := range integ.RequestParameters {
		if !wsRequestParamKeyRE.MatchString(k) {
			return awserr.BadRequest("Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: %s]", k)
		}
		if v == "" {
			return awserr.BadRequest("Invalid mapping expression specified: the value for %s must not be empty", k)
		}
	}
	for ct, tpl := range integ.RequestTemplates {
		if len(tpl) > 32768 {
			return awserr.BadRequest("Request template for %s exceeds 32768 characters", ct)
		}
	}
	return nil
}

// Integration responses (WebSocket APIs).

var responseKeyRE = regexp.MustCompile(`^(\$default|/.+/)$`)

func (c *call) integrationResponseScope(tx store.Tx) (*model.Api, string, error) {
	api, err := c.loadAPI(tx, c.label("apiId"))
	if err != nil {
		return nil, "", err
	}
	scope := apiScope(c.Region, api.ApiId)
	id := c.label("integrationId")
	if _, err := get(tx, kindIntegration, scope, id, &model.Integration{}, c.integrationNotFound(id)); err != nil {
		return nil, "", err
	}
	return api, childScope(scope, "integrations", id), nil
}

func checkIntegrationResponse(api *model.Api, ir *model.IntegrationResponse) error {
	if api.ProtocolType != model.ProtocolWebSocket {
		return awserr.BadRequest("Integration responses are supported only for WebSocket APIs")
	}
	if !responseKeyRE.MatchString(ir.IntegrationResponseKey) {
		return awserr.BadRequest("Invalid integration response key %s: use $default or a /regex/ such as /4\\d\\d/", ir.IntegrationResponseKey)
	}
	if k := ir.IntegrationResponseKey; k != "$default" {
		if _, err := regexp.Compile(k[1 : len(k)-1]); err != nil {
			return awserr.BadRequest("Invalid integration response key %s: %v", k, err)
		}
	}
	return nil
}

func (c *call) integrationResponseConflict(key string) error {
	return awserr.Conflict("An integration response with key '%s' already exists for this integration", key)
}

func (s *Service) createIntegrationResponse(c *call) (any, error) {
	var ir model.IntegrationResponse
	if err := c.apply(&ir); err != nil {
		return nil, err
	}
	err := c.update(func(tx store.Tx) error {
		api, scope, err := c.integrationResponseScope(tx)
		if err != nil {
			return err
		}
		if err := checkIntegrationResponse(api, &ir); err != nil {
			return err
		}
		if err := c.insertNew(tx, kindIntegrationResponse, scope, childIDLen, &ir.IntegrationResponseId, ir.IntegrationResponseKey, &ir,
			c.integrationResponseConflict(ir.IntegrationResponseKey)); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return &ir, nil
}

func (s *Service) getIntegrationResponse(c *call) (any, error) {
	var ir model.IntegrationResponse
	err := c.view(func(tx store.Tx) error {
		_, scope, err := c.integrationResponseScope(tx)
		if err != nil {
			return err
		}
		id := c.label("integrationResponseId")
		_, err = get(tx, kindIntegrationResponse, scope, id, &ir, c.notFound("IntegrationResponse", id))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ir, nil
}

func (s *Service) getIntegrationResponses(c *call) (any, error) {
	var scope string
	if err := c.view(func(tx store.Tx) (err error) { _, scope, err = c.integrationResponseScope(tx); return }); err != nil {
		return nil, err
	}
	return c.page(kindIntegrationResponse, scope, nil)
}

func (s *Service) updateIntegrationResponse(c *call) (any, error) {
	var ir model.IntegrationResponse
	err := c.update(func(tx store.Tx) error {
		api, scope, err := c.integrationResponseScope(tx)
		if err != nil {
			return err
		}
		id := c.label("integrationResponseId")
		if _, err := get(tx, kindIntegrationResponse, scope, id, &ir, c.notFound("IntegrationResponse", id)); err != nil {
			return err
		}
		if err := c.apply(&ir); err != nil {
			return err
		}
		ir.IntegrationResponseId = id
		pruneStrings(ir.ResponseParameters)
		pruneStrings(ir.ResponseTemplates)
		if err := checkIntegrationResponse(api, &ir); err != nil {
			return err
		}
		if err := replace(tx, kindIntegrationResponse, scope, id, ir.IntegrationResponseKey, &ir,
			c.integrationResponseConflict(ir.IntegrationResponseKey)); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return &ir, nil
}

func (s *Service) deleteIntegrationResponse(c *call) (any, error) {
	return nil, c.update(func(tx store.Tx) error {
		api, scope, err := c.integrationResponseScope(tx)
		if err != nil {
			return err
		}
		id := c.label("integrationResponseId")
		if err := del(tx, kindIntegrationResponse, scope, id, c.notFound("IntegrationResponse", id)); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
}
