package main

import (
	"context"
	"net/http"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/evloop"
)

// idleMemory returns memory to the operating system once the server goes
// quiet. With GOGC=400 a burst of requests leaves a heap several times the
// live data, which the runtime gives back only gradually; a developer's
// machine (or CI runner) should see Gatehouse shrink back to its idle size
// soon after a test suite finishes. One forced collection per quiet period
// costs nothing while requests flow.
type idleMemory struct {
	requests atomic.Uint64
}

func (m *idleMemory) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.requests.Add(1)
		h.ServeHTTP(w, r)
	})
}

// wrapLoop is wrap for the event-loop server.
func (m *idleMemory) wrapLoop(h evloop.Handler) evloop.Handler {
	return evloop.HandlerFunc(func(r *http.Request, body []byte, res *evloop.Responder) {
		m.requests.Add(1)
		h.ServeLoop(r, body, res)
	})
}

// run frees memory after every quiet interval that follows activity, until
// ctx ends.
func (m *idleMemory) run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var seen, freedAt uint64
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n := m.requests.Load()
		if n == seen && n != freedAt { // quiet for a whole interval, busy before
			debug.FreeOSMemory()
			freedAt = n
		}
		seen = n
	}
}
