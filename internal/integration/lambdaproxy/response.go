package lambdaproxy

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

// errMalformed is the cause of a 500 for a function response API Gateway
// cannot interpret (AWS logs "Malformed Lambda proxy response").
var errMalformed = errors.New("malformed Lambda proxy response")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errMalformed}, args...)...)
}

// response20 interprets a payload format 2.0 response
// [DG:http-api-develop-integrations-lambda "Lambda function response for
// format 2.0"]. Valid JSON without a statusCode (any non-object, or an object
// without that key) is a 200 whose body is the whole output (a JSON string's
// value) with content-type application/json.
func response20(payload []byte) (*exchange.Response, error) {
	p := bytes.TrimSpace(payload)
	if !json.Valid(p) {
		if len(p) > 0 && p[0] == '{' {
			var m map[string]json.RawMessage
			return nil, malformed("the function output is not JSON: %v", json.Unmarshal(p, &m))
		}
		return nil, malformed("the function output is not JSON")
	}
	if p[0] == '{' {
		if o := readOutput(p); o.statusCode != nil {
			return o.response(true)
		}
	}
	r := exchange.NewResponse(http.StatusOK)
	r.Header.Set("Content-Type", "application/json")
	r.Body = payload
	if p[0] == '"' {
		b, err := decodeBytes(p)
		if err != nil {
			return nil, malformed("%v", err)
		}
		r.Body = b
	}
	return r, nil
}

// response10 interprets a payload format 1.0 response: an object with
// statusCode, headers, multiValueHeaders, body and isBase64Encoded. A missing
// statusCode means 200, as for REST APIs.
func response10(payload []byte) (*exchange.Response, error) {
	p := bytes.TrimSpace(payload)
	if len(p) == 0 || p[0] != '{' {
		return nil, malformed("the function output is not a JSON object")
	}
	if !json.Valid(p) {
		var m map[string]json.RawMessage
		return nil, malformed("%v", json.Unmarshal(p, &m))
	}
	return readOutput(p).response(false)
}

// output holds the members of a function's output object that API Gateway
// reads, as raw JSON (nil when absent). Keys are matched exactly
// (case-sensitively); unknown keys are ignored; a repeated key keeps its
// last value.
type output struct {
	statusCode, headers, multiValueHeaders, cookies, body, isBase64Encoded []byte
}

// readOutput reads the members of obj, a valid JSON object.
func readOutput(obj []byte) output {
	var o output
	var buf [8]member
	for _, m := range members(buf[:0], obj) {
		name, ok := plainString(m.key)
		if !ok {
			name = []byte(keyName(m.key))
		}
		switch string(name) {
		case "statusCode":
			o.statusCode = m.val
		case "headers":
			o.headers = m.val
		case "multiValueHeaders":
			o.multiValueHeaders = m.val
		case "cookies":
			o.cookies = m.val
		case "body":
			o.body = m.val
		case "isBase64Encoded":
			o.isBase64Encoded = m.val
		}
	}
	return o
}

// response builds the response. Header values may be strings, numbers or
// booleans; multiValueHeaders replace headers of the same name.
func (o output) response(withCookies bool) (*exchange.Response, error) {
	status := http.StatusOK
	if o.statusCode != nil {
		s, err := statusCode(o.statusCode)
		if err != nil {
			return nil, err
		}
		status = s
	}
	r := exchange.NewResponse(status)
	if raw := o.headers; raw != nil && !isNull(raw) {
		if raw[0] != '{' {
			return nil, malformed("headers must be an object of strings")
		}
		for _, f := range fields(raw) {
			s, ok, err := scalar(f.val)
			if err != nil {
				return nil, malformed("header %q: %v", f.name, err)
			}
			if ok && validHeader(f.name, s) {
				r.Header.Set(f.name, s)
			}
		}
	}
	if raw := o.multiValueHeaders; raw != nil && !isNull(raw) {
		if raw[0] != '{' {
			return nil, malformed("multiValueHeaders must be an object of string arrays")
		}
		fs := fields(raw)
		// Every value must be an array or null, a replaced one too: decoding
		// into map[string][]json.RawMessage fails on any of them.
		for _, m := range members(nil, raw) {
			if m.val[0] != '[' && !isNull(m.val) {
				return nil, malformed("multiValueHeaders must be an object of string arrays")
			}
		}
		var vs [][]byte
		for _, f := range fs {
			r.Header.Del(f.name)
			if isNull(f.val) {
				continue
			}
			vs = elements(vs[:0], f.val)
			for _, v := range vs {
				s, ok, err := scalar(v)
				if err != nil {
					return nil, malformed("multiValueHeaders %q: %v", f.name, err)
				}
				if ok && validHeader(f.name, s) {
					r.Header.Add(f.name, s)
				}
			}
		}
	}
	if raw := o.cookies; raw != nil && withCookies && !isNull(raw) {
		if raw[0] != '[' {
			return nil, malformed("cookies must be an array of strings")
		}
		cs := elements(nil, raw)
		for _, c := range cs {
			if c[0] != '"' && !isNull(c) { // null decodes to ""
				return nil, malformed("cookies must be an array of strings")
			}
		}
		for _, c := range cs {
			var s string
			if c[0] == '"' {
				s, _ = decodeString(c)
			}
			if validHeader("Set-Cookie", s) {
				r.Header.Add("Set-Cookie", s)
			}
		}
	}
	var body []byte
	if raw := o.body; raw != nil && !isNull(raw) {
		if raw[0] != '"' {
			return nil, malformed("body must be a string")
		}
		body, _ = decodeBytes(raw)
	}
	b64 := false
	if raw := o.isBase64Encoded; raw != nil && !isNull(raw) {
		if raw[0] != 't' && raw[0] != 'f' {
			return nil, malformed("isBase64Encoded must be a boolean")
		}
		b64 = raw[0] == 't'
	}
	if b64 {
		b := make([]byte, base64.StdEncoding.DecodedLen(len(body)))
		n, err := base64.StdEncoding.Decode(b, body)
		if err != nil {
			return nil, malformed("body is not valid base64: %v", err)
		}
		r.Body = b[:n]
	} else if len(body) > 0 {
		r.Body = body
	}
	for _, h := range hopHeaders {
		r.Header.Del(h)
	}
	return r, nil
}

// hopHeaders are framing headers a function cannot set: the gateway frames
// the response itself.
var hopHeaders = []string{"Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "Trailer"}

// statusCode accepts an integer or a numeric string in 100–599.
func statusCode(raw []byte) (int, error) {
	if digits(raw) {
		if code, err := strconv.Atoi(string(raw)); err == nil && code >= 100 && code <= 599 {
			return code, nil
		}
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, malformed("statusCode must be a number")
		}
		n = json.Number(s)
	}
	code, err := strconv.Atoi(n.String())
	if err != nil || code < 100 || code > 599 {
		return 0, malformed("invalid statusCode %s", raw)
	}
	return code, nil
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// scalar renders a header value (valid JSON): a string as is, a number or
// boolean as its JSON text. null is skipped; objects and arrays are errors.
func scalar(raw []byte) (string, bool, error) {
	if isNull(raw) {
		return "", false, nil
	}
	switch raw[0] {
	case '"':
		s, err := decodeString(raw)
		if err != nil {
			return "", false, err
		}
		return s, true, nil
	case '{', '[':
		return "", false, errors.New("value must be a string")
	}
	return string(raw), true, nil
}

func isNull(raw []byte) bool { return string(raw) == "null" }

// validHeader reports whether a header can be written on the wire: a token
// name and a value without control characters other than tab. Invalid
// headers are dropped rather than failing the response.
func validHeader(name, value string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
