package jsonpath

import (
	"fmt"
	"math"
)

type functionKind uint8

const (
	fnLength functionKind = iota
	fnMin
	fnMax
	fnAvg
	fnStddev
	fnSum
	fnKeys
	fnFirst
	fnLast
)

var functionNames = map[string]functionKind{
	"length": fnLength, "size": fnLength,
	"min": fnMin, "max": fnMax, "avg": fnAvg, "stddev": fnStddev, "sum": fnSum,
	"keys": fnKeys, "first": fnFirst, "last": fnLast,
}

// function is a trailing path function such as length().
type function struct {
	kind functionKind
	name string
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func (f *function) apply(v any) (any, error) {
	switch f.kind {
	case fnLength:
		switch x := v.(type) {
		case *List:
			return int64(len(x.Items)), nil
		case *Map:
			return int64(x.Len()), nil
		case string:
			return int64(utf16Len(x)), nil
		}
		return nil, fmt.Errorf("%s() cannot be applied to %s", f.name, kindName(v))
	case fnKeys:
		m, ok := v.(*Map)
		if !ok {
			return nil, fmt.Errorf("keys() cannot be applied to %s", kindName(v))
		}
		l := &List{Items: make([]any, 0, m.Len())}
		for i := range m.entries {
			l.Items = append(l.Items, m.entries[i].key)
		}
		return l, nil
	case fnFirst, fnLast:
		l, ok := v.(*List)
		if !ok || len(l.Items) == 0 {
			return nil, fmt.Errorf("%s() needs a non-empty array", f.name)
		}
		if f.kind == fnFirst {
			return l.Items[0], nil
		}
		return l.Items[len(l.Items)-1], nil
	}
	// Numeric aggregates: Jayway returns a Double.
	l, ok := v.(*List)
	if !ok {
		return nil, fmt.Errorf("%s() cannot be applied to %s", f.name, kindName(v))
	}
	var nums []float64
	for _, it := range l.Items {
		if n, ok := toFloat(it); ok {
			nums = append(nums, n)
		}
	}
	if len(nums) == 0 {
		return nil, fmt.Errorf("aggregation function %s() attempted to calculate value using empty array", f.name)
	}
	switch f.kind {
	case fnMin, fnMax:
		r := nums[0]
		for _, n := range nums[1:] {
			if (f.kind == fnMin && n < r) || (f.kind == fnMax && n > r) {
				r = n
			}
		}
		return r, nil
	case fnSum:
		s := 0.0
		for _, n := range nums {
			s += n
		}
		return s, nil
	case fnAvg:
		s := 0.0
		for _, n := range nums {
			s += n
		}
		return s / float64(len(nums)), nil
	default: // stddev (population)
		s, sq := 0.0, 0.0
		for _, n := range nums {
			s += n
			sq += n * n
		}
		cnt := float64(len(nums))
		return math.Sqrt(sq/cnt - (s/cnt)*(s/cnt)), nil
	}
}

func kindName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case int64, int, float64:
		return "a number"
	case string:
		return "a string"
	case *Map:
		return "an object"
	case *List:
		return "an array"
	}
	return fmt.Sprintf("%T", v)
}
