package apigw

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
)

// Param is one request parameter, in request order.
type Param struct {
	Name, Value string
}

// Params are the method request's parameters.
type Params struct {
	Path        []Param
	QueryString []Param
	Header      []Param
}

// Input is $input: the payload and the method request parameters.
type Input struct {
	body   string
	params Params

	parsed bool
	doc    any
	docOK  bool
}

// NewInput returns $input for body and params.
func NewInput(body []byte, params Params) *Input {
	return &Input{body: string(body), params: params}
}

// document parses the body once per Input. A body that is empty or not
// JSON has no document: path() is then null and json() empty.
func (in *Input) document() (any, bool) {
	if !in.parsed {
		in.parsed = true
		if strings.TrimSpace(in.body) != "" {
			if v, err := jsonpath.ParseString(in.body); err == nil {
				in.doc, in.docOK = v, true
			}
		}
	}
	return in.doc, in.docOK
}

// read evaluates a JSONPath against the body; ok is false when the path is
// invalid, the body is not JSON or a definite path matches nothing.
func (in *Input) read(path string) (any, bool) {
	doc, ok := in.document()
	if !ok {
		return nil, false
	}
	p, err := compilePath(path)
	if err != nil {
		return nil, false
	}
	v, err := p.Read(doc)
	if err != nil {
		return nil, false
	}
	return v, true
}

// Call implements vtl.Object: body, json(x), path(x), params(), params(x).
func (in *Input) Call(name string, args []any) (any, bool, error) {
	switch {
	case (name == "getBody" || name == "body") && len(args) == 0:
		// An empty payload reads as "{}" (observed on AWS by LocalStack).
		if in.body == "" {
			return "{}", true, nil
		}
		return in.body, true, nil
	case name == "json" && len(args) == 1:
		p, ok := args[0].(string)
		if !ok {
			return nil, false, nil
		}
		v, ok := in.read(p)
		if !ok {
			return "", true, nil
		}
		return jsonpath.JSON(v), true, nil
	case name == "path" && len(args) == 1:
		p, ok := args[0].(string)
		if !ok {
			return nil, false, nil
		}
		v, _ := in.read(p)
		return v, true, nil
	case name == "params" && len(args) == 0:
		m := jsonpath.NewMap(3)
		m.Set("path", paramMap(in.params.Path))
		m.Set("querystring", paramMap(in.params.QueryString))
		m.Set("header", paramMap(in.params.Header))
		return m, true, nil
	case name == "params" && len(args) == 1:
		k, ok := args[0].(string)
		if !ok {
			return nil, false, nil
		}
		return in.param(k), true, nil
	}
	return nil, false, nil
}

// param looks name up in path, then query string, then headers (header
// names case-insensitively), and is "" when absent.
func (in *Input) param(name string) string {
	for _, p := range in.params.Path {
		if p.Name == name {
			return p.Value
		}
	}
	for _, p := range in.params.QueryString {
		if p.Name == name {
			return p.Value
		}
	}
	for _, p := range in.params.Header {
		if strings.EqualFold(p.Name, name) {
			return p.Value
		}
	}
	return ""
}

// paramMap builds a map of parameters; a repeated name keeps its last
// value, as API Gateway's single-value maps do.
func paramMap(ps []Param) *jsonpath.Map {
	m := jsonpath.NewMap(len(ps))
	setParams(m, ps)
	return m
}

func setParams(m *jsonpath.Map, ps []Param) {
	for _, p := range ps {
		m.Set(p.Name, p.Value)
	}
}

// String is what "$input" alone prints.
func (in *Input) String() string { return "$input" }
