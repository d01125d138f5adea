package policydb_test

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/place"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/store"
)

// figureRow is a push or a claim as the recount reads it from the tables.
type figureRow struct {
	benefit int64
	at      place.Ancestry
	push    bool
	verdict string
	read    bool
	state   string
	granted int64
	claw    int64
}

// figureRows reads every push (placed where it was told) and every claim
// (placed at its enterprise) with plain SQL.
func (e *env) figureRows() []figureRow {
	e.t.Helper()
	r := e.s.Engine.Reader()
	pushes, err := store.Collect(e.ctx, r, func(sc store.Scanner) (figureRow, error) {
		x := figureRow{push: true}
		var read int64
		err := sc.Scan(&x.benefit, &x.at.District, &x.at.Street, &x.at.Community, &x.at.Grid, &x.verdict, &read)
		x.read = read > 0
		return x, err
	}, "SELECT benefit_id, district_code, street_code, community_code, grid_code, verdict, read_at FROM policy_pushes")
	if err != nil {
		e.t.Fatal(err)
	}
	claims, err := store.Collect(e.ctx, r, func(sc store.Scanner) (figureRow, error) {
		var x figureRow
		err := sc.Scan(&x.benefit, &x.at.District, &x.at.Street, &x.at.Community, &x.at.Grid, &x.state, &x.granted, &x.claw)
		return x, err
	}, `SELECT c.benefit_id, e.district_code, e.street_code, e.community_code, e.grid_code, c.state, c.granted, c.claw_back
		FROM policy_claims c, enterprises e WHERE e.id = c.enterprise_id`)
	if err != nil {
		e.t.Fatal(err)
	}
	return append(pushes, claims...)
}

// recount works out the funnel from the rows, per region of level, of the
// rows keep takes: the pushes told (met or maybe) and read; the claims
// applied for (an application, whatever became of it) or confirmed (a
// 免申即享 match the enterprise said yes to and did not decline); approved
// (and maybe paid, maybe clawed back since) with the yuan granted; paid
// with the yuan paid net of what was recovered.
func recount(rows []figureRow, level place.Level, keep func(figureRow) bool) map[string]policydb.FunnelRow {
	out := map[string]policydb.FunnelRow{}
	for _, x := range rows {
		if !keep(x) {
			continue
		}
		code := x.at.At(level)
		r := out[code]
		r.Code = code
		if x.push {
			r.Told++
			if x.verdict == "met" {
				r.Eligible++
			} else {
				r.Maybe++
			}
			if x.read {
				r.Read++
			}
		} else {
			approved := slices.Contains([]string{policy.Approved, policy.Paid, policy.ClawedBack}, x.state)
			paid := x.state == policy.Paid || x.state == policy.ClawedBack
			if x.state != policy.Matched && x.state != policy.Declined {
				r.Applied++
			}
			if approved {
				r.Approved++
				r.Granted += x.granted
			}
			if paid {
				r.Paid++
				r.PaidOut += x.granted - x.claw
			}
		}
		out[code] = r
	}
	return out
}

func sumRows(rows map[string]policydb.FunnelRow) policydb.FunnelRow {
	var t policydb.FunnelRow
	for _, r := range rows {
		t.Eligible += r.Eligible
		t.Maybe += r.Maybe
		t.Told += r.Told
		t.Read += r.Read
		t.Applied += r.Applied
		t.Approved += r.Approved
		t.Paid += r.Paid
		t.Granted += r.Granted
		t.PaidOut += r.PaidOut
	}
	return t
}

// funnelIs fails the test unless the funnel of who (with q) is want, row by
// row, with the total last.
func (e *env) funnelIs(who string, q policydb.FunnelQuery, want map[string]policydb.FunnelRow) {
	e.t.Helper()
	rows, err := e.s.Policy.Funnel(e.ctx, e.actor(who), q)
	if err != nil || len(rows) == 0 {
		e.t.Fatalf("%s's funnel: %v %v", who, rows, err)
	}
	got := map[string]policydb.FunnelRow{}
	for _, r := range rows[:len(rows)-1] {
		if r.Name == "" {
			e.t.Errorf("%s's funnel: row %s has no name", who, r.Code)
		}
		r.Name = ""
		got[r.Code] = r
	}
	if !maps.Equal(got, want) {
		e.t.Errorf("%s's funnel (%+v):\n got  %+v\n want %+v", who, q, got, want)
	}
	if total := rows[len(rows)-1]; total != sumRows(want) {
		e.t.Errorf("%s's funnel total (%+v): %+v; want %+v", who, q, total, sumRows(want))
	}
}

