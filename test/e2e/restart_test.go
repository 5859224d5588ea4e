package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// acked records resources the server acknowledged with a 2xx, by id.
type acked struct {
	mu    sync.Mutex
	items map[string]map[string]any
}

func newAcked() *acked { return &acked{items: map[string]map[string]any{}} }

func (a *acked) add(id string, body map[string]any) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, dup := a.items[id]; dup {
		return fmt.Errorf("id %s acknowledged twice", id)
	}
	a.items[id] = body
	return nil
}

func (a *acked) len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.items)
}

// integrationBody is the i-th of a few differently shaped HTTP API integrations.
func integrationBody(i int, vpcLinkID string) map[string]any {
	switch i % 3 {
	case 0:
		return map[string]any{
			"integrationType":      "HTTP_PROXY",
			"integrationUri":       fmt.Sprintf("https://backend-%d.example.com/{proxy}", i),
			"integrationMethod":    []string{"GET", "POST", "ANY"}[i%3],
			"payloadFormatVersion": "1.0",
			"description":          fmt.Sprintf("integration %d", i),
			"timeoutInMillis":      50 + (i*100)%29950,
			"requestParameters": map[string]string{
				"append:header.x-n":    fmt.Sprint(i),
				"overwrite:path":       "$request.path",
				"remove:querystring.q": "''",
			},
			"responseParameters": map[string]map[string]string{
				"404": {"overwrite:statuscode": "200"},
				"500": {"append:header.x-err": "$response.header.x"},
			},
		}
	case 1:
		return map[string]any{
			"integrationType":      "AWS_PROXY",
			"integrationUri":       fmt.Sprintf("arn:aws:lambda:us-east-1:123456789012:function:fn-%d", i),
			"payloadFormatVersion": "2.0",
			"credentialsArn":       "arn:aws:iam::123456789012:role/invoke",
		}
	default:
		return map[string]any{
			"integrationType":   "HTTP_PROXY",
			"connectionType":    "VPC_LINK",
			"connectionId":      vpcLinkID,
			"integrationUri":    fmt.Sprintf("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/%d/1", i),
			"integrationMethod": "ANY",
			"tlsConfig":         map[string]string{"serverNameToVerify": fmt.Sprintf("b%d.internal", i)},
		}
	}
}

// createMany runs n creates on `workers` goroutines; body(i) is the request
// body for POST path, idKey the id member of the response. Every response
// must be 201; the acknowledged bodies are returned.
func createMany(t *testing.T, g *Gatehouse, path string, n, workers int, idKey string, body func(i int) any) *acked {
	t.Helper()
	out := newAcked()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				r, err := g.request(http.MethodPost, path, body(i))
				if err != nil {
					errs <- fmt.Errorf("POST %s #%d: %v", path, i, err)
					return
				}
				if r.Status != http.StatusCreated {
					errs <- fmt.Errorf("POST %s #%d: status %d: %s", path, i, r.Status, r.Body)
					return
				}
				var m map[string]any
				if err := json.Unmarshal(r.Body, &m); err != nil {
					errs <- fmt.Errorf("POST %s #%d: %v", path, i, err)
					return
				}
				id, _ := m[idKey].(string)
				if err := out.add(id, m); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return out
}

// checkListing requires the collection at path to hold every acknowledged
// item with identical fields; extra items are allowed only if allowExtra.
func checkListing(t *testing.T, g *Gatehouse, path, idKey string, want *acked, allowExtra bool) (extra int) {
	t.Helper()
	got := map[string]map[string]any{}
	for _, it := range g.listAll(t, path, 100, idKey) {
		got[it[idKey].(string)] = it
	}
	var missing, differ []string
	for id, w := range want.items {
		g, ok := got[id]
		switch {
		case !ok:
			missing = append(missing, id)
		case !jsonEqual(g, w):
			differ = append(differ, id)
			if len(differ) == 1 {
				a, _ := json.Marshal(w)
				b, _ := json.Marshal(g)
				t.Errorf("%s %s changed across the restart:\nacknowledged: %s\nlisted:       %s", path, id, a, b)
			}
		}
	}
	extra = len(got) - (len(want.items) - len(missing))
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%s: %d of %d acknowledged items are gone after the restart, e.g. %v", path, len(missing), len(want.items), missing[:min(5, len(missing))])
	}
	if len(differ) > 0 {
		t.Errorf("%s: %d items differ from what was acknowledged", path, len(differ))
	}
	if extra > 0 && !allowExtra {
		t.Errorf("%s: %d items that were never acknowledged", path, extra)
	}
	return extra
}

