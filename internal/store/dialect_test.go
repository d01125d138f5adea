package store

import (
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// migratedSQLite opens an empty, migrated SQLite store for a test of the
// store's insides, closed when the test ends.
func migratedSQLite(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{DSN: filepath.Join(t.TempDir(), "q.db"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRebind(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"none", "SELECT 1", "SELECT 1"},
		{"numbered in order", "SELECT a FROM t WHERE b = ? AND c IN (?, ?)", "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"},
		{"quoted question mark", "SELECT '?' FROM t WHERE b = ?", "SELECT '?' FROM t WHERE b = $1"},
		{"escaped quote inside string", "SELECT 'it''s ?' WHERE b = ? AND c = '?'''", "SELECT 'it''s ?' WHERE b = $1 AND c = '?'''"},
		{"LIKE with backslash escape", `WHERE name LIKE ? ESCAPE '\' OR code LIKE ? ESCAPE '\'`, `WHERE name LIKE $1 ESCAPE '\' OR code LIKE $2 ESCAPE '\'`},
		{"quoted identifier", `SELECT "what?" FROM t WHERE a = ?`, `SELECT "what?" FROM t WHERE a = $1`},
		{"apostrophe in identifier", `SELECT "it's" FROM t WHERE a = ? AND b = '?'`, `SELECT "it's" FROM t WHERE a = $1 AND b = '?'`},
		{"placeholder last", "LIMIT ? OFFSET ?", "LIMIT $1 OFFSET $2"},
		{"ten and more", strings.Repeat("?,", 10) + "?", "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := postgresDialect.rebind(tt.in); got != tt.want {
				t.Errorf("postgres rebind(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if got := sqliteDialect.rebind(tt.in); got != tt.in {
				t.Errorf("sqlite rebind(%q) = %q; want it unchanged", tt.in, got)
			}
		})
	}
}

func TestVersionNumber(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"3.54.1", 3_054_001},
		{"3.51.3", 3_051_003},
		{"3.51.2", 3_051_002},
		{"3.8.11.1", 3_008_011}, // SQLite has had four-part versions
		{"3.51", 3_051_000},
		{"3", 3_000_000},
		{"", 0},
	}
	for _, tt := range tests {
		if got := versionNumber(tt.in); got != tt.want {
			t.Errorf("versionNumber(%q) = %d; want %d", tt.in, got, tt.want)
		}
	}
	if versionNumber("3.51.3.1") < minSQLite {
		t.Errorf("3.51.3.1 is refused as older than the minimum 3.51.3")
	}
	if versionNumber("3.51.2") >= minSQLite {
		t.Errorf("3.51.2 is accepted, but the minimum is 3.51.3")
	}
}

// TestMigrationFolders checks that the two stores have the same migrations:
// the same file names, hence the same versions, numbered 1, 2, 3, … without
// gaps or repeats.
func TestMigrationFolders(t *testing.T) {
	lite, err := migrationsFor(sqliteDialect)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := migrationsFor(postgresDialect)
	if err != nil {
		t.Fatal(err)
	}
	names := func(list []migration) []string {
		var s []string
		for _, m := range list {
			s = append(s, m.name)
		}
		return s
	}
	if !slices.Equal(names(lite), names(pg)) {
		t.Errorf("migrations differ:\nsqlite   %v\npostgres %v", names(lite), names(pg))
	}
	if len(lite) == 0 {
		t.Fatal("no migrations")
	}
	for _, list := range [][]migration{lite, pg} {
		for i, m := range list {
			if m.version != i+1 {
				t.Errorf("migration %s has version %d; want %d (versions run 1, 2, 3, … without gaps or repeats)", m.name, m.version, i+1)
			}
			if strings.TrimSpace(m.sql) == "" {
				t.Errorf("migration %s is empty", m.name)
			}
		}
	}
}

func TestSQLiteDSN(t *testing.T) {
	tests := []struct {
		path, wantFile string
	}{
		{"/var/lib/qifu/qifu.db", "file:/var/lib/qifu/qifu.db?"},
		{"data/qifu.db", "file:data/qifu.db?"},
		{"/tmp/a#1/q.db", "file:/tmp/a%231/q.db?"},
		{"/tmp/100%/q?.db", "file:/tmp/100%25/q%3F.db?"},
	}
	for _, tt := range tests {
		got := sqliteDSN(tt.path, "immediate", false)
		if !strings.HasPrefix(got, tt.wantFile) {
			t.Errorf("sqliteDSN(%q) = %q; want it to start %q", tt.path, got, tt.wantFile)
		}
		if strings.Contains(got, "query_only") {
			t.Errorf("sqliteDSN(%q, writer) = %q: the writer is query-only", tt.path, got)
		}
	}
	if got := sqliteDSN("q.db", "deferred", true); !strings.Contains(got, "query_only(1)") || !strings.Contains(got, "_txlock=deferred") {
		t.Errorf("reader DSN %q is not query-only and deferred", got)
	}
}

// TestStartupChecks gives the startup checks stores configured against
// qifu's promises, one setting at a time: each is refused with a message
// naming the setting; the promised settings pass.
func TestStartupChecks(t *testing.T) {
	good := map[string]string{"SELECT sqlite_version()": "3.54.1", "PRAGMA journal_mode": "wal",
		"PRAGMA synchronous": "2", "PRAGMA foreign_keys": "1", "PRAGMA busy_timeout": "10000"}
	sqlite := func(change map[string]string) func(string) (string, error) {
		return func(q string) (string, error) {
			if v, ok := change[q]; ok {
				return v, nil
			}
			return good[q], nil
		}
	}
	if err := checkSQLite(sqlite(nil)); err != nil {
		t.Errorf("the promised SQLite settings are refused: %v", err)
	}
	for q, bad := range map[string]string{
		"SELECT sqlite_version()": "3.45.1", "PRAGMA journal_mode": "delete", "PRAGMA synchronous": "1",
		"PRAGMA foreign_keys": "0", "PRAGMA busy_timeout": "0",
	} {
		err := checkSQLite(sqlite(map[string]string{q: bad}))
		name := strings.TrimPrefix(q, "PRAGMA ")
		if q == "SELECT sqlite_version()" {
			name = "older than 3.51.3"
		}
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s = %s: %v; want a refusal naming %q", q, bad, err, name)
		}
	}
	pg := func(off string) func(string) (string, error) {
		return func(s string) (string, error) {
			if s == off {
				return "off", nil
			}
			return "on", nil
		}
	}
	if err := checkPostgres(pg("")); err != nil {
		t.Errorf("the promised PostgreSQL settings are refused: %v", err)
	}
	for _, setting := range []string{"fsync", "synchronous_commit"} {
		if err := checkPostgres(pg(setting)); err == nil || !strings.Contains(err.Error(), setting+"=off") {
			t.Errorf("%s=off: %v; want a refusal naming it", setting, err)
		}
	}
}
