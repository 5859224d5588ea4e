package httpserver

import (
	"bufio"
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
)

// fastHeads are heads of the common shape: the fast parser must take them
// (or the data plane silently loses its fast path).
var fastHeads = []string{
	"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
	"GET /api/hello HTTP/1.1\r\nHost: abc.execute-api.localhost:4566\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n",
	"POST /a/b;c=d,e@f:g+h$i&j~k_l.m HTTP/1.1\r\nhost: h\r\ncontent-length: 3\r\ncontent-type: application/json\r\n\r\n{}\n",
	"GET /items?x=1&y=%20z&w=a?b HTTP/1.0\r\nX-Multi: a\r\nx-multi: b\r\nX-Empty:\r\nX-Tabs:\t v \t\r\n\r\n",
	"DELETE /q HTTP/1.1\r\nHost: h\r\nConnection: close\r\nX-Obs-Text: caf\xc3\xa9\r\nX-Weird-Name_1!#$%&'*+.^`|~: v\r\n\r\n",
	"OPTIONS /x HTTP/1.1\r\nHost: h\r\nOrigin: https://example.com\r\nAccess-Control-Request-Method: PUT\r\n\r\n",
}

// slowHeads must go to textproto (an error or a form the fast parser does
// not claim to handle identically).
var slowHeads = []string{
	"GET / HTTP/1.1\nHost: h\n\n",                                                // bare LF
	"\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",                                      // empty line first
	"GET /a%20b HTTP/1.1\r\nHost: h\r\n\r\n",                                     // escaped path
	"GET /a(b) HTTP/1.1\r\nHost: h\r\n\r\n",                                      // path Go escapes
	"GET /a? HTTP/1.1\r\nHost: h\r\n\r\n",                                        // ForceQuery
	"GET * HTTP/1.1\r\nHost: h\r\n\r\n",                                          // asterisk form
	"GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n",                                  // absolute form
	"CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n",                                  // CONNECT
	"GET / HTTP/2.0\r\nHost: h\r\n\r\n",                                          // version
	"GET / HTTP/1.1\r\nHost : h\r\n\r\n",                                         // space before colon
	"GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",                               // obs-fold
	"GET / HTTP/1.1\r\nX: a\x01b\r\nHost: h\r\n\r\n",                             // control byte
	"GET / HTTP/1.1\r\nX: a\rb\r\nHost: h\r\n\r\n",                               // bare CR
	"GET / HTTP/1.1\r\nHost: h\r\n",                                              // incomplete
	"GET  / HTTP/1.1\r\nHost: h\r\n\r\n",                                         // two spaces
	"GET / HTTP/1.1 \r\nHost: h\r\n\r\n",                                         // trailing space
	"GET / HTTP/1.1\r\n" + strings.Repeat("X: y\r\n", maxFastHeaders+1) + "\r\n", // many headers
}

func TestFastHeadTakesCommonHeads(t *testing.T) {
	for _, s := range fastHeads {
		if _, n, ok := parseFastHead([]byte(s)); !ok || n != strings.Index(s, "\r\n\r\n")+4 {
			t.Errorf("%q: ok %v, n %d", s, ok, n)
		}
		checkFastHead(t, []byte(s))
	}
	for _, s := range slowHeads {
		if _, _, ok := parseFastHead([]byte(s)); ok {
			t.Errorf("%q: taken by the fast parser", s)
		}
	}
}

// TestReadRequestFastAllocs pins the fast path's allocations for a typical
// proxied request (head string, URL, header map, values, request, framing).
func TestReadRequestFastAllocs(t *testing.T) {
	head := []byte(fastHeads[1])
	base := RequestBase(context.Background())
	rd := bytes.NewReader(head)
	br := bufio.NewReader(rd)
	allocs := testing.AllocsPerRun(100, func() {
		rd.Reset(head)
		br.Reset(rd)
		br.Peek(1)
		if _, err := readRequest(br, base, "1.2.3.4:5"); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("%.0f allocations", allocs)
	if allocs > 7 {
		t.Errorf("%.0f allocations per request head, want at most 7", allocs)
	}
}

// checkFastHead holds the fast parser to textproto's: whatever it takes,
// readHead parses to the same head and consumes the same bytes.
func checkFastHead(t *testing.T, b []byte) {
	t.Helper()
	hd, n, ok := parseFastHead(b)
	if !ok {
		return
	}
	rd := bytes.NewReader(b)
	br := bufio.NewReaderSize(rd, len(b)+16)
	slow, err := readHead(br)
	if err != nil {
		t.Fatalf("%q: fast parser took it, textproto refused it: %v", b, err)
	}
	if used := len(b) - br.Buffered() - rd.Len(); used != n {
		t.Fatalf("%q: fast parser took %d bytes, textproto %d", b, n, used)
	}
	if hd.method != slow.method || hd.uri != slow.uri || hd.proto != slow.proto || hd.major != slow.major || hd.minor != slow.minor {
		t.Fatalf("%q: request line %q %q %q %d.%d, textproto %q %q %q %d.%d", b,
			hd.method, hd.uri, hd.proto, hd.major, hd.minor, slow.method, slow.uri, slow.proto, slow.major, slow.minor)
	}
	if !reflect.DeepEqual(hd.u, slow.u) {
		t.Fatalf("%q: URL %#v, textproto %#v", b, hd.u, slow.u)
	}
	if !reflect.DeepEqual(hd.h, slow.h) {
		t.Fatalf("%q: header %q, textproto %q", b, hd.h, slow.h)
	}
}

func FuzzFastHead(f *testing.F) {
	for _, s := range fastHeads {
		f.Add([]byte(s))
	}
	for _, s := range slowHeads {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkFastHead(t, b) })
}

// TestParseRequestTakesFastPath: ParseRequest over a fresh reader (as
// evloop calls it) parses a common head with the fast parser.
func TestParseRequestTakesFastPath(t *testing.T) {
	head := []byte(fastHeads[1])
	base := RequestBase(context.Background())
	allocs := testing.AllocsPerRun(50, func() {
		br := bufio.NewReaderSize(bytes.NewReader(head), 4096)
		if _, err := ParseRequest(br, base, ""); err != nil {
			t.Fatal(err)
		}
	})
	// The readers and the buffer, plus the fast path's 7; textproto's path
	// makes 13.
	if allocs > 10 {
		t.Errorf("%.0f allocations: ParseRequest did not take the fast path", allocs)
	}
}
