package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// gatehouseBin is the binary under test, built once by TestMain.
var gatehouseBin string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "gatehouse-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point into here, at
	// files that do not exist, so no user configuration leaks in.
	awsConfigDir = filepath.Join(dir, "aws")
	if bin := os.Getenv("GATEHOUSE_E2E_BINARY"); bin != "" {
		gatehouseBin = bin
		return m.Run()
	}
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: finding the module root:", err)
		return 1
	}
	gatehouseBin = filepath.Join(dir, "gatehouse")
	build := exec.Command(goTool(), "build", "-o", gatehouseBin, "./cmd/gatehouse")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/gatehouse: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	if root := os.Getenv("GOROOT"); root != "" {
		return filepath.Join(root, "bin", "go")
	}
	return "go"
}

// moduleRoot is the directory of go.mod: `go env GOMOD`, else ../.. (this
// package lives in test/e2e).
func moduleRoot() (string, error) {
	if out, err := exec.Command(goTool(), "env", "GOMOD").Output(); err == nil {
		if p := strings.TrimSpace(string(out)); p != "" && p != os.DevNull {
			return filepath.Dir(p), nil
		}
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return "", err
	}
	return root, nil
}

// ---------------------------------------------------------------------------
// The gatehouse process.

// Gatehouse is one running gatehouse process on a free loopback port.
type Gatehouse struct {
	URL     string // http://127.0.0.1:PORT
	DataDir string

	cmd     *exec.Cmd
	logs    *syncBuffer
	done    chan struct{}
	waitErr error
}

// Options configure startGatehouse.
type Options struct {
	DataDir string   // "" means a fresh t.TempDir()
	Args    []string // extra arguments after serve --listen --data-dir
	Env     []string // extra environment variables (KEY=VALUE)
}

var listenAddrRE = regexp.MustCompile(`msg="gatehouse listening".*\baddr=(127\.0\.0\.1:\d+)`)

// startGatehouse starts gatehouse serve on 127.0.0.1:0, waits until
// /_gatehouse/health answers and registers a cleanup that kills it if the
// test did not stop it.
func startGatehouse(t *testing.T, o Options) *Gatehouse {
	t.Helper()
	if o.DataDir == "" {
		o.DataDir = t.TempDir()
	}
	args := append([]string{"serve", "--listen", "127.0.0.1:0", "--data-dir", o.DataDir}, o.Args...)
	// E2E_HTTP_SERVER runs the whole suite on another inbound server
	// (E2E_HTTP_SERVER=gatehouse go test ./test/e2e/).
	if srv := os.Getenv("E2E_HTTP_SERVER"); srv != "" && !slices.Contains(o.Args, "--http-server") {
		args = append(args, "--http-server", srv)
	}
	cmd := exec.Command(gatehouseBin, args...)
	cmd.Env = append(cleanEnv(), o.Env...)
	g := &Gatehouse{DataDir: o.DataDir, cmd: cmd, logs: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout = g.logs
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", gatehouseBin, err)
	}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		found := false
		for sc.Scan() {
			line := sc.Text()
			g.logs.WriteString(line + "\n")
			if !found {
				if m := listenAddrRE.FindStringSubmatch(line); m != nil {
					found = true
					addrc <- m[1]
				}
			}
		}
		io.Copy(io.Discard, stderr)
		g.waitErr = cmd.Wait()
		close(g.done)
	}()
	t.Cleanup(func() {
		if g.running() {
			g.cmd.Process.Kill()
			<-g.done
		}
		if t.Failed() {
			t.Logf("gatehouse log (%s), without successful management requests:\n%s", g.URL, tail(interestingLogs(g.logs.String()), 40))
		}
	})
	select {
	case addr := <-addrc:
		g.URL = "http://" + addr
	case <-g.done:
		t.Fatalf("gatehouse exited before listening (%v):\n%s", g.waitErr, g.logs.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("gatehouse did not log its listen address within 20s:\n%s", g.logs.String())
	}
	g.waitHealthy(t, 15*time.Second)
	return g
}

