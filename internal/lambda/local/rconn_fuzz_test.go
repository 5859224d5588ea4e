package local

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// FuzzRuntimeConn sends arbitrary bytes to a Runtime API connection while
// an invocation waits for the runtime: the server must not panic, must end
// the invocation must end within its limits (the poll answered or not, the
// answer read or not).
func FuzzRuntimeConn(f *testing.F) {
	f.Add(rawNext)
	f.Add(rawNext + rawPost("{id}", "response", `{"ok":1}`) + rawNext)
	f.Add(rawNext + rawPost("{id}", "error", `{"errorType":"X"}`))
	f.Add(rawNext + "POST " + pathInvocation + "{id}/response HTTP/1.1\r\nHost: rt\r\nTransfer-Encoding: chunked\r\nTrailer: " +
		hdrFunctionErrType + "\r\n\r\n1\r\nx\r\n0\r\n" + hdrFunctionErrType + ": T\r\n\r\n")
	f.Add(rawNext + "POST " + pathInvocation + "{id}/response HTTP/1.1\r\nHost: rt\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}")
	f.Add("POST " + pathInitError + " HTTP/1.1\r\nHost: rt\r\nContent-Length: 2\r\n\r\n{}")
	f.Add("POST " + pathExtRegister + " HTTP/1.1\r\nHost: rt\r\nContent-Length: 0\r\n\r\n" + rawNext)
	f.Add("GET " + pathNext + " HTTP/1.0\r\n\r\n")
	f.Add("GET / HTTP/1.1\r\nHost: rt\r\nConnection: close\r\n\r\n")
	f.Add("\r\n\r\nGET " + pathNext + " HTTP/1.1\nHost: rt\n\n")
	f.Add("GET x\r\n\r\n")
	f.Fuzz(fuzzRuntimeConn)
}

func fuzzRuntimeConn(t *testing.T, input string) {
	in, base := newProcesslessInstance(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	inv := newInvocation([]byte(`{"e":1}`), 20*time.Millisecond)
	inv.log = &invocationLog{id: inv.id}
	done := make(chan struct{})
	go func() {
		in.run(ctx, inv, 20*time.Millisecond)
		close(done)
	}()
	nc, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// "{id}" stands for the invocation's request id. A parked connection
	// is read by nobody: the write may block.
	nc.SetWriteDeadline(time.Now().Add(time.Second))
	nc.Write([]byte(strings.ReplaceAll(input, "{id}", inv.id)))
	nc.(*net.TCPConn).CloseWrite()
	go io.Copy(io.Discard, nc) // the answers; a connection left idle stays open
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("the invocation did not end within its limits")
	}
}
