package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gatehouse-dev/gatehouse/internal/accesslog"
	"github.com/gatehouse-dev/gatehouse/internal/config"
	"github.com/gatehouse-dev/gatehouse/internal/deploy"
	"github.com/gatehouse-dev/gatehouse/internal/evloop"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/lambda/local"
	"github.com/gatehouse-dev/gatehouse/internal/lambda/remote"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/lambdasvc"
	"github.com/gatehouse-dev/gatehouse/internal/store/sqlite"
	"github.com/gatehouse-dev/gatehouse/internal/targets"
	"github.com/gatehouse-dev/gatehouse/internal/throttle"
)

type serveOptions struct {
	listen      string
	dataDir     string
	region      string
	accountID   string
	auth        string
	credentials string
	allowReset  bool
	endpointURL string
	syncFull    bool
	logFormat   string
	logLevel    string
	targets     string
	backendCA   string
	accessLogs  string
	maxRoutes   int
	headerWait  time.Duration
	readWait    time.Duration
	idleWait    time.Duration
	rate        float64
	burst       int
	// lambdaRemote is off, aws, or the URL of a Lambda-compatible endpoint.
	lambdaRemote string
	// lambdaIdle stops function instances idle for longer.
	lambdaIdle time.Duration
	// lambdaConcurrency is the instances a function without reserved
	// concurrency may run at once.
	lambdaConcurrency int
	gcPercent         int
	memLimitMiB       int64
	httpServer        string
	loops             int
	gomaxprocs        int
	serverNote        string // why the default server was not used
}

func serveCommand() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the gateway (management APIs and data plane)",
		Long: `Run the gateway on one port:

  /v2/...                                     the apigatewayv2 management API
  /2015-03-31/functions/...                   the Lambda management API (subset; functions run
                                              locally under --data-dir/functions)
  /_gatehouse/execute-api/{region}/{apiId}/... deployed HTTP APIs (also by Host:
                                              {apiId}.execute-api.* and custom domains)
  /_gatehouse/health, /metrics, /reset        Gatehouse's own endpoints

State lives in an SQLite database under --data-dir and survives restarts.
Every flag can also be set as GATEHOUSE_<FLAG> (--data-dir ⇔ GATEHOUSE_DATA_DIR).`,
		Args: cobra.NoArgs,
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			return envDefaults(cmd.Flags())
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			if err := tuneGC(o.gcPercent, f.Changed("gc-percent") || os.Getenv("GATEHOUSE_GC_PERCENT") != "",
				o.memLimitMiB, f.Changed("memory-limit") || os.Getenv("GATEHOUSE_MEMORY_LIMIT") != ""); err != nil {
				return err
			}
			if o.httpServer == "evloop" {
				if err := evloop.Supported(); err != nil {
					if f.Changed("http-server") || os.Getenv("GATEHOUSE_HTTP_SERVER") != "" {
						return fmt.Errorf("--http-server evloop cannot run here: %w", err)
					}
					o.httpServer, o.serverNote = "gatehouse", err.Error() // the default, not a choice: fall back
				}
			}
			if err := tuneProcs(&o); err != nil {
				return err
			}
			return serve(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.listen, "listen", "127.0.0.1:4566", "address to listen on (host:port)")
	f.StringVar(&o.dataDir, "data-dir", "./.gatehouse", "directory for the embedded database")
	f.StringVar(&o.region, "region", "us-east-1", "region for requests that are not signed")
	f.StringVar(&o.accountID, "account-id", "000000000000", "AWS account id used in ARNs and error messages")
	f.StringVar(&o.auth, "auth", mgmt.AuthPermissive, "request authentication: permissive (accept any request) or strict (verify SigV4)")
	f.StringVar(&o.credentials, "credentials", "", "AWS shared-credentials file with the keys strict mode accepts")
	f.BoolVar(&o.allowReset, "allow-reset", false, "allow POST /_gatehouse/reset in strict mode")
	f.StringVar(&o.endpointURL, "endpoint-url", "", "base URL clients use to reach Gatehouse, used in apiEndpoint (default http://<listen address>)")
	f.BoolVar(&o.syncFull, "sync-full", false, "fsync every commit (survive power loss, not only process crashes)")
	f.StringVar(&o.targets, "targets", "", "JSON file mapping private-integration ARNs (load balancer listeners, Cloud Map services) to backend URLs")
	f.StringVar(&o.backendCA, "backend-ca", "", "PEM file of CA certificates trusted for HTTPS backends, in addition to the system roots")
	f.StringVar(&o.accessLogs, "access-log-dir", "", "directory for access logs whose destination is a log group (default <data-dir>/access-logs)")
	f.DurationVar(&o.headerWait, "read-header-timeout", 10*time.Second, "time a client has to send its request headers")
	f.DurationVar(&o.readWait, "read-timeout", 60*time.Second, "time a client has to send a whole request, body included")
	f.DurationVar(&o.idleWait, "idle-timeout", 120*time.Second, "how long an idle keep-alive connection stays open")
	f.IntVar(&o.maxRoutes, "max-routes", 300, "routes per API quota (AWS: 300; 0 = unlimited)")
	f.Float64Var(&o.rate, "account-rate", 10000, "account-level throttle per region: steady requests per second")
	f.IntVar(&o.burst, "account-burst", 5000, "account-level throttle per region: burst")
	f.StringVar(&o.lambdaRemote, "lambda-remote", "off", "invoke functions not registered locally through the Lambda Invoke API: off, aws (standard AWS credential chain) or the URL of a Lambda-compatible endpoint")
	f.DurationVar(&o.lambdaIdle, "lambda-idle-timeout", 5*time.Minute, "stop a function instance after it has been idle this long")
	f.IntVar(&o.lambdaConcurrency, "lambda-concurrency", 10, "instances a function without reserved concurrency may run at once; further invocations wait for one")
	f.IntVar(&o.gcPercent, "gc-percent", defaultGCPercent, "garbage collector target percentage (as GOGC; -1 turns the collector off)")
	f.Int64Var(&o.memLimitMiB, "memory-limit", defaultMemoryLimit>>20, "soft memory limit of the Go heap in MiB (as GOMEMLIMIT; 0 = none)")
	f.IntVar(&o.gomaxprocs, "gomaxprocs", 0, "processors running Go code at once (as GOMAXPROCS; 0: the CPU count, plus one with --http-server evloop)")
	f.IntVar(&o.loops, "loops", 0, "event loops of --http-server evloop (0: one per CPU, GOMAXPROCS)")
	f.StringVar(&o.httpServer, "http-server", defaultHTTPServer(), "inbound HTTP/1.1 server: evloop (Linux: epoll loops, one per CPU; HTTP_PROXY runs on them, connections whose requests block go to a goroutine each), gatehouse (a goroutine per connection, built for the gateway) or stdlib (Go's net/http)")
	f.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
	f.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	return cmd
}

