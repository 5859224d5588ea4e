package apigwv2

import (
	"encoding/json"
	"strconv"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/cursor"
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

// pageArgs parses maxResults and nextToken (an internal/mgmt/cursor cursor
// bound to this collection) for a collection.
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

func encodeToken(seq int64, kind store.Kind, scope string) string {
	return cursor.Encode(seq, string(kind), scope)
}

func decodeToken(tok string, kind store.Kind, scope string) (int64, error) {
	seq, err := cursor.Decode(tok, string(kind), scope)
	if err != nil {
		return 0, awserr.BadRequest("The nextToken is not valid for this request")
	}
	return seq, nil
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
