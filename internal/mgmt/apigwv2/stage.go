package apigwv2

import (
	"encoding/json"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

func (c *call) stageNotFound(name string) error { return c.notFound("Stage", name) }

// checkStage applies defaults and validates a stage against its API.
func (c *call) checkStage(tx store.Tx, api *model.Api, st *model.Stage) error {
	if st.StageName != "$default" && !stageNameRE.MatchString(st.StageName) {
		return awserr.BadRequest("Stage name %s is invalid: use $default or 1-128 characters from [A-Za-z0-9_-]", st.StageName)
	}
	if st.RouteSettings == nil {
		st.RouteSettings = map[string]model.RouteSettings{}
	}
	if st.StageVariables == nil {
		st.StageVariables = map[string]string{}
	}
	if st.Tags == nil {
		st.Tags = model.Tags{}
	}
	if st.DefaultRouteSettings == nil {
		st.DefaultRouteSettings = &model.RouteSettings{}
	}
	if st.DefaultRouteSettings.DetailedMetricsEnabled == nil {
		st.DefaultRouteSettings.DetailedMetricsEnabled = ptr(false)
	}
	if err := validateStageVariables(st.StageVariables); err != nil {
		return err
	}
	if err := tagsValid(st.Tags); err != nil {
		return err
	}
	scope := apiScope(c.Region, api.ApiId)
	if st.DeploymentId != nil {
		if _, err := get(tx, kindDeployment, scope, *st.DeploymentId, &model.Deployment{},
			awserr.BadRequest("Invalid deployment identifier specified %s:%s", c.s.cfg.AccountID, *st.DeploymentId)); err != nil {
			return err
		}
		if err := c.deploymentServable(tx, api, *st.DeploymentId); err != nil {
			return err
		}
	}
	if err := checkRouteSettings(api, "defaultRouteSettings", st.DefaultRouteSettings); err != nil {
		return err
	}
	for key, rs := range st.RouteSettings {
		// Only keys this request sets must name a route: settings stored earlier
		// may outlive their route (deleted or re-keyed), and must not make every
		// later change to the stage fail.
		if c.setsRouteSettings(key) {
			if _, err := tx.GetAlt(kindRoute, scope, key); err != nil {
				return awserr.BadRequest("Unable to find Route by key %s within the provided RouteSettings", key)
			}
		}
		if err := checkRouteSettings(api, "routeSettings", &rs); err != nil {
			return err
		}
	}
	if a := st.AccessLogSettings; a != nil {
		if a.DestinationArn == nil || !strings.HasPrefix(*a.DestinationArn, "arn:") {
			return awserr.BadRequest("Access log destination must be a valid ARN (arn:aws:logs:{region}:{account}:log-group:{name})")
		}
		if a.Format == nil || *a.Format == "" || len(*a.Format) > 3072 {
			return awserr.BadRequest("Access log format must be 1-3072 characters")
		}
	}
	if st.ClientCertificateId != nil && api.ProtocolType != model.ProtocolWebSocket {
		return awserr.BadRequest("clientCertificateId is supported only for WebSocket APIs")
	}
	return nil
}

// setsRouteSettings reports whether the request body's routeSettings has key.
func (c *call) setsRouteSettings(key string) bool {
	raw, ok := c.Body["routeSettings"]
	if !ok {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	_, ok = m[key]
	return ok
}

func checkRouteSettings(api *model.Api, where string, rs *model.RouteSettings) error {
	if api.ProtocolType == model.ProtocolHTTP && (rs.DataTraceEnabled != nil && *rs.DataTraceEnabled || rs.LoggingLevel != nil && *rs.LoggingLevel != "OFF") {
		return awserr.BadRequest("Execution logs are not supported on protocolType HTTP")
	}
	if rs.ThrottlingBurstLimit != nil && *rs.ThrottlingBurstLimit < 0 {
		return awserr.BadRequest("%s.throttlingBurstLimit must not be negative", where)
	}
	if rs.ThrottlingRateLimit != nil && *rs.ThrottlingRateLimit < 0 {
		return awserr.BadRequest("%s.throttlingRateLimit must not be negative", where)
	}
	return nil
}

func (s *Service) createStage(c *call) (any, error) {
	var st model.Stage
	if err := c.apply(&st); err != nil {
		return nil, err
	}
	err := c.update(func(tx store.Tx) error {
		api, err := c.loadAPI(tx, c.label("apiId"))
		if err != nil {
			return err
		}
		now := c.now()
		st.CreatedDate, st.LastUpdatedDate, st.ApiGatewayManaged, st.LastDeploymentStatusMessage = now, now, false, nil
		if err := c.checkStage(tx, api, &st); err != nil {
			return err
		}
		if err := insert(tx, kindStage, apiScope(c.Region, api.ApiId), st.StageName, "", &st,
			awserr.Conflict("Stage %s already exists", st.StageName)); err != nil {
			return err
		}
		c.deployed = append(c.deployed, api.ApiId)
		if st.AutoDeploy {
			return c.deployStage(tx, api, &st)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &st, nil
}

func (c *call) loadStage(tx store.Tx) (*model.Api, *model.Stage, error) {
	api, err := c.loadAPI(tx, c.label("apiId"))
	if err != nil {
		return nil, nil, err
	}
	var st model.Stage
	name := c.label("stageName")
	_, err = get(tx, kindStage, apiScope(c.Region, api.ApiId), name, &st, c.stageNotFound(name))
	return api, &st, err
}

func (s *Service) getStage(c *call) (any, error) {
	var st *model.Stage
	if err := c.view(func(tx store.Tx) (err error) { _, st, err = c.loadStage(tx); return }); err != nil {
		return nil, err
	}
	return st, nil
}

func (s *Service) getStages(c *call) (any, error) {
	if err := c.view(func(tx store.Tx) error { _, err := c.loadAPI(tx, c.label("apiId")); return err }); err != nil {
		return nil, err
	}
	return c.page(kindStage, apiScope(c.Region, c.label("apiId")), nil)
}

// saveStage validates and stores a changed stage; stage settings take effect
// without a redeployment, so the data plane is told.
func (c *call) saveStage(tx store.Tx, api *model.Api, st *model.Stage) error {
	st.LastUpdatedDate = c.now()
	if err := c.checkStage(tx, api, st); err != nil {
		return err
	}
	c.deployed = append(c.deployed, api.ApiId)
	return replace(tx, kindStage, apiScope(c.Region, api.ApiId), st.StageName, "", st, nil)
}

func managedStage(st *model.Stage) error {
	if st.ApiGatewayManaged {
		return awserr.BadRequest("Stage %s is managed by API Gateway (quick create) and can't be modified", st.StageName)
	}
	return nil
}

func (s *Service) updateStage(c *call) (any, error) {
	var st *model.Stage
	err := c.update(func(tx store.Tx) error {
		api, stage, err := c.loadStage(tx)
		if err != nil {
			return err
		}
		st = stage
		if err := managedStage(st); err != nil {
			return err
		}
		before := *st
		if err := c.apply(st); err != nil {
			return err
		}
		st.StageName, st.CreatedDate, st.Tags, st.LastDeploymentStatusMessage = before.StageName, before.CreatedDate, before.Tags, before.LastDeploymentStatusMessage
		pruneStrings(st.StageVariables)
		if err := c.saveStage(tx, api, st); err != nil {
			return err
		}
		if st.AutoDeploy && !before.AutoDeploy {
			return c.deployStage(tx, api, st)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

func (s *Service) deleteStage(c *call) (any, error) {
	return nil, c.update(func(tx store.Tx) error {
		api, st, err := c.loadStage(tx)
		if err != nil {
			return err
		}
		if err := managedStage(st); err != nil {
			return err
		}
		if m, err := c.mappingTo(tx, api.ApiId, st.StageName); err != nil {
			return err
		} else if m != "" {
			return awserr.BadRequest("Stage %s is used by API mapping %s; delete the mapping first", st.StageName, m)
		}
		c.deployed = append(c.deployed, api.ApiId)
		return tx.Delete(kindStage, apiScope(c.Region, api.ApiId), st.StageName)
	})
}

func (s *Service) deleteAccessLogSettings(c *call) (any, error) {
	return nil, c.update(func(tx store.Tx) error {
		api, st, err := c.loadStage(tx)
		if err != nil {
			return err
		}
		st.AccessLogSettings = nil
		return c.saveStage(tx, api, st)
	})
}

func (s *Service) deleteRouteSettings(c *call) (any, error) {
	return nil, c.update(func(tx store.Tx) error {
		api, st, err := c.loadStage(tx)
		if err != nil {
			return err
		}
		key := c.label("routeKey")
		if _, ok := st.RouteSettings[key]; !ok {
			return awserr.NotFound("Unable to find route settings for route key %s in stage %s", key, st.StageName)
		}
		delete(st.RouteSettings, key)
		return c.saveStage(tx, api, st)
	})
}

// resetAuthorizersCache flushes the stage's authorizer cache. The cache lives in
// the data plane, which OnDeploy notifies.
func (s *Service) resetAuthorizersCache(c *call) (any, error) {
	return nil, c.view(func(tx store.Tx) error {
		api, _, err := c.loadStage(tx)
		if err == nil {
			c.deployed = append(c.deployed, api.ApiId)
		}
		return err
	})
}
