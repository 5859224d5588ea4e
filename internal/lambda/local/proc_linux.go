package local

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// procAttr puts an instance in its own process group (so that stopping it
// reaches the processes it started) and kills it if Gatehouse dies.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// pendingBytes returns how many bytes wait to be read from the pipe fd.
func pendingBytes(fd uintptr) int {
	n, err := unix.IoctlGetInt(int(fd), unix.TIOCINQ)
	if err != nil {
		return 0
	}
	return n
}
