package e2e

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestSlowAndMalformedClients: slow clients are cut off by the read timeouts
// and malformed requests get a 400; the server stays healthy.
func TestSlowAndMalformedClients(t *testing.T) {
	g := startGatehouse(t, Options{Args: []string{"--read-header-timeout", "300ms", "--read-timeout", "600ms"}})
	addr := strings.TrimPrefix(g.URL, "http://")
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second)) // the test's own bound, far above the server's
		return c
	}

	t.Run("SlowHeaders", func(t *testing.T) {
		c := dial()
		defer c.Close()
		io.WriteString(c, "GET /_gatehouse/health HTTP/1.1\r\nHost: x\r\n") // never finishes its headers
		start := time.Now()
		b, err := io.ReadAll(c)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("server kept a connection with unfinished headers open for %v", time.Since(start))
		}
		if strings.Contains(string(b), "200 OK") {
			t.Errorf("incomplete request answered: %q", b)
		}
	})

	t.Run("SlowBody", func(t *testing.T) {
		c := dial()
		defer c.Close()
		io.WriteString(c, "POST /_gatehouse/execute-api/us-east-1/none/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
		start := time.Now()
		_, err := io.ReadAll(c)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("server waited %v for a body that never came", time.Since(start))
		}
	})

	t.Run("Malformed", func(t *testing.T) {
		for _, tc := range []struct{ req, status string }{
			{"GARBAGE\r\n\r\n", "HTTP/1.1 400"},
			{"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400"},
			{"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", "HTTP/1.1 400"},
			{"GET / HTTP/9.9\r\nHost: x\r\n\r\n", "HTTP/1.1 505"}, // the precise answer for an unknown HTTP version
		} {
			c := dial()
			io.WriteString(c, tc.req)
			line, err := bufio.NewReader(c).ReadString('\n')
			c.Close()
			if err != nil || !strings.HasPrefix(line, tc.status) {
				t.Errorf("request %q: status line %q (%v), want %s", tc.req, line, err, tc.status)
			}
		}
	})

	g.mustCall(t, 200, "GET", "/_gatehouse/health", nil)
}
