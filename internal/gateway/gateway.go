// Package gateway is the data plane for HTTP APIs: it resolves a request to an
// API and stage (default endpoint, host form or custom domain), runs the
// pipeline in pipeline.go over a buffered exchange, and writes the response.
//
// Configuration arrives as compiled, immutable snapshots (internal/deploy)
// behind an atomic pointer: a reload builds a new table and swaps it, so no
// request ever sees half a configuration.
package gateway

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/deploy"
	"github.com/gatehouse-dev/gatehouse/internal/store"
	"github.com/gatehouse-dev/gatehouse/internal/throttle"
)

// Limits of the HTTP API data plane [DG:http-api-quotas].
const (
	// MaxBodyBytes is the payload limit (10 MB).
	MaxBodyBytes = 10 << 20
	// MaxHeaderBytes bounds the request line plus header values (10,240 bytes).
	MaxHeaderBytes = 10240
)

// Config configures a Gateway.
type Config struct {
	Store    store.Store
	Compiler *deploy.Compiler
	// Region is the default region, preferred when a host-form endpoint does
	// not say which region an API id belongs to.
	Region    string
	AccountID string
	// Account is the account-level throttle (per region); nil disables it.
	Account *throttle.Account
	Logger  *slog.Logger
	Metrics *Metrics
	Now     func() time.Time
}

// Gateway serves deployed HTTP APIs.
type Gateway struct {
	cfg      Config
	st       store.Store
	compiler *deploy.Compiler
	log      *slog.Logger
	tbl      atomic.Pointer[table]
	reloadMu sync.Mutex // serializes reloads (readers never lock)
}

// New returns a Gateway with nothing loaded; call LoadAll.
func New(cfg Config) *Gateway {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	g := &Gateway{cfg: cfg, st: cfg.Store, compiler: cfg.Compiler, log: cfg.Logger}
	g.tbl.Store(&table{apis: map[string]*deploy.API{}, byID: map[string][]*deploy.API{}, domains: map[string]*domain{}})
	return g
}

// IsDataPlaneHost reports whether a Host header addresses the data plane: the
// host form of an API endpoint ({apiId}.execute-api.{domain}) or a custom
// domain name.
func (g *Gateway) IsDataPlaneHost(host string) bool {
	h := hostname(host)
	if _, ok := executeAPIHost(h); ok {
		return true
	}
	return g.tbl.Load().lookupDomain(h) != nil
}

// OnDeploy is the control plane's hook: an API's served configuration changed.
func (g *Gateway) OnDeploy(region, apiID string) {
	if err := g.Reload(context.Background(), region, apiID); err != nil {
		g.log.Warn("reloading api", "region", region, "api", apiID, "err", err)
	}
}

// OnDomainChange is the control plane's hook for domain names and API mappings.
func (g *Gateway) OnDomainChange(region string) {
	if err := g.ReloadDomains(context.Background()); err != nil {
		g.log.Warn("reloading domains", "err", err)
	}
}

// newRequestID returns an id shaped like HTTP APIs' (apigw-requestid).
// The bytes come from the runtime's per-thread ChaCha8 generator (seeded
// by the OS, math/rand/v2): ids must not repeat or be guessable in
// practice, they are not secrets, and crypto/rand costs a system call's
// worth of time per request.
func newRequestID() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint16(b[8:10], uint16(rand.Uint32()))
	var out [16]byte
	base64.StdEncoding.Encode(out[:], b[:10])
	return string(out[:]) // 16 characters, ending in "="
}

// ServeHTTP implements http.Handler for data-plane requests.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.newFlight(r).run(w)
}
