package apigwv2

// Integration types.
const (
	IntegrationAWS       = "AWS"
	IntegrationHTTP      = "HTTP"
	IntegrationMock      = "MOCK"
	IntegrationHTTPProxy = "HTTP_PROXY"
	IntegrationAWSProxy  = "AWS_PROXY"
)

// Connection types.
const (
	ConnectionInternet = "INTERNET"
	ConnectionVPCLink  = "VPC_LINK"
)

// Integration timeouts in milliseconds [DG:http-api-quotas, DG:limits].
const (
	MinTimeoutMillis          = 50
	MaxHTTPTimeoutMillis      = 30000
	MaxWebSocketTimeoutMillis = 29000
)

// Integration connects a route to a backend.
type Integration struct {
	ApiGatewayManaged                      bool                         `json:"apiGatewayManaged,omitempty"`
	ConnectionId                           *string                      `json:"connectionId,omitempty"`
	ConnectionType                         string                       `json:"connectionType,omitempty"`
	ContentHandlingStrategy                *string                      `json:"contentHandlingStrategy,omitempty"`
	CredentialsArn                         *string                      `json:"credentialsArn,omitempty"`
	Description                            *string                      `json:"description,omitempty"`
	IntegrationId                          string                       `json:"integrationId"`
	IntegrationMethod                      *string                      `json:"integrationMethod,omitempty"`
	IntegrationResponseSelectionExpression *string                      `json:"integrationResponseSelectionExpression,omitempty"`
	IntegrationSubtype                     *string                      `json:"integrationSubtype,omitempty"`
	IntegrationType                        string                       `json:"integrationType"`
	IntegrationUri                         *string                      `json:"integrationUri,omitempty"`
	PassthroughBehavior                    *string                      `json:"passthroughBehavior,omitempty"`
	PayloadFormatVersion                   *string                      `json:"payloadFormatVersion,omitempty"`
	RequestParameters                      map[string]string            `json:"requestParameters,omitempty"`
	RequestTemplates                       map[string]string            `json:"requestTemplates,omitempty"`
	ResponseParameters                     map[string]map[string]string `json:"responseParameters,omitempty"`
	TemplateSelectionExpression            *string                      `json:"templateSelectionExpression,omitempty"`
	TimeoutInMillis                        int                          `json:"timeoutInMillis,omitempty"`
	TlsConfig                              *TlsConfig                   `json:"tlsConfig,omitempty"`
}

// TlsConfig configures TLS to a private integration's backend.
type TlsConfig struct {
	ServerNameToVerify *string `json:"serverNameToVerify,omitempty"`
}

// IntegrationResponse is a WebSocket integration response.
type IntegrationResponse struct {
	ContentHandlingStrategy     *string           `json:"contentHandlingStrategy,omitempty"`
	IntegrationResponseId       string            `json:"integrationResponseId"`
	IntegrationResponseKey      string            `json:"integrationResponseKey"`
	ResponseParameters          map[string]string `json:"responseParameters,omitempty"`
	ResponseTemplates           map[string]string `json:"responseTemplates,omitempty"`
	TemplateSelectionExpression *string           `json:"templateSelectionExpression,omitempty"`
}
