package throttle

import (
	"sync"
	"time"
)

// Stage is the stage- and route-level throttle of one deployed stage, built once per deployment
// snapshot. Every route has its own bucket: a route listed in the stage's routeSettings uses those
// limits; any other route uses the stage's defaultRouteSettings limits, in a bucket of its own (REST
// APIs document the same rule: "per-stage throttling limits are applied at the API method level"
// [DG:api-gateway-request-throttling]); with neither, the route is not throttled at this level.
//
// A nil *Stage allows everything. Safe for concurrent use; Allow takes no lock shared between
// routes.
type Stage struct {
	now    func() time.Time
	def    *Limits            // nil: routes without settings are unthrottled at this level
	routes map[string]*bucket // routes with their own settings; read-only after construction
	byDef  sync.Map           // route key → *bucket with def limits, created on first request
}

// NewStage builds the throttle for one stage. def is the stage default (defaultRouteSettings), nil
// when the stage sets none. routes maps route keys ("GET /pets", "$default") to their own limits
// (routeSettings); the caller resolves a route setting that gives only one of rate and burst before
// calling. The buckets for routes are created here, full; the default's are created full on a
// route's first request. now is the clock; nil means time.Now.
func NewStage(def *Limits, routes map[string]Limits, now func() time.Time) *Stage {
	if now == nil {
		now = time.Now
	}
	s := &Stage{now: now, routes: make(map[string]*bucket, len(routes))}
	if def != nil {
		d := *def
		s.def = &d
	}
	for k, l := range routes {
		s.routes[k] = newBucket(l)
	}
	return s
}

// Allow takes one token from routeKey's bucket and reports whether the request may proceed at the
// stage level. routeKey is the matched route's key, so the set of keys is the deployment's routes.
func (s *Stage) Allow(routeKey string) bool {
	if s == nil {
		return true
	}
	b := s.bucket(routeKey)
	if b == nil {
		return true
	}
	return b.allow(s.now())
}

// bucket returns routeKey's bucket, creating its default bucket on first use, or nil when the route is
// not throttled at the stage level.
func (s *Stage) bucket(routeKey string) *bucket {
	if b, ok := s.routes[routeKey]; ok {
		return b
	}
	if s.def == nil {
		return nil
	}
	if v, ok := s.byDef.Load(routeKey); ok {
		return v.(*bucket)
	}
	v, _ := s.byDef.LoadOrStore(routeKey, newBucket(*s.def))
	return v.(*bucket)
}

// existing returns routeKey's bucket if it has one already, without creating any.
func (s *Stage) existing(routeKey string) *bucket {
	if b, ok := s.routes[routeKey]; ok {
		return b
	}
	if v, ok := s.byDef.Load(routeKey); ok {
		return v.(*bucket)
	}
	return nil
}

// Carry makes s continue old's throttling state: every route whose limits are identical in both
// stages keeps old's bucket (the same bucket, so requests still finishing on the old snapshot count
// too), so a redeploy that leaves a route's limits alone neither refills nor empties its bucket.
// A route whose limits changed starts with a full bucket. Call Carry on a new stage before
// publishing it to other goroutines; old may be in use concurrently. A nil old does nothing.
func (s *Stage) Carry(old *Stage) {
	if s == nil || old == nil {
		return
	}
	for k, b := range s.routes {
		if ob := old.existing(k); ob != nil && ob.limits == b.limits {
			s.routes[k] = ob
		}
	}
	if s.def == nil {
		return
	}
	carry := func(k string, ob *bucket) {
		if _, own := s.routes[k]; !own && ob.limits == *s.def {
			s.byDef.Store(k, ob)
		}
	}
	old.byDef.Range(func(k, v any) bool {
		carry(k.(string), v.(*bucket))
		return true
	})
	// A route that had its own settings before and now falls back to an identical default.
	for k, ob := range old.routes {
		carry(k, ob)
	}
}
