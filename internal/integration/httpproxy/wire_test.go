package httpproxy

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// stdRequestBytes is what Request.Write sends for req with body.
func stdRequestBytes(t *testing.T, req *http.Request, body []byte) string {
	t.Helper()
	r := *req
	r.Header = req.Header.Clone()
	r.Body = nil
	if len(body) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	var b bytes.Buffer
	if err := r.Write(&b); err != nil {
		return "error: " + err.Error()
	}
	return b.String()
}

func ourRequestBytes(req *http.Request, body []byte) string {
	r := *req
	r.Header = req.Header.Clone()
	if len(body) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	if err := writeRequest(bw, &r, body); err != nil {
		return "error: " + err.Error()
	}
	bw.Flush()
	return b.String()
}

func TestWriteRequestSameAsStdlib(t *testing.T) {
	mk := func(method, rawURL string, h http.Header, body string) (*http.Request, []byte) {
		u, err := url.Parse(rawURL)
		if err != nil {
			t.Fatal(err)
		}
		if h == nil {
			h = http.Header{}
		}
		return &http.Request{Method: method, URL: u, Host: u.Host, Header: h, Proto: "HTTP/1.1",
			ProtoMajor: 1, ProtoMinor: 1, ContentLength: int64(len(body))}, []byte(body)
	}
	cases := []struct {
		name        string
		method, url string
		h           http.Header
		body        string
		host        string
	}{
		{name: "get", method: "GET", url: "http://127.0.0.1:8080/items/1?a=1&b=two"},
		{name: "post with body", method: "POST", url: "http://backend.example/p", body: `{"x":1}`,
			h: http.Header{"Content-Type": {"application/json"}, "X-Amzn-Trace-Id": {"Root=1-abc"}}},
		{name: "empty post", method: "POST", url: "http://b/p"},
		{name: "empty put", method: "PUT", url: "http://b/p"},
		{name: "empty patch", method: "PATCH", url: "http://b/p"},
		{name: "empty delete", method: "DELETE", url: "http://b/p"},
		{name: "delete with body", method: "DELETE", url: "http://b/p", body: "x"},
		{name: "options", method: "OPTIONS", url: "http://b/p"},
		{name: "head", method: "HEAD", url: "http://b/p"},
		{name: "no user agent", method: "GET", url: "http://b/", h: http.Header{"User-Agent": {""}}},
		{name: "user agent", method: "GET", url: "http://b/", h: http.Header{"User-Agent": {"  curl/8 \r\n"}}},
		{name: "multi values and order", method: "GET", url: "http://b/", h: http.Header{
			"Zeta": {"1", "2"}, "Alpha": {" spaced\t"}, "X-Forwarded-For": {"1.2.3.4, 5.6.7.8"},
			"Cookie": {"a=b; c=d"}, "Accept": {"*/*"}, "Mid": {"with\r\nnewline", "tab\there"}}},
		{name: "excluded headers", method: "POST", url: "http://b/", body: "abc", h: http.Header{
			"Host": {"evil"}, "Content-Length": {"99"}, "Transfer-Encoding": {"chunked"}, "Trailer": {"X"}}},
		{name: "escaped path", method: "GET", url: "http://b/a%2Fb/c%20d?q=%E2%9C%93"},
		{name: "host override", method: "GET", url: "http://b:81/", host: "api.example.com"},
		{name: "ipv6 host", method: "GET", url: "http://[::1]:8080/x"},
		{name: "idn host falls back", method: "GET", url: "http://b/", host: "bücher.example"},
		{name: "ipv6 zone falls back", method: "GET", url: "http://b/", host: "[fe80::1%25en0]:80"},
		{name: "bad host", method: "GET", url: "http://b/", host: "a b"},
		{name: "lower-case key", method: "GET", url: "http://b/", h: http.Header{"x-lower": {"v"}}},
		{name: "empty value", method: "GET", url: "http://b/", h: http.Header{"X-Empty": {""}}},
		{name: "connection close", method: "GET", url: "http://b/", h: http.Header{"Connection": {"keep-alive"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, body := mk(c.method, c.url, c.h, c.body)
			if c.host != "" {
				req.Host = c.host
			}
			want := stdRequestBytes(t, req, body)
			got := ourRequestBytes(req, body)
			if got != want {
				t.Fatalf("request bytes differ\n got: %q\nwant: %q", got, want)
			}
			req.Close = true
			if got, want := ourRequestBytes(req, body), stdRequestBytes(t, req, body); got != want {
				t.Fatalf("with Close: request bytes differ\n got: %q\nwant: %q", got, want)
			}
		})
	}
}

func TestWriteRequestRefusesBadHeaderNames(t *testing.T) {
	u, _ := url.Parse("http://b/")
	req := &http.Request{Method: "GET", URL: u, Host: "b", Header: http.Header{"X-Bad\r\nInjected": {"1"}}}
	if got := ourRequestBytes(req, nil); !strings.HasPrefix(got, "error:") {
		t.Fatalf("a header name with CRLF was written: %q", got)
	}
}

// parsed is everything a response read leaves that the client uses.
type parsed struct {
	Err              bool
	Status           string
	StatusCode       int
	Header           http.Header
	Body             string
	BodyNil          bool // the gateway treats a nil body and an empty one differently
	Close            bool
	ContentLength    int64
	TransferEncoding []string
	Rest             string // what is left for the next response on the connection
}

func stdRead(raw, method string) parsed {
	br := bufio.NewReaderSize(strings.NewReader(raw), 4096)
	req := &http.Request{Method: method}
	for {
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			return parsed{Err: true}
		}
		body, err := readBody(resp.Body)
		resp.Body.Close()
		if err != nil {
			return parsed{Err: true}
		}
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != 101 {
			continue
		}
		if resp.StatusCode == 101 {
			return parsed{Err: true}
		}
		rest, _ := io.ReadAll(br)
		return parsed{Status: resp.Status, StatusCode: resp.StatusCode, Header: resp.Header, Body: string(body), BodyNil: body == nil,
			Close: resp.Close, ContentLength: resp.ContentLength, TransferEncoding: resp.TransferEncoding, Rest: string(rest)}
	}
}

