package apigwv2

import "time"

// Stage is a named reference to a deployment.
type Stage struct {
	AccessLogSettings           *AccessLogSettings       `json:"accessLogSettings,omitempty"`
	ApiGatewayManaged           bool                     `json:"apiGatewayManaged,omitempty"`
	AutoDeploy                  bool                     `json:"autoDeploy,omitempty"`
	ClientCertificateId         *string                  `json:"clientCertificateId,omitempty"`
	CreatedDate                 time.Time                `json:"createdDate,omitzero"`
	DefaultRouteSettings        *RouteSettings           `json:"defaultRouteSettings,omitempty"`
	DeploymentId                *string                  `json:"deploymentId,omitempty"`
	Description                 *string                  `json:"description,omitempty"`
	LastDeploymentStatusMessage *string                  `json:"lastDeploymentStatusMessage,omitempty"`
	LastUpdatedDate             time.Time                `json:"lastUpdatedDate,omitzero"`
	RouteSettings               map[string]RouteSettings `json:"routeSettings"`
	StageName                   string                   `json:"stageName"`
	StageVariables              map[string]string        `json:"stageVariables"`
	Tags                        Tags                     `json:"tags"`
}

// AccessLogSettings configures a stage's access log.
type AccessLogSettings struct {
	DestinationArn *string `json:"destinationArn,omitempty"`
	Format         *string `json:"format,omitempty"`
}

// RouteSettings are per-route (or stage default) settings, throttling included.
type RouteSettings struct {
	DataTraceEnabled       *bool    `json:"dataTraceEnabled,omitempty"`
	DetailedMetricsEnabled *bool    `json:"detailedMetricsEnabled,omitempty"`
	LoggingLevel           *string  `json:"loggingLevel,omitempty"`
	ThrottlingBurstLimit   *int     `json:"throttlingBurstLimit,omitempty"`
	ThrottlingRateLimit    *float64 `json:"throttlingRateLimit,omitempty"`
}

// Deployment is an immutable snapshot of an API's configuration.
type Deployment struct {
	AutoDeployed            bool      `json:"autoDeployed"`
	CreatedDate             time.Time `json:"createdDate,omitzero"`
	DeploymentId            string    `json:"deploymentId"`
	DeploymentStatus        string    `json:"deploymentStatus"`
	DeploymentStatusMessage *string   `json:"deploymentStatusMessage,omitempty"`
	Description             *string   `json:"description,omitempty"`
}

// Deployment statuses.
const (
	DeploymentPending  = "PENDING"
	DeploymentFailed   = "FAILED"
	DeploymentDeployed = "DEPLOYED"
)
