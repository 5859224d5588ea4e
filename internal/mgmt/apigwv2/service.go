// Package apigwv2 implements the API Gateway V2 management API (HTTP and
// WebSocket APIs): the 72 classic operations of the apigatewayv2 service model,
// with AWS's defaults, validation rules, error texts and pagination.
//
// Every operation runs in one store transaction, so a failed validation never
// leaves a partial change behind. Resources are stored as their wire JSON, which
// makes list operations a concatenation of stored bodies.
package apigwv2

import (
	"fmt"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// Store kinds.
const (
	kindAPI                 store.Kind = model.KindAPI
	kindRoute               store.Kind = model.KindRoute
	kindRouteResponse       store.Kind = model.KindRouteResponse
	kindIntegration         store.Kind = model.KindIntegration
	kindIntegrationResponse store.Kind = model.KindIntegrationResponse
	kindStage               store.Kind = model.KindStage
	kindDeployment          store.Kind = model.KindDeployment
	kindDeploymentConfig    store.Kind = model.KindDeploymentConfig
	kindAuthorizer          store.Kind = model.KindAuthorizer
	kindModel               store.Kind = model.KindModel
	kindDomainName          store.Kind = model.KindDomainName
	kindAPIMapping          store.Kind = model.KindAPIMapping
	kindVpcLink             store.Kind = model.KindVpcLink
)

// Config configures the service.
type Config struct {
	AccountID string
	// Endpoint returns the apiEndpoint for an API (protocol "HTTP" or "WEBSOCKET").
	Endpoint func(region, apiID, protocol string) string
	Now      func() time.Time
	// NewID returns a random lowercase alphanumeric id of length n.
	NewID func(n int) string
	// OnDeploy is called after a transaction that changed what a stage serves
	// commits (region, apiId). The data plane uses it to swap snapshots.
	OnDeploy func(region, apiID string)
	// OnDomainChange is called after domain names or API mappings change.
	OnDomainChange func(region string)
	// MaxRoutes is the routes-per-API quota (AWS: 300); 0 means unlimited.
	MaxRoutes int
	// Check compiles a deployment configuration the way the data plane will;
	// an error fails CreateDeployment with a BadRequestException.
	Check func(*model.DeploymentConfig) error
	// NoFactCache turns off the in-memory cache of API facts (see factCache);
	// a store shared by several processes must set it.
	NoFactCache bool
}

// Service is the apigatewayv2 management API.
type Service struct {
	cfg   Config
	st    store.Store
	model *awsmodel.Service
	ops   map[string]func(*call) (any, error)
	facts factCache
}

var _ mgmt.Service = (*Service)(nil)

// New returns the service backed by st.
func New(st store.Store, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = randomID
	}
	if cfg.Endpoint == nil {
		cfg.Endpoint = func(region, apiID, protocol string) string {
			if protocol == "WEBSOCKET" {
				return "wss://" + apiID + ".execute-api." + region + ".amazonaws.com"
			}
			return "https://" + apiID + ".execute-api." + region + ".amazonaws.com"
		}
	}
	s := &Service{cfg: cfg, st: st, model: awsmodel.APIGatewayV2()}
	s.ops = s.operations()
	return s
}

// Model implements mgmt.Service.
func (s *Service) Model() *awsmodel.Service { return s.model }

// Handle implements mgmt.Service.
func (s *Service) Handle(r *mgmt.Request) (any, error) {
	h, ok := s.ops[r.Op.Name]
	if !ok {
		return nil, fmt.Errorf("operation %s has no handler", r.Op.Name)
	}
	c := &call{Request: r, s: s}
	out, err := h(c)
	if err == nil && s.cfg.OnDeploy != nil {
		seen := map[string]bool{}
		for _, apiID := range c.deployed {
			if !seen[apiID] {
				seen[apiID] = true
				s.cfg.OnDeploy(r.Region, apiID)
			}
		}
	}
	if err == nil && c.domains && s.cfg.OnDomainChange != nil {
		s.cfg.OnDomainChange(r.Region)
	}
	return out, err
}

