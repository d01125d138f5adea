package policydb_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/dossier"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/fault"
	"qifu/internal/pgtest"
	"qifu/internal/platform"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

type testStore struct {
	*storetest.Store
	*platform.Modules
}

func open(t *testing.T, dsn string, c *storetest.Clock) *testStore {
	t.Helper()
	var s testStore
	s.Store = storetest.Open(t, dsn, c, store.Options{}, func(st *store.Store) { s.Modules = platform.Build(st, platform.Options{}) })
	return &s
}

// The tests run on the permission fixture (storetest.NewFixture) with a
// second member of staff of the tax bureau, who signs off what the first
// edits.
const (
	d1   = "330206"       // the first district
	c111 = "330206001001" // its first community
	c112 = "330206001002"
	d2   = "330203" // the second district
	c211 = "330203001001"
)

func fixture() storetest.Fixture {
	f := storetest.NewFixture()
	f.Users = append(f.Users, demo.User{Username: "dept_tax2", Password: demo.Password, Name: "税务复核", Phone: "13805749999",
		Role: access.RoleDepartment, DepartmentCode: "tax"})
	return f
}

type env struct {
	t   *testing.T
	s   *testStore
	ctx context.Context
	f   storetest.Fixture
	ids map[string]int64
	mu  sync.Mutex
	as  map[string]access.Actor
}

func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	f := fixture()
	storetest.Each(t, false, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		if err := s.LoadDemo(ctx, f.Dataset); err != nil {
			t.Fatalf("load fixture: %v", err)
		}
		fn(t, &env{t: t, s: s, ctx: ctx, f: f, ids: s.IDs(t), as: map[string]access.Actor{}})
	})
}

func (e *env) actor(username string) access.Actor {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if a, ok := e.as[username]; ok {
		return a
	}
	a := e.s.As(e.t, username)
	e.as[username] = a
	return a
}

// ent is the ID of the i-th enterprise (0-based) of a community's grid (1 or 2).
func (e *env) ent(community string, grid, i int) int64 {
	e.t.Helper()
	g := fmt.Sprintf("%s%03d", community, grid)
	for _, x := range e.f.Enterprises {
		if x.GridCode == g {
			if i == 0 {
				return e.ids[x.CreditCode]
			}
			i--
		}
	}
	e.t.Fatalf("no enterprise %d in %s", i, g)
	return 0
}

// fact records a fact of an enterprise as the tax bureau's data.
func (e *env) fact(id int64, kind, period string, num int64, src dossier.Source) {
	e.t.Helper()
	err := e.s.Engine.WithTx(e.ctx, func(tx *store.Tx) error {
		_, err := dossierdb.RecordTx(e.ctx, tx, e.actor("admin"), []dossier.Fact{{EnterpriseID: id, Kind: kind, Period: period, Num: num, Source: src}})
		return err
	})
	if err != nil {
		e.t.Fatalf("record %s of %d: %v", kind, id, err)
	}
}

func (e *env) dept() int64 {
	return e.actor("dept_tax").DepartmentID
}

// policyOf publishes a policy of the tax bureau.
func (e *env) policyOf() policy.Policy {
	e.t.Helper()
	p, err := e.s.Policy.SavePolicy(e.ctx, e.actor("dept_tax"), policy.Policy{Title: "关于支持小微企业稳定发展的若干意见", Issuer: "宁波市人民政府",
		DocNo: "甬政发〔2020〕8号", Family: "甬18条", Published: "2026-02-01", InForce: "2026-02-01", Until: "2026-12-31", Text: "为支持小微企业……"})
	if err != nil {
		e.t.Fatalf("save policy: %v", err)
	}
	if p, err = e.s.Policy.PublishPolicy(e.ctx, e.actor("dept_tax"), p.ID, p.Version); err != nil {
		e.t.Fatalf("publish policy: %v", err)
	}
	return p
}

// benefit saves, dry-runs, signs off and publishes a benefit.
func (e *env) benefit(p policy.Policy, b policy.Benefit) (policy.Benefit, policydb.DryRun, policydb.Published) {
	e.t.Helper()
	b.PolicyID, b.DepartmentID = p.ID, e.dept()
	if b.Opens == "" {
		b.Opens, b.Closes = "2026-03-01", "2026-06-30"
	}
	b, err := e.s.Policy.SaveBenefit(e.ctx, e.actor("dept_tax"), b)
	if err != nil {
		e.t.Fatalf("save benefit: %v", err)
	}
	run, err := e.s.Policy.DryRun(e.ctx, e.actor("dept_tax"), b.ID)
	if err != nil {
		e.t.Fatalf("dry run: %v", err)
	}
	if _, err := e.s.Policy.Sign(e.ctx, e.actor("dept_tax"), run.ID, "样本核对无误"); fault.KindOf(err) != fault.Invalid {
		e.t.Fatalf("the editor signed off their own run: %v", err)
	}
	if _, err := e.s.Policy.Sign(e.ctx, e.actor("dept_tax2"), run.ID, "样本核对无误"); err != nil {
		e.t.Fatalf("sign: %v", err)
	}
	pub, err := e.s.Policy.Publish(e.ctx, e.actor("dept_tax"), b.ID, b.Version)
	if err != nil {
		e.t.Fatalf("publish: %v", err)
	}
	return pub.Benefit, run, pub
}

