package main

import (
	"testing"
)

func TestEnvDefaults(t *testing.T) {
	cmd := serveCommand()
	t.Setenv("GATEHOUSE_DATA_DIR", "/from/env")
	t.Setenv("GATEHOUSE_LISTEN", "127.0.0.1:9999")
	t.Setenv("GATEHOUSE_ALLOW_RESET", "true")
	if err := cmd.Flags().Parse([]string{"--listen", "127.0.0.1:1"}); err != nil {
		t.Fatal(err)
	}
	if err := envDefaults(cmd.Flags()); err != nil {
		t.Fatal(err)
	}
	for flag, want := range map[string]string{"data-dir": "/from/env", "listen": "127.0.0.1:1", "allow-reset": "true", "region": "us-east-1"} {
		if got := cmd.Flags().Lookup(flag).Value.String(); got != want {
			t.Errorf("--%s = %q, want %q (flag beats env, env beats default)", flag, got, want)
		}
	}
	t.Setenv("GATEHOUSE_SYNC_FULL", "maybe")
	if err := envDefaults(serveCommand().Flags()); err == nil {
		t.Error("GATEHOUSE_SYNC_FULL=maybe accepted, want an error naming the variable")
	}
}
