package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHealthAndReset covers /_gatehouse/health and /_gatehouse/reset in the
// default (permissive) mode.
func TestHealthAndReset(t *testing.T) {
	t.Parallel()
	g := startGatehouse(t, Options{})

	t.Run("Health", func(t *testing.T) {
		r := g.mustCall(t, http.StatusOK, http.MethodGet, "/_gatehouse/health", nil)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("health Content-Type %q", ct)
		}
		var h map[string]any
		r.JSON(t, &h)
		if h["status"] != "ok" {
			t.Errorf("health status %v, want \"ok\" (body %s)", h["status"], r.Body)
		}
		if v, ok := h["version"].(string); !ok || v == "" {
			t.Errorf("health version %v, want a non-empty string", h["version"])
		}
		if len(h) != 2 {
			t.Errorf("health has keys %v, want exactly status and version", keys(h))
		}
		g.mustCall(t, http.StatusOK, http.MethodHead, "/_gatehouse/health", nil)
		for _, m := range []string{http.MethodPost, http.MethodDelete} {
			checkAWSError(t, g.call(t, m, "/_gatehouse/health", nil), http.StatusMethodNotAllowed, "MethodNotAllowedException")
		}
		checkAWSError(t, g.call(t, http.MethodGet, "/_gatehouse/reset", nil), http.StatusMethodNotAllowed, "MethodNotAllowedException")
		checkAWSError(t, g.call(t, http.MethodGet, "/_gatehouse/nope", nil), http.StatusNotFound, "")
	})

	t.Run("Reset", func(t *testing.T) {
		east, west := regionAuth("us-east-1"), regionAuth("eu-west-2")
		var api struct{ ApiId string }
		g.mustCall(t, http.StatusCreated, http.MethodPost, "/v2/apis", map[string]any{
			"name": "to-wipe", "protocolType": "HTTP", "tags": map[string]string{"_custom_id_": "wipe-me"}}, east...).JSON(t, &api)
		g.mustCall(t, http.StatusCreated, http.MethodPost, "/v2/apis/wipe-me/integrations", map[string]any{
			"integrationType": "HTTP_PROXY", "integrationUri": "https://example.com", "integrationMethod": "ANY",
			"payloadFormatVersion": "1.0"}, east...)
		g.mustCall(t, http.StatusCreated, http.MethodPost, "/v2/apis", map[string]any{
			"name": "to-wipe-west", "protocolType": "WEBSOCKET", "routeSelectionExpression": "$request.body.a"}, west...)
		g.mustCall(t, http.StatusCreated, http.MethodPost, "/v2/vpclinks", map[string]any{
			"name": "l", "subnetIds": []string{"s"}}, east...)
		if n := len(g.listAll(t, "/v2/apis", 100, "apiId", east...)); n != 1 {
			t.Fatalf("before reset: %d APIs in us-east-1, want 1", n)
		}

		r := g.call(t, http.MethodPost, "/_gatehouse/reset", nil)
		if r.Status != http.StatusNoContent || len(r.Body) != 0 {
			t.Fatalf("POST /_gatehouse/reset: %d %q, want 204 and no body", r.Status, r.Body)
		}
		for _, c := range []struct {
			path, region string
			hdr          []string
		}{{"/v2/apis", "us-east-1", east}, {"/v2/apis", "eu-west-2", west}, {"/v2/vpclinks", "us-east-1", east}} {
			var page struct {
				Items []json.RawMessage `json:"items"`
			}
			g.mustCall(t, http.StatusOK, http.MethodGet, c.path, nil, c.hdr...).JSON(t, &page)
			if len(page.Items) != 0 {
				t.Errorf("after reset %s (%s) still lists %d items", c.path, c.region, len(page.Items))
			}
		}
		checkAWSError(t, g.call(t, http.MethodGet, "/v2/apis/wipe-me/integrations", nil, east...), http.StatusNotFound, "NotFoundException")
		// The same custom id can be used again, and reset twice is fine.
		g.mustCall(t, http.StatusCreated, http.MethodPost, "/v2/apis", map[string]any{
			"name": "again", "protocolType": "HTTP", "tags": map[string]string{"_custom_id_": "wipe-me"}}, east...)
		g.mustCall(t, http.StatusNoContent, http.MethodPost, "/_gatehouse/reset", nil)
		g.mustCall(t, http.StatusNoContent, http.MethodPost, "/_gatehouse/reset", nil)
		g.mustCall(t, http.StatusOK, http.MethodGet, "/_gatehouse/health", nil)
	})
}

