package jsonpath

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// javaDoubleSlow is AppendJavaDouble's general path for 1e-3 <= |f| < 1e7:
// strconv's shortest digits in plain notation, with ".0" when integral.
func javaDoubleSlow(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	for i := range len(s) {
		if s[i] == '.' {
			return s
		}
	}
	return s + ".0"
}

func TestShortDecimalMatchesStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(f float64) {
		t.Helper()
		got, ok := appendShortDecimal(nil, f)
		if !ok {
			return
		}
		if want := javaDoubleSlow(f); string(got) != want {
			t.Fatalf("appendShortDecimal(%v) = %s, strconv says %s", f, got, want)
		}
	}
	hits := 0
	for i := 0; i < 300000; i++ {
		// Decimals with few digits (the fast path's domain)...
		k := rng.IntN(10)
		n := rng.Int64N(1_000_000_000_000)
		f := float64(n) / pow10[k]
		if rng.IntN(2) == 0 {
			f = -f
		}
		if a := math.Abs(f); a < 1e-3 || a >= 1e7 {
			continue
		}
		if _, ok := appendShortDecimal(nil, f); ok {
			hits++
		}
		check(f)
		// ...their neighbours, and arbitrary doubles in range.
		check(math.Nextafter(f, math.Inf(1)))
		check(math.Nextafter(f, math.Inf(-1)))
		check(1e-3 + rng.Float64()*1e7)
	}
	for _, f := range []float64{0.001, 0.1, 0.2, 0.3, 1, 9.99, 19.98, 149.85, 0.07, 1234567.5, 9999999.999999, 1.0000000000000002, 0.0015, 2.675} {
		check(f)
		check(-f)
	}
	if hits < 100000 {
		t.Fatalf("the fast path took only %d of the short decimals", hits)
	}
}

func TestBoxing(t *testing.T) {
	var d decoder
	vals := []any{d.boxString("héllo"), d.boxFloat(-2.5), d.boxInt(1 << 40), d.boxInt(-7), d.boxInt(200)}
	want := []any{"héllo", -2.5, int64(1 << 40), int64(-7), int64(200)}
	for i := range vals {
		if vals[i] != want[i] {
			t.Errorf("boxed value %d = %#v (%T), want %#v", i, vals[i], vals[i], want[i])
		}
	}
	// The boxes survive a collection and further boxing into the slabs.
	for i := 0; i < 5000; i++ {
		d.boxString(strconv.Itoa(i))
		d.boxFloat(float64(i) + 0.5)
	}
	if s, ok := vals[0].(string); !ok || s != "héllo" {
		t.Fatalf("boxed string changed to %#v", vals[0])
	}
	v, err := ParseString(`{"a":"x","b":[1.5,-300,7,"y"],"c":12345678901234}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := JSON(v); got != `{"a":"x","b":[1.5,-300,7,"y"],"c":12345678901234}` {
		t.Fatalf("round trip: %s", got)
	}
}

// TestShortDecimalParse holds the decoder's numbers (the decimals of up to
// 15 digits it converts with shortDecimal, the integers it accumulates) to
// strconv on random numbers of up to 15 digits, and on a few by hand.
func TestShortDecimalParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 300000; i++ {
		n := 1 + rng.IntN(15)
		b := make([]byte, 0, 18)
		if rng.IntN(2) == 0 {
			b = append(b, '-')
		}
		dot := rng.IntN(n + 1)
		for j := 0; j < n; j++ {
			if j == dot && j > 0 {
				b = append(b, '.')
			}
			b = append(b, byte('0'+rng.IntN(10)))
		}
		text := string(b)
		v, err := ParseString(text)
		if err != nil {
			t.Fatalf("ParseString(%q): %v", text, err)
		}
		switch v := v.(type) {
		case float64:
			want, err := strconv.ParseFloat(text, 64)
			if err != nil || math.Float64bits(v) != math.Float64bits(want) {
				t.Fatalf("ParseString(%q) = %v, strconv says %v (%v)", text, v, want, err)
			}
		case int64:
			want, err := strconv.ParseInt(text, 10, 64)
			if err != nil || v != want || strings.Contains(text, ".") {
				t.Fatalf("ParseString(%q) = int64 %v, strconv says %v (%v)", text, v, want, err)
			}
		default:
			t.Fatalf("ParseString(%q) = %T", text, v)
		}
	}
	for _, c := range []struct {
		m    uint64
		k    int
		neg  bool
		want string
	}{{999, 2, false, "9.99"}, {14985, 2, true, "-149.85"}, {123456789012345, 15, false, "0.123456789012345"}} {
		want, _ := strconv.ParseFloat(c.want, 64)
		if got := shortDecimal(c.m, c.k, c.neg); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("shortDecimal(%d, %d, %v) = %v, want %s", c.m, c.k, c.neg, got, c.want)
		}
	}
	for text, want := range map[string]string{"1e5": "100000.0", "1.5E-3": "0.0015", "1234567890123456": "1234567890123456", "12345678901234567890": "1.2345678901234567E19", "-9223372036854775808": "-9223372036854775808", "0.12345678901234567": "0.12345678901234566", "9.99": "9.99", "-0.0": "-0.0", "0.10": "0.1", "100.0": "100.0", "1e2": "100.0", "-149.85": "-149.85", "007.50": "7.5"} {
		v, err := ParseString(text)
		if err != nil || JSON(v) != want {
			t.Errorf("ParseString(%q) = %v (%v), want %s", text, JSON(v), err, want)
		}
	}
}
