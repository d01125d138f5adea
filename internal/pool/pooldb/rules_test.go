package pooldb_test

import (
	"testing"

	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/store/storetest"
)

// TestRules drives the shared-employment rules through the store on both
// stores: every refusal carries its rule's code and changes nothing (rows,
// versions, counters, inboxes and the audit log as they were).
//
//   - contract_end: no worker can be offered past their contract, so a loan
//     can only come to pass it by an extension, which is refused;
//   - no_relend: the borrower offering a person it borrowed, alone or in a
//     team, while the loan holds them;
//   - consent, seal, training, injury_cover: a start without each, in the
//     order the rules are checked, and with a cover that ran out;
//   - no_fee, wage_full: the lender's statement of a fee kept, or of less
//     paid than received;
//   - lender_open: a lender that closed ends its loans at once.
func TestRules(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Pool, e.ctx
		staff := e.actor("community_" + c111)
		lender, borrower := e.actor("ent_"+c111), e.actor("entb_"+c111)
		L, B := e.ent(c111, 1, 0), e.ent(c111, 1, 1)

		// contract_end: the contract ends on the need's last day; the
		// enterprises agree to keep the worker a month longer.
		short := e.worker(lastDay, lastDay)
		short.EnterpriseID = L
		short = must(s.Offer(ctx, lender, short))(t)
		bad := e.worker("2026-04-30", "2026-04-15")
		bad.EnterpriseID = L
		_, err := s.Offer(ctx, lender, bad)
		storetest.WantField(t, err, "to")
		n1 := must(s.PostNeed(ctx, borrower, need(B, 1)))(t)
		m1 := must(s.Propose(ctx, staff, n1.ID, L, 1))(t)
		m1 = must(s.Choose(ctx, lender, m1.ID, []int64{short.ID}, m1.Version))(t)
		tokens1 := e.consentAll(m1, staff)
		pA := e.placement(m1.ID, m1.Placements[0].ID)
		if pA.To != lastDay || pA.State != pool.PlaceConsented || len(tokens1) != 1 {
			t.Fatalf("placement of the short contract: %+v", pA)
		}
		before := e.snapshot()
		_, err = s.Extend(ctx, borrower, m1.ID, pA.ID, "2026-04-30", pA.Version)
		wantCode(t, err, "pool_rule_contract_end")
		_, err = s.Extend(ctx, lender, m1.ID, pA.ID, "2026-04-01", pA.Version)
		wantCode(t, err, "pool_rule_contract_end")
		_, err = s.Extend(ctx, borrower, m1.ID, pA.ID, lastDay, pA.Version)
		storetest.WantField(t, err, "to")
		e.unchanged(before, "extensions past the contract")
		if p := e.placement(m1.ID, pA.ID); p.ExtTo != "" || p.To != lastDay || p.Version != pA.Version {
			t.Errorf("placement after the refused extensions: %+v", p)
		}

		// A worker of another enterprise cannot be chosen.
		other := e.worker("2026-06-30", "2027-12-31")
		other.EnterpriseID = e.ent(c111, 2, 0)
		other = must(s.Offer(ctx, staff, other))(t)
		n2 := must(s.PostNeed(ctx, borrower, need(B, 2)))(t)
		wB, wC := e.worker("2026-06-30", "2027-12-31"), e.worker("2026-06-30", "2027-12-31")
		team := must(s.OfferTeam(ctx, lender, L, pool.Team{Name: "包装二班"}, []pool.Worker{wB, wC}))(t)
		m2 := must(s.Propose(ctx, staff, n2.ID, L, 2))(t)
		before = e.snapshot()
		_, err = s.Choose(ctx, lender, m2.ID, []int64{team[0].ID, other.ID}, m2.Version)
		storetest.WantField(t, err, "workers")
		_, err = s.Choose(ctx, lender, m2.ID, []int64{team[0].ID, team[1].ID, short.ID}, m2.Version)
		storetest.WantField(t, err, "workers")
		_, err = s.Choose(ctx, borrower, m2.ID, []int64{team[0].ID}, m2.Version)
		storetest.WantForbidden(t, err)
		e.unchanged(before, "refused choices")

		// The starts, refused rule by rule.
		m2 = must(s.Choose(ctx, lender, m2.ID, []int64{team[0].ID, team[1].ID}, m2.Version))(t)
		pB, pC := m2.Placements[0], m2.Placements[1]
		e.toDay(firstDay)
		start := func(p pool.Placement, code string) {
			t.Helper()
			p = e.placement(m2.ID, p.ID)
			before := e.snapshot()
			_, err := s.Start(ctx, borrower, m2.ID, p.ID, p.Version)
			wantCode(t, err, code)
			e.unchanged(before, "a start refused by "+code)
		}
		start(pB, "pool_rule_consent")
		e.consentAll(m2, staff)
		start(pB, "pool_rule_seal")
		must(s.AddSeal(ctx, lender, m2.ID, "lender", scan("m2")))(t)
		start(pB, "pool_rule_seal")
		must(s.AddSeal(ctx, borrower, m2.ID, "borrower", eseal()))(t)
		start(pB, "pool_rule_training")
		m2 = e.loan(m2.ID)
		must(s.Train(ctx, borrower, m2.ID, "岗前安全教育两小时", m2.Version))(t)
		start(pB, "pool_rule_injury_cover")
		must(s.Cover(ctx, lender, m2.ID, pB.ID, "GS-2026-0002", firstDay))(t)
		e.toDay("2026-03-06")
		start(pB, "pool_rule_injury_cover") // the cover ran out yesterday
		_, err = s.Cover(ctx, lender, m2.ID, pB.ID, "GS-2026-0002", "2026-03-01")
		storetest.WantField(t, err, "cover_until")
		_, err = s.Cover(ctx, borrower, m2.ID, pB.ID, "GS-2026-0002", "2026-12-31")
		storetest.WantForbidden(t, err)
		must(s.Cover(ctx, lender, m2.ID, pB.ID, "GS-2026-0002", "2026-12-31"))(t)
		p := e.placement(m2.ID, pB.ID)
		_, err = s.Start(ctx, lender, m2.ID, p.ID, p.Version)
		storetest.WantForbidden(t, err)
		must(s.Start(ctx, borrower, m2.ID, pB.ID, p.Version))(t)
		start(pC, "pool_rule_injury_cover")
		must(s.Cover(ctx, lender, m2.ID, pC.ID, "GS-2026-0003", "2026-12-31"))(t)
		p = e.placement(m2.ID, pC.ID)
		must(s.Start(ctx, borrower, m2.ID, pC.ID, p.Version))(t)
		if m := e.loan(m2.ID); m.State != pool.MatchActive || m.Placements[0].State != pool.PlaceOnSite || m.Placements[1].State != pool.PlaceOnSite {
			t.Fatalf("after the starts: %+v", m)
		}

		// no_relend: the borrower offers people it borrowed, on site (B's
		// team) or consented (the short contract), alone or in a team.
		workersOfB := func() int {
			_, n, err := s.Workers(ctx, borrower, pooldb.WorkerQuery{Enterprise: B})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before = e.snapshot()
		for _, w := range []pool.Worker{wB, short} {
			w.EnterpriseID = B
			_, err = s.Offer(ctx, borrower, w)
			wantCode(t, err, "pool_rule_no_relend")
			_, err = s.Offer(ctx, staff, w)
			wantCode(t, err, "pool_rule_no_relend")
		}
		_, err = s.OfferTeam(ctx, borrower, B, pool.Team{Name: "借入转借组"}, []pool.Worker{e.worker("2026-06-30", "2027-12-31"), wC})
		wantCode(t, err, "pool_rule_no_relend")
		e.unchanged(before, "offers of borrowed workers")
		if n := workersOfB(); n != 0 {
			t.Errorf("the borrower has %d workers in the pool", n)
		}

		// no_fee, wage_full: the month's sheet of the two on site.
		e.toDay("2026-03-09")
		days := []string{"2026-03-06", "2026-03-07", "2026-03-08"}
		for _, p := range []pool.Placement{pB, pC} {
			must(s.Attend(ctx, borrower, m2.ID, p.ID, days))(t)
		}
		sh := must(s.MakeSheet(ctx, borrower, m2.ID, "2026-03"))(t)
		if sh.Total != 2*3*260 {
			t.Fatalf("sheet: %+v", sh)
		}
		sh = must(s.ConfirmSheet(ctx, borrower, m2.ID, "2026-03", "borrower", nil, sh.Version))(t)
		before = e.snapshot()
		for _, c := range []struct {
			paid, fee int
			code      string
		}{
			{3*260 - 50, 50, "pool_rule_no_fee"}, // a management fee deducted from the wage
			{3 * 260, 30, "pool_rule_no_fee"},    // a fee on top
			{3*260 - 1, 0, "pool_rule_wage_full"},
			{0, 0, "pool_rule_wage_full"},
		} {
			_, err := s.ConfirmSheet(ctx, lender, m2.ID, "2026-03", "lender", []pooldb.Payment{{PlacementID: pB.ID, Paid: 3 * 260}, {PlacementID: pC.ID, Paid: c.paid, Fee: c.fee}}, sh.Version)
			wantCode(t, err, c.code)
		}
		_, err = s.ConfirmSheet(ctx, lender, m2.ID, "2026-03", "lender", []pooldb.Payment{{PlacementID: pB.ID, Paid: 3 * 260}, {PlacementID: pC.ID, Paid: 3 * 260}}, sh.Version-1)
		storetest.WantKind(t, err, fault.Conflict)
		e.unchanged(before, "refused statements of pay")
		if got := must(s.Sheets(ctx, lender, m2.ID))(t); !got[0].LenderConfirmed.IsZero() || got[0].Lines[1].Fee != 0 || got[0].Lines[1].Paid != 0 {
			t.Errorf("the sheet after the refusals: %+v", got[0])
		}

		// consent (withdrawn on site): the worker goes back at once; the slot
		// was taken for good, as when a worker on site returns early.
		wD := e.worker("2026-06-30", "2027-12-31")
		wD.EnterpriseID = L
		wD = must(s.Offer(ctx, lender, wD))(t)
		n4 := need(B, 1)
		n4.From, n4.NeededBy = e.day(), e.day()
		n4 = must(s.PostNeed(ctx, borrower, n4))(t)
		m4 := must(s.Propose(ctx, staff, n4.ID, L, 1))(t)
		m4, tokens4 := e.onSite(m4.ID, lender, borrower, staff, []int64{wD.ID})
		mine := must(s.WithdrawConsent(ctx, tokens4[m4.Placements[0].ID], "身体不适"))(t)
		if mine.Placement.State != pool.PlaceWithdrawn || mine.Placement.EndedBy != "worker" || mine.CanWithdraw {
			t.Errorf("after the withdrawal on site: %+v", mine.Placement)
		}
		if st := e.workerOf(wD.ID).Status; st != pool.WorkerAvailable {
			t.Errorf("the worker who withdrew is %s", st)
		}
		if m, n := e.loan(m4.ID), e.needOf(n4.ID); m.State != pool.MatchEnded || m.Heads != 1 || n.Taken != 1 || n.Status != pool.NeedFilled {
			t.Errorf("after the withdrawal on site: loan %s with %d heads, need taken %d (%s); want ended, 1, 1 (filled)", m.State, m.Heads, n.Taken, n.Status)
		}
		_, err = s.WithdrawConsent(ctx, tokens4[m4.Placements[0].ID], "")
		storetest.WantKind(t, err, fault.Conflict)

		// A declined proposal gives its slots back.
		later := need(B, 1)
		later.From, later.NeededBy = "2026-03-10", "2026-03-10"
		n3 := must(s.PostNeed(ctx, borrower, later))(t)
		spare := e.worker("2026-06-30", "2027-12-31")
		spare.EnterpriseID = L
		must(s.Offer(ctx, lender, spare))(t)
		m3 := must(s.Propose(ctx, staff, n3.ID, L, 1))(t)
		m3 = must(s.Decline(ctx, lender, m3.ID, "订单回升，员工需留岗", m3.Version))(t)
		if got := e.needOf(n3.ID); got.Taken != 0 || got.Status != pool.NeedOpen || m3.State != pool.MatchDeclined {
			t.Errorf("after the decline: need taken %d %s, loan %s", got.Taken, got.Status, m3.State)
		}
		m3 = must(s.Propose(ctx, staff, n3.ID, L, 1))(t)

		// lender_open: the lender closes. Its proposal is cancelled (the
		// slot back), the consented worker never goes (the slot back), the
		// two on site return (their slots stay filled), its offers leave.
		_, err = s.LenderClosed(ctx, lender, L, "企业破产清算")
		storetest.WantForbidden(t, err)
		_, err = s.LenderClosed(ctx, e.actor("community_"+c211), L, "企业破产清算")
		storetest.WantKind(t, err, fault.NotFound)
		ended := must(s.LenderClosed(ctx, staff, L, "企业破产清算"))(t)

		if ended != 3 {
			t.Errorf("%d placements ended; want 3", ended)
		}
		// A closed lender lends no more: its people offered again are refused.
		again := e.worker("2026-06-30", "2027-12-31")
		again.EnterpriseID = L
		_, err = s.Offer(ctx, lender, again)
		wantCode(t, err, "pool_rule_lender_open")
		for _, id := range []int64{m1.ID, m2.ID} {
			m := e.loan(id)
			if m.State != pool.MatchEnded {
				t.Errorf("loan %d of the closed lender is %s", id, m.State)
			}
			for _, p := range m.Placements {
				if p.State != pool.PlaceEarly || p.EndedBy != "rule" || p.EndedAt.IsZero() {
					t.Errorf("placement of the closed lender: %+v", p)
				}
			}
		}
		if m := e.loan(m3.ID); m.State != pool.MatchCancelled {
			t.Errorf("the closed lender's proposal is %s", m.State)
		}
		for id, want := range map[int64]int{n1.ID: 0, n2.ID: 2, n3.ID: 0} {
			if got := e.needOf(id); got.Taken != want {
				t.Errorf("need %d: taken %d; want %d", id, got.Taken, want)
			}
		}
		ws, _, err := s.Workers(ctx, e.actor("admin"), pooldb.WorkerQuery{Enterprise: L})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ws {
			if w.Status != pool.WorkerWithdrawn {
				t.Errorf("worker %d of the closed lender is %s", w.ID, w.Status)
			}
		}
		_, err = s.Propose(ctx, staff, n3.ID, L, 1)
		storetest.WantKind(t, err, fault.NotFound)
	})
}
