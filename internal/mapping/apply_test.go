package mapping

import (
	"net/http"
	"slices"
	"sync"
	"testing"
)

func mustRequest(t testing.TB, params map[string]string) *RequestMapping {
	t.Helper()
	m, err := CompileRequest(params)
	if err != nil {
		t.Fatalf("CompileRequest(%v): %v", params, err)
	}
	return m
}

func mustResponse(t testing.TB, params map[string]map[string]string) *ResponseMapping {
	t.Helper()
	m, err := CompileResponse(params)
	if err != nil {
		t.Fatalf("CompileResponse(%v): %v", params, err)
	}
	return m
}

func TestApplyQuery(t *testing.T) {
	in := []QueryParam{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"c", "4"}, {"a", "5"}}
	tests := []struct {
		name string
		act  action
		key  string
		want []QueryParam
	}{
		{name: "append", act: actAppend, key: "a", want: []QueryParam{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"c", "4"}, {"a", "5"}, {"a", "v"}}},
		{name: "append new", act: actAppend, key: "d", want: []QueryParam{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"c", "4"}, {"a", "5"}, {"d", "v"}}},
		{name: "overwrite at first position", act: actOverwrite, key: "a", want: []QueryParam{{"a", "v"}, {"b", "2"}, {"c", "4"}}},
		{name: "overwrite single", act: actOverwrite, key: "c", want: []QueryParam{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"c", "v"}, {"a", "5"}}},
		{name: "overwrite new at end", act: actOverwrite, key: "A", want: []QueryParam{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"c", "4"}, {"a", "5"}, {"A", "v"}}},
		{name: "remove all", act: actRemove, key: "a", want: []QueryParam{{"b", "2"}, {"c", "4"}}},
		{name: "remove absent", act: actRemove, key: "z", want: in},
	}
	for _, tc := range tests {
		got := applyQuery(slices.Clone(in), tc.act, tc.key, "v")
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: applyQuery(%v, %d, %q) = %v, want %v", tc.name, in, tc.act, tc.key, got, tc.want)
		}
	}
	if got := applyQuery(nil, actRemove, "a", ""); len(got) != 0 {
		t.Errorf("applyQuery(nil, remove) = %v, want empty", got)
	}
}

// TestApplyDoesNotWriteSharedValues: the outbound header may share value
// slices with the inbound request (principle: the inbound request is
// immutable).
func TestApplyDoesNotWriteSharedValues(t *testing.T) {
	backing := make([]string, 1, 4)
	backing[0] = "inbound"
	inbound := http.Header{"X-A": backing, "X-B": backing}
	out := &Outbound{Header: http.Header{"X-A": inbound["X-A"], "X-B": inbound["X-B"]}}
	m := mustRequest(t, map[string]string{"append:header.x-a": "added", "overwrite:header.x-b": "new"})
	m.Apply(out, &fakeInput{})
	if got := backing[:2]; got[0] != "inbound" || got[1] != "" {
		t.Errorf("backing array = %q, want it untouched", got)
	}
	if got := out.Header["X-A"]; !slices.Equal(got, []string{"inbound", "added"}) {
		t.Errorf("X-A = %q", got)
	}
	if got := inbound["X-B"]; !slices.Equal(got, []string{"inbound"}) {
		t.Errorf("inbound X-B = %q", got)
	}
}

func TestApplyNilHeaderAndMapping(t *testing.T) {
	out := &Outbound{}
	mustRequest(t, map[string]string{"remove:header.x": ""}).Apply(out, &fakeInput{})
	if out.Header != nil {
		t.Errorf("remove on a nil header created %v", out.Header)
	}
	mustRequest(t, map[string]string{"append:header.x": "v"}).Apply(out, &fakeInput{})
	if got := out.Header.Get("X"); got != "v" {
		t.Errorf("append on a nil header: X = %q, want v", got)
	}

	var nilReq *RequestMapping
	nilReq.Apply(out, &fakeInput{})
	var nilResp *ResponseMapping
	if got := nilResp.Apply(502, nil, &fakeInput{}); got != 502 {
		t.Errorf("nil ResponseMapping.Apply = %d, want 502", got)
	}
	if nilReq.Len() != 0 || nilResp.Len() != 0 {
		t.Error("nil mappings have mappings")
	}
}

func TestApplyPath(t *testing.T) {
	tests := []struct {
		name, value, want string
	}{
		{name: "absolute", value: "/a/b", want: "/a/b"},
		{name: "relative gets a slash", value: "a/b", want: "/a/b"},
		{name: "computed relative", value: "${request.path.id}", want: "/7"},
		{name: "missing keeps the path", value: "$request.path.nope", want: "/orig"},
		{name: "computed empty gets a slash", value: "$request.header.x-empty", want: "/"},
		{name: "kept as evaluated", value: "/a b/%2F", want: "/a b/%2F"},
	}
	for _, tc := range tests {
		out := &Outbound{Path: "/orig"}
		in := &fakeInput{pathParams: map[string]string{"id": "7"}, header: http.Header{"X-Empty": {""}}}
		mustRequest(t, map[string]string{"overwrite:path": tc.value}).Apply(out, in)
		if out.Path != tc.want {
			t.Errorf("%s: overwrite:path %q gave %q, want %q", tc.name, tc.value, out.Path, tc.want)
		}
	}
}

