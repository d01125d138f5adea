package pooldb_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// TestSeekers follows job seekers on both stores: the community registers
// them (phones masked in every answer and list); one is placed on a need
// (its enterprise told the name and phone), taking a slot; the last slot
// of a need raced between placing a seeker and proposing a lender has one
// winner, four times; one withdraws; the matcher counts the seekers who
// might fill a need no worker fits; the purge keeps every record to its
// retention day and deletes it the day after, once however many run it.
func TestSeekers(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Pool, e.ctx
		staff := e.actor("community_" + c111)
		lender, borrower := e.actor("ent_"+c111), e.actor("entb_"+c111)
		L, B := e.ent(c111, 1, 0), e.ent(c111, 1, 1)

		add := func(by access.Actor, community string, i int, types ...pool.WorkType) pool.Seeker {
			t.Helper()
			p := must(s.AddSeeker(ctx, by, pool.Seeker{Name: fmt.Sprintf("求职者%02d", i), Phone: fmt.Sprintf("1581234%04d", i),
				WorkTypes: types, From: today, Wants: pool.WantsHire, CommunityCode: community}))(t)
			if p.ID == 0 || p.Status != pool.SeekerOpen || p.Phone != access.MaskPhone(fmt.Sprintf("1581234%04d", i)) || p.RetainUntil != "2027-03-02" {
				t.Fatalf("seeker added: %+v", p)
			}
			return p
		}
		_, err := s.AddSeeker(ctx, staff, pool.Seeker{Name: "求", Phone: "123", From: "soon", Wants: "anything", CommunityCode: c111})
		for _, f := range []string{"name", "phone", "work_types", "from", "wants"} {
			storetest.WantField(t, err, f)
		}
		_, err = s.AddSeeker(ctx, staff, pool.Seeker{Name: "求职者", Phone: "15812340000", WorkTypes: []pool.WorkType{"general"}, From: today, CommunityCode: s11})
		storetest.WantField(t, err, "community_code")
		a, b := add(staff, c111, 1, "general"), add(e.actor("grid_"+c111+"001"), c111, 2, "general")
		c := add(staff, c111, 3, "sewing")
		var racers []pool.Seeker
		for i := range 4 {
			racers = append(racers, add(staff, c111, 10+i, "general", "packing"))
		}
		elsewhere := add(e.actor("community_"+c112), c112, 20, "general")

		list, n, err := s.Seekers(ctx, staff, pooldb.SeekerQuery{Page: store.Page{Size: store.MaxPageSize}})
		if err != nil || n != 7 || len(list) != 7 {
			t.Fatalf("the community's seekers: %d (%v)", n, err)
		}
		for _, p := range list {
			if !strings.Contains(p.Phone, "****") || p.CommunityCode != c111 {
				t.Errorf("listed seeker: %+v", p)
			}
		}
		if _, n, _ := s.Seekers(ctx, staff, pooldb.SeekerQuery{WorkType: "sewing"}); n != 1 {
			t.Errorf("%d sewing seekers; want 1", n)
		}
		_, _, err = s.Seekers(ctx, staff, pooldb.SeekerQuery{WorkType: "juggler"})
		storetest.WantField(t, err, "work_type")

		// One placed on a need: the enterprise is told who to call.
		na := must(s.PostNeed(ctx, borrower, need(B, 1)))(t)
		placed := must(s.PlaceSeeker(ctx, staff, a.ID, na.ID, a.Version))(t)
		if placed.Status != pool.SeekerPlaced || placed.NeedID != na.ID || placed.PlacedAt.IsZero() || placed.Phone != a.Phone {
			t.Errorf("placed: %+v", placed)
		}
		if got := e.needOf(na.ID); got.Taken != 1 || got.Status != pool.NeedFilled {
			t.Errorf("the need after the placement: taken %d, %s", got.Taken, got.Status)
		}
		notices, _, err := e.s.Inbox(ctx, borrower, store.Page{})
		if err != nil || len(notices) == 0 || notices[0].Kind != "pool.seeker" || !strings.Contains(notices[0].Title, "15812340001") || !strings.Contains(notices[0].Title, "求职者01") {
			t.Errorf("the borrower's notice: %+v (%v)", notices, err)
		}
		before := e.snapshot()
		_, err = s.PlaceSeeker(ctx, staff, a.ID, na.ID, placed.Version)
		storetest.WantKind(t, err, fault.Conflict)
		_, err = s.PlaceSeeker(ctx, staff, b.ID, na.ID, b.Version) // no slot left
		storetest.WantKind(t, err, fault.Conflict)
		_, err = s.PlaceSeeker(ctx, staff, b.ID, 1<<40, b.Version)
		storetest.WantKind(t, err, fault.NotFound)
		e.unchanged(before, "refused placements")

		// The last slot, raced between a seeker and a lender.
		w := e.worker("2026-06-30", "2027-12-31")
		w.EnterpriseID = L
		must(s.Offer(ctx, lender, w))(t)
		seekersWon := 0
		for i, r := range racers {
			n := must(s.PostNeed(ctx, borrower, need(B, 1)))(t)
			errs := storetest.Race(func() error {
				_, err := s.PlaceSeeker(ctx, staff, r.ID, n.ID, r.Version)
				return err
			}, func() error {
				_, err := s.Propose(ctx, staff, n.ID, L, 1)
				return err
			})
			win := storetest.OneWins(t, fmt.Sprintf("seeker or lender %d", i), errs, fault.Conflict, "")
			got := e.needOf(n.ID)
			loans, k, err := s.Loans(ctx, staff, pooldb.LoanQuery{Need: n.ID})
			if err != nil || got.Taken != 1 || got.Status != pool.NeedFilled || k != win || win == 1 && loans[0].Heads != 1 {
				t.Errorf("race %d (winner %d): need taken %d %s, %d loans (%v)", i, win, got.Taken, got.Status, k, err)
			}
			if win == 0 {
				seekersWon++
				racers[i].Status = pool.SeekerPlaced
			}
		}
		t.Logf("seekers won %d of %d races", seekersWon, len(racers))
		for _, r := range racers {
			list, _, err := s.Seekers(ctx, staff, pooldb.SeekerQuery{Status: r.Status, Page: store.Page{Size: store.MaxPageSize}})
			if err != nil || !slices.ContainsFunc(list, func(p pool.Seeker) bool { return p.ID == r.ID }) {
				t.Errorf("seeker %d is not %s", r.ID, r.Status)
			}
		}
		e.consistent()

		// One withdraws (not twice, not another community's).
		storetest.WantKind(t, s.WithdrawSeeker(ctx, e.actor("community_"+c112), b.ID, b.Version), fault.NotFound)
		if err := s.WithdrawSeeker(ctx, staff, b.ID, b.Version); err != nil {
			t.Fatal(err)
		}
		storetest.WantKind(t, s.WithdrawSeeker(ctx, staff, b.ID, b.Version), fault.Conflict)

		// A need no worker fits: the matcher counts the seekers who might.
		sewing := need(B, 2)
		sewing.WorkType = "sewing"
		ns := must(s.PostNeed(ctx, borrower, sewing))(t)
		sg := must(s.Suggest(ctx, staff))(t)
		i := slices.IndexFunc(sg.Unfilled, func(u pooldb.Unfilled) bool { return u.NeedID == ns.ID })
		if i < 0 || sg.Unfilled[i].Short != 2 || sg.Unfilled[i].Seekers != 1 {
			t.Errorf("unfilled: %+v", sg.Unfilled)
		}

		// The purge: placed and withdrawn seekers are kept 90 days, open
		// ones a year.
		gone := 2 + seekersWon // a, b and the racers placed
		if n := must(s.Purge(ctx))(t); n != 0 {
			t.Errorf("the purge on the first day deleted %d", n)
		}
		e.toDay("2026-05-31") // 90 days on: the last day kept
		if n := must(s.Purge(ctx))(t); n != 0 {
			t.Errorf("the purge on the last day kept deleted %d", n)
		}
		e.toDay("2026-06-01")
		var deleted [2]int64
		errs := storetest.Race(func() (err error) {
			deleted[0], err = s.Purge(ctx)
			return err
		}, func() (err error) {
			deleted[1], err = s.Purge(ctx)
			return err
		})
		if errs[0] != nil || errs[1] != nil || deleted[0]+deleted[1] != int64(gone) {
			t.Errorf("two purges at once deleted %v (%v); want %d in all", deleted, errs, gone)
		}
		left, n, err := s.Seekers(ctx, e.actor("admin"), pooldb.SeekerQuery{Page: store.Page{Size: store.MaxPageSize}})
		if err != nil || n != 8-gone {
			t.Errorf("%d seekers left (%v); want %d", n, err, 8-gone)
		}
		for _, p := range left {
			if p.Status != pool.SeekerOpen || p.ID == a.ID || p.ID == b.ID {
				t.Errorf("left after the purge: %+v", p)
			}
		}
		if !slices.ContainsFunc(left, func(p pool.Seeker) bool { return p.ID == c.ID }) ||
			!slices.ContainsFunc(left, func(p pool.Seeker) bool { return p.ID == elsewhere.ID }) {
			t.Errorf("the open seekers were purged: %+v", left)
		}
		if got, _ := e.audits(); got["pool.purge"] < 1 || got["pool.purge"] > 2 || got["pool.seeker"] != 8 ||
			got["pool.seeker.place"] != 1+seekersWon || got["pool.seeker.withdraw"] != 1 {
			t.Errorf("audit: %v", got)
		}
		e.s.Clock.Advance(366 * 24 * time.Hour)
		if n := must(s.Purge(ctx))(t); n != int64(8-gone) {
			t.Errorf("the purge a year on deleted %d; want %d", n, 8-gone)
		}
	})
}

