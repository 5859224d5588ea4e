package deploy

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/accesslog"
	"github.com/gatehouse-dev/gatehouse/internal/cors"
	"github.com/gatehouse-dev/gatehouse/internal/integration"
	"github.com/gatehouse-dev/gatehouse/internal/integration/httpproxy"
	"github.com/gatehouse-dev/gatehouse/internal/integration/lambdaproxy"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/mapping"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/router"
	"github.com/gatehouse-dev/gatehouse/internal/targets"
	"github.com/gatehouse-dev/gatehouse/internal/throttle"
)

// Compiler holds what compiling needs beyond the configuration itself.
type Compiler struct {
	AccountID string
	// Targets resolves private (VPC_LINK) integrations; nil means none configured.
	Targets *targets.Table
	// Sinks opens access log destinations; nil disables access logs.
	Sinks *accesslog.Sinks
	// MaxRoutes is the routes-per-API quota (AWS: 300); 0 means no limit.
	MaxRoutes int
	Now       func() time.Time

	// RootCAs verifies HTTPS backends; nil means the system roots.
	RootCAs *x509.CertPool

	// Lambda runs the functions of AWS_PROXY integrations (local, remote or a
	// lambda.Chain of both); nil answers them as AWS answers for a function
	// that does not exist (500).
	Lambda lambda.Invoker

	clientOnce sync.Once
	client     *httpproxy.Client // keep-alive pools shared by every HTTP_PROXY integration
}

// Error is a configuration problem that prevents serving, naming the resource.
type Error struct {
	Resource string // e.g. "integration abc1234"
	Err      error
}