// TestFunnelRecomputed checks the funnel by hand on a small case, then
// after a seeded random mix of applications, decisions, payments,
// clawbacks, confirmations and notices against a recount of the tables,
// per district, street and grid and in total, over every benefit and one.
func TestFunnelRecomputed(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Policy, e.ctx
		admin := e.actor("admin")
		p := e.policyOf()
		g111 := c111 + "001"

		// By hand: three enterprises of a grid qualify; two apply; one is
		// approved 10 000 yuan, paid and 4 000 recovered, the other refused;
		// the first read its check-up.
		h, _ := e.grant(p, policy.Benefit{Title: "技改补助", Kind: policy.Subsidy, Mode: policy.Apply,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: g111}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 10_000}})
		E1, E1b := e.ent(c111, 1, 0), e.ent(c111, 1, 1)
		c1, err := s.Apply(ctx, e.actor("ent_"+c111), h.ID, E1, nil)
		if err != nil {
			t.Fatal(err)
		}
		c2, err := s.Apply(ctx, e.actor("grid_"+g111), h.ID, E1b, nil)
		if err != nil {
			t.Fatal(err)
		}
		c1 = e.act("dept_tax", c1, policydb.Step{Action: "approve"})
		c1 = e.act("dept_tax", c1, policydb.Step{Action: "pay"})
		e.act("dept_tax", c1, policydb.Step{Action: "claw_back", ClawBack: 4_000, Note: "人数有误"})
		e.act("dept_tax", c2, policydb.Step{Action: "refuse", Note: "材料不实"})
		if _, err := s.CheckUp(ctx, e.actor("ent_"+c111), E1); err != nil {
			t.Fatal(err)
		}
		hand := policydb.FunnelRow{Eligible: 3, Told: 3, Read: 1, Applied: 2, Approved: 1, Paid: 1, Granted: 10_000, PaidOut: 6_000}
		row := func(code string) policydb.FunnelRow { r := hand; r.Code = code; return r }
		q := policydb.FunnelQuery{Benefit: h.ID}
		e.funnelIs("city", q, map[string]policydb.FunnelRow{d1: row(d1)})
		e.funnelIs("admin", q, map[string]policydb.FunnelRow{d1: row(d1)})
		e.funnelIs("dept_tax", q, map[string]policydb.FunnelRow{d1: row(d1)})
		e.funnelIs("district_"+d1, q, map[string]policydb.FunnelRow{c111[:9]: row(c111[:9])})
		e.funnelIs("street_"+c111[:9], q, map[string]policydb.FunnelRow{c111: row(c111)})
		e.funnelIs("community_"+c111, q, map[string]policydb.FunnelRow{g111: row(g111)})
		e.funnelIs("grid_"+g111, q, map[string]policydb.FunnelRow{g111: row(g111)})
		e.funnelIs("district_"+d2, q, map[string]policydb.FunnelRow{})
		e.funnelIs("dept_hrss", q, map[string]policydb.FunnelRow{})
		e.funnelIs("community_"+c112, q, map[string]policydb.FunnelRow{})
		e.funnelIs("ent_"+c111, q, map[string]policydb.FunnelRow{d1: {Code: d1, Eligible: 1, Told: 1, Read: 1, Applied: 1, Approved: 1, Paid: 1,
			Granted: 10_000, PaidOut: 6_000}})
		e.funnelIs("city", policydb.FunnelQuery{Benefit: h.ID, To: "2026-03-01"}, map[string]policydb.FunnelRow{})
		e.funnelIs("city", policydb.FunnelQuery{Benefit: h.ID, From: "2026-03-03"}, map[string]policydb.FunnelRow{})
		e.funnelIs("city", policydb.FunnelQuery{Benefit: h.ID, From: "2026-03-02", To: "2026-03-02"}, map[string]policydb.FunnelRow{d1: row(d1)})

		// A seeded random mix over three more benefits.
		a1, _ := e.grant(p, policy.Benefit{Title: "研发补助", Kind: policy.Subsidy, Mode: policy.Apply, Materials: []string{"申请表"},
			Conditions: []policy.Condition{{Field: "industry", Op: policy.In, Value: "34"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 10_000}})
		a2, _ := e.grant(p, policy.Benefit{Title: "稳岗返还", Kind: policy.FeeRelief, Mode: policy.Apply, DepartmentID: e.deptOf("hrss"),
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: d2},
				{Field: "revenue", Op: policy.Ge, Value: "100", Period: "2025", Authoritative: true}},
			Amount: policy.AmountRule{Kind: "per_head", Yuan: 500, Base: "employees"}})
		x, _ := e.grant(p, policy.Benefit{Title: "房租补贴", Kind: policy.FeeRelief, Mode: policy.Auto, NoticeDays: 1,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: c111[:9] + ",330203002"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 2_000}})
		recs := e.f.EnterpriseRecords(e.ids)
		var accounts []string
		for _, u := range e.f.Users {
			if u.Role == access.RoleEnterprise {
				accounts = append(accounts, u.Username)
			}
		}
		rng := rand.New(rand.NewPCG(20260302, 1))
		steps := map[string]int{}
		for range 150 {
			switch k := rng.IntN(20); {
			case k < 6: // apply
				b := []policy.Benefit{a1, a2}[rng.IntN(2)]
				r := recs[rng.IntN(len(recs))]
				if b.ID == a2.ID && r.Place.District != d2 {
					continue
				}
				if e.count("SELECT COUNT(*) FROM policy_claims WHERE benefit_id = ? AND enterprise_id = ? AND state NOT IN ('refused', 'withdrawn')", b.ID, r.ID) > 0 {
					continue
				}
				var mats []policy.Material
				if len(b.Materials) > 0 {
					mats = form
				}
				if _, err := s.Apply(ctx, admin, b.ID, r.ID, mats); err != nil {
					t.Fatalf("apply for %d: %v", r.ID, err)
				}
				steps["apply"]++
			case k < 16: // a step of a claim
				list, _, err := s.Claims(ctx, admin, policydb.ClaimQuery{Page: store.Page{Size: store.MaxPageSize}})
				if err != nil || len(list) == 0 {
					t.Fatalf("claims: %d %v", len(list), err)
				}
				c := list[rng.IntN(len(list))]
				var acts []string
				for _, by := range []policy.Party{policy.ByEnterprise, policy.ByDepartment} {
					for _, a := range policy.Actions(c.Mode, c.State, by) {
						if a != "hand_over" {
							acts = append(acts, a)
						}
					}
				}
				if len(acts) == 0 {
					continue
				}
				a := acts[rng.IntN(len(acts))]
				st := policydb.Step{Action: a, Note: "说明"}
				switch a {
				case "confirm":
					if _, err := s.Confirm(ctx, admin, c.ID, c.Version, "宁波银行", "6222000012345678"); err != nil {
						t.Fatalf("confirm %d: %v", c.ID, err)
					}
					steps[a]++
					continue
				case "approve":
					if rng.IntN(2) == 0 {
						st.Granted = 1 + rng.Int64N(c.Amount)
					}
				case "claw_back":
					st.ClawBack = 1 + rng.Int64N(c.Granted)
				case "resubmit":
					if c.BenefitID == a1.ID {
						st.Materials = form
					}
				}
				if _, err := s.Act(ctx, admin, c.ID, c.Version, st); err != nil {
					t.Fatalf("%s claim %d (%s): %v", a, c.ID, c.State, err)
				}
				steps[a]++
			case k < 17: // the list of the confirmed goes on notice
				if e.count("SELECT COUNT(*) FROM policy_claims WHERE benefit_id = ? AND state = 'confirmed'", x.ID) == 0 {
					continue
				}
				if _, err := s.CreateNotice(ctx, e.actor("dept_tax"), x.ID); err != nil {
					t.Fatalf("notice: %v", err)
				}
				steps["notice"]++
			case k < 18: // a day passes; the notices over are approved
				e.s.Clock.Advance(24 * time.Hour)
				ids, err := store.Collect(ctx, e.s.Engine.Reader(), store.Int64, "SELECT id FROM policy_notices WHERE approved_at = 0 AND closes < ?",
					policy.Today(e.s.Clock.Now()))
				if err != nil {
					t.Fatal(err)
				}
				for _, id := range ids {
					if _, err := s.ApproveNotice(ctx, e.actor("dept_tax2"), id); err != nil {
						t.Fatalf("approve notice %d: %v", id, err)
					}
					steps["approve notice"]++
				}
			case k < 19: // everything approved is paid
				n, err := s.PayAll(ctx, e.actor("dept_tax"), []int64{a1.ID, x.ID}[rng.IntN(2)])
				if err != nil {
					t.Fatal(err)
				}
				steps["pay all"] += n
			default: // an enterprise reads its check-up
				who := accounts[rng.IntN(len(accounts))]
				if _, err := s.CheckUp(ctx, e.actor(who), e.actor(who).EnterpriseID); err != nil {
					t.Fatal(err)
				}
				steps["read"]++
			}
		}
		for _, a := range []string{"apply", "approve", "pay", "claw_back", "confirm", "decline", "refuse", "notice", "read"} {
			if steps[a] == 0 {
				t.Errorf("the mix took no %s (%v)", a, steps)
			}
		}
		t.Logf("the mix: %v", steps)

		rows := e.figureRows()
		all := func(figureRow) bool { return true }
		in := func(level place.Level, code string) func(figureRow) bool {
			return func(x figureRow) bool { return x.at.At(level) == code }
		}
		e.funnelIs("city", policydb.FunnelQuery{}, recount(rows, place.District, all))
		e.funnelIs("admin", policydb.FunnelQuery{}, recount(rows, place.District, all))
		e.funnelIs("district_"+d1, policydb.FunnelQuery{}, recount(rows, place.Street, in(place.District, d1)))
		e.funnelIs("district_"+d2, policydb.FunnelQuery{}, recount(rows, place.Street, in(place.District, d2)))
		e.funnelIs("street_330203002", policydb.FunnelQuery{}, recount(rows, place.Community, in(place.Street, "330203002")))
		e.funnelIs("community_"+c111, policydb.FunnelQuery{}, recount(rows, place.Grid, in(place.Community, c111)))
		e.funnelIs("grid_"+g111, policydb.FunnelQuery{}, recount(rows, place.Grid, in(place.Grid, g111)))
		for _, b := range []policy.Benefit{a1, a2, x} {
			of := func(x figureRow) bool { return x.benefit == b.ID }
			e.funnelIs("city", policydb.FunnelQuery{Benefit: b.ID}, recount(rows, place.District, of))
			e.funnelIs("district_"+d2, policydb.FunnelQuery{Benefit: b.ID}, recount(rows, place.Street, func(x figureRow) bool { return of(x) && in(place.District, d2)(x) }))
		}
		hrss := func(x figureRow) bool { return x.benefit == a2.ID }
		e.funnelIs("dept_hrss", policydb.FunnelQuery{}, recount(rows, place.District, hrss))
		e.funnelIs("dept_tax", policydb.FunnelQuery{}, recount(rows, place.District, func(x figureRow) bool { return !hrss(x) }))

		// the claims list agrees
		list, n, err := s.Claims(ctx, admin, policydb.ClaimQuery{Page: store.Page{Size: store.MaxPageSize}})
		if err != nil || n != len(list) {
			t.Fatalf("claims: %d %v", n, err)
		}
		var applied, approved, paid int
		var granted, paidOut int64
		for _, c := range list {
			if c.State != policy.Matched && c.State != policy.Declined {
				applied++
			}
			switch c.State {
			case policy.Approved:
				approved++
				granted += c.Granted
			case policy.Paid, policy.ClawedBack:
				approved++
				paid++
				granted += c.Granted
				paidOut += c.Granted - c.ClawBack
			}
		}
		f, err := s.Funnel(ctx, admin, policydb.FunnelQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if tot := f[len(f)-1]; tot.Applied != applied || tot.Approved != approved || tot.Paid != paid || tot.Granted != granted || tot.PaidOut != paidOut {
			t.Errorf("the funnel %+v; the claims list: applied %d, approved %d, paid %d, granted %d, paid out %d", tot, applied, approved, paid, granted, paidOut)
		}
	})
}
