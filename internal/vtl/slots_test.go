package vtl

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// Renders reuse their variable slots through a pool: nothing a render of
// one template sets may be seen by the next render, of the same template or
// of another with fewer or more variables, even when a render fails.
func TestSlotsDoNotLeakBetweenRenders(t *testing.T) {
	var many strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&many, "#set($v%d = %d)", i, i)
	}
	many.WriteString("#foreach($i in [1])#macro(m $p)$p#end#m('x')#end")
	// Reads the names the others set, in a different slot order.
	var readsAll strings.Builder
	for i := 39; i >= 0; i-- {
		fmt.Fprintf(&readsAll, "$!v%d", i)
	}
	readsAll.WriteString("$!i$!p$!foreach")
	few := mustParse(t, "#set($v3 = 3)$v3")
	failing := mustParse(t, "#set($v7 = 7)#foreach($v5 in [[1]])#set($v5[3] = 2)#end")
	manyT, readsT := mustParse(t, many.String()), mustParse(t, readsAll.String())
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				if _, err := manyT.Render(context.Background(), Vars{"v39": "ignored"}); err != nil {
					t.Error(err)
					return
				}
				if out, err := few.Render(context.Background(), nil); err != nil || out != "3" {
					t.Errorf("few = %q, %v", out, err)
					return
				}
				if _, err := failing.Render(context.Background(), nil); err == nil {
					t.Error("an index out of bounds did not fail")
					return
				}
				if out, err := readsT.Render(context.Background(), Vars{"v0": "zero", "unused": 1}); err != nil || out != "zero" {
					t.Errorf("reads = %q, %v; a previous render's variables leaked", out, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func mustParse(t *testing.T, src string) *Template {
	t.Helper()
	tpl, err := Parse("t", src)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}
