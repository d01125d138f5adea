package pooldb_test

import (
	"fmt"
	"testing"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// liveStates are the states of a placement that holds its worker and its slot.
const liveStates = "('chosen', 'consented', 'on_site')"

// consistent checks the pool's invariants over every row, whatever ran:
// a worker is lent exactly when one placement holds them; a loan's heads are
// its placements that hold their worker or started (the slots it took for
// good); a loan under way has someone live, an ended one nobody; a need's
// taken slots are its loans' heads and the job seekers placed on it, and it
// is filled exactly when they reach its heads.
func (e *env) consistent() {
	e.t.Helper()
	t, ctx, r := e.t, e.ctx, e.s.Reader()
	type row struct {
		id         int64
		state      string
		a, b, c, d int64
	}
	read := func(q string) []row {
		t.Helper()
		out, err := store.Collect(ctx, r, func(sc store.Scanner) (row, error) {
			var x row
			return x, sc.Scan(&x.id, &x.state, &x.a, &x.b, &x.c, &x.d)
		}, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return out
	}
	for _, w := range read(`SELECT w.id, w.status, (SELECT COUNT(*) FROM pool_placements p WHERE p.worker_id = w.id AND p.state IN ` + liveStates + `), 0, 0, 0
		FROM pool_workers w`) {
		if w.a > 1 || (w.state == pool.WorkerLent) != (w.a == 1) {
			t.Errorf("worker %d is %s with %d live placements", w.id, w.state, w.a)
		}
	}
	for _, m := range read(`SELECT m.id, m.state, m.heads,
		(SELECT COUNT(*) FROM pool_placements p WHERE p.match_id = m.id AND (p.state IN ` + liveStates + ` OR p.started_at <> 0)),
		(SELECT COUNT(*) FROM pool_placements p WHERE p.match_id = m.id AND p.state IN ` + liveStates + `),
		(SELECT COUNT(*) FROM pool_placements p WHERE p.match_id = m.id) FROM pool_matches m`) {
		switch m.state {
		case pool.MatchProposed:
			if m.d != 0 || m.a < 1 {
				t.Errorf("proposed loan %d: heads %d, %d placements", m.id, m.a, m.d)
			}
		case pool.MatchChosen, pool.MatchActive:
			if m.a != m.b || m.c == 0 {
				t.Errorf("loan %d %s: heads %d, %d placements holding or started, %d live", m.id, m.state, m.a, m.b, m.c)
			}
		case pool.MatchEnded:
			if m.a != m.b || m.c != 0 {
				t.Errorf("ended loan %d: heads %d, %d placements holding or started, %d live", m.id, m.a, m.b, m.c)
			}
		}
	}
	for _, n := range read(`SELECT n.id, n.status, n.taken, n.heads,
		(SELECT CAST(COALESCE(SUM(m.heads), 0) AS BIGINT) FROM pool_matches m WHERE m.need_id = n.id AND m.state IN ('proposed', 'chosen', 'active', 'ended')),
		(SELECT COUNT(*) FROM pool_seekers s WHERE s.need_id = n.id AND s.status = 'placed') FROM pool_needs n`) {
		if n.a != n.c+n.d || n.a > n.b || n.state != pool.NeedClosed && (n.state == pool.NeedFilled) != (n.a == n.b) {
			t.Errorf("need %d %s: taken %d of %d; loans hold %d, seekers %d", n.id, n.state, n.a, n.b, n.c, n.d)
		}
	}
}

// TestRaces races what can be raced on both stores, the calls released
// together, and then holds the pool's invariants (consistent):
//
//	(a) eight proposals for the last slot of a need, by two communities'
//	    staff: one wins, the others are conflicts;
//	(b) eight loans of one lender choosing the same worker: one placement;
//	    and two loans choosing overlapping pairs: all or none each;
//	(c) one code redeemed eight times: one token;
//	(d) a worker's consent or refusal against an early end, a withdrawal
//	    against an early end or the return, a withdrawal sent thrice;
//	(e) the last two workers of a loan returned at once: the loan ends;
//	(f) one person offered eight times at once: once in the pool.
func TestRaces(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Pool, e.ctx
		staff, staff2 := e.actor("community_"+c111), e.actor("community_"+c112)
		lender, borrower := e.actor("ent_"+c111), e.actor("entb_"+c111)
		L, B := e.ent(c111, 1, 0), e.ent(c111, 1, 1)
		offer := func(a access.Actor, eid int64, k int) []pool.Worker {
			t.Helper()
			var ws []pool.Worker
			for range k {
				ws = append(ws, e.worker("2026-06-30", "2027-12-31"))
			}
			if k == 1 {
				ws[0].EnterpriseID = eid
				return []pool.Worker{must(s.Offer(ctx, a, ws[0]))(t)}
			}
			return must(s.OfferTeam(ctx, a, eid, pool.Team{Name: fmt.Sprintf("班组%d", e.seq.Load())}, ws))(t)
		}

		// (a) The last slot of a need, three times.
		offer(lender, L, 2)
		for round := range 3 {
			n := must(s.PostNeed(ctx, borrower, need(B, 3)))(t)
			must(s.Propose(ctx, staff, n.ID, L, 2))(t)
			var fns []func() error
			for i := range 8 {
				by := staff
				if i%2 == 1 {
					by = staff2
				}
				fns = append(fns, func() error {
					_, err := s.Propose(ctx, by, n.ID, L, 1)
					return err
				})
			}
			storetest.OneWins(t, fmt.Sprintf("(a) round %d", round), storetest.Race(fns...), fault.Conflict, "")
			if got := e.needOf(n.ID); got.Taken != got.Heads || got.Status != pool.NeedFilled {
				t.Errorf("(a) need after the race: taken %d of %d, %s", got.Taken, got.Heads, got.Status)
			}
			if _, k, err := s.Loans(ctx, staff, pooldb.LoanQuery{Need: n.ID}); err != nil || k != 2 {
				t.Errorf("(a) %d loans for the need (%v); want 2", k, err)
			}
		}

		// (b) Eight loans of one lender choose its one worker.
		L2, lender2 := e.ent(c112, 1, 0), e.actor("ent_"+c112)
		w := offer(lender2, L2, 1)[0]
		var loans []pool.Loan
		for range 8 {
			n := must(s.PostNeed(ctx, borrower, need(B, 1)))(t)
			loans = append(loans, must(s.Propose(ctx, staff, n.ID, L2, 1))(t))
		}
		var fns []func() error
		for _, m := range loans {
			fns = append(fns, func() error {
				_, err := s.Choose(ctx, lender2, m.ID, []int64{w.ID}, m.Version)
				return err
			})
		}
		win := storetest.OneWins(t, "(b) one worker", storetest.Race(fns...), fault.Conflict, "")
		var placed int
		if err := store.Scan(e.s.Reader().Row(ctx, "SELECT COUNT(*) FROM pool_placements WHERE worker_id = ?", w.ID), &placed); err != nil || placed != 1 {
			t.Errorf("(b) the worker has %d placements (%v); want 1", placed, err)
		}
		for i, m := range loans {
			got := e.loan(m.ID)
			if i == win && (got.State != pool.MatchChosen || len(got.Placements) != 1) || i != win && (got.State != pool.MatchProposed || got.Version != m.Version) {
				t.Errorf("(b) loan %d (winner %v): %s, version %d→%d", m.ID, i == win, got.State, m.Version, got.Version)
			}
		}
		if win < 0 {
			t.FailNow()
		}
		// Two loans choose overlapping pairs: the loser chose nobody.
		trio := offer(lender2, L2, 3)
		var pair []pool.Loan
		for range 2 {
			n := must(s.PostNeed(ctx, borrower, need(B, 2)))(t)
			pair = append(pair, must(s.Propose(ctx, staff, n.ID, L2, 2))(t))
		}
		errs := storetest.Race(func() error {
			_, err := s.Choose(ctx, lender2, pair[0].ID, []int64{trio[0].ID, trio[1].ID}, pair[0].Version)
			return err
		}, func() error {
			_, err := s.Choose(ctx, lender2, pair[1].ID, []int64{trio[1].ID, trio[2].ID}, pair[1].Version)
			return err
		})
		pw := storetest.OneWins(t, "(b) overlapping pairs", errs, fault.Conflict, "")
		if pw >= 0 {
			lost := trio[2*(1-pw)] // the worker only the loser chose
			if st := e.workerOf(lost.ID).Status; st != pool.WorkerAvailable {
				t.Errorf("(b) the worker only the losing loan chose is %s", st)
			}
			if got := e.loan(pair[1-pw].ID); got.State != pool.MatchProposed || len(got.Placements) != 0 {
				t.Errorf("(b) the losing loan: %s with %d placements", got.State, len(got.Placements))
			}
		}

		// (c) One code, redeemed eight times at once.
		pc := e.loan(loans[win].ID).Placements[0]
		code := must(s.IssueCode(ctx, staff, pc.ID))(t)
		tokens := make([]string, 8)
		fns = nil
		for i := range tokens {
			fns = append(fns, func() error {
				var err error
				tokens[i], err = s.Redeem(ctx, code)
				return err
			})
		}
		rw := storetest.OneWins(t, "(c) one code", storetest.Race(fns...), fault.Invalid, "pool_code")
		if rw >= 0 {
			if mine, err := s.Mine(ctx, tokens[rw]); err != nil || mine.Placement.ID != pc.ID {
				t.Errorf("(c) the token opens %+v (%v)", mine.Placement, err)
			}
		}

		// (d) Consent, refusal and withdrawal against the end.
		L3, lender3 := e.ent(c111, 2, 0), e.actor("entc_"+c111)
		ws := offer(lender3, L3, 8)
		nd := must(s.PostNeed(ctx, borrower, need(B, 8)))(t)
		md := must(s.Propose(ctx, staff, nd.ID, L3, 8))(t)
		var ids []int64
		for _, w := range ws {
			ids = append(ids, w.ID)
		}
		md = must(s.Choose(ctx, lender3, md.ID, ids, md.Version))(t)
		pl := md.Placements
		tok := map[int64]string{}
		for _, p := range pl {
			tok[p.ID] = must(s.Redeem(ctx, must(s.IssueCode(ctx, staff, p.ID))(t)))(t)
		}
		answerOrEnd := func(p pool.Placement, consent bool, by access.Actor) []func() error {
			return []func() error{func() error {
				_, err := s.Answer(ctx, tok[p.ID], consent, p.Version)
				return err
			}, func() error {
				_, err := s.End(ctx, by, md.ID, p.ID, true, "生产计划临时调整", p.Version)
				return err
			}}
		}
		var round1 [][]func() error
		round1 = append(round1, answerOrEnd(pl[0], true, lender3), answerOrEnd(pl[1], true, borrower),
			answerOrEnd(pl[2], false, lender3), answerOrEnd(pl[3], false, staff))
		var all []func() error
		for _, r := range round1 {
			all = append(all, r...)
		}
		errs = storetest.Race(all...)
		for i := range round1 {
			storetest.OneWins(t, fmt.Sprintf("(d) answer or end %d", i), errs[2*i:2*i+2], fault.Conflict, "")
		}
		e.consistent()
		for _, p := range pl[4:] {
			mine := must(s.Mine(ctx, tok[p.ID]))(t)
			must(s.Answer(ctx, tok[p.ID], true, mine.Placement.Version))(t)
		}
		must(s.AddSeal(ctx, lender3, md.ID, "lender", scan("md")))(t)
		must(s.AddSeal(ctx, borrower, md.ID, "borrower", eseal()))(t)
		md = e.loan(md.ID)
		must(s.Train(ctx, borrower, md.ID, "岗前安全教育两小时", md.Version))(t)
		for _, p := range pl[6:] {
			must(s.Cover(ctx, lender3, md.ID, p.ID, "GS-2026-0100", "2026-12-31"))(t)
		}
		e.toDay(firstDay)
		for _, p := range pl[6:] {
			p = e.placement(md.ID, p.ID)
			must(s.Start(ctx, borrower, md.ID, p.ID, p.Version))(t)
		}
		withdraw := func(p pool.Placement) func() error {
			return func() error {
				_, err := s.WithdrawConsent(ctx, tok[p.ID], "家里有事")
				return err
			}
		}
		end := func(p pool.Placement, early bool) func() error {
			p = e.placement(md.ID, p.ID)
			return func() error {
				_, err := s.End(ctx, borrower, md.ID, p.ID, early, "借入企业订单减少", p.Version)
				return err
			}
		}
		groups := [][]func() error{
			{withdraw(pl[4]), end(pl[4], true)}, {withdraw(pl[5]), end(pl[5], true)},
			{withdraw(pl[6]), end(pl[6], false)}, {withdraw(pl[7]), end(pl[7], false)},
		}
		for _, p := range pl[:2] {
			if e.placement(md.ID, p.ID).State == pool.PlaceConsented {
				groups = append(groups, []func() error{withdraw(p), withdraw(p), withdraw(p)})
			}
		}
		all = nil
		for _, g := range groups {
			all = append(all, g...)
		}
		errs = storetest.Race(all...)
		at := 0
		for i, g := range groups {
			storetest.OneWins(t, fmt.Sprintf("(d) withdrawal or end %d", i), errs[at:at+len(g)], fault.Conflict, "")
			at += len(g)
		}
		md = e.loan(md.ID)
		if md.State != pool.MatchEnded {
			t.Errorf("(d) the loan whose workers all left is %s", md.State)
		}
		for _, p := range md.Placements {
			if pool.Live(p.State) {
				t.Errorf("(d) placement %d is still %s", p.ID, p.State)
			}
		}
		if got := e.needOf(nd.ID); got.Taken != 2 {
			t.Errorf("(d) the need holds %d slots after two workers started and every other left; want 2", got.Taken)
		}
		e.consistent()

		// (e) The last two on site return at once, four times.
		for round := range 4 {
			pair := offer(lender, L, 2)
			n := need(B, 2)
			n.From, n.NeededBy, n.To = e.day(), e.day(), e.day() // a day's loan: it ends today
			nn := must(s.PostNeed(ctx, borrower, n))(t)
			m := must(s.Propose(ctx, staff, nn.ID, L, 2))(t)
			m, _ = e.onSite(m.ID, lender, borrower, staff, []int64{pair[0].ID, pair[1].ID})
			var fns []func() error
			for _, p := range m.Placements {
				fns = append(fns, func() error {
					_, err := s.End(ctx, borrower, m.ID, p.ID, false, "", p.Version)
					return err
				})
			}
			for i, err := range storetest.Race(fns...) {
				if err != nil {
					t.Errorf("(e) round %d: return %d: %v", round, i, err)
				}
			}
			if got := e.loan(m.ID); got.State != pool.MatchEnded {
				t.Errorf("(e) round %d: the loan is %s after both returned", round, got.State)
			}
		}

		// (f) One person offered eight times at once.
		one := e.worker("2026-06-30", "2027-12-31")
		one.EnterpriseID = L
		fns = nil
		for i := range 8 {
			by := lender
			if i%2 == 1 {
				by = staff
			}
			fns = append(fns, func() error {
				_, err := s.Offer(ctx, by, one)
				return err
			})
		}
		storetest.OneWins(t, "(f) one person", storetest.Race(fns...), fault.Conflict, "pool_worker_twice")
		var rows int
		if err := store.Scan(e.s.Reader().Row(ctx, "SELECT COUNT(*) FROM pool_workers WHERE id_number = ?", one.IDNumber), &rows); err != nil || rows != 1 {
			t.Errorf("(f) the person is %d times in the pool (%v)", rows, err)
		}
		e.consistent()
	})
}
