package throttle

// Allow applies API Gateway's throttling precedence to one request for routeKey on stage s, in region:
// the stage-level bucket (the route's own limits, else the stage default, else none; see [Stage]) must
// have a token, then the account's bucket for region must too. Either may be nil (not throttled at that
// level). A request refused by the stage level does not spend an account token; one refused by the
// account level has already spent its stage-level token (throttles are "best-effort ... targets rather
// than guaranteed request ceilings" [DG:http-api-throttling]).
func Allow(a *Account, region string, s *Stage, routeKey string) bool {
	return s.Allow(routeKey) && a.Allow(region)
}
