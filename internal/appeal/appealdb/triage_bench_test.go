package appealdb_test

import (
	"context"
	"flag"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"qifu/bench/datagen"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/pgtest"
	"qifu/internal/store"
)

var backlog = flag.Int("backlog", 100_000, "open appeals in the community's triage queue of BenchmarkTriageBacklog")

// BenchmarkTriageBacklog measures the first page of a community's triage
// queue when -backlog appeals (100,000 by default) wait in it, on both
// stores: the page costs what it shows (the kept deadlines' index, read in
// order), not the backlog ("kept"); "computed" is the page's ordering as it
// was, each row's nearest deadline computed, its 20 ids alone. The appeals
// are written in bulk by datagen.Backlog (as `qifubench reads --backlog`
// writes them), each with its accept step, their deadlines spread over the
// month ahead.
//
//	go test -run '^$' -bench BenchmarkTriageBacklog -benchtime 200x ./internal/appeal/appealdb
func BenchmarkTriageBacklog(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			dsn := filepath.Join(b.TempDir(), "qifu.db")
			if kind == "postgres" {
				dsn = pgtest.DSN(b)
			}
			st, err := store.Open(ctx, store.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			appeals := appealdb.New(st, appealdb.Options{})
			if err := st.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			if err := st.LoadDemo(ctx, dataset); err != nil {
				b.Fatal(err)
			}
			var community string
			var userID int64
			for _, u := range dataset.Users {
				if u.Username == "community" {
					community = u.RegionCode
				}
			}
			if err := store.Scan(st.Reader().Row(ctx, "SELECT id FROM users WHERE username = 'community'"), &userID); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			if _, err := datagen.Backlog(ctx, dsn, "community", *backlog); err != nil {
				b.Fatal(err)
			}
			b.Logf("%d open appeals written in %v", *backlog, time.Since(start).Round(time.Millisecond))
			actor, err := st.Actor(ctx, userID)
			if err != nil {
				b.Fatal(err)
			}
			check := func() []appealdb.AppealRow {
				rows, total, err := appeals.Appeals(ctx, actor, appealdb.AppealQuery{Queue: appealdb.QueueTriage})
				if err != nil {
					b.Fatal(err)
				}
				if total < *backlog || len(rows) == 0 {
					b.Fatalf("the triage queue holds %d of %d, a page of %d", total, *backlog, len(rows))
				}
				return rows
			}
			rows := check()
			for i := 1; i < len(rows); i++ {
				if rows[i].Due.Before(rows[i-1].Due) {
					b.Fatalf("out of deadline order at %d", i)
				}
			}
			// The queue's page as the store serves it, and, for the record, the
			// ordering it replaced: the nearest deadline computed per row.
			computed := store.Rebind(dsn, `SELECT a.id FROM appeals a
				WHERE a.community_code = ? AND a.state IN ('submitted', 'accepted', 'awaiting_info')
				ORDER BY COALESCE((SELECT MIN(st.due_at) FROM appeal_steps st
					WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0), ?), a.id LIMIT 20`)
			for _, c := range []struct {
				name string
				page func()
			}{
				{"kept", func() { check() }},
				{"count", func() {
					if n, err := appeals.CountAppeals(ctx, actor, appealdb.AppealQuery{Queue: appealdb.QueueTriage}); err != nil || n < *backlog {
						b.Fatalf("count %d, %v", n, err)
					}
				}},
				{"computed", func() {
					ids, err := store.Collect(ctx, st.Reader(), func(sc store.Scanner) (id int64, err error) {
						return id, sc.Scan(&id)
					}, computed, community, appealdb.NoDeadline)
					if err != nil || len(ids) == 0 {
						b.Fatalf("the computed order: %d rows, %v", len(ids), err)
					}
				}},
			} {
				b.Run(c.name, func(b *testing.B) {
					var lat []time.Duration
					for b.Loop() {
						t0 := time.Now()
						c.page()
						lat = append(lat, time.Since(t0))
					}
					b.ReportMetric(float64(percentile(lat, 95).Microseconds())/1000, "p95-ms")
				})
			}
		})
	}
}

// percentile returns the p-th percentile of d.
func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}
