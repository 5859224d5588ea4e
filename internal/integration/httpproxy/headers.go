package httpproxy

import (
	"net/http"
	"net/textproto"
	"strings"
)

// hopByHop headers are never forwarded in either direction (RFC 9110 §7.6.1).
var hopByHop = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// removeHopByHop deletes hop-by-hop headers, including those named in Connection.
func removeHopByHop(h http.Header) {
	for _, v := range h["Connection"] {
		for _, name := range strings.Split(v, ",") {
			if name = textproto.TrimString(name); name != "" {
				h.Del(name)
			}
		}
	}
	for _, name := range hopByHop {
		delete(h, name)
	}
}

// outboundHeader copies the client's headers for the backend. HTTP APIs
// translate incoming X-Forwarded-* headers into a standard Forwarded header and
// append an element for this hop [DG:http-api-develop-integrations-http].
func outboundHeader(in http.Header, sourceIP, host, proto string) http.Header {
	h := make(http.Header, len(in)+2)
	for k, vs := range in {
		h[k] = append([]string(nil), vs...)
	}
	removeHopByHop(h)
	h.Del("Host")
	var fwd []string
	fwd = append(fwd, h.Values("Forwarded")...)
	for _, v := range h.Values("X-Forwarded-For") {
		for _, ip := range strings.Split(v, ",") {
			if ip = strings.TrimSpace(ip); ip != "" {
				fwd = append(fwd, "for="+quoteForwarded(ip))
			}
		}
	}
	h.Del("X-Forwarded-For")
	h.Del("X-Forwarded-Host")
	h.Del("X-Forwarded-Proto")
	elem := "for=" + quoteForwarded(sourceIP) + ";host=" + host + ";proto=" + proto
	fwd = append(fwd, elem)
	h["Forwarded"] = []string{strings.Join(fwd, ", ")}
	return h
}

// quoteForwarded quotes IPv6 addresses as RFC 7239 requires.
func quoteForwarded(ip string) string {
	if strings.Contains(ip, ":") {
		return `"[` + ip + `]"`
	}
	return ip
}
