package apigwv2_test

import (
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/apigwv2"
)

// TestRandomIDCollisionsDrawAgain: random ids collide in large collections
// (seen as a 500 after ~200k CreateIntegration calls). An id generator that
// repeats itself must still yield distinct resources, never an error.
func TestRandomIDCollisionsDrawAgain(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	// Every id is drawn from a pool of three, so most draws collide.
	newID := func(n int) string {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return string(rune('a'+calls%3)) + "000000000"[:n-1]
	}
	e := newEnv(t, func(cfg *apigwv2.Config) { cfg.NewID = newID })
	c, ctx := e.c, e.ctx
	api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("a"), ProtocolType: types.ProtocolTypeHttp})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i := range 3 {
		out, err := c.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{ApiId: api.ApiId,
			IntegrationType: types.IntegrationTypeHttpProxy, IntegrationMethod: aws.String("GET"), IntegrationUri: aws.String("https://example.com")})
		if err != nil {
			t.Fatalf("CreateIntegration #%d with colliding ids: %v", i, err)
		}
		if seen[*out.IntegrationId] {
			t.Fatalf("CreateIntegration #%d reused id %s", i, *out.IntegrationId)
		}
		seen[*out.IntegrationId] = true
	}
	// A fourth integration cannot get an id from a pool of three: a clear
	// failure, not a hang.
	if _, err := c.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{ApiId: api.ApiId,
		IntegrationType: types.IntegrationTypeHttpProxy, IntegrationMethod: aws.String("GET"), IntegrationUri: aws.String("https://example.com")}); err == nil {
		t.Error("a fourth integration got an id from a pool of three")
	}
}
