package sqlite

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// TestGroupCommitIsolatesFailures runs many concurrent updates, every third of
// which writes and then fails; only the failing callers' writes disappear.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	db := open(t, t.TempDir())
	defer db.Close()
	ctx := context.Background()
	boom := errors.New("boom")
	var wg sync.WaitGroup
	errs := make([]error, 300)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Update(ctx, func(tx store.Tx) error {
				if _, err := tx.Insert(rec("i", "s", fmt.Sprint(i), "", `{}`)); err != nil {
					return err
				}
				switch i % 3 {
				case 1:
					return boom
				case 2:
					if i%6 == 2 {
						panic("handler bug")
					}
				}
				return nil
			})
		}()
	}
	wg.Wait()
	db.View(ctx, func(tx store.Tx) error {
		for i, err := range errs {
			_, gerr := tx.Get("i", "s", fmt.Sprint(i))
			wantOK := i%3 == 0 || (i%3 == 2 && i%6 != 2)
			switch {
			case wantOK && (err != nil || gerr != nil):
				t.Errorf("update %d: err %v, stored: %v; want committed", i, err, gerr)
			case !wantOK && (err == nil || !errors.Is(gerr, store.ErrNotFound)):
				t.Errorf("update %d: err %v, stored: %v; want failed and rolled back", i, err, gerr)
			}
		}
		return nil
	})
}

func TestCloseFinishesQueuedUpdates(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := map[int]bool{}
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.Update(ctx, func(tx store.Tx) error {
				_, err := tx.Insert(rec("i", "s", fmt.Sprint(i), "", `{}`))
				return err
			})
			if err == nil {
				mu.Lock()
				acked[i] = true
				mu.Unlock()
			} else if !errors.Is(err, store.ErrClosed) {
				t.Errorf("update %d: %v", i, err)
			}
		}()
	}
	db.Close()
	wg.Wait()
	db = open(t, dir)
	defer db.Close()
	db.View(ctx, func(tx store.Tx) error {
		for i := range acked {
			if _, err := tx.Get("i", "s", fmt.Sprint(i)); err != nil {
				t.Errorf("acknowledged update %d lost: %v", i, err)
			}
		}
		return nil
	})
}

func TestListStopsAtLimit(t *testing.T) {
	db := open(t, t.TempDir())
	defer db.Close()
	ctx := context.Background()
	db.Update(ctx, func(tx store.Tx) error {
		for i := range 1200 {
			tx.Insert(rec("i", "s", fmt.Sprint(i), "", `{}`))
		}
		return nil
	})
	db.View(ctx, func(tx store.Tx) error {
		for _, limit := range []int{1, 7, 1000, 5000} {
			recs, err := tx.List("i", "s", 0, limit)
			if want := min(limit, maxList); err != nil || len(recs) != want {
				t.Errorf("List(limit %d) = %d records, %v; want %d", limit, len(recs), err, want)
			}
		}
		return nil
	})
}
