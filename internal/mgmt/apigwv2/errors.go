package apigwv2

import (
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
)

// notFound builds AWS's "Invalid X identifier specified {account}:{id}" 404.
func (c *call) notFound(what, id string) error {
	return awserr.NotFound("Invalid %s identifier specified %s:%s", what, c.s.cfg.AccountID, id)
}

func (c *call) apiNotFound(id string) error { return c.notFound("API", id) }
