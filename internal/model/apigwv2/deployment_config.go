package apigwv2

// DeploymentConfig is the API configuration a deployment captured: the data
// plane serves deployments, never the working configuration, so later changes
// take effect only when they are deployed.
type DeploymentConfig struct {
	Api                  Api                              `json:"api"`
	Routes               []Route                          `json:"routes"`
	RouteResponses       map[string][]RouteResponse       `json:"routeResponses,omitempty"` // by routeId
	Integrations         []Integration                    `json:"integrations"`
	IntegrationResponses map[string][]IntegrationResponse `json:"integrationResponses,omitempty"` // by integrationId
	Authorizers          []Authorizer                     `json:"authorizers,omitempty"`
	Models               []Model                          `json:"models,omitempty"`
}
