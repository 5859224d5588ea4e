package targets

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const (
	albARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/my-alb/50dc6c495c0c9188/0467ef3c8400ae65"
	srvARN = "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abc123"
)

// clock is a manual clock for tests.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano())
	return c
}

func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// mustParse parses a document or fails the test.
func mustParse(t testing.TB, o Options, doc string) *Table {
	t.Helper()
	tab, err := o.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("Parse(%s): %v", doc, err)
	}
	return tab
}
