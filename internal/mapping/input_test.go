package mapping

import (
	"net/http"
	"strings"
)

// fakeInput is an Input over plain data, joining repeated headers and query
// parameters with commas as the gateway does.
type fakeInput struct {
	header     http.Header
	query      []QueryParam
	path       string
	pathParams map[string]string
	body       []byte
	respHeader http.Header
	respBody   []byte
	context    map[string]string
	stageVars  map[string]string
}

var _ Input = (*fakeInput)(nil)

func joined(h http.Header, name string) (string, bool) {
	v := h.Values(name)
	if len(v) == 0 {
		return "", false
	}
	if len(v) == 1 {
		return v[0], true
	}
	return strings.Join(v, ","), true
}

func (f *fakeInput) RequestHeader(name string) (string, bool) { return joined(f.header, name) }

func (f *fakeInput) QueryString(name string) (string, bool) {
	var vals []string
	for _, p := range f.query {
		if p.Name == name {
			vals = append(vals, p.Value)
		}
	}
	return strings.Join(vals, ","), vals != nil
}

func (f *fakeInput) Path() string { return f.path }

func (f *fakeInput) PathParam(name string) (string, bool) {
	v, ok := f.pathParams[name]
	return v, ok
}

func (f *fakeInput) RequestBody() []byte { return f.body }

func (f *fakeInput) ResponseHeader(name string) (string, bool) { return joined(f.respHeader, name) }

func (f *fakeInput) ResponseBody() []byte { return f.respBody }

func (f *fakeInput) Context(name string) (string, bool) {
	v, ok := f.context[name]
	return v, ok
}

func (f *fakeInput) StageVariable(name string) (string, bool) {
	v, ok := f.stageVars[name]
	return v, ok
}

// countingInput counts body reads, to prove a body is indexed once per Apply.
type countingInput struct {
	*fakeInput
	reqBodyReads, respBodyReads int
}

func (c *countingInput) RequestBody() []byte {
	c.reqBodyReads++
	return c.fakeInput.RequestBody()
}

func (c *countingInput) ResponseBody() []byte {
	c.respBodyReads++
	return c.fakeInput.ResponseBody()
}
