package policydb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// The helpers the scope, rules, races, figures and to-do tests share.

// wantCode fails the test unless err is a fault with code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if f := fault.As(err); f == nil || f.Code != code {
		t.Fatalf("error = %v; want code %s", err, code)
	}
}

// count runs a COUNT (or another single integer) query on the reader.
func (e *env) count(q string, args ...any) int64 {
	e.t.Helper()
	var n int64
	if err := store.Scan(e.s.Engine.Reader().Row(e.ctx, q, args...), &n); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// snapshot is every row of precise push a refusal must leave alone, as one
// string: the claims with their states and versions, the pushes with their
// verdicts, the benefits, the dry runs' sign-offs, the notices and the
// blacklist.
func (e *env) snapshot() string {
	e.t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT COUNT(*) FROM policy_claims",
		"SELECT COUNT(*) FROM policy_pushes",
		"SELECT COUNT(*) FROM policy_blacklist",
		"SELECT COUNT(*) FROM policy_notices",
		"SELECT COUNT(*) FROM policy_dryruns WHERE signed_by <> 0",
		"SELECT COUNT(*) FROM policy_benefits WHERE state = 'published'",
		"SELECT COALESCE(SUM(version), 0) FROM policy_claims",
		"SELECT COALESCE(SUM(version), 0) FROM policy_benefits",
		"SELECT COALESCE(SUM(version), 0) FROM policies",
		"SELECT COALESCE(SUM(granted), 0) FROM policy_claims",
		"SELECT COUNT(*) FROM policy_pushes WHERE verdict = 'met'",
		"SELECT COALESCE(SUM(approved_at), 0) FROM policy_notices",
	} {
		fmt.Fprintf(&b, "%d ", e.count(q))
	}
	rows, err := store.Collect(e.ctx, e.s.Engine.Reader(), func(sc store.Scanner) (string, error) {
		var id int64
		var state, bank, account string
		err := sc.Scan(&id, &state, &bank, &account)
		return fmt.Sprintf("%d:%s:%s:%s", id, state, bank, account), err
	}, "SELECT id, state, bank, account FROM policy_claims ORDER BY id")
	if err != nil {
		e.t.Fatal(err)
	}
	b.WriteString(strings.Join(rows, ","))
	return b.String()
}

// unchanged fails the test when the rows moved since before.
func (e *env) unchanged(before, what string) {
	e.t.Helper()
	if after := e.snapshot(); after != before {
		e.t.Errorf("%s changed the rows:\n before %s\n after  %s", what, before, after)
	}
}

// draft saves a draft benefit of p as dept_tax: the tax bureau's unless
// the benefit names its granting department, open from March to June.
func (e *env) draft(p policy.Policy, b policy.Benefit) policy.Benefit {
	e.t.Helper()
	b.PolicyID = p.ID
	if b.DepartmentID == 0 {
		b.DepartmentID = e.dept()
	}
	if b.Opens == "" {
		b.Opens, b.Closes = "2026-03-01", "2026-06-30"
	}
	b, err := e.s.Policy.SaveBenefit(e.ctx, e.actor("dept_tax"), b)
	if err != nil {
		e.t.Fatalf("save benefit %s: %v", b.Title, err)
	}
	return b
}

// grant saves, dry-runs, signs off (dept_tax2) and publishes a benefit as
// draft does, and checks that the publication told those the dry run
// counted.
func (e *env) grant(p policy.Policy, b policy.Benefit) (policy.Benefit, policydb.Published) {
	e.t.Helper()
	b = e.draft(p, b)
	run, err := e.s.Policy.DryRun(e.ctx, e.actor("dept_tax"), b.ID)
	if err != nil {
		e.t.Fatalf("dry run %s: %v", b.Title, err)
	}
	if _, err := e.s.Policy.Sign(e.ctx, e.actor("dept_tax2"), run.ID, "样本核对无误"); err != nil {
		e.t.Fatalf("sign %s: %v", b.Title, err)
	}
	pub, err := e.s.Policy.Publish(e.ctx, e.actor("dept_tax"), b.ID, b.Version)
	if err != nil {
		e.t.Fatalf("publish %s: %v", b.Title, err)
	}
	if pub.Told != run.Met+run.Maybe {
		e.t.Fatalf("%s told %d; the dry run counted %d + %d", b.Title, pub.Told, run.Met, run.Maybe)
	}
	return pub.Benefit, pub
}

