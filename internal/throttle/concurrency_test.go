package throttle

import (
	"sync"
	"sync/atomic"
	"testing"
)

// TestConcurrentAllow runs Allow from many goroutines (run with -race) and checks that no token is
// handed out twice: with rate 0, exactly Burst requests pass.
func TestConcurrentAllow(t *testing.T) {
	c := newClock()
	a := NewAccount(Limits{Rate: 0, Burst: 1000}, c.now)
	s := NewStage(lim(0, 300), map[string]Limits{"GET /": {Rate: 0, Burst: 500}}, c.now)
	keys := []string{"GET /", "GET /a", "GET /b"}
	var passed [3]atomic.Int64
	var wg sync.WaitGroup
	for g := range 24 {
		wg.Go(func() {
			for range 200 {
				i := g % len(keys)
				if Allow(a, "us-east-1", s, keys[i]) {
					passed[i].Add(1)
				}
			}
		})
	}
	wg.Wait()
	want := [3]int64{500, 300, 300} // route burst, then one default bucket per route; total 1100 > account 1000
	var total int64
	for i := range keys {
		got := passed[i].Load()
		total += got
		if got > want[i] {
			t.Errorf("Allow(%q) passed %d times, want at most %d", keys[i], got, want[i])
		}
	}
	if total != 1000 {
		t.Errorf("total passed %d, want 1000 (account burst)", total)
	}
}
