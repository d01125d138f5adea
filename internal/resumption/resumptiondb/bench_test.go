package resumptiondb_test

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/pgtest"
	"qifu/internal/place"
	"qifu/internal/platform"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

var benchEnterprises = flag.Int("resumption-enterprises", 20_000, "enterprises on the benchmark's list (500000: BENCHMARKS.md)")

// BenchmarkResumption measures the module's store over a generated city
// (storetest.SeedCity) of -resumption-enterprises enterprises, all on one
// daily monitoring campaign: freezing the list, one report (each a
// distinct enterprise's first of the day; serially and from 8 goroutines),
// and the rates over the whole list and over a street, with about half of
// the list reported.
func BenchmarkResumption(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			dsn := filepath.Join(b.TempDir(), "qifu.db")
			if kind == "postgres" {
				dsn = pgtest.DSN(b)
			}
			clock := storetest.NewClock(storetest.Start)
			st, err := store.Open(ctx, store.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler), Now: clock.Now})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			mods := platform.Build(st, platform.Options{})
			if err := st.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			n := *benchEnterprises
			began := time.Now()
			storetest.SeedCity(b, ctx, st, n)
			b.Logf("%d enterprises seeded in %v", n, time.Since(began).Round(time.Millisecond))
			rs := mods.Resumption
			admin := access.System("bench")
			began = time.Now()
			c, err := rs.Start(ctx, admin, resumptiondb.Input{Kind: resumptiondb.KindMonitoring, Title: "基准日报", Due: "2026-03-31",
				Schedule: resumption.Daily})
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("a campaign of %d members started (list and weights frozen) in %v", c.Members, time.Since(began).Round(time.Millisecond))
			if st.Postgres() {
				if _, err := st.Reader().Exec(ctx, "ANALYZE"); err != nil {
					b.Fatal(err)
				}
			}
			var next atomic.Int64
			report := func() error {
				id := next.Add(1)
				if id > int64(n) {
					return fmt.Errorf("more reports than enterprises: raise -resumption-enterprises")
				}
				_, _, err := rs.SubmitReport(ctx, admin, resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: id,
					Report: resumption.Report{Resumed: id%10 != 0, Since: "2026-03-01", OutputShare: int(id%10) * 1000, OnSite: int(id % 50), Workers: 60},
					Key:    fmt.Sprintf("bench-%d", id)})
				return err
			}
			b.Run("report", func(b *testing.B) {
				for b.Loop() {
					if err := report(); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("report-8", func(b *testing.B) {
				b.SetParallelism(4) // 8 goroutines on 2 cores
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := report(); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
			// About half the list reported, then the rates.
			for next.Load() < int64(n/2) {
				if err := report(); err != nil {
					b.Fatal(err)
				}
			}
			if st.Postgres() { // as autovacuum would have by now
				if _, err := st.Reader().Exec(ctx, "ANALYZE"); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("rates-all", func(b *testing.B) {
				var r resumption.Rates
				for b.Loop() {
					if r, _, err = rs.Rates(ctx, admin, c.ID, resumptiondb.RateQuery{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(r.Members), "members")
				b.ReportMetric(float64(r.Reported), "reported")
			})
			b.Run("rates-by-street", func(b *testing.B) {
				for b.Loop() {
					if _, _, err := rs.Rates(ctx, admin, c.ID, resumptiondb.RateQuery{By: "street"}); err != nil {
						b.Fatal(err)
					}
				}
			})
			street := access.Actor{UserID: 1 << 40, Name: "bench street", Role: access.RoleStreetLeader, RegionCode: "339910010", RegionLevel: place.Street}
			b.Run("rates-a-street", func(b *testing.B) {
				var r resumption.Rates
				for b.Loop() {
					if r, _, err = rs.Rates(ctx, street, c.ID, resumptiondb.RateQuery{By: "grid"}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(r.Members), "members")
			})
		})
	}
}