func (g *Gatehouse) waitHealthy(t *testing.T, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		resp, err := httpClient.Get(g.URL + "/_gatehouse/health")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("gatehouse at %s not healthy within %v (last error %v)", g.URL, within, err)
		}
		select {
		case <-g.done:
			t.Fatalf("gatehouse exited while waiting for health (%v)", g.waitErr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (g *Gatehouse) running() bool {
	select {
	case <-g.done:
		return false
	default:
		return true
	}
}

// Stop sends SIGTERM and waits for the process to exit; it returns the exit code.
func (g *Gatehouse) Stop(t *testing.T) int {
	t.Helper()
	return g.signalAndWait(t, syscall.SIGTERM, 40*time.Second)
}

// Kill sends SIGKILL (no graceful shutdown) and waits for the process to die.
func (g *Gatehouse) Kill(t *testing.T) {
	t.Helper()
	g.signalAndWait(t, syscall.SIGKILL, 10*time.Second)
}

func (g *Gatehouse) signalAndWait(t *testing.T, sig syscall.Signal, within time.Duration) int {
	t.Helper()
	if err := g.cmd.Process.Signal(sig); err != nil && g.running() {
		t.Fatalf("signal %v: %v", sig, err)
	}
	select {
	case <-g.done:
	case <-time.After(within):
		g.cmd.Process.Kill()
		<-g.done
		t.Fatalf("gatehouse did not exit within %v of %v", within, sig)
	}
	return g.cmd.ProcessState.ExitCode()
}

// Logs returns everything the process wrote so far.
func (g *Gatehouse) Logs() string { return g.logs.String() }

// ---------------------------------------------------------------------------
// HTTP helpers.

// httpClient talks only to 127.0.0.1: no proxy, whatever the environment says.
var httpClient = &http.Client{
	Timeout: 60 * time.Second,
	Transport: &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 64,
	},
}

// Response is a buffered HTTP response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r *Response) JSON(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("response body is not JSON (%v): %.300s", err, r.Body)
	}
}

// request sends one request; body may be nil, []byte, string or a value to
// encode as JSON. hdr holds extra header pairs.
func (g *Gatehouse) request(method, path string, body any, hdr ...string) (*Response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	case io.Reader:
		rd = b
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, g.URL+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if strings.EqualFold(hdr[i], "Host") { // net/http sends req.Host, not a Host header
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

// call is request that fails the test on transport errors.
func (g *Gatehouse) call(t *testing.T, method, path string, body any, hdr ...string) *Response {
	t.Helper()
	r, err := g.request(method, path, body, hdr...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// mustCall is call that also requires the given status.
func (g *Gatehouse) mustCall(t *testing.T, want int, method, path string, body any, hdr ...string) *Response {
	t.Helper()
	r := g.call(t, method, path, body, hdr...)
	if r.Status != want {
		t.Fatalf("%s %s: status %d, want %d: %.500s", method, path, r.Status, want, r.Body)
	}
	return r
}

// regionAuth is an Authorization header that only names a region: enough for
// permissive mode, which takes the region from the credential scope without
// verifying anything.
func regionAuth(region string) []string {
	return []string{"Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/" + region +
		"/apigateway/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + strings.Repeat("0", 64)}
}

// listAll pages through a v2 collection with maxResults=pageSize and returns
// every item, failing on a repeated id (idKey names the id member).
func (g *Gatehouse) listAll(t *testing.T, path string, pageSize int, idKey string, hdr ...string) []map[string]any {
	t.Helper()
	var items []map[string]any
	seen := map[string]bool{}
	token := ""
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatalf("listing %s: too many pages", path)
		}
		q := fmt.Sprintf("?maxResults=%d", pageSize)
		if token != "" {
			q += "&nextToken=" + token
		}
		var page struct {
			Items     []map[string]any `json:"items"`
			NextToken string           `json:"nextToken"`
		}
		g.mustCall(t, http.StatusOK, http.MethodGet, path+q, nil, hdr...).JSON(t, &page)
		if len(page.Items) > pageSize {
			t.Fatalf("listing %s: page of %d items for maxResults=%d", path, len(page.Items), pageSize)
		}
		for _, it := range page.Items {
			id, _ := it[idKey].(string)
			if seen[id] {
				t.Fatalf("listing %s: %s %q returned twice", path, idKey, id)
			}
			seen[id] = true
			items = append(items, it)
		}
		if page.NextToken == "" {
			return items
		}
		token = page.NextToken
	}
}

// ---------------------------------------------------------------------------
// External tools: python3 + boto3, the AWS CLI.

// missingTool skips the test locally but fails it in CI, where the e2e tests
// must really run.
func missingTool(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI is set, so the end-to-end tests must run)", msg)
	}
	t.Skip(msg)
}

var (
	pythonOnce sync.Once
	pythonPath string
	pythonErr  error
	awsOnce    sync.Once
	awsPath    string
	awsErr     error
)

// requireBoto3 returns the python3 to run testdata scripts with.
func requireBoto3(t *testing.T) string {
	t.Helper()
	pythonOnce.Do(func() {
		if pythonPath, pythonErr = exec.LookPath("python3"); pythonErr != nil {
			return
		}
		cmd := exec.Command(pythonPath, "-c", "import boto3, botocore; print(boto3.__version__)")
		cmd.Env = awsEnv()
		if out, err := cmd.CombinedOutput(); err != nil {
			pythonErr = fmt.Errorf("python3 cannot import boto3: %v: %s", err, bytes.TrimSpace(out))
		}
	})
	if pythonErr != nil {
		missingTool(t, "python3 with boto3 not available: %v", pythonErr)
	}
	return pythonPath
}

// requireAWSCLI returns the aws command.
func requireAWSCLI(t *testing.T) string {
	t.Helper()
	awsOnce.Do(func() {
		if awsPath, awsErr = exec.LookPath("aws"); awsErr != nil {
			return
		}
		cmd := exec.Command(awsPath, "--version")
		cmd.Env = awsEnv()
		if out, err := cmd.CombinedOutput(); err != nil {
			awsErr = fmt.Errorf("aws --version: %v: %s", err, bytes.TrimSpace(out))
		}
	})
	if awsErr != nil {
		missingTool(t, "the AWS CLI (aws) is not available: %v", awsErr)
	}
	return awsPath
}

// cleanEnv is the environment without AWS, Gatehouse or proxy settings, so
// nothing outside the test decides where requests go or how they are signed.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		u := strings.ToUpper(k)
		if strings.HasPrefix(u, "AWS_") || strings.HasPrefix(u, "GATEHOUSE_") || strings.HasSuffix(u, "_PROXY") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// awsConfigDir is a directory without AWS configuration files (set by TestMain).
var awsConfigDir = filepath.Join(os.TempDir(), "gatehouse-e2e-no-aws-config")

// awsEnv is cleanEnv plus the fixed test credentials and region.
func awsEnv(extra ...string) []string {
	dir := awsConfigDir
	return append(append(cleanEnv(),
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "config-does-not-exist"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials-do-not-exist"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_MAX_ATTEMPTS=1",
		"AWS_RETRY_MODE=standard",
		"AWS_PAGER=",
		"NO_PROXY=127.0.0.1,localhost",
		"no_proxy=127.0.0.1,localhost",
		"PYTHONDONTWRITEBYTECODE=1",
		"PYTHONUNBUFFERED=1",
	), extra...)
}

// runPython runs testdata/<script> with args and the test credentials; it
// returns combined stdout and stderr and the error from the run.
func runPython(t *testing.T, env []string, script string, args ...string) (string, error) {
	t.Helper()
	py := requireBoto3(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, append([]string{filepath.Join("testdata", script)}, args...)...)
	cmd.Env = awsEnv(env...)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s timed out: %w", script, ctx.Err())
	}
	return out.String(), err
}

