package appealdb

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"qifu/internal/store"
)

// openModule opens and migrates the store at dsn with the clock now (nil:
// time.Now) and the appeal workflow on it, for a test of the module's
// insides; closed when the test ends.
func openModule(t *testing.T, dsn string, now func() time.Time) *Store {
	t.Helper()
	ctx := context.Background()
	engine, err := store.Open(ctx, store.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { engine.Close() })
	s := New(engine, Options{})
	if err := engine.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// migratedSQLite opens an empty, migrated SQLite store.
func migratedSQLite(t *testing.T) *Store {
	t.Helper()
	return openModule(t, filepath.Join(t.TempDir(), "q.db"), nil)
}
