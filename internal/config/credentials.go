// Package config holds settings that come from files: the credentials Gatehouse
// accepts in strict mode.
package config

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// LoadCredentials reads an AWS shared-credentials style INI file (the format of
// ~/.aws/credentials) and returns access key id → secret for every profile.
//
//	[default]
//	aws_access_key_id = AKIDEXAMPLE
//	aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
func LoadCredentials(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading credentials: %w", err)
	}
	defer f.Close()
	creds, err := parseCredentials(f)
	if err != nil {
		return nil, fmt.Errorf("reading credentials %s: %w", path, err)
	}
	return creds, nil
}

func parseCredentials(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	var profile, id, secret string
	flush := func() error {
		switch {
		case id == "" && secret == "":
		case id == "" || secret == "":
			return fmt.Errorf("profile [%s] needs both aws_access_key_id and aws_secret_access_key", profile)
		default:
			out[id] = secret
		}
		id, secret = "", ""
		return nil
	}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[' && line[len(line)-1] == ']':
			if err := flush(); err != nil {
				return nil, err
			}
			profile = strings.TrimSpace(line[1 : len(line)-1])
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return nil, fmt.Errorf("line %d: expected key = value", n)
			}
			switch strings.TrimSpace(strings.ToLower(k)) {
			case "aws_access_key_id":
				id = strings.TrimSpace(v)
			case "aws_secret_access_key":
				secret = strings.TrimSpace(v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}
