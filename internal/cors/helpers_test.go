package cors

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

func intp(v int) *int { return &v }

// hdr builds a header from "Name: value" lines, canonicalising names as net/http does.
func hdr(lines ...string) http.Header {
	h := http.Header{}
	for _, l := range lines {
		k, v, _ := strings.Cut(l, ":")
		h.Add(k, strings.TrimSpace(v))
	}
	return h
}

// show renders a header deterministically for failure messages.
func show(h http.Header) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(h)) {
		fmt.Fprintf(&b, "%s: %s; ", k, strings.Join(h[k], " | "))
	}
	return "{" + strings.TrimSuffix(b.String(), "; ") + "}"
}
