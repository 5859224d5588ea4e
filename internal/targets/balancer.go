package targets

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// health is the passive health-check configuration shared by a table's targets.
type health struct {
	threshold int32
	cooldown  time.Duration
	now       func() time.Time
}

// Balancer spreads requests for one ARN over its targets. Safe for concurrent use.
type Balancer struct {
	health  *health
	targets []*Target // never empty
	next    atomic.Uint64
}

// Target is one base URL behind an ARN, with its passive health state.
type Target struct {
	// URL is the base URL from the targets file: scheme, host[:port] and an optional path prefix.
	// Shared by every request: clone it before changing it.
	URL *url.URL

	health    *health
	fails     atomic.Int32 // consecutive failures, capped at the threshold
	downUntil atomic.Int64 // Unix nanoseconds until which the target is skipped; 0: healthy
}

// Pick returns the next target in round-robin order, skipping those in cooldown. Picking never
// blocks and takes no lock (one atomic counter). When every target is in cooldown it returns the one
// whose cooldown ends soonest rather than nothing: with no VPC to fail over to, trying the likeliest
// target gives a real error (and a real recovery) instead of a guess. ok is false only for a nil
// Balancer.
//
// Skipping is positional, so while a target is down the next one in the list takes its share too.
func (b *Balancer) Pick() (target *Target, ok bool) {
	if b == nil || len(b.targets) == 0 {
		return nil, false
	}
	n := uint64(len(b.targets))
	start := b.next.Add(1) - 1
	var now int64 // read lazily: while all targets are healthy Pick never reads the clock
	haveNow := false
	for i := range n {
		t := b.targets[(start+i)%n]
		until := t.downUntil.Load()
		if until == 0 {
			return t, true
		}
		if !haveNow {
			now, haveNow = b.health.now().UnixNano(), true
		}
		if now >= until {
			return t, true
		}
	}
	soonest := b.targets[0]
	for _, t := range b.targets[1:] {
		if t.downUntil.Load() < soonest.downUntil.Load() {
			soonest = t
		}
	}
	return soonest, true
}

// Report records the outcome of one request to t. err is the transport error from the round trip,
// nil when a response arrived; the response's status does not matter (a 5xx is the backend
// answering: AWS passes it through, and so does the balancer's view of health).
//
//   - nil: t is healthy again and its failure count resets.
//   - a connection failure or a timeout: the failure count grows, and reaching FailThreshold puts t in
//     cooldown for Cooldown from now. After the cooldown t is tried again, but its count stays at the
//     threshold until a success, so one more failure sends it straight back. Connection failures are
//     failed dials (refused, unreachable, DNS), connections reset by the target, and timeouts (a
//     net.Error with Timeout(), or context.DeadlineExceeded from the integration timeout).
//   - anything else (the client going away, context.Canceled, TLS verification or protocol errors)
//     says nothing about the target's health and is ignored.
func (t *Target) Report(err error) {
	if err == nil {
		if t.fails.Load() != 0 || t.downUntil.Load() != 0 {
			t.fails.Store(0)
			t.downUntil.Store(0)
		}
		return
	}
	if !countsAsFailure(err) {
		return
	}
	if n := t.fails.Add(1); n >= t.health.threshold {
		t.fails.Store(t.health.threshold)
		t.downUntil.Store(t.health.now().Add(t.health.cooldown).UnixNano())
	}
}

// countsAsFailure reports whether err means the target could not be reached or did not answer in time.
func countsAsFailure(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return true
	}
	if op, ok := errors.AsType[*net.OpError](err); ok && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH)
}
