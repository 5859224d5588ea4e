package apigwv2

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// call is one operation in progress.
type call struct {
	*mgmt.Request
	s *Service
	// deployed lists APIs whose served configuration this call changed.
	deployed []string
	// domains is set when domain names or API mappings changed.
	domains bool
	// bodyJSON is the validated body members as one JSON object (built once).
	bodyJSON []byte
	// stored is the JSON of the last resource insertNew stored.
	stored []byte
}

// objectJSON joins validated members into a JSON object. The values are
// already valid JSON (checked by awsmodel.DecodeBody), so no re-encoding is needed.
func objectJSON(members map[string]json.RawMessage) []byte {
	n := 2
	for k, v := range members {
		n += len(k) + len(v) + 4
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for k, v := range members {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, k)
		b = append(b, ':')
		b = append(b, v...)
	}
	return append(b, '}')
}

func (c *call) label(name string) string { return c.Labels[name] }

func (c *call) now() time.Time { return c.s.cfg.Now().UTC().Truncate(time.Second) }

// view runs fn in a read transaction.
func (c *call) view(fn func(tx store.Tx) error) error { return c.s.st.View(c.Ctx, fn) }

// apply copies the request's body members onto v (a pointer to a resource):
// members present in the body replace (or, for maps and nested structures,
// merge into) the fields with the same wire name; other fields are untouched.
func (c *call) apply(v any) error {
	if len(c.Body) == 0 {
		return nil
	}
	if c.bodyJSON == nil {
		c.bodyJSON = objectJSON(c.Body)
	}
	if err := json.Unmarshal(c.bodyJSON, v); err != nil {
		return awserr.BadRequest("Invalid request body: %v", err)
	}
	return nil
}

// str decodes a string body member; ok is false when it is absent.
func (c *call) str(name string) (string, bool) {
	raw, ok := c.Body[name]
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// scopes

func regionScope(region string) string          { return region }
func apiScope(region, apiID string) string      { return store.Join(region, "apis", apiID) }
func domainScope(region, domain string) string  { return store.Join(region, "domainnames", domain) }
func childScope(parent, kind, id string) string { return store.Join(parent, kind, id) }

// get loads and decodes a record into v; missing records become nf.
func get(tx store.Tx, kind store.Kind, scope, id string, v any, nf error) (store.Record, error) {
	rec, err := tx.Get(kind, scope, id)
	if errors.Is(err, store.ErrNotFound) {
		return rec, nf
	}
	if err != nil {
		return rec, err
	}
	return rec, json.Unmarshal(rec.Body, v)
}

// insert stores a new resource; a duplicate id or alt becomes dup (when dup is
// nil a duplicate is unexpected and the store's error is returned as is).
func insert(tx store.Tx, kind store.Kind, scope, id, alt string, v any, dup error) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = tx.Insert(store.Record{Kind: kind, Scope: scope, ID: id, Alt: alt, Body: b})
	if dup != nil && errors.Is(err, store.ErrConflict) {
		return dup
	}
	return err
}

// insertNew stores a new resource under a freshly drawn id of n characters,
// written to *id before v is encoded. Random ids collide (36^7 is only 7.8e10:
// a collection of a few hundred thousand items will see one), so a clash on
// the id draws again; a clash on alt is the resource's own conflict, dup.
// The stored JSON is kept in c.stored, so a handler can answer with it
// (storedJSON) instead of encoding the resource again.
func (c *call) insertNew(tx store.Tx, kind store.Kind, scope string, n int, id *string, alt string, v any, dup error) error {
	for attempt := 0; ; attempt++ {
		*id = c.s.cfg.NewID(n)
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = tx.Insert(store.Record{Kind: kind, Scope: scope, ID: *id, Alt: alt, Body: b})
		if err == nil {
			c.stored = b
		}
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
		if _, gerr := tx.Get(kind, scope, *id); errors.Is(gerr, store.ErrNotFound) {
			if dup != nil {
				return dup
			}
			return err
		}
		if attempt == 16 {
			return fmt.Errorf("no free %s id after %d draws: %w", kind, attempt+1, err)
		}
	}
}

// replace overwrites a stored resource; a duplicate alt becomes dup.
func replace(tx store.Tx, kind store.Kind, scope, id, alt string, v any, dup error) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	err = tx.Replace(store.Record{Kind: kind, Scope: scope, ID: id, Alt: alt, Body: b})
	if dup != nil && errors.Is(err, store.ErrConflict) {
		return dup
	}
	return err
}

// del deletes one record; a missing record becomes nf.
func del(tx store.Tx, kind store.Kind, scope, id string, nf error) error {
	err := tx.Delete(kind, scope, id)
	if errors.Is(err, store.ErrNotFound) {
		return nf
	}
	return err
}

// listAll decodes every record of kind in scope (for internal checks, not paging).
func listAll[T any](tx store.Tx, kind store.Kind, scope string) ([]T, error) {
	var out []T
	var after int64
	for {
		recs, err := tx.List(kind, scope, after, 1000)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			var v T
			if err := json.Unmarshal(r.Body, &v); err != nil {
				return nil, err
			}
			out = append(out, v)
			after = r.Seq
		}
		if len(recs) < 1000 {
			return out, nil
		}
	}
}

func ptr[T any](v T) *T { return &v }
