package gateway

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

// Metrics are the data plane's Prometheus metrics.
type Metrics struct {
	requests    *prometheus.CounterVec
	total       *prometheus.HistogramVec
	integration *prometheus.HistogramVec
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

func (m *Metrics) observe(x *exchange.Exchange) {
	m.requests.WithLabelValues(x.APIID, x.Stage, x.RouteKey, strconv.Itoa(x.Resp.Status)).Inc()
	m.total.WithLabelValues(x.APIID, x.Stage).Observe(time.Since(x.Start).Seconds())
	if x.IntegrationLatency > 0 {
		m.integration.WithLabelValues(x.APIID, x.Stage).Observe(x.IntegrationLatency.Seconds())
	}
}
