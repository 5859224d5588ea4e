package throttle

import (
	"testing"
	"time"
)

func lim(rate float64, burst int) *Limits { return &Limits{Rate: rate, Burst: burst} }

func TestStageAllow(t *testing.T) {
	routes := map[string]Limits{
		"GET /pets":  {Rate: 1, Burst: 2},
		"POST /pets": {Rate: 0, Burst: 0},
	}
	tests := []struct {
		name     string
		def      *Limits
		routeKey string
		n        int
		want     int
	}{
		{name: "route settings override default", def: lim(100, 10), routeKey: "GET /pets", n: 5, want: 2},
		{name: "route 0/0 blocks even with generous default", def: lim(100, 10), routeKey: "POST /pets", n: 5, want: 0},
		{name: "route without settings uses default", def: lim(100, 10), routeKey: "GET /owners", n: 15, want: 10},
		{name: "route without settings and no default is unlimited", def: nil, routeKey: "GET /owners", n: 1000, want: 1000},
		{name: "route settings apply without a default", def: nil, routeKey: "GET /pets", n: 5, want: 2},
		{name: "default 0/0 blocks unlisted routes", def: lim(0, 0), routeKey: "$default", n: 3, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewStage(tt.def, routes, newClock().now)
			if got := take(tt.n, func() bool { return s.Allow(tt.routeKey) }); got != tt.want {
				t.Errorf("%d × Allow(%q) passed %d, want %d", tt.n, tt.routeKey, got, tt.want)
			}
		})
	}
}

func TestStageDefaultIsPerRoute(t *testing.T) {
	s := NewStage(lim(1, 2), nil, newClock().now)
	for _, k := range []string{"GET /a", "GET /b"} {
		if got := take(3, func() bool { return s.Allow(k) }); got != 2 {
			t.Errorf("3 × Allow(%q) passed %d, want 2: each route has its own default bucket", k, got)
		}
	}
}

func TestStageBurstThenRate(t *testing.T) {
	c := newClock()
	s := NewStage(nil, map[string]Limits{"GET /": {Rate: 4, Burst: 2}}, c.now)
	if got := take(3, func() bool { return s.Allow("GET /") }); got != 2 {
		t.Fatalf(`3 × Allow("GET /") passed %d, want 2`, got)
	}
	c.advance(250 * time.Millisecond)
	if got := take(3, func() bool { return s.Allow("GET /") }); got != 1 {
		t.Errorf(`after 250 ms at 4 rps, 3 × Allow("GET /") passed %d, want 1`, got)
	}
}

func TestNilStageAllows(t *testing.T) {
	var s *Stage
	if !s.Allow("GET /") {
		t.Error(`(*Stage)(nil).Allow("GET /") = false, want true`)
	}
	s.Carry(NewStage(nil, nil, nil)) // must not panic
}

func TestPrecedence(t *testing.T) {
	tests := []struct {
		name     string
		account  Limits
		def      *Limits
		routes   map[string]Limits
		routeKey string
		n        int
		want     int
	}{
		{name: "route tighter than account", account: Limits{Rate: 0, Burst: 10},
			routes: map[string]Limits{"GET /": {Rate: 0, Burst: 3}}, routeKey: "GET /", n: 20, want: 3},
		{name: "account tighter than route", account: Limits{Rate: 0, Burst: 2},
			routes: map[string]Limits{"GET /": {Rate: 0, Burst: 5}}, routeKey: "GET /", n: 20, want: 2},
		{name: "stage default tighter than account", account: Limits{Rate: 0, Burst: 10},
			def: lim(0, 4), routeKey: "GET /x", n: 20, want: 4},
		{name: "account tighter than stage default", account: Limits{Rate: 0, Burst: 1},
			def: lim(0, 4), routeKey: "GET /x", n: 20, want: 1},
		{name: "no stage limits: account only", account: Limits{Rate: 0, Burst: 7},
			routeKey: "GET /x", n: 20, want: 7},
		{name: "route overrides a tighter default", account: Limits{Rate: 0, Burst: 100},
			def: lim(0, 1), routes: map[string]Limits{"GET /": {Rate: 0, Burst: 6}}, routeKey: "GET /", n: 20, want: 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			a := NewAccount(tt.account, c.now)
			s := NewStage(tt.def, tt.routes, c.now)
			if got := take(tt.n, func() bool { return Allow(a, "us-east-1", s, tt.routeKey) }); got != tt.want {
				t.Errorf("%d × Allow(account %+v, stage def %v routes %v, %q) passed %d, want %d",
					tt.n, tt.account, tt.def, tt.routes, tt.routeKey, got, tt.want)
			}
		})
	}
}

func TestStageRefusalSpendsNoAccountToken(t *testing.T) {
	c := newClock()
	a := NewAccount(Limits{Rate: 0, Burst: 2}, c.now)
	blocked := NewStage(nil, map[string]Limits{"GET /blocked": {}}, c.now)
	take(10, func() bool { return Allow(a, "r", blocked, "GET /blocked") })
	if got := take(5, func() bool { return a.Allow("r") }); got != 2 {
		t.Errorf("after 10 stage-refused requests, account passed %d of 5, want 2 (none spent)", got)
	}
}

func TestNilLevels(t *testing.T) {
	if !Allow(nil, "r", nil, "GET /") {
		t.Error(`Allow(nil, "r", nil, "GET /") = false, want true`)
	}
}
