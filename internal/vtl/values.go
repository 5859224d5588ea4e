package vtl

import (
	"math"
	"math/big"
	"strconv"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
)

// maxStringDepth bounds recursion when printing nested collections (a map
// that contains itself prints "(this Map)" in Java; here it stops).
const maxStringDepth = 100

// appendString appends v as Java's String.valueOf(v) would.
func appendString(b []byte, v any, depth int) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return append(b, v...)
	case bool:
		return strconv.AppendBool(b, v)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case float64:
		return jsonpath.AppendJavaDouble(b, v)
	case *big.Int:
		return v.Append(b, 10)
	case char:
		return append(b, string(rune(v))...)
	case *jsonpath.Map:
		if depth > maxStringDepth {
			return append(b, "{...}"...)
		}
		b = append(b, '{')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b = append(b, ", "...)
			}
			k, val := v.At(i)
			b = append(b, k...)
			b = append(b, '=')
			if m, ok := val.(*jsonpath.Map); ok && m == v {
				b = append(b, "(this Map)"...)
				continue
			}
			b = appendString(b, val, depth+1)
		}
		return append(b, '}')
	case *jsonpath.List:
		if !v.Java {
			return jsonpath.AppendJSON(b, v)
		}
		if depth > maxStringDepth {
			return append(b, "[...]"...)
		}
		b = append(b, '[')
		for i, it := range v.Items {
			if i > 0 {
				b = append(b, ", "...)
			}
			if l, ok := it.(*jsonpath.List); ok && l == v {
				b = append(b, "(this Collection)"...)
				continue
			}
			b = appendString(b, it, depth+1)
		}
		return append(b, ']')
	case *entry:
		b = append(b, v.key...)
		b = append(b, '=')
		return appendString(b, v.val, depth+1)
	case Stringer:
		return append(b, v.String()...)
	}
	return append(b, "?"...)
}

// toJavaString is String.valueOf(v).
func toJavaString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return string(appendString(nil, v, 0))
}

// char is a java.lang.Character (String.charAt).
type char rune

// entry is a Map.Entry from entrySet().
type entry struct {
	key string
	val any
}

func (e *entry) Call(name string, args []any) (any, bool, error) {
	if len(args) != 0 {
		return nil, false, nil
	}
	switch name {
	case "getKey":
		return e.key, true, nil
	case "getValue":
		return e.val, true, nil
	case "toString":
		return toJavaString(e), true, nil
	}
	return nil, false, nil
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int64:
		if n > math.MaxInt32 || n < math.MinInt32 {
			return 0, false
		}
		return int(n), true
	case int:
		return n, true
	}
	return 0, false
}

func isNumber(v any) bool {
	switch v.(type) {
	case int64, int, float64, *big.Int:
		return true
	}
	return false
}

// truthy is how Velocity 1.7 evaluates a reference in a condition: null is
// false, a Boolean its value, anything else true.
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	}
	return true
}

// javaList returns a new ArrayList-like list.
func javaList(items []any) *jsonpath.List { return &jsonpath.List{Items: items, Java: true} }

// valuesEqual is Velocity 1.7's == : numbers by value, same kinds with
// equals(), different kinds by their string forms.
func valuesEqual(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if isNumber(a) && isNumber(b) {
		c, ok := compareNumbers(a, b)
		return ok && c == 0
	}
	switch av := a.(type) {
	case string:
		if bv, ok := b.(string); ok {
			return av == bv
		}
	case bool:
		if bv, ok := b.(bool); ok {
			return av == bv
		}
	case *jsonpath.Map, *jsonpath.List:
		switch b.(type) {
		case *jsonpath.Map, *jsonpath.List:
			return javaEquals(a, b)
		}
	}
	return toJavaString(a) == toJavaString(b)
}

// javaEquals is Java's equals() for the value model.
func javaEquals(a, b any) bool {
	switch av := a.(type) {
	case nil:
		return b == nil
	case *jsonpath.Map:
		bv, ok := b.(*jsonpath.Map)
		if !ok || av.Len() != bv.Len() {
			return false
		}
		for i := 0; i < av.Len(); i++ {
			k, v := av.At(i)
			w, ok := bv.Get(k)
			if !ok || !javaEquals(v, w) {
				return false
			}
		}
		return true
	case *jsonpath.List:
		bv, ok := b.(*jsonpath.List)
		if !ok || len(av.Items) != len(bv.Items) {
			return false
		}
		for i := range av.Items {
			if !javaEquals(av.Items[i], bv.Items[i]) {
				return false
			}
		}
		return true
	case int64:
		bv, ok := b.(int64)
		return ok && av == bv
	case float64:
		bv, ok := b.(float64)
		return ok && av == bv
	case *big.Int:
		bv, ok := b.(*big.Int)
		return ok && av.Cmp(bv) == 0
	case string:
		bv, ok := b.(string)
		return ok && av == bv
	case bool:
		bv, ok := b.(bool)
		return ok && av == bv
	case char:
		bv, ok := b.(char)
		return ok && av == bv
	}
	return a == b
}

// JavaString returns v as a template prints it (Java's String.valueOf):
// maps as {k=v}, template lists as [a, b], parsed JSON lists as JSON,
// doubles as 1.0E10.
func JavaString(v any) string { return toJavaString(v) }
