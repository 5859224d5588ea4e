package throttle

import (
	"sync/atomic"
	"time"
)

// clock is a manual clock for tests: it moves only when advance is called.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano())
	return c
}

func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// take calls allow n times and returns how many were allowed.
func take(n int, allow func() bool) int {
	ok := 0
	for range n {
		if allow() {
			ok++
		}
	}
	return ok
}
