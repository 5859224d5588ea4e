package targets

import (
	"sync"
	"testing"
)

// TestConcurrentPick: with healthy targets, concurrent picks are spread exactly evenly (one atomic
// counter); concurrent reports race with picks without data races (run with -race).
func TestConcurrentPick(t *testing.T) {
	c := newClock()
	tab := mustParse(t, Options{Now: c.now}, `{"targets": {"`+albARN+`": ["http://a", "http://b", "http://c", "http://d"]}}`)
	b, _ := tab.Balancer(albARN)

	const goroutines, picks = 16, 1000
	counts := make([]map[string]int, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			m := map[string]int{}
			for range picks {
				tg, _ := b.Pick()
				m[tg.URL.Host]++
			}
			counts[g] = m
		})
	}
	wg.Wait()
	total := map[string]int{}
	for _, m := range counts {
		for h, n := range m {
			total[h] += n
		}
	}
	for _, h := range []string{"a", "b", "c", "d"} {
		if total[h] != goroutines*picks/4 {
			t.Errorf("%d concurrent Pick() calls chose %s %d times, want %d", goroutines*picks, h, total[h], goroutines*picks/4)
		}
	}

	// Reports and picks together.
	for g := range goroutines {
		wg.Go(func() {
			for i := range picks {
				tg, ok := b.Pick()
				if !ok {
					t.Error("Pick() = _, false with targets configured")
					return
				}
				if (i+g)%3 == 0 {
					tg.Report(errRefused)
				} else {
					tg.Report(nil)
				}
				if g == 0 && i%100 == 0 {
					c.advance(DefaultCooldown)
				}
			}
		})
	}
	wg.Wait()
}
