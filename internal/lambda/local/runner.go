package local

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/lambda/local/bootstrap"
	model "github.com/gatehouse-dev/gatehouse/internal/model/lambda"
)

// Config configures a Runner. Zero values take the documented defaults.
type Config struct {
	// AccountID is the account in function ARNs; an ARN naming another
	// account is not this runner's (ErrNotFound).
	AccountID string
	// DataDir is where the runtime bootstraps are installed
	// (DataDir/runtimes). Required.
	DataDir string
	// DefaultConcurrency is the number of instances a function without
	// reserved concurrency may run at once (default 10).
	DefaultConcurrency int
	// IdleTimeout stops instances idle for longer (default 5 minutes).
	IdleTimeout time.Duration
	// StopGrace is how long a stopping instance has between SIGTERM and
	// SIGKILL (default 500 ms, Lambda's shutdown phase without extensions).
	StopGrace time.Duration
	// InitTimeout bounds a runtime's initialisation (default 10 s, as Lambda's).
	InitTimeout time.Duration
	// Node and Python are the interpreters for nodejs* and python3*
	// functions (default: node and python3 from PATH; empty if absent).
	Node, Python string
	// Credentials are extra variables (AWS_ACCESS_KEY_ID, ...) given to every
	// function; none by default.
	Credentials map[string]string
	Logger      *slog.Logger
	Now         func() time.Time
}

// Runner runs registered functions as local processes that speak the Lambda
// Runtime API. It implements lambda.Invoker.
type Runner struct {
	cfg          Config
	log          *slog.Logger
	bootstrapDir string

	mu     sync.RWMutex
	pools  map[string]*pool
	closed bool

	pythonOnce sync.Once
	pythonPath string

	// names caches model.ParseName, a pure function of the string (three
	// regular expressions per call) that every invocation needs; at most
	// maxCachedNames entries.
	names     sync.Map // string -> parsedName
	nameCount atomic.Int64

	liveMu sync.Mutex
	live   map[*instance]struct{} // every process not yet reaped

	stopReaper chan struct{}
	reaperDone chan struct{}
}

// New installs the runtime bootstraps and returns a Runner with no functions.
func New(cfg Config) (*Runner, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("lambda runner: no data directory")
	}
	// Instances run in their code directory: every path must be absolute.
	abs, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("lambda runner: %w", err)
	}
	cfg.DataDir = abs
	if cfg.DefaultConcurrency <= 0 {
		cfg.DefaultConcurrency = 10
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 5 * time.Minute
	}
	if cfg.StopGrace <= 0 {
		cfg.StopGrace = 500 * time.Millisecond
	}
	if cfg.InitTimeout <= 0 {
		cfg.InitTimeout = 10 * time.Second
	}
	if cfg.Node == "" {
		cfg.Node, _ = exec.LookPath("node")
	}
	if cfg.Python == "" {
		cfg.Python, _ = exec.LookPath("python3")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	dir, err := bootstrap.Install(filepath.Join(cfg.DataDir, "runtimes"))
	if err != nil {
		return nil, fmt.Errorf("lambda runner: %w", err)
	}
	r := &Runner{cfg: cfg, log: cfg.Logger, bootstrapDir: dir, pools: map[string]*pool{},
		live: map[*instance]struct{}{}, stopReaper: make(chan struct{}), reaperDone: make(chan struct{})}
	go r.reaper()
	return r, nil
}