// deptOf is the ID of a department by its code.
func (e *env) deptOf(code string) int64 {
	e.t.Helper()
	return e.actor("dept_" + code).DepartmentID
}

// claimOf is the claim of a benefit and an enterprise, as the administrator reads it.
func (e *env) claimOf(benefitID, enterpriseID int64) policy.Claim {
	e.t.Helper()
	list, _, err := e.s.Policy.Claims(e.ctx, e.actor("admin"), policydb.ClaimQuery{Benefit: benefitID, Enterprise: enterpriseID})
	if err != nil || len(list) == 0 {
		e.t.Fatalf("claim of benefit %d, enterprise %d: %v %v", benefitID, enterpriseID, list, err)
	}
	return list[len(list)-1]
}

// act takes a step of a claim at its current version.
func (e *env) act(who string, c policy.Claim, st policydb.Step) policy.Claim {
	e.t.Helper()
	c, err := e.s.Policy.Act(e.ctx, e.actor(who), c.ID, c.Version, st)
	if err != nil {
		e.t.Fatalf("%s %s claim %d: %v", who, st.Action, c.ID, err)
	}
	return c
}

// creditCode is the credit code of an enterprise of the fixture.
func (e *env) creditCode(id int64) string {
	e.t.Helper()
	for code, x := range e.ids {
		if x == id {
			return code
		}
	}
	e.t.Fatalf("no enterprise %d", id)
	return ""
}

var form = []policy.Material{{Name: "申请表", Given: "见附件"}}

