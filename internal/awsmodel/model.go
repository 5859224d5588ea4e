// Package awsmodel reads botocore service models (embedded, trimmed copies) and
// answers the questions a rest-json server must answer exactly as AWS does: which
// operation a method and path name, where each input member travels, what status
// a success returns, and whether a JSON body satisfies the input shape (types,
// required members, enums and numeric ranges).
package awsmodel

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

//go:embed apigatewayv2.json
var apigatewayv2JSON []byte

// APIGatewayV2 returns the apigatewayv2 model (72 classic operations).
func APIGatewayV2() *Service { return mustLoad(apigatewayv2JSON) }

//go:embed lambda.json
var lambdaJSON []byte

// Lambda returns the lambda model (every operation; Gatehouse serves a subset).
func Lambda() *Service { return mustLoad(lambdaJSON) }

// Service is a parsed service model.
type Service struct {
	Operations map[string]*Operation
	Shapes     map[string]*Shape
	ops        []*Operation // sorted by name, for deterministic matching
}

// Operation is one API operation's HTTP binding.
type Operation struct {
	Name   string
	Method string
	// Path is the request URI template split on "/" (leading empty element dropped);
	// elements like "{apiId}" are labels.
	Path   []string
	Status int
	Input  *Shape
	Output *Shape
	// narrowed is true when the request URI carries a literal query
	// ("/layers?find=LayerVersion"): it only disambiguates, so such an
	// operation is matched after the one that has the same path without it.
	narrowed bool
}

// Shape is a model shape.
type Shape struct {
	Name     string
	Type     string             // structure, list, map, string, integer, long, double, boolean, timestamp, blob
	Members  map[string]*Member // by member name
	Required map[string]bool    // member names
	Enum     []string
	Min, Max *float64 // numeric range, or length of a string, list or map
	// Pattern is the model's regular expression for a string, anchored at both
	// ends as AWS matches it (Java's String.matches); nil when the model has
	// none or it uses syntax RE2 lacks (look-around), which then constrains
	// nothing. PatternText is the expression as the model writes it.
	Pattern     *regexp.Regexp
	PatternText string
	// Sensitive values are left out of validation messages, as AWS does.
	Sensitive bool
	Elem      *Shape // list member / map value
	Key       *Shape
	Payload   string // member that is the raw HTTP body, if any

	order []string // member names, sorted
}

// Member is a structure member.
type Member struct {
	Name         string
	LocationName string // wire name: JSON key, query key, header or URI label
	Location     string // "" (body), uri, querystring, header, headers, statusCode
	Shape        *Shape
}

// WireName is the name of the member on the wire.
func (m *Member) WireName() string {
	if m.LocationName != "" {
		return m.LocationName
	}
	return m.Name
}

type rawRef struct {
	Shape        string `json:"shape"`
	Location     string `json:"location"`
	LocationName string `json:"locationName"`
}

type rawShape struct {
	Type     string            `json:"type"`
	Members  map[string]rawRef `json:"members"`
	Required []string          `json:"required"`
	Enum     []string          `json:"enum"`
	Pattern  string            `json:"pattern"`
	Sens     bool              `json:"sensitive"`
	Min      *float64          `json:"min"`
	Max      *float64          `json:"max"`
	Member   *rawRef           `json:"member"`
	Key      *rawRef           `json:"key"`
	Value    *rawRef           `json:"value"`
	Payload  string            `json:"payload"`
}

type rawModel struct {
	Operations map[string]struct {
		Name string `json:"name"`
		HTTP struct {
			Method       string `json:"method"`
			RequestURI   string `json:"requestUri"`
			ResponseCode int    `json:"responseCode"`
		} `json:"http"`
		Input  *rawRef `json:"input"`
		Output *rawRef `json:"output"`
	} `json:"operations"`
	Shapes map[string]rawShape `json:"shapes"`
}

func mustLoad(b []byte) *Service {
	s, err := Load(b)
	if err != nil {
		panic(err) // embedded data: a failure is a build defect
	}
	return s
}

// Load parses a (trimmed) botocore service-2.json.
func Load(b []byte) (*Service, error) {
	var raw rawModel
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("parsing service model: %w", err)
	}
	svc := &Service{Operations: map[string]*Operation{}, Shapes: map[string]*Shape{}}
	for name := range raw.Shapes {
		svc.Shapes[name] = &Shape{Name: name}
	}
	ref := func(r *rawRef) *Shape {
		if r == nil {
			return nil
		}
		return svc.Shapes[r.Shape]
	}
	for name, rs := range raw.Shapes {
		s := svc.Shapes[name]
		s.Type, s.Enum, s.Min, s.Max, s.Payload = rs.Type, rs.Enum, rs.Min, rs.Max, rs.Payload
		s.Sensitive = rs.Sens
		if rs.Pattern != "" {
			s.PatternText = rs.Pattern
			s.Pattern, _ = regexp.Compile(`^(?:` + rs.Pattern + `)$`)
		}
		if rs.Members != nil {
			s.Members = map[string]*Member{}
			for mn, mr := range rs.Members {
				if svc.Shapes[mr.Shape] == nil {
					return nil, fmt.Errorf("shape %s member %s: unknown shape %s", name, mn, mr.Shape)
				}
				s.Members[mn] = &Member{Name: mn, LocationName: mr.LocationName, Location: mr.Location, Shape: svc.Shapes[mr.Shape]}
			}
		}
		s.Required = map[string]bool{}
		for _, r := range rs.Required {
			s.Required[r] = true
		}
		s.Key = ref(rs.Key)
		if rs.Member != nil {
			s.Elem = ref(rs.Member)
		} else if rs.Value != nil {
			s.Elem = ref(rs.Value)
		}
	}
	for _, s := range svc.Shapes {
		for n := range s.Members {
			s.order = append(s.order, n)
		}
		sort.Strings(s.order)
	}
	for name, ro := range raw.Operations {
		uri := ro.HTTP.RequestURI
		i := strings.IndexByte(uri, '?')
		if i >= 0 {
			uri = uri[:i]
		}
		op := &Operation{Name: name, Method: ro.HTTP.Method, Path: strings.Split(strings.TrimPrefix(uri, "/"), "/"),
			Status: ro.HTTP.ResponseCode, Input: ref(ro.Input), Output: ref(ro.Output), narrowed: i >= 0}
		if op.Status == 0 {
			op.Status = 200
		}
		svc.Operations[name] = op
		svc.ops = append(svc.ops, op)
	}
	sort.Slice(svc.ops, func(i, j int) bool {
		a, b := svc.ops[i], svc.ops[j]
		if a.narrowed != b.narrowed {
			return !a.narrowed
		}
		return a.Name < b.Name
	})
	return svc, nil
}
