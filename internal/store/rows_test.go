package store_test

import (
	"context"
	"testing"

	"qifu/internal/store"
)

// TestCollect reads rows through the one helper: every row, or an error and
// no rows when the query, a scan or the iteration fails.
func TestCollect(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		h := s.Reader()
		three := "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3"
		got, err := store.Collect(ctx, h, store.Int64, "WITH v (n) AS ("+three+") SELECT n FROM v ORDER BY n")
		if err != nil || len(got) != 3 || got[0] != 1 || got[2] != 3 {
			t.Fatalf("collect = %v, %v; want [1 2 3]", got, err)
		}
		none, err := store.Collect(ctx, h, store.Int64, "SELECT 1 WHERE 1 = 0")
		if err != nil || len(none) != 0 {
			t.Errorf("collect of no rows = %v, %v", none, err)
		}
		if _, err := store.Collect(ctx, h, store.Int64, "SELECT no_such_column FROM regions"); err == nil {
			t.Error("a failing query gave no error")
		}
		rows, err := store.Collect(ctx, h, store.Int64, "SELECT 'one' UNION ALL SELECT 'two'")
		if err == nil || rows != nil {
			t.Errorf("a failing scan gave %v, %v; want an error and no rows", rows, err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := store.Collect(cancelled, h, store.Int64, three); err == nil {
			t.Error("a cancelled read gave no error")
		}
	})
}

// TestMillis: no time is the zero time, never the epoch.
func TestMillis(t *testing.T) {
	if got := store.Millis(0); !got.IsZero() {
		t.Errorf("Millis(0) = %v; want the zero time", got)
	}
	if got := store.Millis(1_772_412_000_000); got.IsZero() || got.UnixMilli() != 1_772_412_000_000 {
		t.Errorf("Millis kept %v", got)
	}
}
