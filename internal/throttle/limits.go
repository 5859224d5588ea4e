package throttle

import (
	"math"
	"time"

	"golang.org/x/time/rate"
)

// Limits is one token bucket's configuration, as in a stage's RouteSettings.
type Limits struct {
	// Rate is the steady-state refill in requests per second (throttlingRateLimit, a double).
	// 0 (or negative, or NaN) never refills: after Burst requests everything is refused.
	// +Inf never throttles, whatever Burst is.
	Rate float64
	// Burst is the bucket size (throttlingBurstLimit): how many requests may pass at once from a full
	// bucket. 0 (or negative) refuses every request unless Rate is +Inf, so Rate 0 / Burst 0 blocks all
	// traffic, as AWS documents.
	Burst int
}

// AccountDefault is API Gateway's default account-level limit per Region: 10,000 requests per second
// with a burst of 5,000 [DG:limits]. Some Regions (af-south-1, eu-south-1) default to 2,500 / 1,250.
var AccountDefault = Limits{Rate: 10000, Burst: 5000}

// bucket is one token bucket with the limits it was built from, so Carry can tell whether a
// predecessor's bucket can be reused. A bucket is safe for concurrent use.
type bucket struct {
	limits Limits
	lim    *rate.Limiter
}

func newBucket(l Limits) *bucket {
	return &bucket{limits: l, lim: rate.NewLimiter(l.limit(), max(l.Burst, 0))}
}

// allow takes one token at time now, if there is one. A full bucket holds Burst tokens; tokens come
// back at Rate per second up to Burst. now may go backwards (a wall clock step); the bucket then
// treats the interval as zero.
func (b *bucket) allow(now time.Time) bool {
	return b.lim.AllowN(now, 1)
}

func (l Limits) limit() rate.Limit {
	switch {
	case math.IsInf(l.Rate, 1):
		return rate.Inf
	case l.Rate > 0: // false for NaN
		return rate.Limit(l.Rate)
	default:
		return 0
	}
}
