package apigwv2

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/mapping"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
)

// validateAPI checks an API after defaults are applied (create) or an update is merged.
func validateAPI(api *model.Api, create bool) error {
	if strings.TrimSpace(api.Name) == "" || len(api.Name) > 128 {
		return awserr.BadRequest("Invalid API name specified: the name must be 1-128 characters")
	}
	switch api.ProtocolType {
	case model.ProtocolHTTP:
		switch api.RouteSelectionExpression {
		case "":
			api.RouteSelectionExpression = model.DefaultHTTPRouteSelectionExpression
		case model.DefaultHTTPRouteSelectionExpression, "${request.method} ${request.path}":
		default:
			return awserr.BadRequest("Unsupported route selection expression for HTTP APIs: %s. Supported value is $request.method $request.path", api.RouteSelectionExpression)
		}
	case model.ProtocolWebSocket:
		if api.RouteSelectionExpression == "" {
			return awserr.BadRequest("Route selection expression is required for WebSocket APIs")
		}
		if !selectionExpressionRE.MatchString(api.RouteSelectionExpression) {
			return awserr.BadRequest("Invalid route selection expression specified: %s", api.RouteSelectionExpression)
		}
		if api.CorsConfiguration != nil {
			return awserr.BadRequest("CORS configuration is supported only for HTTP APIs")
		}
	}
	switch api.ApiKeySelectionExpression {
	case "":
		api.ApiKeySelectionExpression = model.DefaultAPIKeySelectionExpression
	case model.DefaultAPIKeySelectionExpression, "$context.authorizer.usageIdentifierKey":
	default:
		return awserr.BadRequest("Invalid API key selection expression specified: %s. Supported values are $request.header.x-api-key and $context.authorizer.usageIdentifierKey", api.ApiKeySelectionExpression)
	}
	if api.Description != nil && len(*api.Description) > 1024 {
		return awserr.BadRequest("Description must be at most 1024 characters")
	}
	if c := api.CorsConfiguration; c != nil {
		for _, o := range c.AllowOrigins {
			if o != "*" && !validOrigin(o) {
				return awserr.BadRequest("Invalid CORS origin specified: %s", o)
			}
		}
		for _, m := range c.AllowMethods {
			if m != "*" && !httpMethods[strings.ToUpper(m)] {
				return awserr.BadRequest("Invalid CORS method specified: %s", m)
			}
		}
		if c.AllowCredentials != nil && *c.AllowCredentials {
			for _, o := range c.AllowOrigins {
				if o == "*" {
					return awserr.BadRequest("allowCredentials cannot be true when allowOrigins contains *")
				}
			}
		}
	}
	return nil
}

var selectionExpressionRE = regexp.MustCompile(`^\$(request|context)\.[A-Za-z0-9_.\-]+$|^\$\{(request|context)\.[A-Za-z0-9_.\-]+\}$`)

func validOrigin(o string) bool {
	u, err := url.Parse(o)
	return err == nil && u.Scheme != "" && u.Host != "" && (u.Path == "" || u.Path == "/")
}

var httpMethods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true}

// validateRouteKey checks route-key syntax for the API's protocol
// [DG:http-api-develop-routes]: "$default" or "METHOD /path" where METHOD is ANY
// or an HTTP method and the path may hold {name} segments and one greedy
// {name+} as the last segment.
func validateRouteKey(api *model.Api, key string) error {
	if key == "" {
		return awserr.BadRequest("Route key must not be empty")
	}
	if api.ProtocolType == model.ProtocolWebSocket {
		if len(key) > 128 {
			return awserr.BadRequest("Route key must be at most 128 characters")
		}
		return nil
	}
	if key == "$default" {
		return nil
	}
	bad := awserr.BadRequest("Unable to create route %s. A valid route key is $default or \"{METHOD} {path}\", for example \"GET /pets/{petId}\"", key)
	method, path, ok := strings.Cut(key, " ")
	if !ok || (method != "ANY" && !httpMethods[method]) || !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \t\r\n?#") {
		return bad
	}
	if path == "/" {
		return nil
	}
	segs := strings.Split(path[1:], "/")
	seen := map[string]bool{}
	for i, seg := range segs {
		if seg == "" {
			if i == len(segs)-1 {
				return awserr.BadRequest("Unable to create route %s. The path must not end with '/'", key)
			}
			return bad
		}
		if strings.ContainsAny(seg, "{}") {
			if len(seg) < 3 || seg[0] != '{' || seg[len(seg)-1] != '}' || strings.ContainsAny(seg[1:len(seg)-1], "{}") {
				return awserr.BadRequest("Unable to create route %s. A path variable must fill its whole segment, like {id}", key)
			}
			name := seg[1 : len(seg)-1]
			if strings.HasSuffix(name, "+") {
				if i != len(segs)-1 {
					return awserr.BadRequest("Unable to create route %s. A greedy path variable {%s} must be the last segment of the path", key, name)
				}
				name = strings.TrimSuffix(name, "+")
			}
			if !paramNameRE.MatchString(name) {
				return awserr.BadRequest("Unable to create route %s. Invalid path variable name {%s}", key, name)
			}
			if seen[name] {
				return awserr.BadRequest("Unable to create route %s. Path variable {%s} appears more than once", key, name)
			}
			seen[name] = true
		}
	}
	return nil
}

