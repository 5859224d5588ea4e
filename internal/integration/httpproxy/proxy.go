// Package httpproxy is the HTTP_PROXY integration of HTTP APIs: it forwards the
// client's method, headers, query and body to an HTTP endpoint (or, for private
// integrations, to a target behind a VPC link) after request parameter mapping,
// and passes the backend's status, headers and body back after response
// parameter mapping [DG:http-api-develop-integrations-http,
// DG:http-api-parameter-mapping].
package httpproxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/exchange"
	"github.com/gatehouse-dev/gatehouse/internal/integration"
	"github.com/gatehouse-dev/gatehouse/internal/mapping"
	"github.com/gatehouse-dev/gatehouse/internal/targets"
)

// MaxResponseBytes bounds a backend response (API Gateway's payload limit).
const MaxResponseBytes = 10 << 20

// Config is a compiled HTTP_PROXY integration.
type Config struct {
	// URI is the integrationUri (a URL template), or the load balancer / Cloud
	// Map ARN of a private integration when Balancer is set.
	URI string
	// Method is the integrationMethod; "ANY" forwards the client's method.
	Method string
	// Timeout is timeoutInMillis; at the deadline the client gets 503.
	Timeout time.Duration
	// DefaultRoute is set for the $default route, whose requests carry their
	// full path to the integration (appended to the URI's path).
	DefaultRoute bool
	Request      *mapping.RequestMapping
	Response     *mapping.ResponseMapping
	// Balancer resolves private (VPC_LINK) integrations to targets.
	Balancer *targets.Balancer
	// ServerName is tlsConfig.serverNameToVerify: the TLS server name (SNI)
	// and the name the backend certificate must carry, instead of the URL's host.
	ServerName string
	// Client sends requests (shared keep-alive pools).
	Client    *Client
	AccountID string
}

// Proxy implements integration.Integration.
type Proxy struct {
	cfg Config
	uri template
	// static is the parsed URI when it has no variables (parsed once, copied per request).
	static *url.URL
	// base is the parsed scheme, host and path before the first variable
	// when every variable is in the path (see pathTarget).
	base *url.URL
	// addr is "host:port" of static's or base's host, and loopable whether
	// the loop can call it (plain HTTP at an IP address): both fixed for
	// every request whose URL keeps that host (see loopAddr).
	addr     string
	loopable bool
}

var _ integration.Integration = (*Proxy)(nil)

// New compiles an HTTP_PROXY integration.
func New(cfg Config) (*Proxy, error) {
	p := &Proxy{cfg: cfg}
	if cfg.Balancer == nil {
		t, err := parseTemplate(cfg.URI)
		if err != nil {
			return nil, err
		}
		if t.static() {
			u, err := url.Parse(cfg.URI)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return nil, fmt.Errorf("invalid HTTP endpoint %q", cfg.URI)
			}
			p.static = u
		} else {
			p.base = t.pathBase()
		}
		p.uri = t
		if u := p.static; u != nil || p.base != nil {
			if u == nil {
				u = p.base
			}
			p.addr = hostPort(u)
			p.loopable = u.Scheme == "http" && isIPPort(p.addr)
		}
	}
	if p.cfg.Client == nil {
		p.cfg.Client = &Client{}
	}
	return p, nil
}

// loopAddr is the backend address of u, and whether the loop can call it.
func (p *Proxy) loopAddr(u *url.URL) (string, bool) {
	if p.addr != "" && (p.static != nil && u.Host == p.static.Host && u.Scheme == p.static.Scheme ||
		p.base != nil && u.Host == p.base.Host && u.Scheme == p.base.Scheme) {
		return p.addr, p.loopable
	}
	addr := hostPort(u)
	return addr, u.Scheme == "http" && isIPPort(addr)
}

// Invoke implements integration.Integration.
func (p *Proxy) Invoke(ctx context.Context, x *exchange.Exchange) (*exchange.Response, error) {
	call := new(call)
	if err := p.prepare(x, call); err != nil {
		return nil, err
	}
	start := time.Now()
	resp, body, err := p.cfg.Client.Do(ctx, call.req, x.Req.Body, p.cfg.ServerName, start.Add(call.timeout))
	x.IntegrationLatency = time.Since(start)
	return p.complete(x, call, resp, body, err)
}

// call is one backend request, ready to send.
type call struct {
	req     *http.Request   // &reqv
	in      *exchange.Input // &inv
	pick    *targets.Target
	timeout time.Duration
	reqv    http.Request
	inv     exchange.Input
	out     exchange.Response // the client's response, when there is one
}

