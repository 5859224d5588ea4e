package apigwv2

// Authorizer is a JWT or Lambda (REQUEST) authorizer.
type Authorizer struct {
	AuthorizerCredentialsArn       *string           `json:"authorizerCredentialsArn,omitempty"`
	AuthorizerId                   string            `json:"authorizerId"`
	AuthorizerPayloadFormatVersion *string           `json:"authorizerPayloadFormatVersion,omitempty"`
	AuthorizerResultTtlInSeconds   *int              `json:"authorizerResultTtlInSeconds,omitempty"`
	AuthorizerType                 string            `json:"authorizerType"`
	AuthorizerUri                  *string           `json:"authorizerUri,omitempty"`
	EnableSimpleResponses          *bool             `json:"enableSimpleResponses,omitempty"`
	IdentitySource                 []string          `json:"identitySource,omitempty"`
	IdentityValidationExpression   *string           `json:"identityValidationExpression,omitempty"`
	JwtConfiguration               *JWTConfiguration `json:"jwtConfiguration,omitempty"`
	Name                           string            `json:"name"`
}

// JWTConfiguration configures a JWT authorizer.
type JWTConfiguration struct {
	Audience []string `json:"audience,omitempty"`
	Issuer   *string  `json:"issuer,omitempty"`
}

// Model is a JSON schema attached to an API.
type Model struct {
	ContentType *string `json:"contentType,omitempty"`
	Description *string `json:"description,omitempty"`
	ModelId     string  `json:"modelId"`
	Name        string  `json:"name"`
	Schema      *string `json:"schema,omitempty"`
}
