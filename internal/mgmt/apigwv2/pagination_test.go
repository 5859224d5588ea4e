package apigwv2_test

// aws-sdk-go-v2/service/apigatewayv2 v1.44.0 generates no paginator for the
// classic v2 list operations (their maxResults is a string in the model; the
// only generated paginator is NewListRoutingRulesPaginator), so these tests
// page by hand, exactly as such a paginator would: follow NextToken until it is
// absent.

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// pageFn fetches one page and returns the ids on it and the next token.
type pageFn func(ctx context.Context, maxResults, nextToken *string) ([]string, *string, error)

type collection struct {
	name string
	// setup creates the collection's items and returns their ids and a page function.
	setup func(e *env) (want []string, page pageFn)
}

const pageItems = 7

func collections() []collection {
	ids := func(n int, mk func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = mk(i)
		}
		return out
	}
	return []collection{
		{"GetApis", func(e *env) ([]string, pageFn) {
			want := ids(pageItems, func(i int) string { return *e.createHTTPAPI(fmt.Sprint("api", i)).ApiId })
			return want, func(ctx context.Context, max, tok *string) ([]string, *string, error) {
				out, err := e.c.GetApis(ctx, &apigatewayv2.GetApisInput{MaxResults: max, NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return pluck(out.Items, func(v types.Api) *string { return v.ApiId }), out.NextToken, nil
			}
		}},
		{"GetRoutes", func(e *env) ([]string, pageFn) {
			api := e.createHTTPAPI("routes").ApiId
			want := ids(pageItems, func(i int) string { return *e.createRoute(*api, fmt.Sprint("GET /r", i), "").RouteId })
			return want, func(ctx context.Context, max, tok *string) ([]string, *string, error) {
				out, err := e.c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: api, MaxResults: max, NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return pluck(out.Items, func(v types.Route) *string { return v.RouteId }), out.NextToken, nil
			}
		}},
		{"GetIntegrations", func(e *env) ([]string, pageFn) {
			api := e.createHTTPAPI("integrations").ApiId
			want := ids(pageItems, func(i int) string {
				return *e.createHTTPIntegration(*api, fmt.Sprint("https://example.com/", i)).IntegrationId
			})
			return want, integrationPages(e, api)
		}},
		{"GetStages", func(e *env) ([]string, pageFn) {
			api := e.createHTTPAPI("stages").ApiId
			want := ids(pageItems, func(i int) string { return *e.createStage(*api, fmt.Sprint("s", i), false).StageName })
			return want, func(ctx context.Context, max, tok *string) ([]string, *string, error) {
				out, err := e.c.GetStages(ctx, &apigatewayv2.GetStagesInput{ApiId: api, MaxResults: max, NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return pluck(out.Items, func(v types.Stage) *string { return v.StageName }), out.NextToken, nil
			}
		}},
		{"GetDeployments", func(e *env) ([]string, pageFn) {
			api := e.createHTTPAPI("deployments").ApiId
			want := ids(pageItems, func(i int) string {
				d, err := e.c.CreateDeployment(e.ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api, Description: aws.String(fmt.Sprint("d", i))})
				noErr(e.t, "CreateDeployment", err)
				return *d.DeploymentId
			})
			return want, func(ctx context.Context, max, tok *string) ([]string, *string, error) {
				out, err := e.c.GetDeployments(ctx, &apigatewayv2.GetDeploymentsInput{ApiId: api, MaxResults: max, NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return pluck(out.Items, func(v types.Deployment) *string { return v.DeploymentId }), out.NextToken, nil
			}
		}},
		{"GetAuthorizers", func(e *env) ([]string, pageFn) {
			api := e.createHTTPAPI("authorizers").ApiId
			want := ids(pageItems, func(i int) string {
				in := jwtAuthorizerInput(*api)
				in.Name = aws.String(fmt.Sprint("jwt", i))
				a, err := e.c.CreateAuthorizer(e.ctx, in)
				noErr(e.t, "CreateAuthorizer", err)
				return *a.AuthorizerId
			})
			return want, func(ctx context.Context, max, tok *string) ([]string, *string, error) {
				out, err := e.c.GetAuthorizers(ctx, &apigatewayv2.GetAuthorizersInput{ApiId: api, MaxResults: max, NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return pluck(out.Items, func(v types.Authorizer) *string { return v.AuthorizerId }), out.NextToken, nil
			}
		}},
		{"GetModels", func(e *env) ([]string, pageFn) {
			api := e.createWSAPI("models").ApiId
			want := ids(pageItems, func(i int) string {
				m, err := e.c.CreateModel(e.ctx, &apigatewayv2.CreateModelInput{ApiId: api, Name: aws.String(fmt.Sprint("M", i)), Schema: aws.String(`{"type":"object"}`)})
				noErr(e.t, "CreateModel", err)
				return *m.ModelId
			})
			return want, func(ctx context.Context, max, tok *string) ([]string, *string, error) {
				out, err := e.c.GetModels(ctx, &apigatewayv2.GetModelsInput{ApiId: api, MaxResults: max, NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return pluck(out.Items, func(v types.Model) *string { return v.ModelId }), out.NextToken, nil
			}
		}},
		{"GetRouteResponses", func(e *env) ([]string, pageFn) {
			// A route has at most one route response ($default).
			api := e.createWSAPI("routeresponses").ApiId
			route := e.createRoute(*api, "sendMessage", "").RouteId
			rr, err := e.c.CreateRouteResponse(e.ctx, &apigatewayv2.CreateRouteResponseInput{ApiId: api, RouteId: route, RouteResponseKey: aws.String("$default")})
			noErr(e.t, "CreateRouteResponse", err)
			return []string{*rr.RouteResponseId}, func(ctx context.Context, max, tok *string) ([]string, *string, error) {
				out, err := e.c.GetRouteResponses(ctx, &apigatewayv2.GetRouteResponsesInput{ApiId: api, RouteId: route, MaxResults: max, NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return pluck(out.Items, func(v types.RouteResponse) *string { return v.RouteResponseId }), out.NextToken, nil
			}
		}},
		{"GetIntegrationResponses", func(e *env) ([]string, pageFn) {
			api := e.createWSAPI("integrationresponses").ApiId
			integ, err := e.c.CreateIntegration(e.ctx, &apigatewayv2.CreateIntegrationInput{ApiId: api, IntegrationType: types.IntegrationTypeMock})
			noErr(e.t, "CreateIntegration", err)
			want := ids(pageItems, func(i int) string {
				key := fmt.Sprintf("/%d\\d\\d/", i+1)
				if i == 0 {
					key = "$default"
				}
				ir, err := e.c.CreateIntegrationResponse(e.ctx, &apigatewayv2.CreateIntegrationResponseInput{ApiId: api, IntegrationId: integ.IntegrationId,
					IntegrationResponseKey: aws.String(key)})
				noErr(e.t, "CreateIntegrationResponse("+key+")", err)
				return *ir.IntegrationResponseId
			})
			return want, func(ctx context.Context, max, tok *string) ([]string, *string, error) {
				out, err := e.c.GetIntegrationResponses(ctx, &apigatewayv2.GetIntegrationResponsesInput{ApiId: api, IntegrationId: integ.IntegrationId,
					MaxResults: max, NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return pluck(out.Items, func(v types.IntegrationResponse) *string { return v.IntegrationResponseId }), out.NextToken, nil
			}
		}},
		{"GetDomainNames", func(e *env) ([]string, pageFn) {
			want := ids(pageItems, func(i int) string { return *e.createDomain(fmt.Sprintf("d%d.example.com", i)).DomainName })
			return want, func(ctx context.Context, max, tok *string) ([]string, *string, error) {
				out, err := e.c.GetDomainNames(ctx, &apigatewayv2.GetDomainNamesInput{MaxResults: max, NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return pluck(out.Items, func(v types.DomainName) *string { return v.DomainName }), out.NextToken, nil
			}
		}},
		{"GetApiMappings", func(e *env) ([]string, pageFn) {
			api := e.createHTTPAPI("mapped").ApiId
			e.createStage(*api, "prod", false)
			dom := e.createDomain("api.example.com").DomainName
			want := ids(pageItems, func(i int) string {
				m, err := e.c.CreateApiMapping(e.ctx, &apigatewayv2.CreateApiMappingInput{DomainName: dom, ApiId: api, Stage: aws.String("prod"),
					ApiMappingKey: aws.String(fmt.Sprint("v", i))})
				noErr(e.t, "CreateApiMapping", err)
				return *m.ApiMappingId
			})
			return want, func(ctx context.Context, max, tok *string) ([]string, *string, error) {
				out, err := e.c.GetApiMappings(ctx, &apigatewayv2.GetApiMappingsInput{DomainName: dom, MaxResults: max, NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return pluck(out.Items, func(v types.ApiMapping) *string { return v.ApiMappingId }), out.NextToken, nil
			}
		}},
		{"GetVpcLinks", func(e *env) ([]string, pageFn) {
			want := ids(pageItems, func(i int) string {
				l, err := e.c.CreateVpcLink(e.ctx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String(fmt.Sprint("l", i)), SubnetIds: []string{"subnet-1"}})
				noErr(e.t, "CreateVpcLink", err)
				return *l.VpcLinkId
			})
			return want, func(ctx context.Context, max, tok *string) ([]string, *string, error) {
				out, err := e.c.GetVpcLinks(ctx, &apigatewayv2.GetVpcLinksInput{MaxResults: max, NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return pluck(out.Items, func(v types.VpcLink) *string { return v.VpcLinkId }), out.NextToken, nil
			}
		}},
	}
}

func integrationPages(e *env, api *string) pageFn {
	return func(ctx context.Context, max, tok *string) ([]string, *string, error) {
		out, err := e.c.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: api, MaxResults: max, NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return pluck(out.Items, func(v types.Integration) *string { return v.IntegrationId }), out.NextToken, nil
	}
}

func pluck[T any](items []T, id func(T) *string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = aws.ToString(id(it))
	}
	return out
}

// pageAll follows nextToken from the first page until it is absent and returns
// every id seen, in order (duplicates included).
func pageAll(t testing.TB, call string, page pageFn, maxResults string) []string {
	t.Helper()
	limit, _ := strconv.Atoi(maxResults)
	var all []string
	var tok *string
	for pages := 1; ; pages++ {
		if pages > 1000 {
			t.Fatalf("%s(maxResults=%s): more than 1000 pages; nextToken never ends", call, maxResults)
		}
		ids, next, err := page(context.Background(), aws.String(maxResults), tok)
		noErr(t, fmt.Sprintf("%s(maxResults=%s, page %d)", call, maxResults, pages), err)
		if len(ids) > limit {
			t.Errorf("%s(maxResults=%s): page %d has %d items", call, maxResults, pages, len(ids))
		}
		if next != nil && *next == "" {
			t.Errorf("%s(maxResults=%s): page %d has an empty nextToken, want it absent", call, maxResults, pages)
		}
		all = append(all, ids...)
		if next == nil || *next == "" {
			return all
		}
		tok = next
	}
}

// sameSet checks that got holds each id of want exactly once and nothing else.
func sameSet(t testing.TB, call string, got, want []string) {
	t.Helper()
	count := map[string]int{}
	for _, id := range got {
		count[id]++
	}
	for _, id := range want {
		if count[id] != 1 {
			t.Errorf("%s: item %s seen %d times, want exactly once", call, id, count[id])
		}
		delete(count, id)
	}
	for id, n := range count {
		t.Errorf("%s: unexpected item %s seen %d times", call, id, n)
	}
}

func TestPagination(t *testing.T) {
	for _, col := range collections() {
		t.Run(col.name, func(t *testing.T) {
			e := newEnv(t)
			want, page := col.setup(e)

			for _, max := range []string{"1", "2", "3", "100"} {
				got := pageAll(t, col.name, page, max)
				sameSet(t, col.name+"(maxResults="+max+")", got, want)
				for i := range want {
					if i < len(got) && got[i] != want[i] {
						t.Errorf("%s(maxResults=%s): item %d = %s, want %s (creation order)", col.name, max, i, got[i], want[i])
						break
					}
				}
			}
			// Without maxResults everything fits on one page.
			ids, next, err := page(e.ctx, nil, nil)
			noErr(t, col.name+"()", err)
			sameSet(t, col.name+"()", ids, want)
			isNil(t, col.name+"()", "nextToken", next)

			for _, bad := range []string{"0", "-1", "abc", "1.5"} {
				_, _, err := page(e.ctx, aws.String(bad), nil)
				wantBadRequest(t, col.name+"(maxResults="+bad+")", err, "maxResults")
			}
			for _, bad := range []string{"garbage", "AQID", "!!!", "eyJ0b2tlbiI6MX0"} {
				_, _, err := page(e.ctx, aws.String("2"), aws.String(bad))
				wantBadRequest(t, col.name+"(nextToken="+bad+")", err, "The nextToken is not valid for this request")
			}
		})
	}
}

func TestPaginationTokenScope(t *testing.T) {
	e := newEnv(t)
	a := e.createHTTPAPI("a").ApiId
	b := e.createHTTPAPI("b").ApiId
	for i := range 3 {
		e.createRoute(*a, fmt.Sprint("GET /r", i), "")
		e.createHTTPIntegration(*a, "https://example.com")
		e.createHTTPIntegration(*b, "https://example.com")
	}
	routes, err := e.c.GetRoutes(e.ctx, &apigatewayv2.GetRoutesInput{ApiId: a, MaxResults: aws.String("1")})
	noErr(t, "GetRoutes(a, maxResults=1)", err)
	if routes.NextToken == nil {
		t.Fatalf("GetRoutes(a, maxResults=1): nextToken absent with 3 routes")
	}
	_, err = e.c.GetIntegrations(e.ctx, &apigatewayv2.GetIntegrationsInput{ApiId: a, MaxResults: aws.String("1"), NextToken: routes.NextToken})
	wantBadRequest(t, "GetIntegrations(a) with a GetRoutes token", err, "The nextToken is not valid for this request")

	integs, err := e.c.GetIntegrations(e.ctx, &apigatewayv2.GetIntegrationsInput{ApiId: a, MaxResults: aws.String("1")})
	noErr(t, "GetIntegrations(a, maxResults=1)", err)
	if integs.NextToken == nil {
		t.Fatalf("GetIntegrations(a, maxResults=1): nextToken absent with 3 integrations")
	}
	_, err = e.c.GetIntegrations(e.ctx, &apigatewayv2.GetIntegrationsInput{ApiId: b, MaxResults: aws.String("1"), NextToken: integs.NextToken})
	wantBadRequest(t, "GetIntegrations(b) with API a's token", err, "The nextToken is not valid for this request")
	_, err = e.c.GetIntegrations(e.ctx, &apigatewayv2.GetIntegrationsInput{ApiId: a, MaxResults: aws.String("1"), NextToken: integs.NextToken})
	noErr(t, "GetIntegrations(a) with its own token", err)

	// A token does not cross regions either.
	apis, err := e.c.GetApis(e.ctx, &apigatewayv2.GetApisInput{MaxResults: aws.String("1")})
	noErr(t, "GetApis(maxResults=1)", err)
	_, err = e.client("eu-west-1").GetApis(e.ctx, &apigatewayv2.GetApisInput{MaxResults: aws.String("1"), NextToken: apis.NextToken})
	wantBadRequest(t, "GetApis(eu-west-1) with a us-east-1 token", err, "The nextToken is not valid for this request")
}

// TestPaginationUnderConcurrentWrites pages through integrations while another
// client creates and deletes other integrations of the same API: every
// integration that exists throughout must be listed exactly once, and no page
// walk may list anything twice.
func TestPaginationUnderConcurrentWrites(t *testing.T) {
	e := newEnv(t)
	api := e.createHTTPAPI("busy").ApiId
	var stable []string
	for i := range 23 {
		stable = append(stable, *e.createHTTPIntegration(*api, fmt.Sprint("https://stable.example.com/", i)).IntegrationId)
	}
	page := integrationPages(e, api)

	var stop atomic.Bool
	var churned atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		c := e.client(region)
		var live []string
		for i := 0; i < 2000 && !stop.Load(); i++ {
			out, err := c.CreateIntegration(e.ctx, httpProxyInput(*api, fmt.Sprint("https://churn.example.com/", i)))
			if err != nil {
				errc <- fmt.Errorf("CreateIntegration(churn %d): %w", i, err)
				return
			}
			live = append(live, *out.IntegrationId)
			if len(live) > 3 {
				if _, err := c.DeleteIntegration(e.ctx, &apigatewayv2.DeleteIntegrationInput{ApiId: api, IntegrationId: aws.String(live[0])}); err != nil {
					errc <- fmt.Errorf("DeleteIntegration(churn): %w", err)
					return
				}
				live = live[1:]
			}
			churned.Add(1)
		}
	}()

	for round := 0; round < 15; round++ {
		got := pageAll(t, "GetIntegrations", page, "5")
		seen := map[string]int{}
		for _, id := range got {
			seen[id]++
			if seen[id] == 2 {
				t.Errorf("GetIntegrations(maxResults=5) round %d: integration %s listed twice", round, id)
			}
		}
		for _, id := range stable {
			if seen[id] != 1 {
				t.Errorf("GetIntegrations(maxResults=5) round %d: stable integration %s listed %d times, want once", round, id, seen[id])
			}
		}
	}
	stop.Store(true)
	wg.Wait()
	select {
	case err := <-errc:
		t.Fatal(err)
	default:
	}
	if churned.Load() == 0 {
		t.Errorf("the writer made no changes while the pages were read; the test proved nothing")
	}
	t.Logf("%d integrations created (and mostly deleted) while paging", churned.Load())
}