// CLIResult is one aws invocation.
type CLIResult struct {
	Stdout, Stderr string
	Code           int
}

// JSON decodes stdout.
func (r CLIResult) JSON(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Stdout), v); err != nil {
		t.Fatalf("aws output is not JSON (%v): %.500s", err, r.Stdout)
	}
}

// runAWS runs aws --endpoint-url URL args... (JSON output).
func runAWS(t *testing.T, g *Gatehouse, args ...string) CLIResult {
	t.Helper()
	aws := requireAWSCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	full := append([]string{"--endpoint-url", g.URL, "--output", "json"}, args...)
	cmd := exec.CommandContext(ctx, aws, full...)
	cmd.Env = awsEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := CLIResult{Stdout: stdout.String(), Stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("aws %s: timed out", strings.Join(args, " "))
	case errors.As(err, &ee):
		res.Code = ee.ExitCode()
	case err != nil:
		t.Fatalf("aws %s: %v", strings.Join(args, " "), err)
	}
	return res
}

// mustAWS is runAWS that requires success.
func mustAWS(t *testing.T, g *Gatehouse, args ...string) CLIResult {
	t.Helper()
	r := runAWS(t, g, args...)
	if r.Code != 0 {
		t.Fatalf("aws %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.Code, r.Stdout, r.Stderr)
	}
	return r
}

// ---------------------------------------------------------------------------
// Small utilities.

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) WriteString(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.WriteString(s)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// interestingLogs drops the per-request lines of calls that succeeded or were
// plain client errors, keeping startup, shutdown, warnings and 5xx lines.
func interestingLogs(s string) string {
	var keep []string
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, `msg="management request"`) && !strings.Contains(line, "status=5") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("... (%d earlier lines)", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// jsonEqual compares two decoded JSON values.
func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}
