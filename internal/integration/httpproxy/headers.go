package httpproxy

import (
	"net/http"
	"net/textproto"
	"strings"
)

// removeHopByHop deletes hop-by-hop headers, including those named in Connection.
func removeHopByHop(h http.Header) {
	for _, v := range h["Connection"] {
		for _, name := range strings.Split(v, ",") {
			if name = textproto.TrimString(name); name != "" {
				h.Del(name)
			}
		}
	}
	for k := range h {
		if isHopByHop(k) {
			delete(h, k)
		}
	}
}

// headerValue is h.Get(key) for a key already canonical (no
// canonicalization scan per call).
func headerValue(h http.Header, key string) string {
	if vs := h[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// isHopByHop reports whether a canonical header name is a hop-by-hop
// header, never forwarded in either direction (RFC 9110 §7.6.1).
func isHopByHop(k string) bool {
	switch k {
	case "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
		"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade":
		return true
	}
	return false
}

// outboundHeader copies the client's headers for the backend. HTTP APIs
// translate incoming X-Forwarded-* headers into a standard Forwarded header and
// append an element for this hop [DG:http-api-develop-integrations-http].
func outboundHeader(in http.Header, sourceIP, host, proto string) http.Header {
	// All values share one array (each key's slice capped, so a later
	// append copies it): two allocations for the copy, not one per key.
	n := 1
	for _, vs := range in {
		n += len(vs)
	}
	vals := make([]string, 0, n)
	h := make(http.Header, len(in)+2)
	_, named := in["Connection"] // it may name more headers to drop
	for k, vs := range in {
		if !named && (isHopByHop(k) || k == "Host") {
			continue
		}
		start := len(vals)
		vals = append(vals, vs...)
		h[k] = vals[start:len(vals):len(vals)]
	}
	if named {
		removeHopByHop(h)
		delete(h, "Host")
	}
	var b strings.Builder
	size := len("for=;host=;proto=") + len(sourceIP) + len(host) + len(proto) + 4
	for _, v := range h["Forwarded"] {
		size += len(v) + 2
	}
	for _, v := range h["X-Forwarded-For"] {
		size += 2 * len(v) // ", for=" per address at most doubles it
	}
	b.Grow(size)
	sep := func() {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
	}
	for _, v := range h["Forwarded"] {
		sep()
		b.WriteString(v)
	}
	for _, v := range h["X-Forwarded-For"] {
		for ip := range strings.SplitSeq(v, ",") {
			if ip = strings.TrimSpace(ip); ip != "" {
				sep()
				b.WriteString("for=")
				b.WriteString(quoteForwarded(ip))
			}
		}
	}
	delete(h, "X-Forwarded-For")
	delete(h, "X-Forwarded-Host")
	delete(h, "X-Forwarded-Proto")
	sep()
	b.WriteString("for=")
	b.WriteString(quoteForwarded(sourceIP))
	b.WriteString(";host=")
	b.WriteString(host)
	b.WriteString(";proto=")
	b.WriteString(proto)
	vals = append(vals, b.String())
	h["Forwarded"] = vals[len(vals)-1 : len(vals) : len(vals)]
	return h
}

// quoteForwarded quotes IPv6 addresses as RFC 7239 requires.
func quoteForwarded(ip string) string {
	if strings.Contains(ip, ":") {
		return `"[` + ip + `]"`
	}
	return ip
}
