package store

import "strings"

// Join builds a scope from path elements: Join("us-east-1", "apis", id).
func Join(elems ...string) string { return strings.Join(elems, "/") }
