// Package deploy is the compile boundary between the control plane and the data
// plane: it turns a deployment (model.DeploymentConfig) and a stage's settings
// into an immutable Stage in which routes are indexed, integration URIs and
// mapping expressions parsed, CORS and throttling prepared. The data plane only
// ever reads compiled values.
package deploy

import (
	"github.com/gatehouse-dev/gatehouse/internal/accesslog"
	"github.com/gatehouse-dev/gatehouse/internal/cors"
	"github.com/gatehouse-dev/gatehouse/internal/integration"
	"github.com/gatehouse-dev/gatehouse/internal/router"
	"github.com/gatehouse-dev/gatehouse/internal/throttle"
)

// API is an API's serving state: its stages that have a deployment.
type API struct {
	Region   string
	ID       string
	Protocol string
	// DisableExecuteAPIEndpoint turns off the default endpoint; custom domains still work.
	DisableExecuteAPIEndpoint bool
	Stages                    map[string]*Stage
}

// Stage is a deployed stage.
type Stage struct {
	Name         string
	DeploymentID string
	Variables    map[string]string
	Router       *router.Router[*Route]
	// CORS is nil when the deployed API has no corsConfiguration.
	CORS     *cors.Policy
	Throttle *throttle.Stage
	// AccessLog is nil when access logging is off.
	AccessLog *AccessLog
}

// AccessLog is a stage's compiled access log settings.
type AccessLog struct {
	Format *accesslog.Format
	Sink   *accesslog.Sink
}

// Route is a compiled route.
type Route struct {
	Key               string
	AuthorizationType string
	// Integration is nil for a route without a target.
	Integration integration.Integration
}
