package pgtest_test

import (
	"database/sql"
	"fmt"
	"os"
	"testing"

	"qifu/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestDSN(t *testing.T) {
	a, b := open(t, pgtest.DSN(t)), open(t, pgtest.DSN(t))
	if na, nb := query(t, a, "SELECT current_database()"), query(t, b, "SELECT current_database()"); na == nb {
		t.Fatalf("both DSNs name database %s", na)
	}
	for _, setting := range []string{"fsync", "synchronous_commit", "full_page_writes"} {
		if got := query(t, a, "SHOW "+setting); got != "on" {
			t.Errorf("%s = %s, want on", setting, got)
		}
	}
	if got := query(t, a, "SHOW server_encoding"); got != "UTF8" {
		t.Errorf("server_encoding = %s, want UTF8", got)
	}

	exec(t, a, "CREATE TABLE note (id bigint PRIMARY KEY, body text NOT NULL)")
	exec(t, a, "INSERT INTO note (id, body) VALUES (1, '吹哨报到')")
	if got := query(t, a, "SELECT body FROM note WHERE id = 1"); got != "吹哨报到" {
		t.Errorf("body = %q, want 吹哨报到", got)
	}
	if got := query(t, b, "SELECT count(*) FROM pg_tables WHERE tablename = 'note'"); got != "0" {
		t.Errorf("table note seen from the other database (count %s)", got)
	}
}

// TestDSNDropped checks that a test's database is gone once the test ends.
func TestDSNDropped(t *testing.T) {
	var name string
	t.Run("inner", func(t *testing.T) {
		name = query(t, open(t, pgtest.DSN(t)), "SELECT current_database()")
	})
	db := open(t, pgtest.DSN(t))
	if got := query(t, db, fmt.Sprintf("SELECT count(*) FROM pg_database WHERE datname = '%s'", name)); got != "0" {
		t.Errorf("database %s still exists after its test", name)
	}
}

// TestDSNParallel checks that parallel tests each get their own database.
func TestDSNParallel(t *testing.T) {
	for i := range 8 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			db := open(t, pgtest.DSN(t))
			exec(t, db, "CREATE TABLE only_one (id int)")
		})
	}
}

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func query(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	var s string
	if err := db.QueryRow(q).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}

func exec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
