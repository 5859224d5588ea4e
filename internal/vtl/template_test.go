package vtl

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
)

func render(t *testing.T, src string, vars Vars, limits Limits) (string, error) {
	t.Helper()
	tpl, err := Parse("t.vtl", src)
	if err != nil {
		return "", err
	}
	return tpl.RenderLimits(context.Background(), vars, limits)
}

func TestParseErrorsHaveLineAndColumn(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{src: "ok\n#if(true)\nno end", want: "t.vtl:2:1: #if is not closed by #end"},
		{src: "a\nb #end", want: "t.vtl:2:3: #end without a matching #if or #foreach"},
		{src: "#set($a = )", want: "t.vtl:1:11:"},
		{src: "x\n  $a.b(1 + 2)", want: "t.vtl:2:10: expected ',' or ')'"},
		{src: "${a", want: "t.vtl:1:4: expected '}'"},
		{src: "#foreach($i of $l)#end", want: "t.vtl:1:13: expected 'in'"},
		{src: "#* never closed", want: "t.vtl:1:1: unterminated #* comment"},
		{src: "#parse('x.vm')", want: "t.vtl:1:1: #parse is not supported"},
		{src: "#set($x = \"#if(true)\")", want: "t.vtl:1:12: #if is not closed"},
		{src: "a#", want: "t.vtl:1:2: '#' at end of template"},
	}
	for _, tc := range tests {
		_, err := Parse("t.vtl", tc.src)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) = %v, want an *Error", tc.src, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %q, want prefix %q", tc.src, err, tc.want)
		}
	}
}

func TestRenderErrorsHaveLineAndColumn(t *testing.T) {
	_, err := render(t, "#set($l = [1])\n  $l.get(5)", nil, Limits{})
	if err == nil || !strings.HasPrefix(err.Error(), "t.vtl:2:5: invoking get: Index 5 out of bounds for length 1") {
		t.Errorf("render = %v", err)
	}
}

func TestForeachStopsAtMaxIterations(t *testing.T) {
	out, err := render(t, "#foreach($i in [1..5000])x#end", nil, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1000 {
		t.Errorf("default limit rendered %d iterations, want API Gateway's 1000", len(out))
	}
	out, err = render(t, "#foreach($i in [1..5])$i#if($foreach.hasNext),#end#end", nil, Limits{MaxIterations: 3})
	if err != nil || out != "1,2,3" {
		t.Errorf("MaxIterations 3: %q, %v; want \"1,2,3\" (hasNext false at the limit)", out, err)
	}
	out, err = render(t, "#foreach($i in [1..1500])x#end", nil, Limits{MaxIterations: -1})
	if err != nil || len(out) != 1500 {
		t.Errorf("unlimited: %d, %v", len(out), err)
	}
}

func TestOutputLimit(t *testing.T) {
	src := "#foreach($i in [1..900])#foreach($j in [1..900])0123456789#end#end"
	_, err := render(t, src, nil, Limits{MaxOutput: 1 << 20})
	if !errors.Is(err, ErrLimit) {
		t.Errorf("render = %v, want ErrLimit", err)
	}
	_, err = render(t, `#set($s = "ab")#foreach($i in [1..40])#set($s = "$s$s")#end`, nil, Limits{MaxOutput: 1 << 20})
	if !errors.Is(err, ErrLimit) {
		t.Errorf("doubling string: %v, want ErrLimit", err)
	}
	_, err = render(t, `#set($s = "ab")#foreach($i in [1..40])#set($s = $s.replace("a", "aaaa"))#end`, nil, Limits{MaxOutput: 1 << 20})
	if !errors.Is(err, ErrLimit) {
		t.Errorf("replace growth: %v, want ErrLimit", err)
	}
}

// TestGrowthIsBounded: no loop of method calls can grow a string, a list or
// a map without bound.
func TestGrowthIsBounded(t *testing.T) {
	for _, src := range []string{
		`#set($l = [1])#foreach($i in [1..100])#set($x = $l.addAll($l))#end`,
		`#set($s = "ab")#foreach($i in [1..100])#set($s = $s.concat($s))#end`,
		`#set($m = {})#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..5])#set($m["${a}_${b}_${c}"] = 1)#end#end#end`,
		`#set($h = {"s": "ab"})#foreach($i in [1..100])#set($x = $h.put("s", "$h.s$h.s"))#end`,
	} {
		_, err := render(t, src, Vars{}, Limits{MaxOutput: 1 << 20, Timeout: 20 * time.Second})
		if !errors.Is(err, ErrLimit) {
			t.Errorf("render(%.60q) = %v, want ErrLimit", src, err)
		}
	}
}

func TestRecursionLimit(t *testing.T) {
	_, err := render(t, "#macro(r $n)#r($n)#end#r(1)", nil, Limits{})
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "macro calls nested deeper than 20") {
		t.Errorf("render = %v, want the depth limit", err)
	}
}

func TestTimeout(t *testing.T) {
	// 1000^3 iterations would take far longer than the timeout.
	src := "#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#end#end#end"
	start := time.Now()
	_, err := render(t, src, nil, Limits{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("render = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("render took %v after a 50ms timeout", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tpl, _ := Parse("t", src)
	if _, err := tpl.Render(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: %v", err)
	}
}

// TestConcurrentRenders renders one template from many goroutines with
// their own variables; run with -race.
func TestConcurrentRenders(t *testing.T) {
	tpl, err := Parse("t", `#set($total = 0)#foreach($i in $items)#set($total = $total + $i)#end$name=$total #set($m = {})#set($m.k = $name)$m`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				name := string(rune('a' + g))
				items := jsonpath.NewList(int64(g), int64(i))
				out, err := tpl.Render(context.Background(), Vars{"name": name, "items": items})
				// The space before #set belongs to #set (Velocity 1.7).
				want := name + "=" + JavaString(int64(g+i)) + "{k=" + name + "}"
				if err != nil || out != want {
					t.Errorf("render = %q, %v; want %q", out, err, want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

// TestHostObjects checks the Object, Setter and Iterable contracts.
func TestHostObjects(t *testing.T) {
	o := &testObject{props: map[string]any{}}
	out, err := render(t, `$o.greet("x") $o.name #set($o.color = "red")$o.color #foreach($i in $o)$i#end $o.missing() $o`, Vars{"o": o}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if want := `hi x bobred 123 $o.missing() <obj>`; out != want {
		t.Errorf("render = %q, want %q", out, want)
	}
}

type testObject struct{ props map[string]any }

func (o *testObject) Call(name string, args []any) (any, bool, error) {
	switch {
	case name == "greet" && len(args) == 1:
		return "hi " + JavaString(args[0]), true, nil
	case name == "getName":
		return "bob", true, nil
	case name == "get" && len(args) == 1:
		v, ok := o.props[JavaString(args[0])]
		return v, ok, nil
	}
	return nil, false, nil
}

func (o *testObject) SetProperty(name string, v any) error {
	o.props[name] = v
	return nil
}

func (o *testObject) Items() []any { return []any{int64(1), int64(2), int64(3)} }

func (o *testObject) String() string { return "<obj>" }
