package apigwv2

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// snapshot reads the API's whole working configuration.
func (c *call) snapshot(tx store.Tx, api *model.Api) (*model.DeploymentConfig, error) {
	scope := apiScope(c.Region, api.ApiId)
	cfg := &model.DeploymentConfig{Api: *api}
	var err error
	if cfg.Routes, err = listAll[model.Route](tx, kindRoute, scope); err != nil {
		return nil, err
	}
	if cfg.Integrations, err = listAll[model.Integration](tx, kindIntegration, scope); err != nil {
		return nil, err
	}
	if cfg.Authorizers, err = listAll[model.Authorizer](tx, kindAuthorizer, scope); err != nil {
		return nil, err
	}
	if cfg.Models, err = listAll[model.Model](tx, kindModel, scope); err != nil {
		return nil, err
	}
	if api.ProtocolType == model.ProtocolWebSocket {
		cfg.RouteResponses = map[string][]model.RouteResponse{}
		for _, r := range cfg.Routes {
			rrs, err := listAll[model.RouteResponse](tx, kindRouteResponse, childScope(scope, "routes", r.RouteId))
			if err != nil {
				return nil, err
			}
			if len(rrs) > 0 {
				cfg.RouteResponses[r.RouteId] = rrs
			}
		}
		cfg.IntegrationResponses = map[string][]model.IntegrationResponse{}
		for _, in := range cfg.Integrations {
			irs, err := listAll[model.IntegrationResponse](tx, kindIntegrationResponse, childScope(scope, "integrations", in.IntegrationId))
			if err != nil {
				return nil, err
			}
			if len(irs) > 0 {
				cfg.IntegrationResponses[in.IntegrationId] = irs
			}
		}
	}
	return cfg, nil
}

// checkDeployable reports the first problem that prevents cfg from being served.
func checkDeployable(cfg *model.DeploymentConfig) error {
	if cfg.Api.ProtocolType == model.ProtocolWebSocket && len(cfg.Routes) == 0 {
		return fmt.Errorf("At least one route is required before deploying the Api.")
	}
	integ := make(map[string]bool, len(cfg.Integrations))
	for _, in := range cfg.Integrations {
		integ[in.IntegrationId] = true
	}
	for _, r := range cfg.Routes {
		if r.Target == nil {
			continue
		}
		if id := strings.TrimPrefix(*r.Target, "integrations/"); !integ[id] {
			return fmt.Errorf("Route %s (%s) targets integration %s, which does not exist", r.RouteId, r.RouteKey, id)
		}
	}
	return nil
}

