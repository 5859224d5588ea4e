package router

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// refMatch is the slow reference for Router.Match: it tries every route key
// against the request by brute force and ranks the candidates by the rules in
// the package doc. keys must be valid and free of conflicts.
func refMatch(keys []string, method, path string) (key string, params []Param, ok bool) {
	type cand struct {
		key    string
		rank   []int
		params []Param
	}
	var bestC *cand
	var psegs []string
	if path != "/" {
		psegs = strings.Split(strings.TrimPrefix(path, "/"), "/")
	}
	for _, k := range keys {
		if k == "$default" || !strings.HasPrefix(path, "/") {
			continue
		}
		m, kpath, _ := strings.Cut(k, " ")
		mrank := 0
		switch m {
		case method:
		case "ANY":
			mrank = 1
		default:
			continue
		}
		var ksegs []string
		if kpath != "/" {
			ksegs = strings.Split(kpath[1:], "/")
		}
		greedy := len(ksegs) > 0 && strings.HasSuffix(ksegs[len(ksegs)-1], "+}")
		prefix := ksegs
		if greedy {
			prefix = ksegs[:len(ksegs)-1]
			if len(psegs) <= len(prefix) {
				continue
			}
		} else if len(psegs) != len(ksegs) {
			continue
		}
		c := cand{key: k}
		if greedy {
			c.rank = append(c.rank, 1, -len(prefix))
		} else {
			c.rank = append(c.rank, 0, 0)
		}
		matched := true
		for i, ks := range prefix {
			ps := psegs[i]
			if strings.HasPrefix(ks, "{") {
				if ps == "" {
					matched = false
					break
				}
				c.rank = append(c.rank, 1)
				c.params = append(c.params, Param{Name: ks[1 : len(ks)-1], Value: refDecode(ps), Raw: ps})
				continue
			}
			dec, err := url.PathUnescape(ps)
			if err != nil || dec != ks {
				matched = false
				break
			}
			c.rank = append(c.rank, 0)
		}
		if !matched {
			continue
		}
		if greedy {
			rest := strings.Join(psegs[len(prefix):], "/")
			if rest == "" {
				continue
			}
			last := ksegs[len(ksegs)-1]
			c.params = append(c.params, Param{Name: last[1 : len(last)-2], Value: refDecode(rest), Raw: rest})
		}
		c.rank = append(c.rank, mrank)
		if bestC == nil || lessRank(c.rank, bestC.rank) {
			bestC = &c
		}
	}
	if bestC != nil {
		return bestC.key, bestC.params, true
	}
	for _, k := range keys {
		if k == "$default" {
			return k, nil, true
		}
	}
	return "", nil, false
}

// lessRank compares ranks lexicographically; a shorter rank that is a prefix
// of a longer one cannot occur between two candidates for the same path.
func lessRank(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// refDecode decodes each well-formed %XX and keeps anything else.
func refDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+3 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil && !strings.ContainsAny(s[i+1:i+3], "+-") {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// intn is a source of choices: *rand.Rand, or fuzz bytes.
type intn interface{ IntN(n int) int }

// byteSource draws choices from fuzz input; 0 once it runs out.
type byteSource struct{ b []byte }

func (s *byteSource) IntN(n int) int {
	if len(s.b) == 0 {
		return 0
	}
	v := int(s.b[0]) % n
	s.b = s.b[1:]
	return v
}

var (
	genMethods  = []string{"ANY", "GET", "POST", "HEAD"}
	genLiterals = []string{"a", "b", "c", "café", "a+b", "a%20b"}
	genSegments = []string{"a", "b", "c", "x", "", "café", "caf%C3%A9", "caf%c3%a9", "a+b", "a%2Bb", "a%20b", "a%2520b", "a%2Fb", "%zz", "%4", "%"}
)

// genKeys draws up to 12 distinct, non-conflicting route keys.
func genKeys(src intn) []string {
	var keys []string
	shapes := map[string]bool{}
	n := 1 + src.IntN(12)
	for r := 0; r < n; r++ {
		if src.IntN(8) == 0 {
			if !shapes["$default"] {
				keys = append(keys, "$default")
				shapes["$default"] = true
			}
			continue
		}
		method := genMethods[src.IntN(len(genMethods))]
		var path, shape strings.Builder
		segs := src.IntN(5)
		for i := 0; i < segs; i++ {
			path.WriteByte('/')
			shape.WriteByte('/')
			switch k := src.IntN(10); {
			case k < 5:
				l := genLiterals[src.IntN(len(genLiterals))]
				path.WriteString(l)
				shape.WriteString(l)
			case k < 8 || i != segs-1:
				fmt.Fprintf(&path, "{v%d}", i)
				shape.WriteString("{}")
			default:
				path.WriteString("{rest+}")
				shape.WriteString("{+}")
			}
		}
		if segs == 0 {
			path.WriteByte('/')
		}
		if s := method + " " + shape.String(); !shapes[s] {
			shapes[s] = true
			keys = append(keys, method+" "+path.String())
		}
	}
	return keys
}

// genRequest draws a method and a path made of segments the keys use.
func genRequest(src intn) (method, path string) {
	method = append(genMethods[1:], "PUT", "get")[src.IntN(len(genMethods)+1)]
	n := src.IntN(6)
	if n == 0 {
		return method, "/"
	}
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte('/')
		b.WriteString(genSegments[src.IntN(len(genSegments))])
	}
	return method, b.String()
}

// checkAgainstRef compares Router.Match with refMatch.
func checkAgainstRef(t *testing.T, r *Router[string], keys []string, method, path string) {
	t.Helper()
	m, ok := r.Match(method, path)
	wkey, wparams, wok := refMatch(keys, method, path)
	if ok != wok || m.Key != wkey || !reflect.DeepEqual(m.Params, wparams) {
		t.Fatalf("routes %q: match(%q) = %q %+v %v, want %q %+v %v",
			keys, method+" "+path, m.Key, m.Params, ok, wkey, wparams, wok)
	}
	if ok && m.Value != m.Key {
		t.Fatalf("routes %q: match(%q) value = %q, want %q", keys, method+" "+path, m.Value, m.Key)
	}
}

func TestMatchAgainstReference(t *testing.T) {
	src := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5000; i++ {
		keys := genKeys(src)
		r := mustNew(t, keys)
		for j := 0; j < 40; j++ {
			method, path := genRequest(src)
			checkAgainstRef(t, r, keys, method, path)
		}
	}
}

// TestReferenceOnTable keeps the reference honest: it must agree with the
// hand-written priority table.
func TestReferenceOnTable(t *testing.T) {
	keys := docRoutes
	for _, c := range [][3]string{
		{"GET", "/pets/dog/1", "GET /pets/dog/1"},
		{"GET", "/pets/dog/2", "GET /pets/dog/{id}"},
		{"GET", "/pets/cat/1", "GET /pets/{proxy+}"},
		{"POST", "/test/5", "ANY /{proxy+}"},
		{"GET", "/", "$default"},
	} {
		if got, _, _ := refMatch(keys, c[0], c[1]); got != c[2] {
			t.Errorf("refMatch(%q) = %v, want %v", c[0]+" "+c[1], got, c[2])
		}
	}
}