func (e *Error) Error() string { return e.Resource + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Check reports whether a deployment configuration can be served (it compiles
// every route and integration without stage settings).
func (c *Compiler) Check(cfg *model.DeploymentConfig) error {
	_, err := c.compileRoutes(cfg, &model.Stage{StageName: "$check"})
	return err
}

// CompileStage builds a stage from its settings and deployed configuration.
// old, if not nil, is the stage being replaced: throttle buckets with unchanged
// limits carry over so a redeploy does not reset throttling.
func (c *Compiler) CompileStage(cfg *model.DeploymentConfig, st *model.Stage, old *Stage) (*Stage, error) {
	rt, err := c.compileRoutes(cfg, st)
	if err != nil {
		return nil, err
	}
	s := &Stage{Name: st.StageName, Router: rt, Variables: st.StageVariables}
	if st.DeploymentId != nil {
		s.DeploymentID = *st.DeploymentId
	}
	if cc := cfg.Api.CorsConfiguration; cc != nil {
		pc := cors.Config{AllowOrigins: cc.AllowOrigins, AllowMethods: cc.AllowMethods, AllowHeaders: cc.AllowHeaders,
			ExposeHeaders: cc.ExposeHeaders, MaxAge: cc.MaxAge}
		if cc.AllowCredentials != nil {
			pc.AllowCredentials = *cc.AllowCredentials
		}
		s.CORS = cors.Compile(pc)
	}
	s.Throttle = c.compileThrottle(st)
	if old != nil && old.Throttle != nil {
		s.Throttle.Carry(old.Throttle)
	}
	if a := st.AccessLogSettings; a != nil && a.DestinationArn != nil && a.Format != nil && c.Sinks != nil {
		sink, err := c.Sinks.Get(*a.DestinationArn)
		if err != nil {
			return nil, &Error{Resource: "stage " + st.StageName + " accessLogSettings", Err: err}
		}
		s.AccessLog = &AccessLog{Format: accesslog.Compile(*a.Format), Sink: sink}
	}
	return s, nil
}

func (c *Compiler) compileThrottle(st *model.Stage) *throttle.Stage {
	limits := func(rs *model.RouteSettings) (throttle.Limits, bool) {
		if rs == nil || (rs.ThrottlingRateLimit == nil && rs.ThrottlingBurstLimit == nil) {
			return throttle.Limits{}, false
		}
		var l throttle.Limits
		if rs.ThrottlingRateLimit != nil {
			l.Rate = *rs.ThrottlingRateLimit
		}
		if rs.ThrottlingBurstLimit != nil {
			l.Burst = *rs.ThrottlingBurstLimit
		}
		return l, true
	}
	var def *throttle.Limits
	if l, ok := limits(st.DefaultRouteSettings); ok {
		def = &l
	}
	routes := map[string]throttle.Limits{}
	for key, rs := range st.RouteSettings {
		if l, ok := limits(&rs); ok {
			routes[key] = l
		}
	}
	now := c.Now
	if now == nil {
		now = time.Now
	}
	return throttle.NewStage(def, routes, now)
}

func (c *Compiler) compileRoutes(cfg *model.DeploymentConfig, st *model.Stage) (*router.Router[*Route], error) {
	if c.MaxRoutes > 0 && len(cfg.Routes) > c.MaxRoutes {
		return nil, &Error{Resource: "api " + cfg.Api.ApiId, Err: fmt.Errorf("%d routes exceed the quota of %d routes per API", len(cfg.Routes), c.MaxRoutes)}
	}
	integrations := make(map[string]*model.Integration, len(cfg.Integrations))
	for i := range cfg.Integrations {
		integrations[cfg.Integrations[i].IntegrationId] = &cfg.Integrations[i]
	}
	compiled := map[string]integration.Integration{}
	routes := make([]router.Route[*Route], 0, len(cfg.Routes))
	for _, r := range cfg.Routes {
		cr := &Route{Key: r.RouteKey, AuthorizationType: r.AuthorizationType}
		if r.Target != nil {
			id := strings.TrimPrefix(*r.Target, "integrations/")
			in, ok := compiled[id]
			if !ok {
				mi := integrations[id]
				if mi == nil {
					return nil, &Error{Resource: "route " + r.RouteId + " (" + r.RouteKey + ")", Err: fmt.Errorf("target integration %s does not exist", id)}
				}
				var err error
				if in, err = c.compileIntegration(mi, r.RouteKey == "$default"); err != nil {
					return nil, &Error{Resource: "integration " + id, Err: err}
				}
				// An integration shared by the $default route and others is compiled per use.
				if r.RouteKey != "$default" {
					compiled[id] = in
				}
			}
			cr.Integration = in
		}
		routes = append(routes, router.Route[*Route]{Key: r.RouteKey, Value: cr})
	}
	if cfg.Api.ProtocolType == model.ProtocolWebSocket {
		return nil, nil // WebSocket routing is selected by expression, not by path (later milestone)
	}
	rt, err := router.New(routes)
	if err != nil {
		return nil, &Error{Resource: "api " + cfg.Api.ApiId + " routes", Err: err}
	}
	return rt, nil
}

// UnsupportedError reports an integration type the data plane cannot serve yet.
type UnsupportedError struct{ What string }

func (e *UnsupportedError) Error() string { return e.What + " is not supported yet by Gatehouse" }

func (c *Compiler) compileIntegration(mi *model.Integration, defaultRoute bool) (integration.Integration, error) {
	switch mi.IntegrationType {
	case model.IntegrationHTTPProxy:
		cfg := httpproxy.Config{
			Method:       deref(mi.IntegrationMethod),
			URI:          deref(mi.IntegrationUri),
			Timeout:      time.Duration(mi.TimeoutInMillis) * time.Millisecond,
			DefaultRoute: defaultRoute,
			AccountID:    c.AccountID,
		}
		if mi.TlsConfig != nil && mi.TlsConfig.ServerNameToVerify != nil {
			cfg.ServerName = *mi.TlsConfig.ServerNameToVerify
		}
		cfg.Client = c.httpClient()
		if mi.ConnectionType == model.ConnectionVPCLink {
			if c.Targets == nil {
				return nil, fmt.Errorf("private integration %s: no targets file configured (start Gatehouse with --targets FILE)", cfg.URI)
			}
			b, ok := c.Targets.Balancer(cfg.URI)
			if !ok {
				return nil, fmt.Errorf("private integration %s: the targets file has no entry for this ARN", cfg.URI)
			}
			cfg.Balancer = b
		}
		if len(mi.RequestParameters) > 0 {
			m, err := mapping.CompileRequest(mi.RequestParameters)
			if err != nil {
				return nil, err
			}
			cfg.Request = m
		}
		if len(mi.ResponseParameters) > 0 {
			m, err := mapping.CompileResponse(mi.ResponseParameters)
			if err != nil {
				return nil, err
			}
			cfg.Response = m
		}
		return httpproxy.New(cfg)
	case model.IntegrationAWSProxy:
		if mi.IntegrationSubtype != nil && *mi.IntegrationSubtype != "" {
			return unsupported{what: "AWS service integration " + *mi.IntegrationSubtype}, nil
		}
		cfg := lambdaproxy.Config{
			URI:           deref(mi.IntegrationUri),
			PayloadFormat: deref(mi.PayloadFormatVersion),
			Timeout:       time.Duration(mi.TimeoutInMillis) * time.Millisecond,
			Invoker:       c.Lambda,
			AccountID:     c.AccountID,
		}
		var err error
		if len(mi.RequestParameters) > 0 {
			if cfg.Request, err = mapping.CompileRequest(mi.RequestParameters); err != nil {
				return nil, err
			}
		}
		if len(mi.ResponseParameters) > 0 {
			if cfg.Response, err = mapping.CompileResponse(mi.ResponseParameters); err != nil {
				return nil, err
			}
		}
		return lambdaproxy.New(cfg)
	default:
		return unsupported{what: "integration type " + mi.IntegrationType}, nil
	}
}

// unsupported answers 500 for integrations the data plane does not serve yet,
// so deploying an API that uses them still works for its other routes.
type unsupported struct{ what string }

func (c *Compiler) httpClient() *httpproxy.Client {
	c.clientOnce.Do(func() {
		c.client = &httpproxy.Client{TLS: &tls.Config{RootCAs: c.RootCAs, MinVersion: tls.VersionTLS12}}
	})
	return c.client
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
