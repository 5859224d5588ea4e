package gateway

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
)

// Failed requests are logged by one writer goroutine, never by the request:
// a slow stderr (a terminal scrolled back, a pipe nobody reads) must not
// hold up requests, nor the event-loop server's loop thread, which runs the
// response stages. The queue is bounded; past it, lines are dropped and
// counted, and the count is logged with the next line that gets through.
const logQueueSize = 1024

var (
	logOnce    sync.Once
	logQueue   chan logItem
	logDropped atomic.Int64
)

type logItem struct {
	log   *slog.Logger
	msg   string
	attrs []slog.Attr
}

// logAsync queues a warning for the writer goroutine.
func logAsync(l *slog.Logger, msg string, attrs ...slog.Attr) {
	if !l.Enabled(context.Background(), slog.LevelWarn) {
		return
	}
	logOnce.Do(func() {
		logQueue = make(chan logItem, logQueueSize)
		go func() {
			for it := range logQueue {
				if n := logDropped.Swap(0); n > 0 {
					it.log.LogAttrs(context.Background(), slog.LevelWarn, "request failure logs dropped: stderr did not keep up",
						slog.Int64("lines", n))
				}
				it.log.LogAttrs(context.Background(), slog.LevelWarn, it.msg, it.attrs...)
			}
		}()
	})
	select {
	case logQueue <- logItem{log: l, msg: msg, attrs: attrs}:
	default:
		logDropped.Add(1)
	}
}
