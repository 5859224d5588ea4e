package lambdasvc

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/lambda/local"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/cursor"
	model "github.com/gatehouse-dev/gatehouse/internal/model/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// Lambda's defaults and limits.
const (
	defaultTimeout = 3
	maxTimeout     = 900
	defaultMemory  = 128
	maxMemory      = 10240
	maxEnvBytes    = 4096
	defaultList    = 50
)

// configInput holds the configuration members of CreateFunction and
// UpdateFunctionConfiguration.
type configInput struct {
	FunctionName  string              `json:"FunctionName"`
	Runtime       *string             `json:"Runtime"`
	Role          *string             `json:"Role"`
	Handler       *string             `json:"Handler"`
	Description   *string             `json:"Description"`
	Timeout       *int                `json:"Timeout"`
	MemorySize    *int                `json:"MemorySize"`
	Environment   *model.Environment  `json:"Environment"`
	PackageType   string              `json:"PackageType"`
	Architectures []string            `json:"Architectures"`
	Code          *model.FunctionCode `json:"Code"`
	Tags          map[string]string   `json:"Tags"`
	RevisionId    string              `json:"RevisionId"`
}

func (s *Service) createFunction(r *mgmt.Request) (any, error) {
	var in configInput
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	ref, ok := model.ParseName(in.FunctionName)
	if !ok || ref.Qualifier != "" || (ref.Region != "" && ref.Region != r.Region) {
		return nil, invalidParameter("Invalid function name %q: use a name of 1 to 64 letters, digits, hyphens and underscores, or an unqualified ARN in this region", in.FunctionName)
	}
	t := target{region: r.Region, name: ref.Name}
	if in.PackageType == "Image" {
		return nil, invalidParameter("Gatehouse runs Zip functions only; PackageType Image is not supported")
	}
	c := model.FunctionConfiguration{
		FunctionName: t.name, FunctionArn: s.arn(t), Role: deref(in.Role), Timeout: defaultTimeout,
		MemorySize: defaultMemory, Version: model.VersionLatest, State: "Active", LastUpdateStatus: "Successful",
		PackageType: "Zip", Architectures: []string{"x86_64"}, TracingConfig: &model.TracingConfig{Mode: "PassThrough"},
		EphemeralStorage: &model.EphemeralStorage{Size: 512},
		SnapStart:        &model.SnapStartResponse{ApplyOn: "None", OptimizationStatus: "Off"},
		LoggingConfig:    &model.LoggingConfig{LogFormat: "Text", LogGroup: "/aws/lambda/" + t.name},
	}
	if len(in.Architectures) > 0 {
		c.Architectures = in.Architectures
	}
	if err := applyConfig(&c, &in); err != nil {
		return nil, err
	}
	if c.Runtime == "" || (local.NeedsHandler(c.Runtime) && c.Handler == "") {
		return nil, invalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
	}
	// Refuse a duplicate before unpacking anything.
	if err := s.st.View(r.Ctx, func(tx store.Tx) error {
		_, err := tx.Get(kindFunction, t.region, t.name)
		if err == nil {
			return conflict("Function already exist: %s", t.name)
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}); err != nil {
		return nil, err
	}
	cd, err := s.resolveCode(t.region, t.name, in.Code)
	if err != nil {
		return nil, err
	}
	c.CodeSha256, c.CodeSize = cd.sha256, cd.size
	s.touch(&c)
	fn := &model.Function{Configuration: c, CodeDir: cd.dir, Local: cd.local, Tags: in.Tags}
	body, err := json.Marshal(fn)
	if err != nil {
		cd.discard()
		return nil, err
	}
	err = s.st.Update(r.Ctx, func(tx store.Tx) error {
		_, err := tx.Insert(store.Record{Kind: kindFunction, Scope: t.region, ID: t.name, Body: body})
		if errors.Is(err, store.ErrConflict) {
			return conflict("Function already exist: %s", t.name)
		}
		return err
	})
	if err != nil {
		cd.discard()
		return nil, err
	}
	s.cfg.Runner.Put(s.runnerFunction(t.region, fn))
	return &fn.Configuration, nil
}

// applyConfig applies the configuration members present in in onto c.
func applyConfig(c *model.FunctionConfiguration, in *configInput) error {
	if in.Runtime != nil {
		if !local.Supported(*in.Runtime) {
			return invalidParameter("The runtime parameter of %s is not supported by Gatehouse. Supported runtimes: %s",
				*in.Runtime, strings.Join(local.Runtimes(), ", "))
		}
		c.Runtime = *in.Runtime
	}
	if in.Role != nil {
		c.Role = *in.Role
	}
	if in.Handler != nil {
		c.Handler = *in.Handler
	}
	if in.Description != nil {
		c.Description = *in.Description
	}
	if in.Timeout != nil {
		if *in.Timeout > maxTimeout {
			return validation("1 validation error detected: Value '%d' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to %d", *in.Timeout, maxTimeout)
		}
		c.Timeout = *in.Timeout
	}
	if in.MemorySize != nil {
		if *in.MemorySize > maxMemory {
			return invalidParameter("'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to %d", maxMemory)
		}
		c.MemorySize = *in.MemorySize
	}
	if in.Environment != nil {
		if err := checkEnvironment(in.Environment.Variables); err != nil {
			return err
		}
		c.Environment = &model.EnvironmentResponse{Variables: in.Environment.Variables}
		if len(in.Environment.Variables) == 0 {
			c.Environment = nil
		}
	}
	return nil
}

// checkEnvironment applies Lambda's rules: no reserved keys, 4 KB in all.
func checkEnvironment(vars map[string]string) error {
	var reserved []string
	size := 0
	for _, k := range local.ReservedEnv {
		if _, ok := vars[k]; ok {
			reserved = append(reserved, k)
		}
	}
	if len(reserved) > 0 {
		sort.Strings(reserved)
		return invalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: %s", strings.Join(reserved, ", "))
	}
	b, _ := json.Marshal(vars)
	if size = len(b); size > maxEnvBytes {
		return invalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: %d", size)
	}
	return nil
}

// touch sets LastModified and a new RevisionId.
func (s *Service) touch(c *model.FunctionConfiguration) {
	c.LastModified = s.cfg.Now().UTC().Format(model.TimeFormat)
	c.RevisionId = newRevision()
}

func newRevision() string {
	var b [16]byte
	rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (s *Service) getFunction(r *mgmt.Request) (any, error) {
	fn, _, err := s.view(r)
	if err != nil {
		return nil, err
	}
	out := &model.GetFunctionResponse{Configuration: &fn.Configuration, Tags: fn.Tags,
		Code: &model.FunctionCodeLocation{RepositoryType: "S3"}}
	if fn.Reserved != nil {
		out.Concurrency = &model.Concurrency{ReservedConcurrentExecutions: fn.Reserved}
	}
	return out, nil
}

func (s *Service) getFunctionConfiguration(r *mgmt.Request) (any, error) {
	fn, _, err := s.view(r)
	if err != nil {
		return nil, err
	}
	return &fn.Configuration, nil
}

func (s *Service) listFunctions(r *mgmt.Request) (any, error) {
	limit := defaultList
	if v := r.Query.Get("MaxItems"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return nil, validation("1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000", v)
		}
		limit = min(n, defaultList)
	}
	var after int64
	if m := r.Query.Get("Marker"); m != "" {
		seq, err := cursor.Decode(m, string(kindFunction), r.Region)
		if err != nil {
			return nil, invalidParameter("Invalid Marker: %s", m)
		}
		after = seq
	}
	out := &model.ListFunctionsResponse{Functions: []json.RawMessage{}}
	err := s.st.View(r.Ctx, func(tx store.Tx) error {
		recs, err := tx.List(kindFunction, r.Region, after, limit+1)
		if err != nil {
			return err
		}
		if len(recs) > limit {
			recs = recs[:limit]
			out.NextMarker = cursor.Encode(recs[limit-1].Seq, string(kindFunction), r.Region)
		}
		for _, rec := range recs {
			var fn struct {
				Configuration json.RawMessage `json:"configuration"`
			}
			if err := json.Unmarshal(rec.Body, &fn); err != nil {
				return err
			}
			out.Functions = append(out.Functions, fn.Configuration)
		}
		return nil
	})
	return out, err
}

func (s *Service) updateFunctionConfiguration(r *mgmt.Request) (any, error) {
	var in configInput
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	fn, err := s.update(r, func(fn *model.Function) error {
		if in.RevisionId != "" && in.RevisionId != fn.Configuration.RevisionId {
			return preconditionFailed()
		}
		if err := applyConfig(&fn.Configuration, &in); err != nil {
			return err
		}
		if local.NeedsHandler(fn.Configuration.Runtime) && fn.Configuration.Handler == "" {
			return invalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
		}
		s.touch(&fn.Configuration)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &fn.Configuration, nil
}

func preconditionFailed() error {
	return awserr.New(http.StatusPreconditionFailed, "PreconditionFailedException",
		"The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
}

func (s *Service) deleteFunction(r *mgmt.Request) (any, error) {
	t, err := s.functionTarget(r)
	if err != nil {
		return nil, err
	}
	var fn *model.Function
	err = s.st.Update(r.Ctx, func(tx store.Tx) error {
		f, _, err := s.load(tx, t)
		if err != nil {
			return err
		}
		fn = f
		return tx.Delete(kindFunction, t.region, t.name)
	})
	if err != nil {
		return nil, err
	}
	s.cfg.Runner.Remove(t.region, t.name)
	if !fn.Local {
		os.RemoveAll(s.codeRoot(t.region, t.name))
	}
	return &mgmt.Reply{Status: http.StatusNoContent}, nil
}

func (s *Service) updateFunctionCode(r *mgmt.Request) (any, error) {
	var in struct {
		model.FunctionCode
		DryRun     bool   `json:"DryRun"`
		RevisionId string `json:"RevisionId"`
	}
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	t, err := s.functionTarget(r)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.view(r); err != nil {
		return nil, err
	}
	cd, err := s.resolveCode(t.region, t.name, &in.FunctionCode)
	if err != nil {
		return nil, err
	}
	var old *model.Function
	fn, err := s.update(r, func(fn *model.Function) error {
		if in.RevisionId != "" && in.RevisionId != fn.Configuration.RevisionId {
			return preconditionFailed()
		}
		if in.DryRun {
			return errDryRun{fn: fn}
		}
		copyFn := *fn
		old = &copyFn
		fn.CodeDir, fn.Local = cd.dir, cd.local
		fn.Configuration.CodeSha256, fn.Configuration.CodeSize = cd.sha256, cd.size
		s.touch(&fn.Configuration)
		return nil
	})
	var dry errDryRun
	if errors.As(err, &dry) {
		cd.discard()
		return &dry.fn.Configuration, nil
	}
	if err != nil {
		cd.discard()
		return nil, err
	}
	if !cd.local {
		s.pruneCode(t.region, t.name, cd.dir)
	} else if old != nil && !old.Local {
		os.RemoveAll(s.codeRoot(t.region, t.name))
	}
	return &fn.Configuration, nil
}

// errDryRun aborts UpdateFunctionCode's transaction for a dry run.
type errDryRun struct{ fn *model.Function }

func (errDryRun) Error() string { return "dry run" }
