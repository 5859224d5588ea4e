package vtl

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a template error (parse or render) with its position.
type Error struct {
	Template string // the name given to Parse
	Line     int    // 1-based
	Column   int    // 1-based, in bytes
	Msg      string
	Err      error // the cause, when there is one (limits, context)
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Template, e.Line, e.Column, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// ErrLimit is the cause (test with errors.Is) of every error raised by a
// limit: template size, depth, output, collection sizes. A #foreach past its
// iteration limit stops silently instead; a render stopped by its deadline
// or context wraps the context's error.
var ErrLimit = errors.New("template limit exceeded")

// position converts a byte offset in src to a 1-based line and column.
func position(src string, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	if off < 0 {
		off = 0
	}
	before := src[:off]
	line = strings.Count(before, "\n") + 1
	col = off - strings.LastIndexByte(before, '\n')
	return line, col
}

func (t *Template) errorAt(off int, cause error, format string, args ...any) *Error {
	line, col := position(t.src, off)
	return &Error{Template: t.name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...), Err: cause}
}