// TestRestartAfterSIGKILL: everything acknowledged before a SIGKILL (no
// graceful shutdown) is there, unchanged, after a new process opens the same
// data directory.
func TestRestartAfterSIGKILL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	g1 := startGatehouse(t, Options{DataDir: dir})

	var link struct{ VpcLinkId string }
	g1.mustCall(t, http.StatusCreated, http.MethodPost, "/v2/vpclinks", map[string]any{
		"name": "restart-link", "subnetIds": []string{"subnet-1"}}).JSON(t, &link)
	var api map[string]any
	g1.mustCall(t, http.StatusCreated, http.MethodPost, "/v2/apis", map[string]any{
		"name": "restart", "protocolType": "HTTP", "description": "survives SIGKILL",
		"tags": map[string]string{"k": "v"},
	}).JSON(t, &api)
	apiID := api["apiId"].(string)

	const n = 200
	integrations := createMany(t, g1, "/v2/apis/"+apiID+"/integrations", n, 8, "integrationId",
		func(i int) any { return integrationBody(i, link.VpcLinkId) })
	ids := make([]string, 0, n)
	for id := range integrations.items {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	routes := createMany(t, g1, "/v2/apis/"+apiID+"/routes", n, 8, "routeId", func(i int) any {
		return map[string]any{"routeKey": fmt.Sprintf("GET /r%d/{id}", i), "target": "integrations/" + ids[i]}
	})
	stages := createMany(t, g1, "/v2/apis/"+apiID+"/stages", 1, 1, "stageName", func(int) any {
		return map[string]any{"stageName": "prod", "autoDeploy": true, "stageVariables": map[string]string{"a": "b"}}
	})
	g1.mustCall(t, http.StatusCreated, http.MethodPost, "/v2/tags/arn:aws:apigateway:us-east-1::%2Fapis%2F"+apiID,
		map[string]any{"tags": map[string]string{"after": "create"}})

	g1.Kill(t)
	if ws, ok := g1.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("first process did not die of SIGKILL: %v", g1.cmd.ProcessState)
	}

	g2 := startGatehouse(t, Options{DataDir: dir})
	var got map[string]any
	g2.mustCall(t, http.StatusOK, http.MethodGet, "/v2/apis/"+apiID, nil).JSON(t, &got)
	api["tags"].(map[string]any)["after"] = "create"
	delete(api, "apiEndpoint") // names the port, which changed
	delete(got, "apiEndpoint")
	if !jsonEqual(got, api) {
		a, _ := json.Marshal(api)
		b, _ := json.Marshal(got)
		t.Errorf("API changed across the restart:\nacknowledged: %s\nafter:        %s", a, b)
	}
	g2.mustCall(t, http.StatusOK, http.MethodGet, "/v2/vpclinks/"+link.VpcLinkId, nil)
	checkListing(t, g2, "/v2/apis/"+apiID+"/integrations", "integrationId", integrations, false)
	checkListing(t, g2, "/v2/apis/"+apiID+"/routes", "routeId", routes, false)
	// Auto-deploy stages change (deployment id, dates) with every write, so
	// only check the stage is there with its settings.
	var stage map[string]any
	g2.mustCall(t, http.StatusOK, http.MethodGet, "/v2/apis/"+apiID+"/stages/prod", nil).JSON(t, &stage)
	if want := stages.items["prod"]["stageVariables"]; !jsonEqual(stage["stageVariables"], want) || stage["autoDeploy"] != true {
		t.Errorf("stage prod after restart: %v", stage)
	}

	// The new process keeps working on the recovered data.
	g2.mustCall(t, http.StatusCreated, http.MethodPost, "/v2/apis/"+apiID+"/integrations", integrationBody(0, link.VpcLinkId))
	if items := g2.listAll(t, "/v2/apis/"+apiID+"/integrations", 500, "integrationId"); len(items) != n+1 {
		t.Errorf("after one more create: %d integrations, want %d", len(items), n+1)
	}
	if code := g2.Stop(t); code != 0 {
		t.Errorf("second process exit code %d after SIGTERM, want 0", code)
	}
}