var paramNameRE = regexp.MustCompile(`^[A-Za-z0-9._\-]+$`)

var headerNameRE = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

// validateHTTPRequestParameters checks HTTP API request parameter mapping keys
// (append|overwrite|remove:header|querystring.NAME, overwrite:path) and values.
func validateHTTPRequestParameters(params map[string]string) error {
	for k := range params {
		action, target, ok := strings.Cut(k, ":")
		if !ok || (action != "append" && action != "overwrite" && action != "remove") {
			return awserr.BadRequest("Invalid mapping expression specified: Validation Result: warnings : [], errors : [Parameter mapping key %s is invalid. Use append|overwrite|remove:header|querystring.name or overwrite:path]", k)
		}
		switch {
		case target == "path":
			if action != "overwrite" {
				return awserr.BadRequest("Invalid mapping expression specified: only overwrite:path is supported, got %s", k)
			}
		case strings.HasPrefix(target, "header."):
			name := strings.TrimPrefix(target, "header.")
			if !headerNameRE.MatchString(name) {
				return awserr.BadRequest("Invalid mapping expression specified: invalid header name in %s", k)
			}
			if mapping.ReservedHeader(name) {
				return awserr.BadRequest("Invalid mapping expression specified: Validation Result: warnings : [], errors : [Operations on header %s are restricted]", name)
			}
		case strings.HasPrefix(target, "querystring."):
			if strings.TrimPrefix(target, "querystring.") == "" {
				return awserr.BadRequest("Invalid mapping expression specified: missing query string name in %s", k)
			}
		default:
			return awserr.BadRequest("Invalid mapping expression specified: Parameter mapping key %s is invalid", k)
		}
	}
	if _, err := mapping.CompileRequest(params); err != nil {
		return mappingError(err)
	}
	return nil
}

// validateHTTPResponseParameters checks responseParameters: status code keys
// 200-599 mapping to append|overwrite|remove:header.NAME or overwrite:statuscode.
func validateHTTPResponseParameters(params map[string]map[string]string) error {
	for code, m := range params {
		n, err := strconv.Atoi(code)
		if err != nil || n < 200 || n > 599 {
			return awserr.BadRequest("Invalid response parameters status code %s: must be an HTTP status code between 200 and 599", code)
		}
		for k, v := range m {
			action, target, ok := strings.Cut(k, ":")
			if !ok || (action != "append" && action != "overwrite" && action != "remove") {
				return awserr.BadRequest("Invalid mapping expression specified: response parameter key %s is invalid. Use append|overwrite|remove:header.name or overwrite:statuscode", k)
			}
			switch {
			case target == "statuscode":
				if action != "overwrite" {
					return awserr.BadRequest("Invalid mapping expression specified: only overwrite:statuscode is supported, got %s", k)
				}
				if n, err := strconv.Atoi(v); err == nil && (n < 100 || n > 599) {
					return awserr.BadRequest("Invalid mapping expression specified: status code %s is out of range", v)
				}
			case strings.HasPrefix(target, "header."):
				name := strings.TrimPrefix(target, "header.")
				if !headerNameRE.MatchString(name) {
					return awserr.BadRequest("Invalid mapping expression specified: invalid header name in %s", k)
				}
				if mapping.ReservedHeader(name) {
					return awserr.BadRequest("Invalid mapping expression specified: Validation Result: warnings : [], errors : [Operations on header %s are restricted]", name)
				}
			default:
				return awserr.BadRequest("Invalid mapping expression specified: response parameter key %s is invalid", k)
			}
		}
	}
	if _, err := mapping.CompileResponse(params); err != nil {
		return mappingError(err)
	}
	return nil
}

// mappingError reports a mapping the data plane cannot compile, in AWS's words.
func mappingError(err error) error {
	return awserr.BadRequest("Invalid mapping expression specified: Validation Result: warnings : [], errors : [%s]", err.Error())
}

// stage names: $default or [A-Za-z0-9_-]{1,128}.
var stageNameRE = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,128}$`)

var (
	stageVarNameRE  = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
	stageVarValueRE = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#&=,]{1,512}$`)
)

func validateStageVariables(vars map[string]string) error {
	if len(vars) > 100 {
		return awserr.BadRequest("A stage can have at most 100 stage variables")
	}
	for k, v := range vars {
		if !stageVarNameRE.MatchString(k) {
			return awserr.BadRequest("Stage variable name %s is invalid: use 1-64 characters from [A-Za-z0-9_]", k)
		}
		if !stageVarValueRE.MatchString(v) {
			return awserr.BadRequest("Stage variable value %s is invalid: use 1-512 characters from [A-Za-z0-9-._~:/?#&=,]", v)
		}
	}
	return nil
}

// tagsValid applies AWS's tag rules: at most 50 tags, keys 1-128 characters
// not starting with "aws:", values at most 256 characters.
func tagsValid(tags map[string]string) error {
	if len(tags) > 50 {
		return awserr.BadRequest("A resource can have at most 50 tags")
	}
	for k, v := range tags {
		if k == "" || len(k) > 128 {
			return awserr.BadRequest("Tag key %q is invalid: keys must be 1-128 characters", k)
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return awserr.BadRequest("Tag keys starting with 'aws:' are reserved")
		}
		if len(v) > 256 {
			return awserr.BadRequest("Tag value for key %q is too long: values must be at most 256 characters", k)
		}
	}
	return nil
}
