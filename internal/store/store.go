// Package store defines Gatehouse's persistence contract: a small transactional
// document store that the management APIs build on.
//
// Every resource is a Record: an opaque JSON body addressed by (Kind, Scope, ID),
// with an optional secondary unique key (Alt) and a store-assigned sequence number
// (Seq) that orders a collection by creation time. Scope is a slash-separated path
// that begins with the region ("us-east-1", "us-east-1/apis/a1b2c3d4e5",
// "us-east-1/apis/a1b2c3d4e5/routes/abc1234"), so deleting a parent and everything
// under it is one DeleteTree call, and regions never see each other's resources.
//
// The contract is deliberately narrow so that a PostgreSQL backend can implement it
// with one table, a unique index on (kind, scope, id), a partial unique index on
// (kind, scope, alt) and a serializable (or advisory-locked) write transaction.
package store

import (
	"context"
	"errors"
)

// Kind names a resource collection ("api", "route", "integration", ...).
type Kind string

// Record is one stored resource.
type Record struct {
	Kind  Kind
	Scope string
	ID    string
	// Alt is an optional secondary key that must be unique within (Kind, Scope):
	// a route's route key, a model's name, an API mapping's key. Empty means none.
	Alt string
	// Seq is assigned by the store on Insert and never changes; collections list in
	// Seq order, which makes keyset pagination stable under concurrent writes.
	Seq  int64
	Body []byte
}

// Errors returned by every implementation. Callers test them with errors.Is.
var (
	ErrNotFound = errors.New("store: not found")
	// ErrConflict reports that Insert or Replace would duplicate an ID or Alt.
	ErrConflict = errors.New("store: conflict")
	ErrClosed   = errors.New("store: closed")
)

// Store is a transactional resource store.
type Store interface {
	// View runs fn in a read-only transaction that sees one consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction. Update transactions are
	// serialized; the transaction commits if fn returns nil and is durable when
	// Update returns nil. Any error from fn rolls everything back.
	Update(ctx context.Context, fn func(Tx) error) error
	// Reset deletes every record in every region.
	Reset(ctx context.Context) error
	// Close waits for running transactions and releases the store.
	Close() error
}

// Tx is the view of the store inside a transaction. Tx values must not be used
// after the function they were passed to returns.
type Tx interface {
	Get(kind Kind, scope, id string) (Record, error)
	// GetAlt finds a record by its secondary key.
	GetAlt(kind Kind, scope, alt string) (Record, error)
	// Insert adds rec and returns it with Seq set. ErrConflict if the ID or Alt is taken.
	Insert(rec Record) (Record, error)
	// Replace overwrites the body and Alt of an existing record, keeping its Seq.
	Replace(rec Record) error
	// Delete removes one record; ErrNotFound if it does not exist.
	Delete(kind Kind, scope, id string) error
	// DeleteTree removes every record whose scope is scope or lies under it
	// (scope + "/..."), of every kind.
	DeleteTree(scope string) error
	// List returns up to limit records of kind in scope with Seq > after, in Seq order.
	List(kind Kind, scope string, after int64, limit int) ([]Record, error)
	// Count returns the number of records of kind in scope.
	Count(kind Kind, scope string) (int, error)
	// ListKind returns up to limit records of kind in any scope with Seq > after,
	// in Seq order (used to rebuild state at start-up).
	ListKind(kind Kind, after int64, limit int) ([]Record, error)
}
