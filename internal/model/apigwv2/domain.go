package apigwv2

import "time"

// DomainName is a custom domain name.
type DomainName struct {
	ApiMappingSelectionExpression string                    `json:"apiMappingSelectionExpression,omitempty"`
	DomainName                    string                    `json:"domainName"`
	DomainNameArn                 string                    `json:"domainNameArn,omitempty"`
	DomainNameConfigurations      []DomainNameConfiguration `json:"domainNameConfigurations"`
	MutualTlsAuthentication       *MutualTlsAuthentication  `json:"mutualTlsAuthentication,omitempty"`
	RoutingMode                   string                    `json:"routingMode,omitempty"`
	Tags                          Tags                      `json:"tags"`
}

// DomainNameConfiguration is one endpoint configuration of a domain name.
type DomainNameConfiguration struct {
	ApiGatewayDomainName                *string    `json:"apiGatewayDomainName,omitempty"`
	CertificateArn                      *string    `json:"certificateArn,omitempty"`
	CertificateName                     *string    `json:"certificateName,omitempty"`
	CertificateUploadDate               *time.Time `json:"certificateUploadDate,omitempty"`
	DomainNameStatus                    *string    `json:"domainNameStatus,omitempty"`
	DomainNameStatusMessage             *string    `json:"domainNameStatusMessage,omitempty"`
	EndpointType                        *string    `json:"endpointType,omitempty"`
	HostedZoneId                        *string    `json:"hostedZoneId,omitempty"`
	IpAddressType                       *string    `json:"ipAddressType,omitempty"`
	SecurityPolicy                      *string    `json:"securityPolicy,omitempty"`
	OwnershipVerificationCertificateArn *string    `json:"ownershipVerificationCertificateArn,omitempty"`
}

// MutualTlsAuthentication configures mTLS on a domain name.
type MutualTlsAuthentication struct {
	TruststoreUri      *string  `json:"truststoreUri,omitempty"`
	TruststoreVersion  *string  `json:"truststoreVersion,omitempty"`
	TruststoreWarnings []string `json:"truststoreWarnings,omitempty"`
}

// ApiMapping maps a domain name's base path to an API stage.
type ApiMapping struct {
	ApiId         string `json:"apiId"`
	ApiMappingId  string `json:"apiMappingId"`
	ApiMappingKey string `json:"apiMappingKey"`
	Stage         string `json:"stage"`
}

// VpcLink is a VPC link for private integrations.
type VpcLink struct {
	CreatedDate          time.Time `json:"createdDate,omitzero"`
	Name                 string    `json:"name"`
	SecurityGroupIds     []string  `json:"securityGroupIds"`
	SubnetIds            []string  `json:"subnetIds"`
	Tags                 Tags      `json:"tags"`
	VpcLinkId            string    `json:"vpcLinkId"`
	VpcLinkStatus        string    `json:"vpcLinkStatus,omitempty"`
	VpcLinkStatusMessage *string   `json:"vpcLinkStatusMessage,omitempty"`
	VpcLinkVersion       string    `json:"vpcLinkVersion,omitempty"`
}