// prepare builds the backend request into c: the target, mapped
// parameters, method and headers.
func (p *Proxy) prepare(x *exchange.Exchange, c *call) error {
	target, pick, err := p.target(x)
	if err != nil {
		return exchange.InternalError(err)
	}
	out := mapping.Outbound{
		Header: outboundHeader(x.Req.Header, x.Req.SourceIP, x.Req.Host, forwardedProto(x)),
		Path:   target.Path,
		Query:  queryParams(target.RawQuery, x.Req.RawQuery),
	}
	c.inv = exchange.Input{X: x, AccountID: p.cfg.AccountID}
	in := &c.inv
	if p.cfg.Request != nil {
		p.cfg.Request.Apply(&out, in)
	}
	if out.Path != target.Path { // overwrite:path gives a decoded path; keep the received encoding otherwise
		target.Path, target.RawPath = out.Path, ""
	}
	target.RawQuery = encodeQuery(out.Query)
	method := p.cfg.Method
	if method == "" || method == "ANY" {
		method = x.Req.Method
	}
	timeout := p.cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	c.reqv = http.Request{Method: method, URL: target, Host: target.Host, Header: out.Header,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, ContentLength: int64(len(x.Req.Body))}
	req := &c.reqv
	if h := headerValue(out.Header, "Host"); h != "" { // a mapped Host header is sent as the request's host
		req.Host = h
		out.Header.Del("Host")
	}
	if _, ok := out.Header["User-Agent"]; !ok {
		out.Header["User-Agent"] = noUserAgent // forward no User-Agent rather than Go's
	}
	c.req, c.in, c.pick, c.timeout = req, in, pick, timeout
	return nil
}

// noUserAgent is the outbound User-Agent when the client sent none
// (read-only: the outbound header is only written on the wire).
var noUserAgent = []string{""}

// complete turns the backend's answer (or failure) into the client's.
func (p *Proxy) complete(x *exchange.Exchange, c *call, resp *http.Response, body []byte, err error) (*exchange.Response, error) {
	if err == nil {
		if c.pick != nil {
			c.pick.Report(nil)
		}
		return p.respond(x, c, resp, body), nil
	}
	x.IntegrationError = err.Error()
	if c.pick != nil {
		c.pick.Report(err)
	}
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return nil, exchange.ServiceUnavailable(err)
	}
	return nil, exchange.InternalError(err)
}

// respond builds the client response from the backend's, applying response
// parameter mapping for the backend status.
func (p *Proxy) respond(x *exchange.Exchange, c *call, resp *http.Response, body []byte) *exchange.Response {
	x.IntegrationStatus = resp.StatusCode
	h := resp.Header
	removeHopByHop(h)
	if x.Req.Method != http.MethodHead { // a HEAD response keeps the length the backend reported
		h.Del("Content-Length")
	}
	c.out = exchange.Response{Status: resp.StatusCode, Header: h, Body: body}
	out := &c.out
	if p.cfg.Response != nil {
		in := c.in
		in.RespHeader, in.RespBody = h, body
		out.Status = p.cfg.Response.Apply(resp.StatusCode, h, in)
	}
	return out
}

// target is the URL to call before request mappings.
func (p *Proxy) target(x *exchange.Exchange) (*url.URL, *targets.Target, error) {
	if p.cfg.Balancer != nil {
		t, ok := p.cfg.Balancer.Pick()
		if !ok {
			return nil, nil, fmt.Errorf("private integration %s has no targets", p.cfg.URI)
		}
		u := *t.URL
		// AWS sends private integrations the path with the stage segment
		// ("a request to the test stage ... includes test/route-path").
		appendRawPath(&u, x.Req.RawPath)
		return &u, t, nil
	}
	var u *url.URL
	if p.static != nil {
		c := *p.static
		u = &c
	} else if u = p.pathTarget(x); u == nil {
		raw := p.uri.expand(x.RawPathParams, x.StageVariables)
		var err error
		if u, err = url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, nil, fmt.Errorf("invalid integration endpoint %q", raw)
		}
	}
	if p.cfg.DefaultRoute {
		appendRawPath(u, x.Req.Path)
	}
	return u, nil, nil
}

func forwardedProto(x *exchange.Exchange) string {
	if p := headerValue(x.Req.Header, "X-Forwarded-Proto"); p != "" {
		return p
	}
	return "http"
}

func readBody(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxResponseBytes {
		return nil, fmt.Errorf("integration response exceeds %d bytes", MaxResponseBytes)
	}
	return b, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// queryParams merges the URI's own query with the client's, in order.
func queryParams(uriQuery, clientQuery string) []mapping.QueryParam {
	return mapping.AppendQuery(mapping.AppendQuery(nil, uriQuery), clientQuery)
}

func encodeQuery(q []mapping.QueryParam) string {
	var b strings.Builder
	for i, p := range q {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.Name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.Value))
	}
	return b.String()
}

// appendRawPath appends a percent-encoded path to u's path, keeping the
// encoding the client sent.
func appendRawPath(u *url.URL, raw string) {
	base := strings.TrimSuffix(u.EscapedPath(), "/")
	dec, err := url.PathUnescape(raw)
	if err != nil {
		dec = raw
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + dec
	u.RawPath = base + raw
}
