package audiencedb_test

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"qifu/bench/datagen"
	"qifu/internal/access"
	"qifu/internal/audience"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/form"
	"qifu/internal/pgtest"
	"qifu/internal/platform"
	"qifu/internal/store"
)

var blocks = flag.Int("audience-blocks", 52, "copies of the demo district's layout the audience benchmark generates (52: about 100,000 enterprises)")

// BenchmarkFreezeAudience starts a campaign whose audience is a city's
// enterprises — about 100,000 with the default -audience-blocks — on each
// store: the audience resolved over the registry (and, in "facts", over
// each enterprise's current headcount in its file) and frozen into the
// campaign's members in one transaction. Goal: under 2 s.
func BenchmarkFreezeAudience(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			dsn := filepath.Join(b.TempDir(), "qifu.db")
			if kind == "postgres" {
				dsn = pgtest.DSN(b)
			}
			start := time.Now()
			rep, err := datagen.Generate(ctx, datagen.Options{DSN: dsn, Blocks: *blocks, Appeals: 1})
			if err != nil {
				b.Fatal(err)
			}
			st, err := store.Open(ctx, store.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			mods := platform.Build(st, platform.Options{})
			if err := st.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			// Each enterprise's headcount as a fact of its file, as the registry would have written it.
			if _, err := st.Writer().Exec(ctx, `INSERT INTO enterprise_facts (enterprise_id, kind, period, num, source, rank, ref,
				recorded_by, recorded_name, recorded_at) SELECT id, 'employees', '2026-01-05', employees, 'staff', 2, 'registry', 0, 'bench', ?
				FROM enterprises WHERE employees > 0`, time.Now().UnixMilli()); err != nil {
				b.Fatal(err)
			}
			b.Logf("%d enterprises generated in %v", rep.Enterprises, time.Since(start).Round(time.Millisecond))
			admin := access.System("bench")
			f, err := mods.Forms.Create(ctx, admin, form.Definition{Zh: "运行监测", Sections: []form.Section{{Questions: []form.Question{
				{Key: "ok", Type: form.YesNo, Zh: "是否正常生产"}}}}})
			if err != nil {
				b.Fatal(err)
			}
			cal, err := st.Calendar(ctx)
			if err != nil {
				b.Fatal(err)
			}
			due := cal.AddDays(st.Now(), 5).In(calendar.Shanghai).Format("2006-01-02")
			for _, variant := range []struct {
				name string
				def  audience.Definition
			}{
				{"registry", audience.Definition{}},
				{"facts", audience.Definition{Facts: []audience.FactCondition{{Kind: "employees", Op: audience.AtLeast, Value: "5"}}}},
			} {
				b.Run(variant.name, func(b *testing.B) {
					members := 0
					for b.Loop() {
						c, err := mods.Forms.Send(ctx, admin, f.ID, audiencedb.Campaign{Title: fmt.Sprintf("bench %d", members), Due: due, Audience: variant.def})
						if err != nil {
							b.Fatal(err)
						}
						members = c.Members
					}
					b.ReportMetric(float64(members), "members")
				})
			}
		})
	}
}
