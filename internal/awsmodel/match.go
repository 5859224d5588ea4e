package awsmodel

import (
	"net/url"
	"strings"
)

// Match finds the operation for method and escapedPath (the path as sent on the
// wire, still percent-encoded, so an encoded "/" inside a label such as a
// resource ARN stays inside it). It returns the operation and its decoded URI
// labels. If the path matches some operation but not with this method,
// pathKnown is true.
func (s *Service) Match(method, escapedPath string) (op *Operation, labels map[string]string, pathKnown bool) {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	for _, o := range s.ops {
		l, ok := matchPath(o.Path, segs)
		if !ok {
			continue
		}
		if o.Method != method {
			pathKnown = true
			continue
		}
		return o, l, true
	}
	return nil, nil, pathKnown
}

func matchPath(tmpl, segs []string) (map[string]string, bool) {
	if len(tmpl) != len(segs) {
		return nil, false
	}
	var labels map[string]string
	for i, t := range tmpl {
		if len(t) > 2 && t[0] == '{' && t[len(t)-1] == '}' {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, false
			}
			if labels == nil {
				labels = make(map[string]string, 2)
			}
			labels[strings.TrimSuffix(t[1:len(t)-1], "+")] = v
			continue
		}
		if t != segs[i] {
			return nil, false
		}
	}
	return labels, true
}
