package sqlite

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/store"
)

func open(t *testing.T, dir string) *DB {
	t.Helper()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return db
}

func rec(kind store.Kind, scope, id, alt, body string) store.Record {
	return store.Record{Kind: kind, Scope: scope, ID: id, Alt: alt, Body: []byte(body)}
}

func TestCRUDAndConflicts(t *testing.T) {
	db := open(t, t.TempDir())
	defer db.Close()
	ctx := context.Background()
	err := db.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.Insert(rec("route", "r/apis/a", "r1", "GET /x", `{"n":1}`)); err != nil {
			return err
		}
		if _, err := tx.Insert(rec("route", "r/apis/a", "r1", "", `{}`)); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate id: err = %v, want ErrConflict", err)
		}
		if _, err := tx.Insert(rec("route", "r/apis/a", "r2", "GET /x", `{}`)); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate alt: err = %v, want ErrConflict", err)
		}
		// The same alt in another scope or kind is fine.
		if _, err := tx.Insert(rec("route", "r/apis/b", "r2", "GET /x", `{}`)); err != nil {
			t.Errorf("same alt, other scope: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx store.Tx) error {
		got, err := tx.GetAlt("route", "r/apis/a", "GET /x")
		if err != nil || got.ID != "r1" || string(got.Body) != `{"n":1}` {
			t.Errorf("GetAlt = %+v, %v", got, err)
		}
		if _, err := tx.Get("route", "r/apis/a", "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get missing: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx store.Tx) error {
		if err := tx.Replace(rec("route", "r/apis/a", "r1", "GET /y", `{"n":2}`)); err != nil {
			return err
		}
		if err := tx.Replace(rec("route", "r/apis/a", "missing", "", `{}`)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Replace missing: %v", err)
		}
		if err := tx.Delete("route", "r/apis/a", "missing"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Delete missing: %v", err)
		}
		got, err := tx.GetAlt("route", "r/apis/a", "GET /y")
		if err != nil || string(got.Body) != `{"n":2}` {
			t.Errorf("after Replace: %+v, %v", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUpdateRollsBackOnError(t *testing.T) {
	db := open(t, t.TempDir())
	defer db.Close()
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.Insert(rec("api", "r", "a", "", `{}`)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	db.View(ctx, func(tx store.Tx) error {
		if n, _ := tx.Count("api", "r"); n != 0 {
			t.Errorf("Count after rollback = %d, want 0", n)
		}
		return nil
	})
}

func TestDeleteTreeStaysInsideScope(t *testing.T) {
	db := open(t, t.TempDir())
	defer db.Close()
	ctx := context.Background()
	db.Update(ctx, func(tx store.Tx) error {
		for _, r := range []store.Record{
			rec("api", "r", "a", "", `{}`),
			rec("route", "r/apis/a", "1", "", `{}`),
			rec("rr", "r/apis/a/routes/1", "x", "", `{}`),
			rec("route", "r/apis/a_b", "2", "", `{}`), // '_' must not act as a wildcard
			rec("route", "r/apis/ab", "3", "", `{}`),
			rec("route", "r/apis/a0", "4", "", `{}`),
		} {
			if _, err := tx.Insert(r); err != nil {
				t.Fatal(err)
			}
		}
		return tx.DeleteTree("r/apis/a")
	})
	db.View(ctx, func(tx store.Tx) error {
		for scope, want := range map[string]int{"r/apis/a": 0, "r/apis/a/routes/1": 0, "r/apis/a_b": 1, "r/apis/ab": 1, "r/apis/a0": 1} {
			kind := store.Kind("route")
			if scope == "r/apis/a/routes/1" {
				kind = "rr"
			}
			if n, _ := tx.Count(kind, scope); n != want {
				t.Errorf("Count(%s) = %d, want %d", scope, n, want)
			}
		}
		if n, _ := tx.Count("api", "r"); n != 1 {
			t.Errorf("DeleteTree removed the parent record itself")
		}
		return nil
	})
}

func TestListIsKeysetOrdered(t *testing.T) {
	db := open(t, t.TempDir())
	defer db.Close()
	ctx := context.Background()
	db.Update(ctx, func(tx store.Tx) error {
		for i := range 10 {
			tx.Insert(rec("i", "s", fmt.Sprintf("z%02d", 9-i), "", `{}`))
		}
		return nil
	})
	var ids []string
	var after int64
	for {
		var page []store.Record
		db.View(ctx, func(tx store.Tx) (err error) { page, err = tx.List("i", "s", after, 3); return })
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			ids = append(ids, r.ID)
			after = r.Seq
		}
	}
	want := "[z09 z08 z07 z06 z05 z04 z03 z02 z01 z00]"
	if got := fmt.Sprint(ids); got != want {
		t.Errorf("paged ids = %s, want insertion order %s", got, want)
	}
}

func TestDurableAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	ctx := context.Background()
	if err := db.Update(ctx, func(tx store.Tx) error {
		_, err := tx.Insert(rec("api", "r", "a", "", `{"name":"kept"}`))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = open(t, dir)
	defer db.Close()
	db.View(ctx, func(tx store.Tx) error {
		got, err := tx.Get("api", "r", "a")
		if err != nil || string(got.Body) != `{"name":"kept"}` {
			t.Errorf("after reopen: %+v, %v", got, err)
		}
		return nil
	})
	if err := db.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	db.View(ctx, func(tx store.Tx) error {
		if _, err := tx.Get("api", "r", "a"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after Reset: %v", err)
		}
		return nil
	})
}

func TestConcurrentWritersAndReaders(t *testing.T) {
	db := open(t, t.TempDir())
	defer db.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if err := db.Update(ctx, func(tx store.Tx) error {
					_, err := tx.Insert(rec("i", "s", fmt.Sprintf("%d-%d", w, i), "", `{}`))
					return err
				}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 50 {
				if err := db.View(ctx, func(tx store.Tx) error { _, err := tx.List("i", "s", 0, 10); return err }); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	db.View(ctx, func(tx store.Tx) error {
		if n, _ := tx.Count("i", "s"); n != 400 {
			t.Errorf("Count = %d, want 400", n)
		}
		return nil
	})
}

func TestClosedStore(t *testing.T) {
	db := open(t, t.TempDir())
	db.Close()
	err := db.Update(context.Background(), func(store.Tx) error { return nil })
	if !errors.Is(err, store.ErrClosed) {
		t.Errorf("Update on closed store = %v, want ErrClosed", err)
	}
}

func TestListKindSpansScopes(t *testing.T) {
	db := open(t, t.TempDir())
	defer db.Close()
	ctx := context.Background()
	db.Update(ctx, func(tx store.Tx) error {
		tx.Insert(rec("api", "us-east-1", "a", "", `{}`))
		tx.Insert(rec("route", "us-east-1/apis/a", "r", "", `{}`))
		tx.Insert(rec("api", "eu-west-1", "b", "", `{}`))
		return nil
	})
	var got []string
	db.View(ctx, func(tx store.Tx) error {
		recs, err := tx.ListKind("api", 0, 10)
		for _, r := range recs {
			got = append(got, r.Scope+"/"+r.ID)
		}
		return err
	})
	if fmt.Sprint(got) != "[us-east-1/a eu-west-1/b]" {
		t.Errorf("ListKind(api) = %v", got)
	}
}
