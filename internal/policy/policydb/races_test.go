package policydb_test

import (
	"fmt"
	"testing"
	"time"

	"qifu/internal/dossier"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// inbox counts the notices of a kind a user holds that lead to href.
func (e *env) inbox(username, kind, href string) int64 {
	e.t.Helper()
	return e.count("SELECT COUNT(*) FROM inbox WHERE user_id = ? AND kind = ? AND href = ?", e.actor(username).UserID, kind, href)
}

// TestRaces runs the changes that meet at once on both stores: the same
// application from many hands, a confirmation against a decline, a notice
// against a confirmation, two publications, the scheduler's re-evaluation
// on several instances and two approvals of one notice.
func TestRaces(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Policy, e.ctx
		tax := e.actor("dept_tax")
		p := e.policyOf()
		anyone := []policy.Condition{{Field: "industry", Op: policy.In, Value: "34"}}

		// Eight hands apply for the same benefit and enterprise: one claim.
		b, _ := e.grant(p, policy.Benefit{Title: "研发补助", Kind: policy.Subsidy, Mode: policy.Apply, Materials: []string{"申请表"},
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 10_000}})
		E1 := e.ent(c111, 1, 0)
		hands := []string{"ent_" + c111, "community_" + c111, "grid_" + c111 + "001", "admin"}
		var fns []func() error
		for i := range 8 {
			fns = append(fns, func() error {
				_, err := s.Apply(ctx, e.actor(hands[i%len(hands)]), b.ID, E1, form)
				return err
			})
		}
		storetest.OneWins(t, "eight applications", storetest.Race(fns...), fault.Conflict, "policy_claim_exists")
		if n := e.count("SELECT COUNT(*) FROM policy_claims WHERE benefit_id = ? AND enterprise_id = ?", b.ID, E1); n != 1 {
			t.Errorf("%d claims of one benefit and enterprise", n)
		}
		if n := e.inbox("dept_tax", "policy.review", fmt.Sprintf("/policy/claims/%d", e.claimOf(b.ID, E1).ID)); n != 1 {
			t.Errorf("the department was told %d times of the application", n)
		}

		// A confirmation against a decline, three times: one wins.
		autoC, _ := e.grant(p, policy.Benefit{Title: "房租补贴", Kind: policy.FeeRelief, Mode: policy.Auto,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: c111 + "001"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 1000}})
		for i := range 3 {
			m := e.claimOf(autoC.ID, e.ent(c111, 1, i))
			var got [2]policy.Claim
			errs := storetest.Race(func() error {
				var err error
				got[0], err = s.Confirm(ctx, e.actor("community_"+c111), m.ID, m.Version, "宁波银行", "6222000012345678")
				return err
			}, func() error {
				var err error
				got[1], err = s.Act(ctx, e.actor("grid_"+c111+"001"), m.ID, m.Version, policydb.Step{Action: "decline"})
				return err
			})
			w := storetest.OneWins(t, "confirm against decline", errs, fault.Conflict, "")
			if w < 0 {
				continue
			}
			now := e.claimOf(autoC.ID, m.EnterpriseID)
			if now.State != got[w].State || now.Version != m.Version+1 {
				t.Errorf("the claim is %s v%d; the winner made it %s v%d", now.State, now.Version, got[w].State, m.Version+1)
			}
		}

		// A notice against a confirmation: the confirmed claim is on the
		// notice or still confirmed, never lost.
		autoN, _ := e.grant(p, policy.Benefit{Title: "用电补贴", Kind: policy.FeeRelief, Mode: policy.Auto, NoticeDays: 3,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: c211 + "001," + c112 + "001"}},
			Amount:     policy.AmountRule{Kind: "fixed", Yuan: 2000}})
		matched, _, err := s.Claims(ctx, e.actor("admin"), policydb.ClaimQuery{Benefit: autoN.ID})
		if err != nil || len(matched) != 6 {
			t.Fatalf("matched %v %v", matched, err)
		}
		confirm := func(c policy.Claim) error {
			_, err := s.Confirm(ctx, e.actor("admin"), c.ID, c.Version, "宁波银行", "6222000012345678")
			return err
		}
		confirmed := map[int64]bool{}
		var notices []int64
		for round := range 3 {
			first, racer := matched[2*round], matched[2*round+1]
			if err := confirm(first); err != nil {
				t.Fatal(err)
			}
			confirmed[first.ID] = true
			var n policydb.Notice
			errs := storetest.Race(func() error {
				var err error
				n, err = s.CreateNotice(ctx, tax, autoN.ID)
				return err
			}, func() error { return confirm(racer) })
			if errs[1] != nil {
				t.Errorf("round %d: the confirmation lost: %v", round, errs[1])
			} else {
				confirmed[racer.ID] = true
			}
			switch {
			case errs[0] == nil:
				notices = append(notices, n.ID)
			case !fault.Is(errs[0], fault.Conflict):
				t.Errorf("round %d: the notice failed with %v", round, errs[0])
			}
		}
		if len(notices) == 0 { // each lost its race: the list is noticed now
			n, err := s.CreateNotice(ctx, tax, autoN.ID)
			if err != nil {
				t.Fatal(err)
			}
			notices = append(notices, n.ID)
		}
		type crow struct {
			id, notice, amount int64
			state              string
		}
		rows, err := store.Collect(ctx, e.s.Engine.Reader(), func(sc store.Scanner) (crow, error) {
			var r crow
			return r, sc.Scan(&r.id, &r.notice, &r.amount, &r.state)
		}, "SELECT id, notice_id, amount, state FROM policy_claims WHERE benefit_id = ? ORDER BY id", autoN.ID)
		if err != nil {
			t.Fatal(err)
		}
		on := map[int64]int64{}
		sum := map[int64]int64{}
		for _, r := range rows {
			switch {
			case confirmed[r.id] && r.state == policy.Noticed && r.notice != 0:
				on[r.notice]++
				sum[r.notice] += r.amount
			case confirmed[r.id] && r.state == policy.Confirmed && r.notice == 0:
			case !confirmed[r.id] && r.state == policy.Matched && r.notice == 0:
			default:
				t.Errorf("claim %d (confirmed %v) is %s on notice %d", r.id, confirmed[r.id], r.state, r.notice)
			}
		}
		for _, id := range notices {
			n, err := s.Notice(ctx, id)
			if err != nil || int64(n.Entries) != on[id] || n.Amount != sum[id] || len(n.Rows) != n.Entries {
				t.Errorf("notice %d: %d entries, %d yuan, %d rows (%v); the claims on it: %d, %d yuan", id, n.Entries, n.Amount, len(n.Rows), err, on[id], sum[id])
			}
		}

		// Two approvals of one notice, after its period: one wins.
		e.s.Clock.Advance(4 * 24 * time.Hour)
		nid := notices[0]
		before := e.count("SELECT COALESCE(SUM(version), 0) FROM policy_claims WHERE notice_id = ?", nid)
		errs := storetest.Race(func() error {
			_, err := s.ApproveNotice(ctx, tax, nid)
			return err
		}, func() error {
			_, err := s.ApproveNotice(ctx, e.actor("dept_tax2"), nid)
			return err
		})
		storetest.OneWins(t, "two approvals of a notice", errs, fault.Conflict, "policy_stale")
		if after := e.count("SELECT COALESCE(SUM(version), 0) FROM policy_claims WHERE notice_id = ?", nid); after != before+on[nid] {
			t.Errorf("the claims on the notice moved %d versions, want %d", after-before, on[nid])
		}
		if n := e.count("SELECT COUNT(*) FROM policy_claims WHERE notice_id = ? AND (state <> 'approved' OR granted <> amount)", nid); n != 0 {
			t.Errorf("%d claims of the approved notice are not approved at their amount", n)
		}
		if n := e.count("SELECT COUNT(*) FROM policy_notices WHERE id = ? AND approved_at > 0", nid); n != 1 {
			t.Errorf("the notice is not approved")
		}

		// Two publications of the same version: told once.
		pb := e.draft(p, policy.Benefit{Title: "稳岗补贴", Kind: policy.Subsidy, Mode: policy.Auto,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: d2}, {Field: "revenue", Op: policy.Ge, Value: "100", Period: "2025"}},
			Amount:     policy.AmountRule{Kind: "fixed", Yuan: 3000}})
		run, err := s.DryRun(ctx, tax, pb.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Sign(ctx, e.actor("dept_tax2"), run.ID, ""); err != nil {
			t.Fatal(err)
		}
		var pubs [2]policydb.Published
		errs = storetest.Race(func() error {
			var err error
			pubs[0], err = s.Publish(ctx, tax, pb.ID, pb.Version)
			return err
		}, func() error {
			var err error
			pubs[1], err = s.Publish(ctx, e.actor("admin"), pb.ID, pb.Version)
			return err
		})
		if w := storetest.OneWins(t, "two publications", errs, fault.Conflict, "policy_stale"); w >= 0 {
			if pubs[w].Told != run.Met+run.Maybe || pubs[w].Matched != run.Met {
				t.Errorf("published: told %d, matched %d; the run: %d met, %d maybe", pubs[w].Told, pubs[w].Matched, run.Met, run.Maybe)
			}
		}
		if run.Met != 24 {
			t.Errorf("the run: %+v", run)
		}
		if n := e.count("SELECT COUNT(*) FROM policy_pushes WHERE benefit_id = ?", pb.ID); n != int64(run.Met+run.Maybe) {
			t.Errorf("%d pushes, the run counted %d", n, run.Met+run.Maybe)
		}
		if n := e.count("SELECT COUNT(*) FROM policy_claims WHERE benefit_id = ?", pb.ID); n != int64(run.Met) {
			t.Errorf("%d matched claims, the run counted %d", n, run.Met)
		}
		if n := e.inbox("ent_"+c211, "policy.push", fmt.Sprintf("/policy/benefits/%d", pb.ID)); n != 1 {
			t.Errorf("the enterprise was told %d times", n)
		}
		if n := e.s.AuditCount(t, store.AuditQuery{Action: "policy.publish", Target: fmt.Sprintf("policy_benefit/%d", pb.ID)}); n != 1 {
			t.Errorf("%d publications audited", n)
		}

		// The scheduler on four instances after a change of facts: each
		// push and match made once.
		rb, _ := e.grant(p, policy.Benefit{Title: "纳税大户奖励", Kind: policy.Subsidy, Mode: policy.Auto,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: c211 + "001"},
				{Field: "revenue", Op: policy.Ge, Value: "200", Period: "2025", Authoritative: true}},
			Amount: policy.AmountRule{Kind: "fixed", Yuan: 50_000}})
		eb, _ := e.grant(p, policy.Benefit{Title: "规上奖励", Kind: policy.Subsidy, Mode: policy.Apply,
			Conditions: []policy.Condition{{Field: "employees", Op: policy.Ge, Value: "50"}},
			Amount:     policy.AmountRule{Kind: "fixed", Yuan: 1000}})
		if err := s.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		e.s.Clock.Advance(time.Minute)
		E4, E4b := e.ent(c211, 1, 0), e.ent(c211, 1, 1)
		e.fact(E4, "revenue", "2025", 30_000_000, dossier.Department)
		e.fact(E4b, "employees", "2026-03-06", 60, dossier.Department)
		pushesBefore := e.count("SELECT COUNT(*) FROM policy_pushes")
		claimsBefore := e.count("SELECT COUNT(*) FROM policy_claims")
		told := make([]int, 4)
		errs = storetest.Race(func() error {
			var err error
			told[0], err = s.Reevaluate(ctx)
			return err
		}, func() error {
			var err error
			told[1], err = s.Reevaluate(ctx)
			return err
		}, func() error {
			var err error
			told[2], err = s.Reevaluate(ctx)
			return err
		}, func() error {
			var err error
			told[3], err = s.Reevaluate(ctx)
			return err
		})
		for i, err := range errs {
			if err != nil {
				t.Errorf("re-evaluation %d: %v", i, err)
			}
		}
		if told[0]+told[1]+told[2]+told[3] != 2 {
			t.Errorf("the re-evaluations told %v; want 2 in all", told)
		}
		if n := e.count("SELECT COUNT(*) FROM policy_pushes"); n != pushesBefore+1 {
			t.Errorf("%d new pushes, want 1", n-pushesBefore)
		}
		if n := e.count("SELECT COUNT(*) FROM policy_claims"); n != claimsBefore+1 {
			t.Errorf("%d new claims, want 1", n-claimsBefore)
		}
		if n := e.count("SELECT COUNT(*) FROM policy_pushes WHERE benefit_id = ? AND verdict = 'met'", rb.ID); n != 1 {
			t.Errorf("%d met pushes of the re-evaluated benefit", n)
		}
		if n := e.count("SELECT COUNT(*) FROM policy_pushes WHERE benefit_id = ? AND enterprise_id = ?", eb.ID, E4b); n != 1 {
			t.Errorf("the enterprise that now qualifies was pushed %d times", n)
		}
		if n := e.count("SELECT COUNT(*) FROM policy_claims WHERE benefit_id = ? AND enterprise_id = ? AND state = 'matched'", rb.ID, E4); n != 1 {
			t.Errorf("%d matches of the enterprise that now qualifies", n)
		}
		if n := e.inbox("ent_"+c211, "policy.push", fmt.Sprintf("/policy/benefits/%d", rb.ID)); n != 2 {
			t.Errorf("the enterprise was told %d times (published as maybe, then met); want 2", n)
		}
		if n, err := s.Reevaluate(ctx); n != 0 || err != nil {
			t.Errorf("a second run: %d %v", n, err)
		}
	})
}

