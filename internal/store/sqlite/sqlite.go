// Package sqlite is Gatehouse's embedded store: one SQLite database file in WAL
// mode, accessed through the pure-Go modernc.org/sqlite driver.
//
// Writes go through a single connection with BEGIN IMMEDIATE, so update
// transactions are serialized without SQLITE_BUSY retries; reads use a separate
// pool and run concurrently with the writer (WAL readers see the last commit).
// With synchronous=NORMAL (the default) a committed transaction survives the
// process being killed at any point; Options.SyncFull adds an fsync per commit so
// it also survives power loss.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	"github.com/gatehouse-dev/gatehouse/internal/store"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Options tune the database. The zero value is the default.
type Options struct {
	// SyncFull makes every commit fsync the WAL (power-loss durability).
	SyncFull bool
}

// DB implements store.Store.
type DB struct {
	w *sql.DB // exactly one connection: the writer
	r *sql.DB // read-only pool
}

var _ store.Store = (*DB)(nil)

const schemaVersion = 1

const schema = `
CREATE TABLE IF NOT EXISTS resources (
	seq   INTEGER PRIMARY KEY AUTOINCREMENT,
	kind  TEXT NOT NULL,
	scope TEXT NOT NULL,
	id    TEXT NOT NULL,
	alt   TEXT,
	body  BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS resources_id  ON resources(kind, scope, id);
CREATE UNIQUE INDEX IF NOT EXISTS resources_alt ON resources(kind, scope, alt) WHERE alt IS NOT NULL;
CREATE INDEX IF NOT EXISTS resources_list ON resources(kind, scope, seq);
CREATE INDEX IF NOT EXISTS resources_scope ON resources(scope);
CREATE INDEX IF NOT EXISTS resources_kind ON resources(kind, seq);
`

// Open opens (creating if needed) the database at dir/gatehouse.db.
func Open(dir string, opts Options) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating data dir: %w", err)
	}
	path := filepath.Join(dir, "gatehouse.db")
	sync := "NORMAL"
	if opts.SyncFull {
		sync = "FULL"
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(" + sync + ")", "busy_timeout(10000)", "foreign_keys(on)"} {
		q.Add("_pragma", p)
	}
	wq := url.Values{"_txlock": {"immediate"}}
	for k, v := range q {
		wq[k] = v
	}
	w, err := sql.Open("sqlite", "file:"+path+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := migrate(w); err != nil {
		w.Close()
		return nil, fmt.Errorf("migrating %s: %w", path, err)
	}
	rq := url.Values{}
	for k, v := range q {
		rq[k] = v
	}
	rq.Add("_pragma", "query_only(on)")
	r, err := sql.Open("sqlite", "file:"+path+"?"+rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("opening %s for reading: %w", path, err)
	}
	n := max(2, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return &DB{w: w, r: r}, nil
}

func migrate(db *sql.DB) error {
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		return err
	}
	if v > schemaVersion {
		return fmt.Errorf("database schema version %d is newer than this binary supports (%d)", v, schemaVersion)
	}
	if _, err := db.Exec(schema); err != nil {
		return err
	}
	_, err := db.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion))
	return err
}

// View implements store.Store.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return wrapClosed(err)
	}
	defer tx.Rollback()
	return fn(&txn{ctx: ctx, tx: tx})
}

// Update implements store.Store.
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return wrapClosed(err)
	}
	if err := fn(&txn{ctx: ctx, tx: tx}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// Reset implements store.Store.
func (db *DB) Reset(ctx context.Context) error {
	return db.Update(ctx, func(t store.Tx) error {
		_, err := t.(*txn).tx.ExecContext(ctx, `DELETE FROM resources`)
		return err
	})
}

// Close implements store.Store. It checkpoints the WAL so the database file is
// self-contained after a clean shutdown.
func (db *DB) Close() error {
	_, _ = db.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	return errors.Join(db.r.Close(), db.w.Close())
}

func wrapClosed(err error) error {
	if errors.Is(err, sql.ErrConnDone) || err.Error() == "sql: database is closed" {
		return store.ErrClosed
	}
	return err
}
