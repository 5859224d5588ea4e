package accesslog

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Sinks opens and shares log destinations; lines are buffered and flushed
// every second and on Close, so a request never waits for a disk write.
type Sinks struct {
	dir    string
	mu     sync.Mutex
	open   map[string]*Sink
	stop   chan struct{}
	done   chan struct{}
	stdout io.Writer
	stderr io.Writer
}

// Sink is one destination.
type Sink struct {
	mu sync.Mutex
	w  *bufio.Writer
	f  *os.File // nil for stdout/stderr
}

// NewSinks returns sinks writing files under dir.
func NewSinks(dir string) *Sinks {
	s := &Sinks{dir: dir, open: map[string]*Sink{}, stop: make(chan struct{}), done: make(chan struct{}),
		stdout: os.Stdout, stderr: os.Stderr}
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
	var sk *Sink
	switch name {
	case "stdout":
		sk = &Sink{w: bufio.NewWriter(s.stdout)}
	case "stderr":
		sk = &Sink{w: bufio.NewWriter(s.stderr)}
	default:
		if err := os.MkdirAll(s.dir, 0o755); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(filepath.Join(s.dir, name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, err
		}
		sk = &Sink{w: bufio.NewWriterSize(f, 64<<10), f: f}
	}
	s.open[name] = sk
	return sk, nil
}

// Write appends one line (a newline is added).
func (sk *Sink) Write(line []byte) {
	sk.mu.Lock()
	sk.w.Write(line)
	sk.w.WriteByte('\n')
	sk.mu.Unlock()
}

func (sk *Sink) flush() {
	sk.mu.Lock()
	sk.w.Flush()
	sk.mu.Unlock()
}

func (s *Sinks) flushLoop() {
	defer close(s.done)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
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
