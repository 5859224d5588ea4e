package gateway

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse-dev/gatehouse/internal/deploy"
	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

// Metrics are the data plane's Prometheus metrics.
type Metrics struct {
	requests    *prometheus.CounterVec
	total       *prometheus.HistogramVec
	integration *prometheus.HistogramVec

	// stages caches the label-resolved metrics of the stages and routes
	// being served (*deploy.Stage → *stageMeters), so a request costs two
	// lock-free lookups by pointer instead of hashing four label values
	// under the vectors' locks. forget empties it when a snapshot is
	// replaced; the metrics themselves stay in the vectors.
	stages sync.Map
}

// NewMetrics registers the data plane metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_requests_total", Help: "Data-plane requests by API, stage, route and status.",
		}, []string{"api", "stage", "route", "status"}),
		total: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "gatehouse_request_duration_seconds", Help: "Time from request received to response written.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2.5, 14),
		}, []string{"api", "stage"}),
		integration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "gatehouse_integration_duration_seconds", Help: "Integration latency.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2.5, 14),
		}, []string{"api", "stage"}),
	}
	reg.MustRegister(m.requests, m.total, m.integration)
	return m
}

// stageMeters are one served stage's metrics.
type stageMeters struct {
	total, integration prometheus.Observer
	routes             sync.Map // *deploy.Route → *routeMeters
}

// routeMeters are one route's request counters by status, copied on write
// (a route sees few distinct statuses).
type routeMeters struct {
	mu       sync.Mutex
	byStatus atomic.Pointer[[]statusCounter]
}

type statusCounter struct {
	status int
	c      prometheus.Counter
}

func (m *Metrics) observe(x *exchange.Exchange, st *deploy.Stage, rt *deploy.Route) {
	if st == nil || rt == nil { // no stage or route matched: the vectors directly
		m.requests.WithLabelValues(x.APIID, x.Stage, x.RouteKey, strconv.Itoa(x.Resp.Status)).Inc()
		m.total.WithLabelValues(x.APIID, x.Stage).Observe(time.Since(x.Start).Seconds())
		if x.IntegrationLatency > 0 {
			m.integration.WithLabelValues(x.APIID, x.Stage).Observe(x.IntegrationLatency.Seconds())
		}
		return
	}
	sm, rm := m.meters(x, st, rt)
	rm.counter(m, x).Inc()
	sm.total.Observe(time.Since(x.Start).Seconds())
	if x.IntegrationLatency > 0 {
		sm.integration.Observe(x.IntegrationLatency.Seconds())
	}
}

func (m *Metrics) meters(x *exchange.Exchange, st *deploy.Stage, rt *deploy.Route) (*stageMeters, *routeMeters) {
	v, ok := m.stages.Load(st)
	if !ok {
		v, _ = m.stages.LoadOrStore(st, &stageMeters{
			total:       m.total.WithLabelValues(x.APIID, x.Stage),
			integration: m.integration.WithLabelValues(x.APIID, x.Stage),
		})
	}
	sm := v.(*stageMeters)
	r, ok := sm.routes.Load(rt)
	if !ok {
		r, _ = sm.routes.LoadOrStore(rt, &routeMeters{})
	}
	return sm, r.(*routeMeters)
}

func (rm *routeMeters) counter(m *Metrics, x *exchange.Exchange) prometheus.Counter {
	status := x.Resp.Status
	if p := rm.byStatus.Load(); p != nil {
		for _, sc := range *p {
			if sc.status == status {
				return sc.c
			}
		}
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	var cur []statusCounter
	if p := rm.byStatus.Load(); p != nil {
		cur = *p
		for _, sc := range cur {
			if sc.status == status {
				return sc.c
			}
		}
	}
	c := m.requests.WithLabelValues(x.APIID, x.Stage, x.RouteKey, strconv.Itoa(status))
	if len(cur) < 16 { // beyond that, a route answering many statuses uses the vector
		next := append(cur[:len(cur):len(cur)], statusCounter{status, c})
		rm.byStatus.Store(&next)
	}
	return c
}

// forget drops the cache: the snapshots it points into were replaced.
func (m *Metrics) forget() {
	if m != nil {
		m.stages.Clear()
	}
}
