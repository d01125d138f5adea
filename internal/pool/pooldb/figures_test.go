package pooldb_test

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"
	"testing"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/store/storetest"
)

// tally is what the test did in one community, counted as the figures
// count it: a lender's acts in the lender's community, a borrower's in the
// borrower's.
type tally struct {
	lenders, borrowers, lentBy                                map[int64]bool
	offered, teams, needs, slots, filled, seekers, lent, days int
	early, complaints, ratings, stars                         int
	settled                                                   int64
	hours                                                     []float64
}

// nearestRank is the q-quantile of xs by the nearest rank, to 0.1; -1 when none.
func nearestRank(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return -1
	}
	s := slices.Sorted(slices.Values(xs))
	return math.Round(s[int(math.Ceil(q*float64(len(s))))-1]*10) / 10
}

// sum is the figures of the communities' tallies together.
func sum(code string, ts ...*tally) pooldb.Figures {
	f := pooldb.Figures{Code: code}
	lenders, borrowers, lentBy := map[int64]bool{}, map[int64]bool{}, map[int64]bool{}
	var hours []float64
	stars := 0
	for _, t := range ts {
		maps.Copy(lenders, t.lenders)
		maps.Copy(borrowers, t.borrowers)
		maps.Copy(lentBy, t.lentBy)
		f.Offered += t.offered
		f.Teams += t.teams
		f.Needs += t.needs
		f.Slots += t.slots
		f.Filled += t.filled
		f.Seekers += t.seekers
		f.Lent += t.lent
		f.Days += t.days
		f.Early += t.early
		f.Complaints += t.complaints
		f.Settled += t.settled
		f.Ratings += t.ratings
		stars += t.stars
		hours = append(hours, t.hours...)
	}
	f.Lenders, f.Borrowers, f.LentBy = len(lenders), len(borrowers), len(lentBy)
	f.HoursMedian, f.HoursP90 = nearestRank(hours, 0.5), nearestRank(hours, 0.9)
	f.Rating = -1
	if f.Ratings > 0 {
		f.Rating = math.Round(float64(stars)/float64(f.Ratings)*10) / 10
	}
	return f
}

// show is a figures' exported counts, to compare.
func show(f pooldb.Figures) string {
	return fmt.Sprintf("%s lenders %d borrowers %d offered %d teams %d lent %d by %d seekers %d needs %d slots %d filled %d hours %.1f/%.1f days %d settled %d early %d complaints %d rating %.1f of %d",
		f.Code, f.Lenders, f.Borrowers, f.Offered, f.Teams, f.Lent, f.LentBy, f.Seekers, f.Needs, f.Slots, f.Filled,
		f.HoursMedian, f.HoursP90, f.Days, f.Settled, f.Early, f.Complaints, f.Rating, f.Ratings)
}

