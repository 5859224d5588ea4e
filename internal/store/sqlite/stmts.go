package sqlite

import (
	"database/sql"
	"fmt"
)

// maxList is the largest page List and ListKind return. The LIMIT is a
// constant in the SQL so SQLite never re-prepares the statement for a new
// bound value; callers stop reading at their own limit.
const maxList = 1000

// stmts are the statements Gatehouse runs, prepared once per database handle
// (database/sql then prepares each once per connection and reuses it).
type stmts struct {
	get, getAlt, insert, replace, del, delTree, list, listKind, count *sql.Stmt
	savepoint, release, rollbackTo                                    *sql.Stmt // writer only
}

var queries = map[string]string{
	"get":      `SELECT seq, alt, body FROM resources WHERE kind = ? AND scope = ? AND id = ?`,
	"getAlt":   `SELECT seq, id, body FROM resources WHERE kind = ? AND scope = ? AND alt = ?`,
	"insert":   `INSERT INTO resources(kind, scope, id, alt, body) VALUES (?, ?, ?, ?, ?)`,
	"replace":  `UPDATE resources SET alt = ?, body = ? WHERE kind = ? AND scope = ? AND id = ?`,
	"del":      `DELETE FROM resources WHERE kind = ? AND scope = ? AND id = ?`,
	"delTree":  `DELETE FROM resources WHERE scope = ? OR (scope >= ? AND scope < ?)`,
	"list":     fmt.Sprintf(`SELECT seq, id, alt, body FROM resources WHERE kind = ? AND scope = ? AND seq > ? ORDER BY seq LIMIT %d`, maxList),
	"listKind": fmt.Sprintf(`SELECT seq, scope, id, alt, body FROM resources WHERE kind = ? AND seq > ? ORDER BY seq LIMIT %d`, maxList),
	"count":    `SELECT count(*) FROM resources WHERE kind = ? AND scope = ?`,

	"savepoint":  `SAVEPOINT w`,
	"release":    `RELEASE w`,
	"rollbackTo": `ROLLBACK TO w`,
}

func prepare(db *sql.DB, readOnly bool) (*stmts, error) {
	s := &stmts{}
	targets := map[string]**sql.Stmt{"get": &s.get, "getAlt": &s.getAlt, "list": &s.list, "listKind": &s.listKind, "count": &s.count}
	if !readOnly {
		targets["insert"], targets["replace"], targets["del"], targets["delTree"] = &s.insert, &s.replace, &s.del, &s.delTree
		targets["savepoint"], targets["release"], targets["rollbackTo"] = &s.savepoint, &s.release, &s.rollbackTo
	}
	for name, dst := range targets {
		st, err := db.Prepare(queries[name])
		if err != nil {
			return nil, fmt.Errorf("preparing %s: %w", name, err)
		}
		*dst = st
	}
	return s, nil
}
