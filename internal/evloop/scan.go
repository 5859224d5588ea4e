package evloop

import (
	"bytes"

	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
)

// headScan finds the end of a request head in a buffer that grows between
// calls. The head ends with its first empty line; up to four empty lines
// before the request line are part of it (httpserver's parser skips them,
// RFC 9112 §2.2), a fifth ends it too so the parser refuses it. Lines end
// with LF or CRLF, as net/textproto reads them.
type headScan struct {
	pos     int  // start of the first line not yet scanned
	empties int  // empty lines before the request line
	started bool // the request line was seen
}

// scan returns the length of the head in b, or -1 if it is not complete.
func (s *headScan) scan(b []byte) int {
	for {
		i := bytes.IndexByte(b[s.pos:], '\n')
		if i < 0 {
			return -1
		}
		line := b[s.pos : s.pos+i]
		s.pos += i + 1
		if len(line) == 0 || len(line) == 1 && line[0] == '\r' {
			if s.started {
				return s.pos
			}
			if s.empties++; s.empties == 5 {
				return s.pos
			}
			continue
		}
		s.started = true
	}
}

// chunkScan finds the end of a chunked body (trailer section included) in
// a buffer that grows between calls, and counts its decoded size. It only
// delimits: it accepts everything net/http's chunked reader accepts and
// perhaps more; the complete body is then decoded by that reader (through
// httpserver.ParseRequest), which has the last word.
type chunkScan struct {
	pos      int   // start of the next chunk line (or trailer line)
	size     int64 // decoded bytes so far
	trailer  bool  // the last chunk was seen; reading trailer lines
	trailers int   // trailer bytes so far
}

// Limits of the chunked framing, a little above those of the decoder (a
// 4 KB chunk line, 8 KB of trailers) so that the decoder is the one to
// refuse.
const (
	maxChunkLine    = 4096 + 2
	maxTrailerBytes = 16 << 10
)

type chunkResult int

const (
	chunkMore     chunkResult = iota // incomplete
	chunkDone                        // the body ends at scan's returned offset
	chunkBad                         // malformed: 400
	chunkTooLarge                    // over the body limit: 413
)

// scan looks at b, the bytes after the request head. With chunkDone, end is
// the length of the body in b.
func (s *chunkScan) scan(b []byte, limit int64) (end int, r chunkResult) {
	for {
		if int64(s.pos) > 2*limit+64<<10 {
			return 0, chunkTooLarge // framing out of proportion to the data
		}
		i := bytes.IndexByte(b[s.pos:], '\n')
		if i < 0 {
			if s.trailer && s.trailers+len(b)-s.pos > maxTrailerBytes || len(b)-s.pos > maxChunkLine {
				return 0, chunkBad
			}
			return 0, chunkMore
		}
		line := b[s.pos : s.pos+i]
		next := s.pos + i + 1
		if s.trailer {
			if s.trailers += i + 1; s.trailers > maxTrailerBytes {
				return 0, chunkBad
			}
			s.pos = next
			if len(bytes.TrimRight(line, "\r")) == 0 { // as httpserver reads trailers
				return next, chunkDone
			}
			continue
		}
		if i > maxChunkLine {
			return 0, chunkBad
		}
		n, ok := httpserver.ChunkSize(line)
		if !ok {
			return 0, chunkBad
		}
		if n == 0 {
			s.trailer = true
			s.pos = next
			continue
		}
		if n > uint64(limit-s.size) {
			return 0, chunkTooLarge
		}
		// The data and its CRLF.
		if int64(len(b)-next) < int64(n)+2 {
			// The raw body may hold at most twice the limit plus a little
			// framing (the decoder refuses more overhead than that).
			if int64(len(b)) > 2*limit+64<<10 {
				return 0, chunkTooLarge
			}
			return 0, chunkMore
		}
		s.size += int64(n)
		s.pos = next + int(n) + 2
	}
}
