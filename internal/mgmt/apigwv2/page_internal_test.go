package apigwv2

import (
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

func TestTokenRoundTripAndForeignTokens(t *testing.T) {
	scope := apiScope("us-east-1", "abc")
	for _, seq := range []int64{0, 1, 127, 128, 1 << 40} {
		tok := encodeToken(seq, kindIntegration, scope)
		got, err := decodeToken(tok, kindIntegration, scope)
		if err != nil || got != seq {
			t.Errorf("decodeToken(encodeToken(%d)) = %d, %v", seq, got, err)
		}
		for _, foreign := range []struct {
			kind  store.Kind
			scope string
		}{
			{kindRoute, scope}, // another collection of the same API
			{kindIntegration, apiScope("us-east-1", "other")}, // another API
			{kindIntegration, apiScope("eu-west-1", "abc")},   // another region
		} {
			if _, err := decodeToken(tok, foreign.kind, foreign.scope); !isBadRequest(err) {
				t.Errorf("token for %s used on %s %s: err = %v, want BadRequestException", scope, foreign.kind, foreign.scope, err)
			}
		}
	}
	for _, bad := range []string{"", "x", "!!!!", "AQ", strings.Repeat("A", 40), encodeToken(5, kindIntegration, scope) + "A"} {
		if _, err := decodeToken(bad, kindIntegration, scope); !isBadRequest(err) {
			t.Errorf("decodeToken(%q) = %v, want BadRequestException", bad, err)
		}
	}
}

func isBadRequest(err error) bool {
	e, ok := awserr.As(err)
	return ok && e.Status == 400 && e.Type == "BadRequestException"
}
