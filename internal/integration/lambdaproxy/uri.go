package lambdaproxy

import (
	"fmt"
	"strings"
)

// Target is the function an integration URI names.
type Target struct {
	// ARN is the unqualified function ARN
	// (arn:aws:lambda:us-east-1:123456789012:function:my-fn).
	ARN string
	// Qualifier is the version or alias, or "" for $LATEST.
	Qualifier string
	// Region is the function's region (from its ARN).
	Region string
}

// ParseURI reads an AWS_PROXY integration URI that names a Lambda function
// [DG:http-api-develop-integrations-lambda]:
//
//	arn:aws:lambda:us-east-1:123456789012:function:my-fn
//	arn:aws:lambda:us-east-1:123456789012:function:my-fn:live      (alias or version)
//	arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{function ARN}/invocations
//
// Stage variables (${stageVariables.name}) may stand in for the function name
// or the qualifier; such URIs are checked again per request, after expansion.
func ParseURI(uri string) (Target, error) {
	fn := uri
	if rest, ok := strings.CutPrefix(uri, "arn:"); ok {
		if part, svc, ok := cut3(rest); ok && svc == "apigateway" && part != "" {
			var err error
			if fn, err = invocationsTarget(uri); err != nil {
				return Target{}, err
			}
		}
	}
	return parseFunctionARN(fn)
}

// invocationsTarget extracts the function ARN from the API Gateway service
// integration form.
func invocationsTarget(uri string) (string, error) {
	const prefix, suffix = "lambda:path/2015-03-31/functions/", "/invocations"
	// arn:{partition}:apigateway:{region}:lambda:path/...
	parts := strings.SplitN(uri, ":", 5)
	if len(parts) < 5 || parts[3] == "" {
		return "", fmt.Errorf("integration URI %q: expected arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations", uri)
	}
	rest, ok := strings.CutPrefix(parts[4], prefix)
	if !ok {
		return "", fmt.Errorf("integration URI %q does not invoke a Lambda function (expected %s{functionArn}%s after the region)", uri, prefix, suffix)
	}
	fn, ok := strings.CutSuffix(rest, suffix)
	if !ok || fn == "" {
		return "", fmt.Errorf("integration URI %q must end with /invocations", uri)
	}
	return fn, nil
}

// parseFunctionARN reads arn:{partition}:lambda:{region}:{account}:function:{name}[:{qualifier}].
func parseFunctionARN(s string) (Target, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 7 || len(parts) > 8 || parts[0] != "arn" || parts[1] == "" || parts[2] != "lambda" || parts[5] != "function" {
		return Target{}, fmt.Errorf("integration URI %q is not a Lambda function ARN (arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]) or its invocations URI", s)
	}
	region, account, name := parts[3], parts[4], parts[6]
	if !validRegion(region) {
		return Target{}, fmt.Errorf("integration URI %q: invalid region %q", s, region)
	}
	if !validAccount(account) {
		return Target{}, fmt.Errorf("integration URI %q: invalid account id %q (12 digits)", s, account)
	}
	if !validName(name, 64, false) {
		return Target{}, fmt.Errorf("integration URI %q: invalid function name %q", s, name)
	}
	t := Target{ARN: strings.Join(parts[:7], ":"), Region: region}
	if len(parts) == 8 {
		if !validName(parts[7], 128, true) {
			return Target{}, fmt.Errorf("integration URI %q: invalid qualifier %q", s, parts[7])
		}
		t.Qualifier = parts[7]
	}
	return t, nil
}

// cut3 returns the partition and service of "partition:service:...".
func cut3(s string) (partition, service string, ok bool) {
	partition, rest, ok := strings.Cut(s, ":")
	if !ok {
		return "", "", false
	}
	service, _, ok = strings.Cut(rest, ":")
	return partition, service, ok
}

func validRegion(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func validAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validName checks a function name ([A-Za-z0-9_-]{1,64}) or qualifier
// (the same characters and $, up to 128). A ${stageVariables.x} reference is
// accepted here and checked after expansion.
func validName(s string, max int, dollar bool) bool {
	if s == "" || len(s) > max {
		return false
	}
	if hasStageVariable(s) {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || dollar && c == '$') {
			return false
		}
	}
	return true
}

const stageVarPrefix = "${stageVariables."

func hasStageVariable(s string) bool { return strings.Contains(s, stageVarPrefix) }

// expandStageVariables replaces ${stageVariables.name} references; an unknown
// variable expands to "".
func expandStageVariables(s string, vars map[string]string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, stageVarPrefix)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+len(stageVarPrefix):]
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			b.WriteString(s[i:])
			return b.String()
		}
		b.WriteString(vars[rest[:end]])
		s = rest[end+1:]
	}
}
