package throttle

import (
	"math"
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	// Each step advances the clock by wait, then makes n requests; want is how many pass.
	type step struct {
		wait time.Duration
		n    int
		want int
	}
	tests := []struct {
		name   string
		limits Limits
		steps  []step
	}{
		{name: "starts full: burst then refuse", limits: Limits{Rate: 10, Burst: 5},
			steps: []step{{n: 8, want: 5}}},
		{name: "refills at rate", limits: Limits{Rate: 10, Burst: 5},
			steps: []step{{n: 5, want: 5}, {wait: 100 * time.Millisecond, n: 3, want: 1}, {wait: 300 * time.Millisecond, n: 5, want: 3}}},
		{name: "refill is capped at burst", limits: Limits{Rate: 10, Burst: 5},
			steps: []step{{n: 5, want: 5}, {wait: time.Hour, n: 9, want: 5}}},
		{name: "fractional rate", limits: Limits{Rate: 0.5, Burst: 1},
			steps: []step{{n: 2, want: 1}, {wait: time.Second, n: 1, want: 0}, {wait: time.Second, n: 1, want: 1}}},
		{name: "rate 0 burst 0 blocks everything", limits: Limits{Rate: 0, Burst: 0},
			steps: []step{{n: 3, want: 0}, {wait: time.Hour, n: 3, want: 0}}},
		{name: "rate 0 allows burst once, never refills", limits: Limits{Rate: 0, Burst: 2},
			steps: []step{{n: 3, want: 2}, {wait: time.Hour, n: 3, want: 0}}},
		{name: "burst 0 blocks despite rate", limits: Limits{Rate: 1000, Burst: 0},
			steps: []step{{n: 3, want: 0}, {wait: time.Second, n: 3, want: 0}}},
		{name: "negative values act as 0", limits: Limits{Rate: -1, Burst: -1},
			steps: []step{{n: 3, want: 0}}},
		{name: "NaN rate acts as 0", limits: Limits{Rate: math.NaN(), Burst: 1},
			steps: []step{{n: 2, want: 1}, {wait: time.Hour, n: 1, want: 0}}},
		{name: "infinite rate never throttles", limits: Limits{Rate: math.Inf(1), Burst: 0},
			steps: []step{{n: 1000, want: 1000}}},
		{name: "clock going backwards refills nothing", limits: Limits{Rate: 10, Burst: 2},
			steps: []step{{n: 2, want: 2}, {wait: -time.Hour, n: 1, want: 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			b := newBucket(tt.limits)
			for i, s := range tt.steps {
				c.advance(s.wait)
				if got := take(s.n, func() bool { return b.allow(c.now()) }); got != s.want {
					t.Errorf("step %d: after +%v, %d × bucket(%+v).allow() passed %d, want %d", i, s.wait, s.n, tt.limits, got, s.want)
				}
			}
		})
	}
}