// TestRules checks that every refusal of precise push says why, at its
// place, and leaves every row as it was.
func TestRules(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Policy, e.ctx
		tax, tax2, ent := e.actor("dept_tax"), e.actor("dept_tax2"), e.actor("ent_"+c111)
		E1, E2, E3 := e.ent(c111, 1, 0), e.ent(c111, 1, 1), e.ent(c111, 2, 0)
		p := e.policyOf()
		anyone := []policy.Condition{{Field: "industry", Op: policy.In, Value: "34"}}
		apply, _ := e.grant(p, policy.Benefit{Title: "研发补助", Kind: policy.Subsidy, Mode: policy.Apply, Materials: []string{"申请表"},
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 10_000}, Budget: 15_000})
		before := e.snapshot()
		refused := func(what string, err error, kind fault.Kind, code string) {
			t.Helper()
			if f := fault.As(err); f == nil || f.Kind != kind || (code != "" && f.Code != code) {
				t.Errorf("%s: %v; want %s %s", what, err, kind, code)
			}
			e.unchanged(before, what)
		}

		// the window
		later, _ := e.grant(p, policy.Benefit{Title: "二季度补助", Kind: policy.Subsidy, Mode: policy.Apply, Opens: "2026-04-01", Closes: "2026-06-30",
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 1000}})
		before = e.snapshot()
		_, err := s.Apply(ctx, ent, later.ID, E1, nil)
		refused("apply before the window", err, fault.Invalid, "policy_window_closed")

		// 免申即享 takes no application
		auto, pub := e.grant(p, policy.Benefit{Title: "免申补贴", Kind: policy.Subsidy, Mode: policy.Auto,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: c111 + "001"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 1000}})
		if pub.Matched != 3 {
			t.Fatalf("matched %d, want 3", pub.Matched)
		}
		before = e.snapshot()
		_, err = s.Apply(ctx, ent, auto.ID, E1, nil)
		refused("apply for a 免申即享 benefit", err, fault.Invalid, "policy_no_application")

		// not eligible: the message names the condition that fails
		big, _ := e.grant(p, policy.Benefit{Title: "规上企业奖励", Kind: policy.Subsidy, Mode: policy.Apply,
			Conditions: []policy.Condition{{Field: "industry", Op: policy.In, Value: "34"}, {Field: "employees", Op: policy.Ge, Value: "50"}},
			Amount:     policy.AmountRule{Kind: "fixed", Yuan: 1000}})
		before = e.snapshot()
		_, err = s.Apply(ctx, ent, big.ID, E1, nil)
		refused("apply when not eligible", err, fault.Invalid, "policy_not_eligible")
		if m := fault.As(err).Message; !strings.Contains(m.Zh, "从业人员") || !strings.Contains(m.Zh, "12") || !strings.Contains(m.En, "employees") ||
			strings.Contains(m.Zh, "行业") {
			t.Errorf("the refusal does not name (only) the failing condition: %+v", m)
		}
		// materials: each listed one given
		_, err = s.Apply(ctx, ent, apply.ID, E1, nil)
		if fields := fault.As(err); fields == nil || fields.Kind != fault.Invalid || fields.Fields["materials[0]"].Zh == "" {
			t.Errorf("apply without the materials: %v", err)
		}
		e.unchanged(before, "apply without the materials")

		// the blacklist: all or nothing, a problem per line
		bl := func() int64 { return e.count("SELECT COUNT(*) FROM policy_blacklist") }
		rows := []policydb.BlacklistRow{
			{Line: 2, CreditCode: e.creditCode(E2), Reason: "欠缴税款", From: "2026-01-01"},
			{Line: 3, CreditCode: "91330206XX0000000X", Reason: "欠缴税款", From: "2026-01-01"},
			{Line: 4, CreditCode: e.creditCode(E3), Reason: "", From: "2026-01-01"},
			{Line: 5, CreditCode: e.creditCode(E3), Reason: "欠缴税款", From: "2026-02-30"},
		}
		problems, err := s.ImportBlacklist(ctx, tax, "2026 年第 1 批", rows)
		if err != nil || len(problems) != 3 || problems[3].Zh == "" || problems[4].Zh == "" || problems[5].Zh == "" || bl() != 0 {
			t.Errorf("a bad import: problems %v, %v, %d rows recorded", problems, err, bl())
		}
		e.unchanged(before, "a bad import")
		_, err = s.ImportBlacklist(ctx, ent, "x", rows[:1])
		storetest.WantForbidden(t, err)
		_, err = s.ImportBlacklist(ctx, tax, "x", nil)
		wantCode(t, err, "empty_import")
		if problems, err := s.ImportBlacklist(ctx, tax, "2026 年第 1 批", rows[:1]); err != nil || len(problems) != 0 || bl() != 1 {
			t.Fatalf("a good import: %v %v, %d rows", problems, err, bl())
		}
		before = e.snapshot()
		_, err = s.Apply(ctx, e.actor("community_"+c111), apply.ID, E2, form)
		refused("apply while blacklisted", err, fault.Invalid, "policy_not_eligible")
		if m := fault.As(err).Message; strings.Contains(m.Zh, "欠缴税款") {
			t.Errorf("the refusal tells the blacklist's reason: %+v", m)
		}
		// a barring not yet in force does not bar
		if _, err := s.ImportBlacklist(ctx, tax, "2026 年第 2 批", []policydb.BlacklistRow{{Line: 2, CreditCode: e.creditCode(E3), Reason: "欠缴税款", From: "2026-05-01"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Apply(ctx, e.actor("community_"+c111), apply.ID, E3, form); err != nil {
			t.Errorf("apply with a barring from May: %v", err)
		}

		// stacking: one of an exclusive group
		one, _ := e.grant(p, policy.Benefit{Title: "首次上规奖励", Kind: policy.Subsidy, Mode: policy.Apply, StackGroup: "上规", Stack: policy.Exclusive,
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 100_000}})
		other, _ := e.grant(p, policy.Benefit{Title: "小升规奖励", Kind: policy.Subsidy, Mode: policy.Apply, StackGroup: "上规", Stack: policy.Exclusive,
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 50_000}})
		if _, err := s.Apply(ctx, ent, one.ID, E1, nil); err != nil {
			t.Fatalf("apply for the first of the group: %v", err)
		}
		before = e.snapshot()
		_, err = s.Apply(ctx, ent, other.ID, E1, nil)
		refused("apply for the second of an exclusive group", err, fault.Invalid, "policy_not_stackable")
		if m := fault.As(err).Message; !strings.Contains(m.Zh, "首次上规奖励") {
			t.Errorf("the refusal does not name the benefit held: %+v", m)
		}
		cu, err := s.CheckUp(ctx, ent, E1)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range cu.Items {
			switch it.Benefit.ID {
			case one.ID:
				if it.Stacking != nil || it.Claim == nil {
					t.Errorf("the benefit held: %+v", it)
				}
			case other.ID:
				if it.Stacking == nil || !strings.Contains(it.Stacking.Zh, "首次上规奖励") {
					t.Errorf("the other of the exclusive group is not barred: %+v", it.Stacking)
				}
			}
		}
		// a group's rule is one
		_, err = s.SaveBenefit(ctx, tax, policy.Benefit{PolicyID: p.ID, DepartmentID: e.dept(), Title: "第三项", Kind: policy.Subsidy, Mode: policy.Apply,
			StackGroup: "上规", Stack: policy.Higher, Opens: "2026-03-01", Closes: "2026-06-30", Conditions: anyone, Amount: policy.AmountRule{Kind: "none"}})
		storetest.WantField(t, err, "stack")

		// stacking: the higher of a group
		low, _ := e.grant(p, policy.Benefit{Title: "稳岗补贴（一档）", Kind: policy.Subsidy, Mode: policy.Apply, StackGroup: "稳岗", Stack: policy.Higher,
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 10_000}})
		high, _ := e.grant(p, policy.Benefit{Title: "稳岗补贴（二档）", Kind: policy.Subsidy, Mode: policy.Apply, StackGroup: "稳岗", Stack: policy.Higher,
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 30_000}})
		cu, err = s.CheckUp(ctx, e.actor("community_"+c111), E3)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, it := range cu.Items {
			switch it.Benefit.ID {
			case low.ID:
				found++
				if it.Stacking == nil || !strings.Contains(it.Stacking.Zh, "稳岗补贴（二档）") {
					t.Errorf("the lower of a higher group is not marked: %+v", it.Stacking)
				}
			case high.ID:
				found++
				if it.Stacking != nil {
					t.Errorf("the higher of the group is marked: %+v", it.Stacking)
				}
			}
		}
		if found != 2 {
			t.Errorf("the check-up lists %d of the group", found)
		}

		// publication: a signed dry run of the current version, by another
		b := e.draft(p, policy.Benefit{Title: "待发布补贴", Kind: policy.Subsidy, Mode: policy.Apply, Conditions: anyone,
			Amount: policy.AmountRule{Kind: "fixed", Yuan: 1000}})
		before = e.snapshot()
		_, err = s.Publish(ctx, tax, b.ID, b.Version)
		refused("publish without a dry run", err, fault.Invalid, "policy_not_signed")
		run, err := s.DryRun(ctx, tax, b.ID)
		if err != nil || run.Barred != 1 || run.Met != 47 || run.Maybe != 0 || run.NotMet != 0 {
			t.Fatalf("dry run with one enterprise barred: %+v %v", run, err)
		}
		before = e.snapshot()
		_, err = s.Publish(ctx, tax, b.ID, b.Version)
		refused("publish with the run unsigned", err, fault.Invalid, "policy_not_signed")
		_, err = s.Sign(ctx, tax, run.ID, "")
		refused("the editor signs off", err, fault.Invalid, "policy_four_eyes")
		_, err = s.Sign(ctx, e.actor("dept_hrss"), run.ID, "")
		refused("another department signs off", err, fault.NotFound, "")
		_, err = s.Sign(ctx, tax2, run.ID, strings.Repeat("长", 501))
		storetest.WantField(t, err, "note")
		// an edit after the run: the run is stale, and so is its sign-off
		b.Summary = "补充说明"
		if b, err = s.SaveBenefit(ctx, tax, b); err != nil {
			t.Fatal(err)
		}
		before = e.snapshot()
		_, err = s.Sign(ctx, tax2, run.ID, "")
		refused("sign off a stale run", err, fault.Conflict, "policy_stale")
		run2, err := s.DryRun(ctx, tax, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Sign(ctx, tax2, run2.ID, ""); err != nil {
			t.Fatal(err)
		}
		_, err = s.Sign(ctx, tax2, run2.ID, "")
		wantCode(t, err, "policy_stale")
		b.Summary = "再次修改"
		if b, err = s.SaveBenefit(ctx, tax2, b); err != nil {
			t.Fatal(err)
		}
		before = e.snapshot()
		_, err = s.Publish(ctx, tax, b.ID, b.Version)
		refused("publish after an edit past the signed run", err, fault.Invalid, "policy_not_signed")
		_, err = s.Publish(ctx, tax, b.ID, b.Version-1)
		refused("publish the signed version", err, fault.Conflict, "policy_stale")
		// tax2 edited last: tax2 may not sign, tax may
		run3, err := s.DryRun(ctx, tax2, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Sign(ctx, tax2, run3.ID, "")
		refused("the last editor signs off", err, fault.Invalid, "policy_four_eyes")
		if _, err := s.Sign(ctx, tax, run3.ID, ""); err != nil {
			t.Fatalf("the first editor signs off the second's edit: %v", err)
		}
		if _, err := s.Publish(ctx, e.actor("dept_hrss"), b.ID, b.Version); !fault.Is(err, fault.NotFound) {
			t.Errorf("another department publishes a draft: %v", err)
		}
		pb, err := s.Publish(ctx, tax, b.ID, b.Version)
		if err != nil {
			t.Fatal(err)
		}
		// a published benefit is not edited
		before = e.snapshot()
		pb.Benefit.Summary = "发布后修改"
		_, err = s.SaveBenefit(ctx, tax, pb.Benefit)
		refused("edit a published benefit", err, fault.Conflict, "policy_stale")
		_, err = s.DryRun(ctx, tax, b.ID)
		refused("dry-run a published benefit", err, fault.Conflict, "policy_state")
		_, err = s.Publish(ctx, tax, pb.Benefit.ID, pb.Benefit.Version)
		refused("publish twice", err, fault.Conflict, "policy_stale")

		// a benefit of a draft policy is not published
		dp, err := s.SavePolicy(ctx, tax, policy.Policy{Title: "草稿政策", Issuer: "宁波市人民政府", Published: "2026-02-01", InForce: "2026-02-01"})
		if err != nil {
			t.Fatal(err)
		}
		db := e.draft(dp, policy.Benefit{Title: "草稿政策的补贴", Kind: policy.Subsidy, Mode: policy.Apply, Conditions: anyone,
			Amount: policy.AmountRule{Kind: "fixed", Yuan: 1000}})
		drun, err := s.DryRun(ctx, tax, db.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Sign(ctx, tax2, drun.ID, ""); err != nil {
			t.Fatal(err)
		}
		before = e.snapshot()
		_, err = s.Publish(ctx, tax, db.ID, db.Version)
		refused("publish with the policy a draft", err, fault.Invalid, "policy_not_published")

		// the budget: 15 000 yuan, 10 000 each
		c1, err := s.Apply(ctx, ent, apply.ID, E1, form)
		if err != nil {
			t.Fatal(err)
		}
		c2 := e.claimOf(apply.ID, E3)
		c1 = e.act("dept_tax", c1, policydb.Step{Action: "approve"})
		before = e.snapshot()
		_, err = s.Act(ctx, tax, c2.ID, c2.Version, policydb.Step{Action: "approve"})
		refused("approve past the budget", err, fault.Invalid, "policy_budget")
		if _, err := s.Act(ctx, tax, c2.ID, c2.Version, policydb.Step{Action: "approve", Granted: 5_000}); err != nil {
			t.Errorf("approve within the budget: %v", err)
		}
		before = e.snapshot()
		_, err = s.Act(ctx, tax, c1.ID, c1.Version, policydb.Step{Action: "claw_back", ClawBack: 1})
		refused("claw back an unpaid claim", err, fault.Conflict, "policy_claim_state")
		c1 = e.act("dept_tax", c1, policydb.Step{Action: "pay"})
		before = e.snapshot()
		_, err = s.Act(ctx, tax, c1.ID, c1.Version, policydb.Step{Action: "claw_back", ClawBack: 10_001, Note: "多付"})
		storetest.WantField(t, err, "claw_back")
		_, err = s.Act(ctx, tax, c1.ID, c1.Version, policydb.Step{Action: "claw_back", ClawBack: 100})
		storetest.WantField(t, err, "note")
		e.unchanged(before, "a bad clawback")

		// the version, the department, the party
		c3, err := s.Apply(ctx, e.actor("grid_"+c111+"001"), apply.ID, e.ent(c111, 1, 2), form)
		if err != nil {
			t.Fatal(err)
		}
		before = e.snapshot()
		_, err = s.Act(ctx, tax, c3.ID, c3.Version+1, policydb.Step{Action: "refuse", Note: "材料不全"})
		refused("act at a stale version", err, fault.Conflict, "")
		_, err = s.Act(ctx, tax, c3.ID, c3.Version-1, policydb.Step{Action: "refuse", Note: "材料不全"})
		refused("act at an old version", err, fault.Conflict, "")
		_, err = s.Act(ctx, e.actor("dept_hrss"), c3.ID, c3.Version, policydb.Step{Action: "refuse", Note: "材料不全"})
		refused("another department refuses", err, fault.NotFound, "")
		_, err = s.Act(ctx, e.actor("dept_hrss"), c3.ID, c3.Version, policydb.Step{Action: "approve"})
		refused("another department approves", err, fault.NotFound, "")
		_, err = s.Act(ctx, e.actor("grid_"+c111+"001"), c3.ID, c3.Version, policydb.Step{Action: "approve"})
		refused("the grid worker approves", err, fault.Forbidden, "")
		_, err = s.Act(ctx, tax, c3.ID, c3.Version, policydb.Step{Action: "withdraw"})
		refused("the department withdraws the enterprise's application", err, fault.Forbidden, "")
		_, err = s.Act(ctx, tax, c3.ID, c3.Version, policydb.Step{Action: "hand_over", Ref: "ZJ-1"})
		refused("hand over a benefit reviewed in qifu", err, fault.Invalid, "policy_no_platform")
		_, err = s.Act(ctx, tax, c3.ID, c3.Version, policydb.Step{Action: "fly"})
		refused("an unknown action", err, fault.Invalid, "policy_claim_action")
		_, err = s.Act(ctx, tax, c3.ID, c3.Version, policydb.Step{Action: "refuse"})
		storetest.WantField(t, err, "note")
		e.unchanged(before, "refuse without a reason")
		own := e.claimOf(one.ID, E1)
		_, err = s.Act(ctx, ent, own.ID, own.Version, policydb.Step{Action: "approve"})
		refused("the enterprise approves its own", err, fault.Forbidden, "")
		_, err = s.Act(ctx, ent, own.ID, own.Version, policydb.Step{Action: "ask_more", Note: "x"})
		refused("the enterprise asks itself for more", err, fault.Forbidden, "")
		_, err = s.Act(ctx, ent, c3.ID, c3.Version, policydb.Step{Action: "withdraw"})
		refused("an enterprise withdraws another's application", err, fault.NotFound, "")
		_, err = s.Act(ctx, e.actor("street_"+c111[:9]), c3.ID, c3.Version, policydb.Step{Action: "withdraw"})
		refused("the street withdraws an application", err, fault.Forbidden, "")
		_, err = s.Act(ctx, e.actor("community_"+c211), c3.ID, c3.Version, policydb.Step{Action: "withdraw"})
		refused("another district's community withdraws", err, fault.NotFound, "")

		// 免申即享: the account, the notice's period
		m1, m2 := e.claimOf(auto.ID, E1), e.claimOf(auto.ID, E2)
		for _, bad := range []struct{ bank, account, field string }{
			{"宁波银行", "12345", "account"}, {"", "6222000012345678", "bank"}, {"宁波银行", "6222-0000-1234", "account"},
		} {
			_, err = s.Confirm(ctx, ent, m1.ID, m1.Version, bad.bank, bad.account)
			storetest.WantField(t, err, bad.field)
		}
		_, err = s.Act(ctx, ent, m1.ID, m1.Version, policydb.Step{Action: "confirm"})
		wantCode(t, err, "policy_claim_action")
		e.unchanged(before, "confirm with a bad account")
		if _, err := s.Confirm(ctx, ent, m1.ID, m1.Version, "宁波银行北仑支行", "6222 0000 1234 5678"); err != nil {
			t.Fatal(err)
		}
		_, err = s.Confirm(ctx, ent, m1.ID, m1.Version, "宁波银行北仑支行", "6222000012345678")
		storetest.WantKind(t, err, fault.Conflict)
		_, err = s.Confirm(ctx, e.actor("dept_tax"), m2.ID, m2.Version, "宁波银行北仑支行", "6222000012345678")
		storetest.WantForbidden(t, err)
		before = e.snapshot()
		_, err = s.CreateNotice(ctx, e.actor("dept_hrss"), auto.ID)
		refused("another department notices", err, fault.Forbidden, "")
		_, err = s.CreateNotice(ctx, tax, apply.ID)
		refused("notice an application benefit", err, fault.Invalid, "policy_no_notice")
		n, err := s.CreateNotice(ctx, tax, auto.ID)
		if err != nil || n.Entries != 1 || n.Amount != 1000 {
			t.Fatalf("notice: %+v %v", n, err)
		}
		before = e.snapshot()
		_, err = s.CreateNotice(ctx, tax, auto.ID)
		refused("notice an empty list", err, fault.Invalid, "policy_notice_empty")
		_, err = s.ApproveNotice(ctx, tax, n.ID)
		refused("approve a notice in its period", err, fault.Invalid, "policy_notice_open")
		e.s.Clock.Advance(4 * 24 * time.Hour) // the last day of the notice
		_, err = s.ApproveNotice(ctx, tax, n.ID)
		refused("approve a notice on its last day", err, fault.Invalid, "policy_notice_open")
		e.s.Clock.Advance(24 * time.Hour)
		_, err = s.ApproveNotice(ctx, e.actor("dept_hrss"), n.ID)
		refused("another department approves a notice", err, fault.Forbidden, "") // the notice is public; approving it is not hrss's
		if _, err := s.ApproveNotice(ctx, tax, n.ID); err != nil {
			t.Errorf("approve the notice after its period: %v", err)
		}

		// the conditions, each refusal at its place
		bad := policy.Benefit{PolicyID: p.ID, DepartmentID: e.dept(), Title: "条件有误", Kind: policy.Subsidy, Mode: policy.Apply,
			Opens: "2026-03-01", Closes: "2026-06-30", Amount: policy.AmountRule{Kind: "fixed", Yuan: 1000}}
		before = e.snapshot()
		for _, tc := range []struct {
			conds []policy.Condition
			key   string
		}{
			{[]policy.Condition{{Field: "industry", Op: policy.In, Value: "34"}, {Field: "employees", Op: policy.Ge, Value: "五十"}}, "conditions[1].value"},
			{[]policy.Condition{{Field: "industry", Op: policy.In, Value: "34"}, {Field: "headcount", Op: policy.Ge, Value: "5"}}, "conditions[1].field"},
			{[]policy.Condition{{Field: "industry", Op: policy.In, Value: "34"}, {Field: "size", Op: policy.Ge, Value: "small"}}, "conditions[1].op"},
			{[]policy.Condition{{Field: "industry", Op: policy.In, Value: "99x"}}, "conditions[0].value"},
			{[]policy.Condition{{CEL: "employees >"}}, "conditions[0].cel"},
			{[]policy.Condition{{Field: "revenue", Op: policy.Ge, Value: "100", Period: "25"}}, "conditions[0].period"},
			{nil, "conditions"},
		} {
			b := bad
			b.Conditions = tc.conds
			_, err := s.SaveBenefit(ctx, tax, b)
			if f := fault.As(err); f == nil || f.Fields[tc.key].Zh == "" {
				t.Errorf("conditions %+v: %v; want a message at %s", tc.conds, err, tc.key)
			}
		}
		bad.Conditions = []policy.Condition{{Field: "region", Op: policy.In, Value: d1 + ",330299"}}
		_, err = s.SaveBenefit(ctx, tax, bad)
		storetest.WantField(t, err, "conditions")
		if !strings.Contains(fault.As(err).Fields["conditions"].Zh, "330299") {
			t.Errorf("the unknown region is not named: %+v", fault.As(err).Fields)
		}
		bad.Conditions = anyone
		bad.DepartmentID = 1 << 40
		_, err = s.SaveBenefit(ctx, tax, bad)
		storetest.WantField(t, err, "department_id")
		bad.DepartmentID = e.dept()
		_, err = s.SaveBenefit(ctx, e.actor("dept_hrss"), bad)
		storetest.WantForbidden(t, err)
		_, err = s.SaveBenefit(ctx, e.actor("community_"+c111), bad)
		storetest.WantForbidden(t, err)
		_, err = s.SavePolicy(ctx, e.actor("dept_hrss"), policy.Policy{Title: "代发", Issuer: "宁波市人民政府", Published: "2026-02-01",
			InForce: "2026-02-01", DepartmentID: e.dept()})
		storetest.WantField(t, err, "department_id")
		e.unchanged(before, "refused benefits")
	})
}

