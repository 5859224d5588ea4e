package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/deploy"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// Store kinds the apigwv2 management service writes.
const (
	kindAPI              store.Kind = model.KindAPI
	kindStage            store.Kind = model.KindStage
	kindDeploymentConfig store.Kind = model.KindDeploymentConfig
	kindDomainName       store.Kind = model.KindDomainName
	kindAPIMapping       store.Kind = model.KindAPIMapping
)

// LoadAll rebuilds every API and domain from the store (at start-up).
func (g *Gateway) LoadAll(ctx context.Context) error {
	var apis []store.Record
	err := g.st.View(ctx, func(tx store.Tx) error {
		var after int64
		for {
			recs, err := tx.ListKind(kindAPI, after, 500)
			if err != nil {
				return err
			}
			apis = append(apis, recs...)
			if len(recs) < 500 {
				return nil
			}
			after = recs[len(recs)-1].Seq
		}
	})
	if err != nil {
		return err
	}
	for _, r := range apis {
		if err := g.Reload(ctx, r.Scope, r.ID); err != nil {
			g.log.Warn("api not served", "region", r.Scope, "api", r.ID, "err", err)
		}
	}
	return g.ReloadDomains(ctx)
}

// Reload recompiles one API from the store and swaps it in; a deleted API is
// removed. A stage that fails to compile keeps serving what it served before.
func (g *Gateway) Reload(ctx context.Context, region, apiID string) error {
	g.reloadMu.Lock()
	defer g.reloadMu.Unlock()
	api, stages, configs, err := g.read(ctx, region, apiID)
	if err != nil {
		return err
	}
	old := g.tbl.Load().apis[apiKey(region, apiID)]
	var compiled *deploy.API
	var firstErr error
	if api != nil {
		compiled = &deploy.API{Region: region, ID: apiID, Protocol: api.ProtocolType,
			DisableExecuteAPIEndpoint: api.DisableExecuteApiEndpoint, Stages: map[string]*deploy.Stage{}}
		for _, st := range stages {
			if st.DeploymentId == nil {
				continue
			}
			cfg := configs[*st.DeploymentId]
			if cfg == nil {
				continue
			}
			var prev *deploy.Stage
			if old != nil {
				prev = old.Stages[st.StageName]
			}
			s, err := g.compiler.CompileStage(cfg, st, prev)
			if err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("stage %s: %w", st.StageName, err)
				}
				if prev != nil {
					compiled.Stages[st.StageName] = prev
				}
				continue
			}
			compiled.Stages[st.StageName] = s
		}
	}
	t := g.tbl.Load().clone()
	t.setAPI(region, apiID, compiled)
	g.tbl.Store(t)
	g.cfg.Metrics.forget()
	return firstErr
}

func (g *Gateway) read(ctx context.Context, region, apiID string) (*model.Api, []*model.Stage, map[string]*model.DeploymentConfig, error) {
	var api *model.Api
	var stages []*model.Stage
	configs := map[string]*model.DeploymentConfig{}
	err := g.st.View(ctx, func(tx store.Tx) error {
		rec, err := tx.Get(kindAPI, region, apiID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		api = &model.Api{}
		if err := json.Unmarshal(rec.Body, api); err != nil {
			return err
		}
		scope := store.Join(region, "apis", apiID)
		recs, err := tx.List(kindStage, scope, 0, 1000)
		if err != nil {
			return err
		}
		for _, r := range recs {
			st := &model.Stage{}
			if err := json.Unmarshal(r.Body, st); err != nil {
				return err
			}
			stages = append(stages, st)
			if st.DeploymentId == nil || configs[*st.DeploymentId] != nil {
				continue
			}
			cr, err := tx.Get(kindDeploymentConfig, scope, *st.DeploymentId)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			cfg := &model.DeploymentConfig{}
			if err := json.Unmarshal(cr.Body, cfg); err != nil {
				return err
			}
			configs[*st.DeploymentId] = cfg
		}
		return nil
	})
	return api, stages, configs, err
}

// ReloadDomains rebuilds the custom domain table from the store.
func (g *Gateway) ReloadDomains(ctx context.Context) error {
	g.reloadMu.Lock()
	defer g.reloadMu.Unlock()
	domains := map[string]*domain{}
	err := g.st.View(ctx, func(tx store.Tx) error {
		var after int64
		for {
			recs, err := tx.ListKind(kindDomainName, after, 500)
			if err != nil {
				return err
			}
			for _, r := range recs {
				after = r.Seq
				d := &domain{name: strings.ToLower(r.ID), region: r.Scope}
				maps, err := tx.List(kindAPIMapping, store.Join(r.Scope, "domainnames", r.ID), 0, 1000)
				if err != nil {
					return err
				}
				for _, mr := range maps {
					var m model.ApiMapping
					if err := json.Unmarshal(mr.Body, &m); err != nil {
						return err
					}
					d.mappings = append(d.mappings, apiMapping{key: m.ApiMappingKey, apiID: m.ApiId, stage: m.Stage})
				}
				sortMappings(d.mappings)
				domains[d.name] = d
			}
			if len(recs) < 500 {
				return nil
			}
		}
	})
	if err != nil {
		return err
	}
	t := g.tbl.Load().clone()
	t.domains = domains
	g.tbl.Store(t)
	g.cfg.Metrics.forget()
	return nil
}
