package local

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// procAttr puts an instance in its own process group (so that stopping it
// reaches the processes it started) and kills it if Gatehouse dies.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// pendingBytes returns how many bytes wait to be read from the pipe fd.
// TIOCINQ never blocks, so it is a raw system call: the scheduler is not
// told (and sysmon is not woken) for it, once per invocation.
func pendingBytes(fd uintptr) int {
	var n int32
	if _, _, errno := unix.RawSyscall(unix.SYS_IOCTL, fd, unix.TIOCINQ, uintptr(unsafe.Pointer(&n))); errno != 0 {
		return 0
	}
	return int(n)
}
