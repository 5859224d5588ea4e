package targets

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"syscall"
	"testing"
	"time"
)

type errTimeout struct{}

func (errTimeout) Error() string   { return "i/o timeout" }
func (errTimeout) Timeout() bool   { return true }
func (errTimeout) Temporary() bool { return true }

var errCanceled = &url.Error{Op: "Get", URL: "http://a", Err: context.Canceled}

func TestCountsAsFailure(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{name: "connection refused", err: errRefused, want: true},
		{name: "dial error", err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("no such host")}, want: true},
		{name: "DNS failure while dialing", err: &url.Error{Op: "Get", URL: "http://nope.invalid", Err: &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "nope.invalid"}}}, want: true},
		{name: "connection reset by target", err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}, want: true},
		{name: "host unreachable", err: &net.OpError{Op: "write", Err: syscall.EHOSTUNREACH}, want: true},
		{name: "net timeout", err: errTimeout{}, want: true},
		{name: "integration timeout (context deadline)", err: &url.Error{Op: "Get", URL: "http://a", Err: context.DeadlineExceeded}, want: true},
		{name: "client went away", err: errCanceled, want: false},
		{name: "TLS verification", err: &tls.CertificateVerificationError{Err: errors.New("x509: unknown authority")}, want: false},
		{name: "unexpected EOF", err: io.ErrUnexpectedEOF, want: false},
		{name: "other", err: errors.New("net/http: HTTP/1.x transport connection broken: malformed HTTP response"), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := countsAsFailure(tt.err); got != tt.want {
				t.Errorf("countsAsFailure(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// TestCountsAsFailureRealTransport checks the classification against errors net/http really returns.
func TestCountsAsFailureRealTransport(t *testing.T) {
	// A port that was listening and no longer is: connection refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer slow.Close()

	tests := []struct {
		name string
		do   func() error
		want bool
	}{
		{name: "refused", want: true, do: func() error {
			_, err := http.Get(closed)
			return err
		}},
		{name: "client timeout", want: true, do: func() error {
			_, err := (&http.Client{Timeout: 20 * time.Millisecond}).Get(slow.URL)
			return err
		}},
		{name: "context deadline", want: true, do: func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "GET", slow.URL, nil)
			_, err := http.DefaultClient.Do(req)
			return err
		}},
		{name: "context canceled", want: false, do: func() error {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(20*time.Millisecond, cancel)
			req, _ := http.NewRequestWithContext(ctx, "GET", slow.URL, nil)
			_, err := http.DefaultClient.Do(req)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if err == nil {
				t.Fatal("request succeeded, want an error")
			}
			if got := countsAsFailure(err); got != tt.want {
				t.Errorf("countsAsFailure(%v) = %v, want %v", fmt.Sprint(err), got, tt.want)
			}
		})
	}
}