// TestBlacklistBarsConfirm: a barring in force bars the enterprise from
// every benefit (policy.Barring), so a 免申即享 match made before it was
// imported is not confirmed, noticed nor approved while it holds.
func TestBlacklistBarsConfirm(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Policy, e.ctx
		E1 := e.ent(c111, 1, 0)
		auto, pub := e.grant(e.policyOf(), policy.Benefit{Title: "免申补贴", Kind: policy.Subsidy, Mode: policy.Auto,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: c111 + "001"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 1000}})
		if pub.Matched != 3 {
			t.Fatalf("matched %d", pub.Matched)
		}
		if problems, err := s.ImportBlacklist(ctx, e.actor("dept_tax"), "x", []policydb.BlacklistRow{{Line: 2, CreditCode: e.creditCode(E1),
			Reason: "欠缴税款", From: "2026-01-01"}}); err != nil || len(problems) != 0 {
			t.Fatalf("import: %v %v", problems, err)
		}
		m := e.claimOf(auto.ID, E1)
		before := e.snapshot()
		_, err := s.Confirm(ctx, e.actor("ent_"+c111), m.ID, m.Version, "宁波银行北仑支行", "6222000012345678")
		wantCode(t, err, "policy_not_eligible")
		e.unchanged(before, "a barred enterprise's confirmation")
	})
}
