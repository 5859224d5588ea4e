package gateway

import (
	"sort"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/deploy"
)

// table is an immutable view of everything the data plane serves. Reloads
// build a new table and swap it in atomically, so a request sees one whole
// configuration.
type table struct {
	apis    map[string]*deploy.API   // by region + "/" + apiId
	byID    map[string][]*deploy.API // by apiId, for host-form endpoints
	domains map[string]*domain       // by lower-case domain name ("*.example.com" for wildcards)
}

// domain is a custom domain name and its API mappings, longest key first.
type domain struct {
	name     string
	region   string
	mappings []apiMapping
}

type apiMapping struct {
	key   string // "" or "v1/orders"
	apiID string
	stage string
}

func apiKey(region, id string) string { return region + "/" + id }

func (t *table) clone() *table {
	n := &table{apis: make(map[string]*deploy.API, len(t.apis)+1), byID: make(map[string][]*deploy.API, len(t.byID)+1), domains: t.domains}
	for k, v := range t.apis {
		n.apis[k] = v
	}
	for k, v := range t.byID {
		n.byID[k] = v
	}
	return n
}

func (t *table) setAPI(region, id string, api *deploy.API) {
	k := apiKey(region, id)
	delete(t.apis, k)
	var rest []*deploy.API
	for _, a := range t.byID[id] {
		if a.Region != region {
			rest = append(rest, a)
		}
	}
	if api != nil {
		t.apis[k] = api
		rest = append(rest, api)
	}
	if len(rest) == 0 {
		delete(t.byID, id)
	} else {
		t.byID[id] = rest
	}
}

// lookupDomain finds a custom domain by host (exact, then wildcard).
func (t *table) lookupDomain(host string) *domain {
	if d := t.domains[host]; d != nil {
		return d
	}
	if _, rest, ok := strings.Cut(host, "."); ok {
		return t.domains["*."+rest]
	}
	return nil
}

// match finds the API mapping for a path on a custom domain: the longest
// mapping key that is a whole-segment prefix of the path wins; "" matches all.
// It returns the mapping and the path left after the key.
func (d *domain) match(path string) (apiMapping, string, bool) {
	p := strings.TrimPrefix(path, "/")
	for _, m := range d.mappings {
		if m.key == "" {
			return m, path, true
		}
		if p == m.key {
			return m, "/", true
		}
		if strings.HasPrefix(p, m.key+"/") {
			return m, p[len(m.key):], true
		}
	}
	return apiMapping{}, "", false
}

func sortMappings(ms []apiMapping) {
	sort.Slice(ms, func(i, j int) bool { return len(ms[i].key) > len(ms[j].key) })
}
