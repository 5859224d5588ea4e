//go:build unix && !linux

package local

import "syscall"

// procAttr puts an instance in its own process group, so that stopping it
// reaches the processes it started.
func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// pendingBytes is not measured on this system: output written just before
// a response may be attributed to no invocation.
func pendingBytes(uintptr) int { return 0 }
