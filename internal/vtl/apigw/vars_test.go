package apigw

import (
	"context"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
	"github.com/gatehouse-dev/gatehouse/internal/vtl"
)

func renderWith(t *testing.T, src string, d Data) (string, *Overrides) {
	t.Helper()
	tpl, err := vtl.Parse("t", src)
	if err != nil {
		t.Fatal(err)
	}
	vars, ov := Vars(d)
	out, err := tpl.Render(context.Background(), vars)
	if err != nil {
		t.Fatalf("render %q: %v", src, err)
	}
	return out, ov
}

// TestContextSharedBetweenTemplates follows the recorded AWS behaviour of
// test_integration_mock_with_response_override_in_request_template: what
// the request template sets in $context, overrides included, is visible to
// the response template of the same request.
func TestContextSharedBetweenTemplates(t *testing.T) {
	ctx := jsonpath.NewMap(1)
	ctx.Set("stage", "dev")
	_, ov1 := renderWith(t, `#set($context.responseOverride.status = 444)#set($context.responseOverride.header.foo = "bar")#set($context.custom = "is also passed around")`, Data{Context: ctx})
	out, ov2 := renderWith(t, `{"statusOverride": "$context.responseOverride.status", "fooHeader": "$context.responseOverride.header.foo", "custom": "$context.custom"}`, Data{Context: ctx})
	if want := `{"statusOverride": "444", "fooHeader": "bar", "custom": "is also passed around"}`; out != want {
		t.Errorf("response template = %s, want %s", out, want)
	}
	if ov1 != ov2 {
		t.Error("the two renders got different Overrides")
	}
	if s, ok := ov2.Status(); !ok || s != 444 {
		t.Errorf("Status() = %d, %v; want 444", s, ok)
	}
	// A fresh context starts without overrides.
	_, ov3 := renderWith(t, `x`, Data{})
	if _, ok := ov3.Status(); ok {
		t.Error("a fresh context has a status override")
	}
}

func TestStatusOverrideValues(t *testing.T) {
	for src, want := range map[string]int{
		`#set($context.responseOverride.status = 201)`:   201,
		`#set($context.responseOverride.status = "302")`: 302,
		`#set($context.responseOverride.status = 99)`:    0,
		`#set($context.responseOverride.status = 600)`:   0,
		`#set($context.responseOverride.status = "abc")`: 0,
		`#set($context.responseOverride.status = 2.5)`:   0,
	} {
		_, ov := renderWith(t, src, Data{})
		got, ok := ov.Status()
		if !ok {
			got = 0
		}
		if got != want {
			t.Errorf("%s: Status() = %d, want %d", src, got, want)
		}
	}
}
