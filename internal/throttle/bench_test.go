package throttle

import (
	"testing"
	"time"
)

func BenchmarkStageAllow(b *testing.B) {
	for _, bc := range []struct {
		name string
		now  func() time.Time
		key  string
	}{
		{name: "route/fixed-clock", now: newClock().now, key: "GET /pets"},
		{name: "default/fixed-clock", now: newClock().now, key: "GET /owners"},
		{name: "route/time.Now", now: time.Now, key: "GET /pets"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			inf := Limits{Rate: 1e12, Burst: 1 << 30}
			s := NewStage(&inf, map[string]Limits{"GET /pets": inf}, bc.now)
			b.ReportAllocs()
			for b.Loop() {
				s.Allow(bc.key)
			}
		})
	}
}

func BenchmarkAllow(b *testing.B) {
	inf := Limits{Rate: 1e12, Burst: 1 << 30}
	c := newClock()
	a := NewAccount(inf, c.now)
	s := NewStage(&inf, map[string]Limits{"GET /pets": inf}, c.now)
	b.ReportAllocs()
	for b.Loop() {
		Allow(a, "us-east-1", s, "GET /pets")
	}
}

func BenchmarkAllowParallel(b *testing.B) {
	inf := Limits{Rate: 1e12, Burst: 1 << 30}
	a := NewAccount(inf, time.Now)
	s := NewStage(&inf, map[string]Limits{"GET /pets": inf}, time.Now)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			Allow(a, "us-east-1", s, "GET /pets")
		}
	})
}
