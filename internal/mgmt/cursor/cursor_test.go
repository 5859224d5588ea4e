package cursor

import (
	"strings"
	"testing"
)

func TestRoundTripAndForeignCursors(t *testing.T) {
	coll := []string{"v2.integration", "us-east-1/apis/abc"}
	for _, seq := range []int64{0, 1, 127, 128, 1 << 40} {
		tok := Encode(seq, coll...)
		if got, err := Decode(tok, coll...); err != nil || got != seq {
			t.Errorf("Decode(Encode(%d)) = %d, %v", seq, got, err)
		}
		for _, foreign := range [][]string{
			{"v2.route", "us-east-1/apis/abc"},         // another collection of the same API
			{"v2.integration", "us-east-1/apis/other"}, // another API
			{"v2.integration", "eu-west-1/apis/abc"},   // another region
			{"v2.integrationus-east-1/apis/abc"},       // the parts are not concatenated ambiguously
		} {
			if _, err := Decode(tok, foreign...); err != ErrInvalid {
				t.Errorf("cursor for %v used on %v: err = %v, want ErrInvalid", coll, foreign, err)
			}
		}
	}
	for _, bad := range []string{"", "x", "!!!!", "AQ", strings.Repeat("A", 40), Encode(5, coll...) + "A"} {
		if _, err := Decode(bad, coll...); err != ErrInvalid {
			t.Errorf("Decode(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	coll := []string{"v2.integration", "us-east-1/apis/abc"}
	f.Add(Encode(42, coll...))
	f.Add("AQE")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		seq, err := Decode(tok, coll...)
		if err != nil {
			if err != ErrInvalid {
				t.Fatalf("Decode(%q) error %v", tok, err)
			}
			return
		}
		if seq < 0 || Encode(seq, coll...) != tok {
			t.Fatalf("Decode(%q) = %d accepted a non-canonical or negative cursor", tok, seq)
		}
	})
}
