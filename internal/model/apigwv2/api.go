package apigwv2

import "time"

// Protocol types.
const (
	ProtocolHTTP      = "HTTP"
	ProtocolWebSocket = "WEBSOCKET"
)

// Defaults AWS echoes on CreateApi.
const (
	DefaultHTTPRouteSelectionExpression = "$request.method $request.path"
	DefaultAPIKeySelectionExpression    = "$request.header.x-api-key"
)

// Api is an HTTP or WebSocket API.
type Api struct {
	ApiEndpoint               string    `json:"apiEndpoint,omitempty"`
	ApiGatewayManaged         bool      `json:"apiGatewayManaged,omitempty"`
	ApiId                     string    `json:"apiId"`
	ApiKeySelectionExpression string    `json:"apiKeySelectionExpression,omitempty"`
	CorsConfiguration         *Cors     `json:"corsConfiguration,omitempty"`
	CreatedDate               time.Time `json:"createdDate,omitzero"`
	Description               *string   `json:"description,omitempty"`
	DisableSchemaValidation   *bool     `json:"disableSchemaValidation,omitempty"`
	DisableExecuteApiEndpoint bool      `json:"disableExecuteApiEndpoint"`
	ImportInfo                []string  `json:"importInfo,omitempty"`
	IpAddressType             string    `json:"ipAddressType,omitempty"`
	Name                      string    `json:"name"`
	ProtocolType              string    `json:"protocolType"`
	RouteSelectionExpression  string    `json:"routeSelectionExpression,omitempty"`
	Tags                      Tags      `json:"tags"`
	Version                   *string   `json:"version,omitempty"`
	Warnings                  []string  `json:"warnings,omitempty"`
}

// Cors is an HTTP API's CORS configuration.
type Cors struct {
	AllowCredentials *bool    `json:"allowCredentials,omitempty"`
	AllowHeaders     []string `json:"allowHeaders,omitempty"`
	AllowMethods     []string `json:"allowMethods,omitempty"`
	AllowOrigins     []string `json:"allowOrigins,omitempty"`
	ExposeHeaders    []string `json:"exposeHeaders,omitempty"`
	MaxAge           *int     `json:"maxAge,omitempty"`
}

// Tags are resource tags. AWS always returns the map, empty or not.
type Tags map[string]string

// QuickCreate holds CreateApi's create-only inputs (target, routeKey,
// credentialsArn) that make API Gateway create a managed integration, route and
// $default stage.
type QuickCreate struct {
	CredentialsArn *string `json:"credentialsArn,omitempty"`
	RouteKey       *string `json:"routeKey,omitempty"`
	Target         *string `json:"target,omitempty"`
}
