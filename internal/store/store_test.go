package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/pgtest"
	"qifu/internal/store"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// dataset is the demo dataset the stores are loaded with, and the oracle the
// tests compare them against. The tests only read it.
var dataset = demo.Generate(1)

// start is when every fake clock starts: a Monday morning in Ningbo.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// clock is a fake clock that moves only when told to.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testStore is a store under test with its fake clock and the DSN it was
// opened with, for a second instance or raw SQL on the same database.
type testStore struct {
	*store.Store
	clock *clock
	dsn   string
}

// eachDatabase runs fn with the DSN of a fresh, empty SQLite database and of
// a fresh, empty PostgreSQL database, in parallel subtests named after them.
func eachDatabase(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if name == "postgres" {
				fn(t, pgtest.DSN(t))
				return
			}
			fn(t, filepath.Join(t.TempDir(), "qifu.db"))
		})
	}
}

// eachStore runs fn against a fresh, migrated SQLite store and a fresh,
// migrated PostgreSQL store, each with its own fake clock.
func eachStore(t *testing.T, fn func(t *testing.T, s *testStore)) {
	t.Helper()
	eachDatabase(t, func(t *testing.T, dsn string) {
		fn(t, openStore(t, dsn, &clock{now: start}))
	})
}

// eachDemo is eachStore with the demo dataset loaded.
func eachDemo(t *testing.T, fn func(t *testing.T, s *testStore)) {
	t.Helper()
	eachStore(t, func(t *testing.T, s *testStore) {
		if err := s.LoadDemo(context.Background(), dataset); err != nil {
			t.Fatalf("load demo: %v", err)
		}
		fn(t, s)
	})
}

// openStore opens and migrates the database at dsn with clock c; the store
// is closed when the test ends.
func openStore(t *testing.T, dsn string, c *clock) *testStore {
	t.Helper()
	return openStoreWith(t, dsn, c, store.Options{})
}

// openStoreWith is openStore with options; DSN, Now and Logger are set here.
func openStoreWith(t *testing.T, dsn string, c *clock, opts store.Options) *testStore {
	t.Helper()
	ctx := context.Background()
	opts.DSN, opts.Now, opts.Logger = dsn, c.Now, slog.New(slog.DiscardHandler)
	s, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return &testStore{Store: s, clock: c, dsn: dsn}
}

// raw opens a second, plain connection pool on the store's database, for
// changing rows behind the store's back.
func (s *testStore) raw(t *testing.T) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if store.IsPostgres(s.dsn) {
		driver = "pgx"
	}
	db, err := sql.Open(driver, s.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// actor returns the actor of the user named username, as the store builds it
// for a request.
func (s *testStore) actor(t *testing.T, username string) access.Actor {
	t.Helper()
	ctx := context.Background()
	u, err := s.UserByUsername(ctx, username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	a, err := s.Actor(ctx, u.ID)
	if err != nil {
		t.Fatalf("actor %s: %v", username, err)
	}
	return a
}

// ids maps the credit code of every enterprise in the store to its ID.
func (s *testStore) ids(t *testing.T) map[string]int64 {
	t.Helper()
	m := map[string]int64{}
	err := s.ExportEnterprises(context.Background(), access.System("test"), store.EnterpriseQuery{},
		func(e enterprise.Enterprise) error {
			m[e.CreditCode] = e.ID
			return nil
		})
	if err != nil {
		t.Fatalf("export as system: %v", err)
	}
	return m
}

// demoUser returns the demo account named username.
func demoUser(t *testing.T, username string) demo.User {
	t.Helper()
	for _, u := range dataset.Users {
		if u.Username == username {
			return u
		}
	}
	t.Fatalf("no demo user %s", username)
	return demo.User{}
}

// demoEnterprise returns the first demo enterprise for which match is true.
func demoEnterprise(t *testing.T, match func(enterprise.Enterprise) bool) enterprise.Enterprise {
	t.Helper()
	for _, e := range dataset.Enterprises {
		if match(e) {
			return e
		}
	}
	t.Fatal("no demo enterprise matches")
	return enterprise.Enterprise{}
}

// creditCode returns a valid credit code, distinct for each n, that the demo
// does not use.
func creditCode(t *testing.T, n int) string {
	t.Helper()
	first := fmt.Sprintf("91%sQQ%07d", demo.DistrictCode, n)
	c, ok := enterprise.CheckChar(first)
	if !ok {
		t.Fatalf("bad credit code stem %s", first)
	}
	code := first + string(c)
	for _, e := range dataset.Enterprises {
		if e.CreditCode == code {
			t.Fatalf("credit code %s is taken by the demo", code)
		}
	}
	return code
}

// newEnterprise returns a valid new enterprise in grid.
func newEnterprise(t *testing.T, n int, grid string) enterprise.Enterprise {
	t.Helper()
	return enterprise.Enterprise{
		CreditCode: creditCode(t, n), Name: fmt.Sprintf("宁波北仑测试%04d模具有限公司", n),
		LegalRep: "王测试", Contact: "李联系", Phone: fmt.Sprintf("139%08d", n), Address: "明州路 1 号",
		GridCode: grid, Industry: "34", Employees: 12, Revenue: 3_000_000,
	}
}

// wantKind fails the test unless err is a fault of kind k.
func wantKind(t *testing.T, err error, k fault.Kind) {
	t.Helper()
	if err == nil || !fault.Is(err, k) {
		t.Fatalf("error = %v; want kind %s", err, k)
	}
}

// wantField fails the test unless err is an Invalid fault naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantKind(t, err, fault.Invalid)
	if _, ok := fault.As(err).Fields[field]; !ok {
		t.Fatalf("error = %v (fields %v); want a message for %s", err, fault.As(err).Fields, field)
	}
}

// wantForbidden fails the test unless err is access.ErrForbidden.
func wantForbidden(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("error = %v; want access.ErrForbidden", err)
	}
}

// auditCount returns how many audit entries match q.
func (s *testStore) auditCount(t *testing.T, q store.AuditQuery) int {
	t.Helper()
	_, n, err := s.AuditLog(context.Background(), access.Actor{Name: "test", Role: access.RoleAuditor}, q)
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	return n
}
