package sigv4

import (
	"net/http"
	"strings"
)

const scopeTerminator = "aws4_request"

// credentialScope is a parsed "AKID/YYYYMMDD/region/service/aws4_request".
type credentialScope struct {
	accessKeyID, date, region, service string
}

// String returns the scope without the access key, as used in the string to
// sign.
func (s credentialScope) String() string {
	return s.date + "/" + s.region + "/" + s.service + "/" + scopeTerminator
}

func (s credentialScope) identity() Identity {
	return Identity{AccessKeyID: s.accessKeyID, Region: s.region, Service: s.service}
}

// parseCredential parses a Credential value; what names it in messages.
func parseCredential(v, what string) (credentialScope, *Error) {
	parts := strings.Split(v, "/")
	if len(parts) != 5 || parts[0] == "" || parts[2] == "" || parts[3] == "" || !isScopeDate(parts[1]) {
		return credentialScope{}, incompletef(
			"%s is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\", got '%s'.", what, echo(v))
	}
	if parts[4] != scopeTerminator {
		return credentialScope{}, incompletef(
			"Credential should be scoped with a valid terminator: '%s', not '%s'.", scopeTerminator, echo(parts[4]))
	}
	return credentialScope{accessKeyID: parts[0], date: parts[1], region: parts[2], service: parts[3]}, nil
}

func isScopeDate(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Scope returns the credential scope (access key id, region and service)
// a request claims, from its Authorization header or, failing that, its
// X-Amz-Credential query parameter. It verifies nothing — not the signature,
// the key or the time — and is meant for permissive modes that only need to
// know which region the client addressed. ok is false when the request is
// unsigned or its credential cannot be parsed.
func Scope(r *http.Request) (id Identity, ok bool) {
	var cred string
	if h := authorizationHeader(r); h != "" {
		if i := strings.IndexAny(h, " \t"); i >= 0 {
			for _, tok := range strings.FieldsFunc(h[i+1:], isAuthSeparator) {
				if v, found := strings.CutPrefix(tok, "Credential="); found {
					cred = v
					break
				}
			}
		}
	} else {
		for _, p := range parseQuery(rawQuery(r)) {
			if p.name == qCredential {
				cred = p.value
				break
			}
		}
	}
	s, err := parseCredential(cred, "Credential")
	if err != nil {
		return Identity{}, false
	}
	return s.identity(), true
}
