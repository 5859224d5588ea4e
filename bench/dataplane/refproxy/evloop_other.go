//go:build !linux

package main

import "log"

func evloopServe(listen, upstream, portFile string) {
	log.Fatal("refproxy: -mode evloop needs Linux (epoll)")
}
