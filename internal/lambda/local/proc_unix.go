//go:build unix

package local

import "syscall"

// killGroup signals the process group led by pid: SIGKILL when hard, else
// SIGTERM.
func killGroup(pid int, hard bool) {
	sig := syscall.SIGTERM
	if hard {
		sig = syscall.SIGKILL
	}
	syscall.Kill(-pid, sig)
}
