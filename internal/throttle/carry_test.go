package throttle

import "testing"

func TestCarry(t *testing.T) {
	tests := []struct {
		name     string
		oldDef   *Limits
		oldRts   map[string]Limits
		newDef   *Limits
		newRts   map[string]Limits
		routeKey string
		want     int // of 5 requests after the old stage spent 3 (burst 3, rate 0)
	}{
		{name: "unchanged route limits keep state",
			oldRts: map[string]Limits{"GET /": {Burst: 3}}, newRts: map[string]Limits{"GET /": {Burst: 3}},
			routeKey: "GET /", want: 0},
		{name: "changed route limits start full",
			oldRts: map[string]Limits{"GET /": {Burst: 3}}, newRts: map[string]Limits{"GET /": {Burst: 4}},
			routeKey: "GET /", want: 4},
		{name: "unchanged default keeps per-route state",
			oldDef: lim(0, 3), newDef: lim(0, 3), routeKey: "GET /x", want: 0},
		{name: "changed default starts full",
			oldDef: lim(0, 3), newDef: lim(0, 5), routeKey: "GET /x", want: 5},
		{name: "route moved from default to identical own settings keeps state",
			oldDef: lim(0, 3), newRts: map[string]Limits{"GET /x": {Burst: 3}}, routeKey: "GET /x", want: 0},
		{name: "route moved from own settings to identical default keeps state",
			oldRts: map[string]Limits{"GET /x": {Burst: 3}}, newDef: lim(0, 3), routeKey: "GET /x", want: 0},
		{name: "route unthrottled in the new stage",
			oldRts: map[string]Limits{"GET /x": {Burst: 3}}, routeKey: "GET /x", want: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			old := NewStage(tt.oldDef, tt.oldRts, c.now)
			if got := take(3, func() bool { return old.Allow(tt.routeKey) }); got != 3 {
				t.Fatalf("old: 3 × Allow(%q) passed %d, want 3", tt.routeKey, got)
			}
			s := NewStage(tt.newDef, tt.newRts, c.now)
			s.Carry(old)
			if got := take(5, func() bool { return s.Allow(tt.routeKey) }); got != tt.want {
				t.Errorf("after Carry: 5 × Allow(%q) passed %d, want %d", tt.routeKey, got, tt.want)
			}
		})
	}
}

func TestCarrySharesBucketWithOld(t *testing.T) {
	c := newClock()
	old := NewStage(nil, map[string]Limits{"GET /": {Burst: 4}}, c.now)
	s := NewStage(nil, map[string]Limits{"GET /": {Burst: 4}}, c.now)
	s.Carry(old)
	take(2, func() bool { return old.Allow("GET /") }) // requests still finishing on the old snapshot
	if got := take(4, func() bool { return s.Allow("GET /") }); got != 2 {
		t.Errorf(`after 2 on old, 4 × new.Allow("GET /") passed %d, want 2`, got)
	}
}
