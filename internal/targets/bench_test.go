package targets

import (
	"testing"
	"time"
)

func BenchmarkPick(b *testing.B) {
	for _, bc := range []struct {
		name string
		down []int
	}{
		{name: "all-healthy"},
		{name: "one-down", down: []int{1}},
		{name: "all-down", down: []int{0, 1, 2}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tab := mustParse(b, Options{Now: newClock().now}, `{"targets": {"`+albARN+`": ["http://a", "http://b", "http://c"]}}`)
			bal, _ := tab.Balancer(albARN)
			for _, i := range bc.down {
				bal.targets[i].Report(errRefused)
			}
			b.ReportAllocs()
			for b.Loop() {
				bal.Pick()
			}
		})
	}
}

func BenchmarkPickParallel(b *testing.B) {
	tab := mustParse(b, Options{Now: time.Now}, `{"targets": {"`+albARN+`": ["http://a", "http://b", "http://c"]}}`)
	bal, _ := tab.Balancer(albARN)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			t, _ := bal.Pick()
			t.Report(nil)
		}
	})
}
