package gateway

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// blockingHandler is a log destination that does not take data until
// released (a stderr pipe nobody reads).
type blockingHandler struct {
	release chan struct{}
	got     chan string
}

func (h *blockingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *blockingHandler) Handle(_ context.Context, r slog.Record) error {
	<-h.release
	h.got <- r.Message
	return nil
}
func (h *blockingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *blockingHandler) WithGroup(string) slog.Handler      { return h }

func TestFailureLogsNeverHoldUpRequests(t *testing.T) {
	h := &blockingHandler{release: make(chan struct{}), got: make(chan string, 4*logQueueSize)}
	l := slog.New(h)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 3*logQueueSize; i++ { // more than the queue holds
			logAsync(l, "request failed", slog.Int("i", i))
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("logging a failed request waited for the log destination")
	}
	if logDropped.Load() == 0 {
		t.Fatal("nothing was dropped: the queue is not bounded")
	}
	close(h.release)
	// What was queued arrives, and the drop count is reported.
	deadline := time.After(10 * time.Second)
	sawDropNote := false
	for n := 0; n < logQueueSize; n++ {
		select {
		case m := <-h.got:
			if m != "request failed" {
				sawDropNote = true
			}
		case <-deadline:
			t.Fatalf("only %d queued lines were written", n)
		}
	}
	logAsync(l, "request failed")
	for !sawDropNote {
		select {
		case m := <-h.got:
			sawDropNote = m != "request failed"
		case <-deadline:
			t.Fatal("the dropped lines were never reported")
		}
	}
}
