package local

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// runtimeKind says how an instance's process is started.
type runtimeKind int

const (
	// kindProvided runs the executable "bootstrap" in the code directory.
	kindProvided runtimeKind = iota + 1
	// kindNode runs Gatehouse's Node.js bootstrap with the machine's node.
	kindNode
	// kindPython runs Gatehouse's Python bootstrap with the machine's python3.
	kindPython
)

// runtimes maps each supported Lambda runtime identifier to how it runs.
// Every Node.js and Python version runs on the one interpreter installed on
// the machine; the identifier is reported to the function in
// AWS_EXECUTION_ENV.
var runtimes = map[string]runtimeKind{
	"provided":        kindProvided,
	"provided.al2":    kindProvided,
	"provided.al2023": kindProvided,
	"nodejs18.x":      kindNode,
	"nodejs20.x":      kindNode,
	"nodejs22.x":      kindNode,
	"nodejs24.x":      kindNode,
	"python3.9":       kindPython,
	"python3.10":      kindPython,
	"python3.11":      kindPython,
	"python3.12":      kindPython,
	"python3.13":      kindPython,
	"python3.14":      kindPython,
}

// Runtimes returns the runtime identifiers the runner supports, sorted.
func Runtimes() []string {
	out := make([]string, 0, len(runtimes))
	for r := range runtimes {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// Supported reports whether the runner can run runtime.
func Supported(runtime string) bool { _, ok := runtimes[runtime]; return ok }

// NeedsHandler reports whether runtime loads a handler named file.function,
// so that a missing Handler is an error at creation.
func NeedsHandler(runtime string) bool {
	k := runtimes[runtime]
	return k == kindNode || k == kindPython
}

// command returns the program and arguments that start an instance of f.
func (r *Runner) command(f *Function) (string, []string, error) {
	switch runtimes[f.Runtime] {
	case kindProvided:
		return filepath.Join(f.CodeDir, "bootstrap"), nil, nil
	case kindNode:
		if r.cfg.Node == "" {
			return "", nil, fmt.Errorf("runtime %s needs node, which is not on PATH", f.Runtime)
		}
		return r.cfg.Node, []string{filepath.Join(r.bootstrapDir, "node", "bootstrap.js")}, nil
	case kindPython:
		py := r.python()
		if py == "" {
			return "", nil, fmt.Errorf("runtime %s needs python3, which is not on PATH", f.Runtime)
		}
		return py, []string{"-u", filepath.Join(r.bootstrapDir, "python", "bootstrap.py")}, nil
	}
	return "", nil, fmt.Errorf("unsupported runtime %q (supported: %s)", f.Runtime, strings.Join(Runtimes(), ", "))
}

// python returns the Python interpreter, resolved once to the executable
// itself: version managers put a shell script first on PATH (pyenv's shims)
// that costs tens of milliseconds on every cold start.
func (r *Runner) python() string {
	r.pythonOnce.Do(func() {
		r.pythonPath = r.cfg.Python
		if r.pythonPath == "" {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, r.pythonPath, "-c", "import sys; print(sys.executable)").Output()
		if p := strings.TrimSpace(string(out)); err == nil && filepath.IsAbs(p) {
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				r.pythonPath = p
			}
		}
	})
	return r.pythonPath
}
