package local

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawRuntime plays a runtime on one Runtime API connection, byte by byte.
type rawRuntime struct {
	t  *testing.T
	nc net.Conn
	br *bufio.Reader
}

func dialRuntime(t *testing.T, base string) *rawRuntime {
	t.Helper()
	nc, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return &rawRuntime{t: t, nc: nc, br: bufio.NewReader(nc)}
}

func (r *rawRuntime) send(s string) {
	r.t.Helper()
	if _, err := io.WriteString(r.nc, s); err != nil {
		r.t.Fatal(err)
	}
}

// read reads one answer and its body.
func (r *rawRuntime) read() (*http.Response, string) {
	r.t.Helper()
	r.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(r.br, nil)
	if err != nil {
		r.t.Fatalf("reading an answer: %v", err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatalf("reading an answer's body: %v", err)
	}
	return resp, string(b)
}

// closed reports whether the server closed the connection.
func (r *rawRuntime) closed() bool {
	r.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := r.br.ReadByte()
	return err != nil
}

const rawNext = "GET " + pathNext + " HTTP/1.1\r\nHost: rt\r\n\r\n"

func rawPost(id, kind, body string) string {
	return "POST " + pathInvocation + id + "/" + kind + " HTTP/1.1\r\nHost: rt\r\nContent-Type: application/json\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

type runResult struct {
	o                outcome
	healthy, running bool
	err              error
}

// runAsync runs an invocation of payload on in.
func runAsync(ctx context.Context, in *instance, payload string) (*invocation, <-chan runResult) {
	inv := newInvocation([]byte(payload), 5*time.Second)
	inv.log = &invocationLog{id: inv.id}
	ch := make(chan runResult, 1)
	go func() {
		o, healthy, running, err := in.run(ctx, inv, 5*time.Second)
		ch <- runResult{o, healthy, running, err}
	}()
	return inv, ch
}

func wantOutcome(t *testing.T, ch <-chan runResult, payload string, errType string) {
	t.Helper()
	select {
	case r := <-ch:
		if r.err != nil || r.running || !r.healthy || string(r.o.payload) != payload && payload != "" || r.o.errType != errType {
			t.Fatalf("run = %+v (payload %s); want %s %q", r, r.o.payload, payload, errType)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return")
	}
}

// eventID reads a poll's answer and returns the request id it carries.
func (r *rawRuntime) eventID(wantPayload string) string {
	r.t.Helper()
	resp, body := r.read()
	id := resp.Header.Get(hdrRequestID)
	if resp.StatusCode != 200 || id == "" || body != wantPayload || resp.Header.Get(hdrDeadlineMs) == "" ||
		resp.Header.Get(hdrFunctionArn) != "arn" {
		r.t.Fatalf("event = %d %v %q, want %q", resp.StatusCode, resp.Header, body, wantPayload)
	}
	return id
}

// One connection through the shapes of answers runtimes send: the first
// event through a waiting invocation (the poll read on the connection's
// goroutine), then the direct path (the invoker reads the next poll and the
// answer itself): a Content-Length answer, a chunked answer whose failure is
// in trailers (aws-lambda-go's streaming), an Expect: 100-continue answer, a
// pipelined answer and poll, an error, and an answer for an unknown id.
func TestRuntimeConnAnswerShapes(t *testing.T) {
	in, base := newProcesslessInstance(t)
	rt := dialRuntime(t, base)
	ctx := context.Background()

	_, ch := runAsync(ctx, in, `{"n":1}`)
	time.Sleep(10 * time.Millisecond) // waiting before the poll: the connection's goroutine answers it
	rt.send(rawNext)
	id := rt.eventID(`{"n":1}`)
	rt.send(rawPost(id, "response", `{"ok":1}`))
	if resp, body := rt.read(); resp.StatusCode != 202 || body != runtimeAPIStatusOK {
		t.Fatalf("answer = %d %s", resp.StatusCode, body)
	}
	wantOutcome(t, ch, `{"ok":1}`, "")

	// Direct: the poll comes after the invocation claimed the connection.
	_, ch = runAsync(ctx, in, `{"n":2}`)
	rt.send(rawNext)
	id = rt.eventID(`{"n":2}`)
	rt.send("POST " + pathInvocation + id + "/response HTTP/1.1\r\nHost: rt\r\nTransfer-Encoding: chunked\r\nTrailer: " +
		hdrFunctionErrType + ", " + hdrFunctionErrBody + "\r\n\r\n3\r\n{\"p\r\n0\r\n" + hdrFunctionErrType + ": Stream.Broke\r\n" +
		hdrFunctionErrBody + ": eyJlcnJvclR5cGUiOiJTdHJlYW0uQnJva2UifQ==\r\n\r\n")
	if resp, _ := rt.read(); resp.StatusCode != 202 {
		t.Fatalf("chunked answer = %d", resp.StatusCode)
	}
	wantOutcome(t, ch, `{"errorType":"Stream.Broke"}`, "Stream.Broke")

	// The poll already waits (read by nobody) when the invocation comes.
	rt.send(rawNext)
	time.Sleep(10 * time.Millisecond)
	_, ch = runAsync(ctx, in, `{"n":3}`)
	id = rt.eventID(`{"n":3}`)
	rt.send("POST " + pathInvocation + id + "/response HTTP/1.1\r\nHost: rt\r\nExpect: 100-continue\r\nContent-Length: 8\r\n\r\n")
	if resp, _ := rt.read(); resp.StatusCode != 100 {
		t.Fatalf("Expect: 100-continue answered %d first", resp.StatusCode)
	}
	rt.send(`{"ok":3}`)
	if resp, _ := rt.read(); resp.StatusCode != 202 {
		t.Fatalf("answer after 100 Continue = %d", resp.StatusCode)
	}
	wantOutcome(t, ch, `{"ok":3}`, "")

	// Pipelined: the answer and the next poll in one write (the Node
	// bootstrap); the 202 leaves with the next event.
	_, ch = runAsync(ctx, in, `{"n":4}`)
	rt.send(rawNext)
	id = rt.eventID(`{"n":4}`)
	rt.send(rawPost(id, "error", `{"errorType":"Oops","errorMessage":"no"}`) + rawNext)
	wantOutcome(t, ch, `{"errorType":"Oops","errorMessage":"no"}`, "Oops")
	_, ch = runAsync(ctx, in, `{"n":5}`)
	if resp, _ := rt.read(); resp.StatusCode != 202 {
		t.Fatalf("pipelined error answer = %d", resp.StatusCode)
	}
	id = rt.eventID(`{"n":5}`)
	rt.send(rawPost("not-"+id, "response", `{}`))
	if resp, _ := rt.read(); resp.StatusCode != 400 {
		t.Fatalf("answer for an unknown id = %d, want 400", resp.StatusCode)
	}
	rt.send(rawPost(id, "response", `{"ok":5}`))
	rt.read()
	wantOutcome(t, ch, `{"ok":5}`, "")

	// A poll with a body (read and dropped) on the direct path.
	_, ch = runAsync(ctx, in, `{"n":6}`)
	rt.send("GET " + pathNext + " HTTP/1.1\r\nHost: rt\r\nContent-Length: 3\r\n\r\nabc")
	id = rt.eventID(`{"n":6}`)
	rt.send(rawPost(id, "response", `{"ok":6}`))
	rt.read()
	wantOutcome(t, ch, `{"ok":6}`, "")
}

// A runtime may poll and answer on other connections than the one the
// invoker holds: a poll elsewhere interrupts an invoker waiting for one, and
// an answer elsewhere ends its wait.
func TestRuntimeConnOtherConnections(t *testing.T) {
	in, base := newProcesslessInstance(t)
	a := dialRuntime(t, base)
	ctx := context.Background()
	_, ch := runAsync(ctx, in, `{"n":1}`)
	a.send(rawNext)
	id := a.eventID(`{"n":1}`)
	a.send(rawPost(id, "response", `{}`))
	a.read()
	wantOutcome(t, ch, `{}`, "")

	// a is idle, its next request unread: the invoker claims it and waits;
	// the poll comes on b.
	_, ch = runAsync(ctx, in, `{"n":2}`)
	time.Sleep(20 * time.Millisecond)
	b := dialRuntime(t, base)
	b.send(rawNext)
	id = b.eventID(`{"n":2}`)
	// The answer comes on a third connection, closed after it.
	c := dialRuntime(t, base)
	c.send(strings.Replace(rawPost(id, "response", `{"ok":2}`), "Host: rt\r\n", "Host: rt\r\nConnection: close\r\n", 1))
	if resp, _ := c.read(); resp.StatusCode != 202 || !resp.Close {
		t.Fatalf("answer with Connection: close = %d close=%v", resp.StatusCode, resp.Close)
	}
	if !c.closed() {
		t.Error("connection not closed after Connection: close")
	}
	wantOutcome(t, ch, `{"ok":2}`, "")

	// a still works.
	_, ch = runAsync(ctx, in, `{"n":3}`)
	a.send(rawNext)
	id = a.eventID(`{"n":3}`)
	a.send(rawPost(id, "response", `{"ok":3}`))
	a.read()
	wantOutcome(t, ch, `{"ok":3}`, "")

	// A malformed request is refused and its connection closed.
	d := dialRuntime(t, base)
	d.send("GET /x HTTP/1.1\r\nHost: rt\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
	if resp, _ := d.read(); resp.StatusCode != 400 || !d.closed() {
		t.Fatalf("malformed request = %d, want 400 and a closed connection", resp.StatusCode)
	}
}

// A caller that goes away while the function runs on the direct path gets
// its context's error at once; the function's answer is then read for await.
func TestRuntimeConnCallerGoneDirect(t *testing.T) {
	in, base := newProcesslessInstance(t)
	rt := dialRuntime(t, base)
	_, ch := runAsync(context.Background(), in, `{"n":1}`)
	rt.send(rawNext)
	id := rt.eventID(`{"n":1}`)
	rt.send(rawPost(id, "response", `{}`))
	rt.read()
	wantOutcome(t, ch, `{}`, "")

	ctx, cancel := context.WithCancel(context.Background())
	inv, ch := runAsync(ctx, in, `{"n":2}`)
	rt.send(rawNext)
	rt.eventID(`{"n":2}`)
	cancel()
	select {
	case r := <-ch:
		if r.err == nil || !r.running {
			t.Fatalf("run with a gone caller = %+v, want running with ctx's error", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return when its caller went away")
	}
	rt.send(rawPost(inv.id, "response", `{"late":1}`))
	rt.read()
	o, healthy, ok := in.await(context.Background(), inv)
	if !ok || !healthy || string(o.payload) != `{"late":1}` {
		t.Fatalf("await = %+v %v %v", o, healthy, ok)
	}

	// A caller that goes away while the invoker waits for the poll leaves
	// the instance free, and the connection usable.
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, ch = runAsync(ctx, in, `{"n":3}`)
	select {
	case r := <-ch:
		if r.err == nil || r.running || !r.healthy {
			t.Fatalf("run gone before the poll = %+v, want ctx error, healthy, not running", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return when its caller went away")
	}
	_, ch = runAsync(context.Background(), in, `{"n":4}`)
	rt.send(rawNext)
	id = rt.eventID(`{"n":4}`)
	rt.send(rawPost(id, "response", `{"ok":4}`))
	rt.read()
	wantOutcome(t, ch, `{"ok":4}`, "")
}

func TestHeadEnd(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", -1},
		{"GET / HTTP/1.1\r\n", -1},
		{"GET / HTTP/1.1\r\n\r\n", 18},
		{"GET / HTTP/1.1\n\n", 16},
		{"GET / HTTP/1.1\r\nA: b\r\n\r\nrest", 24},
		{"\r\nGET / HTTP/1.1\r\n\r\n", 20},
		{"GET / HTTP/1.1\r\nA: b\r\n\r", -1},
	} {
		if got := headEnd([]byte(tc.in)); got != tc.want {
			t.Errorf("headEnd(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// Against aws-lambda-go: after an invocation the runtime's connection is
// parked (its next poll unread or read, nobody reading), and the next warm
// invocation claims it: the direct path is the one warm invocations take.
func TestWarmInvocationsRunDirect(t *testing.T) {
	r := newTestRunner(t, nil)
	goFunction(t, r, "direct", nil)
	state := func() (idle, conns int, waiting *invocation) {
		r.mu.RLock()
		p := r.pools["us-east-1/direct"]
		r.mu.RUnlock()
		p.mu.Lock()
		in := p.idle[0].instance
		p.mu.Unlock()
		in.mu.Lock()
		defer in.mu.Unlock()
		return len(in.idle), len(in.conns), in.waiting
	}
	for i := range 5 {
		echo := strconv.Itoa(i)
		if got := decode[goReply](t, invoke(t, r, "direct", map[string]any{"echo": echo}).Payload); got.Echo != echo {
			t.Fatalf("answered %q, want %q", got.Echo, echo)
		}
		idle, conns, waiting := state()
		// The first invocation (a cold start) is answered on the
		// connection's goroutine, which parks the connection just after
		// the invoker hears the result: wait for that, or the next
		// invocation would find no idle connection and take the waiting
		// path too. A warm invocation on the direct path parks the
		// connection before it returns. The test function also holds the
		// Extensions API poll (SIGTERM) open on a connection of its own.
		if i == 0 {
			for end := time.Now().Add(5 * time.Second); idle != 1 && time.Now().Before(end); idle, conns, waiting = state() {
				time.Sleep(time.Millisecond)
			}
		}
		if idle != 1 || conns != 2 || waiting != nil {
			t.Fatalf("after invocation %d: %d idle of %d connections, waiting %v; want the runtime's connection parked", i, idle, conns, waiting)
		}
	}
}
