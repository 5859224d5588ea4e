// Command pager is the load helper of bench/mgmt/run.sh. It speaks the
// apigatewayv2 REST API with net/http only, so the same client drives
// Gatehouse and moto_server.
//
//	pager api  -url http://127.0.0.1:PORT                     create an HTTP API, print its apiId
//	pager fill -url URL -api ID -n 10000 -c 8                 create n integrations with c workers
//	pager page -url URL -api ID -size 500 -n 10000 -repeat 5  page through all integrations
//	pager page -url URL -api ID -n 10000 -no-paging           one GET without maxResults (moto)
//
// page checks that every run saw exactly n distinct integration ids (and no
// duplicates, and no page larger than -size), prints one line per run and
// then a RESULT line with the median, which run.sh parses.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// authHeader is a dummy SigV4 header: moto_server needs one to pick the
// region and account; Gatehouse in permissive mode accepts it.
const authHeader = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=x"

const integrationBody = `{"integrationType":"HTTP_PROXY","integrationUri":"https://example.com/x","integrationMethod":"GET","payloadFormatVersion":"1.0"}`

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "api":
		err = cmdAPI(os.Args[2:])
	case "fill":
		err = cmdFill(os.Args[2:])
	case "page":
		err = cmdPage(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pager:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: pager api|fill|page [flags] (see -h of each)")
	os.Exit(2)
}

func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 5 * time.Minute,
		Transport: &http.Transport{
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			DisableCompression:  true,
		},
	}
}

func do(c *http.Client, method, u string, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", authHeader)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s %s: HTTP %d: %.300s", method, u, resp.StatusCode, b)
	}
	return b, nil
}

func cmdAPI(args []string) error {
	fs := flag.NewFlagSet("api", flag.ExitOnError)
	base := fs.String("url", "", "server base URL, e.g. http://127.0.0.1:4566")
	name := fs.String("name", "bench", "API name")
	fs.Parse(args)
	body, _ := json.Marshal(map[string]string{"name": *name, "protocolType": "HTTP"})
	b, err := do(newClient(1), http.MethodPost, strings.TrimRight(*base, "/")+"/v2/apis", body)
	if err != nil {
		return err
	}
	var out struct {
		ApiId string `json:"apiId"`
	}
	if err := json.Unmarshal(b, &out); err != nil || out.ApiId == "" {
		return fmt.Errorf("CreateApi: no apiId in %.300s", b)
	}
	fmt.Println(out.ApiId)
	return nil
}

func cmdFill(args []string) error {
	fs := flag.NewFlagSet("fill", flag.ExitOnError)
	base := fs.String("url", "", "server base URL")
	api := fs.String("api", "", "apiId")
	n := fs.Int("n", 10000, "integrations to create")
	conns := fs.Int("c", 8, "concurrent connections")
	fs.Parse(args)
	if *api == "" || *n < 1 || *conns < 1 {
		return errors.New("fill: -api, -n >= 1 and -c >= 1 are required")
	}
	client := newClient(*conns)
	u := strings.TrimRight(*base, "/") + "/v2/apis/" + url.PathEscape(*api) + "/integrations"
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range *conns {
		wg.Go(func() {
			for next.Add(1) <= int64(*n) {
				if _, err := do(client, http.MethodPost, u, []byte(integrationBody)); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	el := time.Since(start)
	fmt.Printf("FILL n=%d c=%d elapsed_ms=%.0f rps=%.0f\n", *n, *conns, ms(el), float64(*n)/el.Seconds())
	return nil
}

func cmdPage(args []string) error {
	fs := flag.NewFlagSet("page", flag.ExitOnError)
	base := fs.String("url", "", "server base URL")
	api := fs.String("api", "", "apiId")
	size := fs.Int("size", 500, "maxResults per page")
	n := fs.Int("n", 10000, "exact number of integrations expected")
	repeat := fs.Int("repeat", 5, "timed runs (the median is reported)")
	noPaging := fs.Bool("no-paging", false, "one GET without maxResults/nextToken (for servers that do not paginate)")
	fs.Parse(args)
	if *api == "" || *size < 1 || *repeat < 1 {
		return errors.New("page: -api, -size >= 1 and -repeat >= 1 are required")
	}
	client := newClient(1)
	u := strings.TrimRight(*base, "/") + "/v2/apis/" + url.PathEscape(*api) + "/integrations"
	var times []float64
	var pages int
	for run := 1; run <= *repeat; run++ {
		start := time.Now()
		p, err := pageAll(client, u, *size, *n, *noPaging)
		if err != nil {
			return err
		}
		el := ms(time.Since(start))
		pages = p
		times = append(times, el)
		fmt.Printf("PAGE run=%d pages=%d items=%d elapsed_ms=%.1f\n", run, p, *n, el)
	}
	slices.Sort(times)
	fmt.Printf("RESULT median_ms=%.1f min_ms=%.1f max_ms=%.1f pages=%d items=%d\n",
		median(times), times[0], times[len(times)-1], pages, *n)
	return nil
}

// pageAll lists every integration and checks the result. It returns the
// number of requests made.
func pageAll(client *http.Client, u string, size, want int, noPaging bool) (int, error) {
	seen := make(map[string]struct{}, want)
	token := ""
	pages := 0
	for {
		q := url.Values{}
		if !noPaging {
			q.Set("maxResults", fmt.Sprint(size))
			if token != "" {
				q.Set("nextToken", token)
			}
		}
		full := u
		if len(q) > 0 {
			full += "?" + q.Encode()
		}
		b, err := do(client, http.MethodGet, full, nil)
		if err != nil {
			return pages, err
		}
		pages++
		var page struct {
			Items []struct {
				IntegrationId string `json:"integrationId"`
			} `json:"items"`
			NextToken string `json:"nextToken"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			return pages, fmt.Errorf("page %d: %v", pages, err)
		}
		if !noPaging && len(page.Items) > size {
			return pages, fmt.Errorf("page %d has %d items, more than maxResults=%d", pages, len(page.Items), size)
		}
		for _, it := range page.Items {
			if _, dup := seen[it.IntegrationId]; dup {
				return pages, fmt.Errorf("integration %q returned twice", it.IntegrationId)
			}
			seen[it.IntegrationId] = struct{}{}
		}
		if noPaging || page.NextToken == "" {
			break
		}
		if pages > want+1 {
			return pages, errors.New("pagination does not end")
		}
		token = page.NextToken
	}
	if len(seen) != want {
		return pages, fmt.Errorf("saw %d distinct integrations, want exactly %d", len(seen), want)
	}
	return pages, nil
}

func median(sorted []float64) float64 {
	m := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[m]
	}
	return (sorted[m-1] + sorted[m]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
