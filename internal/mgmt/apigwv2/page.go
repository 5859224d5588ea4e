package apigwv2

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"strconv"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// Page sizes. AWS documents no default for apigatewayv2; Gatehouse returns 100
// items when maxResults is absent and caps larger values at 500.
const (
	defaultPageSize = 100
	maxPageSize     = 500
)

// list is the wire shape of every paginated v2 response.
type list struct {
	Items     []json.RawMessage `json:"items"`
	NextToken string            `json:"nextToken,omitempty"`
}

// pageArgs parses maxResults and nextToken for a collection. The token is
// opaque to clients: a version byte, the Seq of the last item returned and a
// hash of the collection it belongs to, so a token from another collection (or
// another region) is rejected rather than silently misread.
func (c *call) pageArgs(kind store.Kind, scope string) (after int64, limit int, err error) {
	limit = defaultPageSize
	if v := c.Query.Get("maxResults"); c.Query.Has("maxResults") {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 {
			return 0, 0, awserr.BadRequest("The maxResults parameter must be a positive integer, got '%s'", v)
		}
		limit = min(n, maxPageSize)
	}
	if tok := c.Query.Get("nextToken"); c.Query.Has("nextToken") {
		after, err = decodeToken(tok, kind, scope)
	}
	return after, limit, err
}

func collectionHash(kind store.Kind, scope string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(scope))
	return h.Sum64()
}

func encodeToken(seq int64, kind store.Kind, scope string) string {
	b := make([]byte, 1, 1+binary.MaxVarintLen64+8)
	b[0] = 1
	b = binary.AppendUvarint(b, uint64(seq))
	b = binary.BigEndian.AppendUint64(b, collectionHash(kind, scope))
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(tok string, kind store.Kind, scope string) (int64, error) {
	bad := awserr.BadRequest("The nextToken is not valid for this request")
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) < 1+1+8 || b[0] != 1 {
		return 0, bad
	}
	seq, n := binary.Uvarint(b[1:])
	if n <= 0 || 1+n+8 != len(b) || seq > 1<<62 {
		return 0, bad
	}
	if binary.BigEndian.Uint64(b[1+n:]) != collectionHash(kind, scope) {
		return 0, bad
	}
	if encodeToken(int64(seq), kind, scope) != tok { // one spelling per cursor
		return 0, bad
	}
	return int64(seq), nil
}

// page lists one page of a collection. render may rewrite each stored body
// (nil passes bodies through unchanged).
func (c *call) page(kind store.Kind, scope string, render func([]byte) ([]byte, error)) (*list, error) {
	after, limit, err := c.pageArgs(kind, scope)
	if err != nil {
		return nil, err
	}
	var recs []store.Record
	if err := c.view(func(tx store.Tx) error {
		recs, err = tx.List(kind, scope, after, limit+1)
		return err
	}); err != nil {
		return nil, err
	}
	out := &list{Items: make([]json.RawMessage, 0, min(len(recs), limit))}
	if len(recs) > limit {
		recs = recs[:limit]
		out.NextToken = encodeToken(recs[len(recs)-1].Seq, kind, scope)
	}
	for _, r := range recs {
		b := r.Body
		if render != nil {
			if b, err = render(b); err != nil {
				return nil, err
			}
		}
		out.Items = append(out.Items, b)
	}
	return out, nil
}