func (s *Service) operations() map[string]func(*call) (any, error) {
	notYet := func(c *call) (any, error) {
		return nil, awserr.BadRequest("%s is not supported yet by Gatehouse", c.Op.Name)
	}
	return map[string]func(*call) (any, error){
		"CreateApi": s.createAPI, "GetApi": s.getAPI, "GetApis": s.getAPIs, "UpdateApi": s.updateAPI, "DeleteApi": s.deleteAPI,
		"DeleteCorsConfiguration": s.deleteCors,
		"ImportApi":               notYet, "ReimportApi": notYet, "ExportApi": notYet,

		"CreateRoute": s.createRoute, "GetRoute": s.getRoute, "GetRoutes": s.getRoutes, "UpdateRoute": s.updateRoute, "DeleteRoute": s.deleteRoute,
		"DeleteRouteRequestParameter": s.deleteRouteRequestParameter,

		"CreateRouteResponse": s.createRouteResponse, "GetRouteResponse": s.getRouteResponse, "GetRouteResponses": s.getRouteResponses,
		"UpdateRouteResponse": s.updateRouteResponse, "DeleteRouteResponse": s.deleteRouteResponse,

		"CreateIntegration": s.createIntegration, "GetIntegration": s.getIntegration, "GetIntegrations": s.getIntegrations,
		"UpdateIntegration": s.updateIntegration, "DeleteIntegration": s.deleteIntegration,

		"CreateIntegrationResponse": s.createIntegrationResponse, "GetIntegrationResponse": s.getIntegrationResponse,
		"GetIntegrationResponses": s.getIntegrationResponses, "UpdateIntegrationResponse": s.updateIntegrationResponse,
		"DeleteIntegrationResponse": s.deleteIntegrationResponse,

		"CreateStage": s.createStage, "GetStage": s.getStage, "GetStages": s.getStages, "UpdateStage": s.updateStage, "DeleteStage": s.deleteStage,
		"DeleteAccessLogSettings": s.deleteAccessLogSettings, "DeleteRouteSettings": s.deleteRouteSettings,
		"ResetAuthorizersCache": s.resetAuthorizersCache,

		"CreateDeployment": s.createDeployment, "GetDeployment": s.getDeployment, "GetDeployments": s.getDeployments,
		"UpdateDeployment": s.updateDeployment, "DeleteDeployment": s.deleteDeployment,

		"CreateAuthorizer": s.createAuthorizer, "GetAuthorizer": s.getAuthorizer, "GetAuthorizers": s.getAuthorizers,
		"UpdateAuthorizer": s.updateAuthorizer, "DeleteAuthorizer": s.deleteAuthorizer,

		"CreateModel": s.createModel, "GetModel": s.getModel, "GetModels": s.getModels, "UpdateModel": s.updateModel,
		"DeleteModel": s.deleteModel, "GetModelTemplate": s.getModelTemplate,

		"CreateDomainName": s.createDomainName, "GetDomainName": s.getDomainName, "GetDomainNames": s.getDomainNames,
		"UpdateDomainName": s.updateDomainName, "DeleteDomainName": s.deleteDomainName,

		"CreateApiMapping": s.createAPIMapping, "GetApiMapping": s.getAPIMapping, "GetApiMappings": s.getAPIMappings,
		"UpdateApiMapping": s.updateAPIMapping, "DeleteApiMapping": s.deleteAPIMapping,

		"CreateVpcLink": s.createVpcLink, "GetVpcLink": s.getVpcLink, "GetVpcLinks": s.getVpcLinks,
		"UpdateVpcLink": s.updateVpcLink, "DeleteVpcLink": s.deleteVpcLink,

		"GetTags": s.getTags, "TagResource": s.tagResource, "UntagResource": s.untagResource,
	}
}