// envDefaults sets every flag not given on the command line from GATEHOUSE_<FLAG>
// (dashes become underscores).
func envDefaults(fs *pflag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed || err != nil {
			return
		}
		name := "GATEHOUSE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s: %w", name, e)
			}
		}
	})
	return err
}

func newLogger(format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, got %q", format)
}

func serve(ctx context.Context, o serveOptions) error {
	log, err := newLogger(o.logFormat, o.logLevel)
	if err != nil {
		return err
	}
	creds, err := strictCredentials(o)
	if err != nil {
		return err
	}
	if o.auth != mgmt.AuthPermissive && o.auth != mgmt.AuthStrict {
		return fmt.Errorf("--auth must be permissive or strict, got %q", o.auth)
	}
	st, err := sqlite.Open(o.dataDir, sqlite.Options{SyncFull: o.syncFull})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		st.Close()
		return err
	}
	endpoint := o.endpointURL
	if endpoint == "" {
		endpoint = "http://" + clientAddr(ln.Addr().(*net.TCPAddr))
	}
	endpoint = strings.TrimSuffix(endpoint, "/")
	var tbl *targets.Table
	if o.targets != "" {
		if tbl, err = targets.Load(o.targets); err != nil {
			ln.Close()
			st.Close()
			return err
		}
	}
	logDir := o.accessLogs
	if logDir == "" {
		logDir = filepath.Join(o.dataDir, "access-logs")
	}
	sinks := accesslog.NewSinks(logDir)
	defer sinks.Close()
	roots, err := backendRoots(o.backendCA)
	if err != nil {
		ln.Close()
		st.Close()
		return err
	}
	// functionRunner runs the functions of the Lambda management API as local
	// processes; it is also the first lambda.Invoker of the data plane.
	functionRunner, err := local.New(local.Config{AccountID: o.accountID, DataDir: o.dataDir,
		DefaultConcurrency: o.lambdaConcurrency, IdleTimeout: o.lambdaIdle, Logger: log.With("component", "lambda")})
	if err != nil {
		ln.Close()
		st.Close()
		return err
	}
	defer functionRunner.Close() // every function instance stops with Gatehouse
	functionsSvc := lambdasvc.New(st, lambdasvc.Config{AccountID: o.accountID, DataDir: o.dataDir,
		Runner: functionRunner, Logger: log.With("component", "lambda")})
	if err := functionsSvc.LoadAll(ctx); err != nil {
		ln.Close()
		st.Close()
		return fmt.Errorf("loading functions: %w", err)
	}
	functions, err := lambdaInvoker(ctx, o, log, functionRunner)
	if err != nil {
		ln.Close()
		st.Close()
		return err
	}
	compiler := &deploy.Compiler{AccountID: o.accountID, Targets: tbl, Sinks: sinks, MaxRoutes: o.maxRoutes, RootCAs: roots,
		Lambda: functions}
	reg := prometheus.NewRegistry()
	gw := gateway.New(gateway.Config{
		Store:     st,
		Compiler:  compiler,
		Region:    o.region,
		AccountID: o.accountID,
		Account:   throttle.NewAccount(throttle.Limits{Rate: o.rate, Burst: o.burst}, time.Now),
		Logger:    log.With("component", "gateway"),
		Metrics:   gateway.NewMetrics(reg),
	})
	if err := gw.LoadAll(ctx); err != nil {
		ln.Close()
		st.Close()
		return fmt.Errorf("loading deployed APIs: %w", err)
	}
	v2 := apigwv2.New(st, apigwv2.Config{
		AccountID: o.accountID,
		Endpoint: func(region, apiID, protocol string) string {
			base := endpoint
			if protocol == "WEBSOCKET" {
				base = "ws" + strings.TrimPrefix(base, "http")
			}
			return base + gateway.ExecuteAPIPrefix + region + "/" + apiID
		},
		OnDeploy:       gw.OnDeploy,
		OnDomainChange: gw.OnDomainChange,
		Check:          compiler.Check,
		MaxRoutes:      o.maxRoutes,
	})
	handler := mgmt.New(mgmt.Config{
		Version:         version,
		Region:          o.region,
		Auth:            o.auth,
		Credentials:     creds,
		AllowReset:      o.allowReset,
		Store:           st,
		Logger:          log.With("component", "mgmt"),
		DataPlane:       gw,
		IsDataPlaneHost: gw.IsDataPlaneHost,
		Metrics:         promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),
		BeforeReset:     v2.BeginReset,
		OnReset: func() {
			v2.EndReset()
			gw.LoadAll(context.Background())
			functionsSvc.AfterReset(context.Background())
		},
		Services: []mgmt.Service{functionsSvc},
	}, v2)
	idle := &idleMemory{}
	srv, err := newHTTPServer(o, idle.wrap(handler), idle.wrapLoop(handler), log)
	if err != nil {
		ln.Close()
		st.Close()
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go idle.run(ctx, time.Second)
	if o.serverNote != "" {
		log.Warn("the event-loop server cannot run here; serving with --http-server gatehouse", "reason", o.serverNote)
	}
	log.Info("gatehouse listening", "version", version, "addr", ln.Addr().String(), "endpoint", endpoint,
		"data_dir", o.dataDir, "region", o.region, "auth", o.auth, "http_server", o.httpServer)
	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down: waiting for in-flight requests")
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = srv.Shutdown(sctx)
		cancel()
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if cerr := st.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("closing store: %w", cerr))
	}
	log.Info("stopped")
	return err
}

