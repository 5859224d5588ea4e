package targets

import (
	"slices"
	"testing"
)

func TestTableBalancer(t *testing.T) {
	tab := mustParse(t, Options{}, `{"targets": {
		"`+albARN+`": ["http://alb"],
		"`+srvARN+`": ["http://bare"],
		"`+srvARN+`?stage=prod": ["http://prod"]}}`)
	tests := []struct {
		name string
		arn  string
		want string // first target's host; "" means not found
	}{
		{name: "exact listener ARN", arn: albARN, want: "alb"},
		{name: "exact service ARN", arn: srvARN, want: "bare"},
		{name: "query key wins", arn: srvARN + "?stage=prod", want: "prod"},
		{name: "other query falls back to bare ARN", arn: srvARN + "?stage=dev&deployment=green", want: "bare"},
		{name: "unknown ARN", arn: "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-zzz"},
		{name: "query on unknown ARN", arn: "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-zzz?stage=prod"},
		{name: "no prefix match", arn: albARN[:len(albARN)-1]},
		{name: "match is case-sensitive", arn: "ARN" + srvARN[3:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, ok := tab.Balancer(tt.arn)
			got := ""
			if ok {
				got = b.targets[0].URL.Host
			}
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("Balancer(%q) = %q, %v; want %q", tt.arn, got, ok, tt.want)
			}
		})
	}
}

func TestNilTable(t *testing.T) {
	var tab *Table
	if b, ok := tab.Balancer(albARN); b != nil || ok {
		t.Errorf("(*Table)(nil).Balancer(%q) = %v, %v; want nil, false", albARN, b, ok)
	}
	if got := tab.ARNs(); got != nil {
		t.Errorf("(*Table)(nil).ARNs() = %q, want nil", got)
	}
}

func TestARNsSorted(t *testing.T) {
	tab := mustParse(t, Options{}, `{"targets": {"`+srvARN+`": ["http://a"], "`+albARN+`": ["http://b"]}}`)
	if got, want := tab.ARNs(), []string{albARN, srvARN}; !slices.Equal(got, want) {
		t.Errorf("ARNs() = %q, want %q", got, want)
	}
}
