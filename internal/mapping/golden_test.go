package mapping

import (
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata/*.txt")

// goldenSep separates a golden file's input from its expected output.
const goldenSep = "----------\n"

// TestGolden runs testdata/*.txt. Each file is one example of
// [DG:http-api-parameter-mapping]: the inbound request (and backend
// response), the mappings, a separator line, and what the backend (or the
// client) receives. Input lines:
//
//	# comment
//	path /pets/7                   $request.path; also the outbound path before mapping
//	header Name: value             inbound request header, repeatable
//	query name=value               inbound query parameter, repeatable, in order
//	pathparam name=value           route path variable
//	context name=value             $context variable
//	stagevar name=value            stage variable
//	body text                      appended to the request body
//	bodyfill 102400 x              appends 102400 copies of "x" to the request body
//	status 500                     backend status code
//	response-header Name: value    backend response header, repeatable
//	response-body text             appended to the backend response body
//	response-bodyfill N c          as bodyfill
//	requestParameters {json}       the integration's requestParameters
//	responseParameters {json}      the integration's responseParameters
//
// Output: "path", then "header" lines sorted by name, then "query" lines in
// order, for requestParameters; "status" and "response-header" lines for
// responseParameters; "error: ..." when compiling fails. Values longer than
// 100 bytes are shown as their first 40 bytes and their length.
//
// go test -run TestGolden -update rewrites the expected output.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			input, want, ok := strings.Cut(string(data), goldenSep)
			if !ok {
				t.Fatalf("%s: no %q line", file, strings.TrimSpace(goldenSep))
			}
			got, err := runGolden(input)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if *update {
				if err := os.WriteFile(file, []byte(input+goldenSep+got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != want {
				t.Errorf("%s: output differs\ngot:\n%swant:\n%s", file, got, want)
			}
		})
	}
}

// runGolden executes one golden input and renders the result.
func runGolden(input string) (string, error) {
	in := &fakeInput{
		header:     http.Header{},
		respHeader: http.Header{},
		pathParams: map[string]string{},
		context:    map[string]string{},
		stageVars:  map[string]string{},
	}
	var reqParams map[string]string
	var respParams map[string]map[string]string
	status := 200
	for n, line := range strings.Split(input, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		verb, arg, _ := strings.Cut(line, " ")
		var err error
		switch verb {
		case "path":
			in.path = arg
		case "header", "response-header":
			name, value, ok := strings.Cut(arg, ": ")
			if !ok {
				name = strings.TrimSuffix(arg, ":")
			}
			if verb == "header" {
				in.header.Add(name, value)
			} else {
				in.respHeader.Add(name, value)
			}
		case "query":
			name, value, _ := strings.Cut(arg, "=")
			in.query = append(in.query, QueryParam{Name: name, Value: value})
		case "pathparam", "context", "stagevar":
			name, value, _ := strings.Cut(arg, "=")
			map[string]map[string]string{"pathparam": in.pathParams, "context": in.context, "stagevar": in.stageVars}[verb][name] = value
		case "body":
			in.body = append(in.body, arg...)
		case "response-body":
			in.respBody = append(in.respBody, arg...)
		case "bodyfill", "response-bodyfill":
			count, fill, _ := strings.Cut(arg, " ")
			var k int
			if k, err = strconv.Atoi(count); err == nil {
				if verb == "bodyfill" {
					in.body = append(in.body, strings.Repeat(fill, k)...)
				} else {
					in.respBody = append(in.respBody, strings.Repeat(fill, k)...)
				}
			}
		case "status":
			status, err = strconv.Atoi(arg)
		case "requestParameters":
			err = json.Unmarshal([]byte(arg), &reqParams)
		case "responseParameters":
			err = json.Unmarshal([]byte(arg), &respParams)
		default:
			err = fmt.Errorf("unknown directive %q", verb)
		}
		if err != nil {
			return "", fmt.Errorf("line %d: %v", n+1, err)
		}
	}
	var b strings.Builder
	if reqParams != nil {
		m, err := CompileRequest(reqParams)
		if err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
		} else {
			out := &Outbound{Header: in.header.Clone(), Query: slices.Clone(in.query), Path: in.path}
			m.Apply(out, in)
			fmt.Fprintf(&b, "path %s\n", show(out.Path))
			writeHeader(&b, "header", out.Header)
			for _, q := range out.Query {
				fmt.Fprintf(&b, "query %s=%s\n", q.Name, show(q.Value))
			}
		}
	}
	if respParams != nil {
		m, err := CompileResponse(respParams)
		if err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
		} else {
			h := in.respHeader.Clone()
			fmt.Fprintf(&b, "status %d\n", m.Apply(status, h, in))
			writeHeader(&b, "response-header", h)
		}
	}
	return b.String(), nil
}

func writeHeader(b *strings.Builder, verb string, h http.Header) {
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[name] {
			fmt.Fprintf(b, "%s %s: %s\n", verb, name, show(v))
		}
	}
}

// show abbreviates long values.
func show(v string) string {
	if len(v) <= 100 {
		return v
	}
	return fmt.Sprintf("%s... (%d bytes)", v[:40], len(v))
}
