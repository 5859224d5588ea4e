package jsonpath

import "unsafe"

// Boxing a string or a float64 into an interface allocates a copy for
// each value, which made boxing most of the cost of decoding a document
// of short strings and numbers. The decoder instead stores the values in
// slabs and makes interfaces that point into them: one allocation for
// many values. The interface layout (type word, data word) is the one the
// Go runtime has always used; TestBoxing fails loudly if that changes.
// A boxed slot is never written again, as the runtime assumes of the
// data behind an interface.

type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

func typeWord(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

var (
	stringType  = typeWord("")
	float64Type = typeWord(float64(0))
	int64Type   = typeWord(int64(0))
)

// boxAt returns an interface of type typ whose value is *p.
func boxAt(typ, p unsafe.Pointer) (v any) {
	e := (*eface)(unsafe.Pointer(&v))
	e.typ, e.data = typ, p
	return v
}

func (d *decoder) boxString(s string) any {
	p := slabOne(&d.strSlab)
	*p = s
	return boxAt(stringType, unsafe.Pointer(p))
}

func (d *decoder) boxFloat(f float64) any {
	p := slabOne(&d.numSlab)
	*(*float64)(unsafe.Pointer(p)) = f
	return boxAt(float64Type, unsafe.Pointer(p))
}

func (d *decoder) boxInt(n int64) any {
	if n >= 0 && n < 256 {
		return n // the runtime boxes small integers without allocating
	}
	p := slabOne(&d.numSlab)
	*p = uint64(n)
	return boxAt(int64Type, unsafe.Pointer(p))
}