// Put registers fn or replaces its definition. Instances running an older
// definition finish their invocation and are replaced.
func (r *Runner) Put(fn Function) {
	f := fn
	if abs, err := filepath.Abs(f.CodeDir); err == nil {
		f.CodeDir = abs // the process runs in it: LAMBDA_TASK_ROOT must not be relative
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	if p := r.pools[f.key()]; p != nil {
		p.update(&f)
		return
	}
	r.pools[f.key()] = newPool(r, &f)
}

// Remove unregisters a function and stops its instances.
func (r *Runner) Remove(region, name string) {
	r.mu.Lock()
	p := r.pools[region+"/"+name]
	delete(r.pools, region+"/"+name)
	r.mu.Unlock()
	if p != nil {
		p.close()
	}
}

// RemoveAll unregisters every function and stops their instances.
func (r *Runner) RemoveAll() {
	r.mu.Lock()
	pools := r.pools
	r.pools = map[string]*pool{}
	r.mu.Unlock()
	for _, p := range pools {
		p.close()
	}
}

// Request is an invocation with the options of the Invoke API.
type Request struct {
	lambda.Invocation
	// ClientContext is the base64 JSON of X-Amz-Client-Context, passed to
	// the function as Lambda-Runtime-Client-Context (decoded).
	ClientContext string
}

// Invoke implements lambda.Invoker.
func (r *Runner) Invoke(ctx context.Context, in *lambda.Invocation) (*lambda.Result, error) {
	return r.Run(ctx, &Request{Invocation: *in})
}

// maxCachedNames bounds Runner.names.
const maxCachedNames = 4096

type parsedName struct {
	ref model.Ref
	ok  bool
}

// parseName is model.ParseName, cached.
func (r *Runner) parseName(s string) (model.Ref, bool) {
	if v, ok := r.names.Load(s); ok {
		p := v.(parsedName)
		return p.ref, p.ok
	}
	ref, ok := model.ParseName(s)
	if r.nameCount.Load() < maxCachedNames {
		if _, loaded := r.names.LoadOrStore(s, parsedName{ref, ok}); !loaded {
			r.nameCount.Add(1)
		}
	}
	return ref, ok
}

// Lookup returns the registered function that in names, or ErrNotFound.
func (r *Runner) lookup(in *lambda.Invocation) (*pool, error) {
	ref, ok := r.parseName(in.Function)
	if !ok {
		return nil, lambda.ErrNotFound
	}
	region := in.Region
	if ref.Region != "" {
		region = ref.Region
	}
	if ref.Account != "" && r.cfg.AccountID != "" && ref.Account != r.cfg.AccountID {
		return nil, lambda.ErrNotFound
	}
	q := ref.Qualifier
	if in.Qualifier != "" {
		if q != "" && q != in.Qualifier {
			return nil, lambda.ErrNotFound
		}
		q = in.Qualifier
	}
	if q != "" && q != "$LATEST" {
		return nil, lambda.ErrNotFound // versions and aliases are not served locally
	}
	r.mu.RLock()
	p := r.pools[region+"/"+ref.Name]
	r.mu.RUnlock()
	if p == nil {
		return nil, lambda.ErrNotFound
	}
	return p, nil
}

// Run invokes a function synchronously.
func (r *Runner) Run(ctx context.Context, req *Request) (*lambda.Result, error) {
	p, err := r.lookup(&req.Invocation)
	if err != nil {
		return nil, err
	}
	if len(req.Payload) > MaxPayloadBytes {
		return nil, &lambda.Error{Status: 413, Type: "RequestTooLargeException",
			Message: "Request must be smaller than " + strconv.Itoa(MaxPayloadBytes) + " bytes for the InvokeFunction operation"}
	}
	o, log, err := p.invoke(ctx, req)
	if err != nil {
		return nil, err
	}
	res := &lambda.Result{Payload: o.payload, ExecutedVersion: "$LATEST"}
	if o.failed {
		res.FunctionError = "Unhandled"
	}
	if req.Tail {
		res.LogResult = base64.StdEncoding.EncodeToString(log.tail())
	}
	return res, nil
}

// Close stops every instance (SIGTERM, then SIGKILL after StopGrace) and
// waits until their processes have exited.
func (r *Runner) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	pools := r.pools
	r.pools = map[string]*pool{}
	r.mu.Unlock()
	close(r.stopReaper)
	<-r.reaperDone
	for _, p := range pools {
		p.close()
	}
	r.liveMu.Lock()
	live := make([]*instance, 0, len(r.live))
	for in := range r.live {
		live = append(live, in)
	}
	r.liveMu.Unlock()
	for _, in := range live {
		in.stop(r.cfg.StopGrace)
	}
	for _, in := range live {
		<-in.exited
	}
	return nil
}

// track records a started instance until its process is reaped.
func (r *Runner) track(in *instance) {
	r.liveMu.Lock()
	r.live[in] = struct{}{}
	r.liveMu.Unlock()
	go func() {
		<-in.exited
		r.liveMu.Lock()
		delete(r.live, in)
		r.liveMu.Unlock()
	}()
}

// reaper stops instances that have been idle longer than IdleTimeout.
func (r *Runner) reaper() {
	defer close(r.reaperDone)
	every := min(max(r.cfg.IdleTimeout/4, 100*time.Millisecond), 30*time.Second)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-r.stopReaper:
			return
		case <-t.C:
			r.mu.RLock()
			for _, p := range r.pools {
				p.reap(r.cfg.Now().Add(-r.cfg.IdleTimeout))
			}
			r.mu.RUnlock()
		}
	}
}

var _ lambda.Invoker = (*Runner)(nil)