// TestPurgeWorkers: a worker out of the pool keeps a phone and an ID number
// for WorkerRetention (the wage records' two years), then loses them; a
// worker still in the pool keeps them whatever its age.
func TestPurgeWorkers(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Pool, e.ctx
		lender := e.actor("ent_" + c111)
		L := e.ent(c111, 1, 0)
		gone, kept := e.worker("2026-06-30", "2028-12-31"), e.worker("2026-06-30", "2028-12-31")
		gone.EnterpriseID, kept.EnterpriseID = L, L
		gone, kept = must(s.Offer(ctx, lender, gone))(t), must(s.Offer(ctx, lender, kept))(t)
		must(s.Withdraw(ctx, lender, gone.ID, gone.Version))(t)
		e.s.Clock.Advance(pooldb.WorkerRetention - time.Hour)
		if n := must(s.Purge(ctx))(t); n != 0 {
			t.Errorf("before the retention ends the purge changed %d records", n)
		}
		e.s.Clock.Advance(2 * time.Hour)
		if n := must(s.Purge(ctx))(t); n != 1 {
			t.Errorf("after the retention the purge changed %d records; want the one worker", n)
		}
		if w := must(s.Reveal(ctx, e.actor("admin"), gone.ID))(t); w.Phone != "" || w.IDNumber != "" {
			t.Errorf("the worker out of the pool still has %q, %q", w.Phone, w.IDNumber)
		}
		if w := must(s.Reveal(ctx, e.actor("admin"), kept.ID))(t); w.Phone == "" || w.IDNumber == "" {
			t.Errorf("the worker in the pool lost its phone or ID number")
		}
		if n := must(s.Purge(ctx))(t); n != 0 {
			t.Errorf("a second purge changed %d records", n)
		}
	})
}