func ourRead(raw, method string) parsed {
	br := bufio.NewReaderSize(strings.NewReader(raw), 4096)
	resp, body, err := readResponse(br, &http.Request{Method: method})
	if err != nil {
		return parsed{Err: true}
	}
	rest, _ := io.ReadAll(br)
	return parsed{Status: resp.Status, StatusCode: resp.StatusCode, Header: resp.Header, Body: string(body), BodyNil: body == nil,
		Close: resp.Close, ContentLength: resp.ContentLength, TransferEncoding: resp.TransferEncoding, Rest: string(rest)}
}

// The same raw responses, parsed by readResponse and by http.ReadResponse
// (skipping interim responses as the client does): identical results,
// including what stays buffered for the next response.
var responseCorpus = []string{
	"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
	"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 204 No Content\r\n\r\n",
	"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 404 Not Found\r\ncontent-length: 3\r\nx-lower: a\r\nX-Multi: 1\r\nx-multi: 2\r\n\r\nabc",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\nNEXT",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n1\r\na\r\n0\r\nX-T: v\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 10\r\n\r\n1\r\na\r\n0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab",
	"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab",
	"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
	"HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nab",
	"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nab",
	"HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\nab",
	"HTTP/1.1 200 OK\r\nContent-Length: 02\r\n\r\nab",
	"HTTP/1.1 200 OK\r\n\r\nuntil the end",
	"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx",
	"HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 1\r\n\r\nx",
	"HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n",
	"HTTP/1.1 304 Not Modified\r\nContent-Length: x\r\n\r\n",
	"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nz",
	"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
	"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx",
	"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx",
	"HTTP/1.1  200 OK\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 2000 OK\r\n\r\n",
	"HTTP/1.1 20 OK\r\n\r\n",
	"HTTP/1.1 abc OK\r\n\r\n",
	"HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n",
	"HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX-Ctl: a\x01b\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX-Utf8: caf\xc3\xa9\r\nX-Tab: a\tb\r\nX-Space:   padded   \r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX-Empty:\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 0",
	"HTTP/1.1 200 OK\nContent-Length: 0\n\n",
	"",
	"garbage\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200 OK\r\n",
	"HTTP/1.1 200 OK\r\nX-Long: " + strings.Repeat("v", 5000) + "\r\nContent-Length: 1\r\n\r\nq",
	"HTTP/1.1 200 OK\r\nContent-Length: 20000\r\n\r\n" + strings.Repeat("b", 20000),
	"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nBad Trailer\r\n\r\n",
}

