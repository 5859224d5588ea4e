// Package throttle implements HTTP API request throttling as API Gateway applies it: token buckets with
// a steady-state rate (requests per second) and a burst (bucket size), at three levels.
//
//	route    stage.routeSettings["GET /pets"].throttling{Rate,Burst}Limit   → NewStage(_, routes, _)
//	stage    stage.defaultRouteSettings.throttling{Rate,Burst}Limit        → NewStage(def, _, _)
//	account  10,000 rps, burst 5,000, per Region                           → NewAccount
//
// "API Gateway throttles requests to your API using the token bucket algorithm, where a token counts for a
// request" and "You can set route-level throttling to override the account-level request throttling
// limits for a specific stage or for individual routes" [DG:http-api-throttling]. A request needs a token
// from the most specific stage-level bucket that applies (its route's, else the stage default's, else
// none) and then from the account bucket of its Region; see [Allow]. A refused request is answered
// 429 {"message":"Too Many Requests"} by the caller; this package only decides.
//
// Buckets are golang.org/x/time/rate limiters driven with an explicit time (AllowN(now, 1)), so tests use
// an injected clock and never sleep. The package keeps no global state: a [Stage] is built per
// deployment snapshot and may inherit its predecessor's buckets with [Stage.Carry], so a redeploy
// does not refill them; an [Account] lives for the process.
//
// Why x/time/rate rather than an own bucket: it is the maintained implementation of exactly this model
// (fractional rate, integer burst, a full bucket at start, rate 0 = never refill, burst 0 = refuse),
// each limiter has its own small mutex (no global lock), and Allow costs tens of nanoseconds without
// allocating (see BenchmarkStageAllow). A lock-free GCRA cell would be faster under heavy contention
// but cannot express "rate 0, burst N" (N requests, then none) without special cases.
package throttle
