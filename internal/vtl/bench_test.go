package vtl_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
	"github.com/gatehouse-dev/gatehouse/internal/vtl"
	"github.com/gatehouse-dev/gatehouse/internal/vtl/apigw"
)

// The realistic templates of testdata/bench (also rendered by Apache
// Velocity and velocityjs in bench/vtl/run.sh). Each iteration builds the
// variables and parses the body, as the data plane does per request.
var benchTemplates = []string{"request", "foreach", "escape"}

func BenchmarkRender(b *testing.B) {
	for _, name := range benchTemplates {
		b.Run(name, func(b *testing.B) {
			src, err := os.ReadFile(filepath.Join("testdata", "bench", name+".vtl"))
			if err != nil {
				b.Fatal(err)
			}
			body, err := os.ReadFile(filepath.Join("testdata", "bench", name+".json"))
			if err != nil {
				b.Fatal(err)
			}
			tpl, err := vtl.Parse(name, string(src))
			if err != nil {
				b.Fatal(err)
			}
			params := apigw.Params{QueryString: []apigw.Param{{Name: "source", Value: "web"}}}
			ctx := context.Background()
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				c := jsonpath.NewMap(2)
				c.Set("requestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef")
				c.Set("stage", "prod")
				vars, _ := apigw.Vars(apigw.Data{Body: body, Params: params, Context: c})
				if _, err := tpl.Render(ctx, vars); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestBenchTemplatesRender keeps the benchmark templates honest: they
// render without error and produce valid JSON.
func TestBenchTemplatesRender(t *testing.T) {
	for _, name := range benchTemplates {
		src, _ := os.ReadFile(filepath.Join("testdata", "bench", name+".vtl"))
		body, _ := os.ReadFile(filepath.Join("testdata", "bench", name+".json"))
		tpl, err := vtl.Parse(name, string(src))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonpath.NewMap(2)
		c.Set("requestId", "r-1")
		c.Set("stage", "prod")
		vars, _ := apigw.Vars(apigw.Data{Body: body, Params: apigw.Params{QueryString: []apigw.Param{{Name: "source", Value: "web"}}}, Context: c})
		out, err := tpl.Render(context.Background(), vars)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := jsonpath.ParseString(out); err != nil {
			t.Errorf("%s renders invalid JSON: %v\n%s", name, err, out)
		}
	}
}
