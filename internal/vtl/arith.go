package vtl

import (
	"math"
	"math/big"
)

// Arithmetic follows Velocity 1.7's MathUtils: integers stay integers and
// widen on overflow (Integer → Long → BigInteger; here int64 → *big.Int),
// any Double makes the result a Double, and division or remainder by zero
// yields null.

func toFloat(v any) float64 {
	switch n := v.(type) {
	case int64:
		return float64(n)
	case int:
		return float64(n)
	case float64:
		return n
	case *big.Int:
		f, _ := new(big.Float).SetInt(n).Float64()
		return f
	}
	return math.NaN()
}

func toBig(v any) *big.Int {
	switch n := v.(type) {
	case int64:
		return big.NewInt(n)
	case int:
		return big.NewInt(int64(n))
	case *big.Int:
		return n
	}
	return new(big.Int)
}

// normBig returns b as an int64 when it fits.
func normBig(b *big.Int) any {
	if b.IsInt64() {
		return b.Int64()
	}
	return b
}

func numKind(a, b any) (isFloat, isBig bool) {
	_, fa := a.(float64)
	_, fb := b.(float64)
	_, ba := a.(*big.Int)
	_, bb := b.(*big.Int)
	return fa || fb, ba || bb
}

func compareNumbers(a, b any) (int, bool) {
	isFloat, isBig := numKind(a, b)
	switch {
	case isFloat:
		x, y := toFloat(a), toFloat(b)
		if math.IsNaN(x) || math.IsNaN(y) {
			return 0, false
		}
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	case isBig:
		return toBig(a).Cmp(toBig(b)), true
	}
	x, y := a.(int64), b.(int64)
	switch {
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	}
	return 0, true
}

// arith applies a binary arithmetic operator to two numbers. It returns
// nil for a division or remainder by zero.
func arith(op string, a, b any) any {
	if ai, ok := a.(int); ok {
		a = int64(ai)
	}
	if bi, ok := b.(int); ok {
		b = int64(bi)
	}
	isFloat, isBig := numKind(a, b)
	if isFloat {
		x, y := toFloat(a), toFloat(b)
		switch op {
		case "+":
			return x + y
		case "-":
			return x - y
		case "*":
			return x * y
		case "/":
			if y == 0 {
				return nil
			}
			return x / y
		default:
			if y == 0 {
				return nil
			}
			return math.Mod(x, y)
		}
	}
	if !isBig {
		x, y := a.(int64), b.(int64)
		switch op {
		case "+":
			if r := x + y; (r^x)&(r^y) >= 0 {
				return r
			}
		case "-":
			if r := x - y; (x^y)&(r^x) >= 0 {
				return r
			}
		case "*":
			if x == 0 || y == 0 {
				return int64(0)
			}
			r := x * y
			if r/y == x && !(x == -1 && y == math.MinInt64) && !(y == -1 && x == math.MinInt64) {
				return r
			}
		case "/":
			if y == 0 {
				return nil
			}
			if !(x == math.MinInt64 && y == -1) {
				return x / y
			}
		default:
			if y == 0 {
				return nil
			}
			if y == -1 {
				return int64(0)
			}
			return x % y
		}
	}
	x, y := toBig(a), toBig(b)
	r := new(big.Int)
	switch op {
	case "+":
		r.Add(x, y)
	case "-":
		r.Sub(x, y)
	case "*":
		r.Mul(x, y)
	case "/":
		if y.Sign() == 0 {
			return nil
		}
		r.Quo(x, y)
	default:
		if y.Sign() == 0 {
			return nil
		}
		r.Rem(x, y)
	}
	return normBig(r)
}
