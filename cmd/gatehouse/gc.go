package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
)

// Garbage-collector defaults for a gateway. Gatehouse's live heap is small
// (compiled snapshots, pools) while every request allocates short-lived
// buffers, so the stock GOGC=100 collects often for little gain: at GOGC=400
// the data plane spends ~15% less CPU per proxied request (bench/dataplane,
// GH_ENV=GOGC=400). A soft memory limit keeps a large deployment's heap from
// growing to five times its live size.
const (
	defaultGCPercent   = 400
	defaultMemoryLimit = 256 << 20
)

// tuneGC applies --gc-percent and --memory-limit. The standard GOGC and
// GOMEMLIMIT environment variables win over the defaults (the runtime already
// applied them), but not over flags given on the command line.
func tuneGC(percent int, percentSet bool, limitMiB int64, limitSet bool) error {
	if percentSet || os.Getenv("GOGC") == "" {
		if percent < -1 {
			return fmt.Errorf("--gc-percent must be -1 (off) or more, got %d", percent)
		}
		debug.SetGCPercent(percent)
	}
	if limitSet || os.Getenv("GOMEMLIMIT") == "" {
		if limitMiB < 0 {
			return fmt.Errorf("--memory-limit must be 0 (none) or more MiB, got %d", limitMiB)
		}
		limit := limitMiB << 20
		if limitMiB == 0 {
			limit = 1<<63 - 1 // math.MaxInt64: no limit
		}
		debug.SetMemoryLimit(limit)
	}
	return nil
}

// tuneProcs applies --gomaxprocs and settles --loops. With --http-server
// evloop each loop holds a P while it waits in epoll_wait, a system call;
// when every P is in one, the runtime's sysmon thread retakes them every
// 20 µs (handing each to another thread, waking it) and never backs off to
// its long sleeps. One P more than loops keeps a P idle for sysmon to see,
// and for the goroutines that are not loops (the management API, Lambda,
// log writers): on the 2-core benchmark machine sysmon went from 8% to 3%
// of Gatehouse's CPU samples. The standard GOMAXPROCS variable wins over
// the default, --gomaxprocs over both.
func tuneProcs(o *serveOptions) error {
	if o.gomaxprocs < 0 {
		return fmt.Errorf("--gomaxprocs must be 0 (auto) or more, got %d", o.gomaxprocs)
	}
	if o.loops < 0 {
		return fmt.Errorf("--loops must be 0 (one per CPU) or more, got %d", o.loops)
	}
	procs := runtime.GOMAXPROCS(0) // the CPU count (cgroup-aware), or $GOMAXPROCS
	if o.httpServer == "evloop" && o.loops == 0 {
		o.loops = procs
	}
	switch {
	case o.gomaxprocs > 0:
		runtime.GOMAXPROCS(o.gomaxprocs)
	case os.Getenv("GOMAXPROCS") == "" && o.httpServer == "evloop":
		runtime.GOMAXPROCS(o.loops + 1)
	}
	return nil
}
