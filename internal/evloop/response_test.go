package evloop

import (
	"strings"
	"testing"
)

// appendFieldSlow is appendField without the plainValue shortcut.
func appendFieldSlow(dst []byte, k, v string) []byte {
	dst = append(dst, k...)
	dst = append(dst, ": "...)
	v = strings.TrimSpace(v)
	if strings.ContainsAny(v, "\r\n") {
		v = strings.TrimSpace(strings.NewReplacer("\r", " ", "\n", " ").Replace(v))
	}
	dst = append(dst, v...)
	return append(dst, "\r\n"...)
}

func FuzzAppendField(f *testing.F) {
	for _, v := range []string{"", "a", " a", "a ", "a\r\nb", "\r\n", "a\x85", "\u00a0x\u00a0", "x\ty", "\tx", "application/json"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if got, want := string(appendField(nil, "K", v)), string(appendFieldSlow(nil, "K", v)); got != want {
			t.Fatalf("appendField(%q) = %q, want %q", v, got, want)
		}
	})
}
