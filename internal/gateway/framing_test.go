package gateway_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

func TestResponseFramingThroughTheGateway(t *testing.T) {
	e := newEnv(t)
	up := newUpstream(t)
	up.handle = func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/chunked":
			w.Write([]byte(strings.Repeat("a", 1000)))
			w.(http.Flusher).Flush()
			w.Write([]byte(strings.Repeat("b", 1000)))
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/notmodified":
			w.WriteHeader(http.StatusNotModified)
		case "/huge":
			w.Header().Set("Content-Length", strconv.Itoa(10<<20+1))
			io.Copy(w, io.LimitReader(zeros{}, 10<<20+1))
		default:
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "body")
		}
	}
	ep := e.api("framing", func(in *apigatewayv2.CreateApiInput) { in.Target = aws.String(up.URL) })
	if r := e.call("GET", ep+"/chunked", "", ""); r.status != 200 || len(r.body) != 2000 || r.header.Get("Content-Length") != "2000" {
		t.Errorf("chunked backend: %d, %d bytes, Content-Length %q", r.status, len(r.body), r.header.Get("Content-Length"))
	}
	if r := e.call("HEAD", ep+"/x", "", ""); r.status != 200 || r.body != "" || r.header.Get("Content-Length") != "4" {
		t.Errorf("HEAD: %d %q Content-Length %q, want the backend's length 4", r.status, r.body, r.header.Get("Content-Length"))
	}
	if r := e.call("GET", ep+"/empty", "", ""); r.status != 204 || r.body != "" {
		t.Errorf("204 backend: %d %q", r.status, r.body)
	}
	if r := e.call("GET", ep+"/notmodified", "", ""); r.status != 304 || r.body != "" {
		t.Errorf("304 backend: %d %q", r.status, r.body)
	}
	if r := e.call("GET", ep+"/huge", "", ""); r.status != 500 || r.body != `{"message":"Internal Server Error"}` {
		t.Errorf("backend body over 10 MB: %d %.80q", r.status, r.body)
	}
	// Keep-alive survives all of the above: the next request still works.
	if r := e.call("GET", ep+"/x", "", ""); r.status != 200 || r.body != "body" || r.header.Get("Apigw-Requestid") == "" {
		t.Errorf("after the framing cases: %d %q %v", r.status, r.body, r.header)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
