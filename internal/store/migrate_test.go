package store_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"qifu/internal/pgtest"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

func TestMigrate(t *testing.T) {
	eachStore(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		if n, err := s.Pending(ctx); err != nil || n != 0 {
			t.Fatalf("Pending after Migrate = %d, %v; want 0, nil", n, err)
		}
		applied := func() []string {
			rows, err := s.Raw(t).QueryContext(ctx, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var list []string
			for rows.Next() {
				var v, at int64
				var name string
				if err := rows.Scan(&v, &name, &at); err != nil {
					t.Fatal(err)
				}
				list = append(list, fmt.Sprint(v, name, at))
			}
			return list
		}
		before := applied()
		if len(before) == 0 {
			t.Fatal("schema_migrations is empty after Migrate")
		}
		if ok, err := s.TryLease(ctx, "kept", "a", 60_000); err != nil || !ok {
			t.Fatalf("TryLease = %v, %v", ok, err)
		}
		s.Clock.Advance(1000)
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if after := applied(); !slices.Equal(after, before) {
			t.Errorf("second Migrate changed schema_migrations:\nbefore %v\nafter  %v", before, after)
		}
		if n, err := s.Pending(ctx); err != nil || n != 0 {
			t.Errorf("Pending after the second Migrate = %d, %v; want 0, nil", n, err)
		}
		if ok, err := s.TryLease(ctx, "kept", "b", 60_000); err != nil || ok {
			t.Errorf("TryLease by another holder after Migrate = %v, %v; want false: the data survives", ok, err)
		}
	})
}

// TestMigrateConcurrently starts several instances on one new database at
// once, as a rolling deployment does: each migrates, none fails, and every
// migration is applied once.
func TestMigrateConcurrently(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		const instances = 4
		stores := make([]*store.Store, instances)
		for i := range stores {
			s, err := store.Open(ctx, store.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			stores[i] = s
		}
		if n, err := stores[0].Pending(ctx); err == nil && n == 0 {
			t.Errorf("Pending before Migrate = 0, nil; want migrations pending")
		}
		var wg sync.WaitGroup
		errs := make([]error, instances)
		for i, s := range stores {
			wg.Go(func() { errs[i] = s.Migrate(ctx) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("instance %d: Migrate: %v", i, err)
			}
		}
		for i, s := range stores {
			if n, err := s.Pending(ctx); err != nil || n != 0 {
				t.Errorf("instance %d: Pending = %d, %v; want 0, nil", i, n, err)
			}
		}
	})
}

// TestOpenRefusesUnsafePostgres checks the startup check: a database that
// would acknowledge commits before they are durable is refused. fsync is a
// server-wide setting that cannot be changed for one database, so the test
// turns off synchronous_commit, which the same check covers, for its session.
func TestOpenRefusesUnsafePostgres(t *testing.T) {
	dsn := pgtest.DSN(t) + "&synchronous_commit=off"
	s, err := store.Open(context.Background(), store.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler)})
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a database with synchronous_commit=off")
	}
	if !strings.Contains(err.Error(), "synchronous_commit") {
		t.Errorf("Open error = %v; want it to name synchronous_commit", err)
	}
}

// TestOpenSQLitePath checks that an SQLite file is found whatever characters
// its directory holds, URI syntax included.
func TestOpenSQLitePath(t *testing.T) {
	for _, dir := range []string{"plain", "with space", "hash#1", "percent%41", "question?mark", "数据"} {
		t.Run(dir, func(t *testing.T) {
			path := t.TempDir() + "/" + dir + "/qifu.db"
			s := openStore(t, path, storetest.NewClock(start))
			if ok, err := s.TryLease(context.Background(), "probe", "a", 1000); err != nil || !ok {
				t.Fatalf("TryLease = %v, %v", ok, err)
			}
			s.Close()
			if _, err := os.Stat(path); err != nil {
				t.Errorf("the database is not at %s: %v", path, err)
			}
			s = openStore(t, path, storetest.NewClock(start))
			if ok, err := s.TryLease(context.Background(), "probe", "b", 1000); err != nil || ok {
				t.Errorf("TryLease by b after reopening = %v, %v; want false: the lease of a is in the file", ok, err)
			}
		})
	}
}
