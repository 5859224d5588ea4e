package vtl

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// FuzzParse parses arbitrary templates and renders those that parse, with
// small limits: no panic (a recovered one surfaces as "internal error"),
// bounded time and output.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("testdata/diff/probes.txt"); err == nil {
		for _, s := range strings.Split(string(data), diffSeparator) {
			f.Add(s)
		}
	}
	for _, s := range generateTemplates(1, 50) {
		f.Add(s)
	}
	limits := Limits{MaxIterations: 50, MaxDepth: 16, MaxOutput: 1 << 16, Timeout: 200 * time.Millisecond}
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := Parse("fuzz", src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse error %T is not *Error: %v", err, err)
			}
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("Parse panicked: %v", err)
			}
			return
		}
		start := time.Now()
		out, err := tpl.RenderLimits(context.Background(), nil, limits)
		if err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatalf("render panicked: %v", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("render took %v", d)
		}
		if len(out) > 2*limits.MaxOutput {
			t.Fatalf("output of %d bytes exceeds the limit", len(out))
		}
	})
}
