package targets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"
)

// Options are the passive health-check settings and clock shared by every balancer of a table.
// The zero value gives the defaults.
type Options struct {
	// FailThreshold is how many consecutive failures (see [Target.Report]) take a target out of
	// rotation. 0 or less means 1.
	FailThreshold int
	// Cooldown is how long a failed target stays out of rotation before it is tried again.
	// 0 or less means 10 s.
	Cooldown time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Default health-check settings.
const (
	DefaultFailThreshold = 1
	DefaultCooldown      = 10 * time.Second
)

// Load reads a targets file with default [Options].
func Load(path string) (*Table, error) { return Options{}.Load(path) }

// Parse reads a targets document with default [Options].
func Parse(r io.Reader) (*Table, error) { return Options{}.Parse(r) }

// Load reads the targets file at path.
func (o Options) Load(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("loading targets file: %w", err)
	}
	defer f.Close()
	t, err := o.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("loading targets file %s: %w", path, err)
	}
	return t, nil
}

// Parse reads a targets document (see the package documentation) and validates every entry.
func (o Options) Parse(r io.Reader) (*Table, error) {
	var doc struct {
		Targets arnMap `json:"targets"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parsing targets: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("parsing targets: unexpected data after the JSON object")
	}
	if doc.Targets == nil {
		return nil, errors.New(`parsing targets: missing "targets" object`)
	}
	h := o.health()
	t := &Table{balancers: make(map[string]*Balancer, len(doc.Targets))}
	for arn, raws := range doc.Targets {
		if err := checkARN(arn); err != nil {
			return nil, err
		}
		if len(raws) == 0 {
			return nil, fmt.Errorf("targets[%q]: no URLs", arn)
		}
		b := &Balancer{health: h, targets: make([]*Target, len(raws))}
		for i, raw := range raws {
			u, err := parseBaseURL(raw)
			if err != nil {
				return nil, fmt.Errorf("targets[%q][%d]: %w", arn, i, err)
			}
			b.targets[i] = &Target{URL: u, health: h}
		}
		t.balancers[arn] = b
	}
	return t, nil
}

func (o Options) health() *health {
	h := &health{threshold: int32(o.FailThreshold), cooldown: o.Cooldown, now: o.Now}
	if o.FailThreshold <= 0 {
		h.threshold = DefaultFailThreshold
	}
	if o.Cooldown <= 0 {
		h.cooldown = DefaultCooldown
	}
	if h.now == nil {
		h.now = time.Now
	}
	return h
}

// arnMap decodes the "targets" object, refusing duplicate keys (which encoding/json would silently
// collapse to the last).
type arnMap map[string][]string

func (m *arnMap) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errors.New(`"targets" must be an object mapping ARNs to URL lists`)
	}
	out := arnMap{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		arn := tok.(string) // object keys are always strings
		if _, dup := out[arn]; dup {
			return fmt.Errorf("duplicate ARN %q", arn)
		}
		var urls []string
		if err := dec.Decode(&urls); err != nil {
			return fmt.Errorf("targets[%q]: must be a list of URL strings: %w", arn, err)
		}
		out[arn] = urls
	}
	*m = out
	return nil
}

// checkARN accepts ELB listener and Cloud Map service ARNs.
func checkARN(arn string) error {
	parts := strings.SplitN(arn, ":", 6) // arn:partition:service:region:account:resource
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[3] == "" || parts[4] == "" {
		return fmt.Errorf("targets[%q]: not an ARN (want arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)", arn)
	}
	switch service, resource := parts[2], parts[5]; {
	case service == "elasticloadbalancing" && strings.HasPrefix(resource, "listener/") && len(resource) > len("listener/"):
	case service == "servicediscovery" && strings.HasPrefix(resource, "service/") && len(resource) > len("service/"):
	default:
		return fmt.Errorf("targets[%q]: not a load balancer listener ARN (elasticloadbalancing ... listener/...) or Cloud Map service ARN (servicediscovery ... service/...)", arn)
	}
	return nil
}

// parseBaseURL accepts an absolute http(s) URL with a host and no user info, query or fragment.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%q: scheme must be http or https", raw)
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("%q: must have a host (http://HOST[:PORT][/PATH])", raw)
	case u.User != nil:
		return nil, fmt.Errorf("%q: must not have user info", raw)
	case strings.Contains(raw, "?"):
		return nil, fmt.Errorf("%q: must not have a query", raw)
	case strings.Contains(raw, "#"):
		return nil, fmt.Errorf("%q: must not have a fragment", raw)
	}
	return u, nil
}
