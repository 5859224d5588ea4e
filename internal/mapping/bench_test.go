package mapping

import (
	"net/http"
	"strings"
	"testing"
)

// benchHeaderMapping is the benchmark's three header mappings: one of each
// action.
var benchHeaderMapping = map[string]string{
	"overwrite:header.x-request-id": "$context.requestId",
	"append:header.x-env":           "$stageVariables.env",
	"remove:header.x-internal":      "",
}

func benchInput() *fakeInput {
	return &fakeInput{
		context:   map[string]string{"requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"},
		stageVars: map[string]string{"env": "prod"},
	}
}

// applyHeaders runs m on h and restores h, so that every run does the same
// work: overwrite allocates the new value slice, append copies the old
// values into a new one, remove deletes.
func applyHeaders(m *RequestMapping, out *Outbound, in Input, env, internal []string) {
	m.Apply(out, in)
	out.Header["X-Env"] = env
	out.Header["X-Internal"] = internal
}

// TestRequestApplyAllocs pins the allocation budget of the benchmark below:
// the two new header value slices (overwrite, append) and nothing else.
func TestRequestApplyAllocs(t *testing.T) {
	m := mustRequest(t, benchHeaderMapping)
	in := benchInput()
	env, internal := []string{"client"}, []string{"secret"}
	out := &Outbound{Header: http.Header{"Accept": {"*/*"}, "X-Env": env, "X-Internal": internal}}
	allocs := testing.AllocsPerRun(100, func() { applyHeaders(m, out, in, env, internal) })
	if allocs > 2 {
		t.Errorf("Apply with 3 header mappings: %v allocations per run, want at most 2 (the two value slices)", allocs)
	}
	if got := out.Header["X-Request-Id"]; len(got) != 1 || got[0] != "c6af9ac6-7b61-11e6-9a41-93e8deadbeef" {
		t.Errorf("X-Request-Id = %q", got)
	}
}

func BenchmarkRequestMappingApply(b *testing.B) {
	m := mustRequest(b, benchHeaderMapping)
	in := benchInput()
	env, internal := []string{"client"}, []string{"secret"}
	out := &Outbound{Header: http.Header{"Accept": {"*/*"}, "X-Env": env, "X-Internal": internal}}
	b.ReportAllocs()
	for b.Loop() {
		applyHeaders(m, out, in, env, internal)
	}
}

// BenchmarkRequestMappingApplyBody maps three members of a 10 KB JSON body:
// one index of the body, three lookups.
func BenchmarkRequestMappingApplyBody(b *testing.B) {
	m := mustRequest(b, map[string]string{
		"overwrite:header.x-id":     "$request.body.id",
		"overwrite:header.x-owner":  "${request.body.owner.name}",
		"overwrite:querystring.tag": "$request.body.tags[2]",
	})
	var body strings.Builder
	body.WriteString(`{"id":"pet-7","owner":{"name":"Ann","age":30},"tags":["a","b","c"],"items":[`)
	for i := range 200 {
		if i > 0 {
			body.WriteByte(',')
		}
		body.WriteString(`{"n":1,"s":"text","ok":true}`)
	}
	body.WriteString(`]}`)
	in := &fakeInput{body: []byte(body.String())}
	out := &Outbound{Header: http.Header{}}
	b.SetBytes(int64(body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		out.Query = out.Query[:0]
		m.Apply(out, in)
	}
}

func BenchmarkParseExpr(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseExpr("${request.path.name}-${request.body.items[0]['x-id']} $context.requestId", Request); err != nil {
			b.Fatal(err)
		}
	}
}
