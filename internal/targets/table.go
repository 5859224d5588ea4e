package targets

import (
	"maps"
	"slices"
	"strings"
)

// Table maps integration ARNs to balancers. It is read-only after Parse and safe for concurrent use.
// A nil *Table has no entries.
type Table struct {
	balancers map[string]*Balancer
}

// Balancer returns the balancer for an integrationUri. The ARN is matched exactly; if that fails and
// it has a query (Cloud Map DiscoverInstances parameters), the ARN without the query is tried.
func (t *Table) Balancer(arn string) (*Balancer, bool) {
	if t == nil {
		return nil, false
	}
	if b, ok := t.balancers[arn]; ok {
		return b, true
	}
	if bare, _, ok := strings.Cut(arn, "?"); ok {
		b, ok := t.balancers[bare]
		return b, ok
	}
	return nil, false
}

// ARNs lists the table's keys, sorted, for error messages and diagnostics.
func (t *Table) ARNs() []string {
	if t == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(t.balancers))
}
