package apigwv2

import (
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

func checkVpcLink(v *model.VpcLink) error {
	if v.Name == "" || len(v.Name) > 128 {
		return awserr.BadRequest("VPC link name must be 1-128 characters")
	}
	if len(v.SubnetIds) == 0 || len(v.SubnetIds) > 10 {
		return awserr.BadRequest("A VPC link needs 1-10 subnet ids")
	}
	if len(v.SecurityGroupIds) > 5 {
		return awserr.BadRequest("A VPC link can have at most 5 security groups")
	}
	return tagsValid(v.Tags)
}

func (s *Service) createVpcLink(c *call) (any, error) {
	var v model.VpcLink
	if err := c.apply(&v); err != nil {
		return nil, err
	}
	if v.Tags == nil {
		v.Tags = model.Tags{}
	}
	if v.SecurityGroupIds == nil {
		v.SecurityGroupIds = []string{}
	}
	if err := checkVpcLink(&v); err != nil {
		return nil, err
	}
	v.CreatedDate = c.now()
	v.VpcLinkStatus = "AVAILABLE"
	v.VpcLinkStatusMessage = ptr("VPC link is ready to route traffic")
	v.VpcLinkVersion = "V2"
	if err := c.update(func(tx store.Tx) error {
		return c.insertNew(tx, kindVpcLink, regionScope(c.Region), 6, &v.VpcLinkId, "", &v, nil)
	}); err != nil {
		return nil, err
	}
	return &v, nil
}

func (c *call) loadVpcLink(tx store.Tx) (*model.VpcLink, error) {
	var v model.VpcLink
	id := c.label("vpcLinkId")
	_, err := get(tx, kindVpcLink, regionScope(c.Region), id, &v, c.notFound("VpcLink", id))
	return &v, err
}

func (s *Service) getVpcLink(c *call) (any, error) {
	var v *model.VpcLink
	if err := c.view(func(tx store.Tx) (err error) { v, err = c.loadVpcLink(tx); return }); err != nil {
		return nil, err
	}
	return v, nil
}

func (s *Service) getVpcLinks(c *call) (any, error) {
	return c.page(kindVpcLink, regionScope(c.Region), nil)
}

func (s *Service) updateVpcLink(c *call) (any, error) {
	var v *model.VpcLink
	err := c.update(func(tx store.Tx) error {
		link, err := c.loadVpcLink(tx)
		if err != nil {
			return err
		}
		v = link
		if name, ok := c.str("name"); ok {
			v.Name = name
		}
		if err := checkVpcLink(v); err != nil {
			return err
		}
		return replace(tx, kindVpcLink, regionScope(c.Region), v.VpcLinkId, "", v, nil)
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

func (s *Service) deleteVpcLink(c *call) (any, error) {
	err := c.update(func(tx store.Tx) error {
		v, err := c.loadVpcLink(tx)
		if err != nil {
			return err
		}
		return tx.Delete(kindVpcLink, regionScope(c.Region), v.VpcLinkId)
	})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}
