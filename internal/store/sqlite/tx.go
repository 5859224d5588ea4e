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
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (t *txn) Get(kind store.Kind, scope, id string) (store.Record, error) {
	rec := store.Record{Kind: kind, Scope: scope, ID: id}
	var alt sql.NullString
	err := t.tx.QueryRowContext(t.ctx, `SELECT seq, alt, body FROM resources WHERE kind = ? AND scope = ? AND id = ?`,
		string(kind), scope, id).Scan(&rec.Seq, &alt, &rec.Body)
	rec.Alt = alt.String
	return rec, notFound(err)
}

func (t *txn) GetAlt(kind store.Kind, scope, alt string) (store.Record, error) {
	rec := store.Record{Kind: kind, Scope: scope, Alt: alt}
	err := t.tx.QueryRowContext(t.ctx, `SELECT seq, id, body FROM resources WHERE kind = ? AND scope = ? AND alt = ?`,
		string(kind), scope, alt).Scan(&rec.Seq, &rec.ID, &rec.Body)
	return rec, notFound(err)
}

func (t *txn) Insert(rec store.Record) (store.Record, error) {
	err := t.tx.QueryRowContext(t.ctx, `INSERT INTO resources(kind, scope, id, alt, body) VALUES (?, ?, ?, ?, ?) RETURNING seq`,
		string(rec.Kind), rec.Scope, rec.ID, nullable(rec.Alt), rec.Body).Scan(&rec.Seq)
	return rec, conflict(err)
}

func (t *txn) Replace(rec store.Record) error {
	res, err := t.tx.ExecContext(t.ctx, `UPDATE resources SET alt = ?, body = ? WHERE kind = ? AND scope = ? AND id = ?`,
		nullable(rec.Alt), rec.Body, string(rec.Kind), rec.Scope, rec.ID)
	if err != nil {
		return conflict(err)
	}
	return affected(res)
}

func (t *txn) Delete(kind store.Kind, scope, id string) error {
	res, err := t.tx.ExecContext(t.ctx, `DELETE FROM resources WHERE kind = ? AND scope = ? AND id = ?`, string(kind), scope, id)
	if err != nil {
		return err
	}
	return affected(res)
}

func (t *txn) DeleteTree(scope string) error {
	// Scopes under s are exactly those in [s+"/", s+"0"): '0' follows '/' in byte order.
	_, err := t.tx.ExecContext(t.ctx, `DELETE FROM resources WHERE scope = ? OR (scope >= ? AND scope < ?)`,
		scope, scope+"/", scope+"0")
	return err
}

func (t *txn) List(kind store.Kind, scope string, after int64, limit int) ([]store.Record, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT seq, id, alt, body FROM resources WHERE kind = ? AND scope = ? AND seq > ? ORDER BY seq LIMIT ?`,
		string(kind), scope, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Record
	for rows.Next() {
		rec := store.Record{Kind: kind, Scope: scope}
		var alt sql.NullString
		if err := rows.Scan(&rec.Seq, &rec.ID, &alt, &rec.Body); err != nil {
			return nil, err
		}
		rec.Alt = alt.String
		out = append(out, rec)
	}
	return out, rows.Err()
}

func (t *txn) ListKind(kind store.Kind, after int64, limit int) ([]store.Record, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT seq, scope, id, alt, body FROM resources WHERE kind = ? AND seq > ? ORDER BY seq LIMIT ?`,
		string(kind), after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Record
	for rows.Next() {
		rec := store.Record{Kind: kind}
		var alt sql.NullString
		if err := rows.Scan(&rec.Seq, &rec.Scope, &rec.ID, &alt, &rec.Body); err != nil {
			return nil, err
		}
		rec.Alt = alt.String
		out = append(out, rec)
	}
	return out, rows.Err()
}

func (t *txn) Count(kind store.Kind, scope string) (int, error) {
	var n int
	err := t.tx.QueryRowContext(t.ctx, `SELECT count(*) FROM resources WHERE kind = ? AND scope = ?`, string(kind), scope).Scan(&n)
	return n, err
}

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
