package apigwv2_test

// Benchmarks of the hot management path: an in-process Gatehouse
// (mgmt.Server + apigwv2.Service + SQLite in b.TempDir()) behind an
// httptest.Server, driven with plain net/http (no SDK, so the numbers are the
// server's, not the client's). The side-by-side comparison with moto_server
// lives in bench/mgmt/run.sh.
//
//	go test -run '^$' -bench . -benchmem ./internal/mgmt/apigwv2/
//	go test -run '^$' -bench BenchmarkCreateIntegration -cpuprofile cpu.out ./internal/mgmt/apigwv2/
//	go tool pprof -top internal/mgmt/apigwv2.test cpu.out

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store/sqlite"
)

const (
	benchAuthHeader = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=x"
	benchIntegBody  = `{"integrationType":"HTTP_PROXY","integrationUri":"https://example.com/x","integrationMethod":"GET","payloadFormatVersion":"1.0"}`
	benchListTotal  = 10000
	benchPageSize   = 500
	benchConns      = 8
)

type benchEnv struct {
	b      *testing.B
	srv    *httptest.Server
	client *http.Client
}

// benchNewEnv starts a fresh Gatehouse on an empty SQLite store.
func benchNewEnv(b *testing.B) *benchEnv {
	b.Helper()
	st, err := sqlite.Open(b.TempDir(), sqlite.Options{})
	if err != nil {
		b.Fatalf("sqlite.Open: %v", err)
	}
	srv := httptest.NewServer(mgmt.New(
		mgmt.Config{Region: "us-east-1", Auth: mgmt.AuthPermissive, Store: st},
		apigwv2.New(st, apigwv2.Config{AccountID: "000000000000"}),
	))
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConns:        2 * benchConns,
		MaxIdleConnsPerHost: 2 * benchConns,
		DisableCompression:  true,
	}}
	b.Cleanup(func() {
		client.CloseIdleConnections()
		srv.Close()
		st.Close()
	})
	return &benchEnv{b: b, srv: srv, client: client}
}

// benchDo sends one request and returns the body; any status other than want
// is an error (returned, not fatal, so it is safe in RunParallel workers).
func (e *benchEnv) benchDo(method, path string, body []byte, want int) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", benchAuthHeader)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("%s %s: HTTP %d, want %d: %.300s", method, path, resp.StatusCode, want, out)
	}
	return out, nil
}

func (e *benchEnv) benchCreateAPI() string {
	e.b.Helper()
	out, err := e.benchDo(http.MethodPost, "/v2/apis", []byte(`{"name":"bench","protocolType":"HTTP"}`), http.StatusCreated)
	if err != nil {
		e.b.Fatal(err)
	}
	var api struct{ ApiId string }
	if err := json.Unmarshal(out, &api); err != nil || api.ApiId == "" {
		e.b.Fatalf("CreateApi: no apiId in %s", out)
	}
	return api.ApiId
}

func benchIntegrationsPath(apiID string) string {
	return "/v2/apis/" + url.PathEscape(apiID) + "/integrations"
}

// benchFill creates n integrations with benchConns concurrent clients.
func (e *benchEnv) benchFill(apiID string, n int) {
	e.b.Helper()
	path := benchIntegrationsPath(apiID)
	var next atomic.Int64
	errs := make(chan error, benchConns)
	var wg sync.WaitGroup
	for range benchConns {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if _, err := e.benchDo(http.MethodPost, path, []byte(benchIntegBody), http.StatusCreated); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		e.b.Fatal(err)
	}
}

type benchPage struct {
	Items []struct {
		IntegrationId string `json:"integrationId"`
	} `json:"items"`
	NextToken string `json:"nextToken"`
}

// benchListAll pages through every integration of apiID and returns the query
// string of each page, checking that it saw exactly want distinct ids.
func (e *benchEnv) benchListAll(apiID string, want int) []string {
	e.b.Helper()
	seen := make(map[string]bool, want)
	var queries []string
	token := ""
	for {
		q := url.Values{"maxResults": {fmt.Sprint(benchPageSize)}}
		if token != "" {
			q.Set("nextToken", token)
		}
		queries = append(queries, q.Encode())
		out, err := e.benchDo(http.MethodGet, benchIntegrationsPath(apiID)+"?"+q.Encode(), nil, http.StatusOK)
		if err != nil {
			e.b.Fatal(err)
		}
		var p benchPage
		if err := json.Unmarshal(out, &p); err != nil {
			e.b.Fatal(err)
		}
		if len(p.Items) > benchPageSize {
			e.b.Fatalf("page of %d items, maxResults=%d", len(p.Items), benchPageSize)
		}
		for _, it := range p.Items {
			if seen[it.IntegrationId] {
				e.b.Fatalf("integration %s listed twice", it.IntegrationId)
			}
			seen[it.IntegrationId] = true
		}
		if p.NextToken == "" {
			break
		}
		token = p.NextToken
	}
	if len(seen) != want {
		e.b.Fatalf("listed %d distinct integrations, want %d", len(seen), want)
	}
	return queries
}

// BenchmarkCreateIntegration is one CreateIntegration round trip at a time.
func BenchmarkCreateIntegration(b *testing.B) {
	e := benchNewEnv(b)
	path := benchIntegrationsPath(e.benchCreateAPI())
	body := []byte(benchIntegBody)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.benchDo(http.MethodPost, path, body, http.StatusCreated); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateIntegrationParallel runs CreateIntegration from benchConns
// (8) concurrent clients, the load of bench/mgmt/run.sh.
func BenchmarkCreateIntegrationParallel(b *testing.B) {
	e := benchNewEnv(b)
	path := benchIntegrationsPath(e.benchCreateAPI())
	b.ReportAllocs()
	b.SetParallelism((benchConns + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.RunParallel(func(pb *testing.PB) {
		body := []byte(benchIntegBody)
		for pb.Next() {
			if _, err := e.benchDo(http.MethodPost, path, body, http.StatusCreated); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkGetIntegrationsPage fetches one page of 500 integrations out of
// 10,000 per op, cycling through all 20 pages (first, middle and last).
func BenchmarkGetIntegrationsPage(b *testing.B) {
	e := benchNewEnv(b)
	apiID := e.benchCreateAPI()
	e.benchFill(apiID, benchListTotal)
	queries := e.benchListAll(apiID, benchListTotal)
	path := benchIntegrationsPath(apiID)
	b.ReportAllocs()
	i := 0
	var bytesOut int64
	for b.Loop() {
		out, err := e.benchDo(http.MethodGet, path+"?"+queries[i%len(queries)], nil, http.StatusOK)
		if err != nil {
			b.Fatal(err)
		}
		bytesOut += int64(len(out))
		i++
	}
	b.ReportMetric(float64(bytesOut)/float64(i), "B/page")
}

// BenchmarkGetIntegrationsAll is a full paginated listing of 10,000
// integrations (20 pages of 500) per op, decoding every page as a client would.
func BenchmarkGetIntegrationsAll(b *testing.B) {
	e := benchNewEnv(b)
	apiID := e.benchCreateAPI()
	e.benchFill(apiID, benchListTotal)
	b.ReportAllocs()
	for b.Loop() {
		e.benchListAll(apiID, benchListTotal)
	}
}
