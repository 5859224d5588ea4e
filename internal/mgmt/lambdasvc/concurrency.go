package lambdasvc

import (
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	model "github.com/gatehouse-dev/gatehouse/internal/model/lambda"
)

func (s *Service) putFunctionConcurrency(r *mgmt.Request) (any, error) {
	var in struct {
		ReservedConcurrentExecutions *int `json:"ReservedConcurrentExecutions"`
	}
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	if in.ReservedConcurrentExecutions == nil {
		return nil, validation("1 validation error detected: Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null")
	}
	n := *in.ReservedConcurrentExecutions
	if _, err := s.update(r, func(fn *model.Function) error {
		fn.Reserved = &n
		return nil
	}); err != nil {
		return nil, err
	}
	return &model.Concurrency{ReservedConcurrentExecutions: &n}, nil
}

func (s *Service) deleteFunctionConcurrency(r *mgmt.Request) (any, error) {
	if _, err := s.update(r, func(fn *model.Function) error {
		fn.Reserved = nil
		return nil
	}); err != nil {
		return nil, err
	}
	return &mgmt.Reply{Status: 204}, nil
}

func (s *Service) getFunctionConcurrency(r *mgmt.Request) (any, error) {
	fn, _, err := s.view(r)
	if err != nil {
		return nil, err
	}
	return &model.Concurrency{ReservedConcurrentExecutions: fn.Reserved}, nil
}
