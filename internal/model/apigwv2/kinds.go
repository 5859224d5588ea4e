package apigwv2

// Store collections of the V2 resources. The control plane writes them and the
// data plane reads them; both name them through these constants.
const (
	KindAPI                 = "v2.api"
	KindRoute               = "v2.route"
	KindRouteResponse       = "v2.routeresponse"
	KindIntegration         = "v2.integration"
	KindIntegrationResponse = "v2.integrationresponse"
	KindStage               = "v2.stage"
	KindDeployment          = "v2.deployment"
	KindDeploymentConfig    = "v2.deploymentconfig"
	KindAuthorizer          = "v2.authorizer"
	KindModel               = "v2.model"
	KindDomainName          = "v2.domainname"
	KindAPIMapping          = "v2.apimapping"
	KindVpcLink             = "v2.vpclink"
)