func strictCredentials(o serveOptions) (map[string]string, error) {
	creds := map[string]string{}
	if o.credentials != "" {
		c, err := config.LoadCredentials(o.credentials)
		if err != nil {
			return nil, err
		}
		creds = c
	}
	if id, sec := os.Getenv("GATEHOUSE_ACCESS_KEY_ID"), os.Getenv("GATEHOUSE_SECRET_ACCESS_KEY"); id != "" && sec != "" {
		creds[id] = sec
	}
	if o.auth == mgmt.AuthStrict && len(creds) == 0 {
		return nil, errors.New("--auth strict needs credentials: --credentials FILE or GATEHOUSE_ACCESS_KEY_ID and GATEHOUSE_SECRET_ACCESS_KEY")
	}
	return creds, nil
}

// clientAddr is the address clients should use for a listener: a wildcard
// listen address is reached through loopback.
func clientAddr(a *net.TCPAddr) string {
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, fmt.Sprint(a.Port))
}

// lambdaInvoker builds what runs the functions of AWS_PROXY integrations:
// the local runner, then (only for functions it does not have) the remote
// endpoint. Remote invocation is off unless --lambda-remote asks for it, so
// nothing leaves the machine by surprise.
func lambdaInvoker(ctx context.Context, o serveOptions, log *slog.Logger, runner lambda.Invoker) (lambda.Invoker, error) {
	var cfg remote.Config
	switch o.lambdaRemote {
	case "", "off":
		return runner, nil
	case "aws":
	default:
		cfg.Endpoint = o.lambdaRemote
	}
	inv, err := remote.New(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("--lambda-remote: %w", err)
	}
	target := o.lambdaRemote
	if target == "aws" {
		target = "AWS (standard credential chain)"
	}
	log.Info("remote Lambda invocation enabled", "endpoint", target)
	return lambda.Chain{runner, inv}, nil
}

// backendRoots returns the system roots plus the certificates in file (nil,
// meaning the system roots, when file is empty).
func backendRoots(file string) (*x509.CertPool, error) {
	if file == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--backend-ca: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--backend-ca: %s holds no PEM certificates", file)
	}
	return pool, nil
}
