package httpproxy

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// NewTransport returns the keep-alive connection pool used for backends. A
// non-empty serverName is used for SNI and to verify the backend certificate
// (tlsConfig.serverNameToVerify) instead of the URL's host.
func NewTransport(serverName string) *http.Transport {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                  nil, // never route backend traffic through an environment proxy
		DialContext:            d.DialContext,
		MaxIdleConns:           4096,
		MaxIdleConnsPerHost:    1024,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  0, // bounded by the integration timeout
		MaxResponseHeaderBytes: 64 << 10,
		TLSClientConfig:        &tls.Config{ServerName: serverName, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:      false,
	}
}
