package apigw

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
	"github.com/gatehouse-dev/gatehouse/internal/vtl"
)

var update = flag.Bool("update", false, "rewrite the output sections of testdata/golden/*.txt")

// A golden file holds one case in sections introduced by "-- name --"
// lines: template (required), body, params ({"path":{},"querystring":{},
// "header":{}}), context, stage (JSON objects), and the expected output,
// error (a substring of the error) or overrides (one "kind name=value" per
// line). Each section's final newline is not part of its content.
type goldenCase struct {
	order    []string
	sections map[string]string
}

func parseGolden(t *testing.T, data string) goldenCase {
	t.Helper()
	g := goldenCase{sections: map[string]string{}}
	var name string
	var b strings.Builder
	flush := func() {
		if name != "" {
			g.sections[name] = strings.TrimSuffix(b.String(), "\n")
			g.order = append(g.order, name)
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(data, "\n") {
		trimmed := strings.TrimRight(line, "\n")
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") && len(trimmed) > 6 {
			flush()
			name = trimmed[3 : len(trimmed)-3]
			continue
		}
		if name != "" {
			b.WriteString(line)
		}
	}
	flush()
	return g
}

func (g goldenCase) format() string {
	var b strings.Builder
	for _, name := range g.order {
		b.WriteString("-- " + name + " --\n")
		b.WriteString(g.sections[name])
		b.WriteString("\n")
	}
	return b.String()
}

func jsonMap(t *testing.T, text string) *jsonpath.Map {
	t.Helper()
	if text == "" {
		return nil
	}
	v, err := jsonpath.ParseString(text)
	if err != nil {
		t.Fatalf("invalid JSON %q: %v", text, err)
	}
	m, ok := v.(*jsonpath.Map)
	if !ok {
		t.Fatalf("%q is not a JSON object", text)
	}
	return m
}

func toParams(m *jsonpath.Map) []Param {
	if m == nil {
		return nil
	}
	ps := make([]Param, 0, m.Len())
	for i := 0; i < m.Len(); i++ {
		k, v := m.At(i)
		ps = append(ps, Param{Name: k, Value: vtl.JavaString(v)})
	}
	return ps
}

func goldenParams(t *testing.T, text string) Params {
	m := jsonMap(t, text)
	if m == nil {
		return Params{}
	}
	get := func(k string) []Param {
		v, _ := m.Get(k)
		sub, _ := v.(*jsonpath.Map)
		return toParams(sub)
	}
	return Params{Path: get("path"), QueryString: get("querystring"), Header: get("header")}
}

func formatOverrides(ov *Overrides) string {
	var lines []string
	add := func(kind string, ps []Param) {
		for _, p := range ps {
			lines = append(lines, kind+" "+p.Name+"="+p.Value)
		}
	}
	add("request.header", ov.RequestHeaders())
	add("request.querystring", ov.RequestQueryString())
	add("request.path", ov.RequestPath())
	add("response.header", ov.ResponseHeaders())
	if s, ok := ov.Status(); ok {
		lines = append(lines, "response.status "+itoa(s))
	}
	return strings.Join(lines, "\n")
}

func itoa(n int) string { return vtl.JavaString(int64(n)) }

func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			g := parseGolden(t, string(data))
			src, ok := g.sections["template"]
			if !ok {
				t.Fatal("no template section")
			}
			vars, ov := Vars(Data{
				Body:           []byte(g.sections["body"]),
				Params:         goldenParams(t, g.sections["params"]),
				Context:        jsonMap(t, g.sections["context"]),
				StageVariables: toParams(jsonMap(t, g.sections["stage"])),
			})
			var out string
			tpl, err := vtl.Parse(filepath.Base(file), src)
			if err == nil {
				out, err = tpl.Render(context.Background(), vars)
			}
			if want, ok := g.sections["error"]; ok {
				if err == nil {
					t.Fatalf("rendered %q, want an error containing %q", out, want)
				}
				if !strings.Contains(err.Error(), want) {
					t.Fatalf("error %q does not contain %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			gotOv := formatOverrides(ov)
			if *update {
				if _, ok := g.sections["output"]; !ok {
					g.order = append(g.order, "output")
				}
				g.sections["output"] = out
				if _, ok := g.sections["overrides"]; ok || gotOv != "" {
					if !ok {
						g.order = append(g.order, "overrides")
					}
					g.sections["overrides"] = gotOv
				}
				if err := os.WriteFile(file, []byte(g.format()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := g.sections["output"]; out != want {
				t.Errorf("output differs\n got: %q\nwant: %q", out, want)
			}
			if want := g.sections["overrides"]; gotOv != want {
				t.Errorf("overrides differ\n got: %q\nwant: %q", gotOv, want)
			}
		})
	}
}
