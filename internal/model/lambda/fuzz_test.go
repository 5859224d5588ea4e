package lambda

import (
	"strings"
	"testing"
)

// FuzzParseName: any input either fails or yields a valid name, and a
// parsed name with its qualifier re-parses to the same reference.
func FuzzParseName(f *testing.F) {
	for _, s := range []string{"fn", "fn:1", "123456789012:function:fn", "arn:aws:lambda:us-east-1:123456789012:function:fn:live", ":::", "arn:aws:lambda"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := ParseName(s)
		if !ok {
			return
		}
		if !nameRE.MatchString(r.Name) || strings.Contains(r.Name, ":") {
			t.Fatalf("ParseName(%q) = invalid name %q", s, r.Name)
		}
		again := r.Name
		if r.Qualifier != "" {
			again += ":" + r.Qualifier
		}
		if r2, ok := ParseName(again); !ok || r2.Name != r.Name || r2.Qualifier != r.Qualifier {
			t.Fatalf("ParseName(%q) = %+v, but %q re-parses to %+v, %v", s, r, again, r2, ok)
		}
	})
}
