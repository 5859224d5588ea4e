package apigw

import (
	"sync"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
)

// Templates use a few literal paths; compiled paths are cached (bounded)
// so a render does not recompile them.
var (
	pathMu    sync.RWMutex
	pathCache = map[string]*jsonpath.Path{}
)

const maxCachedPaths = 4096

func compilePath(src string) (*jsonpath.Path, error) {
	pathMu.RLock()
	p, ok := pathCache[src]
	pathMu.RUnlock()
	if ok {
		return p, nil
	}
	p, err := jsonpath.Compile(src)
	if err != nil {
		return nil, err
	}
	pathMu.Lock()
	if len(pathCache) < maxCachedPaths {
		pathCache[src] = p
	}
	pathMu.Unlock()
	return p, nil
}
