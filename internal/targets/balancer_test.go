package targets

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

var errRefused = fmt.Errorf("dial tcp 127.0.0.1:8081: %w", syscall.ECONNREFUSED)

// step is one action in a balancer scenario: pick (want is the picked host), report (target index
// i, err), or advance the clock.
type step struct {
	pick    string
	report  int // index into the balancer's targets, used when err or ok is set
	err     error
	ok      bool
	advance time.Duration
}

func pick(host string) step          { return step{pick: host} }
func fail(i int) step                { return step{report: i, err: errRefused} }
func failWith(i int, err error) step { return step{report: i, err: err} }
func succeed(i int) step             { return step{report: i, ok: true} }
func wait(d time.Duration) step      { return step{advance: d} }
func (s step) String() string {
	switch {
	case s.pick != "":
		return "Pick() → " + s.pick
	case s.ok:
		return fmt.Sprintf("targets[%d].Report(nil)", s.report)
	case s.err != nil:
		return fmt.Sprintf("targets[%d].Report(%v)", s.report, s.err)
	default:
		return fmt.Sprintf("advance %v", s.advance)
	}
}

func TestBalancer(t *testing.T) {
	three := []string{"a", "b", "c"}
	tests := []struct {
		name  string
		hosts []string
		opts  Options
		steps []step
	}{
		{name: "round robin over healthy targets", hosts: three,
			steps: []step{pick("a"), pick("b"), pick("c"), pick("a"), pick("b")}},
		{name: "single target", hosts: []string{"a"},
			steps: []step{pick("a"), pick("a")}},
		{name: "failed target is skipped", hosts: three,
			steps: []step{fail(1), pick("a"), pick("c"), pick("c"), pick("a"), pick("c"), pick("c")}},
		{name: "failed target returns after cooldown", hosts: three,
			steps: []step{fail(1), pick("a"), pick("c"), wait(9 * time.Second), pick("c"), pick("a"),
				wait(time.Second), pick("b"), pick("c"), pick("a"), pick("b")}},
		{name: "one failure after cooldown sends it straight back", hosts: []string{"a", "b"},
			steps: []step{fail(1), wait(10 * time.Second), pick("a"), pick("b"), fail(1), pick("a"), pick("a")}},
		{name: "success after cooldown restores it fully", hosts: []string{"a", "b"},
			opts:  Options{FailThreshold: 2},
			steps: []step{fail(1), fail(1), pick("a"), pick("a"), wait(10 * time.Second), succeed(1), fail(1), pick("a"), pick("b")}},
		{name: "threshold counts consecutive failures", hosts: []string{"a", "b"},
			opts: Options{FailThreshold: 3},
			steps: []step{fail(0), fail(0), pick("a"), pick("b"), succeed(0), fail(0), fail(0), pick("a"), pick("b"),
				fail(0), pick("b"), pick("b")}},
		{name: "custom cooldown", hosts: []string{"a", "b"},
			opts:  Options{Cooldown: time.Second},
			steps: []step{fail(0), pick("b"), pick("b"), wait(time.Second), pick("a"), pick("b")}},
		{name: "all down: the one whose cooldown ends soonest", hosts: three,
			steps: []step{fail(1), wait(time.Second), fail(2), wait(time.Second), fail(0),
				pick("b"), pick("b"), pick("b"), wait(8 * time.Second), pick("b"), pick("b"), pick("b"),
				wait(time.Second), pick("b"), pick("b"), pick("c")}},
		{name: "timeouts count as failures", hosts: []string{"a", "b"},
			steps: []step{failWith(0, fmt.Errorf("awaiting headers: %w", errTimeout{})), pick("b"), pick("b")}},
		{name: "ignored errors leave health alone", hosts: []string{"a", "b"},
			steps: []step{failWith(0, errors.New("tls: bad certificate")), failWith(0, errCanceled), pick("a"), pick("b"), pick("a")}},
		{name: "ignored error does not reset the count", hosts: []string{"a", "b"},
			opts:  Options{FailThreshold: 2},
			steps: []step{fail(0), failWith(0, errors.New("malformed HTTP response")), fail(0), pick("b"), pick("b")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			o := tt.opts
			o.Now = c.now
			urls := make([]string, len(tt.hosts))
			for i, h := range tt.hosts {
				urls[i] = `"http://` + h + `"`
			}
			tab := mustParse(t, o, `{"targets": {"`+albARN+`": [`+strings.Join(urls, ",")+`]}}`)
			b, _ := tab.Balancer(albARN)
			var log []string
			for _, s := range tt.steps {
				log = append(log, s.String())
				switch {
				case s.pick != "":
					got, ok := b.Pick()
					if !ok || got.URL.Host != s.pick {
						t.Fatalf("after %s:\nPick() = %v, %v; want %s", strings.Join(log[:len(log)-1], "; "), got.URL, ok, s.pick)
					}
				case s.ok:
					b.targets[s.report].Report(nil)
				case s.err != nil:
					b.targets[s.report].Report(s.err)
				default:
					c.advance(s.advance)
				}
			}
		})
	}
}

func TestNilBalancer(t *testing.T) {
	var b *Balancer
	if tg, ok := b.Pick(); tg != nil || ok {
		t.Errorf("(*Balancer)(nil).Pick() = %v, %v; want nil, false", tg, ok)
	}
}

// TestPickReadsNoClockWhileHealthy: the clock is only consulted once a target has failed.
func TestPickReadsNoClockWhileHealthy(t *testing.T) {
	calls := 0
	tab := mustParse(t, Options{Now: func() time.Time { calls++; return time.Unix(1, 0) }},
		`{"targets": {"`+albARN+`": ["http://a", "http://b"]}}`)
	b, _ := tab.Balancer(albARN)
	for range 10 {
		b.Pick()
	}
	if calls != 0 {
		t.Errorf("10 × Pick() on healthy targets read the clock %d times, want 0", calls)
	}
}
