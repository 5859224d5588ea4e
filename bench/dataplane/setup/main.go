// Command setup deploys the APIs of the data-plane benchmark (bench/dataplane/run.sh)
// through Gatehouse's management API (unsigned requests, permissive auth):
//
//	setup -endpoint http://127.0.0.1:PORT -id bench -upstream http://127.0.0.1:UP [-extra-routes 9999] [-c 16]
//
// It creates an HTTP API with the custom id, one HTTP_PROXY integration
// (integrationUri {upstream}/{proxy}, ANY, payload 1.0, one header mapping
// append:header.x-request-id = $context.requestId), -extra-routes routes
// "GET /svc{i}/items/{id}" created concurrently, the route "ANY /api/{proxy+}",
// and LAST the $default stage with autoDeploy (every change to an auto-deployed
// stage recompiles the API, so creating it after the routes deploys once).
// It prints the apiEndpoint on stdout.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

var (
	endpoint = flag.String("endpoint", "", "Gatehouse base URL, e.g. http://127.0.0.1:4566")
	id       = flag.String("id", "bench", "custom API id (_custom_id_ tag)")
	upstream = flag.String("upstream", "", "upstream base URL, e.g. http://127.0.0.1:8080")
	extra    = flag.Int("extra-routes", 0, "extra GET /svc{i}/items/{id} routes")
	conc     = flag.Int("c", 16, "concurrent management calls while creating routes")
)

var client = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

func call(method, path string, in any, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(method, *endpoint+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	rb, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, rb)
	}
	if out != nil {
		return json.Unmarshal(rb, out)
	}
	return nil
}

func main() {
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("setup: ")
	if *endpoint == "" || *upstream == "" {
		log.Fatal("-endpoint and -upstream are required")
	}
	start := time.Now()
	var api struct {
		ApiId       string `json:"apiId"`
		ApiEndpoint string `json:"apiEndpoint"`
	}
	if err := call("POST", "/v2/apis", map[string]any{"name": *id, "protocolType": "HTTP",
		"tags": map[string]string{"_custom_id_": *id}}, &api); err != nil {
		log.Fatal(err)
	}
	var integ struct {
		IntegrationId string `json:"integrationId"`
	}
	if err := call("POST", "/v2/apis/"+api.ApiId+"/integrations", map[string]any{
		"integrationType": "HTTP_PROXY", "integrationUri": *upstream + "/{proxy}", "integrationMethod": "ANY",
		"payloadFormatVersion": "1.0",
		"requestParameters":    map[string]string{"append:header.x-request-id": "$context.requestId"},
	}, &integ); err != nil {
		log.Fatal(err)
	}
	target := "integrations/" + integ.IntegrationId
	route := func(key string) error {
		return call("POST", "/v2/apis/"+api.ApiId+"/routes", map[string]any{"routeKey": key, "target": target}, nil)
	}

	if *extra > 0 {
		var next atomic.Int64
		var wg sync.WaitGroup
		errc := make(chan error, *conc)
		for w := 0; w < *conc; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1) - 1
					if i >= int64(*extra) {
						return
					}
					if err := route(fmt.Sprintf("GET /svc%d/items/{id}", i)); err != nil {
						errc <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errc)
		if err := <-errc; err != nil {
			log.Fatal(err)
		}
		log.Printf("%s: %d extra routes in %s", api.ApiId, *extra, time.Since(start).Round(time.Millisecond))
	}
	if err := route("ANY /api/{proxy+}"); err != nil {
		log.Fatal(err)
	}
	t := time.Now()
	if err := call("POST", "/v2/apis/"+api.ApiId+"/stages", map[string]any{"stageName": "$default", "autoDeploy": true}, nil); err != nil {
		log.Fatal(err)
	}
	log.Printf("%s: stage $default (autoDeploy, %d routes) in %s; total %s", api.ApiId, *extra+1,
		time.Since(t).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	fmt.Fprintln(os.Stdout, api.ApiEndpoint)
}
