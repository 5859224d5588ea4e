// Package sqlite is Gatehouse's embedded store: one SQLite database file in WAL
// mode, accessed through the pure-Go modernc.org/sqlite driver.
//
// Writes go through one writer goroutine and a single connection, so update
// transactions are serialized without SQLITE_BUSY retries. Concurrent Update
// calls are group-committed: the writer runs each caller's function inside one
// SQLite transaction, under its own savepoint (a failing caller rolls back only
// its own changes), then commits once and only then reports success to every
// caller. Reads use a separate pool and run concurrently with the writer (WAL
// readers see the last commit). Statements are prepared once.
//
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
	"sync"
	"time"

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
	w  *sql.DB // exactly one connection, used only by the writer goroutine
	r  *sql.DB // read-only pool
	ws *stmts  // prepared on w
	rs *stmts  // prepared on r

	reqs    chan *writeReq
	mu      sync.RWMutex // guards closed against concurrent sends
	closed  bool
	stopped chan struct{}
}

// writeReq is one Update call waiting for the writer.
type writeReq struct {
	ctx  context.Context
	fn   func(store.Tx) error
	err  error
	done chan struct{}
}

// maxBatch bounds how many Update calls share one commit.
const maxBatch = 64

var _ store.Store = (*DB)(nil)

const schemaVersion = 2

// schema is the current layout. Indexes lead with scope so that one index
// serves lookups by id, deletes by id and whole-tree deletes, and another
// serves listing and counting; every insert maintains only the table and these
// two (plus the partial Alt index for resources that have one). ListKind, used
// at start-up and on domain changes, walks the table in seq (rowid) order.
const schema = `
CREATE TABLE IF NOT EXISTS resources (
	seq   INTEGER PRIMARY KEY AUTOINCREMENT,
	kind  TEXT NOT NULL,
	scope TEXT NOT NULL,
	id    TEXT NOT NULL,
	alt   TEXT,
	body  BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS resources_key  ON resources(scope, kind, id);
CREATE UNIQUE INDEX IF NOT EXISTS resources_alt  ON resources(kind, scope, alt) WHERE alt IS NOT NULL;
CREATE INDEX IF NOT EXISTS resources_order ON resources(scope, kind, seq);
`

// v1Indexes are the indexes of schema version 1, replaced in version 2.
var v1Indexes = []string{"resources_id", "resources_list", "resources_scope", "resources_kind"}

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
	// cache_size: 512 KiB of page cache per connection keeps memory small; the
	// OS page cache holds the rest.
	for _, p := range []string{"journal_mode(WAL)", "synchronous(" + sync + ")", "busy_timeout(10000)", "foreign_keys(on)", "cache_size(-512)", "temp_store(memory)"} {
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
	r.SetConnMaxIdleTime(30 * time.Second)
	db := &DB{w: w, r: r, reqs: make(chan *writeReq, maxBatch), stopped: make(chan struct{})}
	if db.ws, err = prepare(w, false); err == nil {
		db.rs, err = prepare(r, true)
	}
	if err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	go db.writer()
	return db, nil
}

func migrate(db *sql.DB) error {
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		return err
	}
	if v > schemaVersion {
		return fmt.Errorf("database schema version %d is newer than this binary supports (%d)", v, schemaVersion)
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if v < 2 {
		for _, idx := range v1Indexes {
			if _, err := tx.Exec(`DROP INDEX IF EXISTS ` + idx); err != nil {
				return err
			}
		}
	}
	if _, err := tx.Exec(schema); err != nil {
		return err
	}
	if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

// View implements store.Store.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return wrapClosed(err)
	}
	defer tx.Rollback()
	return fn(&txn{ctx: ctx, tx: tx, st: db.rs})
}

// Update implements store.Store. fn runs on the writer goroutine; Update
// returns once the transaction that contains fn's changes has committed (or fn
// failed and its changes were rolled back).
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan struct{})}
	db.mu.RLock()
	if db.closed {
		db.mu.RUnlock()
		return store.ErrClosed
	}
	db.reqs <- req
	db.mu.RUnlock()
	<-req.done // never abandon a write that may commit: wait for its outcome
	return req.err
}

// writer runs update transactions, group-committing whatever is queued.
func (db *DB) writer() {
	defer close(db.stopped)
	for first := range db.reqs {
		batch := []*writeReq{first}
	drain:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-db.reqs:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		db.commit(batch)
		for _, r := range batch {
			close(r.done)
		}
	}
}

// commit runs a batch in one transaction. With several callers, each runs
// under a savepoint so that a failure undoes only its own changes.
func (db *DB) commit(batch []*writeReq) {
	tx, err := db.w.BeginTx(context.Background(), nil)
	if err != nil {
		for _, r := range batch {
			r.err = wrapClosed(err)
		}
		return
	}
	single := len(batch) == 1
	ok := 0
	exec := func(st *sql.Stmt) error { _, err := tx.Stmt(st).Exec(); return err }
	for _, r := range batch {
		if !single {
			if err := exec(db.ws.savepoint); err != nil {
				r.err = err
				continue
			}
		}
		r.err = run(r, &txn{ctx: r.ctx, tx: tx, st: db.ws})
		switch {
		case single:
		case r.err != nil:
			err1 := exec(db.ws.rollbackTo)
			err2 := exec(db.ws.release)
			if err := errors.Join(err1, err2); err != nil { // the transaction is unusable
				tx.Rollback()
				for _, r := range batch {
					if r.err == nil {
						r.err = fmt.Errorf("rolling back a failed update: %w", err)
					}
				}
				return
			}
			continue
		default:
			if err := exec(db.ws.release); err != nil {
				r.err = err
				continue
			}
		}
		if r.err == nil {
			ok++
		}
	}
	if ok == 0 {
		tx.Rollback()
		return
	}
	if err := tx.Commit(); err != nil {
		for _, r := range batch {
			if r.err == nil {
				r.err = fmt.Errorf("committing: %w", err)
			}
		}
	}
}

// run calls the update function, turning a panic into that caller's error.
func run(r *writeReq, t *txn) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("store: update panicked: %v", p)
		}
	}()
	return r.fn(t)
}

// Reset implements store.Store.
func (db *DB) Reset(ctx context.Context) error {
	return db.Update(ctx, func(t store.Tx) error {
		_, err := t.(*txn).tx.Exec(`DELETE FROM resources`)
		return err
	})
}

// Close implements store.Store: it lets queued updates finish, checkpoints the
// WAL so the database file is self-contained, and closes the database.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil
	}
	db.closed = true
	close(db.reqs)
	db.mu.Unlock()
	<-db.stopped
	_, _ = db.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	return errors.Join(db.r.Close(), db.w.Close())
}

func wrapClosed(err error) error {
	if errors.Is(err, sql.ErrConnDone) || err.Error() == "sql: database is closed" {
		return store.ErrClosed
	}
	return err
}
