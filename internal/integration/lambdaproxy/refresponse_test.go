package lambdaproxy

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
)

// The map-based decoder the scanning one replaced (encoding/json into
// map[string]json.RawMessage, then each member): the reference that
// FuzzResponseMatchesReference compares response20 and response10 against.

// refResponse20 is the old response20: a payload format 2.0 response
// [DG:http-api-develop-integrations-lambda "Lambda function response for
// format 2.0"]. Valid JSON without a statusCode (any non-object, or an object
// without that key) is a 200 whose body is the whole output (a JSON string's
// value) with content-type application/json.
func refResponse20(payload []byte) (*exchange.Response, error) {
	p := bytes.TrimSpace(payload)
	var fields map[string]json.RawMessage
	if len(p) > 0 && p[0] == '{' {
		if err := json.Unmarshal(p, &fields); err != nil { // validates the whole output
			return nil, malformed("the function output is not JSON: %v", err)
		}
	} else if !json.Valid(p) {
		return nil, malformed("the function output is not JSON")
	}
	if _, ok := fields["statusCode"]; !ok {
		r := exchange.NewResponse(http.StatusOK)
		r.Header.Set("Content-Type", "application/json")
		r.Body = payload
		if p[0] == '"' {
			var s string
			if err := json.Unmarshal(p, &s); err != nil {
				return nil, malformed("%v", err)
			}
			r.Body = []byte(s)
		}
		return r, nil
	}
	return refStructured(fields, true)
}

// refResponse10 is the old response10: a payload format 1.0 response: an object with
// statusCode, headers, multiValueHeaders, body and isBase64Encoded. A missing
// statusCode means 200, as for REST APIs.
func refResponse10(payload []byte) (*exchange.Response, error) {
	p := bytes.TrimSpace(payload)
	if len(p) == 0 || p[0] != '{' {
		return nil, malformed("the function output is not a JSON object")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(p, &fields); err != nil {
		return nil, malformed("%v", err)
	}
	return refStructured(fields, false)
}

// refStructured is the old structured: it builds the response from its members. Keys are matched exactly
// (case-sensitively); unknown keys are ignored. Header values may be strings,
// numbers or booleans; multiValueHeaders replace headers of the same name.
func refStructured(f map[string]json.RawMessage, withCookies bool) (*exchange.Response, error) {
	status := http.StatusOK
	if raw, ok := f["statusCode"]; ok {
		s, err := refStatusCode(raw)
		if err != nil {
			return nil, err
		}
		status = s
	}
	r := exchange.NewResponse(status)
	if raw, ok := f["headers"]; ok && !refIsNull(raw) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, malformed("headers must be an object of strings")
		}
		for k, v := range m {
			s, ok, err := refScalar(v)
			if err != nil {
				return nil, malformed("header %q: %v", k, err)
			}
			if ok && validHeader(k, s) {
				r.Header.Set(k, s)
			}
		}
	}
	if raw, ok := f["multiValueHeaders"]; ok && !refIsNull(raw) {
		var m map[string][]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, malformed("multiValueHeaders must be an object of string arrays")
		}
		for k, vs := range m {
			r.Header.Del(k)
			for _, v := range vs {
				s, ok, err := refScalar(v)
				if err != nil {
					return nil, malformed("multiValueHeaders %q: %v", k, err)
				}
				if ok && validHeader(k, s) {
					r.Header.Add(k, s)
				}
			}
		}
	}
	if raw, ok := f["cookies"]; ok && withCookies && !refIsNull(raw) {
		var cs []string
		if err := json.Unmarshal(raw, &cs); err != nil {
			return nil, malformed("cookies must be an array of strings")
		}
		for _, c := range cs {
			if validHeader("Set-Cookie", c) {
				r.Header.Add("Set-Cookie", c)
			}
		}
	}
	var body string
	if raw, ok := f["body"]; ok && !refIsNull(raw) {
		if err := json.Unmarshal(raw, &body); err != nil {
			return nil, malformed("body must be a string")
		}
	}
	b64 := false
	if raw, ok := f["isBase64Encoded"]; ok && !refIsNull(raw) {
		if err := json.Unmarshal(raw, &b64); err != nil {
			return nil, malformed("isBase64Encoded must be a boolean")
		}
	}
	if b64 {
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return nil, malformed("body is not valid base64: %v", err)
		}
		r.Body = b
	} else if body != "" {
		r.Body = []byte(body)
	}
	for _, h := range hopHeaders {
		r.Header.Del(h)
	}
	return r, nil
}

// refStatusCode is the old statusCode: it accepts an integer or a numeric string in 100–599.
func refStatusCode(raw json.RawMessage) (int, error) {
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

// refScalar is the old scalar: it renders a header value: a string as is, a number or boolean as its
// JSON text. null is skipped; objects and arrays are errors.
func refScalar(raw json.RawMessage) (string, bool, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || refIsNull(raw) {
		return "", false, nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, err
		}
		return s, true, nil
	case '{', '[':
		return "", false, errors.New("value must be a string")
	}
	return string(raw), true, nil
}

func refIsNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }
