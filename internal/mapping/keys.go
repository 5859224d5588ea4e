package mapping

import (
	"cmp"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// KeyError reports a mapping that CompileRequest or CompileResponse rejects.
type KeyError struct {
	Side   Side
	Status string // the responseParameters status code key; "" for requestParameters
	Key    string // the mapping key; "" when Status itself is invalid
	Err    error
}

func (e *KeyError) Error() string {
	var b strings.Builder
	b.WriteString(e.Side.String())
	b.WriteString("Parameters")
	if e.Side == Response {
		b.WriteString("[" + strconv.Quote(e.Status) + "]")
	}
	if e.Key != "" {
		b.WriteString("[" + strconv.Quote(e.Key) + "]")
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *KeyError) Unwrap() error { return e.Err }

// action is what a mapping does. The values are the application order.
type action uint8

const (
	actOverwrite action = iota
	actAppend
	actRemove
)

// target is what a mapping changes.
type target uint8

const (
	tgtHeader target = iota
	tgtQuery
	tgtPath
	tgtStatus
)

// op is one compiled mapping.
type op struct {
	key   string // as configured, for ordering and errors
	act   action
	tgt   target
	name  string // the canonical header name or the query string name
	value *Expr  // nil for remove
}

// compileOps validates and compiles one map of mappings, in key order so
// that the error for several bad keys is always the same, and orders them:
// overwrite, then append, then remove, each group by key.
func compileOps(params map[string]string, side Side, status string) ([]op, error) {
	ops := make([]op, 0, len(params))
	for _, key := range slices.Sorted(maps.Keys(params)) {
		o, err := compileOp(key, params[key], side)
		if err != nil {
			return nil, &KeyError{Side: side, Status: status, Key: key, Err: err}
		}
		if o.act != actRemove && o.value == nil {
			continue // empty value: no mapping
		}
		ops = append(ops, o)
	}
	slices.SortStableFunc(ops, func(a, b op) int { return cmp.Compare(a.act, b.act) })
	return ops, nil
}

// compileOp parses "action:target" [DG:http-api-parameter-mapping "Parameter
// mapping keys", "Response parameter mapping keys"] and its value.
func compileOp(key, value string, side Side) (op, error) {
	verb, tgt, found := strings.Cut(key, ":")
	o := op{key: key}
	if !found {
		verb = ""
	}
	switch verb {
	case "append":
		o.act = actAppend
	case "overwrite":
		o.act = actOverwrite
	case "remove":
		o.act = actRemove
	default:
		if side == Request {
			return o, errors.New("invalid key: use append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path")
		}
		return o, errors.New("invalid key: use append|overwrite|remove:header.NAME or overwrite:statuscode")
	}
	switch {
	case strings.HasPrefix(tgt, "header."):
		name := tgt[len("header."):]
		if name == "" || strings.IndexFunc(name, func(r rune) bool { return r > 0x7f || !isTokenChar(byte(r)) }) >= 0 {
			return o, errors.New("invalid header name " + strconv.Quote(name))
		}
		if ReservedHeader(name) {
			return o, errors.New("header " + name + " is reserved and cannot be mapped")
		}
		o.tgt, o.name = tgtHeader, http.CanonicalHeaderKey(name)
	case side == Request && strings.HasPrefix(tgt, "querystring."):
		name := tgt[len("querystring."):]
		if name == "" {
			return o, errors.New("missing query string name")
		}
		o.tgt, o.name = tgtQuery, name
	case side == Request && tgt == "path":
		if o.act != actOverwrite {
			return o, errors.New("path supports only overwrite")
		}
		o.tgt = tgtPath
	case side == Response && tgt == "statuscode":
		if o.act != actOverwrite {
			return o, errors.New("statuscode supports only overwrite")
		}
		o.tgt = tgtStatus
	case side == Request:
		return o, errors.New("invalid target " + strconv.Quote(tgt) + ": use header.NAME, querystring.NAME or path")
	default:
		return o, errors.New("invalid target " + strconv.Quote(tgt) + ": use header.NAME or statuscode")
	}
	if o.act == actRemove || value == "" {
		return o, nil
	}
	e, err := ParseExpr(value, side)
	if err != nil {
		return o, err
	}
	if o.tgt == tgtStatus {
		if s, ok := e.static(); ok {
			if _, ok := parseStatus(s); !ok {
				return o, errors.New("status code " + strconv.Quote(s) + " is not an integer between 100 and 599")
			}
		}
	}
	o.value = e
	return o, nil
}

// ReservedHeader reports the headers that mappings may not touch
// [DG:http-api-parameter-mapping "Reserved headers"].
func ReservedHeader(name string) bool {
	h := strings.ToLower(name)
	for _, p := range []string{"access-control-", "apigw-", "x-amz-", "x-amzn-"} {
		if strings.HasPrefix(h, p) {
			return true
		}
	}
	switch h {
	case "authorization", "connection", "content-encoding", "content-length", "content-location",
		"forwarded", "keep-alive", "origin", "proxy-authenticate", "proxy-authorization", "te",
		"trailers", "transfer-encoding", "upgrade", "x-forwarded-for", "x-forwarded-host",
		"x-forwarded-proto", "via":
		return true
	}
	return false
}

// parseStatus parses a status code for overwrite:statuscode: decimal digits
// only, 100-599.
func parseStatus(s string) (int, bool) {
	if len(s) == 0 || len(s) > 3 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, n >= 100 && n <= 599
}

// opValue is an op's evaluated value; ok=false skips the op.
type opValue struct {
	v  string
	ok bool
}

// evalOps evaluates every op's value before Apply changes anything, so that
// values read the data as received even if the Input reads the very header
// map being changed. buf avoids an allocation for up to len(buf) ops.
func evalOps(ops []op, in Input, buf []opValue) []opValue {
	vals := buf[:0]
	if len(ops) > cap(buf) {
		vals = make([]opValue, 0, len(ops))
	}
	st := evalState{in: in}
	for i := range ops {
		if ops[i].act == actRemove {
			vals = append(vals, opValue{ok: true})
			continue
		}
		v, ok := ops[i].value.eval(&st)
		vals = append(vals, opValue{v, ok})
	}
	return vals
}
