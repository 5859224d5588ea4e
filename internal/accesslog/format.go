// Package accesslog writes HTTP API access logs: a stage's
// accessLogSettings.format with $context variables substituted, one line per
// request, to a sink chosen by accessLogSettings.destinationArn.
//
// Sinks. AWS sends access logs to a CloudWatch Logs log group or a Firehose
// stream named by destinationArn. Gatehouse maps the ARN to a local sink:
//
//	arn:aws:logs:{region}:{account}:log-group:stdout    → standard output
//	arn:aws:logs:{region}:{account}:log-group:stderr    → standard error
//	arn:aws:logs:{region}:{account}:log-group:{name}    → {dir}/{name}.log
//	arn:aws:firehose:{region}:{account}:deliverystream/{name} → {dir}/{name}.log
//
// where {dir} is the gateway's access-log directory (by default
// {data-dir}/access-logs) and "/" in a name becomes "_".
package accesslog

import (
	"strings"
)

// Format is a compiled access log format.
type Format struct {
	parts []part
}

type part struct {
	lit string
	ref string // $context variable name
}

// Lookup resolves a $context variable name ("requestId", "authorizer.claims.sub").
type Lookup func(name string) (string, bool)

// Compile parses a format: $context.name and ${context.name} are substituted;
// everything else is literal.
func Compile(format string) *Format {
	f := &Format{}
	s := format
	for s != "" {
		i := strings.Index(s, "$")
		if i < 0 {
			f.parts = append(f.parts, part{lit: s})
			break
		}
		if i > 0 {
			f.parts = append(f.parts, part{lit: s[:i]})
			s = s[i:]
		}
		switch {
		case strings.HasPrefix(s, "${context."):
			end := strings.IndexByte(s, '}')
			if end < 0 {
				f.parts = append(f.parts, part{lit: s})
				s = ""
				continue
			}
			f.parts = append(f.parts, part{ref: s[len("${context."):end]})
			s = s[end+1:]
		case strings.HasPrefix(s, "$context."):
			n := len("$context.")
			for n < len(s) && isNameByte(s[n]) {
				n++
			}
			name := strings.TrimRight(s[len("$context."):n], ".")
			n = len("$context.") + len(name)
			if name == "" {
				f.parts = append(f.parts, part{lit: s[:1]})
				s = s[1:]
				continue
			}
			f.parts = append(f.parts, part{ref: name})
			s = s[n:]
		default:
			f.parts = append(f.parts, part{lit: s[:1]})
			s = s[1:]
		}
	}
	return f
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
}

// Append renders the format for one request onto b; a variable without a
// value renders as "-", as AWS does.
func (f *Format) Append(b []byte, lookup Lookup) []byte {
	for _, p := range f.parts {
		if p.ref == "" {
			b = append(b, p.lit...)
			continue
		}
		if v, ok := lookup(p.ref); ok && v != "" {
			b = append(b, v...)
		} else {
			b = append(b, '-')
		}
	}
	return b
}
