package apigwv2

import (
	"encoding/json"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// taggable locates the resource an ARN names: arn:{partition}:apigateway:{region}::/apis/{id},
// .../apis/{id}/stages/{name}, .../domainnames/{name} or .../vpclinks/{id}.
type taggable struct {
	kind  store.Kind
	scope string
	id    string
}

func (c *call) resolveARN(tx store.Tx, arn string) (taggable, error) {
	bad := awserr.BadRequest("Invalid resource ARN specified: %s", arn)
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "apigateway" || parts[4] != "" {
		return taggable{}, bad
	}
	region, path := parts[3], parts[5]
	nf := awserr.NotFound("Invalid resource identifier specified %s: no such resource", arn)
	if region != c.Region {
		return taggable{}, nf
	}
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	var t taggable
	switch {
	case len(segs) == 2 && segs[0] == "apis":
		t = taggable{kindAPI, regionScope(region), segs[1]}
	case len(segs) == 4 && segs[0] == "apis" && segs[2] == "stages":
		t = taggable{kindStage, apiScope(region, segs[1]), segs[3]}
	case len(segs) == 2 && segs[0] == "domainnames":
		t = taggable{kindDomainName, regionScope(region), strings.ToLower(segs[1])}
	case len(segs) == 2 && segs[0] == "vpclinks":
		t = taggable{kindVpcLink, regionScope(region), segs[1]}
	default:
		return taggable{}, bad
	}
	if _, err := tx.Get(t.kind, t.scope, t.id); err != nil {
		if err == store.ErrNotFound {
			return taggable{}, nf
		}
		return taggable{}, err
	}
	return t, nil
}

// withTags loads the tagged resource as generic JSON so tags can be read and
// changed without knowing its type.
func (c *call) withTags(write bool, fn func(tags model.Tags) error) error {
	run := c.view
	if write {
		run = c.update
	}
	return run(func(tx store.Tx) error {
		t, err := c.resolveARN(tx, c.label("resource-arn"))
		if err != nil {
			return err
		}
		rec, err := tx.Get(t.kind, t.scope, t.id)
		if err != nil {
			return err
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body, &doc); err != nil {
			return err
		}
		tags := model.Tags{}
		if raw, ok := doc["tags"]; ok {
			if err := json.Unmarshal(raw, &tags); err != nil {
				return err
			}
		}
		if err := fn(tags); err != nil || !write {
			return err
		}
		if err := tagsValid(tags); err != nil {
			return err
		}
		if doc["tags"], err = json.Marshal(tags); err != nil {
			return err
		}
		if rec.Body, err = json.Marshal(doc); err != nil {
			return err
		}
		return tx.Replace(rec)
	})
}

func (s *Service) getTags(c *call) (any, error) {
	var out model.Tags
	err := c.withTags(false, func(tags model.Tags) error { out = tags; return nil })
	if err != nil {
		return nil, err
	}
	return map[string]model.Tags{"tags": out}, nil
}

func (s *Service) tagResource(c *call) (any, error) {
	var in struct {
		Tags model.Tags `json:"tags"`
	}
	if err := c.apply(&in); err != nil {
		return nil, err
	}
	err := c.withTags(true, func(tags model.Tags) error {
		for k, v := range in.Tags {
			tags[k] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func (s *Service) untagResource(c *call) (any, error) {
	keys := c.Query["tagKeys"]
	return nil, c.withTags(true, func(tags model.Tags) error {
		for _, k := range keys {
			delete(tags, k)
		}
		return nil
	})
}
