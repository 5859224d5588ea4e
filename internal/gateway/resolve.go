package gateway

import (
	"net"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/deploy"
	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

// ExecuteAPIPrefix is the DNS-free form of an API endpoint:
// /_gatehouse/execute-api/{region}/{apiId}/{stage}/{path...}
const ExecuteAPIPrefix = "/_gatehouse/execute-api/"

func hostname(host string) string {
	// SplitHostPort only when there can be a port: its error for a bare
	// host is an allocation, twice per request.
	if i := strings.LastIndexByte(host, ':'); i >= 0 && (strings.IndexByte(host, ':') == i || host[0] == '[') {
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
	}
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// executeAPIHost parses "{apiId}.execute-api.{rest}" and returns apiId.
func executeAPIHost(h string) (string, bool) {
	id, rest, ok := strings.Cut(h, ".")
	if !ok || id == "" || !strings.HasPrefix(rest, "execute-api.") {
		return "", false
	}
	return id, true
}

// resolve finds the API and stage a request addresses and the path left for
// route matching [aws-behavior §3.1].
func (fl *flight) resolve() error {
	x, t := fl.x, fl.g.tbl.Load()
	host := hostname(x.Req.Host)
	x.DomainName = host
	x.DomainPrefix, _, _ = strings.Cut(host, ".")
	raw := x.Req.RawPath
	if rest, ok := strings.CutPrefix(raw, ExecuteAPIPrefix); ok {
		region, rest, _ := strings.Cut(rest, "/")
		id, rest, _ := strings.Cut(rest, "/")
		api := t.apis[apiKey(region, id)]
		if api == nil || api.DisableExecuteAPIEndpoint {
			return exchange.NotFound()
		}
		x.DomainName = id + ".execute-api." + region + ".amazonaws.com"
		x.DomainPrefix = id
		return fl.selectStage(api, "/"+rest)
	}
	if id, ok := executeAPIHost(host); ok {
		api := fl.byHost(t, id, host)
		if api == nil || api.DisableExecuteAPIEndpoint {
			return exchange.NotFound()
		}
		return fl.selectStage(api, raw)
	}
	if d := t.lookupDomain(host); d != nil {
		m, rest, ok := d.match(raw)
		if !ok {
			return exchange.NotFound()
		}
		api := t.apis[apiKey(d.region, m.apiID)]
		if api == nil {
			return exchange.NotFound()
		}
		st := api.Stages[m.stage]
		if st == nil {
			return exchange.NotFound()
		}
		x.BasePathMatched = m.key
		return fl.useStage(api, st, rest)
	}
	return exchange.NotFound()
}

// byHost picks the API for a host-form endpoint: the region named in the host
// ({id}.execute-api.{region}.…) if any, else the default region, else the only one.
func (fl *flight) byHost(t *table, id, host string) *deploy.API {
	cands := t.byID[id]
	if len(cands) == 1 {
		return cands[0]
	}
	parts := strings.Split(host, ".")
	for _, a := range cands {
		if len(parts) > 2 && parts[2] == a.Region {
			return a
		}
	}
	for _, a := range cands {
		if a.Region == fl.g.cfg.Region {
			return a
		}
	}
	return nil
}

// selectStage applies stage selection on the default endpoint: a first path
// segment naming a stage selects it; otherwise the $default stage serves.
func (fl *flight) selectStage(api *deploy.API, path string) error {
	seg, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if seg != "$default" {
		if st := api.Stages[seg]; st != nil && seg != "" {
			fl.x.Req.RawPath = path
			return fl.useStage(api, st, "/"+rest)
		}
	}
	if st := api.Stages["$default"]; st != nil {
		fl.x.Req.RawPath = path
		return fl.useStage(api, st, path)
	}
	return exchange.NotFound()
}

func (fl *flight) useStage(api *deploy.API, st *deploy.Stage, path string) error {
	x := fl.x
	fl.api, fl.stage = api, st
	x.Region, x.APIID, x.Stage = api.Region, api.ID, st.Name
	x.StageVariables = st.Variables
	x.Req.Path = path
	return nil
}
