package mapping

import "strings"

// Eval evaluates e against in.
//
// Each reference yields the value Input reports; "$request.body" and
// "$response.body" yield the whole body, not truncated ("to send payloads
// larger than 100 KB, specify $request.body"); a body JSON path is evaluated
// on the body truncated at 100 KB (102400 bytes), and every path is missing
// if that is not valid JSON. An empty body and an empty $request.path are
// missing.
//
// A path yields a string's content (escapes decoded), the JSON text of a
// number or boolean as written ("1.50e1", "true"), or the compact JSON text of
// an object or array, members in their order ("{"id":7,"tags":["a"]}"). null,
// an absent member, an index out of range and a selector of the wrong kind
// (a name on an array) are missing. If an object repeats a name the last one
// counts, as in encoding/json.
//
// ok=false means the result is empty because at least one referenced value
// is missing; the caller then skips the mapping. A result that is not empty
// is used even if some references were missing ("id-$request.header.x"
// without x yields "id-"), and an empty result from present values
// (a header sent empty) is ("", true).
//
// Eval indexes a body each time it needs one; Apply shares one index among
// all its expressions.
func (e *Expr) Eval(in Input) (string, bool) {
	st := evalState{in: in}
	return e.eval(&st)
}

// evalState is the per-call cache of one Apply: the inbound data and, for
// each body, its bytes (read from Input once), its text and its JSON index
// (each built once, on first use).
type evalState struct {
	in        Input
	req, resp bodyCache
}

type bodyCache struct {
	read, textSet bool
	data          []byte
	text          string
	doc           jsonDoc
}

// body returns the request or response body cache, reading the body from
// Input on first use.
func (st *evalState) body(response bool) *bodyCache {
	b := &st.req
	if response {
		b = &st.resp
	}
	if !b.read {
		if response {
			b.data = st.in.ResponseBody()
		} else {
			b.data = st.in.RequestBody()
		}
		b.read = true
	}
	return b
}

// whole returns the whole body as text; an empty body is missing.
func (b *bodyCache) whole() (string, bool) {
	if !b.textSet {
		b.text, b.textSet = string(b.data), true
	}
	return b.text, b.text != ""
}

// lookup evaluates a JSON path on the body truncated at 100 KB.
func (b *bodyCache) lookup(path []step) (string, bool) {
	if !b.doc.loaded {
		b.doc.load(b.data)
	}
	return b.doc.lookup(path)
}

func (e *Expr) eval(st *evalState) (string, bool) {
	switch len(e.parts) {
	case 0:
		return "", true
	case 1:
		if v, ok := st.value(&e.parts[0]); ok {
			return v, true
		}
		return "", false
	}
	var buf [8]string
	vals := buf[:0]
	n, missing := 0, false
	for i := range e.parts {
		v, ok := st.value(&e.parts[i])
		if !ok {
			v, missing = "", true // whatever Input returned with it
		}
		vals = append(vals, v)
		n += len(v)
	}
	if n == 0 {
		return "", !missing
	}
	var b strings.Builder
	b.Grow(n)
	for _, v := range vals {
		b.WriteString(v)
	}
	return b.String(), true
}

func (st *evalState) value(p *part) (string, bool) {
	in := st.in
	switch p.src {
	case srcStatic:
		return p.text, true
	case srcRequestHeader:
		return in.RequestHeader(p.text)
	case srcQueryString:
		return in.QueryString(p.text)
	case srcRequestPath:
		v := in.Path()
		return v, v != ""
	case srcPathParam:
		return in.PathParam(p.text)
	case srcRequestBody:
		return st.body(false).whole()
	case srcRequestBodyPath:
		return st.body(false).lookup(p.path)
	case srcResponseHeader:
		return in.ResponseHeader(p.text)
	case srcResponseBody:
		return st.body(true).whole()
	case srcResponseBodyPath:
		return st.body(true).lookup(p.path)
	case srcContext:
		return in.Context(p.text)
	case srcStageVariable:
		return in.StageVariable(p.text)
	}
	return "", false
}