func TestResponseApplyStatus(t *testing.T) {
	m := mustResponse(t, map[string]map[string]string{
		"500": {"overwrite:statuscode": "$response.header.x-status"},
		"502": {"overwrite:statuscode": "503"},
	})
	tests := []struct {
		name    string
		backend int
		header  string // X-Status from the backend; "" for none
		want    int
	}{
		{name: "computed", backend: 500, header: "418", want: 418},
		{name: "computed lowest", backend: 500, header: "100", want: 100},
		{name: "computed out of range", backend: 500, header: "600", want: 500},
		{name: "computed not a number", backend: 500, header: "teapot", want: 500},
		{name: "computed missing", backend: 500, want: 500},
		{name: "static", backend: 502, want: 503},
		{name: "other status untouched", backend: 501, header: "418", want: 501},
	}
	for _, tc := range tests {
		in := &fakeInput{respHeader: http.Header{}}
		if tc.header != "" {
			in.respHeader.Set("X-Status", tc.header)
		}
		if got := m.Apply(tc.backend, http.Header{}, in); got != tc.want {
			t.Errorf("%s: Apply(%d) with X-Status %q = %d, want %d", tc.name, tc.backend, tc.header, got, tc.want)
		}
	}
}

// TestBodyIndexedOncePerApply: several body expressions read and index the
// body once; expressions without a body reference never read it.
func TestBodyIndexedOncePerApply(t *testing.T) {
	in := &countingInput{fakeInput: &fakeInput{body: []byte(`{"a":1,"b":{"c":2}}`), respBody: []byte(`{"s":201}`)}}
	req := mustRequest(t, map[string]string{
		"overwrite:header.x-a":   "$request.body.a",
		"overwrite:header.x-c":   "${request.body.b.c}",
		"append:querystring.b":   "$request.body.b",
		"overwrite:header.x-all": "$request.body",
	})
	out := &Outbound{}
	req.Apply(out, in)
	if in.reqBodyReads != 1 {
		t.Errorf("request body read %d times, want 1", in.reqBodyReads)
	}
	if got := out.Header.Get("X-C") + " " + out.Query[0].Value; got != `2 {"c":2}` {
		t.Errorf("mapped %q", got)
	}

	resp := mustResponse(t, map[string]map[string]string{"200": {
		"overwrite:statuscode": "$response.body.s",
		"overwrite:header.x-s": "$response.body.s",
		"overwrite:header.x-b": "$response.body",
	}})
	if got := resp.Apply(200, http.Header{}, in); got != 201 {
		t.Errorf("status = %d, want 201", got)
	}
	if in.respBodyReads != 1 {
		t.Errorf("response body read %d times, want 1", in.respBodyReads)
	}

	in.reqBodyReads = 0
	mustRequest(t, map[string]string{"overwrite:header.x": "$request.path"}).Apply(&Outbound{}, in)
	if in.reqBodyReads != 0 {
		t.Errorf("body read %d times by a mapping that does not use it", in.reqBodyReads)
	}
}

// TestApplyConcurrent runs one compiled mapping from many goroutines (run
// with -race).
func TestApplyConcurrent(t *testing.T) {
	req := mustRequest(t, map[string]string{
		"overwrite:header.x-id": "${request.body.id}-$context.requestId",
		"append:querystring.q":  "$request.querystring.q",
	})
	resp := mustResponse(t, map[string]map[string]string{"200": {"overwrite:header.x-id": "$response.body.id"}})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				in := &fakeInput{body: []byte(`{"id":"a"}`), respBody: []byte(`{"id":"b"}`), context: map[string]string{"requestId": "r"},
					query: []QueryParam{{"q", "1"}}}
				out := &Outbound{Header: http.Header{}, Query: slices.Clone(in.query)}
				req.Apply(out, in)
				h := http.Header{}
				resp.Apply(200, h, in)
				if out.Header.Get("X-Id") != "a-r" || len(out.Query) != 2 || h.Get("X-Id") != "b" {
					t.Errorf("got %v %v %v", out.Header, out.Query, h)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestValuesReadDataAsReceived: every value is evaluated before anything
// changes, so a mapping never sees another's effect, even when the Input
// reads the very header map being changed.
func TestValuesReadDataAsReceived(t *testing.T) {
	h := http.Header{"A": {"backend"}}
	in := &fakeInput{respHeader: h}
	resp := mustResponse(t, map[string]map[string]string{"200": {
		"overwrite:header.a": "mapped",
		"append:header.b":    "$response.header.a",
		"remove:header.c":    "",
		"append:header.d":    "$response.header.c",
	}})
	h.Set("C", "gone")
	resp.Apply(200, h, in)
	if got := h.Get("A") + " " + h.Get("B") + " " + h.Get("D"); got != "mapped backend gone" {
		t.Errorf("A B D = %q, want %q", got, "mapped backend gone")
	}
	if _, ok := h["C"]; ok {
		t.Error("C not removed")
	}

	out := &Outbound{Header: http.Header{"A": {"client"}}}
	req := mustRequest(t, map[string]string{"overwrite:header.a": "mapped", "append:header.b": "$request.header.a"})
	req.Apply(out, &fakeInput{header: out.Header})
	if got := out.Header.Get("B"); got != "client" {
		t.Errorf("B = %q, want client", got)
	}
}

// TestManyMappings goes past evalOps' stack buffer.
func TestManyMappings(t *testing.T) {
	params := map[string]string{}
	for i := range 40 {
		params["append:querystring.q"+string(rune('A'+i))] = "$context.requestId"
	}
	out := &Outbound{}
	mustRequest(t, params).Apply(out, &fakeInput{context: map[string]string{"requestId": "r"}})
	if len(out.Query) != 40 || out.Query[0] != (QueryParam{"qA", "r"}) {
		t.Errorf("query = %v", out.Query)
	}
}
