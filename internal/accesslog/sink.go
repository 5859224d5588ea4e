package accesslog

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Sinks opens and shares log destinations. A line is appended to its
// sink's memory buffer and nothing else: a writer goroutine flushes the
// buffers every second, sooner when one passes 64 KB, and on Close, so a
// request never waits for a disk or a pipe (the event-loop server runs the
// response stages on its loop thread). If a destination stops taking data
// (a stdout piped to a reader that does not read), a sink buffers up to
// 8 MB and then drops lines, counting them, rather than stall requests;
// the count is logged when the destination takes data again.
type Sinks struct {
	dir    string
	mu     sync.Mutex
	open   map[string]*Sink
	kick   chan struct{} // a buffer passed flushAt
	stop   chan struct{}
	done   chan struct{}
	stdout io.Writer
	stderr io.Writer
}

// Sink is one destination.
type Sink struct {
	name  string
	kick  chan struct{}
	mu    sync.Mutex // guards buf, spare, dropped
	buf   []byte
	spare []byte
	// dropped counts lines refused while the buffer was full.
	dropped int64
	wmu     sync.Mutex // serializes writes to w
	w       io.Writer
	f       *os.File // nil for stdout/stderr
}

const (
	flushAt     = 64 << 10
	maxBuffered = 8 << 20
)

// NewSinks returns sinks writing files under dir.
func NewSinks(dir string) *Sinks {
	s := &Sinks{dir: dir, open: map[string]*Sink{}, kick: make(chan struct{}, 1), stop: make(chan struct{}),
		done: make(chan struct{}), stdout: os.Stdout, stderr: os.Stderr}
	go s.flushLoop()
	return s
}

// Target maps a destination ARN to a sink name: "stdout", "stderr" or a file base name.
func Target(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return "", fmt.Errorf("access log destination %q is not an ARN", arn)
	}
	var name string
	switch parts[2] {
	case "logs":
		name = strings.TrimPrefix(parts[5], "log-group:")
		name = strings.TrimSuffix(name, ":*")
	case "firehose":
		name = strings.TrimPrefix(parts[5], "deliverystream/")
	default:
		return "", fmt.Errorf("access log destination %q must be a CloudWatch Logs log group or Firehose stream ARN", arn)
	}
	if name == "" {
		return "", fmt.Errorf("access log destination %q has no name", arn)
	}
	return strings.NewReplacer("/", "_", "\\", "_", "..", "_").Replace(name), nil
}

// Get returns the sink for a destination ARN, opening it on first use.
func (s *Sinks) Get(arn string) (*Sink, error) {
	name, err := Target(arn)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sk, ok := s.open[name]; ok {
		return sk, nil
	}
	sk := &Sink{name: name, kick: s.kick}
	switch name {
	case "stdout":
		sk.w = s.stdout
	case "stderr":
		sk.w = s.stderr
	default:
		if err := os.MkdirAll(s.dir, 0o755); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(filepath.Join(s.dir, name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, err
		}
		sk.w, sk.f = f, f
	}
	s.open[name] = sk
	return sk, nil
}

// Write appends one line (a newline is added). It never waits for I/O.
func (sk *Sink) Write(line []byte) {
	sk.mu.Lock()
	if len(sk.buf)+len(line)+1 > maxBuffered {
		sk.dropped++
		sk.mu.Unlock()
		return
	}
	sk.buf = append(sk.buf, line...)
	sk.buf = append(sk.buf, '\n')
	full := len(sk.buf) >= flushAt
	sk.mu.Unlock()
	if full {
		select {
		case sk.kick <- struct{}{}:
		default: // a flush is already wanted
		}
	}
}

// flush writes the buffered lines out (outside the buffer's lock: writers
// keep appending to the other buffer meanwhile).
func (sk *Sink) flush() {
	sk.wmu.Lock()
	defer sk.wmu.Unlock()
	sk.mu.Lock()
	b, dropped := sk.buf, sk.dropped
	sk.buf, sk.spare, sk.dropped = sk.spare[:0], nil, 0
	sk.mu.Unlock()
	if len(b) > 0 {
		sk.w.Write(b)
	}
	if dropped > 0 {
		slog.Warn("access log lines dropped: the destination did not keep up", "sink", sk.name, "lines", dropped)
	}
	if cap(b) <= 1<<20 {
		sk.mu.Lock()
		sk.spare = b[:0]
		sk.mu.Unlock()
	}
}

func (s *Sinks) flushLoop() {
	defer close(s.done)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.Flush()
		case <-s.kick:
			s.Flush()
		case <-s.stop:
			return
		}
	}
}

// Flush writes buffered lines out.
func (s *Sinks) Flush() {
	s.mu.Lock()
	sinks := make([]*Sink, 0, len(s.open))
	for _, sk := range s.open {
		sinks = append(sinks, sk)
	}
	s.mu.Unlock()
	for _, sk := range sinks {
		sk.flush()
	}
}

// Close flushes and closes every sink.
func (s *Sinks) Close() error {
	close(s.stop)
	<-s.done
	s.Flush()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sk := range s.open {
		if sk.f != nil {
			sk.f.Close()
		}
	}
	return nil
}
