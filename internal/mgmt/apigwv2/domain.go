package apigwv2

import (
	"regexp"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

var domainNameRE = regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?$`)

func (c *call) domainNotFound(name string) error {
	return awserr.NotFound("Invalid domain name identifier specified %s:%s", c.s.cfg.AccountID, name)
}

// checkDomainConfigs fills in what API Gateway reports for each endpoint configuration.
func (c *call) checkDomainConfigs(d *model.DomainName) error {
	if len(d.DomainNameConfigurations) == 0 {
		d.DomainNameConfigurations = []model.DomainNameConfiguration{{}}
	}
	if len(d.DomainNameConfigurations) > 1 {
		return awserr.BadRequest("Only one domain name configuration is supported")
	}
	for i := range d.DomainNameConfigurations {
		dc := &d.DomainNameConfigurations[i]
		if dc.EndpointType == nil {
			dc.EndpointType = ptr("REGIONAL")
		}
		if dc.SecurityPolicy == nil {
			dc.SecurityPolicy = ptr("TLS_1_2")
		}
		if dc.IpAddressType == nil {
			dc.IpAddressType = ptr("ipv4")
		}
		if dc.ApiGatewayDomainName == nil {
			dc.ApiGatewayDomainName = ptr("d-" + c.s.cfg.NewID(10) + ".execute-api." + c.Region + ".amazonaws.com")
		}
		if dc.HostedZoneId == nil {
			dc.HostedZoneId = ptr("Z1UJRXOUMOOFQ8")
		}
		dc.DomainNameStatus = ptr("AVAILABLE")
		dc.DomainNameStatusMessage = nil
		if dc.CertificateArn != nil && dc.CertificateUploadDate == nil {
			dc.CertificateUploadDate = ptr(c.now())
		}
	}
	if d.RoutingMode == "" {
		d.RoutingMode = "API_MAPPING_ONLY"
	}
	return nil
}

func (s *Service) createDomainName(c *call) (any, error) {
	c.domains = true
	var d model.DomainName
	if err := c.apply(&d); err != nil {
		return nil, err
	}
	d.DomainName = strings.ToLower(strings.TrimSuffix(d.DomainName, "."))
	if !domainNameRE.MatchString(d.DomainName) || len(d.DomainName) > 253 {
		return nil, awserr.BadRequest("Invalid domain name specified: %s", d.DomainName)
	}
	if d.Tags == nil {
		d.Tags = model.Tags{}
	}
	if err := tagsValid(d.Tags); err != nil {
		return nil, err
	}
	d.ApiMappingSelectionExpression = "$request.basepath"
	d.DomainNameArn = "arn:aws:apigateway:" + c.Region + "::/domainnames/" + d.DomainName
	if err := c.checkDomainConfigs(&d); err != nil {
		return nil, err
	}
	err := c.update(func(tx store.Tx) error {
		return insert(tx, kindDomainName, regionScope(c.Region), d.DomainName, "", &d,
			awserr.Conflict("The domain name you provided already exists."))
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func (c *call) loadDomain(tx store.Tx) (*model.DomainName, error) {
	var d model.DomainName
	name := strings.ToLower(c.label("domainName"))
	_, err := get(tx, kindDomainName, regionScope(c.Region), name, &d, c.domainNotFound(name))
	return &d, err
}

func (s *Service) getDomainName(c *call) (any, error) {
	var d *model.DomainName
	if err := c.view(func(tx store.Tx) (err error) { d, err = c.loadDomain(tx); return }); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Service) getDomainNames(c *call) (any, error) {
	return c.page(kindDomainName, regionScope(c.Region), nil)
}

func (s *Service) updateDomainName(c *call) (any, error) {
	c.domains = true
	var d *model.DomainName
	err := c.update(func(tx store.Tx) error {
		dom, err := c.loadDomain(tx)
		if err != nil {
			return err
		}
		d = dom
		before := *d
		if c.Has("domainNameConfigurations") {
			d.DomainNameConfigurations = nil
		}
		if err := c.apply(d); err != nil {
			return err
		}
		d.DomainName, d.DomainNameArn, d.Tags, d.ApiMappingSelectionExpression = before.DomainName, before.DomainNameArn, before.Tags, before.ApiMappingSelectionExpression
		if err := c.checkDomainConfigs(d); err != nil {
			return err
		}
		return replace(tx, kindDomainName, regionScope(c.Region), d.DomainName, "", d, nil)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Service) deleteDomainName(c *call) (any, error) {
	c.domains = true
	return nil, c.update(func(tx store.Tx) error {
		d, err := c.loadDomain(tx)
		if err != nil {
			return err
		}
		if err := tx.Delete(kindDomainName, regionScope(c.Region), d.DomainName); err != nil {
			return err
		}
		return tx.DeleteTree(domainScope(c.Region, d.DomainName))
	})
}

// API mappings.

var mappingKeyRE = regexp.MustCompile(`^[A-Za-z0-9$_.+!*'()\-]+(/[A-Za-z0-9$_.+!*'()\-]+)*$`)

func (c *call) checkAPIMapping(tx store.Tx, m *model.ApiMapping) error {
	if m.ApiMappingKey != "" && (!mappingKeyRE.MatchString(m.ApiMappingKey) || len(m.ApiMappingKey) > 1024) {
		return awserr.BadRequest("Invalid API mapping key specified: %s", m.ApiMappingKey)
	}
	api, err := c.loadAPI(tx, m.ApiId)
	if err != nil {
		return err
	}
	if _, err := get(tx, kindStage, apiScope(c.Region, api.ApiId), m.Stage, &model.Stage{},
		awserr.BadRequest("Invalid stage identifier specified %s:%s", c.s.cfg.AccountID, m.Stage)); err != nil {
		return err
	}
	if api.ProtocolType == model.ProtocolWebSocket && strings.Contains(m.ApiMappingKey, "/") {
		return awserr.BadRequest("Multi-level API mapping keys are not supported for WebSocket APIs")
	}
	return nil
}

func mappingConflict(key string) error {
	return awserr.Conflict("An API mapping with key '%s' already exists for this domain name", key)
}

// mappingAlt is the unique key of a mapping within its domain ("(none)" for the root).
func mappingAlt(key string) string {
	if key == "" {
		return "/"
	}
	return key
}

func (s *Service) createAPIMapping(c *call) (any, error) {
	c.domains = true
	var m model.ApiMapping
	if err := c.apply(&m); err != nil {
		return nil, err
	}
	m.ApiMappingKey = strings.Trim(m.ApiMappingKey, "/")
	err := c.update(func(tx store.Tx) error {
		d, err := c.loadDomain(tx)
		if err != nil {
			return err
		}
		if err := c.checkAPIMapping(tx, &m); err != nil {
			return err
		}
		return c.insertNew(tx, kindAPIMapping, domainScope(c.Region, d.DomainName), 6, &m.ApiMappingId, mappingAlt(m.ApiMappingKey), &m, mappingConflict(m.ApiMappingKey))
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

func (c *call) loadAPIMapping(tx store.Tx) (*model.DomainName, *model.ApiMapping, error) {
	d, err := c.loadDomain(tx)
	if err != nil {
		return nil, nil, err
	}
	var m model.ApiMapping
	id := c.label("apiMappingId")
	_, err = get(tx, kindAPIMapping, domainScope(c.Region, d.DomainName), id, &m, c.notFound("ApiMapping", id))
	return d, &m, err
}

func (s *Service) getAPIMapping(c *call) (any, error) {
	var m *model.ApiMapping
	if err := c.view(func(tx store.Tx) (err error) { _, m, err = c.loadAPIMapping(tx); return }); err != nil {
		return nil, err
	}
	return m, nil
}

func (s *Service) getAPIMappings(c *call) (any, error) {
	var d *model.DomainName
	if err := c.view(func(tx store.Tx) (err error) { d, err = c.loadDomain(tx); return }); err != nil {
		return nil, err
	}
	return c.page(kindAPIMapping, domainScope(c.Region, d.DomainName), nil)
}

func (s *Service) updateAPIMapping(c *call) (any, error) {
	c.domains = true
	var m *model.ApiMapping
	err := c.update(func(tx store.Tx) error {
		d, mapping, err := c.loadAPIMapping(tx)
		if err != nil {
			return err
		}
		m = mapping
		id := m.ApiMappingId
		if err := c.apply(m); err != nil {
			return err
		}
		m.ApiMappingId = id
		m.ApiMappingKey = strings.Trim(m.ApiMappingKey, "/")
		if err := c.checkAPIMapping(tx, m); err != nil {
			return err
		}
		return replace(tx, kindAPIMapping, domainScope(c.Region, d.DomainName), id, mappingAlt(m.ApiMappingKey), m, mappingConflict(m.ApiMappingKey))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

func (s *Service) deleteAPIMapping(c *call) (any, error) {
	c.domains = true
	return nil, c.update(func(tx store.Tx) error {
		d, m, err := c.loadAPIMapping(tx)
		if err != nil {
			return err
		}
		return tx.Delete(kindAPIMapping, domainScope(c.Region, d.DomainName), m.ApiMappingId)
	})
}
