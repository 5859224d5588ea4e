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
// counted, and the count is logged before the next line that gets through.
var failureLogs = &logQueue{size: 1024}

// logAsync queues a warning for the writer goroutine.
func logAsync(l *slog.Logger, msg string, attrs ...slog.Attr) { failureLogs.log(l, msg, attrs...) }

type logQueue struct {
	size    int
	once    sync.Once
	ch      chan logItem
	dropped atomic.Int64
}

type logItem struct {
	log   *slog.Logger
	msg   string
	attrs []slog.Attr
}

func (q *logQueue) log(l *slog.Logger, msg string, attrs ...slog.Attr) {
	if !l.Enabled(context.Background(), slog.LevelWarn) {
		return
	}
	q.once.Do(func() {
		q.ch = make(chan logItem, q.size)
		go q.write()
	})
	select {
	case q.ch <- logItem{log: l, msg: msg, attrs: attrs}:
	default:
		q.dropped.Add(1)
	}
}

func (q *logQueue) write() {
	for it := range q.ch {
		if n := q.dropped.Swap(0); n > 0 {
			it.log.LogAttrs(context.Background(), slog.LevelWarn, "request failure logs dropped: stderr did not keep up",
				slog.Int64("lines", n))
		}
		it.log.LogAttrs(context.Background(), slog.LevelWarn, it.msg, it.attrs...)
	}
}
