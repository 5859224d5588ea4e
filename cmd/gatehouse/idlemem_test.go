package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"
)

// TestIdleMemoryFreesAfterActivity: after requests stop, the heap the burst
// left behind is collected and released.
func TestIdleMemoryFreesAfterActivity(t *testing.T) {
	var m idleMemory
	var sink [][]byte
	h := m.wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		sink = append(sink, make([]byte, 1<<20))
	}))
	for range 64 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}
	sink = nil
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.run(ctx, 20*time.Millisecond)
	deadline := time.Now().Add(5 * time.Second)
	for {
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if after.NumForcedGC > before.NumForcedGC && after.HeapReleased > before.HeapReleased {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no forced collection and release after going idle (forced GCs %d→%d, released %d→%d)",
				before.NumForcedGC, after.NumForcedGC, before.HeapReleased, after.HeapReleased)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
