package cors

import (
	"slices"
	"strconv"
	"strings"
)

// Policy is a compiled [Config]: origin matchers and the header values it sends, computed once.
type Policy struct {
	anyOrigin, anyHTTPS, anyHTTP bool
	origins                      []string // exact origins, compared with strings.EqualFold

	anyMethod bool
	methods   []string
	anyHeader bool
	headers   []string

	credentials bool

	// Joined header values; "" means the header is not sent.
	allowMethods  string
	allowHeaders  string
	exposeHeaders string
	maxAge        string
}

// Compile precomputes c. It does not validate c (see [Config.Validate]); a configuration AWS would
// refuse still yields a policy that never sends "*" together with credentials.
func Compile(c Config) *Policy {
	p := &Policy{credentials: c.AllowCredentials}
	for _, o := range c.AllowOrigins {
		switch {
		case o == "*":
			p.anyOrigin = true
		case strings.EqualFold(o, "https://*"):
			p.anyHTTPS = true
		case strings.EqualFold(o, "http://*"):
			p.anyHTTP = true
		default:
			p.origins = append(p.origins, o)
		}
	}
	p.anyMethod = slices.Contains(c.AllowMethods, "*")
	p.methods = slices.Clone(c.AllowMethods)
	p.anyHeader = slices.Contains(c.AllowHeaders, "*")
	p.headers = slices.Clone(c.AllowHeaders)

	p.allowMethods = strings.Join(c.AllowMethods, ",")
	p.allowHeaders = strings.Join(c.AllowHeaders, ",")
	p.exposeHeaders = strings.Join(c.ExposeHeaders, ",")
	if c.MaxAge != nil {
		p.maxAge = strconv.Itoa(*c.MaxAge)
	}
	return p
}

// AllowsOrigin reports whether origin (an Origin header value) is allowed.
func (p *Policy) AllowsOrigin(origin string) bool {
	switch {
	case origin == "":
		return false
	case p.anyOrigin:
		return true
	case p.anyHTTPS && hasSchemeHost(origin, "https://"):
		return true
	case p.anyHTTP && hasSchemeHost(origin, "http://"):
		return true
	}
	for _, o := range p.origins {
		if strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
}

// allowOriginValue is the Access-Control-Allow-Origin value for an allowed origin, and whether it
// echoes the origin (so the response varies by Origin).
func (p *Policy) allowOriginValue(origin string) (value string, echoed bool) {
	if p.anyOrigin && !p.credentials {
		return "*", false
	}
	return origin, true
}

// hasSchemeHost reports whether origin starts with scheme (ignoring case) followed by a host.
func hasSchemeHost(origin, scheme string) bool {
	return len(origin) > len(scheme) && strings.EqualFold(origin[:len(scheme)], scheme)
}

// containsFold reports whether list holds s, ignoring case.
func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
