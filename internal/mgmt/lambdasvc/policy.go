package lambdasvc

import (
	"encoding/json"
	"regexp"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	model "github.com/gatehouse-dev/gatehouse/internal/model/lambda"
)

// permissionInput is AddPermission's body.
type permissionInput struct {
	StatementId         string `json:"StatementId"`
	Action              string `json:"Action"`
	Principal           string `json:"Principal"`
	SourceArn           string `json:"SourceArn"`
	SourceAccount       string `json:"SourceAccount"`
	EventSourceToken    string `json:"EventSourceToken"`
	PrincipalOrgID      string `json:"PrincipalOrgID"`
	FunctionUrlAuthType string `json:"FunctionUrlAuthType"`
	RevisionId          string `json:"RevisionId"`
}

// statement is a policy statement in the order and shape Lambda writes it.
type statement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Principal any            `json:"Principal"`
	Action    string         `json:"Action"`
	Resource  string         `json:"Resource"`
	Condition map[string]any `json:"Condition,omitempty"`
}

var (
	accountIDRE = regexp.MustCompile(`^\d{12}$`)
	serviceRE   = regexp.MustCompile(`^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$`)
)

// principal renders a principal as Lambda's policies show it.
func principal(p string) any {
	switch {
	case p == "*":
		return "*"
	case accountIDRE.MatchString(p):
		return map[string]string{"AWS": "arn:aws:iam::" + p + ":root"}
	case serviceRE.MatchString(p):
		return map[string]string{"Service": p}
	}
	return map[string]string{"AWS": p}
}

func (s *Service) addPermission(r *mgmt.Request) (any, error) {
	var in permissionInput
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	var stmt []byte
	_, err := s.update(r, func(fn *model.Function) error {
		if in.RevisionId != "" && in.RevisionId != fn.PolicyRevision {
			return preconditionFailed()
		}
		for _, raw := range fn.Statements {
			var st struct{ Sid string }
			if json.Unmarshal(raw, &st) == nil && st.Sid == in.StatementId {
				return conflict("The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", in.StatementId)
			}
		}
		st := statement{Sid: in.StatementId, Effect: "Allow", Principal: principal(in.Principal), Action: in.Action,
			Resource: fn.Configuration.FunctionArn}
		cond := map[string]any{}
		addCond := func(op, key, v string) {
			if v == "" {
				return
			}
			m, _ := cond[op].(map[string]string)
			if m == nil {
				m = map[string]string{}
				cond[op] = m
			}
			m[key] = v
		}
		addCond("StringEquals", "AWS:SourceAccount", in.SourceAccount)
		addCond("StringEquals", "aws:PrincipalOrgID", in.PrincipalOrgID)
		addCond("StringEquals", "lambda:EventSourceToken", in.EventSourceToken)
		addCond("StringEquals", "lambda:FunctionUrlAuthType", in.FunctionUrlAuthType)
		addCond("ArnLike", "AWS:SourceArn", in.SourceArn)
		if len(cond) > 0 {
			st.Condition = cond
		}
		b, err := json.Marshal(st)
		if err != nil {
			return err
		}
		stmt = b
		fn.Statements = append(fn.Statements, b)
		fn.PolicyRevision = newRevision()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &model.AddPermissionResponse{Statement: string(stmt)}, nil
}

func (s *Service) removePermission(r *mgmt.Request) (any, error) {
	sid := r.Labels["StatementId"]
	rev := r.Query.Get("RevisionId")
	_, err := s.update(r, func(fn *model.Function) error {
		if rev != "" && rev != fn.PolicyRevision {
			return preconditionFailed()
		}
		for i, raw := range fn.Statements {
			var st struct{ Sid string }
			if json.Unmarshal(raw, &st) == nil && st.Sid == sid {
				fn.Statements = append(fn.Statements[:i:i], fn.Statements[i+1:]...)
				fn.PolicyRevision = newRevision()
				return nil
			}
		}
		return notFound("Statement %s is not found in resource policy.", sid)
	})
	if err != nil {
		return nil, err
	}
	return &mgmt.Reply{Status: 204}, nil
}

func (s *Service) getPolicy(r *mgmt.Request) (any, error) {
	fn, _, err := s.view(r)
	if err != nil {
		return nil, err
	}
	if len(fn.Statements) == 0 {
		return nil, notFound("The resource you requested does not exist.")
	}
	doc, err := json.Marshal(struct {
		Version   string            `json:"Version"`
		Id        string            `json:"Id"`
		Statement []json.RawMessage `json:"Statement"`
	}{"2012-10-17", "default", fn.Statements})
	if err != nil {
		return nil, err
	}
	return &model.GetPolicyResponse{Policy: string(doc), RevisionId: fn.PolicyRevision}, nil
}
