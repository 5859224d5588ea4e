//go:build !unix

package local

import (
	"os"
	"syscall"
)

// procAttr is the default on systems without process groups: stopping an
// instance stops its process only, not processes it started.
func procAttr() *syscall.SysProcAttr { return nil }

// killGroup kills the process pid (there is no SIGTERM to send first).
func killGroup(pid int, _ bool) {
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}

// pendingBytes is not measured on this system: output written just before
// a response may be attributed to no invocation.
func pendingBytes(uintptr) int { return 0 }
