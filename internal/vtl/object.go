package vtl

// Object is a host value with methods a template can call, such as
// $input or $util. Properties ($obj.name) are looked up as Velocity does:
// getName(), then isName(), then get("name").
type Object interface {
	// Call invokes the named method. ok is false when the object has no
	// method of that name taking these arguments (the reference then
	// renders literally); err aborts the render. args is valid only during
	// the call: keep its values, never the slice.
	Call(name string, args []any) (v any, ok bool, err error)
}

// Setter is implemented by host objects whose properties a template can
// assign with #set($obj.name = value).
type Setter interface {
	SetProperty(name string, v any) error
}

// Iterable is implemented by host objects #foreach can walk.
type Iterable interface {
	Items() []any
}

// Stringer values render as String() (Java's toString()).
type Stringer interface {
	String() string
}

// Call invokes method name on the foreach state ($foreach).
func (l *loopState) Call(name string, args []any) (any, bool, error) {
	if len(args) != 0 {
		return nil, false, nil
	}
	switch name {
	case "getIndex":
		return int64(l.index), true, nil
	case "getCount":
		return int64(l.index + 1), true, nil
	case "hasNext", "getHasNext":
		return l.hasNxt, true, nil
	case "isFirst", "getFirst":
		return l.index == 0, true, nil
	case "isLast", "getLast":
		return !l.hasNxt, true, nil
	case "getParent":
		if l.parent == nil {
			return nil, true, nil
		}
		return l.parent, true, nil
	}
	return nil, false, nil
}
