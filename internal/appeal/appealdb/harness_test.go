package appealdb_test

import (
	"os"
	"qifu/internal/catalogue/cataloguedb"
	"testing"

	"qifu/internal/appeal/appealdb"
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

// engine is the store's engine under test, with its clock (storetest.Store).
type engine = storetest.Store

// testStore is the appeal workflow's store under test on its engine: the
// module's methods, and the engine's for what the appeal tests set up.
type testStore struct {
	*engine
	*appealdb.Store
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

// openStore opens and migrates the database at dsn with clock c, with the
// appeal workflow on it; the store is closed when the test ends.
func openStore(t *testing.T, dsn string, c *storetest.Clock) *testStore {
	t.Helper()
	return openStoreWith(t, dsn, c, appealdb.Options{})
}

// openStoreWith is openStore with the module's options.
func openStoreWith(t *testing.T, dsn string, c *storetest.Clock, opts appealdb.Options) *testStore {
	t.Helper()
	var s testStore
	s.engine = storetest.Open(t, dsn, c, store.Options{}, func(st *store.Store) {
		s.Store = appealdb.New(st, opts)
		cataloguedb.New(st) // the standards appeals are raised under
	})
	return &s
}
