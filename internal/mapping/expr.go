package mapping

import (
	"strconv"
	"strings"
)

// source is what one part of an expression reads.
type source uint8

const (
	srcStatic           source = iota // text
	srcRequestHeader                  // $request.header.NAME
	srcQueryString                    // $request.querystring.NAME
	srcRequestPath                    // $request.path
	srcPathParam                      // $request.path.NAME
	srcRequestBody                    // $request.body
	srcRequestBodyPath                // $request.body.PATH
	srcResponseHeader                 // $response.header.NAME
	srcResponseBody                   // $response.body
	srcResponseBodyPath               // $response.body.PATH
	srcContext                        // $context.NAME
	srcStageVariable                  // $stageVariables.NAME
)

// part is static text or one reference.
type part struct {
	src  source
	text string // the static text, or the name a reference reads
	path []step // the JSON path of srcRequestBodyPath and srcResponseBodyPath
}

// Expr is a compiled mapping value: static text and references. It is
// immutable and safe for concurrent use.
type Expr struct {
	text  string
	parts []part // adjacent static text merged
}

// String returns the expression as written.
func (e *Expr) String() string { return e.text }

// static reports whether e has no references, and its text.
func (e *Expr) static() (string, bool) {
	switch {
	case len(e.parts) == 0:
		return "", true
	case len(e.parts) == 1 && e.parts[0].src == srcStatic:
		return e.parts[0].text, true
	}
	return "", false
}

// SyntaxError reports an expression ParseExpr rejects.
type SyntaxError struct {
	Expr   string // the whole expression
	Offset int    // byte offset of the problem in Expr
	Msg    string
}

func (e *SyntaxError) Error() string {
	return "mapping expression " + strconv.Quote(e.Expr) + ": " + e.Msg + " at offset " + strconv.Itoa(e.Offset)
}

// ParseExpr compiles a mapping value for one side of an integration
// [DG:http-api-parameter-mapping "Request parameter mapping values",
// "Response parameter mapping values"].
//
// A reference is "$" or "${", a source, and a name:
//
//	$request.header.NAME       ${request.header.NAME}       request side
//	$request.querystring.NAME  ${request.querystring.NAME}  request side
//	$request.path              ${request.path}              request side
//	$request.path.NAME         ${request.path.NAME}         request side
//	$request.body              ${request.body}              request side
//	$request.body.PATH         ${request.body.PATH}         request side
//	$response.header.NAME      ${response.header.NAME}      response side
//	$response.body             ${response.body}             response side
//	$response.body.PATH        ${response.body.PATH}        response side
//	$context.NAME              ${context.NAME}              both
//	$stageVariables.NAME       ${stageVariables.NAME}       both
//
// Everything else is static text, including "$" followed by any other word
// ("$5", "$foo", "${foo}"). Words are case-sensitive.
//
// Names: header and query string names are HTTP token characters
// (RFC 9110 tchar); path parameter names are letters, digits, ".", "_" and
// "-", as in route keys; context and stage variable names are letters,
// digits, "." and "_" (aws-behavior.md §3.6: "only . and _ are allowed as
// special characters").
//
// PATH is a JSON path subset, any sequence of ".name" (letters, digits, "_"
// and "-"), "['name']" or "[\"name\"]" (any name; a backslash escapes the next
// byte) and "[0]" (an array index), as in "$request.body.items[0]['x-id']" or
// "$request.body[2].name". The Developer Guide rules out recursive descent
// ("..") and filter expressions ("?()"); wildcards, slices, unions, negative
// indexes and script expressions are rejected too, since each selects several
// values (or none the guide describes) and a mapping yields one string.
//
// Without braces a reference takes the longest name it can, so text directly
// after it needs the braced form: "${request.path.name}-suffix",
// "${request.path.name} ${request.path.id}" (the Developer Guide's "to use
// multiple variables ... enclose the variable in brackets"). One exception
// keeps sentences working: without braces a name never ends in ".", so
// "id $context.requestId." reads requestId followed by ".". In the braced form
// the whole text up to the first "}" must be one reference (a "}" cannot
// appear in a braced bracket name).
//
// Errors: a "$request" reference in a response value or a "$response" one in a
// request value; "${" without "}"; a known source word ("request", "response",
// "context", "stageVariables") not followed by a valid reference; JSON path
// features outside the subset (recursive descent "..", filters "?()",
// wildcards "*", slices, unions, negative indexes).
func ParseExpr(s string, side Side) (*Expr, error) {
	if side != Request && side != Response {
		return nil, &SyntaxError{Expr: s, Msg: "invalid side " + side.String()}
	}
	e := &Expr{text: s}
	static := 0 // start of pending static text
	flush := func(end int) {
		if end > static {
			e.parts = append(e.parts, part{src: srcStatic, text: s[static:end]})
		}
	}
	for i := 0; i < len(s); {
		d := strings.IndexByte(s[i:], '$')
		if d < 0 {
			break
		}
		i += d
		if strings.HasPrefix(s[i:], "${") {
			rbrace := strings.IndexByte(s[i+2:], '}')
			if rbrace < 0 {
				return nil, &SyntaxError{Expr: s, Offset: i, Msg: `"${" without "}"`}
			}
			inner := s[i+2 : i+2+rbrace]
			p, n, isRef, err := parseRef(inner, side, true)
			if err != nil {
				return nil, &SyntaxError{Expr: s, Offset: i + 2 + err.off, Msg: err.msg}
			}
			if isRef && n != len(inner) {
				return nil, &SyntaxError{Expr: s, Offset: i + 2 + n, Msg: "unexpected " + strconv.Quote(inner[n:]) + " in ${...}"}
			}
			end := i + 2 + rbrace + 1
			if isRef {
				flush(i)
				e.parts = append(e.parts, p)
				static = end
			}
			i = end
			continue
		}
		p, n, isRef, err := parseRef(s[i+1:], side, false)
		if err != nil {
			return nil, &SyntaxError{Expr: s, Offset: i + 1 + err.off, Msg: err.msg}
		}
		if !isRef {
			i++
			continue
		}
		flush(i)
		e.parts = append(e.parts, p)
		i += 1 + n
		static = i
	}
	flush(len(s))
	return e, nil
}

