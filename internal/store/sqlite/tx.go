package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/store"
)

type txn struct {
	ctx context.Context
	tx  *sql.Tx
	st  *stmts
}

func (t *txn) stmt(s *sql.Stmt) *sql.Stmt { return t.tx.StmtContext(t.ctx, s) }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (t *txn) Get(kind store.Kind, scope, id string) (store.Record, error) {
	rec := store.Record{Kind: kind, Scope: scope, ID: id}
	var alt sql.NullString
	err := t.stmt(t.st.get).QueryRowContext(t.ctx, string(kind), scope, id).Scan(&rec.Seq, &alt, &rec.Body)
	rec.Alt = alt.String
	return rec, notFound(err)
}

func (t *txn) GetAlt(kind store.Kind, scope, alt string) (store.Record, error) {
	rec := store.Record{Kind: kind, Scope: scope, Alt: alt}
	err := t.stmt(t.st.getAlt).QueryRowContext(t.ctx, string(kind), scope, alt).Scan(&rec.Seq, &rec.ID, &rec.Body)
	return rec, notFound(err)
}

func (t *txn) Insert(rec store.Record) (store.Record, error) {
	if t.st.insert == nil {
		return rec, errReadOnly
	}
	res, err := t.stmt(t.st.insert).ExecContext(t.ctx, string(rec.Kind), rec.Scope, rec.ID, nullable(rec.Alt), rec.Body)
	if err != nil {
		return rec, conflict(err)
	}
	rec.Seq, err = res.LastInsertId() // seq is the INTEGER PRIMARY KEY, i.e. the rowid
	return rec, err
}

func (t *txn) Replace(rec store.Record) error {
	if t.st.replace == nil {
		return errReadOnly
	}
	res, err := t.stmt(t.st.replace).ExecContext(t.ctx, nullable(rec.Alt), rec.Body, string(rec.Kind), rec.Scope, rec.ID)
	if err != nil {
		return conflict(err)
	}
	return affected(res)
}

func (t *txn) Delete(kind store.Kind, scope, id string) error {
	if t.st.del == nil {
		return errReadOnly
	}
	res, err := t.stmt(t.st.del).ExecContext(t.ctx, string(kind), scope, id)
	if err != nil {
		return err
	}
	return affected(res)
}

func (t *txn) DeleteTree(scope string) error {
	if t.st.delTree == nil {
		return errReadOnly
	}
	// Scopes under s are exactly those in [s+"/", s+"0"): '0' follows '/' in byte order.
	_, err := t.stmt(t.st.delTree).ExecContext(t.ctx, scope, scope+"/", scope+"0")
	return err
}

func (t *txn) List(kind store.Kind, scope string, after int64, limit int) ([]store.Record, error) {
	rows, err := t.stmt(t.st.list).QueryContext(t.ctx, string(kind), scope, after)
	if err != nil {
		return nil, err
	}
	return scan(rows, limit, func(rec *store.Record, alt *sql.NullString) []any {
		rec.Kind, rec.Scope = kind, scope
		return []any{&rec.Seq, &rec.ID, alt, &rec.Body}
	})
}

func (t *txn) ListKind(kind store.Kind, after int64, limit int) ([]store.Record, error) {
	rows, err := t.stmt(t.st.listKind).QueryContext(t.ctx, string(kind), after)
	if err != nil {
		return nil, err
	}
	return scan(rows, limit, func(rec *store.Record, alt *sql.NullString) []any {
		rec.Kind = kind
		return []any{&rec.Seq, &rec.Scope, &rec.ID, alt, &rec.Body}
	})
}

// scan reads at most limit rows (and at most maxList).
func scan(rows *sql.Rows, limit int, dest func(*store.Record, *sql.NullString) []any) ([]store.Record, error) {
	defer rows.Close()
	limit = min(limit, maxList)
	var out []store.Record
	for len(out) < limit && rows.Next() {
		var rec store.Record
		var alt sql.NullString
		if err := rows.Scan(dest(&rec, &alt)...); err != nil {
			return nil, err
		}
		rec.Alt = alt.String
		out = append(out, rec)
	}
	return out, rows.Err()
}

func (t *txn) Count(kind store.Kind, scope string) (int, error) {
	var n int
	err := t.stmt(t.st.count).QueryRowContext(t.ctx, string(kind), scope).Scan(&n)
	return n, err
}

var errReadOnly = errors.New("store: write in a read-only transaction")

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

func conflict(err error) error {
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return store.ErrConflict
	}
	return err
}

func affected(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}