// TestRaceExclusiveGroup: two benefits of an exclusive group applied for
// at once for one enterprise — one claim holds, the other is refused.
func TestRaceExclusiveGroup(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Policy, e.ctx
		p := e.policyOf()
		anyone := []policy.Condition{{Field: "industry", Op: policy.In, Value: "34"}}
		one, _ := e.grant(p, policy.Benefit{Title: "首次上规奖励", Kind: policy.Subsidy, Mode: policy.Apply, StackGroup: "上规", Stack: policy.Exclusive,
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 100_000}})
		other, _ := e.grant(p, policy.Benefit{Title: "小升规奖励", Kind: policy.Subsidy, Mode: policy.Apply, StackGroup: "上规", Stack: policy.Exclusive,
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 50_000}})
		for i := range 3 {
			E := e.ent(c111, 1, i)
			errs := storetest.Race(func() error {
				_, err := s.Apply(ctx, e.actor("admin"), one.ID, E, nil)
				return err
			}, func() error {
				_, err := s.Apply(ctx, e.actor("community_"+c111), other.ID, E, nil)
				return err
			})
			storetest.OneWins(t, "two of an exclusive group", errs, fault.Invalid, "policy_not_stackable")
			if n := e.count(`SELECT COUNT(*) FROM policy_claims c JOIN policy_benefits b ON b.id = c.benefit_id
				WHERE c.enterprise_id = ? AND b.stack_group = '上规'`, E); n != 1 {
				t.Errorf("enterprise %d holds %d benefits of an exclusive group", E, n)
			}
		}
	})
}

