package sigv4

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	algorithm       = "AWS4-HMAC-SHA256"
	amzDateFormat   = "20060102T150405Z"
	unsignedPayload = "UNSIGNED-PAYLOAD"

	// maxPresignExpires is the largest X-Amz-Expires AWS accepts (a week).
	maxPresignExpires = 604800
)

// Query parameters of a presigned request.
const (
	qAlgorithm     = "X-Amz-Algorithm"
	qCredential    = "X-Amz-Credential"
	qDate          = "X-Amz-Date"
	qSignedHeaders = "X-Amz-SignedHeaders"
	qSignature     = "X-Amz-Signature"
	qExpires       = "X-Amz-Expires"
)

// claim is what a request says about its own signature, parsed but not yet
// checked cryptographically.
type claim struct {
	presigned     bool
	scope         credentialScope
	signedHeaders []string // verbatim from the client, in the client's order
	signature     string
	timestamp     string    // ISO 8601 basic format, as in the string to sign
	signTime      time.Time // timestamp, parsed
	expires       time.Duration
	hasExpires    bool // X-Amz-Expires was given (presigned only)
}

// parseClaim extracts the signature claim from r: the Authorization header if
// present, otherwise the presigned query parameters.
func parseClaim(r *http.Request) (*claim, *Error) {
	if h := authorizationHeader(r); h != "" {
		return parseHeaderClaim(r, h)
	}
	q := parseQuery(rawQuery(r))
	if isPresigned(q) {
		return parsePresignedClaim(q)
	}
	return nil, newError(CodeMissingAuthenticationToken, msgMissingToken)
}

func authorizationHeader(r *http.Request) string {
	return strings.TrimSpace(r.Header.Get("Authorization"))
}

func isPresigned(q []queryParam) bool {
	for _, p := range q {
		switch p.name {
		case qAlgorithm, qCredential, qSignature:
			return true
		}
	}
	return false
}

// splitAuthorization splits an Authorization header into its algorithm and
// its parameters. Parameters are separated by commas and/or whitespace, as
// AWS accepts; a token without '=' is reported in AWS's words.
func splitAuthorization(h string) (algo string, params map[string]string, err *Error) {
	algo, rest := h, ""
	if i := strings.IndexAny(h, " \t"); i >= 0 {
		algo, rest = h[:i], h[i+1:]
	}
	params = make(map[string]string)
	for _, tok := range strings.FieldsFunc(rest, isAuthSeparator) {
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			return algo, params, incompletef(
				"'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.",
				echo(tok), echo(h))
		}
		if _, dup := params[k]; !dup {
			params[k] = v
		}
	}
	return algo, params, nil
}

func isAuthSeparator(c rune) bool { return c == ',' || c == ' ' || c == '\t' }

func parseHeaderClaim(r *http.Request, h string) (*claim, *Error) {
	algo, params, err := splitAuthorization(h)
	if err != nil {
		return nil, err
	}
	amzDate := strings.TrimSpace(r.Header.Get("X-Amz-Date"))
	httpDate := strings.TrimSpace(r.Header.Get("Date"))

	var missing []string
	for _, name := range []string{"Credential", "Signature", "SignedHeaders"} {
		if params[name] == "" {
			missing = append(missing, "Authorization header requires '"+name+"' parameter.")
		}
	}
	if amzDate == "" && httpDate == "" {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if len(missing) > 0 {
		return nil, incompletef("%s Authorization=%s", strings.Join(missing, " "), echo(h))
	}
	if algo != algorithm {
		return nil, incompletef("Unsupported AWS 'algorithm': '%s'. Authorization=%s", echo(algo), echo(h))
	}

	c := &claim{signature: params["Signature"]}
	var e *Error
	if c.scope, e = parseCredential(params["Credential"], "Authorization header's Credential"); e != nil {
		return nil, e
	}
	if amzDate != "" {
		c.signTime, e = parseAmzDate(amzDate)
	} else {
		c.signTime, e = parseHTTPDate(httpDate)
	}
	if e != nil {
		return nil, e
	}
	c.timestamp = c.signTime.Format(amzDateFormat)
	if e = c.checkScopeDate(); e != nil {
		return nil, e
	}
	if c.signedHeaders, e = parseSignedHeaders(params["SignedHeaders"]); e != nil {
		return nil, e
	}
	return c, nil
}

func parsePresignedClaim(q []queryParam) (*claim, *Error) {
	get := func(name string) string {
		for _, p := range q {
			if p.name == name {
				return p.value
			}
		}
		return ""
	}
	for _, name := range []string{qAlgorithm, qCredential, qSignature, qDate, qSignedHeaders} {
		if get(name) == "" {
			return nil, incompletef("AWS query-string parameters must include '%s', '%s', '%s', '%s', '%s'. "+
				"Re-examine the query-string parameters.", qAlgorithm, qCredential, qSignature, qDate, qSignedHeaders)
		}
	}
	if algo := get(qAlgorithm); algo != algorithm {
		return nil, incompletef("X-Amz-Algorithm only supports '%s', not '%s'.", algorithm, echo(algo))
	}

	c := &claim{presigned: true, signature: get(qSignature)}
	var e *Error
	if c.scope, e = parseCredential(get(qCredential), qCredential); e != nil {
		return nil, e
	}
	if c.signTime, e = parseAmzDate(get(qDate)); e != nil {
		return nil, e
	}
	c.timestamp = c.signTime.Format(amzDateFormat)
	if e = c.checkScopeDate(); e != nil {
		return nil, e
	}
	if raw := get(qExpires); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		switch {
		case err != nil:
			return nil, incompletef("X-Amz-Expires should be a number, not '%s'.", echo(raw))
		case n < 0:
			return nil, incompletef("X-Amz-Expires must be non-negative.")
		case n > maxPresignExpires:
			return nil, incompletef("X-Amz-Expires must be less than a week (in seconds) that is %d.", maxPresignExpires)
		}
		c.expires, c.hasExpires = time.Duration(n)*time.Second, true
	}
	if c.signedHeaders, e = parseSignedHeaders(get(qSignedHeaders)); e != nil {
		return nil, e
	}
	return c, nil
}

// checkScopeDate requires the credential scope's date to be the signing day.
func (c *claim) checkScopeDate() *Error {
	if c.scope.date != c.timestamp[:8] {
		return incompletef("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "+
			"'%s' != '%s', from '%s'.", echo(c.scope.date), c.timestamp[:8], c.timestamp)
	}
	return nil
}

func parseAmzDate(v string) (time.Time, *Error) {
	t, err := time.Parse(amzDateFormat, v)
	if err != nil {
		return time.Time{}, badDate(v)
	}
	return t, nil
}

func parseHTTPDate(v string) (time.Time, *Error) {
	t, err := http.ParseTime(v)
	if err != nil {
		return time.Time{}, badDate(v)
	}
	return t.UTC(), nil
}

func badDate(v string) *Error {
	return incompletef("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", echo(v))
}

// parseSignedHeaders splits a SignedHeaders value. The list is kept verbatim
// (it is part of the canonical request); only the presence of host, which
// SigV4 requires to be signed, is checked.
func parseSignedHeaders(v string) ([]string, *Error) {
	names := strings.Split(v, ";")
	for _, n := range names {
		if strings.EqualFold(n, "host") {
			return names, nil
		}
	}
	return nil, incompletef("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
}
