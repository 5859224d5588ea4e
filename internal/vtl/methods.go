package vtl

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
)

// property resolves $v.name as Velocity's introspector does: a map's
// get("name"), otherwise getName(), then isName(), then get("name").
func (r *renderer) property(v any, m *modifier) (any, error) {
	switch x := v.(type) {
	case *jsonpath.Map:
		val, _ := x.Get(m.name)
		return val, nil
	case Object:
		if val, ok, err := x.Call(m.get, nil); ok || err != nil {
			return val, r.wrapErr(err, m)
		}
		if val, ok, err := x.Call(m.is, nil); ok || err != nil {
			return val, r.wrapErr(err, m)
		}
		val, _, err := x.Call("get", []any{m.name})
		return val, r.wrapErr(err, m)
	}
	if val, ok, err := r.javaMethod(v, m.get, nil, m); ok || err != nil {
		return val, err
	}
	val, _, err := r.javaMethod(v, m.is, nil, m)
	return val, err
}

func (r *renderer) wrapErr(err error, m *modifier) error {
	if err == nil {
		return nil
	}
	return r.tpl.errorAt(m.pos, err, "invoking %s: %v", m.name, err)
}

// method invokes $v.name(args).
func (r *renderer) method(v any, m *modifier, args []any) (any, error) {
	if o, ok := v.(Object); ok {
		val, ok, err := o.Call(m.name, args)
		if !ok && err == nil && m.name == "toString" && len(args) == 0 {
			return toJavaString(v), nil
		}
		return val, r.wrapErr(err, m)
	}
	val, _, err := r.javaMethod(v, m.name, args, m)
	return val, err
}

// index resolves $v[idx]: a list position (negative counts from the end,
// as Velocity 1.7 allows) or a map key.
func (r *renderer) index(v, idx any, pos int) (any, error) {
	switch x := v.(type) {
	case *jsonpath.List:
		i, ok := toInt(idx)
		if !ok {
			return nil, nil
		}
		if i < 0 {
			i += len(x.Items)
		}
		if i < 0 || i >= len(x.Items) {
			return nil, r.tpl.errorAt(pos, nil, "index %s out of bounds for length %d", toJavaString(idx), len(x.Items))
		}
		return x.Items[i], nil
	case *jsonpath.Map:
		val, _ := x.Get(toJavaString(idx))
		return val, nil
	case Object:
		val, _, err := x.Call("get", []any{idx})
		if err != nil {
			return nil, r.tpl.errorAt(pos, err, "index: %v", err)
		}
		return val, nil
	}
	if i, ok := toInt(idx); ok && i < 0 {
		return nil, r.tpl.errorAt(pos, nil, "a size() method is required for negative index %d on %s", i, javaClass(v))
	}
	return nil, nil
}

// javaMethod dispatches a Java method on a built-in value. ok is false
// when the value has no such method for these arguments.
func (r *renderer) javaMethod(v any, name string, args []any, m *modifier) (any, bool, error) {
	var val any
	var ok bool
	var err error
	if name == "compareTo" && len(args) == 1 {
		switch v.(type) {
		case string, bool, int64, float64:
			val, err = compareTo(v, args[0])
			if err != nil {
				return nil, true, r.tpl.errorAt(m.pos, err, "invoking %s: %v", name, err)
			}
			return val, true, nil
		}
	}
	switch x := v.(type) {
	case string:
		val, ok, err = stringMethod(x, name, args, r.limits.MaxOutput)
	case *jsonpath.Map:
		val, ok, err = mapMethod(x, name, args)
	case *jsonpath.List:
		val, ok, err = listMethod(x, name, args)
	case int64, int, float64, *big.Int:
		val, ok = numberMethod(x, name, args)
	case bool:
		val, ok = boolMethod(x, name, args)
	case char:
		val, ok = objectMethod(x, name, args)
	}
	if err != nil {
		return nil, true, r.tpl.errorAt(m.pos, err, "invoking %s: %v", name, err)
	}
	switch name {
	case "add", "addAll", "put", "putAll", "set":
		// The receiver grew: bound it.
		if err := r.checkSize(v, m.pos); err != nil {
			return nil, true, err
		}
	}
	return val, ok, nil
}

