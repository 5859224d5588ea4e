package main

import (
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	gcPercent := func() int { p := debug.SetGCPercent(100); debug.SetGCPercent(p); return p }
	memLimit := func() int64 { return debug.SetMemoryLimit(-1) } // -1 reads without changing

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	if err := tuneGC(defaultGCPercent, false, defaultMemoryLimit>>20, false); err != nil {
		t.Fatal(err)
	}
	if p, l := gcPercent(), memLimit(); p != defaultGCPercent || l != defaultMemoryLimit {
		t.Fatalf("defaults: GC percent %d, memory limit %d; want %d, %d", p, l, defaultGCPercent, defaultMemoryLimit)
	}

	// GOGC / GOMEMLIMIT in the environment win over the defaults...
	t.Setenv("GOGC", "150")
	t.Setenv("GOMEMLIMIT", "64MiB")
	debug.SetGCPercent(150)
	debug.SetMemoryLimit(64 << 20)
	if err := tuneGC(defaultGCPercent, false, defaultMemoryLimit>>20, false); err != nil {
		t.Fatal(err)
	}
	if p, l := gcPercent(), memLimit(); p != 150 || l != 64<<20 {
		t.Fatalf("with GOGC=150 GOMEMLIMIT=64MiB: %d, %d", p, l)
	}
	// ...but not over explicit flags.
	if err := tuneGC(300, true, 0, true); err != nil {
		t.Fatal(err)
	}
	if p, l := gcPercent(), memLimit(); p != 300 || l != 1<<63-1 {
		t.Fatalf("explicit --gc-percent 300 --memory-limit 0: %d, %d", p, l)
	}

	if tuneGC(-2, true, 1, true) == nil || tuneGC(100, true, -1, true) == nil {
		t.Fatal("negative settings accepted")
	}
}
