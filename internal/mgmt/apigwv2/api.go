package apigwv2

import (
	"encoding/json"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// customIDTag lets CreateApi choose the API id (stable ids and URLs across runs).
const customIDTag = "_custom_id_"

func (s *Service) createAPI(c *call) (any, error) {
	api := model.Api{}
	if err := c.apply(&api); err != nil {
		return nil, err
	}
	var qc model.QuickCreate
	if err := c.apply(&qc); err != nil {
		return nil, err
	}
	customID, custom := api.Tags[customIDTag]
	if custom {
		if !validCustomID(customID) {
			return nil, awserr.BadRequest("Invalid %s tag value '%s': use 1-64 characters from [A-Za-z0-9_-]", customIDTag, customID)
		}
		api.ApiId = customID
	}
	if api.Tags == nil {
		api.Tags = model.Tags{}
	}
	api.CreatedDate = c.now()
	if err := validateAPI(&api, true); err != nil {
		return nil, err
	}
	if qc.Target != nil || qc.RouteKey != nil || qc.CredentialsArn != nil {
		if api.ProtocolType != model.ProtocolHTTP {
			return nil, awserr.BadRequest("Quick create (target, routeKey, credentialsArn) is only supported for HTTP APIs")
		}
		if qc.Target == nil {
			return nil, awserr.BadRequest("A target is required when routeKey or credentialsArn is specified")
		}
	}
	err := c.update(func(tx store.Tx) error {
		if err := tagsValid(api.Tags); err != nil {
			return err
		}
		var err error
		if custom {
			err = insert(tx, kindAPI, regionScope(c.Region), api.ApiId, "", &api,
				awserr.Conflict("An API with id '%s' already exists", api.ApiId))
		} else {
			err = c.insertNew(tx, kindAPI, regionScope(c.Region), apiIDLen, &api.ApiId, "", &api, nil)
		}
		if err != nil {
			return err
		}
		if qc.Target != nil {
			return c.quickCreate(tx, &api, qc)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.renderAPI(c.Region, &api), nil
}

// quickCreate makes the managed integration, route and $default stage of a quick-created HTTP API.
func (c *call) quickCreate(tx store.Tx, api *model.Api, qc model.QuickCreate) error {
	scope := apiScope(c.Region, api.ApiId)
	integ := model.Integration{
		ApiGatewayManaged: true,
		ConnectionType:    model.ConnectionInternet,
		CredentialsArn:    qc.CredentialsArn,
		IntegrationUri:    qc.Target,
		TimeoutInMillis:   model.MaxHTTPTimeoutMillis,
	}
	setQuickCreateType(&integ, *qc.Target)
	if err := c.checkIntegration(tx, api, &integ); err != nil {
		return err
	}
	if err := c.insertNew(tx, kindIntegration, scope, childIDLen, &integ.IntegrationId, "", &integ, nil); err != nil {
		return err
	}
	routeKey := "$default"
	if qc.RouteKey != nil {
		routeKey = *qc.RouteKey
	}
	route := model.Route{
		ApiGatewayManaged: true,
		RouteKey:          routeKey,
		AuthorizationType: "NONE",
		Target:            ptr("integrations/" + integ.IntegrationId),
	}
	if err := validateRouteKey(api, routeKey); err != nil {
		return err
	}
	if err := c.insertNew(tx, kindRoute, scope, childIDLen, &route.RouteId, route.RouteKey, &route, nil); err != nil {
		return err
	}
	now := c.now()
	stage := model.Stage{
		ApiGatewayManaged:    true,
		AutoDeploy:           true,
		StageName:            "$default",
		CreatedDate:          now,
		LastUpdatedDate:      now,
		DefaultRouteSettings: &model.RouteSettings{DetailedMetricsEnabled: ptr(false)},
		RouteSettings:        map[string]model.RouteSettings{},
		StageVariables:       map[string]string{},
		Tags:                 model.Tags{},
	}
	if err := insert(tx, kindStage, scope, stage.StageName, "", &stage, nil); err != nil {
		return err
	}
	return c.autoDeploy(tx, api)
}

// isLambdaTarget reports whether a quick-create target is a Lambda function
// (plain or apigateway-path ARN) rather than an HTTP URL.
func isLambdaTarget(t string) bool {
	return strings.HasPrefix(t, "arn:") && (strings.Contains(t, ":lambda:") || strings.Contains(t, ":function:"))
}

func validCustomID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// renderAPI returns the API as sent on the wire, with its endpoint.
func (s *Service) renderAPI(region string, api *model.Api) *model.Api {
	out := *api
	out.ApiEndpoint = s.cfg.Endpoint(region, api.ApiId, api.ProtocolType)
	return &out
}

// loadAPI fetches an API in the call's region.
func (c *call) loadAPI(tx store.Tx, id string) (*model.Api, error) {
	var api model.Api
	_, err := get(tx, kindAPI, regionScope(c.Region), id, &api, c.apiNotFound(id))
	return &api, err
}

// loadAPIMeta fetches only what child-resource handlers need of an API (its
// id and protocol), without decoding the whole document.
func (c *call) loadAPIMeta(tx store.Tx, id string) (*model.Api, error) {
	ftx, _ := tx.(*factTx)
	if ftx != nil {
		if p, ok := ftx.fc.lookupProtocol(apiScope(c.Region, id)); ok {
			return &model.Api{ApiId: id, ProtocolType: p}, nil
		}
	}
	var meta struct {
		ApiId        string `json:"apiId"`
		ProtocolType string `json:"protocolType"`
	}
	if _, err := get(tx, kindAPI, regionScope(c.Region), id, &meta, c.apiNotFound(id)); err != nil {
		return nil, err
	}
	if ftx != nil {
		ftx.learnProtocol(apiScope(c.Region, id), meta.ProtocolType)
	}
	return &model.Api{ApiId: meta.ApiId, ProtocolType: meta.ProtocolType}, nil
}

func (s *Service) getAPI(c *call) (any, error) {
	var api *model.Api
	err := c.view(func(tx store.Tx) (err error) { api, err = c.loadAPI(tx, c.label("apiId")); return })
	if err != nil {
		return nil, err
	}
	return s.renderAPI(c.Region, api), nil
}

func (s *Service) getAPIs(c *call) (any, error) {
	return c.page(kindAPI, regionScope(c.Region), func(b []byte) ([]byte, error) {
		var api model.Api
		if err := json.Unmarshal(b, &api); err != nil {
			return nil, err
		}
		return json.Marshal(s.renderAPI(c.Region, &api))
	})
}

func (s *Service) updateAPI(c *call) (any, error) {
	var api *model.Api
	err := c.update(func(tx store.Tx) (err error) {
		if api, err = c.loadAPI(tx, c.label("apiId")); err != nil {
			return err
		}
		before := *api
		if err := c.apply(api); err != nil {
			return err
		}
		// Immutable and read-only fields.
		api.ApiId, api.ProtocolType, api.CreatedDate, api.Tags = before.ApiId, before.ProtocolType, before.CreatedDate, before.Tags
		if err := validateAPI(api, false); err != nil {
			return err
		}
		var qc model.QuickCreate
		if err := c.apply(&qc); err != nil {
			return err
		}
		if err := c.updateQuickCreate(tx, api, qc); err != nil {
			return err
		}
		if err := replace(tx, kindAPI, regionScope(c.Region), api.ApiId, "", api, nil); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return s.renderAPI(c.Region, api), nil
}

// updateQuickCreate applies UpdateApi's target/routeKey/credentialsArn to the
// API's managed integration and route.
func (c *call) updateQuickCreate(tx store.Tx, api *model.Api, qc model.QuickCreate) error {
	if qc.Target == nil && qc.RouteKey == nil && qc.CredentialsArn == nil {
		return nil
	}
	scope := apiScope(c.Region, api.ApiId)
	routes, err := listAll[model.Route](tx, kindRoute, scope)
	if err != nil {
		return err
	}
	managed := false
	for _, r := range routes {
		if !r.ApiGatewayManaged {
			continue
		}
		managed = true
		if qc.RouteKey != nil && *qc.RouteKey != r.RouteKey {
			if err := validateRouteKey(api, *qc.RouteKey); err != nil {
				return err
			}
			r.RouteKey = *qc.RouteKey
			if err := replace(tx, kindRoute, scope, r.RouteId, r.RouteKey, &r, c.routeConflict(r.RouteKey)); err != nil {
				return err
			}
		}
		if r.Target == nil || (qc.Target == nil && qc.CredentialsArn == nil) {
			continue
		}
		id := strings.TrimPrefix(*r.Target, "integrations/")
		var integ model.Integration
		if _, err := get(tx, kindIntegration, scope, id, &integ, c.integrationNotFound(id)); err != nil {
			return err
		}
		if qc.Target != nil {
			integ.IntegrationUri = qc.Target
			setQuickCreateType(&integ, *qc.Target)
		}
		if qc.CredentialsArn != nil {
			integ.CredentialsArn = qc.CredentialsArn
		}
		if err := c.checkIntegration(tx, api, &integ); err != nil {
			return err
		}
		if err := replace(tx, kindIntegration, scope, id, "", &integ, nil); err != nil {
			return err
		}
	}
	if !managed {
		return awserr.BadRequest("target, routeKey and credentialsArn can be updated only on an API made with quick create")
	}
	return nil
}

// setQuickCreateType derives a managed integration's type from its target: a
// Lambda function gives AWS_PROXY with payload 2.0, a URL gives HTTP_PROXY.
func setQuickCreateType(integ *model.Integration, target string) {
	if isLambdaTarget(target) {
		integ.IntegrationType = model.IntegrationAWSProxy
		integ.IntegrationMethod = ptr("POST")
		integ.PayloadFormatVersion = ptr("2.0")
	} else {
		integ.IntegrationType = model.IntegrationHTTPProxy
		integ.IntegrationMethod = ptr("ANY")
		integ.PayloadFormatVersion = ptr("1.0")
	}
}

func (s *Service) deleteAPI(c *call) (any, error) {
	id := c.label("apiId")
	return nil, c.update(func(tx store.Tx) error {
		if _, err := c.loadAPI(tx, id); err != nil {
			return err
		}
		if m, err := c.mappingTo(tx, id, ""); err != nil {
			return err
		} else if m != "" {
			return awserr.BadRequest("Deleting API %s failed. Please remove all API mappings for the API from your custom domain names.", id)
		}
		if err := tx.Delete(kindAPI, regionScope(c.Region), id); err != nil {
			return err
		}
		c.deployed = append(c.deployed, id)
		return tx.DeleteTree(apiScope(c.Region, id))
	})
}

func (s *Service) deleteCors(c *call) (any, error) {
	return nil, c.update(func(tx store.Tx) error {
		api, err := c.loadAPI(tx, c.label("apiId"))
		if err != nil {
			return err
		}
		if api.CorsConfiguration == nil {
			return awserr.NotFound("CORS configuration not found for API %s", api.ApiId)
		}
		api.CorsConfiguration = nil
		if err := replace(tx, kindAPI, regionScope(c.Region), api.ApiId, "", api, nil); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
}

// mappingTo returns "{domain}/{apiMappingId}" of an API mapping in the region
// that targets the API's stage (any of its stages if stage is ""), or "" if
// there is none.
func (c *call) mappingTo(tx store.Tx, apiID, stage string) (string, error) {
	domains, err := listAll[model.DomainName](tx, kindDomainName, regionScope(c.Region))
	if err != nil {
		return "", err
	}
	for _, d := range domains {
		maps, err := listAll[model.ApiMapping](tx, kindAPIMapping, domainScope(c.Region, d.DomainName))
		if err != nil {
			return "", err
		}
		for _, m := range maps {
			if m.ApiId == apiID && (stage == "" || m.Stage == stage) {
				return d.DomainName + "/" + m.ApiMappingId, nil
			}
		}
	}
	return "", nil
}
