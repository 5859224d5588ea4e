package main

import (
	"fmt"
	"os"
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
