package lambdasvc

import (
	"encoding/json"
	"errors"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	model "github.com/gatehouse-dev/gatehouse/internal/model/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// decodeBody unmarshals the validated body members onto v.
func decodeBody(r *mgmt.Request, v any) error {
	b, err := json.Marshal(r.Body)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return invalidParameter("Could not read the request: %v", err)
	}
	return nil
}

// target is the function a request names in its FunctionName label.
type target struct {
	region, name string
}

// functionTarget resolves r's FunctionName (a name, partial or full ARN)
// in the request's region. A version or alias other than $LATEST does not
// exist locally.
func (s *Service) functionTarget(r *mgmt.Request) (target, error) {
	label := r.Labels["FunctionName"]
	ref, ok := model.ParseName(label)
	if !ok {
		return target{}, invalidParameter("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?", label)
	}
	t := target{region: r.Region, name: ref.Name}
	q := ref.Qualifier
	if v := r.Query.Get("Qualifier"); v != "" {
		q = v
	}
	if (ref.Region != "" && ref.Region != r.Region) || (ref.Account != "" && ref.Account != s.cfg.AccountID) ||
		(q != "" && q != model.VersionLatest) {
		arn := model.FunctionARN(r.Region, s.cfg.AccountID, ref.Name)
		if q != "" {
			arn += ":" + q
		}
		return target{}, functionNotFound(arn)
	}
	return t, nil
}

func (s *Service) arn(t target) string { return model.FunctionARN(t.region, s.cfg.AccountID, t.name) }

// load reads a stored function.
func (s *Service) load(tx store.Tx, t target) (*model.Function, store.Record, error) {
	rec, err := tx.Get(kindFunction, t.region, t.name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, rec, functionNotFound(s.arn(t))
	}
	if err != nil {
		return nil, rec, err
	}
	var fn model.Function
	if err := json.Unmarshal(rec.Body, &fn); err != nil {
		return nil, rec, err
	}
	return &fn, rec, nil
}

// save replaces a stored function.
func save(tx store.Tx, rec store.Record, fn *model.Function) error {
	b, err := json.Marshal(fn)
	if err != nil {
		return err
	}
	rec.Body = b
	return tx.Replace(rec)
}

// update runs fn on the stored function in one transaction and registers the
// result with the runner.
func (s *Service) update(r *mgmt.Request, change func(*model.Function) error) (*model.Function, error) {
	t, err := s.functionTarget(r)
	if err != nil {
		return nil, err
	}
	var out *model.Function
	err = s.st.Update(r.Ctx, func(tx store.Tx) error {
		fn, rec, err := s.load(tx, t)
		if err != nil {
			return err
		}
		if err := change(fn); err != nil {
			return err
		}
		out = fn
		return save(tx, rec, fn)
	})
	if err != nil {
		return nil, err
	}
	s.cfg.Runner.Put(s.runnerFunction(t.region, out))
	return out, nil
}

// view reads the function r names.
func (s *Service) view(r *mgmt.Request) (*model.Function, target, error) {
	t, err := s.functionTarget(r)
	if err != nil {
		return nil, t, err
	}
	var out *model.Function
	err = s.st.View(r.Ctx, func(tx store.Tx) error {
		fn, _, err := s.load(tx, t)
		out = fn
		return err
	})
	return out, t, err
}
