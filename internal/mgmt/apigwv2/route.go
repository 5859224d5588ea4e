package apigwv2

import (
	"regexp"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

func (c *call) routeNotFound(id string) error { return c.notFound("Route", id) }

func (c *call) routeConflict(key string) error {
	return awserr.Conflict("Unable to create route %s: a route with this key already exists in API %s", key, c.label("apiId"))
}

var wsRouteParamRE = regexp.MustCompile(`^route\.request\.(header|querystring)\.[A-Za-z0-9._\-]+$`)

// checkRoute applies defaults and validates a route against its API.
func (c *call) checkRoute(tx store.Tx, api *model.Api, r *model.Route) error {
	if err := validateRouteKey(api, r.RouteKey); err != nil {
		return err
	}
	ws := api.ProtocolType == model.ProtocolWebSocket
	if r.AuthorizationType == "" {
		r.AuthorizationType = "NONE"
	}
	scope := apiScope(c.Region, api.ApiId)
	switch r.AuthorizationType {
	case "NONE", "AWS_IAM":
		if r.AuthorizerId != nil {
			return awserr.BadRequest("An authorizerId can be set only with authorization type CUSTOM or JWT")
		}
	case "JWT", "CUSTOM":
		if ws && r.AuthorizationType == "JWT" {
			return awserr.BadRequest("Authorization type JWT is supported only for HTTP APIs")
		}
		if r.AuthorizerId == nil {
			return awserr.BadRequest("Unable to create route. Authorization type %s requires an authorizerId", r.AuthorizationType)
		}
		var a model.Authorizer
		if _, err := get(tx, kindAuthorizer, scope, *r.AuthorizerId, &a,
			awserr.BadRequest("Invalid authorizer identifier specified %s:%s", c.s.cfg.AccountID, *r.AuthorizerId)); err != nil {
			return err
		}
		want := map[string]string{"JWT": "JWT", "CUSTOM": "REQUEST"}[r.AuthorizationType]
		if a.AuthorizerType != want {
			return awserr.BadRequest("Authorization type %s requires an authorizer of type %s; authorizer %s is of type %s", r.AuthorizationType, want, a.AuthorizerId, a.AuthorizerType)
		}
	}
	if len(r.AuthorizationScopes) > 0 && r.AuthorizationType != "JWT" && r.AuthorizationType != "CUSTOM" {
		return awserr.BadRequest("Authorization scopes are supported only for JWT and CUSTOM authorization")
	}
	if !ws {
		for name, set := range map[string]bool{
			"apiKeyRequired":                   r.ApiKeyRequired,
			"requestParameters":                len(r.RequestParameters) > 0,
			"requestModels":                    len(r.RequestModels) > 0,
			"modelSelectionExpression":         r.ModelSelectionExpression != nil,
			"routeResponseSelectionExpression": r.RouteResponseSelectionExpression != nil,
		} {
			if set {
				return awserr.BadRequest("%s is supported only for WebSocket APIs", name)
			}
		}
	}
	for k := range r.RequestParameters {
		if !wsRouteParamRE.MatchString(k) {
			return awserr.BadRequest("Invalid route request parameter %s: use route.request.header.name or route.request.querystring.name", k)
		}
	}
	if r.Target != nil {
		id, ok := strings.CutPrefix(*r.Target, "integrations/")
		if !ok || id == "" {
			return awserr.BadRequest("Invalid target specified %s. A target must have the form integrations/{integrationId}", *r.Target)
		}
		if _, err := get(tx, kindIntegration, scope, id, &model.Integration{},
			awserr.BadRequest("Invalid target specified %s: integration %s does not exist in API %s", *r.Target, id, api.ApiId)); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) createRoute(c *call) (any, error) {
	var r model.Route
	if err := c.apply(&r); err != nil {
		return nil, err
	}
	err := c.update(func(tx store.Tx) error {
		api, err := c.loadAPI(tx, c.label("apiId"))
		if err != nil {
			return err
		}
		if s.cfg.MaxRoutes > 0 {
			n, err := tx.Count(kindRoute, apiScope(c.Region, api.ApiId))
			if err != nil {
				return err
			}
			if n >= s.cfg.MaxRoutes {
				return awserr.BadRequest("Maximum number of routes (%d) reached for API %s; raise it with --max-routes", s.cfg.MaxRoutes, api.ApiId)
			}
		}
		r.ApiGatewayManaged = false
		if err := c.checkRoute(tx, api, &r); err != nil {
			return err
		}
		if err := c.insertNew(tx, kindRoute, apiScope(c.Region, api.ApiId), childIDLen, &r.RouteId, r.RouteKey, &r, c.routeConflict(r.RouteKey)); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func (c *call) loadRoute(tx store.Tx) (*model.Api, *model.Route, error) {
	api, err := c.loadAPI(tx, c.label("apiId"))
	if err != nil {
		return nil, nil, err
	}
	var r model.Route
	id := c.label("routeId")
	_, err = get(tx, kindRoute, apiScope(c.Region, api.ApiId), id, &r, c.routeNotFound(id))
	return api, &r, err
}

func (s *Service) getRoute(c *call) (any, error) {
	var r *model.Route
	err := c.view(func(tx store.Tx) (err error) { _, r, err = c.loadRoute(tx); return })
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (s *Service) getRoutes(c *call) (any, error) {
	if err := c.view(func(tx store.Tx) error { _, err := c.loadAPI(tx, c.label("apiId")); return err }); err != nil {
		return nil, err
	}
	return c.page(kindRoute, apiScope(c.Region, c.label("apiId")), nil)
}

func (s *Service) updateRoute(c *call) (any, error) {
	var r *model.Route
	err := c.update(func(tx store.Tx) error {
		api, route, err := c.loadRoute(tx)
		if err != nil {
			return err
		}
		r = route
		id, managed := r.RouteId, r.ApiGatewayManaged
		if err := c.apply(r); err != nil {
			return err
		}
		r.RouteId, r.ApiGatewayManaged = id, managed
		// An empty target or authorizerId detaches it.
		if r.Target != nil && *r.Target == "" {
			r.Target = nil
		}
		if r.AuthorizerId != nil && *r.AuthorizerId == "" {
			r.AuthorizerId = nil
		}
		if r.AuthorizationType == "NONE" || r.AuthorizationType == "AWS_IAM" {
			if c.Has("authorizationType") && !c.Has("authorizerId") {
				r.AuthorizerId = nil // switching away from an authorizer detaches it
			}
		}
		for k, v := range r.RequestModels {
			if v == "" {
				delete(r.RequestModels, k)
			}
		}
		if err := c.checkRoute(tx, api, r); err != nil {
			return err
		}
		if err := replace(tx, kindRoute, apiScope(c.Region, api.ApiId), r.RouteId, r.RouteKey, r, c.routeConflict(r.RouteKey)); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (s *Service) deleteRoute(c *call) (any, error) {
	return nil, c.update(func(tx store.Tx) error {
		api, r, err := c.loadRoute(tx)
		if err != nil {
			return err
		}
		if r.ApiGatewayManaged {
			return awserr.BadRequest("Cannot delete route %s: it is managed by API Gateway (quick create). Delete the API instead", r.RouteId)
		}
		scope := apiScope(c.Region, api.ApiId)
		if err := tx.Delete(kindRoute, scope, r.RouteId); err != nil {
			return err
		}
		if err := tx.DeleteTree(childScope(scope, "routes", r.RouteId)); err != nil {
			return err
		}
		if err := c.dropRouteSettings(tx, api, r.RouteKey); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
}

func (s *Service) deleteRouteRequestParameter(c *call) (any, error) {
	return nil, c.update(func(tx store.Tx) error {
		api, r, err := c.loadRoute(tx)
		if err != nil {
			return err
		}
		key := c.label("requestParameterKey")
		if _, ok := r.RequestParameters[key]; !ok {
			return awserr.NotFound("Invalid request parameter key specified: %s", key)
		}
		delete(r.RequestParameters, key)
		if err := replace(tx, kindRoute, apiScope(c.Region, api.ApiId), r.RouteId, r.RouteKey, r, nil); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
}

// Route responses (WebSocket APIs).

func (c *call) routeResponseScope(tx store.Tx) (*model.Api, string, error) {
	api, r, err := c.loadRoute(tx)
	if err != nil {
		return nil, "", err
	}
	return api, childScope(apiScope(c.Region, api.ApiId), "routes", r.RouteId), nil
}

func checkRouteResponse(api *model.Api, rr *model.RouteResponse) error {
	if api.ProtocolType != model.ProtocolWebSocket {
		return awserr.BadRequest("Route responses are supported only for WebSocket APIs")
	}
	if rr.RouteResponseKey != "$default" {
		return awserr.BadRequest("Invalid route response key %s: only $default is supported", rr.RouteResponseKey)
	}
	return nil
}

func routeResponseConflict(key string) error {
	return awserr.Conflict("A route response with key '%s' already exists for this route", key)
}

func (s *Service) createRouteResponse(c *call) (any, error) {
	var rr model.RouteResponse
	if err := c.apply(&rr); err != nil {
		return nil, err
	}
	err := c.update(func(tx store.Tx) error {
		api, scope, err := c.routeResponseScope(tx)
		if err != nil {
			return err
		}
		if err := checkRouteResponse(api, &rr); err != nil {
			return err
		}
		if err := c.insertNew(tx, kindRouteResponse, scope, childIDLen, &rr.RouteResponseId, rr.RouteResponseKey, &rr, routeResponseConflict(rr.RouteResponseKey)); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return &rr, nil
}

func (s *Service) getRouteResponse(c *call) (any, error) {
	var rr model.RouteResponse
	err := c.view(func(tx store.Tx) error {
		_, scope, err := c.routeResponseScope(tx)
		if err != nil {
			return err
		}
		id := c.label("routeResponseId")
		_, err = get(tx, kindRouteResponse, scope, id, &rr, c.notFound("RouteResponse", id))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &rr, nil
}

func (s *Service) getRouteResponses(c *call) (any, error) {
	var scope string
	if err := c.view(func(tx store.Tx) (err error) { _, scope, err = c.routeResponseScope(tx); return }); err != nil {
		return nil, err
	}
	return c.page(kindRouteResponse, scope, nil)
}

func (s *Service) updateRouteResponse(c *call) (any, error) {
	var rr model.RouteResponse
	err := c.update(func(tx store.Tx) error {
		api, scope, err := c.routeResponseScope(tx)
		if err != nil {
			return err
		}
		id := c.label("routeResponseId")
		if _, err := get(tx, kindRouteResponse, scope, id, &rr, c.notFound("RouteResponse", id)); err != nil {
			return err
		}
		if err := c.apply(&rr); err != nil {
			return err
		}
		rr.RouteResponseId = id
		if err := checkRouteResponse(api, &rr); err != nil {
			return err
		}
		if err := replace(tx, kindRouteResponse, scope, id, rr.RouteResponseKey, &rr, routeResponseConflict(rr.RouteResponseKey)); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return &rr, nil
}

func (s *Service) deleteRouteResponse(c *call) (any, error) {
	return nil, c.update(func(tx store.Tx) error {
		api, scope, err := c.routeResponseScope(tx)
		if err != nil {
			return err
		}
		id := c.label("routeResponseId")
		if err := del(tx, kindRouteResponse, scope, id, c.notFound("RouteResponse", id)); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
}

// dropRouteSettings removes a deleted route's key from every stage's routeSettings.
func (c *call) dropRouteSettings(tx store.Tx, api *model.Api, key string) error {
	scope := apiScope(c.Region, api.ApiId)
	stages, err := listAll[model.Stage](tx, kindStage, scope)
	if err != nil {
		return err
	}
	for _, st := range stages {
		if _, ok := st.RouteSettings[key]; ok {
			delete(st.RouteSettings, key)
			if err := replace(tx, kindStage, scope, st.StageName, "", &st, nil); err != nil {
				return err
			}
		}
	}
	return nil
}
