package main

import (
	"runtime"
	"testing"
)

func TestTuneProcs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	t.Setenv("GOMAXPROCS", "")
	runtime.GOMAXPROCS(2)

	o := serveOptions{httpServer: "evloop"}
	if err := tuneProcs(&o); err != nil {
		t.Fatal(err)
	}
	if o.loops != 2 || runtime.GOMAXPROCS(0) != 3 {
		t.Errorf("evloop, auto: loops %d, GOMAXPROCS %d; want 2 and 3 (a P beside the loops)", o.loops, runtime.GOMAXPROCS(0))
	}

	runtime.GOMAXPROCS(2)
	o = serveOptions{httpServer: "evloop", loops: 1, gomaxprocs: 4}
	if err := tuneProcs(&o); err != nil {
		t.Fatal(err)
	}
	if o.loops != 1 || runtime.GOMAXPROCS(0) != 4 {
		t.Errorf("--gomaxprocs 4 --loops 1: loops %d, GOMAXPROCS %d", o.loops, runtime.GOMAXPROCS(0))
	}

	runtime.GOMAXPROCS(2)
	o = serveOptions{httpServer: "gatehouse"}
	if err := tuneProcs(&o); err != nil {
		t.Fatal(err)
	}
	if runtime.GOMAXPROCS(0) != 2 {
		t.Errorf("default server: GOMAXPROCS %d, want it untouched (2)", runtime.GOMAXPROCS(0))
	}

	t.Setenv("GOMAXPROCS", "2")
	o = serveOptions{httpServer: "evloop"}
	if err := tuneProcs(&o); err != nil {
		t.Fatal(err)
	}
	if runtime.GOMAXPROCS(0) != 2 {
		t.Errorf("$GOMAXPROCS set: GOMAXPROCS %d, want it to win (2)", runtime.GOMAXPROCS(0))
	}

	for _, bad := range []serveOptions{{gomaxprocs: -1}, {loops: -2}} {
		if err := tuneProcs(&bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
