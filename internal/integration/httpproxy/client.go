package httpproxy

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Client sends buffered requests to backends over pooled HTTP/1.1 keep-alive
// connections, synchronously on the caller's goroutine. wire.go writes
// requests and parses the common responses itself, falling back to
// Request.Write and http.ReadResponse for anything unusual, and
// differential tests hold it to the standard library's output. Compared
// with http.Transport the client avoids a read and a write goroutine (and their hand-offs) per connection, which is
// the largest cost of proxying on a busy gateway (see bench/dataplane).
//
// Timeouts are connection deadlines: the whole exchange (dial, TLS, write,
// response) must finish before the deadline given to Do.
type Client struct {
	// TLS is the client TLS configuration (RootCAs, MinVersion); ServerName is
	// set per backend.
	TLS *tls.Config
	// MaxIdlePerHost bounds pooled idle connections per backend (default 256).
	MaxIdlePerHost int
	// IdleTimeout drops pooled connections idle for longer (default 60 s),
	// before a backend's own idle timeout closes them under us.
	IdleTimeout time.Duration

	mu    sync.Mutex
	pools map[poolKey]*pool
}

type poolKey struct{ scheme, addr, serverName string }

type pool struct {
	mu   sync.Mutex
	idle []*conn
}

type conn struct {
	net.Conn
	br       *bufio.Reader
	bw       *bufio.Writer
	lastUsed time.Time
	reused   bool
}

var dialer = &net.Dialer{KeepAlive: 30 * time.Second}

// Do sends req (its body already buffered in body) and returns the response
// with its body read, bounded by MaxResponseBytes. serverName overrides the
// TLS server name (tlsConfig.serverNameToVerify).
func (c *Client) Do(ctx context.Context, req *http.Request, body []byte, serverName string, deadline time.Time) (*http.Response, []byte, error) {
	key := poolKey{scheme: req.URL.Scheme, addr: hostPort(req.URL), serverName: serverName}
	if key.serverName == "" && key.scheme == "https" {
		key.serverName = req.URL.Hostname()
	}
	p := c.pool(key)
	for attempt := 0; ; attempt++ {
		cn, err := c.get(ctx, p, key, deadline)
		if err != nil {
			return nil, nil, err
		}
		req.Body = nil
		if len(body) > 0 { // a fresh reader per attempt: a retry resends the whole body
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		resp, rbody, err := roundTrip(cn, req, body, deadline)
		if err == nil {
			if resp.Close || req.Close {
				cn.Close()
			} else {
				c.put(p, cn)
			}
			return resp, rbody, nil
		}
		cn.Close()
		// A pooled connection the backend already closed fails before any
		// response byte; an idempotent request is safe to send again once.
		if cn.reused && attempt == 0 && errors.Is(err, errNothingRead) && idempotent(req.Method) && time.Now().Before(deadline) {
			continue
		}
		return nil, nil, err
	}
}

var errNothingRead = errors.New("connection closed before the response started")

func roundTrip(cn *conn, req *http.Request, body []byte, deadline time.Time) (*http.Response, []byte, error) {
	cn.SetDeadline(deadline)
	if err := writeRequest(cn.bw, req, body); err != nil {
		return nil, nil, err
	}
	if err := cn.bw.Flush(); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", errNothingRead, err)
	}
	if _, err := cn.br.Peek(1); err != nil {
		if isTimeout(err) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("%w: %v", errNothingRead, err)
	}
	return readResponse(cn.br, req)
}

func (c *Client) pool(key poolKey) *pool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pools == nil {
		c.pools = map[poolKey]*pool{}
	}
	p := c.pools[key]
	if p == nil {
		p = &pool{}
		c.pools[key] = p
	}
	return p
}

func (c *Client) get(ctx context.Context, p *pool, key poolKey, deadline time.Time) (*conn, error) {
	idleTimeout := c.IdleTimeout
	if idleTimeout <= 0 {
		idleTimeout = 60 * time.Second
	}
	now := time.Now()
	p.mu.Lock()
	for len(p.idle) > 0 {
		cn := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if now.Sub(cn.lastUsed) < idleTimeout {
			p.mu.Unlock()
			cn.reused = true
			return cn, nil
		}
		cn.Close()
	}
	p.mu.Unlock()
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	nc, err := dialer.DialContext(dctx, "tcp", key.addr)
	if err != nil {
		return nil, err
	}
	if key.scheme == "https" {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if c.TLS != nil {
			cfg = c.TLS.Clone()
		}
		cfg.ServerName = key.serverName
		tc := tls.Client(nc, cfg)
		if err := tc.HandshakeContext(dctx); err != nil {
			nc.Close()
			return nil, err
		}
		nc = tc
	}
	return &conn{Conn: nc, br: bufio.NewReaderSize(nc, 16<<10), bw: bufio.NewWriterSize(nc, 16<<10)}, nil
}

func (c *Client) put(p *pool, cn *conn) {
	max := c.MaxIdlePerHost
	if max <= 0 {
		max = 256
	}
	// The connection keeps its last deadline while idle (nothing reads an
	// idle connection) and gets a new one with its next request: clearing
	// it here would cost two more timer updates per request.
	cn.lastUsed = time.Now()
	p.mu.Lock()
	if len(p.idle) < max {
		p.idle = append(p.idle, cn)
		cn = nil
	}
	p.mu.Unlock()
	if cn != nil {
		cn.Close()
	}
}

// CloseIdle closes every pooled connection.
func (c *Client) CloseIdle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.pools {
		p.mu.Lock()
		for _, cn := range p.idle {
			cn.Close()
		}
		p.idle = nil
		p.mu.Unlock()
	}
}

func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

func idempotent(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}
