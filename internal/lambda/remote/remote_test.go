package remote

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// fakeLambda speaks the Lambda Invoke wire API
// (POST /2015-03-31/functions/{name}/invocations) and records what it got.
type fakeLambda struct {
	*httptest.Server
	mu   sync.Mutex
	got  []*http.Request
	body []string
	// handle answers one call; name is the decoded function name.
	handle func(w http.ResponseWriter, r *http.Request, name string)
}

func newFakeLambda(t *testing.T) *fakeLambda {
	f := &fakeLambda{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.got, f.body = append(f.got, r), append(f.body, string(b))
		h := f.handle
		f.mu.Unlock()
		rest, ok := strings.CutPrefix(r.URL.Path, "/2015-03-31/functions/")
		name, ok2 := strings.CutSuffix(rest, "/invocations")
		if r.Method != http.MethodPost || !ok || !ok2 {
			awsError(w, 404, "UnknownOperationException", "no such operation "+r.Method+" "+r.URL.Path)
			return
		}
		h(w, r, name)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeLambda) last(t *testing.T) (*http.Request, string) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.got) == 0 {
		t.Fatal("the endpoint received no request")
	}
	return f.got[len(f.got)-1], f.body[len(f.body)-1]
}

func awsError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("X-Amzn-ErrorType", typ)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"Type": "User", "message": msg})
}

func newInvoker(t *testing.T, f *fakeLambda, mut ...func(*Config)) *Invoker {
	t.Helper()
	cfg := Config{Endpoint: f.URL, Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")}
	for _, m := range mut {
		m(&cfg)
	}
	v, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestInvokeRequestResponse(t *testing.T) {
	f := newFakeLambda(t)
	f.handle = func(w http.ResponseWriter, r *http.Request, name string) {
		w.Header().Set("X-Amz-Executed-Version", "7")
		w.Header().Set("X-Amz-Log-Result", "bG9ncw==")
		io.WriteString(w, `{"statusCode":200,"body":"`+name+`"}`)
	}
	v := newInvoker(t, f)
	res, err := v.Invoke(context.Background(), &lambda.Invocation{Function: "arn:aws:lambda:us-west-2:123456789012:function:orders",
		Qualifier: "live", Payload: []byte(`{"version":"2.0"}`), Tail: true})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Payload) != `{"statusCode":200,"body":"arn:aws:lambda:us-west-2:123456789012:function:orders"}` ||
		res.FunctionError != "" || res.ExecutedVersion != "7" || res.LogResult != "bG9ncw==" {
		t.Errorf("result %+v (payload %s)", res, res.Payload)
	}
	r, body := f.last(t)
	if body != `{"version":"2.0"}` || r.URL.Query().Get("Qualifier") != "live" ||
		r.Header.Get("X-Amz-Invocation-Type") != "RequestResponse" || r.Header.Get("X-Amz-Log-Type") != "Tail" {
		t.Errorf("request %s %s headers %v body %q", r.Method, r.URL, r.Header, body)
	}
	// Signed for the function's own region, not the default one.
	if auth := r.Header.Get("Authorization"); !strings.Contains(auth, "/us-west-2/lambda/aws4_request") || !strings.Contains(auth, "Credential=AKID/") {
		t.Errorf("Authorization = %q", auth)
	}
}

func TestInvokeRegionForPlainNames(t *testing.T) {
	f := newFakeLambda(t)
	f.handle = func(w http.ResponseWriter, r *http.Request, name string) { io.WriteString(w, `"ok"`) }
	v := newInvoker(t, f)
	for region, want := range map[string]string{"ap-south-1": "/ap-south-1/lambda/", "": "/eu-west-1/lambda/"} {
		if _, err := v.Invoke(context.Background(), &lambda.Invocation{Function: "plain", Region: region}); err != nil {
			t.Fatal(err)
		}
		if r, _ := f.last(t); !strings.Contains(r.Header.Get("Authorization"), want) || r.URL.Path != "/2015-03-31/functions/plain/invocations" {
			t.Errorf("region %q: path %s, Authorization %q", region, r.URL.Path, r.Header.Get("Authorization"))
		}
	}
}

func TestInvokeFunctionError(t *testing.T) {
	f := newFakeLambda(t)
	f.handle = func(w http.ResponseWriter, r *http.Request, name string) {
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		io.WriteString(w, `{"errorMessage":"boom","errorType":"Error"}`)
	}
	res, err := newInvoker(t, f).Invoke(context.Background(), &lambda.Invocation{Function: "f"})
	if err != nil || res.FunctionError != "Unhandled" || string(res.Payload) != `{"errorMessage":"boom","errorType":"Error"}` {
		t.Errorf("Invoke = %+v, %v; want a function error result", res, err)
	}
}

func TestInvokeErrorMapping(t *testing.T) {
	for _, tc := range []struct {
		status     int
		typ        string
		is         error
		wantStatus int
	}{
		{404, "ResourceNotFoundException", lambda.ErrNotFound, 0},
		{429, "TooManyRequestsException", lambda.ErrThrottled, 0},
		{400, "InvalidParameterValueException", nil, 400},
		{403, "AccessDeniedException", nil, 403},
		{502, "ServiceException", nil, 502},
		{502, "InvalidRuntimeException", nil, 502},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			f := newFakeLambda(t)
			f.handle = func(w http.ResponseWriter, r *http.Request, name string) {
				awsError(w, tc.status, tc.typ, "said "+tc.typ)
			}
			_, err := newInvoker(t, f).Invoke(context.Background(), &lambda.Invocation{Function: "f"})
			if tc.is != nil {
				if !errors.Is(err, tc.is) {
					t.Errorf("error %v, want %v", err, tc.is)
				}
				return
			}
			var le *lambda.Error
			if !errors.As(err, &le) || le.Status != tc.wantStatus || le.Type != tc.typ || le.Message != "said "+tc.typ {
				t.Errorf("error %#v, want *lambda.Error{%d %s}", err, tc.wantStatus, tc.typ)
			}
		})
	}
}

