package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestGroupCommit runs many write transactions at once on SQLite, where they
// are committed in groups: the ones that fail are rolled back alone (their
// writes gone, their error returned), the others all commit; one given up
// by its caller before it runs changes nothing; a caller who gives up while
// its group runs does not interrupt the group.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	s := migratedSQLite(t)
	if s.group == nil {
		t.Fatal("SQLite store without group commit")
	}
	errOdd := errors.New("refused")
	const n = 200
	outcomes := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			cctx := ctx
			if i%10 == 5 {
				var cancel context.CancelFunc
				cctx, cancel = context.WithCancel(ctx)
				defer cancel()
				go func() { time.Sleep(time.Duration(i%3) * time.Millisecond); cancel() }()
			}
			outcomes[i] = s.WithTx(cctx, func(tx *Tx) error {
				if _, err := tx.DB().Exec(cctx, "INSERT INTO settings (key, value) VALUES (?, ?)", fmt.Sprint("k", i), "v"); err != nil {
					return err
				}
				if i%7 == 3 {
					// Written, then refused: the write must go.
					return errOdd
				}
				if i%11 == 4 {
					// A statement that fails, then the transaction gives up.
					_, err := tx.DB().Exec(cctx, "INSERT INTO settings (key, value) VALUES (?, ?)", fmt.Sprint("k", i), "again")
					return err
				}
				return nil
			})
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range outcomes {
		var v string
		rowErr := s.Reader().Row(ctx, "SELECT value FROM settings WHERE key = ?", fmt.Sprint("k", i)).Scan(&v)
		present := rowErr == nil
		switch {
		case i%10 == 5 && errors.Is(err, context.Canceled):
			// Given up before its turn: not run.
		case i%7 == 3 && !errors.Is(err, errOdd):
			t.Errorf("transaction %d: %v, want its own error", i, err)
		case i%11 == 4 && i%7 != 3 && err == nil:
			t.Errorf("transaction %d: its duplicate insert succeeded", i)
		case i%7 != 3 && i%11 != 4 && err != nil:
			t.Errorf("transaction %d: %v", i, err)
		}
		if present != (err == nil) {
			t.Errorf("transaction %d: answered %v, its write present: %v", i, err, present)
		}
	}
}
