package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// TestMigrateFromV1 opens a database written with schema version 1 (the
// first release's indexes) and checks the data survives and the indexes are
// replaced.
func TestMigrateFromV1(t *testing.T) {
	dir := t.TempDir()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE resources (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, scope TEXT NOT NULL, id TEXT NOT NULL, alt TEXT, body BLOB NOT NULL)`,
		`CREATE UNIQUE INDEX resources_id ON resources(kind, scope, id)`,
		`CREATE UNIQUE INDEX resources_alt ON resources(kind, scope, alt) WHERE alt IS NOT NULL`,
		`CREATE INDEX resources_list ON resources(kind, scope, seq)`,
		`CREATE INDEX resources_scope ON resources(scope)`,
		`CREATE INDEX resources_kind ON resources(kind, seq)`,
		`INSERT INTO resources(kind, scope, id, alt, body) VALUES ('route', 'r/apis/a', 'r1', 'GET /x', '{"k":1}')`,
		`PRAGMA user_version = 1`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	db := open(t, dir)
	defer db.Close()
	ctx := context.Background()
	db.View(ctx, func(tx store.Tx) error {
		got, err := tx.GetAlt("route", "r/apis/a", "GET /x")
		if err != nil || got.ID != "r1" || string(got.Body) != `{"k":1}` {
			t.Errorf("after migration: %+v, %v", got, err)
		}
		return nil
	})
	if err := db.Update(ctx, func(tx store.Tx) error {
		_, err := tx.Insert(rec("route", "r/apis/a", "r1", "", `{}`))
		return err
	}); err != store.ErrConflict {
		t.Errorf("duplicate id after migration: %v, want ErrConflict (unique key kept)", err)
	}
	var v int
	db.w.QueryRow(`PRAGMA user_version`).Scan(&v)
	rows, _ := db.w.Query(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'resources_%' ORDER BY name`)
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	if v != schemaVersion || len(names) != 3 || names[0] != "resources_alt" || names[1] != "resources_key" || names[2] != "resources_order" {
		t.Errorf("after migration: user_version %d, indexes %v", v, names)
	}
}
