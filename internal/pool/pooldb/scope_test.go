package pooldb_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// TestScope checks who reads the pool's records on both stores, from the
// regions and shares of the fixture (not from the code's conditions): a
// lender in the flows' community offers three workers shared with its
// district, street and community; a borrower of the same community posts
// three needs shared likewise, and borrows one worker. Every principal of a
// set covering each relation reads each worker, need and loan (allowed, not
// found, or refused by role) and lists them: an enterprise sees its own
// only; staff who match see what is shared with a region holding theirs,
// phones and ID numbers masked but for the lender's own account; staff of
// another district see nothing. Staff reveal a worker's personal data only
// for an enterprise in their reach, audited. Job seekers are the
// community's: enterprises are refused them, other communities do not see
// them.
func TestScope(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Pool, e.ctx
		staff := e.actor("community_" + c111)
		lender, borrower := e.actor("ent_"+c111), e.actor("entb_"+c111)
		L, B := e.ent(c111, 1, 0), e.ent(c111, 1, 1)
		grid := "grid_" + c111 + "001"

		offer := func(share string) (pool.Worker, pool.Worker) {
			w := e.worker("2026-06-30", "2027-12-31")
			w.EnterpriseID, w.Share = L, share
			return w, must(s.Offer(ctx, lender, w))(t)
		}
		post := func(share string) pool.Need {
			n := need(B, 1)
			n.Share = share
			return must(s.PostNeed(ctx, borrower, n))(t)
		}
		rawD, wD := offer("")
		rawC, wC := offer(c111)
		rawS, wS := offer(s11)
		if wD.Share != d1 || wC.Share != c111 || wS.Share != s11 {
			t.Fatalf("shares: %s %s %s", wD.Share, wC.Share, wS.Share)
		}
		_, err := s.Offer(ctx, lender, pool.Worker{EnterpriseID: L, Name: "员工甲", Phone: "13700000000", IDNumber: rawD.IDNumber,
			WorkTypes: rawD.WorkTypes, ContractEnd: rawD.ContractEnd, From: rawD.From, To: rawD.To, Share: c112})
		storetest.WantField(t, err, "share")
		nD, nC, nS := post(""), post(c111), post(s11)
		m := must(s.Propose(ctx, staff, nD.ID, L, 1))(t)
		m = must(s.Choose(ctx, lender, m.ID, []int64{wD.ID}, m.Version))(t)
		raw := map[int64]pool.Worker{wD.ID: rawD, wC.ID: rawC, wS.ID: rawS}

		// Who sees what: the enterprises their own; the staff and leaders
		// their region's, and what is shared with a region holding theirs.
		all := []string{"admin", "city", "district_" + d1, "district_" + d2, "street_" + s11, "street_" + s12,
			"community_" + c111, "community_" + c112, "community_" + c121, "community_" + c211, grid,
			"ent_" + c111, "entb_" + c111, "ent_" + c112, "ent_" + c211, "cadre", "auditor", "lawyer", "dept_tax"}
		forbidden := []string{"auditor", "lawyer", "dept_tax"}
		region := []string{"admin", "city", "district_" + d1, "street_" + s11, "community_" + c111, grid}
		with := func(list []string, more ...string) []string { return append(slices.Clone(list), more...) }
		workers := map[int64][]string{
			wD.ID: with(region, "ent_"+c111, "street_"+s12, "community_"+c112, "community_"+c121),
			wS.ID: with(region, "ent_"+c111, "community_"+c112),
			wC.ID: with(region, "ent_"+c111),
		}
		needs := map[int64][]string{
			nD.ID: with(region, "entb_"+c111, "street_"+s12, "community_"+c112, "community_"+c121),
			nS.ID: with(region, "entb_"+c111, "community_"+c112),
			nC.ID: with(region, "entb_"+c111),
		}
		loans := map[int64][]string{m.ID: with(region, "ent_"+c111, "entb_"+c111, "street_"+s12, "community_"+c112, "community_"+c121)}

		mismatches := 0
		miss := func(format string, args ...any) {
			t.Helper()
			mismatches++
			if mismatches <= 30 {
				t.Errorf(format, args...)
			}
		}
		want := func(who string, sees []string) byte {
			switch {
			case slices.Contains(forbidden, who):
				return storetest.Forbid
			case slices.Contains(sees, who):
				return storetest.Allow
			}
			return storetest.Absent
		}
		listed := func(who string, ids map[int64][]string) map[int64]bool {
			out := map[int64]bool{}
			for id, sees := range ids {
				if slices.Contains(sees, who) {
					out[id] = true
				}
			}
			return out
		}
		for _, who := range all {
			a := e.actor(who)
			for _, id := range slices.Sorted(maps.Keys(workers)) {
				w, err := s.Worker(ctx, a, id)
				if got, wt := storetest.Outcome(err), want(who, workers[id]); got != wt {
					miss("%s reads worker %d (shared with %s): %c, want %c (%v)", who, id, raw[id].Share, got, wt, err)
					continue
				}
				if err != nil {
					continue
				}
				phone, number := access.MaskPhone(raw[id].Phone), access.MaskIDNumber(raw[id].IDNumber)
				if who == "ent_"+c111 {
					phone, number = raw[id].Phone, raw[id].IDNumber
				}
				if w.Phone != phone || w.IDNumber != number || w.Name != raw[id].Name {
					miss("%s reads worker %d as %s %s %s; want %s %s", who, id, w.Name, w.Phone, w.IDNumber, phone, number)
				}
			}
			for _, id := range slices.Sorted(maps.Keys(needs)) {
				_, err := s.Need(ctx, a, id)
				if got, wt := storetest.Outcome(err), want(who, needs[id]); got != wt {
					miss("%s reads need %d: %c, want %c (%v)", who, id, got, wt, err)
				}
			}
			lm, err := s.Loan(ctx, a, m.ID)
			if got, wt := storetest.Outcome(err), want(who, loans[m.ID]); got != wt {
				miss("%s reads the loan: %c, want %c (%v)", who, got, wt, err)
			} else if err == nil {
				phone := access.MaskPhone(rawD.Phone)
				if who == "ent_"+c111 {
					phone = rawD.Phone // the borrower sees it once the worker consents
				}
				if len(lm.Placements) != 1 || lm.Placements[0].Phone != phone {
					miss("%s reads the loan's placement %+v; want phone %s", who, lm.Placements, phone)
				}
			}
			for _, id := range []int64{1 << 40} {
				_, err1 := s.Worker(ctx, a, id)
				_, err2 := s.Need(ctx, a, id)
				_, err3 := s.Loan(ctx, a, id)
				for i, err := range []error{err1, err2, err3} {
					if got, wt := storetest.Outcome(err), want(who, nil); got != wt {
						miss("%s reads an absent record (%d): %c, want %c (%v)", who, i, got, wt, err)
					}
				}
			}

			// The lists.
			if slices.Contains(forbidden, who) {
				_, _, err1 := s.Workers(ctx, a, pooldb.WorkerQuery{})
				_, _, err2 := s.Needs(ctx, a, pooldb.NeedQuery{})
				_, _, err3 := s.Loans(ctx, a, pooldb.LoanQuery{})
				for _, err := range []error{err1, err2, err3} {
					if storetest.Outcome(err) != storetest.Forbid {
						miss("%s lists: %v; want forbidden", who, err)
					}
				}
				continue
			}
			ws, n, err := s.Workers(ctx, a, pooldb.WorkerQuery{Page: store.Page{Size: store.MaxPageSize}})
			got := map[int64]bool{}
			for _, w := range ws {
				got[w.ID] = true
				if who != "ent_"+c111 && w.Phone == raw[w.ID].Phone {
					miss("%s lists worker %d unmasked", who, w.ID)
				}
			}
			if err != nil || n != len(ws) || !storetest.SameIDs(got, listed(who, workers)) {
				miss("%s lists workers %v (%d, %v); want %v", who, got, n, err, listed(who, workers))
			}
			ns, n, err := s.Needs(ctx, a, pooldb.NeedQuery{Page: store.Page{Size: store.MaxPageSize}})
			got = map[int64]bool{}
			for _, x := range ns {
				got[x.ID] = true
			}
			if err != nil || n != len(ns) || !storetest.SameIDs(got, listed(who, needs)) {
				miss("%s lists needs %v (%d, %v); want %v", who, got, n, err, listed(who, needs))
			}
			ls, n, err := s.Loans(ctx, a, pooldb.LoanQuery{Page: store.Page{Size: store.MaxPageSize}})
			got = map[int64]bool{}
			for _, x := range ls {
				got[x.ID] = true
			}
			if err != nil || n != len(ls) || !storetest.SameIDs(got, listed(who, loans)) {
				miss("%s lists loans %v (%d, %v); want %v", who, got, n, err, listed(who, loans))
			}
		}

		// Acting for another enterprise, or out of reach: not found.
		before := e.snapshot()
		other, far := e.actor("ent_"+c112), e.actor("community_"+c211)
		_, err = s.PostNeed(ctx, other, need(B, 1))
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.Offer(ctx, other, rawC)
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.Choose(ctx, other, m.ID, []int64{wC.ID}, m.Version)
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.Propose(ctx, far, nS.ID, L, 1)
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.Propose(ctx, e.actor("community_"+c121), nS.ID, L, 1) // the need is shared with another street
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.IssueCode(ctx, far, m.Placements[0].ID)
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.Propose(ctx, borrower, nD.ID, L, 1)
		storetest.WantForbidden(t, err)
		_, err = s.Mine(ctx, "no-such-token")
		storetest.WantKind(t, err, fault.NotFound)
		if sg := must(s.Suggest(ctx, far))(t); len(sg.Needs) != 0 || sg.Workers != 0 || len(sg.Proposals) != 0 {
			t.Errorf("another district's staff are suggested %+v", sg)
		}
		// The same street's other community: the need and the worker shared
		// with the street (the district's are taken).
		if sg := must(s.Suggest(ctx, e.actor("community_"+c112)))(t); len(sg.Needs) != 1 || sg.Needs[0].ID != nS.ID || sg.Workers != 1 ||
			len(sg.Proposals) != 1 || sg.Proposals[0].LenderID != L || !slices.Equal(sg.Proposals[0].Candidates, []int64{wS.ID}) {
			t.Errorf("the street's other community is suggested %+v; want need %d and worker %d", sg, nS.ID, wS.ID)
		}
		e.unchanged(before, "reads and refusals out of reach")

		// Personal data, on request, audited.
		audits := func() []string {
			_, targets := e.audits()
			return targets["pool.personal"]
		}
		for who, wantErr := range map[string]byte{"community_" + c111: storetest.Allow, "ent_" + c111: storetest.Allow,
			"community_" + c112: storetest.Forbid, "street_" + s11: storetest.Forbid, "community_" + c211: storetest.Absent} {
			before := len(audits())
			w, err := s.Reveal(ctx, e.actor(who), wD.ID)
			if got := storetest.Outcome(err); got != wantErr {
				t.Errorf("%s reveals the worker: %c, want %c (%v)", who, got, wantErr, err)
			}
			after := audits()
			switch {
			case err == nil && (w.Phone != rawD.Phone || w.IDNumber != rawD.IDNumber):
				t.Errorf("%s revealed %s %s", who, w.Phone, w.IDNumber)
			case err == nil && (len(after) != before+1 || after[0] != fmt.Sprintf("pool_worker/%d", wD.ID)):
				t.Errorf("%s's reveal audited as %v", who, after)
			case err != nil && len(after) != before:
				t.Errorf("%s's refused reveal audited", who)
			}
		}

		// Job seekers: the community's desk.
		seeker := pool.Seeker{Name: "求职者甲", Phone: "13812345678", WorkTypes: []pool.WorkType{"general"}, From: today, CommunityCode: c111}
		_, err = s.AddSeeker(ctx, lender, seeker)
		storetest.WantForbidden(t, err)
		_, err = s.AddSeeker(ctx, e.actor("community_"+c112), seeker)
		storetest.WantKind(t, err, fault.NotFound)
		p := must(s.AddSeeker(ctx, staff, seeker))(t)
		if p.Phone != access.MaskPhone(seeker.Phone) || p.Status != pool.SeekerOpen || p.Wants != pool.WantsEither {
			t.Errorf("seeker added: %+v", p)
		}
		for who, sees := range map[string]byte{"community_" + c111: storetest.Allow, "street_" + s11: storetest.Allow, "district_" + d1: storetest.Allow,
			grid: storetest.Allow, "community_" + c112: storetest.Absent, "community_" + c211: storetest.Absent, "district_" + d2: storetest.Absent,
			"ent_" + c111: storetest.Forbid, "entb_" + c111: storetest.Forbid, "auditor": storetest.Forbid} {
			list, n, err := s.Seekers(ctx, e.actor(who), pooldb.SeekerQuery{})
			got := storetest.Outcome(err)
			if got == storetest.Allow && n == 0 {
				got = storetest.Absent
			}
			if got != sees {
				t.Errorf("%s lists the seekers: %c, want %c (%d, %v)", who, got, sees, n, err)
			}
			if len(list) > 0 && list[0].Phone != access.MaskPhone(seeker.Phone) {
				t.Errorf("%s lists the seeker's phone %s", who, list[0].Phone)
			}
		}
		_, err = s.PlaceSeeker(ctx, e.actor("community_"+c112), p.ID, nD.ID, p.Version)
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.PlaceSeeker(ctx, borrower, p.ID, nD.ID, p.Version)
		storetest.WantForbidden(t, err)
		storetest.WantForbidden(t, s.WithdrawSeeker(ctx, borrower, p.ID, p.Version))
		storetest.WantKind(t, s.WithdrawSeeker(ctx, e.actor("community_"+c112), p.ID, p.Version), fault.NotFound)
	})
}
