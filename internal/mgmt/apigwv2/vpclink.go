package apigwv2

import (
	"strings"

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
		refs, err := c.vpcLinkReferences(tx, v.VpcLinkId)
		if err != nil {
			return err
		}
		if len(refs) > 0 {
			return awserr.BadRequest("Cannot delete vpc link. Vpc link '%s', is referenced in [%s] in format of [Method:Resource].",
				v.VpcLinkId, strings.Join(refs, ", "))
		}
		return tx.Delete(kindVpcLink, regionScope(c.Region), v.VpcLinkId)
	})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

// vpcLinkReferences lists the routes of the region's APIs that reach the VPC
// link through a private integration, as AWS names them when it refuses to
// delete the link: "{method}:{routeId}" (ANY for the $default route).
func (c *call) vpcLinkReferences(tx store.Tx, linkID string) ([]string, error) {
	apis, err := listAll[model.Api](tx, kindAPI, regionScope(c.Region))
	if err != nil {
		return nil, err
	}
	var refs []string
	for _, api := range apis {
		scope := apiScope(c.Region, api.ApiId)
		integs, err := listAll[model.Integration](tx, kindIntegration, scope)
		if err != nil {
			return nil, err
		}
		private := map[string]bool{}
		for _, in := range integs {
			if in.ConnectionId != nil && *in.ConnectionId == linkID {
				private["integrations/"+in.IntegrationId] = true
			}
		}
		if len(private) == 0 {
			continue
		}
		routes, err := listAll[model.Route](tx, kindRoute, scope)
		if err != nil {
			return nil, err
		}
		for _, r := range routes {
			if r.Target == nil || !private[*r.Target] {
				continue
			}
			method, _, ok := strings.Cut(r.RouteKey, " ")
			if !ok {
				method = "ANY"
			}
			refs = append(refs, method+":"+r.RouteId)
		}
	}
	return refs, nil
}
