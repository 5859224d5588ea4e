package apigw

import (
	"fmt"
	"strconv"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
	"github.com/gatehouse-dev/gatehouse/internal/vtl"
)

// overrideMap is one of $context.requestOverride.{header,querystring,path}
// or $context.responseOverride(.header): a map whose entries a template
// may set once each. Setting one again fails the render, as API Gateway
// answers 5XX [DG:apigateway-override-request-response-parameters].
type overrideMap struct {
	what string
	m    *jsonpath.Map
	ov   *Overrides // the set it belongs to
}

// SetProperty implements vtl.Setter.
func (o *overrideMap) SetProperty(name string, v any) error {
	if _, ok := o.m.Get(name); ok {
		return fmt.Errorf("%s.%s is already set: an override can be set only once", o.what, name)
	}
	o.m.Set(name, v)
	return nil
}

// Call implements vtl.Object with the read-only Map methods.
func (o *overrideMap) Call(name string, args []any) (any, bool, error) {
	switch {
	case name == "get" && len(args) == 1:
		v, _ := o.m.Get(vtl.JavaString(args[0]))
		return v, true, nil
	case name == "put" && len(args) == 2:
		return nil, true, o.SetProperty(vtl.JavaString(args[0]), args[1])
	case name == "containsKey" && len(args) == 1:
		_, ok := o.m.Get(vtl.JavaString(args[0]))
		return ok, true, nil
	case name == "size" && len(args) == 0:
		return int64(o.m.Len()), true, nil
	case name == "isEmpty" && len(args) == 0:
		return o.m.Len() == 0, true, nil
	case name == "keySet" && len(args) == 0:
		keys := make([]any, o.m.Len())
		for i, k := range o.m.Keys() {
			keys[i] = k
		}
		return &jsonpath.List{Items: keys, Java: true}, true, nil
	}
	return nil, false, nil
}

// String prints the map as Java does.
func (o *overrideMap) String() string { return vtl.JavaString(o.m) }

// params returns the entries set, as strings, in the order they were set.
func (o *overrideMap) params() []Param {
	var ps []Param
	for i := 0; i < o.m.Len(); i++ {
		k, v := o.m.At(i)
		if _, nested := v.(*overrideMap); nested {
			continue
		}
		ps = append(ps, Param{Name: k, Value: vtl.JavaString(v)})
	}
	return ps
}

// Overrides exposes what a template set in $context.requestOverride and
// $context.responseOverride, once the render is done.
type Overrides struct {
	reqHeader, reqQuery, reqPath *overrideMap
	resp, respHeader             *overrideMap
}

func newOverrides() (*Overrides, *jsonpath.Map, *overrideMap) {
	// One allocation for the five maps; they start empty.
	all := &struct {
		ov                              Overrides
		reqHeader, reqQuery, reqPath    overrideMap
		resp, respHeader                overrideMap
		reqM, respM                     jsonpath.SmallMap
		reqHeaderM, reqQueryM, reqPathM jsonpath.Map
		respHeaderM                     jsonpath.Map
	}{}
	all.reqHeader = overrideMap{what: "$context.requestOverride.header", m: &all.reqHeaderM}
	all.reqQuery = overrideMap{what: "$context.requestOverride.querystring", m: &all.reqQueryM}
	all.reqPath = overrideMap{what: "$context.requestOverride.path", m: &all.reqPathM}
	all.resp = overrideMap{what: "$context.responseOverride", m: all.respM.Init()}
	all.respHeader = overrideMap{what: "$context.responseOverride.header", m: &all.respHeaderM}
	o := &all.ov
	for _, m := range []*overrideMap{&all.reqHeader, &all.reqQuery, &all.reqPath, &all.resp, &all.respHeader} {
		m.ov = o
	}
	o.reqHeader, o.reqQuery, o.reqPath = &all.reqHeader, &all.reqQuery, &all.reqPath
	o.resp, o.respHeader = &all.resp, &all.respHeader
	req := all.reqM.Init()
	req.Set("header", o.reqHeader)
	req.Set("querystring", o.reqQuery)
	req.Set("path", o.reqPath)
	o.resp.m.Set("header", o.respHeader)
	return o, req, o.resp
}

// RequestHeaders returns the $context.requestOverride.header entries.
func (o *Overrides) RequestHeaders() []Param { return o.reqHeader.params() }

// RequestQueryString returns the $context.requestOverride.querystring entries.
func (o *Overrides) RequestQueryString() []Param { return o.reqQuery.params() }

// RequestPath returns the $context.requestOverride.path entries.
func (o *Overrides) RequestPath() []Param { return o.reqPath.params() }

// ResponseHeaders returns the $context.responseOverride.header entries.
func (o *Overrides) ResponseHeaders() []Param { return o.respHeader.params() }

// Status returns $context.responseOverride.status when the template set it
// to an integer from 100 to 599 (a number or a numeric string); any other
// value is ignored, as on AWS.
func (o *Overrides) Status() (int, bool) {
	v, ok := o.resp.m.Get("status")
	if !ok {
		return 0, false
	}
	var n int64
	switch x := v.(type) {
	case int64:
		n = x
	case string:
		var err error
		if n, err = strconv.ParseInt(x, 10, 32); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if n < 100 || n > 599 {
		return 0, false
	}
	return int(n), true
}