func TestFlow(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		big, small, none := e.ent(c111, 1, 0), e.ent(c111, 1, 1), e.ent(c112, 1, 0)
		e.fact(big, "employees", "2026-03-02", 60, dossier.Department)
		e.fact(big, "revenue", "2025", 30_000_000, dossier.Department)
		e.fact(small, "employees", "2026-03-02", 20, dossier.Department)
		e.fact(small, "revenue", "2025", 5_000_000, dossier.Declared)
		p := e.policyOf()

		// a benefit to apply for: 50 employees or more, revenue of 2025 from the tax data
		b := policy.Benefit{Title: "稳岗补贴", Kind: policy.Subsidy, Mode: policy.Apply, Materials: []string{"社保缴费证明"},
			Conditions: []policy.Condition{{Field: "employees", Op: policy.Ge, Value: "50"},
				{Field: "revenue", Op: policy.Ge, Value: "100", Period: "2025", Authoritative: true}},
			Amount: policy.AmountRule{Kind: "per_head", Yuan: 1000, Base: "employees", Cap: 500_000}, Budget: 10_000_000}
		b, run, pub := e.benefit(p, b)
		if run.Met != 1 || run.NotMet != 47 {
			t.Fatalf("dry run: met %d, maybe %d, not %d", run.Met, run.Maybe, run.NotMet)
		}
		if pub.Told != run.Met+run.Maybe {
			t.Fatalf("told %d, want %d", pub.Told, run.Met+run.Maybe)
		}

		// the qualifying enterprise sees it privately, with its amount
		cu, err := e.s.Policy.CheckUp(e.ctx, e.actor("ent_"+c111), big)
		if err != nil || len(cu.Items) != 1 || cu.Items[0].Verdict != policy.Met || cu.Items[0].Amount != 60_000 {
			t.Fatalf("check-up: %+v, %v", cu, err)
		}
		// another enterprise's check-up is out of reach
		if _, err := e.s.Policy.CheckUp(e.ctx, e.actor("ent_"+c111), none); !fault.Is(err, fault.NotFound) {
			t.Fatalf("another's check-up: %v", err)
		}
		// the small one may qualify: its revenue is declared; it is not met on employees
		cu, err = e.s.Policy.CheckUp(e.ctx, e.actor("community_"+c111), small)
		if err != nil || cu.Items[0].Verdict != policy.NotMet {
			t.Fatalf("small check-up: %+v, %v", cu.Items, err)
		}
		// the grid worker's to-do counts the qualifying enterprise that has not applied
		items, n, err := e.s.Policy.Todo(e.ctx, e.actor("grid_"+c111+"001"), "policy.chase", 10)
		if err != nil || n != 1 || items[0].Ref != "1" {
			t.Fatalf("grid to-do: %+v %d %v", items, n, err)
		}

		// apply, ask for more, resubmit, approve, pay
		mats := []policy.Material{{Name: "社保缴费证明", Given: "见附件"}}
		c, err := e.s.Policy.Apply(e.ctx, e.actor("ent_"+c111), b.ID, big, mats)
		if err != nil {
			t.Fatalf("apply: %v", err)
		}
		if _, err := e.s.Policy.Apply(e.ctx, e.actor("ent_"+c111), b.ID, big, mats); !fault.Is(err, fault.Conflict) {
			t.Fatalf("applied twice: %v", err)
		}
		if _, err := e.s.Policy.Apply(e.ctx, e.actor("community_"+c111), b.ID, small, mats); fault.KindOf(err) != fault.Invalid {
			t.Fatalf("a non-qualifying application: %v", err)
		}
		if _, err := e.s.Policy.Act(e.ctx, e.actor("dept_hrss"), c.ID, c.Version, policydb.Step{Action: "approve"}); err == nil {
			t.Fatalf("another department approved")
		}
		c, err = e.s.Policy.Act(e.ctx, e.actor("dept_tax"), c.ID, c.Version, policydb.Step{Action: "ask_more"})
		if fault.KindOf(err) != fault.Invalid {
			t.Fatalf("ask_more without a note: %v", err)
		}
		c, err = e.s.Policy.Claim(e.ctx, e.actor("dept_tax"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c, err = e.s.Policy.Act(e.ctx, e.actor("dept_tax"), c.ID, c.Version, policydb.Step{Action: "ask_more", Note: "请补充 2026 年 1 月社保缴费证明"}); err != nil {
			t.Fatalf("ask_more: %v", err)
		}
		if c, err = e.s.Policy.Act(e.ctx, e.actor("ent_"+c111), c.ID, c.Version, policydb.Step{Action: "resubmit", Materials: mats}); err != nil {
			t.Fatalf("resubmit: %v", err)
		}
		if c, err = e.s.Policy.Act(e.ctx, e.actor("dept_tax"), c.ID, c.Version, policydb.Step{Action: "approve"}); err != nil || c.Granted != 60_000 {
			t.Fatalf("approve: %+v %v", c, err)
		}
		if c, err = e.s.Policy.Act(e.ctx, e.actor("dept_tax"), c.ID, c.Version, policydb.Step{Action: "pay"}); err != nil {
			t.Fatalf("pay: %v", err)
		}
		if c, err = e.s.Policy.Act(e.ctx, e.actor("dept_tax"), c.ID, c.Version, policydb.Step{Action: "claw_back", ClawBack: 10_000, Note: "参保人数有误"}); err != nil || c.State != policy.ClawedBack {
			t.Fatalf("claw back: %+v %v", c, err)
		}

		// a supplied fact makes a possibly-eligible enterprise qualify
		mid := e.ent(c111, 2, 0)
		e.fact(mid, "employees", "2026-03-02", 80, dossier.Department)
		cu, err = e.s.Policy.CheckUp(e.ctx, e.actor("community_"+c111), mid)
		if err != nil || cu.Items[0].Verdict != policy.Unknown || cu.Items[0].Supply == nil || cu.Items[0].Supply.Field != "revenue" {
			t.Fatalf("maybe check-up: %+v, %v", cu.Items, err)
		}
		e.fact(mid, "revenue", "2025", 20_000_000, dossier.Department)
		if n, err := e.s.Policy.Reevaluate(e.ctx); err != nil || n < 1 {
			t.Fatalf("reevaluate: %d %v", n, err)
		}
		cu, err = e.s.Policy.CheckUp(e.ctx, e.actor("community_"+c111), mid)
		if err != nil || cu.Items[0].Verdict != policy.Met || !cu.Items[0].Told {
			t.Fatalf("after the fact: %+v, %v", cu.Items, err)
		}

		// 免申即享: matched, confirmed, noticed, approved after the notice, exported, paid
		auto := policy.Benefit{Title: "小微企业房租补贴", Kind: policy.FeeRelief, Mode: policy.Auto, NoticeDays: 5,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: d1}, {Field: "employees", Op: policy.Ge, Value: "50"}},
			Amount:     policy.AmountRule{Kind: "fixed", Yuan: 20_000}}
		auto, _, pub = e.benefit(p, auto)
		if pub.Matched != 2 {
			t.Fatalf("matched %d, want 2", pub.Matched)
		}
		list, total, err := e.s.Policy.Claims(e.ctx, e.actor("ent_"+c111), policydb.ClaimQuery{Benefit: auto.ID})
		if err != nil || total != 1 || list[0].State != policy.Matched {
			t.Fatalf("the enterprise's match: %+v %d %v", list, total, err)
		}
		if _, err := e.s.Policy.Confirm(e.ctx, e.actor("ent_"+c111), list[0].ID, list[0].Version, "宁波银行北仑支行", "12345"); fault.KindOf(err) != fault.Invalid {
			t.Fatalf("a short account: %v", err)
		}
		cl, err := e.s.Policy.Confirm(e.ctx, e.actor("ent_"+c111), list[0].ID, list[0].Version, "宁波银行北仑支行", "6222 0000 1234 5678")
		if err != nil {
			t.Fatalf("confirm: %v", err)
		}
		if seen, _ := e.s.Policy.Claim(e.ctx, e.actor("community_"+c111), cl.ID); seen.Account == "6222000012345678" {
			t.Fatalf("the community sees the account unmasked")
		}
		nt, err := e.s.Policy.CreateNotice(e.ctx, e.actor("dept_tax"), auto.ID)
		if err != nil || nt.Entries != 1 {
			t.Fatalf("notice: %+v %v", nt, err)
		}
		if _, err := e.s.Policy.ApproveNotice(e.ctx, e.actor("dept_tax"), nt.ID); fault.KindOf(err) != fault.Invalid {
			t.Fatalf("approved during the notice: %v", err)
		}
		e.s.Clock.Advance(6 * 24 * time.Hour)
		if nt, err = e.s.Policy.ApproveNotice(e.ctx, e.actor("dept_tax"), nt.ID); err != nil || nt.Rows[0].State != policy.Approved {
			t.Fatalf("approve notice: %+v %v", nt, err)
		}
		rows, err := e.s.Policy.PayList(e.ctx, e.actor("dept_tax"), auto.ID, policy.Approved)
		if err != nil || len(rows) != 1 || rows[0].Account != "6222000012345678" || rows[0].Amount != 20_000 {
			t.Fatalf("pay list: %+v %v", rows, err)
		}
		if n, err := e.s.Policy.PayAll(e.ctx, e.actor("dept_tax"), auto.ID); err != nil || n != 1 {
			t.Fatalf("pay all: %d %v", n, err)
		}

		// the funnel of the first benefit
		f, err := e.s.Policy.Funnel(e.ctx, e.actor("city"), policydb.FunnelQuery{Benefit: b.ID})
		if err != nil {
			t.Fatal(err)
		}
		tot := f[len(f)-1]
		if tot.Eligible != 2 || tot.Applied != 1 || tot.Approved != 1 || tot.Paid != 1 || tot.Granted != 60_000 || tot.PaidOut != 50_000 {
			t.Fatalf("funnel: %+v", tot)
		}
	})
}
