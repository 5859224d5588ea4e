package apigw

import (
	"maps"
	"sync"
	"sync/atomic"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
)

// Templates use a few literal paths; compiled paths are cached so a render
// does not recompile them. Reads are a plain map lookup in an immutable
// snapshot (cheaper than sync.Map's); a new path copies the snapshot under
// a lock. The cache is bounded: past maxCachedPaths, paths are compiled
// per use, and the copies total O(maxCachedPaths²) entries over the life
// of the process.
var (
	pathCache   atomic.Pointer[map[string]*jsonpath.Path]
	pathCacheMu sync.Mutex
)

const maxCachedPaths = 4096

func compilePath(src string) (*jsonpath.Path, error) {
	if m := pathCache.Load(); m != nil {
		if p, ok := (*m)[src]; ok {
			return p, nil
		}
	}
	p, err := jsonpath.Compile(src)
	if err != nil {
		return nil, err
	}
	pathCacheMu.Lock()
	defer pathCacheMu.Unlock()
	old := pathCache.Load()
	var n int
	if old != nil {
		n = len(*old)
	}
	if n >= maxCachedPaths {
		return p, nil
	}
	if old != nil {
		if q, ok := (*old)[src]; ok {
			return q, nil
		}
	}
	m := map[string]*jsonpath.Path{}
	if old != nil {
		m = maps.Clone(*old)
	}
	m[src] = p
	pathCache.Store(&m)
	return p, nil
}
