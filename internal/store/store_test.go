package store_test

import (
	"os"
	"testing"

	"qifu/internal/pgtest"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// dataset is the demo dataset the stores are loaded with, and the oracle the
// tests compare them against. The tests only read it.
var dataset = storetest.Dataset()

// start is when every fake clock starts.
var start = storetest.Start

// testStore is an engine under test (see storetest.Store).
type testStore struct{ *storetest.Store }

// eachDatabase runs fn with a fresh SQLite and a fresh PostgreSQL database.
func eachDatabase(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	storetest.EachDatabase(t, fn)
}

// eachStore runs fn against a fresh, migrated SQLite store and a fresh,
// migrated PostgreSQL store, each with its own fake clock.
func eachStore(t *testing.T, fn func(t *testing.T, s *testStore)) {
	t.Helper()
	storetest.Each(t, false, openStore, fn)
}

// eachDemo is eachStore with the demo dataset loaded.
func eachDemo(t *testing.T, fn func(t *testing.T, s *testStore)) {
	t.Helper()
	storetest.Each(t, true, openStore, fn)
}

// openStore opens and migrates the database at dsn with clock c; the store
// is closed when the test ends.
func openStore(t *testing.T, dsn string, c *storetest.Clock) *testStore {
	t.Helper()
	return openStoreWith(t, dsn, c, store.Options{})
}

// openStoreWith is openStore with options; DSN, Now and Logger are set there.
func openStoreWith(t *testing.T, dsn string, c *storetest.Clock, opts store.Options) *testStore {
	t.Helper()
	return &testStore{storetest.Open(t, dsn, c, opts, nil)}
}
