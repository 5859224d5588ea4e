package lambda

import (
	"context"
	"errors"
	"testing"
)

type fake struct {
	res *Result
	err error
	n   int
}

func (f *fake) Invoke(context.Context, *Invocation) (*Result, error) { f.n++; return f.res, f.err }

func TestChainFallsThroughOnlyOnNotFound(t *testing.T) {
	missing := &fake{err: ErrNotFound}
	throttled := &fake{err: ErrThrottled}
	ok := &fake{res: &Result{Payload: []byte(`1`)}}

	res, err := Chain{missing, nil, ok}.Invoke(context.Background(), &Invocation{Function: "f"})
	if err != nil || string(res.Payload) != "1" || missing.n != 1 || ok.n != 1 {
		t.Fatalf("got %v, %v (calls %d, %d)", res, err, missing.n, ok.n)
	}
	if _, err := (Chain{throttled, ok}).Invoke(context.Background(), &Invocation{}); !errors.Is(err, ErrThrottled) || ok.n != 1 {
		t.Fatalf("a throttled first invoker must not fall through: %v, ok calls %d", err, ok.n)
	}
	if _, err := (Chain{missing}).Invoke(context.Background(), &Invocation{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty chain: %v", err)
	}
}