// deploy snapshots the API into a new deployment. If stage is not nil, the
// stage is pointed at the deployment. A configuration that cannot be served
// yields a FAILED deployment and an error.
func (c *call) deploy(tx store.Tx, api *model.Api, description *string, auto bool) (*model.Deployment, error) {
	cfg, err := c.snapshot(tx, api)
	if err != nil {
		return nil, err
	}
	d := &model.Deployment{
		CreatedDate:      c.now(),
		AutoDeployed:     auto,
		Description:      description,
		DeploymentStatus: model.DeploymentDeployed,
	}
	if problem := checkDeployable(cfg); problem != nil {
		return nil, awserr.BadRequest("%s", problem.Error())
	}
	if c.s.cfg.Check != nil {
		if problem := c.s.cfg.Check(cfg); problem != nil {
			return nil, awserr.BadRequest("Unable to deploy API %s: %s", api.ApiId, problem.Error())
		}
	}
	scope := apiScope(c.Region, api.ApiId)
	if err := c.insertNew(tx, kindDeployment, scope, 6, &d.DeploymentId, "", d, nil); err != nil {
		return nil, err
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Insert(store.Record{Kind: kindDeploymentConfig, Scope: scope, ID: d.DeploymentId, Body: b}); err != nil {
		return nil, err
	}
	return d, nil
}

// pointStage makes st serve deployment d.
func (c *call) pointStage(tx store.Tx, api *model.Api, st *model.Stage, d *model.Deployment) error {
	previous := st.DeploymentId
	st.DeploymentId = &d.DeploymentId
	st.LastUpdatedDate = c.now()
	if d.AutoDeployed {
		st.LastDeploymentStatusMessage = ptr(fmt.Sprintf("Successfully deployed stage with deployment ID '%s'", d.DeploymentId))
	}
	c.deployed = append(c.deployed, api.ApiId)
	if err := replace(tx, kindStage, apiScope(c.Region, api.ApiId), st.StageName, "", st, nil); err != nil {
		return err
	}
	if previous != nil && *previous != d.DeploymentId {
		return c.pruneAutoDeployment(tx, api, *previous)
	}
	return nil
}

// pruneAutoDeployment drops the configuration snapshot of an automatic
// deployment that no stage serves any more. Every change to an auto-deployed
// API creates a deployment; keeping each one's full snapshot would make
// storage grow with the square of the API's size. The deployment itself stays
// listed (GetDeployments), as on AWS; only pointing a stage back at it is
// refused (see deploymentServable).
func (c *call) pruneAutoDeployment(tx store.Tx, api *model.Api, id string) error {
	scope := apiScope(c.Region, api.ApiId)
	var d model.Deployment
	if _, err := get(tx, kindDeployment, scope, id, &d, nil); err != nil || !d.AutoDeployed {
		return nil
	}
	stages, err := listAll[model.Stage](tx, kindStage, scope)
	if err != nil {
		return err
	}
	for _, st := range stages {
		if st.DeploymentId != nil && *st.DeploymentId == id {
			return nil
		}
	}
	if err := tx.Delete(kindDeploymentConfig, scope, id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// deploymentServable reports a deployment whose configuration snapshot was pruned.
func (c *call) deploymentServable(tx store.Tx, api *model.Api, id string) error {
	if _, err := tx.Get(kindDeploymentConfig, apiScope(c.Region, api.ApiId), id); errors.Is(err, store.ErrNotFound) {
		return awserr.BadRequest("Deployment %s was created automatically and is no longer retained; create a new deployment instead", id)
	} else if err != nil {
		return err
	}
	return nil
}

// deployStage auto-deploys one stage. A configuration that cannot be served
// leaves the stage on its previous deployment and records why, as AWS does.
func (c *call) deployStage(tx store.Tx, api *model.Api, st *model.Stage) error {
	d, err := c.deploy(tx, api, nil, true)
	if e, ok := awserr.As(err); ok {
		st.LastDeploymentStatusMessage = ptr("Deployment attempt failed: " + e.Message)
		return replace(tx, kindStage, apiScope(c.Region, api.ApiId), st.StageName, "", st, nil)
	}
	if err != nil {
		return err
	}
	return c.pointStage(tx, api, st, d)
}

// autoDeploy redeploys every stage of the API that has autoDeploy set.
// The API is read again from the transaction before deploying, so callers may
// pass a partial API (see loadAPIMeta); only its id is used otherwise.
func (c *call) autoDeploy(tx store.Tx, api *model.Api) error {
	scope := apiScope(c.Region, api.ApiId)
	ftx, _ := tx.(*factTx)
	if ftx != nil && ftx.fc.knownNoAutoDeploy(scope) {
		return nil
	}
	stages, err := listAll[model.Stage](tx, kindStage, scope)
	if err != nil {
		return err
	}
	if ftx != nil && !slices.ContainsFunc(stages, func(st model.Stage) bool { return st.AutoDeploy }) {
		ftx.learnNoAutoDeploy(scope)
	}
	var full *model.Api
	for i := range stages {
		if !stages[i].AutoDeploy {
			continue
		}
		if full == nil {
			if full, err = c.loadAPI(tx, api.ApiId); err != nil {
				return err
			}
		}
		if err := c.deployStage(tx, full, &stages[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) createDeployment(c *call) (any, error) {
	var in struct {
		Description *string `json:"description"`
		StageName   *string `json:"stageName"`
	}
	if err := c.apply(&in); err != nil {
		return nil, err
	}
	var d *model.Deployment
	err := c.update(func(tx store.Tx) error {
		api, err := c.loadAPI(tx, c.label("apiId"))
		if err != nil {
			return err
		}
		var st model.Stage
		if in.StageName != nil {
			if _, err := get(tx, kindStage, apiScope(c.Region, api.ApiId), *in.StageName, &st, c.stageNotFound(*in.StageName)); err != nil {
				return err
			}
			if st.AutoDeploy {
				return awserr.BadRequest("Stage %s has autoDeploy enabled; deployments to it are created automatically", st.StageName)
			}
		}
		if d, err = c.deploy(tx, api, in.Description, false); err != nil {
			return err
		}
		if in.StageName != nil {
			return c.pointStage(tx, api, &st, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (c *call) loadDeployment(tx store.Tx) (*model.Api, *model.Deployment, error) {
	api, err := c.loadAPI(tx, c.label("apiId"))
	if err != nil {
		return nil, nil, err
	}
	var d model.Deployment
	id := c.label("deploymentId")
	_, err = get(tx, kindDeployment, apiScope(c.Region, api.ApiId), id, &d, c.notFound("Deployment", id))
	return api, &d, err
}

func (s *Service) getDeployment(c *call) (any, error) {
	var d *model.Deployment
	if err := c.view(func(tx store.Tx) (err error) { _, d, err = c.loadDeployment(tx); return }); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Service) getDeployments(c *call) (any, error) {
	if err := c.view(func(tx store.Tx) error { _, err := c.loadAPI(tx, c.label("apiId")); return err }); err != nil {
		return nil, err
	}
	return c.page(kindDeployment, apiScope(c.Region, c.label("apiId")), nil)
}

func (s *Service) updateDeployment(c *call) (any, error) {
	var d *model.Deployment
	err := c.update(func(tx store.Tx) error {
		api, dep, err := c.loadDeployment(tx)
		if err != nil {
			return err
		}
		d = dep
		if desc, ok := c.str("description"); ok {
			d.Description = &desc
		}
		return replace(tx, kindDeployment, apiScope(c.Region, api.ApiId), d.DeploymentId, "", d, nil)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Service) deleteDeployment(c *call) (any, error) {
	return nil, c.update(func(tx store.Tx) error {
		api, d, err := c.loadDeployment(tx)
		if err != nil {
			return err
		}
		scope := apiScope(c.Region, api.ApiId)
		stages, err := listAll[model.Stage](tx, kindStage, scope)
		if err != nil {
			return err
		}
		for _, st := range stages {
			if st.DeploymentId != nil && *st.DeploymentId == d.DeploymentId {
				return awserr.BadRequest("Active stages pointing to this deployment must be moved or deleted")
			}
		}
		if err := tx.Delete(kindDeployment, scope, d.DeploymentId); err != nil {
			return err
		}
		return tx.Delete(kindDeploymentConfig, scope, d.DeploymentId)
	})
}
