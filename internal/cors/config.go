package cors

import (
	"errors"
	"fmt"
	"slices"
)

// Config is an HTTP API's corsConfiguration, as stored on the Api resource.
type Config struct {
	// AllowOrigins lists the origins allowed to read responses: exact origins
	// ("https://www.example.com", compared ignoring case), "*" (any origin), "https://*" or "http://*"
	// (any origin with that scheme). Empty: no origin is allowed, so no CORS headers are ever sent.
	AllowOrigins []string
	// AllowMethods lists the methods a preflight may ask for; "*" allows any. Empty: every preflight
	// fails.
	AllowMethods []string
	// AllowHeaders lists the request headers a preflight may ask for, compared ignoring case; "*"
	// allows any. Empty: only preflights that ask for no headers pass.
	AllowHeaders []string
	// ExposeHeaders lists the response headers a browser may show to scripts; sent as configured on
	// actual responses.
	ExposeHeaders []string
	// AllowCredentials sends Access-Control-Allow-Credentials: true, and makes "*" values echo the
	// request instead (browsers take "*" literally for credentialed requests).
	AllowCredentials bool
	// MaxAge is how long in seconds a browser may cache a preflight answer (−1..86400; −1 disables
	// caching in Chromium). nil: no Access-Control-Max-Age header.
	MaxAge *int
}

// Validate reports configurations API Gateway refuses with BadRequestException. The text of the
// first check is AWS's ("allow-credentials is not supported if 'allow-origin' is *", seen in
// aws/aws-cdk#9076); the maxAge range is the model's (IntegerWithLengthBetweenMinus1And86400).
func (c Config) Validate() error {
	var errs []error
	if c.AllowCredentials && slices.Contains(c.AllowOrigins, "*") {
		errs = append(errs, errors.New("allow-credentials is not supported if 'allow-origin' is *"))
	}
	if c.MaxAge != nil && (*c.MaxAge < -1 || *c.MaxAge > 86400) {
		errs = append(errs, fmt.Errorf("maxAge %d is not between -1 and 86400", *c.MaxAge))
	}
	return errors.Join(errs...)
}
