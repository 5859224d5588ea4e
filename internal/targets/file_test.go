package targets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		wantErr string // substring; "" means success
	}{
		{name: "ALB and Cloud Map", doc: `{"targets": {"` + albARN + `": ["http://127.0.0.1:8081", "http://127.0.0.1:8082"], "` + srvARN + `": ["https://localhost:9443/base"]}}`},
		{name: "NLB listener", doc: `{"targets": {"arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/my-nlb/1/2": ["http://[::1]:80"]}}`},
		{name: "Cloud Map ARN with query", doc: `{"targets": {"` + srvARN + `?stage=prod": ["http://127.0.0.1:1"]}}`},
		{name: "other partition", doc: `{"targets": {"arn:aws-cn:servicediscovery:cn-north-1:123456789012:service/srv-x": ["http://h"]}}`},
		{name: "empty targets object", doc: `{"targets": {}}`},
		{name: "missing targets", doc: `{}`, wantErr: `missing "targets" object`},
		{name: "targets null", doc: `{"targets": null}`, wantErr: `"targets" must be an object`},
		{name: "unknown field", doc: `{"targets": {}, "cooldown": 5}`, wantErr: `unknown field "cooldown"`},
		{name: "trailing data", doc: `{"targets": {}} {}`, wantErr: "unexpected data after the JSON object"},
		{name: "not JSON", doc: `targets: {}`, wantErr: "parsing targets"},
		{name: "duplicate ARN", doc: `{"targets": {"` + srvARN + `": ["http://a"], "` + srvARN + `": ["http://b"]}}`, wantErr: "duplicate ARN"},
		{name: "value not a list", doc: `{"targets": {"` + srvARN + `": "http://a"}}`, wantErr: "must be a list of URL strings"},
		{name: "empty list", doc: `{"targets": {"` + srvARN + `": []}}`, wantErr: "no URLs"},
		{name: "not an ARN", doc: `{"targets": {"my-alb": ["http://a"]}}`, wantErr: "not an ARN"},
		{name: "ARN of another service", doc: `{"targets": {"arn:aws:lambda:us-east-1:123456789012:function:f": ["http://a"]}}`, wantErr: "not a load balancer listener ARN"},
		{name: "load balancer, not listener", doc: `{"targets": {"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1": ["http://a"]}}`, wantErr: "not a load balancer listener ARN"},
		{name: "Cloud Map namespace, not service", doc: `{"targets": {"arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-1": ["http://a"]}}`, wantErr: "Cloud Map service ARN"},
		{name: "ARN without region", doc: `{"targets": {"arn:aws:servicediscovery::123456789012:service/srv-1": ["http://a"]}}`, wantErr: "not an ARN"},
		{name: "host:port without scheme", doc: `{"targets": {"` + srvARN + `": ["127.0.0.1:8081"]}}`, wantErr: `parse "127.0.0.1:8081"`},
		{name: "scheme-relative URL", doc: `{"targets": {"` + srvARN + `": ["//h:8081"]}}`, wantErr: "scheme must be http or https"},
		{name: "ftp URL", doc: `{"targets": {"` + srvARN + `": ["ftp://h"]}}`, wantErr: "scheme must be http or https"},
		{name: "no host", doc: `{"targets": {"` + srvARN + `": ["http:///path"]}}`, wantErr: "must have a host"},
		{name: "port without host", doc: `{"targets": {"` + srvARN + `": ["http://:8080"]}}`, wantErr: "must have a host"},
		{name: "opaque", doc: `{"targets": {"` + srvARN + `": ["http:h"]}}`, wantErr: "must have a host"},
		{name: "query", doc: `{"targets": {"` + srvARN + `": ["http://h/?a=1"]}}`, wantErr: "must not have a query"},
		{name: "empty query", doc: `{"targets": {"` + srvARN + `": ["http://h?"]}}`, wantErr: "must not have a query"},
		{name: "fragment", doc: `{"targets": {"` + srvARN + `": ["http://h#x"]}}`, wantErr: "must not have a fragment"},
		{name: "user info", doc: `{"targets": {"` + srvARN + `": ["http://u:p@h"]}}`, wantErr: "must not have user info"},
		{name: "bad URL names its position", doc: `{"targets": {"` + srvARN + `": ["http://ok", "bad"]}}`, wantErr: `[1]: "bad"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.doc))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Parse(%s) = %v, want success", tt.doc, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Parse(%s) = %v, want error containing %q", tt.doc, err, tt.wantErr)
			}
		})
	}
}

func TestParseKeepsURLs(t *testing.T) {
	tab := mustParse(t, Options{}, `{"targets": {"`+albARN+`": ["http://127.0.0.1:8081", "HTTPS://Example.com:8443/base/"]}}`)
	b, _ := tab.Balancer(albARN)
	var got []string
	for _, tg := range b.targets {
		got = append(got, tg.URL.String())
	}
	want := []string{"http://127.0.0.1:8081", "https://Example.com:8443/base/"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("target URLs = %q, want %q", got, want)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "targets.json")
	if err := os.WriteFile(good, []byte(`{"targets": {"`+srvARN+`": ["http://127.0.0.1:1"]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"targets": {"x": ["http://a"]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		wantErr string
	}{
		{name: "valid file", path: good},
		{name: "invalid file names the path", path: bad, wantErr: "loading targets file " + bad + ": targets[\"x\"]"},
		{name: "missing file", path: filepath.Join(dir, "nope.json"), wantErr: "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := Load(tt.path)
			switch {
			case tt.wantErr == "" && (err != nil || len(tab.ARNs()) != 1):
				t.Errorf("Load(%q) = %v, %v; want one ARN", tt.path, tab.ARNs(), err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Load(%q) error = %v, want one containing %q", tt.path, err, tt.wantErr)
			}
		})
	}
}

func TestOptionsDefaults(t *testing.T) {
	h := Options{}.health()
	if h.threshold != DefaultFailThreshold || h.cooldown != DefaultCooldown || h.now == nil {
		t.Errorf("Options{}.health() = threshold %d, cooldown %v, now set %v; want %d, %v, true",
			h.threshold, h.cooldown, h.now != nil, DefaultFailThreshold, DefaultCooldown)
	}
}
