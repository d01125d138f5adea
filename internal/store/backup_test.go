package store_test

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"qifu/internal/enterprise"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// TestBackup backs up a store while it keeps taking writes: the copy opens,
// its audit chain holds, and it has everything committed before the backup
// began. PostgreSQL is backed up with its own tools, so Backup refuses it.
func TestBackup(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "backup.db")
		if s.Dialect() == "postgres" {
			if err := s.Backup(ctx, path); err == nil {
				t.Fatal("Backup of a PostgreSQL store succeeded; want it refused")
			}
			return
		}
		if err := s.LoadDemo(ctx, dataset); err != nil {
			t.Fatal(err)
		}
		admin := s.As(t, "admin")
		grid := storetest.DemoUser(t, "grid").RegionCode

		var (
			mu        sync.Mutex
			committed []string // credit codes of the enterprises created so far
			stop      atomic.Bool
			next      atomic.Int64
			wg        sync.WaitGroup
		)
		for range 4 {
			wg.Go(func() {
				for !stop.Load() {
					e, err := s.CreateEnterprise(ctx, admin, storetest.NewEnterprise(t, int(next.Add(1)), grid))
					if err != nil {
						t.Errorf("create enterprise: %v", err)
						return
					}
					mu.Lock()
					committed = append(committed, e.CreditCode)
					mu.Unlock()
				}
			})
		}
		for {
			mu.Lock()
			n := len(committed)
			mu.Unlock()
			if n >= 40 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		mu.Lock()
		before := append([]string(nil), committed...)
		mu.Unlock()
		err := s.Backup(ctx, path)
		mu.Lock()
		during := len(committed) - len(before)
		mu.Unlock()
		stop.Store(true)
		wg.Wait()
		if err != nil {
			t.Fatalf("Backup: %v", err)
		}
		t.Logf("%d enterprises created before the backup, %d while it ran", len(before), during)

		copied := openStore(t, path, storetest.NewClock(start))
		if n, err := copied.Pending(ctx); err != nil || n != 0 {
			t.Errorf("backup: Pending = %d, %v; want 0", n, err)
		}
		if _, err := copied.VerifyAudit(ctx); err != nil {
			t.Errorf("backup: VerifyAudit: %v", err)
		}
		have := map[string]bool{}
		err = copied.ExportEnterprises(ctx, admin, store.EnterpriseQuery{}, func(e enterprise.Enterprise) error {
			have[e.CreditCode] = true
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range before {
			if !have[code] {
				t.Errorf("enterprise %s, created before the backup began, is missing from it", code)
			}
		}
		for _, e := range dataset.Enterprises {
			if !have[e.CreditCode] {
				t.Fatalf("demo enterprise %s is missing from the backup", e.CreditCode)
			}
		}
		if err := s.Backup(ctx, path); err == nil {
			t.Errorf("Backup over an existing file succeeded; want it refused")
		}
	})
}

func TestTryLease(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		const ttl = int64(time.Minute / time.Millisecond)
		try := func(name, holder string, want bool) {
			t.Helper()
			got, err := s.TryLease(ctx, name, holder, ttl)
			if err != nil || got != want {
				t.Fatalf("TryLease(%s, %s) at %s = %v, %v; want %v", name, holder, s.Clock.Now().Sub(start), got, err, want)
			}
		}
		try("sweep", "a", true)
		try("sweep", "b", false)
		try("report", "b", true) // leases are by name
		s.Clock.Advance(50 * time.Second)
		try("sweep", "a", true) // renewed until 50 s + 1 min
		s.Clock.Advance(30 * time.Second)
		try("sweep", "b", false) // renewal kept it
		s.Clock.Advance(31 * time.Second)
		try("sweep", "b", true) // expired: b takes it
		try("sweep", "a", false)

		// Many instances racing for a new lease: exactly one wins.
		other := openStore(t, s.DSN, s.Clock)
		var wg sync.WaitGroup
		var won atomic.Int32
		for i := range 8 {
			st := s.Store
			if i%2 == 1 {
				st = other.Store
			}
			wg.Go(func() {
				got, err := st.TryLease(ctx, "race", string(rune('a'+i)), ttl)
				if err != nil {
					t.Errorf("TryLease: %v", err)
				}
				if got {
					won.Add(1)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Errorf("%d holders got the new lease; want exactly 1", won.Load())
		}
	})
}
