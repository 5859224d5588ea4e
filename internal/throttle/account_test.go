package throttle

import (
	"testing"
	"time"
)

func TestAccount(t *testing.T) {
	c := newClock()
	a := NewAccount(Limits{Rate: 2, Burst: 3}, c.now)

	if got := take(5, func() bool { return a.Allow("us-east-1") }); got != 3 {
		t.Errorf(`5 × Allow("us-east-1") passed %d, want 3 (burst)`, got)
	}
	if got := take(5, func() bool { return a.Allow("eu-west-1") }); got != 3 {
		t.Errorf(`5 × Allow("eu-west-1") passed %d, want 3: each Region has its own bucket`, got)
	}
	c.advance(time.Second)
	if got := take(5, func() bool { return a.Allow("us-east-1") }); got != 2 {
		t.Errorf(`after 1 s, 5 × Allow("us-east-1") passed %d, want 2 (rate)`, got)
	}
}

func TestAccountNilAllows(t *testing.T) {
	var a *Account
	if !a.Allow("us-east-1") {
		t.Error(`(*Account)(nil).Allow("us-east-1") = false, want true`)
	}
}

func TestAccountDefaultClock(t *testing.T) {
	a := NewAccount(AccountDefault, nil)
	if got := take(5000, func() bool { return a.Allow("r") }); got < 5000 {
		t.Errorf("AccountDefault: 5000 × Allow passed %d, want 5000 (burst 5,000)", got)
	}
}
