package apigwv2

import (
	"encoding/json"
	"regexp"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

var modelNameRE = regexp.MustCompile(`^[A-Za-z0-9]{1,128}$`)

func checkModel(m *model.Model) error {
	if !modelNameRE.MatchString(m.Name) {
		return awserr.BadRequest("Model name %s is invalid: use 1-128 alphanumeric characters", m.Name)
	}
	if m.Schema == nil {
		return awserr.BadRequest("1 validation error detected: Value null at 'schema' failed to satisfy constraint: Member must not be null")
	}
	if len(*m.Schema) > 32768 {
		return awserr.BadRequest("Model schema must be at most 32768 characters")
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(*m.Schema), &v); err != nil {
		return awserr.BadRequest("Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified: %v]", err)
	}
	return nil
}

func modelConflict(name string) error {
	return awserr.Conflict("Model name already exists for this API: %s", name)
}

func (s *Service) createModel(c *call) (any, error) {
	var m model.Model
	if err := c.apply(&m); err != nil {
		return nil, err
	}
	err := c.update(func(tx store.Tx) error {
		api, err := c.loadAPI(tx, c.label("apiId"))
		if err != nil {
			return err
		}
		if err := checkModel(&m); err != nil {
			return err
		}
		if err := c.insertNew(tx, kindModel, apiScope(c.Region, api.ApiId), 6, &m.ModelId, m.Name, &m, modelConflict(m.Name)); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

func (c *call) loadModel(tx store.Tx) (*model.Api, *model.Model, error) {
	api, err := c.loadAPI(tx, c.label("apiId"))
	if err != nil {
		return nil, nil, err
	}
	var m model.Model
	id := c.label("modelId")
	_, err = get(tx, kindModel, apiScope(c.Region, api.ApiId), id, &m, c.notFound("Model", id))
	return api, &m, err
}

func (s *Service) getModel(c *call) (any, error) {
	var m *model.Model
	if err := c.view(func(tx store.Tx) (err error) { _, m, err = c.loadModel(tx); return }); err != nil {
		return nil, err
	}
	return m, nil
}

func (s *Service) getModels(c *call) (any, error) {
	if err := c.view(func(tx store.Tx) error { _, err := c.loadAPI(tx, c.label("apiId")); return err }); err != nil {
		return nil, err
	}
	return c.page(kindModel, apiScope(c.Region, c.label("apiId")), nil)
}

func (s *Service) updateModel(c *call) (any, error) {
	var m *model.Model
	err := c.update(func(tx store.Tx) error {
		api, mod, err := c.loadModel(tx)
		if err != nil {
			return err
		}
		m = mod
		id := m.ModelId
		if err := c.apply(m); err != nil {
			return err
		}
		m.ModelId = id
		if err := checkModel(m); err != nil {
			return err
		}
		if err := replace(tx, kindModel, apiScope(c.Region, api.ApiId), id, m.Name, m, modelConflict(m.Name)); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

func (s *Service) deleteModel(c *call) (any, error) {
	return nil, c.update(func(tx store.Tx) error {
		api, m, err := c.loadModel(tx)
		if err != nil {
			return err
		}
		if err := tx.Delete(kindModel, apiScope(c.Region, api.ApiId), m.ModelId); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	})
}

func (s *Service) getModelTemplate(c *call) (any, error) {
	var m *model.Model
	if err := c.view(func(tx store.Tx) (err error) { _, m, err = c.loadModel(tx); return }); err != nil {
		return nil, err
	}
	tpl, err := modelTemplate(*m.Schema)
	if err != nil {
		return nil, awserr.BadRequest("Unable to generate a template for model %s: %v", m.Name, err)
	}
	return map[string]string{"value": tpl}, nil
}
