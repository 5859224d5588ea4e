package remote

import (
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// newHTTPClient returns the SDK's client with bounded connect, TLS handshake,
// response-header and overall times. It stays a *BuildableClient so the SDK
// can still apply a custom CA bundle (AWS_CA_BUNDLE).
func newHTTPClient(timeout time.Duration) *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().
		WithTimeout(timeout).
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = dialTimeout }).
		WithTransportOptions(func(tr *http.Transport) {
			tr.TLSHandshakeTimeout = dialTimeout
			tr.ResponseHeaderTimeout = timeout
		})
}

// httpDoer is the SDK's HTTPClient interface.
type httpDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// boundedClient cuts response bodies off past max bytes, so a misbehaving
// endpoint cannot make Gatehouse buffer without limit.
type boundedClient struct {
	c   httpDoer
	max int64
}

func (b *boundedClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := b.c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, left: b.max}
	return resp, nil
}

// errTooLarge is reported when a response body exceeds the bound.
var errTooLarge = errors.New("remote Lambda response exceeds the size limit")

// limitedBody fails a read that would go past left bytes.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.rc.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return 0, errTooLarge
	}
	return n, err
}

func (l *limitedBody) Close() error { return l.rc.Close() }