// TestStrictAuth runs gatehouse with --auth strict: SigV4 is verified, the
// reset endpoint is closed unless --allow-reset.
func TestStrictAuth(t *testing.T) {
	t.Parallel()
	env := []string{"GATEHOUSE_ACCESS_KEY_ID=AKIDTEST", "GATEHOUSE_SECRET_ACCESS_KEY=secret"}

	t.Run("NoCredentials", func(t *testing.T) {
		// Strict mode without any credentials is a configuration error.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, gatehouseBin, "serve", "--listen", "127.0.0.1:0", "--data-dir", t.TempDir(), "--auth", "strict")
		cmd.Env = cleanEnv()
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "strict needs credentials") {
			t.Errorf("serve --auth strict without credentials: err %v, output %s", err, out)
		}
	})

	t.Run("ResetForbidden", func(t *testing.T) {
		g := startGatehouse(t, Options{Args: []string{"--auth", "strict"}, Env: env})
		g.mustCall(t, http.StatusOK, http.MethodGet, "/_gatehouse/health", nil)
		checkAWSError(t, g.call(t, http.MethodPost, "/_gatehouse/reset", nil), http.StatusForbidden, "AccessDeniedException")
	})

	t.Run("Unsigned", func(t *testing.T) {
		g := startGatehouse(t, Options{Args: []string{"--auth", "strict"}, Env: env})
		for _, c := range []struct{ method, path string }{
			{http.MethodGet, "/v2/apis"},
			{http.MethodPost, "/v2/apis"},
			{http.MethodGet, "/v2/apis/abc/integrations"},
		} {
			var body any
			if c.method == http.MethodPost {
				body = map[string]any{"name": "unsigned", "protocolType": "HTTP"}
			}
			r := g.call(t, c.method, c.path, body)
			checkAWSError(t, r, http.StatusForbidden, "MissingAuthenticationTokenException")
			var m struct{ Message string }
			if json.Unmarshal(r.Body, &m) == nil && m.Message != "Missing Authentication Token" {
				t.Errorf("%s %s unsigned: message %q, want \"Missing Authentication Token\"", c.method, c.path, m.Message)
			}
		}
		// The same with curl, if there is one.
		if curl, err := exec.LookPath("curl"); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, curl, "-sS", "--noproxy", "*", "-i", g.URL+"/v2/apis")
			cmd.Env = cleanEnv()
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("curl: %v", err)
			}
			s := string(out)
			if !strings.HasPrefix(s, "HTTP/1.1 403") || !strings.Contains(strings.ToLower(s), "x-amzn-errortype: missingauthenticationtokenexception") {
				t.Errorf("unsigned curl GET /v2/apis:\n%s", s)
			}
		}
	})

	t.Run("Boto3", func(t *testing.T) {
		requireBoto3(t)
		g := startGatehouse(t, Options{Args: []string{"--auth", "strict"}, Env: env})
		out, err := runPython(t, nil, "strict_auth.py", g.URL, "auth")
		if err != nil {
			t.Fatalf("strict_auth.py auth: %v\n%s", err, out)
		}
		// A forbidden reset changes nothing.
		checkAWSError(t, g.call(t, http.MethodPost, "/_gatehouse/reset", nil), http.StatusForbidden, "AccessDeniedException")
		if out, err := runPython(t, nil, "strict_auth.py", g.URL, "count", "1"); err != nil {
			t.Fatalf("strict_auth.py count 1 after a forbidden reset: %v\n%s", err, out)
		}
	})

	t.Run("CredentialsFile", func(t *testing.T) {
		requireBoto3(t)
		// The same keys from an AWS shared-credentials file instead of the environment.
		file := filepath.Join(t.TempDir(), "credentials")
		if err := os.WriteFile(file, []byte("[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = x\n\n[ci]\naws_access_key_id = AKIDTEST\naws_secret_access_key = secret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		g := startGatehouse(t, Options{Args: []string{"--auth", "strict", "--credentials", file}})
		if out, err := runPython(t, nil, "strict_auth.py", g.URL, "auth"); err != nil {
			t.Fatalf("strict_auth.py auth with --credentials: %v\n%s", err, out)
		}
	})

	t.Run("AllowReset", func(t *testing.T) {
		requireBoto3(t)
		g := startGatehouse(t, Options{Args: []string{"--auth", "strict", "--allow-reset"}, Env: env})
		if out, err := runPython(t, nil, "strict_auth.py", g.URL, "auth"); err != nil {
			t.Fatalf("strict_auth.py auth: %v\n%s", err, out)
		}
		g.mustCall(t, http.StatusNoContent, http.MethodPost, "/_gatehouse/reset", nil)
		if out, err := runPython(t, nil, "strict_auth.py", g.URL, "count", "0"); err != nil {
			t.Fatalf("strict_auth.py count 0 after reset: %v\n%s", err, out)
		}
	})
}

// checkAWSError requires an AWS-shaped error: the status, a JSON body with a
// message, and x-amzn-ErrorType (equal to typ unless typ is "").
func checkAWSError(t *testing.T, r *Response, status int, typ string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("status %d, want %d (body %.300s)", r.Status, status, r.Body)
	}
	switch et := r.Header.Get("x-amzn-ErrorType"); {
	case et == "":
		t.Errorf("no x-amzn-ErrorType header (want %q)", cmp.Or(typ, "an AWS error type"))
	case typ != "" && et != typ:
		t.Errorf("x-amzn-ErrorType %q, want %q", et, typ)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want application/json (body %.200q)", ct, r.Body)
	}
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Errorf("error body is not a JSON object: %.300q", r.Body)
	} else if msg, ok := m["message"].(string); !ok || msg == "" {
		t.Errorf("error body has no message: %s", r.Body)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return sorted(out)
}
