package apigw

import (
	"sync"
	"sync/atomic"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
)

// Templates use a few literal paths; compiled paths are cached (bounded,
// lock-free reads) so a render does not recompile them.
var (
	pathCache     sync.Map // string → *jsonpath.Path
	pathCacheSize atomic.Int64
)

const maxCachedPaths = 4096

func compilePath(src string) (*jsonpath.Path, error) {
	if p, ok := pathCache.Load(src); ok {
		return p.(*jsonpath.Path), nil
	}
	p, err := jsonpath.Compile(src)
	if err != nil {
		return nil, err
	}
	if pathCacheSize.Add(1) <= maxCachedPaths {
		pathCache.Store(src, p)
	}
	return p, nil
}
