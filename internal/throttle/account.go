package throttle

import (
	"sync"
	"time"
)

// Account is the account-level throttle: one bucket per Region, shared by every API and stage in
// that Region ("Per-account limits are applied to all APIs in an account in a specified Region"
// [DG:http-api-throttling]). A nil *Account allows everything. Safe for concurrent use.
type Account struct {
	limits  Limits
	now     func() time.Time
	regions sync.Map // region string → *bucket, created on first use
}

// NewAccount returns an account throttle applying l to each Region separately; the caller supplies
// the default ([AccountDefault] for AWS parity). now is the clock; nil means time.Now.
func NewAccount(l Limits, now func() time.Time) *Account {
	if now == nil {
		now = time.Now
	}
	return &Account{limits: l, now: now}
}

// Allow takes one token from region's bucket and reports whether the request may proceed.
// The first request from a Region creates its bucket, full.
func (a *Account) Allow(region string) bool {
	if a == nil {
		return true
	}
	v, ok := a.regions.Load(region)
	if !ok {
		v, _ = a.regions.LoadOrStore(region, newBucket(a.limits))
	}
	return v.(*bucket).allow(a.now())
}
