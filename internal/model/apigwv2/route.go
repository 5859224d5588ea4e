package apigwv2

// Route is an API route.
type Route struct {
	ApiGatewayManaged                bool                            `json:"apiGatewayManaged,omitempty"`
	ApiKeyRequired                   bool                            `json:"apiKeyRequired"`
	AuthorizationScopes              []string                        `json:"authorizationScopes,omitempty"`
	AuthorizationType                string                          `json:"authorizationType"`
	AuthorizerId                     *string                         `json:"authorizerId,omitempty"`
	ModelSelectionExpression         *string                         `json:"modelSelectionExpression,omitempty"`
	OperationName                    *string                         `json:"operationName,omitempty"`
	RequestModels                    map[string]string               `json:"requestModels,omitempty"`
	RequestParameters                map[string]ParameterConstraints `json:"requestParameters,omitempty"`
	RouteId                          string                          `json:"routeId"`
	RouteKey                         string                          `json:"routeKey"`
	RouteResponseSelectionExpression *string                         `json:"routeResponseSelectionExpression,omitempty"`
	Target                           *string                         `json:"target,omitempty"`
}

// ParameterConstraints says whether a route request parameter is required.
type ParameterConstraints struct {
	Required bool `json:"required"`
}

// RouteResponse is a WebSocket route response.
type RouteResponse struct {
	ModelSelectionExpression *string                         `json:"modelSelectionExpression,omitempty"`
	ResponseModels           map[string]string               `json:"responseModels,omitempty"`
	ResponseParameters       map[string]ParameterConstraints `json:"responseParameters,omitempty"`
	RouteResponseId          string                          `json:"routeResponseId"`
	RouteResponseKey         string                          `json:"routeResponseKey"`
}