// TestFiguresRecomputed does a known set of things in the first district
// (two communities of its first street, one of its second) and in the
// second district, several of them at once (the offers, the needs, the
// placements of seekers with a race for a need's last slot, the attendance,
// the complaints, the returns), tallying each one's effect on the figures
// of the community it counts in as it succeeds. The street's figures per
// community and in total, and the district's per street and in total, are
// then the tallies summed; the second district's records count nowhere in
// the first; staff see their community's part only.
func TestFiguresRecomputed(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Pool, e.ctx
		community := map[int64]string{}
		for _, x := range e.f.Enterprises {
			community[e.ids[x.CreditCode]] = x.CommunityCode
		}
		tallies := map[string]*tally{}
		at := func(id int64) *tally {
			c := community[id]
			if tallies[c] == nil {
				tallies[c] = &tally{lenders: map[int64]bool{}, borrowers: map[int64]bool{}, lentBy: map[int64]bool{}}
			}
			return tallies[c]
		}
		staff := e.actor("community_" + c111)
		type party struct {
			id int64
			a  access.Actor
		}
		acct := func(name string) party { a := e.actor(name); return party{a.EnterpriseID, a} }
		L1, L2, L3, L4, Ld := acct("ent_"+c111), acct("ent_"+c112), acct("ent_"+c121), acct("entc_"+c111), acct("ent_"+c211)
		B1, B2, B3, Bd := acct("entb_"+c111), acct("entb_"+c121), acct("entb_"+c112), acct("entb_"+c211)

		// The offers, at once: a team and one alone (L1), two alone (L2), a
		// team (L3), one alone (L4), one in the other district.
		ws := map[string][]pool.Worker{}
		type off struct {
			key  string
			p    party
			team string
			k    int
		}
		offs := []off{{"L1 team", L1, "焊装一班", 2}, {"L1", L1, "", 1}, {"L2 a", L2, "", 1}, {"L2 b", L2, "", 1},
			{"L3 team", L3, "包装组", 2}, {"L4", L4, "", 1}, {"Ld", Ld, "", 1}}
		var fns []func() error
		var mu sync.Mutex
		for _, o := range offs {
			var list []pool.Worker
			for range o.k {
				w := e.worker("2026-06-30", "2027-12-31")
				w.EnterpriseID = o.p.id
				list = append(list, w)
			}
			fns = append(fns, func() error {
				var out []pool.Worker
				var err error
				if o.team == "" {
					var w pool.Worker
					w, err = s.Offer(ctx, o.p.a, list[0])
					out = []pool.Worker{w}
				} else {
					out, err = s.OfferTeam(ctx, o.p.a, o.p.id, pool.Team{Name: o.team}, list)
				}
				mu.Lock()
				ws[o.key] = out
				mu.Unlock()
				return err
			})
			tl := at(o.p.id)
			tl.lenders[o.p.id] = true
			tl.offered += o.k
			if o.team != "" {
				tl.teams++
			}
		}
		for i, err := range storetest.Race(fns...) {
			if err != nil {
				t.Fatalf("offer %s: %v", offs[i].key, err)
			}
		}

		// The needs, at once, all posted now.
		needs := map[string]pool.Need{}
		type post struct {
			key   string
			p     party
			heads int
			from  string
		}
		posts := []post{{"N1", B1, 2, firstDay}, {"N4", B1, 1, firstDay}, {"N2", B2, 3, "2026-03-06"},
			{"N5", B2, 1, "2026-03-04"}, {"N3", B3, 1, firstDay}, {"Nd", Bd, 1, firstDay}}
		fns = nil
		for _, p := range posts {
			n := need(p.p.id, p.heads)
			n.From, n.NeededBy = p.from, p.from
			fns = append(fns, func() error {
				got, err := s.PostNeed(ctx, p.p.a, n)
				mu.Lock()
				needs[p.key] = got
				mu.Unlock()
				return err
			})
			tl := at(p.p.id)
			tl.borrowers[p.p.id] = true
			tl.needs++
			tl.slots += p.heads
		}
		for i, err := range storetest.Race(fns...) {
			if err != nil {
				t.Fatalf("need %s: %v", posts[i].key, err)
			}
		}
		posted := needs["N1"].PostedAt

		// Two seekers placed (on N3, and on N2's third slot) while four
		// proposals race for N4's one slot.
		s1 := must(s.AddSeeker(ctx, e.actor("community_"+c112), pool.Seeker{Name: "求职者甲", Phone: "15800000001",
			WorkTypes: []pool.WorkType{"general"}, From: today, CommunityCode: c112}))(t)
		s2 := must(s.AddSeeker(ctx, e.actor("community_"+c121), pool.Seeker{Name: "求职者乙", Phone: "15800000002",
			WorkTypes: []pool.WorkType{"general"}, From: today, CommunityCode: c121}))(t)
		fns = []func() error{func() error {
			_, err := s.PlaceSeeker(ctx, e.actor("community_"+c112), s1.ID, needs["N3"].ID, s1.Version)
			return err
		}, func() error {
			_, err := s.PlaceSeeker(ctx, e.actor("community_"+c121), s2.ID, needs["N2"].ID, s2.Version)
			return err
		}}
		for i := range 4 {
			by := staff
			if i%2 == 1 {
				by = e.actor("street_" + s11)
			}
			fns = append(fns, func() error {
				_, err := s.Propose(ctx, by, needs["N4"].ID, L4.id, 1)
				return err
			})
		}
		errs := storetest.Race(fns...)
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("seekers placed: %v", errs[:2])
		}
		storetest.OneWins(t, "N4's slot", errs[2:], fault.Conflict, "")
		for _, b := range []party{B3, B2} {
			at(b.id).filled++
			at(b.id).seekers++
		}

		// The loans, each to its workers on site on its need's first day:
		// N5 (L3, the 4th), N1 (L1, the 5th), Nd (the other district, the
		// 5th), N2 (L2 for two, the 6th).
		type loan struct {
			m      pool.Loan
			tokens map[int64]string
		}
		loans := map[string]loan{}
		run := func(key string, lender, borrower party, by access.Actor, workers ...pool.Worker) {
			t.Helper()
			n := needs[key]
			m := must(s.Propose(ctx, by, n.ID, lender.id, len(workers)))(t)
			var ids []int64
			for _, w := range workers {
				ids = append(ids, w.ID)
			}
			m, tokens := e.onSite(m.ID, lender.a, borrower.a, by, ids)
			loans[key] = loan{m, tokens}
			tb, tl := at(borrower.id), at(lender.id)
			tb.filled += len(workers)
			tl.lent += len(workers)
			tl.lentBy[lender.id] = true
			tb.hours = append(tb.hours, e.needOf(n.ID).FirstOnSite.Sub(posted).Hours())
		}
		run("N5", L3, B2, staff, ws["L3 team"][0])
		run("N1", L1, B1, staff, ws["L1 team"][0], ws["L1"][0])
		run("Nd", Ld, Bd, e.actor("community_"+c211), ws["Ld"][0])
		run("N2", L2, B2, staff, ws["L2 a"][0], ws["L2 b"][0])
		if h := at(B2.id).hours; !slices.Equal(h, []float64{48, 96}) || !slices.Equal(at(B1.id).hours, []float64{72}) {
			t.Fatalf("hours to the first on site: %v %v", h, at(B1.id).hours)
		}

		// Attendance, all at once, on the 10th.
		e.toDay("2026-03-10")
		type attend struct {
			key  string
			i    int
			b, l party
			days []string
		}
		atts := []attend{
			{"N1", 0, B1, L1, []string{"2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"}},
			{"N1", 1, B1, L1, []string{"2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"}},
			{"N5", 0, B2, L3, []string{"2026-03-04", "2026-03-05", "2026-03-06"}},
			{"N2", 0, B2, L2, []string{"2026-03-06", "2026-03-07"}},
			{"N2", 1, B2, L2, []string{"2026-03-06", "2026-03-07"}},
			{"Nd", 0, Bd, Ld, []string{"2026-03-05", "2026-03-06", "2026-03-07"}},
		}
		fns = nil
		for _, a := range atts {
			m := loans[a.key].m
			fns = append(fns, func() error {
				_, err := s.Attend(ctx, a.b.a, m.ID, m.Placements[a.i].ID, a.days)
				return err
			})
			at(a.l.id).days += len(a.days)
		}
		for i, err := range storetest.Race(fns...) {
			if err != nil {
				t.Fatalf("attendance %d: %v", i, err)
			}
		}

		// Complaints, at once: two from a worker of L1, one of L2.
		token := func(key string, i int) string { return loans[key].tokens[loans[key].m.Placements[i].ID] }
		errs = storetest.Race(func() error {
			_, err := s.Complain(ctx, token("N1", 1), "加班没有按约定安排调休")
			return err
		}, func() error {
			_, err := s.Complain(ctx, token("N1", 1), "宿舍热水供应不足")
			return err
		}, func() error {
			_, err := s.Complain(ctx, token("N2", 1), "夜班结束后没有班车")
			return err
		})
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		at(L1.id).complaints += 2
		at(L2.id).complaints++

		// The returns, at once: N1's first early (the borrower), its second
		// at the end (the lender), N2's first early (the lender).
		end := func(key string, i int, by access.Actor, early bool) func() error {
			m := loans[key].m
			p := e.placement(m.ID, m.Placements[i].ID)
			return func() error {
				reason := ""
				if early {
					reason = "生产计划调整，提前结束"
				}
				_, err := s.End(ctx, by, m.ID, p.ID, early, reason, p.Version)
				return err
			}
		}
		if last := loans["N1"].m.Placements[1].To; e.day() < last {
			e.toDay(last) // a return at the end comes on the last day
		}
		for _, err := range storetest.Race(end("N1", 0, B1.a, true), end("N1", 1, L1.a, false), end("N2", 0, L2.a, true)) {
			if err != nil {
				t.Fatal(err)
			}
		}
		at(L1.id).early++
		at(L2.id).early++

		// The sheets of March: N1's and N2's confirmed by both, N5's by the
		// borrower only, the other district's by both.
		confirm := func(key string, b, l party, both bool) {
			t.Helper()
			m := loans[key].m
			sh := must(s.MakeSheet(ctx, b.a, m.ID, "2026-03"))(t)
			sh = must(s.ConfirmSheet(ctx, b.a, m.ID, "2026-03", "borrower", nil, sh.Version))(t)
			if !both {
				return
			}
			var pay []pooldb.Payment
			for _, l := range sh.Lines {
				pay = append(pay, pooldb.Payment{PlacementID: l.PlacementID, Paid: l.Amount})
			}
			must(s.ConfirmSheet(ctx, l.a, m.ID, "2026-03", "lender", pay, sh.Version))(t)
			at(b.id).settled += int64(sh.Total)
		}
		confirm("N1", B1, L1, true)
		confirm("N2", B2, L2, true)
		confirm("N5", B2, L3, false)
		confirm("Nd", Bd, Ld, true)
		if got := at(B1.id).settled + at(B2.id).settled; got != 10*260+4*260 {
			t.Fatalf("settled %d", got)
		}

		// The ratings of N1's loan, ended: both parties and both workers.
		m1 := loans["N1"].m
		for _, r := range []struct {
			p     party
			party string
			stars int
		}{{L1, "lender", 5}, {B1, "borrower", 3}} {
			if err := s.Rate(ctx, r.p.a, m1.ID, r.party, r.stars, ""); err != nil {
				t.Fatal(err)
			}
			at(B1.id).ratings++
			at(B1.id).stars += r.stars
		}
		for i, stars := range []int{4, 2} {
			must(s.RateByWorker(ctx, token("N1", i), stars, ""))(t)
			at(B1.id).ratings++
			at(B1.id).stars += stars
		}
		e.consistent()

		// The figures, against the tallies.
		march := pooldb.Period{From: "2026-03-01", To: "2026-03-31"}
		compare := func(who access.Actor, region string, want pooldb.Figures, children map[string]pooldb.Figures) {
			t.Helper()
			total, list, err := s.FiguresOf(ctx, who, region, march)
			if err != nil {
				t.Fatalf("figures of %s: %v", region, err)
			}
			if show(total) != show(want) {
				t.Errorf("figures of %s:\n got %s\nwant %s", region, show(total), show(want))
			}
			if total.Name == "" {
				t.Errorf("figures of %s have no name", region)
			}
			if children == nil {
				return
			}
			got := map[string]pooldb.Figures{}
			for _, f := range list {
				got[f.Code] = f
			}
			for c, w := range children {
				if show(got[c]) != show(w) {
					t.Errorf("figures of %s in %s:\n got %s\nwant %s", c, region, show(got[c]), show(w))
				}
			}
			for c := range got {
				if _, ok := children[c]; !ok {
					t.Errorf("figures of %s hold %s: %s", region, c, show(got[c]))
				}
			}
		}
		t111, t112, t121 := tallies[c111], tallies[c112], tallies[c121]
		compare(e.actor("street_"+s11), s11, sum(s11, t111, t112), map[string]pooldb.Figures{c111: sum(c111, t111), c112: sum(c112, t112)})
		compare(e.actor("district_"+d1), d1, sum(d1, t111, t112, t121),
			map[string]pooldb.Figures{s11: sum(s11, t111, t112), s12: sum(s12, t121)})
		compare(e.actor("admin"), d1, sum(d1, t111, t112, t121),
			map[string]pooldb.Figures{s11: sum(s11, t111, t112), s12: sum(s12, t121)})
		// The flows' community's staff see their community's part of its street.
		compare(staff, s11, sum(s11, t111), map[string]pooldb.Figures{c111: sum(c111, t111)})
		compare(staff, "", sum(c111, t111), nil) // by default, their community (per grid)
		// The other district's leader sees nothing of the first.
		compare(e.actor("district_"+d2), d1, sum(d1), map[string]pooldb.Figures{})
		if f := sum(d1, t111, t112, t121); f.Lenders != 4 || f.Offered != 8 || f.Needs != 5 || f.Slots != 8 || f.Filled != 7 || f.Lent != 5 ||
			f.Days != 17 || f.Settled != 3640 || f.Early != 2 || f.Complaints != 3 || f.HoursMedian != 72 || f.HoursP90 != 96 || f.Rating != 3.5 {
			t.Errorf("the district's tallies are not the actions': %s", show(f))
		}
		_, _, err := s.FiguresOf(ctx, e.actor("auditor"), d1, march)
		storetest.WantForbidden(t, err)
		_, _, err = s.FiguresOf(ctx, staff, d1, pooldb.Period{From: "2026-03-31", To: "2026-03-01"})
		storetest.WantField(t, err, "from")
	})
}