func TestInvokeTimeouts(t *testing.T) {
	f := newFakeLambda(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	f.handle = func(w http.ResponseWriter, r *http.Request, name string) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
	v := newInvoker(t, f, func(c *Config) { c.Timeout = 100 * time.Millisecond })
	start := time.Now()
	_, err := v.Invoke(context.Background(), &lambda.Invocation{Function: "slow"})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
		t.Errorf("own timeout: %v after %v", err, time.Since(start))
	}
	v = newInvoker(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := v.Invoke(ctx, &lambda.Invocation{Function: "slow"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("caller's deadline: %v", err)
	}
}

func TestInvokeBoundsTheResponse(t *testing.T) {
	f := newFakeLambda(t)
	f.handle = func(w http.ResponseWriter, r *http.Request, name string) {
		io.WriteString(w, strings.Repeat("x", 2048))
	}
	v := newInvoker(t, f, func(c *Config) { c.MaxPayload = 1024 })
	if _, err := v.Invoke(context.Background(), &lambda.Invocation{Function: "big"}); err == nil || !errors.Is(err, errTooLarge) {
		t.Errorf("2 KB response with a 1 KB bound: %v", err)
	}
	v = newInvoker(t, f, func(c *Config) { c.MaxPayload = 2048 })
	if res, err := v.Invoke(context.Background(), &lambda.Invocation{Function: "big"}); err != nil || len(res.Payload) != 2048 {
		t.Errorf("2 KB response with a 2 KB bound: %v", err)
	}
}

func TestPlaceholderCredentialsForEndpoints(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_PROFILE", "")
	f := newFakeLambda(t)
	f.handle = func(w http.ResponseWriter, r *http.Request, name string) { io.WriteString(w, `1`) }
	v := newInvoker(t, f, func(c *Config) { c.Credentials = nil })
	if _, err := v.Invoke(context.Background(), &lambda.Invocation{Function: "f"}); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.last(t); !strings.Contains(r.Header.Get("Authorization"), "Credential=gatehouse/") {
		t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
	}
}

func TestNewRejectsBadEndpoints(t *testing.T) {
	for _, ep := range []string{"ftp://x", "127.0.0.1:9000", "http://"} {
		if _, err := New(context.Background(), Config{Endpoint: ep}); err == nil {
			t.Errorf("New(%q) succeeded", ep)
		}
	}
}
