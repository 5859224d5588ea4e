package lambda

import (
	"regexp"
	"strings"
)

// Ref is a parsed FunctionName as the Lambda API accepts it.
type Ref struct {
	Region    string // from a full ARN, else ""
	Account   string // from an ARN or partial ARN, else ""
	Name      string
	Qualifier string // version or alias, "" if none
}

var (
	nameRE      = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	qualifierRE = regexp.MustCompile(`^(\$LATEST|[a-zA-Z0-9_-]{1,128})$`)
	accountRE   = regexp.MustCompile(`^\d{12}$`)
	regionRE    = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)
)

// ParseName parses the forms Lambda accepts as FunctionName: "my-fn",
// "my-fn:qualifier", "123456789012:function:my-fn[:qualifier]" and
// "arn:aws:lambda:us-east-1:123456789012:function:my-fn[:qualifier]".
func ParseName(s string) (Ref, bool) {
	parts := strings.Split(s, ":")
	var r Ref
	switch {
	case len(parts) <= 2:
		r.Name = parts[0]
		if len(parts) == 2 {
			r.Qualifier = parts[1]
		}
	case len(parts) <= 4 && parts[1] == "function":
		r.Account, r.Name = parts[0], parts[2]
		if len(parts) == 4 {
			r.Qualifier = parts[3]
		}
		if !accountRE.MatchString(r.Account) {
			return Ref{}, false
		}
	case len(parts) >= 7 && len(parts) <= 8 && parts[0] == "arn" && strings.HasPrefix(parts[1], "aws") &&
		parts[2] == "lambda" && parts[5] == "function":
		r.Region, r.Account, r.Name = parts[3], parts[4], parts[6]
		if len(parts) == 8 {
			r.Qualifier = parts[7]
		}
		if !accountRE.MatchString(r.Account) || !regionRE.MatchString(r.Region) {
			return Ref{}, false
		}
	default:
		return Ref{}, false
	}
	if !nameRE.MatchString(r.Name) {
		return Ref{}, false
	}
	if r.Qualifier != "" && !qualifierRE.MatchString(r.Qualifier) {
		return Ref{}, false
	}
	return r, true
}

// FunctionARN is the unqualified ARN of a function.
func FunctionARN(region, account, name string) string {
	return "arn:aws:lambda:" + region + ":" + account + ":function:" + name
}
