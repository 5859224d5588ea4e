package e2e

import (
	"strings"
	"testing"
)

// TestSeedGetIntegrationsPaginator runs the seed scenario: boto3's
// ApiGatewayV2.Paginator.GetIntegrations over an HTTP API, a quick-created
// HTTP API and a WebSocket API whose integrations together use every field of
// the paginator's Response Syntax (testdata/seed_paginator.py).
func TestSeedGetIntegrationsPaginator(t *testing.T) {
	t.Parallel()
	requireBoto3(t)
	g := startGatehouse(t, Options{})
	out, err := runPython(t, nil, "seed_paginator.py", g.URL)
	if err != nil {
		t.Fatalf("seed_paginator.py: %v\n%s", err, out)
	}
	if !strings.Contains(out, "OK: all 20 Response Syntax keys observed") {
		t.Fatalf("seed_paginator.py did not report success:\n%s", out)
	}
	t.Logf("seed_paginator.py:\n%s", out)
}
