package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runVTL(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	cmd := vtlCommand()
	var out, errOut bytes.Buffer
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceUsage = true
	cmd.SilenceErrors = true
	cmd.SetArgs(append([]string{"render"}, args...))
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVTLRender(t *testing.T) {
	tpl := writeTemp(t, "req.vtl", `{"id": "$input.params('id')", "q": "$input.params('q')", "ct": "$input.params('content-type')",
 "name": $input.json('$.name'), "stage": "$context.stage", "ip": "$context.identity.sourceIp", "backend": "$stageVariables.backend"}
#set($context.responseOverride.status = 202)`)
	body := writeTemp(t, "body.json", `{"name": "Ann"}`)
	out, stderr, err := runVTL(t, "", "--template", tpl, "--body", body, "--content-type", "application/json",
		"--params", `{"path":{"id":"42"},"querystring":{"q":"x y"}}`,
		"--context", `{"stage":"prod","identity":{"sourceIp":"203.0.113.7"}}`,
		"--stage-variables", `{"backend":"orders"}`)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id": "42", "q": "x y", "ct": "application/json",
 "name": "Ann", "stage": "prod", "ip": "203.0.113.7", "backend": "orders"}
`
	if out != want {
		t.Errorf("stdout = %q, want %q", out, want)
	}
	if stderr != "override: $context.responseOverride.status = 202\n" {
		t.Errorf("stderr = %q", stderr)
	}
}

func TestVTLRenderBodyFromStdin(t *testing.T) {
	tpl := writeTemp(t, "t.vtl", `#foreach($p in $input.path('$.pets'))$p.name#if($foreach.hasNext),#end#end`)
	out, _, err := runVTL(t, `{"pets":[{"name":"a"},{"name":"b"}]}`, "--template", tpl, "--body", "-")
	if err != nil || out != "a,b" {
		t.Errorf("render = %q, %v", out, err)
	}
}

func TestVTLRenderErrors(t *testing.T) {
	bad := writeTemp(t, "bad.vtl", "line one\n  #if($x)\nno end")
	good := writeTemp(t, "good.vtl", "ok")
	tests := []struct {
		args []string
		want string
	}{
		{args: []string{"--template", bad}, want: "bad.vtl:2:3: #if is not closed by #end"},
		{args: []string{"--template", good, "--params", `{"cookie":{}}`}, want: `unknown location "cookie"`},
		{args: []string{"--template", good, "--context", `[1]`}, want: "--context must be a JSON object"},
		{args: []string{"--template", good, "--stage-variables", `{"a":`}, want: "--stage-variables: invalid JSON"},
		{args: []string{"--template", filepath.Join(t.TempDir(), "missing.vtl")}, want: "reading template"},
		{args: []string{}, want: `required flag(s) "template" not set`},
	}
	for _, tc := range tests {
		_, _, err := runVTL(t, "", tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("vtl render %v = %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
}
