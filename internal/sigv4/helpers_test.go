package sigv4

import (
	"errors"
	"testing"
	"time"
)

// Fixed test credentials and clock. No test reads the wall clock.
const (
	testAccessKey = "AKIDEXAMPLE"
	testSecret    = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testToken     = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDEXAMPLE=="
	testRegion    = "us-east-1"
	testService   = "apigateway"
	testHost      = "apigateway.us-east-1.amazonaws.com"
)

// signTime is when every test request is signed.
var signTime = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)

func lookupSecret(secret string) Lookup {
	return func(id string) (string, bool) {
		if id == testAccessKey {
			return secret, true
		}
		return "", false
	}
}

// verifierAt returns a Verifier knowing testAccessKey whose clock reads
// signTime+offset.
func verifierAt(offset time.Duration) *Verifier {
	now := signTime.Add(offset)
	return &Verifier{Lookup: lookupSecret(testSecret), Now: func() time.Time { return now }}
}

// errCode returns the *Error code of err, "" for nil, and fails the test on
// any other error type.
func errCode(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *sigv4.Error", err, err)
	}
	if e.Status != 403 {
		t.Errorf("status = %d, want 403", e.Status)
	}
	return e.Code
}
