package policydb_test

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/pgtest"
	"qifu/internal/platform"
	"qifu/internal/policy"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

var (
	policyEnterprises = flag.Int("policy-enterprises", 50_000, "enterprises the precise-push benchmark generates (1000000: BENCHMARKS.md)")
	policyBenefits    = flag.Int("policy-benefits", 500, "benefits in force when one enterprise's change is evaluated again")
)

// BenchmarkPolicy measures precise push over a generated city of
// -policy-enterprises enterprises in 10 districts × 10 streets × 10
// communities × 10 grids, each with its employees and social-insurance
// headcount of the day and its revenue of 2025 (the tax bureau's for nine
// in ten, declared for the rest): a dry run and a publication of one
// benefit over all of them (three conditions: employees, an authoritative
// revenue of 2025, the size class), and the evaluation of one changed
// enterprise against -policy-benefits benefits in force.
func BenchmarkPolicy(b *testing.B) {
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
			began := time.Now()
			editor, signer := seedCity(b, ctx, st, *policyEnterprises)
			b.Logf("%d enterprises seeded in %v", *policyEnterprises, time.Since(began).Round(time.Millisecond))
			p := mods.Policy
			pol, err := p.SavePolicy(ctx, editor, policy.Policy{Title: "关于支持小微企业稳定发展的若干意见", Issuer: "宁波市人民政府",
				DocNo: "甬政发〔2020〕8号", Published: "2026-01-01", InForce: "2026-01-01", DepartmentID: editor.DepartmentID})
			if err != nil {
				b.Fatal(err)
			}
			if pol, err = p.PublishPolicy(ctx, editor, pol.ID, pol.Version); err != nil {
				b.Fatal(err)
			}
			draft := func(i int) policy.Benefit {
				bf, err := p.SaveBenefit(ctx, editor, policy.Benefit{PolicyID: pol.ID, Title: fmt.Sprintf("稳岗补贴 %d", i), Kind: policy.Subsidy,
					Mode: policy.Apply, DepartmentID: editor.DepartmentID, Opens: "2026-03-01", Closes: "2026-12-31",
					Conditions: []policy.Condition{{Field: "employees", Op: policy.Ge, Value: fmt.Sprint(200 + i)},
						{Field: "revenue", Op: policy.Ge, Value: "500", Period: "2025", Authoritative: true},
						{Field: "size", Op: policy.In, Value: "small,micro,medium"}},
					Amount: policy.AmountRule{Kind: "per_head", Yuan: 1000, Base: "insured", Cap: 500_000}})
				if err != nil {
					b.Fatal(err)
				}
				return bf
			}
			b.Run("dryrun", func(b *testing.B) {
				bf := draft(0)
				var ms runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms)
				before := ms.HeapAlloc
				cold := time.Now()
				run, err := p.DryRun(ctx, editor, bf.ID) // loads every profile into the instance's cache
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&ms)
				b.Logf("first dry run, loading the profiles: %v; the cache holds %.0f MB", time.Since(cold).Round(time.Millisecond), float64(ms.HeapAlloc-before)/(1<<20))
				for b.Loop() {
					if run, err = p.DryRun(ctx, editor, bf.ID); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(run.Met+run.Maybe+run.NotMet+run.Barred), "enterprises")
				b.ReportMetric(float64(run.Met), "met")
			})
			b.Run("publish", func(b *testing.B) {
				told, i := 0, 0
				for b.Loop() {
					b.StopTimer()
					i++
					bf := draft(i)
					run, err := p.DryRun(ctx, editor, bf.ID)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := p.Sign(ctx, signer, run.ID, ""); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					pub, err := p.Publish(ctx, editor, bf.ID, bf.Version)
					if err != nil {
						b.Fatal(err)
					}
					told = pub.Told
				}
				b.ReportMetric(float64(told), "told")
			})
			seedBenefits(b, ctx, st, pol.ID, editor.DepartmentID, *policyBenefits)
			b.Run("reevaluate", func(b *testing.B) {
				if err := p.CatchUp(ctx); err != nil {
					b.Fatal(err)
				}
				// the benefits in force compiled once, as after their publication
				change := func(id int64) {
					if err := st.WithTx(ctx, func(tx *store.Tx) error {
						_, err := tx.DB().Exec(ctx, `INSERT INTO enterprise_facts (enterprise_id, kind, period, num, txt, source, rank, ref, note, recorded_by, recorded_name, recorded_at)
							VALUES (?, 'employees', '2026-03-02', 400, '', 'department', 3, '', '', 0, 'bench', 0)`, id)
						return err
					}); err != nil {
						b.Fatal(err)
					}
				}
				change(1)
				cold := time.Now()
				if _, err := p.Reevaluate(ctx); err != nil {
					b.Fatal(err)
				}
				b.Logf("the %d benefits in force read and compiled in %v", *policyBenefits, time.Since(cold).Round(time.Millisecond))
				id := int64(0)
				for b.Loop() {
					b.StopTimer()
					id++
					change(id * 37)
					b.StartTimer()
					if _, err := p.Reevaluate(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// seedCity writes a city of n enterprises (storetest.SeedCity), their facts
// with a few set-based statements, and a department with two members of
// staff: the editor and the signer.
func seedCity(b *testing.B, ctx context.Context, st *store.Store, n int) (editor, signer access.Actor) {
	b.Helper()
	storetest.SeedCity(b, ctx, st, n)
	stmts := []string{
		`INSERT INTO departments (code, name, name_en, region_code) VALUES ('tax', '税务局', 'tax', '339900')`,
		`INSERT INTO enterprise_facts (enterprise_id, kind, period, num, txt, source, rank, ref, note, recorded_by, recorded_name, recorded_at)
		 SELECT id, 'employees', '2026-01-31', employees, '', 'department', 3, '', '', 0, 'bench', 0 FROM enterprises`,
		`INSERT INTO enterprise_facts (enterprise_id, kind, period, num, txt, source, rank, ref, note, recorded_by, recorded_name, recorded_at)
		 SELECT id, 'insured', '2026-01-31', employees * 9 / 10, '', 'department', 3, '', '', 0, 'bench', 0 FROM enterprises`,
		`INSERT INTO enterprise_facts (enterprise_id, kind, period, num, txt, source, rank, ref, note, recorded_by, recorded_name, recorded_at)
		 SELECT id, 'revenue', '2025', revenue, '', CASE WHEN id % 10 = 0 THEN 'declared' ELSE 'department' END, CASE WHEN id % 10 = 0 THEN 1 ELSE 3 END,
		 '', '', 0, 'bench', 0 FROM enterprises`,
	}
	for i, q := range stmts {
		if err := st.WithTx(ctx, func(tx *store.Tx) error {
			_, err := tx.DB().Exec(ctx, q)
			return err
		}); err != nil {
			b.Fatalf("seed statement %d: %v", i, err)
		}
	}
	var dept int64
	if err := store.Scan(st.Reader().Row(ctx, "SELECT id FROM departments WHERE code = 'tax'"), &dept); err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, 2)
	for i, name := range []string{"bench_editor", "bench_signer"} {
		if err := st.WithTx(ctx, func(tx *store.Tx) error {
			return store.Scan(tx.DB().Row(ctx, `INSERT INTO users (username, name, role, department_id, password_hash, created_at, updated_at)
				VALUES (?, ?, 'department', ?, 'x', 0, 0) RETURNING id`, name, name, dept), &ids[i])
		}); err != nil {
			b.Fatal(err)
		}
	}
	if st.Postgres() {
		if _, err := st.Reader().Exec(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
	editor = access.Actor{UserID: ids[0], Name: "bench_editor", Role: access.RoleDepartment, DepartmentID: dept}
	signer = access.Actor{UserID: ids[1], Name: "bench_signer", Role: access.RoleDepartment, DepartmentID: dept}
	return editor, signer
}

// seedBenefits publishes n benefits of varied conditions straight into the
// store, for the re-evaluation of one changed enterprise against them.
func seedBenefits(b *testing.B, ctx context.Context, st *store.Store, policyID, dept int64, n int) {
	b.Helper()
	err := st.WithTx(ctx, func(tx *store.Tx) error {
		for i := range n {
			conds := fmt.Sprintf(`[{"field":"employees","op":"ge","value":"%d"},{"field":"industry","op":"in","value":"%s"},{"field":"revenue","op":"ge","value":"%d","period":"2025","authoritative":true}]`,
				10+i%200, []string{"34", "35,29", "52", "34,35,29,52"}[i%4], 100*(i%50))
			if i%10 == 9 {
				conds = fmt.Sprintf(`[{"cel":"employees >= %d && (foreign_trade || 'a' in tags)","label":"外贸"}]`, i%100)
			}
			if _, err := tx.DB().Exec(ctx, `INSERT INTO policy_benefits (policy_id, title, kind, conditions, amount, department_id, opens, closes, mode,
				review_days, stack, state, edited_by, edited_at) VALUES (?, ?, 'subsidy', ?, '{"kind":"fixed","yuan":10000}', ?, '2026-01-01', '2026-12-31', 'apply',
				10, 'stackable', 'published', 0, 0)`, policyID, fmt.Sprintf("政策 %d", i), conds, dept); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
