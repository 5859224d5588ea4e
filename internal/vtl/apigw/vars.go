package apigw

import (
	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
	"github.com/gatehouse-dev/gatehouse/internal/vtl"
)

// Data is what one render of a mapping template sees.
type Data struct {
	// Body is the payload: the method request's for a request template,
	// the integration's for a response template.
	Body []byte
	// Params are the method request parameters ($input.params()).
	Params Params
	// Context holds the $context variables as nested maps
	// ("identity" → {"sourceIp": ...}); nil means an empty context. Vars
	// adds requestOverride and responseOverride to it unless an earlier
	// Vars did. Pass the same map to the request and the response
	// templates of one request: what the first sets ($context.custom,
	// overrides) the second sees, as on AWS. Templates may mutate it.
	Context *jsonpath.Map
	// StageVariables are $stageVariables.
	StageVariables []Param
}

// Vars returns the variables for one render of data and the overrides the
// template may set (shared by every render given the same Context). Build
// new Vars for every render.
func Vars(d Data) (vtl.Vars, *Overrides) {
	ctx := d.Context
	if ctx == nil {
		ctx = jsonpath.NewMap(2)
	}
	var ov *Overrides
	if v, ok := ctx.Get("responseOverride"); ok {
		if om, ok := v.(*overrideMap); ok {
			ov = om.ov
		}
	}
	if ov == nil {
		var req *jsonpath.Map
		var resp *overrideMap
		ov, req, resp = newOverrides()
		ctx.Set("requestOverride", req)
		ctx.Set("responseOverride", resp)
	}
	// $input and a small $stageVariables share one allocation.
	b := new(struct {
		in    Input
		stage jsonpath.SmallMap
	})
	b.in = Input{body: string(d.Body), params: d.Params}
	var stage *jsonpath.Map
	if len(d.StageVariables) <= 4 {
		stage = b.stage.Init()
		setParams(stage, d.StageVariables)
	} else {
		stage = paramMap(d.StageVariables)
	}
	return vtl.Vars{
		"input":          &b.in,
		"util":           Util{},
		"context":        ctx,
		"stageVariables": stage,
	}, ov
}
