package accesslog

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	vals := map[string]string{"requestId": "rid", "status": "200", "authorizer.claims.sub": "u1", "httpMethod": "GET"}
	lookup := func(n string) (string, bool) { v, ok := vals[n]; return v, ok }
	for _, tc := range []struct{ format, want string }{
		{`$context.requestId $context.status`, `rid 200`},
		{`{"id":"$context.requestId","m":"$context.httpMethod"}`, `{"id":"rid","m":"GET"}`},
		{`${context.requestId}x $context.authorizer.claims.sub.`, `ridx u1.`},
		{`$context.missing|$context.`, `-|$context.`},
		{`cost: $5 ${context.status`, `cost: $5 ${context.status`},
	} {
		if got := string(Compile(tc.format).Append(nil, lookup)); got != tc.want {
			t.Errorf("Compile(%q).Append = %q, want %q", tc.format, got, tc.want)
		}
	}
}

func TestTarget(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:logs:us-east-1:000000000000:log-group:stdout":             "stdout",
		"arn:aws:logs:us-east-1:000000000000:log-group:/aws/http/api:*":    "_aws_http_api",
		"arn:aws:firehose:us-east-1:000000000000:deliverystream/my-stream": "my-stream",
		"arn:aws:logs:us-east-1:000000000000:log-group:../../etc/passwd":   "____etc_passwd",
	} {
		if got, err := Target(arn); err != nil || got != want {
			t.Errorf("Target(%q) = %q, %v; want %q", arn, got, err, want)
		}
	}
	for _, bad := range []string{"stdout", "arn:aws:s3:::bucket/x", "arn:aws:logs:us-east-1:0:log-group:"} {
		if _, err := Target(bad); err == nil {
			t.Errorf("Target(%q) succeeded, want an error", bad)
		}
	}
}

func TestFileSink(t *testing.T) {
	dir := t.TempDir()
	s := NewSinks(dir)
	sk, err := s.Get("arn:aws:logs:us-east-1:000000000000:log-group:api-logs")
	if err != nil {
		t.Fatal(err)
	}
	sk.Write([]byte("one"))
	sk.Write([]byte("two"))
	s.Close()
	b, _ := os.ReadFile(filepath.Join(dir, "api-logs.log"))
	if got := strings.TrimSpace(string(b)); got != "one\ntwo" {
		t.Errorf("log file = %q", got)
	}
}

// TestSinkNeverBlocksWriters: a destination that stops reading (a stdout
// pipe nobody drains) must not stall the requests that log to it; past
// the buffer's bound, lines are dropped and counted, and what was
// buffered arrives in order once the destination reads again.
func TestSinkNeverBlocksWriters(t *testing.T) {
	pr, pw := io.Pipe()
	s := NewSinks(t.TempDir())
	s.stdout = pw
	sk, err := s.Get("arn:aws:logs:us-east-1:000000000000:log-group:stdout")
	if err != nil {
		t.Fatal(err)
	}
	line := []byte(strings.Repeat("x", 1000))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20000; i++ { // 20 MB: more than the buffers hold
			sk.Write(line)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Write blocked on a destination that does not read")
	}
	sk.mu.Lock()
	dropped := sk.dropped
	sk.mu.Unlock()
	if dropped == 0 {
		t.Fatal("20 MB into a stuck destination dropped nothing: the buffer is not bounded")
	}
	// The destination reads again: the first flushed lines arrive whole.
	got := make([]byte, 3*1001)
	if _, err := io.ReadFull(pr, got); err != nil {
		t.Fatal(err)
	}
	if want := strings.Repeat(string(line)+"\n", 3); string(got) != want {
		t.Fatalf("the destination got %.80q...", got)
	}
	go io.Copy(io.Discard, pr)
	s.Close()
}