// TestGracefulShutdownUnderLoad: SIGTERM during a burst of concurrent creates
// exits 0, and every create that got a 2xx exists after a restart.
func TestGracefulShutdownUnderLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	g1 := startGatehouse(t, Options{DataDir: dir})
	var api struct{ ApiId string }
	g1.mustCall(t, http.StatusCreated, http.MethodPost, "/v2/apis", map[string]any{
		"name": "burst", "protocolType": "HTTP"}).JSON(t, &api)
	path := "/v2/apis/" + api.ApiId + "/integrations"

	const workers = 16
	ok := newAcked()
	var (
		stop       = make(chan struct{})
		wg         sync.WaitGroup
		mu         sync.Mutex
		statuses   = map[int]int{}
		transport  int
		badResults []string
		seq        atomic.Int64
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := int(seq.Add(1))
				r, err := g1.request(http.MethodPost, path, integrationBody(3*i, ""))
				mu.Lock()
				switch {
				case err != nil:
					transport++
				default:
					statuses[r.Status]++
					switch {
					case r.Status == http.StatusCreated:
						var m map[string]any
						if err := json.Unmarshal(r.Body, &m); err != nil {
							badResults = append(badResults, fmt.Sprintf("201 with bad body %q", r.Body))
						} else if err := ok.add(m["integrationId"].(string), m); err != nil {
							badResults = append(badResults, err.Error())
						}
					case r.Status == http.StatusServiceUnavailable:
						// Allowed while shutting down, if the body is AWS-shaped.
						if r.Header.Get("x-amzn-ErrorType") == "" {
							badResults = append(badResults, fmt.Sprintf("503 without x-amzn-ErrorType: %q", r.Body))
						}
					default:
						badResults = append(badResults, fmt.Sprintf("status %d: %.200s", r.Status, r.Body))
					}
				}
				mu.Unlock()
				if err != nil && !g1.running() {
					return
				}
			}
		}()
	}
	// Let the burst get going, then SIGTERM while requests are in flight.
	deadline := time.Now().Add(10 * time.Second)
	for ok.len() < 150 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if ok.len() == 0 {
		close(stop)
		wg.Wait()
		t.Fatalf("no create succeeded before SIGTERM; statuses %v, transport errors %d, %v", statuses, transport, badResults)
	}
	code := g1.Stop(t)
	close(stop)
	wg.Wait()
	t.Logf("burst: %d acknowledged creates, statuses %v, %d transport errors", ok.len(), statuses, transport)
	if code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0", code)
	}
	if len(badResults) > 0 {
		t.Errorf("%d unexpected responses during the burst, e.g. %v", len(badResults), badResults[:min(5, len(badResults))])
	}

	g2 := startGatehouse(t, Options{DataDir: dir})
	extra := checkListing(t, g2, path, "integrationId", ok, true)
	t.Logf("after restart: %d acknowledged integrations present, %d committed without an acknowledgement", ok.len(), extra)
	if code := g2.Stop(t); code != 0 {
		t.Errorf("second process exit code %d, want 0", code)
	}
}
