package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
)

// TestAWSCLI drives gatehouse with the real AWS CLI: the usual create flow,
// auto-pagination with --max-items/--starting-token, errors and exit codes,
// tags by ARN and region isolation.
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	g := startGatehouse(t, Options{})

	t.Run("CreateFlow", func(t *testing.T) {
		var api struct{ ApiId, ProtocolType, Name, ApiEndpoint string }
		mustAWS(t, g, "apigatewayv2", "create-api", "--name", "cli-flow", "--protocol-type", "HTTP").JSON(t, &api)
		if api.ApiId == "" || api.ProtocolType != "HTTP" || api.Name != "cli-flow" {
			t.Fatalf("create-api: %+v", api)
		}
		var integ struct {
			IntegrationId, IntegrationType, IntegrationUri, IntegrationMethod, PayloadFormatVersion, ConnectionType string
			TimeoutInMillis                                                                                         int
		}
		mustAWS(t, g, "apigatewayv2", "create-integration", "--api-id", api.ApiId,
			"--integration-type", "HTTP_PROXY", "--integration-uri", "https://backend.example.com/{proxy}",
			"--integration-method", "ANY", "--payload-format-version", "1.0").JSON(t, &integ)
		if integ.IntegrationId == "" || integ.IntegrationType != "HTTP_PROXY" || integ.IntegrationMethod != "ANY" ||
			integ.PayloadFormatVersion != "1.0" || integ.ConnectionType != "INTERNET" || integ.TimeoutInMillis != 30000 {
			t.Fatalf("create-integration: %+v", integ)
		}
		var route struct{ RouteId, RouteKey, Target, AuthorizationType string }
		mustAWS(t, g, "apigatewayv2", "create-route", "--api-id", api.ApiId,
			"--route-key", "GET /pets/{id}", "--target", "integrations/"+integ.IntegrationId).JSON(t, &route)
		if route.RouteId == "" || route.RouteKey != "GET /pets/{id}" || route.Target != "integrations/"+integ.IntegrationId || route.AuthorizationType != "NONE" {
			t.Fatalf("create-route: %+v", route)
		}
		var stage struct{ StageName string }
		mustAWS(t, g, "apigatewayv2", "create-stage", "--api-id", api.ApiId, "--stage-name", "dev").JSON(t, &stage)
		if stage.StageName != "dev" {
			t.Fatalf("create-stage: %+v", stage)
		}
		var dep struct{ DeploymentId, DeploymentStatus string }
		mustAWS(t, g, "apigatewayv2", "create-deployment", "--api-id", api.ApiId, "--stage-name", "dev",
			"--description", "first").JSON(t, &dep)
		if dep.DeploymentId == "" || dep.DeploymentStatus != "DEPLOYED" {
			t.Fatalf("create-deployment: %+v", dep)
		}
		var got struct{ StageName, DeploymentId string }
		mustAWS(t, g, "apigatewayv2", "get-stage", "--api-id", api.ApiId, "--stage-name", "dev").JSON(t, &got)
		if got.DeploymentId != dep.DeploymentId {
			t.Fatalf("get-stage after create-deployment --stage-name dev: DeploymentId %q, want %q", got.DeploymentId, dep.DeploymentId)
		}
		var routes struct{ Items []struct{ RouteKey string } }
		mustAWS(t, g, "apigatewayv2", "get-routes", "--api-id", api.ApiId).JSON(t, &routes)
		if len(routes.Items) != 1 || routes.Items[0].RouteKey != "GET /pets/{id}" {
			t.Fatalf("get-routes: %+v", routes)
		}
	})

	t.Run("GetIntegrationsAutoPagination", func(t *testing.T) {
		var api struct{ ApiId string }
		mustAWS(t, g, "apigatewayv2", "create-api", "--name", "cli-bulk", "--protocol-type", "HTTP",
			"--tags", "_custom_id_=cli-bulk-api").JSON(t, &api)
		if api.ApiId != "cli-bulk-api" {
			t.Fatalf("create-api with tag _custom_id_=cli-bulk-api: ApiId %q", api.ApiId)
		}
		const n = 120
		want := createIntegrations(t, g, api.ApiId, n)

		// The CLI follows NextToken itself: 120 items over the default page size (100).
		for _, extra := range [][]string{nil, {"--page-size", "7"}, {"--page-size", "500"}} {
			// JSON output: the CLI merges the pages, then applies --query once
			// (text output would apply it to each page).
			args := append([]string{"apigatewayv2", "get-integrations", "--api-id", api.ApiId,
				"--query", "length(Items)"}, extra...)
			if got := strings.TrimSpace(mustAWS(t, g, args...).Stdout); got != fmt.Sprint(n) {
				t.Errorf("get-integrations %v --query length(Items): %q, want %d", extra, got, n)
			}
		}
		var all struct {
			Items []struct{ IntegrationId string }
		}
		mustAWS(t, g, "apigatewayv2", "get-integrations", "--api-id", api.ApiId).JSON(t, &all)
		if ids := integrationIDs(all.Items); !equalStrings(sorted(ids), sorted(want)) {
			t.Fatalf("get-integrations returned %d ids, want the %d created", len(ids), len(want))
		}

		var first struct {
			Items     []struct{ IntegrationId string }
			NextToken string
		}
		mustAWS(t, g, "apigatewayv2", "get-integrations", "--api-id", api.ApiId, "--max-items", "50").JSON(t, &first)
		if len(first.Items) != 50 || first.NextToken == "" {
			t.Fatalf("--max-items 50: %d items, NextToken %q", len(first.Items), first.NextToken)
		}
		var rest struct {
			Items     []struct{ IntegrationId string }
			NextToken string
		}
		mustAWS(t, g, "apigatewayv2", "get-integrations", "--api-id", api.ApiId,
			"--starting-token", first.NextToken).JSON(t, &rest)
		if len(rest.Items) != n-50 || rest.NextToken != "" {
			t.Fatalf("--starting-token: %d items (want %d), NextToken %q", len(rest.Items), n-50, rest.NextToken)
		}
		union := append(integrationIDs(first.Items), integrationIDs(rest.Items)...)
		if !equalStrings(union, integrationIDs(all.Items)) {
			t.Fatalf("--max-items 50 + --starting-token is not the full listing in order")
		}
		if !equalStrings(sorted(union), sorted(want)) {
			t.Fatalf("--max-items 50 + --starting-token: ids differ from those created")
		}
	})

	t.Run("GetApiUnknown", func(t *testing.T) {
		r := runAWS(t, g, "apigatewayv2", "get-api", "--api-id", "nosuchapi1")
		if r.Code != 254 && r.Code != 255 {
			t.Errorf("get-api unknown: exit %d, want 254 (CLI v2) or 255 (CLI v1)", r.Code)
		}
		for _, s := range []string{"NotFoundException", "GetApi", "Invalid API identifier specified 000000000000:nosuchapi1"} {
			if !strings.Contains(r.Stderr, s) {
				t.Errorf("get-api unknown: stderr lacks %q:\n%s", s, r.Stderr)
			}
		}
		if strings.TrimSpace(r.Stdout) != "" {
			t.Errorf("get-api unknown: unexpected stdout %q", r.Stdout)
		}
	})

	t.Run("DeleteApi", func(t *testing.T) {
		var api struct{ ApiId string }
		mustAWS(t, g, "apigatewayv2", "create-api", "--name", "cli-delete", "--protocol-type", "WEBSOCKET",
			"--route-selection-expression", "$request.body.action").JSON(t, &api)
		mustAWS(t, g, "apigatewayv2", "get-api", "--api-id", api.ApiId)
		if r := mustAWS(t, g, "apigatewayv2", "delete-api", "--api-id", api.ApiId); strings.TrimSpace(r.Stdout) != "" {
			t.Errorf("delete-api printed %q", r.Stdout)
		}
		r := runAWS(t, g, "apigatewayv2", "get-api", "--api-id", api.ApiId)
		if r.Code == 0 || !strings.Contains(r.Stderr, "NotFoundException") ||
			!strings.Contains(r.Stderr, "Invalid API identifier specified 000000000000:"+api.ApiId) {
			t.Errorf("get-api after delete-api: exit %d\nstderr: %s", r.Code, r.Stderr)
		}
		if r := g.call(t, http.MethodGet, "/v2/apis/"+api.ApiId, nil); r.Status != http.StatusNotFound {
			t.Errorf("GET /v2/apis/%s after delete: %d", api.ApiId, r.Status)
		}
		r = runAWS(t, g, "apigatewayv2", "delete-api", "--api-id", api.ApiId)
		if r.Code == 0 || !strings.Contains(r.Stderr, "NotFoundException") {
			t.Errorf("second delete-api: exit %d\nstderr: %s", r.Code, r.Stderr)
		}
	})

	t.Run("Tags", func(t *testing.T) {
		var api struct {
			ApiId string
			Tags  map[string]string
		}
		mustAWS(t, g, "apigatewayv2", "create-api", "--name", "cli-tags", "--protocol-type", "HTTP",
			"--tags", "team=core").JSON(t, &api)
		arn := "arn:aws:apigateway:us-east-1::/apis/" + api.ApiId
		mustAWS(t, g, "apigatewayv2", "tag-resource", "--resource-arn", arn, "--tags", "env=test,owner=e2e")
		var tags struct{ Tags map[string]string }
		mustAWS(t, g, "apigatewayv2", "get-tags", "--resource-arn", arn).JSON(t, &tags)
		want := map[string]string{"team": "core", "env": "test", "owner": "e2e"}
		if !jsonEqual(tags.Tags, want) {
			t.Errorf("get-tags after tag-resource: %v, want %v", tags.Tags, want)
		}
		mustAWS(t, g, "apigatewayv2", "untag-resource", "--resource-arn", arn, "--tag-keys", "owner", "team")
		var after struct{ Tags map[string]string }
		mustAWS(t, g, "apigatewayv2", "get-tags", "--resource-arn", arn).JSON(t, &after)
		if want := map[string]string{"env": "test"}; !jsonEqual(after.Tags, want) {
			t.Errorf("get-tags after untag-resource: %v, want %v", after.Tags, want)
		}
		var got struct{ Tags map[string]string }
		mustAWS(t, g, "apigatewayv2", "get-api", "--api-id", api.ApiId).JSON(t, &got)
		if want := map[string]string{"env": "test"}; !jsonEqual(got.Tags, want) {
			t.Errorf("get-api Tags after tagging: %v, want %v", got.Tags, want)
		}
		// The same ARN in another region names nothing.
		r := runAWS(t, g, "--region", "eu-west-2", "apigatewayv2", "get-tags", "--resource-arn",
			"arn:aws:apigateway:eu-west-2::/apis/"+api.ApiId)
		if r.Code == 0 || !strings.Contains(r.Stderr, "NotFoundException") {
			t.Errorf("get-tags for the API's id in eu-west-2: exit %d\nstderr: %s", r.Code, r.Stderr)
		}
	})

	t.Run("RegionIsolation", func(t *testing.T) {
		var east struct{ Items []struct{ ApiId string } }
		mustAWS(t, g, "apigatewayv2", "get-apis").JSON(t, &east)
		if len(east.Items) == 0 {
			t.Fatal("us-east-1 has no APIs; the earlier subtests should have made some")
		}
		var west struct{ Items []struct{ ApiId string } }
		mustAWS(t, g, "--region", "eu-west-2", "apigatewayv2", "get-apis").JSON(t, &west)
		if len(west.Items) != 0 {
			t.Fatalf("eu-west-2 get-apis sees %d APIs of us-east-1", len(west.Items))
		}
		r := runAWS(t, g, "--region", "eu-west-2", "apigatewayv2", "get-api", "--api-id", east.Items[0].ApiId)
		if r.Code == 0 || !strings.Contains(r.Stderr, "NotFoundException") {
			t.Errorf("eu-west-2 get-api of a us-east-1 API: exit %d\nstderr: %s", r.Code, r.Stderr)
		}
		var api struct{ ApiId, ApiEndpoint string }
		mustAWS(t, g, "--region", "eu-west-2", "apigatewayv2", "create-api", "--name", "west", "--protocol-type", "HTTP").JSON(t, &api)
		if !strings.Contains(api.ApiEndpoint, "eu-west-2") {
			t.Errorf("eu-west-2 API endpoint %q does not name the region", api.ApiEndpoint)
		}
		mustAWS(t, g, "--region", "eu-west-2", "apigatewayv2", "get-apis").JSON(t, &west)
		if len(west.Items) != 1 || west.Items[0].ApiId != api.ApiId {
			t.Errorf("eu-west-2 get-apis: %+v, want only %s", west.Items, api.ApiId)
		}
		var east2 struct{ Items []struct{ ApiId string } }
		mustAWS(t, g, "apigatewayv2", "get-apis").JSON(t, &east2)
		for _, it := range east2.Items {
			if it.ApiId == api.ApiId {
				t.Errorf("us-east-1 get-apis lists the eu-west-2 API %s", api.ApiId)
			}
		}
		if len(east2.Items) != len(east.Items) {
			t.Errorf("us-east-1 API count changed from %d to %d after creating in eu-west-2", len(east.Items), len(east2.Items))
		}
	})
}

// createIntegrations creates n HTTP_PROXY integrations over plain HTTP (8 at
// a time) and returns their ids.
func createIntegrations(t *testing.T, g *Gatehouse, apiID string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r, err := g.request(http.MethodPost, "/v2/apis/"+apiID+"/integrations", map[string]any{
				"integrationType":      "HTTP_PROXY",
				"integrationUri":       fmt.Sprintf("https://bulk-%d.example.com", i),
				"integrationMethod":    "GET",
				"payloadFormatVersion": "1.0",
			})
			if err != nil {
				errs <- err
				return
			}
			if r.Status != http.StatusCreated {
				errs <- fmt.Errorf("create-integration %d: status %d: %s", i, r.Status, r.Body)
				return
			}
			var v struct{ IntegrationId string }
			if err := json.Unmarshal(r.Body, &v); err != nil || v.IntegrationId == "" {
				errs <- fmt.Errorf("create-integration %d: bad body %q (%v)", i, r.Body, err)
				return
			}
			ids[i] = v.IntegrationId
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return ids
}

func integrationIDs(items []struct{ IntegrationId string }) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.IntegrationId
	}
	return out
}

func sorted(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