// TestRaceBudget: two approvals at once within a budget for one — one is
// approved, the other refused, the budget never passed.
func TestRaceBudget(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Policy, e.ctx
		b, _ := e.grant(e.policyOf(), policy.Benefit{Title: "研发补助", Kind: policy.Subsidy, Mode: policy.Apply, Budget: 15_000,
			Conditions: []policy.Condition{{Field: "industry", Op: policy.In, Value: "34"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 10_000}})
		for round := range 3 {
			var cs [2]policy.Claim
			for i := range cs {
				c, err := s.Apply(ctx, e.actor("admin"), b.ID, e.ent(c211, 1+i, round), nil)
				if err != nil {
					t.Fatal(err)
				}
				cs[i] = c
			}
			errs := storetest.Race(func() error {
				_, err := s.Act(ctx, e.actor("dept_tax"), cs[0].ID, cs[0].Version, policydb.Step{Action: "approve"})
				return err
			}, func() error {
				_, err := s.Act(ctx, e.actor("dept_tax2"), cs[1].ID, cs[1].Version, policydb.Step{Action: "approve"})
				return err
			})
			if round == 0 {
				storetest.OneWins(t, "two approvals within a budget of one", errs, fault.Invalid, "policy_budget")
			}
			if used := e.count("SELECT COALESCE(SUM(granted), 0) FROM policy_claims WHERE benefit_id = ? AND state = 'approved'", b.ID); used > 15_000 {
				t.Errorf("round %d: %d yuan approved of a budget of 15 000", round, used)
			}
		}
	})
}
