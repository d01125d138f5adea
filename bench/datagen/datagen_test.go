package datagen

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"qifu/internal/appeal/appealdb"
	"qifu/internal/enterprise"
	"qifu/internal/pgtest"
	"qifu/internal/store"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestGenerate fills both stores past Ningbo's 60 blocks into Hangzhou's
// first district, and checks that what it wrote hangs together: every
// appeal's regions exist as one chain from its grid to its city, every
// credit code is valid, the history goes back more than one period, and
// every appeal is folded into the kept figures.
func TestGenerate(t *testing.T) {
	if testing.Short() {
		t.Skip("a long run (12-17 s): left out of -short")
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := filepath.Join(t.TempDir(), "gen.db")
			if kind == "postgres" {
				dsn = pgtest.DSN(t)
			}
			const blocks, template, wanted = 61, 60, 61*60 + 500
			rep, err := Generate(ctx, Options{DSN: dsn, Blocks: blocks, Appeals: wanted, TemplateAppeals: template})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Appeals < wanted || rep.Span < 60*24*time.Hour {
				t.Errorf("generated %d appeals over %s; want at least %d over more than one period", rep.Appeals, rep.Span, wanted)
			}
			driver := "sqlite"
			if store.IsPostgres(dsn) {
				driver = "pgx"
			}
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			count := func(query string) int64 {
				t.Helper()
				var n int64
				if err := db.QueryRowContext(ctx, query).Scan(&n); err != nil {
					t.Fatalf("%s: %v", query, err)
				}
				return n
			}
			var ents int64
			if ents = count("SELECT COUNT(*) FROM enterprises"); ents != rep.Enterprises || ents%blocks != 0 {
				t.Errorf("%d enterprises (reported %d), not %d blocks' worth", ents, rep.Enterprises, blocks)
			}
			if n := count(`SELECT COUNT(*) FROM appeals a
				JOIN regions g ON g.code = a.grid_code AND g.level = 5 AND g.parent_code = a.community_code
				JOIN regions c ON c.code = a.community_code AND c.level = 4 AND c.parent_code = a.street_code
				JOIN regions s ON s.code = a.street_code AND s.level = 3 AND s.parent_code = a.district_code
				JOIN regions d ON d.code = a.district_code AND d.level = 2 AND d.parent_code = a.city_code
				JOIN regions y ON y.code = a.city_code AND y.level = 1 AND y.parent_code IS NULL
				JOIN enterprises e ON e.id = a.enterprise_id AND e.grid_code = a.grid_code AND e.city_code = a.city_code`); n != rep.Appeals {
				t.Errorf("%d of %d appeals have their regions as one chain from grid to city and their enterprise's", n, rep.Appeals)
			}
			// Every copy hangs off it what its template appeal does (a copy's
			// ID is its template's moved up by whole multiples of the
			// template's largest).
			top := count("SELECT MAX(id) FROM appeals WHERE number NOT LIKE 'C%'")
			for _, table := range []string{"appeal_dispatches", "appeal_steps", "appeal_events", "appeal_extensions"} {
				if n := count(fmt.Sprintf(`SELECT COUNT(*) FROM appeals a WHERE a.id > %[2]d AND
					(SELECT COUNT(*) FROM %[1]s x WHERE x.appeal_id = a.id) <> (SELECT COUNT(*) FROM %[1]s x WHERE x.appeal_id = (a.id - 1) %% %[2]d + 1)`,
					table, top)); n != 0 {
					t.Errorf("%s: %d copied appeals have not their template's rows", table, n)
				}
			}
			if n := count("SELECT COUNT(*) FROM appeal_extensions"); n == 0 {
				t.Error("no extensions: the copies' extensions are not checked")
			}
			// The history's indexes, dropped while it was copied, are the
			// store's own again.
			fresh := filepath.Join(t.TempDir(), "fresh.db")
			if kind == "postgres" {
				fresh = pgtest.DSN(t)
			}
			indexes := migratedIndexes(t, fresh)
			sameIndexes := func(when string) {
				t.Helper()
				got, err := secondaryIndexes(ctx, db, dsn)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(indexes) {
					t.Errorf("%s: %d secondary indexes on the history's tables, want %d", when, len(got), len(indexes))
				}
				for name, def := range indexes {
					if got[name] != def {
						t.Errorf("%s: index %s is %q, want %q", when, name, got[name], def)
					}
				}
			}
			sameIndexes("generated")
			if n := count("SELECT COUNT(DISTINCT city_code) FROM appeals"); n != 2 {
				t.Errorf("appeals in %d cities, want 2 (Ningbo and Hangzhou's first district)", n)
			}
			if n := count("SELECT COUNT(*) FROM regions WHERE code = '330102' AND parent_code = '330100'"); n != 1 {
				t.Errorf("Hangzhou's first district: %d rows", n)
			}
			rows, err := db.QueryContext(ctx, "SELECT credit_code FROM enterprises")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			bad := 0
			for rows.Next() {
				var code string
				if err := rows.Scan(&code); err != nil {
					t.Fatal(err)
				}
				if enterprise.CheckCreditCode(code) != nil {
					bad++
				}
			}
			if bad > 0 {
				t.Errorf("%d credit codes are not valid", bad)
			}
			if n := count("SELECT COUNT(*) FROM assess_pending"); n != 0 {
				t.Errorf("%d appeals left unfolded", n)
			}
			if n := count("SELECT COUNT(*) FROM assess_folded"); n != rep.Appeals {
				t.Errorf("%d appeals folded, want %d", n, rep.Appeals)
			}

			// A generation stopped during its history is finished with its
			// indexes.
			if err := dropIndexes(ctx, db, dsn); err != nil {
				t.Fatal(err)
			}
			if n := count("SELECT COUNT(*) FROM datagen_indexes"); n != int64(len(indexes)) {
				t.Errorf("%d indexes saved, want %d", n, len(indexes))
			}
			if _, err := Finish(ctx, dsn, true, nil); err != nil {
				t.Fatal(err)
			}
			sameIndexes("finished after a stop during the history")

			// A generation stopped after its history, or halfway through its
			// fold, is finished with the same kept figures.
			kept := func() [3]int64 {
				return [3]int64{
					count("SELECT COALESCE(SUM(appeals + 3 * response_in_time + 5 * resolved + 7 * satisfied + 11 * rated), 0) FROM assess_months"),
					count("SELECT COALESCE(SUM(appeals + 3 * response_in_time + 5 * resolved + 7 * satisfied + 11 * rated), 0) FROM assess_days"),
					count("SELECT COALESCE(SUM(n * day), 0) FROM assess_overview"),
				}
			}
			want := kept()
			if want[0] == 0 || want[2] == 0 {
				t.Fatalf("kept figures %v: nothing to compare", want)
			}
			clear := func() {
				t.Helper()
				for _, q := range []string{"DELETE FROM assess_months", "DELETE FROM assess_days", "DELETE FROM assess_appeal_days",
					"DELETE FROM assess_overview", "DELETE FROM assess_folded", "DELETE FROM assess_pending"} {
					if _, err := db.ExecContext(ctx, q); err != nil {
						t.Fatal(err)
					}
				}
			}
			clear()
			if _, err := Finish(ctx, dsn, true, nil); err != nil {
				t.Fatal(err)
			}
			if got := kept(); got != want || count("SELECT COUNT(*) FROM assess_folded") != rep.Appeals {
				t.Errorf("finished after the history: kept figures %v, want %v", got, want)
			}
			clear()
			if _, err := db.ExecContext(ctx, "INSERT INTO assess_pending (appeal_id) SELECT id FROM appeals"); err != nil {
				t.Fatal(err)
			}
			st, err := store.Open(ctx, store.Options{DSN: dsn})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := appealdb.New(st, appealdb.Options{}).FoldAssessment(ctx, int(rep.Appeals/2)); err != nil {
				t.Fatal(err)
			}
			st.Close()
			if n := count("SELECT COUNT(*) FROM assess_pending"); n == 0 || n == rep.Appeals {
				t.Fatalf("%d of %d left queued: not halfway", n, rep.Appeals)
			}
			if _, err := Finish(ctx, dsn, true, nil); err != nil {
				t.Fatal(err)
			}
			if got := kept(); got != want || count("SELECT COUNT(*) FROM assess_pending") != 0 {
				t.Errorf("finished halfway through the fold: kept figures %v, want %v", got, want)
			}

			// Finished without the fold, the kept figures are empty and
			// nothing is queued; finished with it after that, they are the
			// same again.
			if _, err := Finish(ctx, dsn, false, nil); err != nil {
				t.Fatal(err)
			}
			if n := count("SELECT (SELECT COUNT(*) FROM assess_pending) + (SELECT COUNT(*) FROM assess_folded) + (SELECT COUNT(*) FROM assess_months)"); n != 0 {
				t.Errorf("finished without the fold: %d rows queued, folded or kept, want none", n)
			}
			if _, err := Finish(ctx, dsn, true, nil); err != nil {
				t.Fatal(err)
			}
			if got := kept(); got != want {
				t.Errorf("finished with the fold after without: kept figures %v, want %v", got, want)
			}
		})
	}
}

// migratedIndexes are the secondary indexes of the history's tables in a
// store just migrated at dsn.
func migratedIndexes(t *testing.T, dsn string) map[string]string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db, err := openBulk(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, err := secondaryIndexes(ctx, db, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < len(historyTables) {
		t.Fatalf("%d secondary indexes in a migrated store: too few to check", len(list))
	}
	return list
}
