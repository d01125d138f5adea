// Package storetest is the harness of the store tests of the engine and of
// every module built on it: fresh SQLite and PostgreSQL stores with a fake
// clock, the demo dataset as their oracle, and the helpers those tests share.
// Only tests import it.
package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
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

// Dataset is the demo dataset the stores are loaded with, and the oracle the
// tests compare them against. The tests only read it.
var Dataset = sync.OnceValue(func() demo.Dataset { return demo.Generate(1) })

// Start is when every fake clock starts: a Monday morning in Ningbo.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// Clock is a fake clock that moves only when told to.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Store is a store under test with its fake clock and the DSN it was opened
// with, for a second instance or raw SQL on the same database.
type Store struct {
	*store.Store
	Clock *Clock
	DSN   string
}

// EachDatabase runs fn with the DSN of a fresh, empty SQLite database and of
// a fresh, empty PostgreSQL database, in parallel subtests named after them.
func EachDatabase(t *testing.T, fn func(t *testing.T, dsn string)) {
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

// Each runs fn against a fresh, migrated SQLite store and a fresh, migrated
// PostgreSQL store, each opened by open with its own fake clock at Start,
// and with the demo dataset loaded when withDemo is true. open is the test
// package's own (Open with the modules it tests).
func Each[S interface {
	LoadDemo(context.Context, demo.Dataset) error
}](t *testing.T, withDemo bool, open func(t *testing.T, dsn string, c *Clock) S, fn func(t *testing.T, s S)) {
	t.Helper()
	EachDatabase(t, func(t *testing.T, dsn string) {
		s := open(t, dsn, NewClock(Start))
		if withDemo {
			if err := s.LoadDemo(context.Background(), Dataset()); err != nil {
				t.Fatalf("load demo: %v", err)
			}
		}
		fn(t, s)
	})
}

// Open opens the database at dsn with clock c and options opts (DSN, Now and
// Logger are set here), lets build put the modules under test on it, and
// migrates it; the store is closed when the test ends.
func Open(t *testing.T, dsn string, c *Clock, opts store.Options, build func(*store.Store)) *Store {
	t.Helper()
	ctx := context.Background()
	opts.DSN, opts.Now, opts.Logger = dsn, c.Now, slog.New(slog.DiscardHandler)
	s, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	if build != nil {
		build(s)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return &Store{Store: s, Clock: c, DSN: dsn}
}

// Raw opens a second, plain connection pool on the store's database, for
// changing rows behind the store's back.
func (s *Store) Raw(t *testing.T) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if store.IsPostgres(s.DSN) {
		driver = "pgx"
	}
	db, err := sql.Open(driver, s.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// As returns the actor of the user named username, as the store builds it
// for a request.
func (s *Store) As(t *testing.T, username string) access.Actor {
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

// IDs maps the credit code of every enterprise in the store to its ID.
func (s *Store) IDs(t *testing.T) map[string]int64 {
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

// AuditCount returns how many audit entries match q.
func (s *Store) AuditCount(t *testing.T, q store.AuditQuery) int {
	t.Helper()
	_, n, err := s.AuditLog(context.Background(), access.Actor{Name: "test", Role: access.RoleAuditor}, q)
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	return n
}

// DemoUser returns the demo account named username.
func DemoUser(t *testing.T, username string) demo.User {
	t.Helper()
	for _, u := range Dataset().Users {
		if u.Username == username {
			return u
		}
	}
	t.Fatalf("no demo user %s", username)
	return demo.User{}
}

// DemoEnterprise returns the first demo enterprise for which match is true.
func DemoEnterprise(t *testing.T, match func(enterprise.Enterprise) bool) enterprise.Enterprise {
	t.Helper()
	for _, e := range Dataset().Enterprises {
		if match(e) {
			return e
		}
	}
	t.Fatal("no demo enterprise matches")
	return enterprise.Enterprise{}
}

// CreditCode returns a valid credit code, distinct for each n, that the demo
// does not use.
func CreditCode(t *testing.T, n int) string {
	t.Helper()
	first := fmt.Sprintf("91%sQQ%07d", demo.DistrictCode, n)
	c, ok := enterprise.CheckChar(first)
	if !ok {
		t.Fatalf("bad credit code stem %s", first)
	}
	code := first + string(c)
	for _, e := range Dataset().Enterprises {
		if e.CreditCode == code {
			t.Fatalf("credit code %s is taken by the demo", code)
		}
	}
	return code
}

// NewEnterprise returns a valid new enterprise in grid.
func NewEnterprise(t *testing.T, n int, grid string) enterprise.Enterprise {
	t.Helper()
	return enterprise.Enterprise{
		CreditCode: CreditCode(t, n), Name: fmt.Sprintf("宁波北仑测试%04d模具有限公司", n),
		LegalRep: "王测试", Contact: "李联系", Phone: fmt.Sprintf("139%08d", n), Address: "明州路 1 号",
		GridCode: grid, Industry: "34", Employees: 12, Revenue: 3_000_000,
	}
}

// WantKind fails the test unless err is a fault of kind k.
func WantKind(t *testing.T, err error, k fault.Kind) {
	t.Helper()
	if err == nil || !fault.Is(err, k) {
		t.Fatalf("error = %v; want kind %s", err, k)
	}
}

// WantField fails the test unless err is an Invalid fault naming field.
func WantField(t *testing.T, err error, field string) {
	t.Helper()
	WantKind(t, err, fault.Invalid)
	if _, ok := fault.As(err).Fields[field]; !ok {
		t.Fatalf("error = %v (fields %v); want a message for %s", err, fault.As(err).Fields, field)
	}
}

// WantForbidden fails the test unless err is access.ErrForbidden.
func WantForbidden(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("error = %v; want access.ErrForbidden", err)
	}
}
