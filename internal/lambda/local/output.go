package local

import (
	"bytes"
	"log/slog"
	"os"
	"sync"
	"syscall"
	"time"
)

// output reads an instance's stdout and stderr (one pipe) and splits it into
// lines, which go to Gatehouse's log and to the log of the invocation in
// flight (LogType Tail).
type output struct {
	r   *os.File
	raw syscall.RawConn // r's, for the pending byte count; nil if unavailable
	log *slog.Logger

	mu       sync.Mutex
	consumed int64         // bytes read from the pipe and handled
	progress chan struct{} // closed and replaced whenever consumed grows
	eof      bool
	line     []byte
	sink     *invocationLog
}

func newOutput(r *os.File, log *slog.Logger) *output {
	o := &output{r: r, log: log, progress: make(chan struct{})}
	if raw, err := r.SyscallConn(); err == nil {
		o.raw = raw
	}
	return o
}

// run reads the pipe until every writer (the process and its children) has
// closed it.
func (o *output) run() {
	buf := make([]byte, 32<<10)
	for {
		n, err := o.r.Read(buf)
		o.mu.Lock()
		o.feed(buf[:n])
		o.consumed += int64(n)
		if err != nil {
			o.eof = true
			o.flushLine()
		}
		close(o.progress)
		o.progress = make(chan struct{})
		o.mu.Unlock()
		if err != nil {
			o.r.Close()
			return
		}
	}
}

// feed splits b into lines. Lines longer than maxLineBytes are cut.
func (o *output) feed(b []byte) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			o.line = append(o.line, b...)
			if len(o.line) >= maxLineBytes {
				o.flushLine()
			}
			return
		}
		o.line = append(o.line, b[:i]...)
		o.flushLine()
		b = b[i+1:]
	}
}

func (o *output) flushLine() {
	if len(o.line) == 0 {
		return
	}
	line := string(o.line)
	o.line = o.line[:0]
	if cap(o.line) > 64<<10 {
		o.line = nil
	}
	if o.sink != nil {
		o.sink.add(line)
		o.log.Info(line, "request_id", o.sink.id)
		return
	}
	o.log.Info(line)
}

// attach directs output to l until detach.
func (o *output) attach(l *invocationLog) {
	o.mu.Lock()
	o.sink = l
	o.mu.Unlock()
}

// detach ends the invocation's share of the output, including a last line
// that has no newline yet.
func (o *output) detach() {
	o.mu.Lock()
	o.flushLine()
	o.sink = nil
	o.mu.Unlock()
}

// drainWait bounds how long drain waits for output already written.
const drainWait = 50 * time.Millisecond

// drain waits until the reader has handled every byte that was in the pipe
// when drain was called: what a function printed before it answered belongs
// to its invocation even if the reader goroutine has not run yet.
func (o *output) drain() {
	var pending int
	if o.raw != nil {
		o.raw.Control(func(fd uintptr) { pending = pendingBytes(fd) })
	}
	if pending <= 0 {
		return
	}
	o.mu.Lock()
	target := o.consumed + int64(pending)
	var timer *time.Timer
	for o.consumed < target && !o.eof {
		ch := o.progress
		o.mu.Unlock()
		if timer == nil {
			timer = time.NewTimer(drainWait)
			defer timer.Stop()
		}
		select {
		case <-ch:
		case <-timer.C:
			return
		}
		o.mu.Lock()
	}
	o.mu.Unlock()
}

// invocationLog collects one invocation's log lines: START, the function's
// output, END and REPORT. It keeps only the last tailBytes.
type invocationLog struct {
	id  string
	buf []byte
}

func (l *invocationLog) add(line string) {
	l.buf = append(l.buf, line...)
	l.buf = append(l.buf, '\n')
	if len(l.buf) > 2*tailBytes {
		n := copy(l.buf, l.buf[len(l.buf)-tailBytes:])
		l.buf = l.buf[:n]
	}
}

// tail returns the last tailBytes of the log.
func (l *invocationLog) tail() []byte {
	if len(l.buf) > tailBytes {
		return l.buf[len(l.buf)-tailBytes:]
	}
	return l.buf
}
