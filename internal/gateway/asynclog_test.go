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
	const size = 16
	q := &logQueue{size: size}
	h := &blockingHandler{release: make(chan struct{}), got: make(chan string, 1024)}
	l := slog.New(h)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 10*size; i++ { // more than the queue holds
			q.log(l, "request failed", slog.Int("i", i))
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("logging a failed request waited for the log destination")
	}
	close(h.release)
	// The queued lines arrive, then (with the next line logged) the note
	// that counts the dropped ones. At most the queue, plus the line in the
	// writer's hands, can come before it.
	deadline := time.After(10 * time.Second)
	lines := 0
	for noted := false; !noted; {
		select {
		case m := <-h.got:
			if m == "request failed" {
				lines++
				if lines > size+1 {
					t.Fatalf("%d lines written for a queue of %d: it is not bounded", lines, size)
				}
				continue
			}
			noted = true
		case <-time.After(50 * time.Millisecond):
			q.log(l, "request failed") // the writer reports drops with the next line
		case <-deadline:
			t.Fatalf("the dropped lines were never reported (%d lines written)", lines)
		}
	}
}
