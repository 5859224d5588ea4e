package gateway

import (
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gatehouse-dev/gatehouse/internal/deploy"
	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

func TestMetricsCache(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	st, rt, rt2 := &deploy.Stage{Name: "prod"}, &deploy.Route{Key: "GET /a"}, &deploy.Route{Key: "GET /b"}
	x := func(route string, status int) *exchange.Exchange {
		return &exchange.Exchange{APIID: "api1", Stage: "prod", RouteKey: route, Start: time.Now(),
			IntegrationLatency: time.Millisecond, Resp: &exchange.Response{Status: status}}
	}
	var wg sync.WaitGroup
	for range 4 { // concurrent first uses fill the cache once
		wg.Go(func() {
			for range 50 {
				m.observe(x("GET /a", 200), st, rt)
			}
		})
	}
	wg.Wait()
	m.observe(x("GET /a", 404), st, rt)
	for s := 500; s < 530; s++ { // more statuses than the cache keeps
		m.observe(x("GET /a", s), st, rt)
	}
	m.observe(x("GET /b", 200), st, rt2)
	m.observe(x("", 404), st, nil) // no route matched
	m.forget()                     // a new snapshot: counting goes on
	m.observe(x("GET /a", 200), st, rt)

	for _, c := range []struct {
		route, status string
		want          float64
	}{
		{"GET /a", "200", 201}, {"GET /a", "404", 1}, {"GET /a", "529", 1}, {"GET /b", "200", 1}, {"", "404", 1},
	} {
		if got := testutil.ToFloat64(m.requests.WithLabelValues("api1", "prod", c.route, c.status)); got != c.want {
			t.Errorf("requests{route=%q,status=%s} = %v, want %v", c.route, c.status, got, c.want)
		}
	}
	if n := testutil.CollectAndCount(m.total); n != 1 {
		t.Errorf("%d request-duration series, want 1", n)
	}
	if got := histogramCount(t, m.integration); got != 234 {
		t.Errorf("integration latency observed %d times, want 234", got)
	}
}

func histogramCount(t *testing.T, h *prometheus.HistogramVec) uint64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(h)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, mf := range mfs {
		for _, mt := range mf.GetMetric() {
			n += mt.GetHistogram().GetSampleCount()
		}
	}
	return n
}
