// Package lambdasvc implements the Lambda management subset on the wire
// (botocore model lambda 2015-03-31): functions (create, read, list, update
// code and configuration, delete), Invoke, resource policies and reserved
// concurrency. Functions are regional and run on the local runner
// (internal/lambda/local). Every other operation of the model is answered
// with an AWS-shaped error saying Gatehouse does not support it.
package lambdasvc

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/lambda/local"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

const kindFunction store.Kind = model.KindFunction

// Runner runs functions; *local.Runner implements it.
type Runner interface {
	// Put registers or replaces a function.
	Put(fn local.Function)
	// Remove unregisters a function and stops its instances.
	Remove(region, name string)
	// RemoveAll unregisters every function.
	RemoveAll()
	// Run invokes a function synchronously.
	Run(ctx context.Context, req *local.Request) (*lambda.Result, error)
}

// Config configures the service.
type Config struct {
	AccountID string
	// DataDir (made absolute) holds unpacked deployment packages under
	// DataDir/functions/{region}/{name}/{sha256}.
	DataDir string
	Runner  Runner
	Logger  *slog.Logger
	Now     func() time.Time
	// MaxPendingEvents bounds asynchronous (Event) invocations waiting or
	// running at once (default 1000); beyond it Invoke is throttled.
	MaxPendingEvents int
}

// Service is the Lambda management API.
type Service struct {
	cfg    Config
	st     store.Store
	model  *awsmodel.Service
	log    *slog.Logger
	events chan struct{} // semaphore of pending Event invocations
}

// New returns the service. Call LoadAll before serving so that stored
// functions are registered with the runner.
func New(st store.Store, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxPendingEvents <= 0 {
		cfg.MaxPendingEvents = 1000
	}
	// Functions run in their code directory: it must be an absolute path.
	if abs, err := filepath.Abs(cfg.DataDir); err == nil {
		cfg.DataDir = abs
	}
	return &Service{cfg: cfg, st: st, model: awsmodel.Lambda(), log: cfg.Logger,
		events: make(chan struct{}, cfg.MaxPendingEvents)}
}

// Model implements mgmt.Service.
func (s *Service) Model() *awsmodel.Service { return s.model }

// MaxBodyBytes implements mgmt.BodyLimiter: a 50 MB deployment package is
// about 67 MB in base64.
func (s *Service) MaxBodyBytes() int64 { return 70 << 20 }

// Handle implements mgmt.Service.
func (s *Service) Handle(r *mgmt.Request) (any, error) {
	switch r.Op.Name {
	case "CreateFunction":
		return s.createFunction(r)
	case "GetFunction":
		return s.getFunction(r)
	case "GetFunctionConfiguration":
		return s.getFunctionConfiguration(r)
	case "ListFunctions":
		return s.listFunctions(r)
	case "UpdateFunctionCode":
		return s.updateFunctionCode(r)
	case "UpdateFunctionConfiguration":
		return s.updateFunctionConfiguration(r)
	case "DeleteFunction":
		return s.deleteFunction(r)
	case "Invoke":
		return s.invoke(r)
	case "AddPermission":
		return s.addPermission(r)
	case "RemovePermission":
		return s.removePermission(r)
	case "GetPolicy":
		return s.getPolicy(r)
	case "PutFunctionConcurrency":
		return s.putFunctionConcurrency(r)
	case "DeleteFunctionConcurrency":
		return s.deleteFunctionConcurrency(r)
	case "GetFunctionConcurrency":
		return s.getFunctionConcurrency(r)
	}
	return nil, awserr.New(http.StatusNotImplemented, "UnsupportedOperationException",
		"Gatehouse does not support the Lambda operation %s", r.Op.Name)
}

// LoadAll registers every stored function with the runner.
func (s *Service) LoadAll(ctx context.Context) error {
	return s.st.View(ctx, func(tx store.Tx) error {
		var after int64
		for {
			recs, err := tx.ListKind(kindFunction, after, 500)
			if err != nil {
				return err
			}
			for _, rec := range recs {
				var fn model.Function
				if err := json.Unmarshal(rec.Body, &fn); err != nil {
					return fmt.Errorf("function %s/%s: %w", rec.Scope, rec.ID, err)
				}
				s.cfg.Runner.Put(s.runnerFunction(rec.Scope, &fn))
				after = rec.Seq
			}
			if len(recs) < 500 {
				return nil
			}
		}
	})
}

// AfterReset forgets every function after the store was wiped: their
// instances stop and their unpacked packages are removed.
func (s *Service) AfterReset(ctx context.Context) error {
	s.cfg.Runner.RemoveAll()
	if err := os.RemoveAll(filepath.Join(s.cfg.DataDir, "functions")); err != nil {
		return err
	}
	return s.LoadAll(ctx)
}

// runnerFunction is what the runner needs of a stored function.
func (s *Service) runnerFunction(region string, fn *model.Function) local.Function {
	c := &fn.Configuration
	var env map[string]string
	if c.Environment != nil {
		env = c.Environment.Variables
	}
	return local.Function{
		Region: region, Name: c.FunctionName, ARN: c.FunctionArn, Runtime: c.Runtime, Handler: c.Handler,
		CodeDir: fn.CodeDir, Watch: fn.Local, Timeout: time.Duration(c.Timeout) * time.Second,
		MemoryMB: c.MemorySize, Env: env, Reserved: fn.Reserved, Revision: c.RevisionId,
	}
}

// codeRoot is the directory of a function's unpacked packages.
func (s *Service) codeRoot(region, name string) string {
	return filepath.Join(s.cfg.DataDir, "functions", region, name)
}

var (
	_ mgmt.Service     = (*Service)(nil)
	_ mgmt.ErrorShaper = (*Service)(nil)
	_ mgmt.BodyLimiter = (*Service)(nil)
)
