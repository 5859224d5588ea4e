package apigwv2

import (
	"regexp"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

var (
	httpIdentitySourceRE = regexp.MustCompile(`^\$(request\.header|request\.querystring|context|stageVariables)\.[A-Za-z0-9._\-]+$`)
	jwtIdentitySourceRE  = regexp.MustCompile(`^\$request\.(header|querystring)\.[A-Za-z0-9._\-]+$`)
	wsIdentitySourceRE   = regexp.MustCompile(`^(route\.request\.header|route\.request\.querystring|context|stageVariables)\.[A-Za-z0-9._\-]+$`)
)

// checkAuthorizer validates an authorizer for its API's protocol
// [DG:http-api-jwt-authorizer, DG:http-api-lambda-authorizer].
func checkAuthorizer(api *model.Api, a *model.Authorizer) error {
	if a.Name == "" || len(a.Name) > 128 {
		return awserr.BadRequest("Authorizer name must be 1-128 characters")
	}
	ws := api.ProtocolType == model.ProtocolWebSocket
	switch a.AuthorizerType {
	case "JWT":
		if ws {
			return awserr.BadRequest("JWT authorizers are supported only for HTTP APIs")
		}
		if a.JwtConfiguration == nil || a.JwtConfiguration.Issuer == nil || *a.JwtConfiguration.Issuer == "" {
			return awserr.BadRequest("JwtConfiguration with an issuer is required for JWT authorizers")
		}
		if len(a.JwtConfiguration.Audience) == 0 {
			return awserr.BadRequest("JwtConfiguration must specify at least one audience")
		}
		if len(a.JwtConfiguration.Audience) > 50 {
			return awserr.BadRequest("A JWT authorizer can have at most 50 audiences")
		}
		if len(a.IdentitySource) != 1 || !jwtIdentitySourceRE.MatchString(a.IdentitySource[0]) {
			return awserr.BadRequest("JWT authorizers need exactly one identity source of the form $request.header.name or $request.querystring.name")
		}
		if a.AuthorizerUri != nil || a.AuthorizerPayloadFormatVersion != nil || a.EnableSimpleResponses != nil {
			return awserr.BadRequest("authorizerUri, authorizerPayloadFormatVersion and enableSimpleResponses apply only to REQUEST authorizers")
		}
	case "REQUEST":
		if a.AuthorizerUri == nil || !isLambdaURI(*a.AuthorizerUri) {
			return awserr.BadRequest("AuthorizerUri must be a Lambda function invocation ARN (arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations)")
		}
		if a.JwtConfiguration != nil {
			return awserr.BadRequest("JwtConfiguration applies only to JWT authorizers")
		}
		re := httpIdentitySourceRE
		if ws {
			re = wsIdentitySourceRE
		} else {
			if a.AuthorizerPayloadFormatVersion == nil {
				return awserr.BadRequest("AuthorizerPayloadFormatVersion is required for REQUEST authorizers of HTTP APIs")
			}
			if v := *a.AuthorizerPayloadFormatVersion; v != "1.0" && v != "2.0" {
				return awserr.BadRequest("Unsupported authorizer payload format version %s. Supported values are 1.0 and 2.0", v)
			}
			if a.EnableSimpleResponses != nil && *a.EnableSimpleResponses && *a.AuthorizerPayloadFormatVersion != "2.0" {
				return awserr.BadRequest("Simple responses are supported only with authorizer payload format version 2.0")
			}
		}
		for _, src := range a.IdentitySource {
			if !re.MatchString(src) {
				return awserr.BadRequest("Invalid identity source specified: %s", src)
			}
		}
		if a.AuthorizerResultTtlInSeconds != nil && *a.AuthorizerResultTtlInSeconds > 0 && len(a.IdentitySource) == 0 {
			return awserr.BadRequest("Identity sources are required when authorizer caching is enabled (authorizerResultTtlInSeconds > 0)")
		}
	}
	return nil
}

func (c *call) authorizerNotFound(id string) error { return c.notFound("Authorizer", id) }

func (s *Service) createAuthorizer(c *call) (any, error) {
	var a model.Authorizer
	if err := c.apply(&a); err != nil {
		return nil, err
	}
	err := c.update(func(tx store.Tx) error {
		api, err := c.loadAPI(tx, c.label("apiId"))
		if err != nil {
			return err
		}
		if err := checkAuthorizer(api, &a); err != nil {
			return err
		}
		if err := c.insertNew(tx, kindAuthorizer, apiScope(c.Region, api.ApiId), 6, &a.AuthorizerId, "", &a, nil); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

func (c *call) loadAuthorizer(tx store.Tx) (*model.Api, *model.Authorizer, error) {
	api, err := c.loadAPI(tx, c.label("apiId"))
	if err != nil {
		return nil, nil, err
	}
	var a model.Authorizer
	id := c.label("authorizerId")
	_, err = get(tx, kindAuthorizer, apiScope(c.Region, api.ApiId), id, &a, c.authorizerNotFound(id))
	return api, &a, err
}

func (s *Service) getAuthorizer(c *call) (any, error) {
	var a *model.Authorizer
	if err := c.view(func(tx store.Tx) (err error) { _, a, err = c.loadAuthorizer(tx); return }); err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Service) getAuthorizers(c *call) (any, error) {
	if err := c.view(func(tx store.Tx) error { _, err := c.loadAPI(tx, c.label("apiId")); return err }); err != nil {
		return nil, err
	}
	return c.page(kindAuthorizer, apiScope(c.Region, c.label("apiId")), nil)
}

func (s *Service) updateAuthorizer(c *call) (any, error) {
	var a *model.Authorizer
	err := c.update(func(tx store.Tx) error {
		api, auth, err := c.loadAuthorizer(tx)
		if err != nil {
			return err
		}
		a = auth
		id := a.AuthorizerId
		if err := c.apply(a); err != nil {
			return err
		}
		a.AuthorizerId = id
		if err := checkAuthorizer(api, a); err != nil {
			return err
		}
		if err := replace(tx, kindAuthorizer, apiScope(c.Region, api.ApiId), id, "", a, nil); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Service) deleteAuthorizer(c *call) (any, error) {
	return nil, c.update(func(tx store.Tx) error {
		api, a, err := c.loadAuthorizer(tx)
		if err != nil {
			return err
		}
		scope := apiScope(c.Region, api.ApiId)
		routes, err := listAll[model.Route](tx, kindRoute, scope)
		if err != nil {
			return err
		}
		for _, r := range routes {
			if r.AuthorizerId != nil && *r.AuthorizerId == a.AuthorizerId {
				return awserr.Conflict("Cannot delete authorizer '%s', is referenced in route: %s", a.Name, r.RouteKey)
			}
		}
		if err := tx.Delete(kindAuthorizer, scope, a.AuthorizerId); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
}
