package config

import (
	"strings"
	"testing"
)

func TestParseCredentials(t *testing.T) {
	got, err := parseCredentials(strings.NewReader(`
# comment
[default]
aws_access_key_id = AKIDONE
aws_secret_access_key=secret/one+x

; another
[ci]
AWS_ACCESS_KEY_ID=AKIDTWO
aws_secret_access_key = two
region = eu-west-1
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["AKIDONE"] != "secret/one+x" || got["AKIDTWO"] != "two" {
		t.Errorf("parseCredentials = %v", got)
	}
	for _, bad := range []string{"[p]\naws_access_key_id = X\n", "[p]\nnot a pair\n"} {
		if _, err := parseCredentials(strings.NewReader(bad)); err == nil {
			t.Errorf("parseCredentials(%q) succeeded, want an error", bad)
		}
	}
}
