// Package targets resolves private (VPC_LINK) integrations to local services through a targets file.
//
// On AWS a private integration names, in its integrationUri, an Application or Network Load Balancer
// listener ARN or a Cloud Map service ARN, and "API Gateway distributes requests across healthy
// resources" behind it [DG:http-api-develop-integrations-private]. Gatehouse has no VPC; the user maps
// each ARN to base URLs with --targets FILE:
//
//	{
//	  "targets": {
//	    "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/my-alb/50dc6c495c0c9188/0467ef3c8400ae65":
//	      ["http://127.0.0.1:8081", "http://127.0.0.1:8082"],
//	    "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abc123":
//	      ["https://localhost:9443/base"]
//	  }
//	}
//
// The file is JSON (standard library, strict: unknown fields, duplicate ARNs and trailing data are
// errors). Keys are ELB listener ARNs ("arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:listener/...")
// or Cloud Map service ARNs ("arn:PARTITION:servicediscovery:REGION:ACCOUNT:service/..."), matched
// exactly; no wildcards. A Cloud Map integrationUri may carry DiscoverInstances query parameters
// ("...service/srv-id?stage=prod&deployment=green"): a key with the same query wins, else the bare ARN.
// Values are non-empty lists of absolute http or https URLs with a host and no user info, query or
// fragment; a path is a prefix for the forwarded request path. Listing a URL twice gives it twice the
// share of requests. Note that AWS sends the stage name in the path to private integrations ("a
// request to the test stage ... includes test/route-path"); that is the proxy's business, not this
// package's.
//
// Each ARN gets a [Balancer]: round-robin over healthy targets, with passive health checks fed by
// [Target.Report]. There is no active probing. See [Balancer.Pick] and [Target.Report] for the rules,
// and [Options] for the knobs and the injected clock.
package targets