// objectMethod implements java.lang.Object's methods.
func objectMethod(v any, name string, args []any) (any, bool) {
	switch {
	case name == "toString" && len(args) == 0:
		return toJavaString(v), true
	case name == "equals" && len(args) == 1:
		return javaEquals(v, args[0]), true
	}
	return nil, false
}

func numberMethod(v any, name string, args []any) (any, bool) {
	if len(args) == 0 {
		switch name {
		case "intValue":
			switch n := v.(type) {
			case int64:
				return int64(int32(n)), true
			case float64:
				return int64(int32(n)), true
			}
		case "longValue":
			switch n := v.(type) {
			case int64:
				return n, true
			case float64:
				return int64(n), true
			}
		case "doubleValue":
			return toFloat(v), true
		}
	}
	return objectMethod(v, name, args)
}

func boolMethod(v bool, name string, args []any) (any, bool) {
	if name == "booleanValue" && len(args) == 0 {
		return v, true
	}
	return objectMethod(v, name, args)
}

// compareTo is Comparable.compareTo: Java throws ClassCastException when
// the argument is not of the receiver's class.
func compareTo(v, arg any) (any, error) {
	switch x := v.(type) {
	case string:
		if a, ok := arg.(string); ok {
			return int64(compareUTF16(x, a)), nil
		}
	case bool:
		if a, ok := arg.(bool); ok {
			switch {
			case x == a:
				return int64(0), nil
			case x:
				return int64(1), nil
			}
			return int64(-1), nil
		}
	case int64:
		if _, ok := arg.(int64); ok {
			c, _ := compareNumbers(x, arg)
			return int64(c), nil
		}
	case float64:
		if _, ok := arg.(float64); ok {
			c, _ := compareNumbers(x, arg)
			return int64(c), nil
		}
	}
	if arg == nil {
		return nil, errors.New("NullPointerException in compareTo")
	}
	return nil, fmt.Errorf("ClassCastException: %s cannot be compared with %s", javaClass(arg), javaClass(v))
}

func javaClass(v any) string {
	switch v.(type) {
	case string:
		return "java.lang.String"
	case bool:
		return "java.lang.Boolean"
	case int64, int:
		return "java.lang.Integer"
	case float64:
		return "java.lang.Double"
	case *big.Int:
		return "java.math.BigInteger"
	case *jsonpath.Map:
		return "java.util.LinkedHashMap"
	case *jsonpath.List:
		return "java.util.ArrayList"
	}
	return fmt.Sprintf("%T", v)
}

// indexError is an index out of bounds in a Java method (Java throws).
type indexError struct{ msg string }

func (e *indexError) Error() string { return e.msg }

func outOfBounds(i, n int) error {
	return &indexError{msg: "Index " + strconv.Itoa(i) + " out of bounds for length " + strconv.Itoa(n)}
}

func mapMethod(m *jsonpath.Map, name string, args []any) (any, bool, error) {
	switch len(args) {
	case 0:
		switch name {
		case "size":
			return int64(m.Len()), true, nil
		case "isEmpty":
			return m.Len() == 0, true, nil
		case "keySet":
			keys := make([]any, m.Len())
			for i, k := range m.Keys() {
				keys[i] = k
			}
			return javaList(keys), true, nil
		case "values":
			vals := make([]any, m.Len())
			for i := range vals {
				_, vals[i] = m.At(i)
			}
			return javaList(vals), true, nil
		case "entrySet":
			es := make([]any, m.Len())
			for i := range es {
				k, v := m.At(i)
				es[i] = &entry{key: k, val: v}
			}
			return javaList(es), true, nil
		case "clear":
			*m = jsonpath.Map{}
			return nil, true, nil
		}
	case 1:
		switch name {
		case "get":
			v, _ := m.Get(toJavaString(args[0]))
			return v, true, nil
		case "containsKey":
			_, ok := m.Get(toJavaString(args[0]))
			return ok, true, nil
		case "containsValue":
			for i := 0; i < m.Len(); i++ {
				if _, v := m.At(i); javaEquals(v, args[0]) {
					return true, true, nil
				}
			}
			return false, true, nil
		case "remove":
			v, _ := m.Delete(toJavaString(args[0]))
			return v, true, nil
		case "putAll":
			if o, ok := args[0].(*jsonpath.Map); ok {
				for i := 0; i < o.Len(); i++ {
					k, v := o.At(i)
					m.Set(k, v)
				}
				return nil, true, nil
			}
		}
	case 2:
		switch name {
		case "put":
			return m.Set(toJavaString(args[0]), args[1]), true, nil
		case "getOrDefault":
			if v, ok := m.Get(toJavaString(args[0])); ok {
				return v, true, nil
			}
			return args[1], true, nil
		}
	}
	v, ok := objectMethod(m, name, args)
	return v, ok, nil
}