// refError is a parse error at an offset within the text given to parseRef.
type refError struct {
	off int
	msg string
}

// parseRef parses a reference at the start of t, the text after "$" (or
// inside "${...}"). It returns the part, the bytes consumed, and isRef=false
// if t does not start with a source word (the "$" is static text then).
func parseRef(t string, side Side, braced bool) (part, int, bool, *refError) {
	w := 0
	for w < len(t) && isWordChar(t[w]) {
		w++
	}
	word := t[:w]
	switch word {
	case "request", "response", "context", "stageVariables":
	default:
		return part{}, 0, false, nil
	}
	if w == len(t) || t[w] != '.' {
		return part{}, 0, true, &refError{w, "expected \".\" after " + strconv.Quote(word)}
	}
	rest := t[w+1:]
	off := w + 1
	switch word {
	case "context", "stageVariables":
		n := nameLen(rest, isVarNameChar, braced)
		if n == 0 {
			return part{}, 0, true, &refError{off, "missing variable name after " + strconv.Quote(word+".")}
		}
		src := srcContext
		if word == "stageVariables" {
			src = srcStageVariable
		}
		return part{src: src, text: rest[:n]}, off + n, true, nil
	}
	if (word == "request") != (side == Request) {
		return part{}, 0, true, &refError{0, "$" + word + " references are not allowed in " + side.String() + " parameters"}
	}
	k := 0
	for k < len(rest) && isWordChar(rest[k]) {
		k++
	}
	kind := rest[:k]
	after := rest[k:]
	off += k
	var p part
	switch {
	case kind == "header" || (kind == "querystring" && word == "request"):
		if len(after) == 0 || after[0] != '.' {
			return part{}, 0, true, &refError{off, "missing name after " + strconv.Quote(word+"."+kind)}
		}
		n := nameLen(after[1:], isTokenChar, braced)
		if n == 0 {
			return part{}, 0, true, &refError{off + 1, "missing name after " + strconv.Quote(word+"."+kind+".")}
		}
		p = part{src: srcQueryString, text: after[1 : 1+n]}
		switch {
		case word == "response":
			p.src = srcResponseHeader
		case kind == "header":
			p.src = srcRequestHeader
		}
		return p, off + 1 + n, true, nil
	case kind == "path" && word == "request":
		// "$request.path.": a dot not followed by a name ends the
		// reference unless braced.
		n := 0
		if len(after) > 0 && after[0] == '.' {
			n = nameLen(after[1:], isParamNameChar, braced)
		}
		if n == 0 {
			if braced && len(after) > 0 {
				return part{}, 0, true, &refError{off, "unexpected " + strconv.Quote(after) + " after \"request.path\""}
			}
			return part{src: srcRequestPath}, off, true, nil
		}
		return part{src: srcPathParam, text: after[1 : 1+n]}, off + 1 + n, true, nil
	case kind == "body":
		steps, n, err := parsePath(after, braced)
		if err != nil {
			err.off += off
			return part{}, 0, true, err
		}
		switch {
		case len(steps) == 0 && word == "request":
			p.src = srcRequestBody
		case len(steps) == 0:
			p.src = srcResponseBody
		case word == "request":
			p.src = srcRequestBodyPath
		default:
			p.src = srcResponseBodyPath
		}
		p.path = steps
		return p, off + n, true, nil
	}
	want := "header, body"
	if word == "request" {
		want = "header, querystring, path, body"
	}
	return part{}, 0, true, &refError{w + 1, "unknown source " + strconv.Quote(word+"."+kind) + " (want " + want + ")"}
}

// nameLen returns the length of the name at the start of s: the longest run of
// ok bytes, without trailing dots unless braced.
func nameLen(s string, ok func(byte) bool, braced bool) int {
	n := 0
	for n < len(s) && ok(s[n]) {
		n++
	}
	if !braced {
		for n > 0 && s[n-1] == '.' {
			n--
		}
	}
	return n
}

// isWordChar reports the bytes of a source word such as "stageVariables" and
// of the word after "$request.".
func isWordChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// isVarNameChar reports the bytes of $context and $stageVariables names:
// letters, digits, "." and "_".
func isVarNameChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_'
}

// isParamNameChar reports the bytes of path parameter names, as route keys
// allow them: letters, digits, ".", "_" and "-".
func isParamNameChar(c byte) bool {
	return isVarNameChar(c) || c == '-'
}

// isTokenChar reports RFC 9110 tchar, the bytes of header names.
func isTokenChar(c byte) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return true
	}
	return c < 0x80 && strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