func TestReadResponseSameAsStdlib(t *testing.T) {
	for i, raw := range responseCorpus {
		for _, method := range []string{"GET", "HEAD"} {
			got, want := ourRead(raw, method), stdRead(raw, method)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("case %d (%s) %q:\n got: %+v\nwant: %+v", i, method, trunc(raw), got, want)
			}
		}
	}
}

func trunc(s string) string {
	if len(s) > 120 {
		return s[:120] + fmt.Sprintf("...(%d bytes)", len(s))
	}
	return s
}

func TestReadResponseTakesTheFastPath(t *testing.T) {
	// The common response must not go through http.ReadResponse: the
	// fast path parses it (one string for the head).
	head := []byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n")
	var resp http.Response
	ok := parseHead(head, &resp)
	if !ok || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("parseHead refused a plain head: %v %+v", ok, resp)
	}
	allocs := testing.AllocsPerRun(100, func() { parseHead(head, &resp) })
	if allocs > 4 {
		t.Errorf("parseHead allocates %.0f times for two headers; want at most 4 (head, map, values)", allocs)
	}
}

func FuzzReadResponse(f *testing.F) {
	for _, raw := range responseCorpus {
		f.Add(raw, false)
	}
	f.Fuzz(func(t *testing.T, raw string, head bool) {
		method := "GET"
		if head {
			method = "HEAD"
		}
		got, want := ourRead(raw, method), stdRead(raw, method)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q (%s):\n got: %+v\nwant: %+v", trunc(raw), method, got, want)
		}
	})
}

func bufRead(raw, method string) (parsed, int) {
	resp, body, n, err := parseResponse([]byte(raw), &http.Request{Method: method}, true, new(http.Response))
	if err != nil {
		return parsed{Err: true}, 0
	}
	return parsed{Status: resp.Status, StatusCode: resp.StatusCode, Header: resp.Header, Body: string(body), BodyNil: body == nil,
		Close: resp.Close, ContentLength: resp.ContentLength, TransferEncoding: resp.TransferEncoding, Rest: raw[n:]}, n
}

// checkBuffered holds parseResponse to the standard library: with the
// whole input and EOF the same result, and for every prefix without EOF
// either "not yet" or that same result.
func checkBuffered(t *testing.T, raw, method string) {
	t.Helper()
	want := stdRead(raw, method)
	got, n := bufRead(raw, method)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q (%s) at EOF:\n got: %+v\nwant: %+v", trunc(raw), method, got, want)
	}
	for i := 0; i <= len(raw); i++ {
		resp, body, m, err := parseResponse([]byte(raw[:i]), &http.Request{Method: method}, false, new(http.Response))
		switch {
		case err != nil && !want.Err:
			t.Fatalf("%q (%s): prefix %d: error %v, but the whole response parses", trunc(raw), method, i, err)
		case err == nil && m > 0:
			if want.Err || m != n {
				t.Fatalf("%q (%s): prefix %d parsed (%d bytes), want not yet (whole: err %v, %d bytes)", trunc(raw), method, i, m, want.Err, n)
			}
			p := parsed{Status: resp.Status, StatusCode: resp.StatusCode, Header: resp.Header, Body: string(body), BodyNil: body == nil,
				Close: resp.Close, ContentLength: resp.ContentLength, TransferEncoding: resp.TransferEncoding, Rest: raw[m:]}
			if !reflect.DeepEqual(p, want) {
				t.Fatalf("%q (%s): prefix %d:\n got: %+v\nwant: %+v", trunc(raw), method, i, p, want)
			}
		}
	}
}

func TestParseResponseBufferedSameAsStdlib(t *testing.T) {
	for _, raw := range responseCorpus {
		if len(raw) > 6000 {
			raw = raw[:6000] // every-split checking is quadratic
		}
		for _, method := range []string{"GET", "HEAD"} {
			checkBuffered(t, raw, method)
		}
	}
}

func FuzzParseResponseBuffered(f *testing.F) {
	for _, raw := range responseCorpus {
		if len(raw) < 2000 {
			f.Add(raw, false)
		}
	}
	f.Fuzz(func(t *testing.T, raw string, head bool) {
		if len(raw) > 2000 {
			return
		}
		method := "GET"
		if head {
			method = "HEAD"
		}
		checkBuffered(t, raw, method)
	})
}