func listMethod(l *jsonpath.List, name string, args []any) (any, bool, error) {
	switch len(args) {
	case 0:
		switch name {
		case "size":
			return int64(len(l.Items)), true, nil
		case "count":
			// The Developer Guide documents $input.path('$.pets').count()
			// on parsed JSON arrays; Java lists have no count().
			if !l.Java {
				return int64(len(l.Items)), true, nil
			}
		case "isEmpty":
			return len(l.Items) == 0, true, nil
		case "clear":
			l.Items = l.Items[:0]
			return nil, true, nil
		}
	case 1:
		switch name {
		case "get":
			i, ok := toInt(args[0])
			if !ok {
				return nil, false, nil
			}
			if i < 0 || i >= len(l.Items) {
				return nil, true, outOfBounds(i, len(l.Items))
			}
			return l.Items[i], true, nil
		case "contains":
			return indexOf(l.Items, args[0]) >= 0, true, nil
		case "indexOf":
			return int64(indexOf(l.Items, args[0])), true, nil
		case "lastIndexOf":
			for i := len(l.Items) - 1; i >= 0; i-- {
				if javaEquals(l.Items[i], args[0]) {
					return int64(i), true, nil
				}
			}
			return int64(-1), true, nil
		case "add":
			l.Items = append(l.Items, args[0])
			return true, true, nil
		case "addAll":
			if o, ok := args[0].(*jsonpath.List); ok {
				l.Items = append(l.Items, o.Items...)
				return len(o.Items) > 0, true, nil
			}
		case "remove":
			if i, ok := toInt(args[0]); ok {
				if i < 0 || i >= len(l.Items) {
					return nil, true, outOfBounds(i, len(l.Items))
				}
				v := l.Items[i]
				l.Items = append(l.Items[:i], l.Items[i+1:]...)
				return v, true, nil
			}
			if i := indexOf(l.Items, args[0]); i >= 0 {
				l.Items = append(l.Items[:i], l.Items[i+1:]...)
				return true, true, nil
			}
			return false, true, nil
		}
	case 2:
		switch name {
		case "set":
			i, ok := toInt(args[0])
			if !ok {
				return nil, false, nil
			}
			if i < 0 || i >= len(l.Items) {
				return nil, true, outOfBounds(i, len(l.Items))
			}
			prev := l.Items[i]
			l.Items[i] = args[1]
			return prev, true, nil
		case "add":
			i, ok := toInt(args[0])
			if !ok {
				return nil, false, nil
			}
			if i < 0 || i > len(l.Items) {
				return nil, true, outOfBounds(i, len(l.Items))
			}
			l.Items = append(l.Items, nil)
			copy(l.Items[i+1:], l.Items[i:])
			l.Items[i] = args[1]
			return nil, true, nil
		case "subList":
			a, ok1 := toInt(args[0])
			b, ok2 := toInt(args[1])
			if !ok1 || !ok2 {
				return nil, false, nil
			}
			if a < 0 || b > len(l.Items) || a > b {
				return nil, true, &indexError{msg: "fromIndex " + strconv.Itoa(a) + ", toIndex " + strconv.Itoa(b) + ", size " + strconv.Itoa(len(l.Items))}
			}
			return &jsonpath.List{Items: append([]any(nil), l.Items[a:b]...), Java: true}, true, nil
		}
	}
	v, ok := objectMethod(l, name, args)
	return v, ok, nil
}

func indexOf(items []any, v any) int {
	for i, it := range items {
		if javaEquals(it, v) {
			return i
		}
	}
	return -1
}
