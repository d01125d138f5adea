package pooldb_test

import (
	"sync"
	"testing"
	"time"
)

// TestAlerts: a need nobody proposed a lender for within 24 hours, and a
// proposal the lender left unanswered for 24 hours, are each told once to
// the community (and the lender of its step), however many instances run
// the job at once; a new step past its limit is told again.
func TestAlerts(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Pool, e.ctx
		staff := e.actor("community_" + c111)
		lender, borrower := e.actor("ent_"+c111), e.actor("entb_"+c111)
		L, B := e.ent(c111, 1, 0), e.ent(c111, 1, 1)
		w := e.worker("2026-06-30", "2027-12-31")
		w.EnterpriseID = L
		must(s.Offer(ctx, lender, w))(t)
		must(s.PostNeed(ctx, borrower, need(B, 1)))(t)
		second := must(s.PostNeed(ctx, borrower, need(B, 1)))(t)
		if got := must(s.RunAlerts(ctx, 100))(t); got != 0 {
			t.Fatalf("%d alerts at once", got)
		}
		e.s.Clock.Advance(23 * time.Hour)
		must(s.Propose(ctx, staff, second.ID, L, 1))(t) // proposed in time: no alert for it
		e.s.Clock.Advance(2 * time.Hour)
		before := e.kinds(staff)["pool.overdue"]
		var wg sync.WaitGroup
		raised := make([]int, 4)
		for i := range raised {
			wg.Go(func() { raised[i] = must(s.RunAlerts(ctx, 100))(t) })
		}
		wg.Wait()
		if sum := raised[0] + raised[1] + raised[2] + raised[3]; sum != 1 {
			t.Errorf("four runs at once raised %v; want the unmatched need once", raised)
		}
		if got := e.kinds(staff)["pool.overdue"] - before; got != 1 {
			t.Errorf("the community was told %d times; want once", got)
		}
		// The proposal's 24 hours pass: the community and the lender are told, once.
		e.s.Clock.Advance(23 * time.Hour)
		lenderBefore := e.kinds(lender)["pool.overdue"]
		if got := must(s.RunAlerts(ctx, 100))(t); got != 1 {
			t.Errorf("the overdue choice raised %d alerts; want 1", got)
		}
		if got := must(s.RunAlerts(ctx, 100))(t); got != 0 {
			t.Errorf("a second run raised %d alerts", got)
		}
		if got := e.kinds(lender)["pool.overdue"] - lenderBefore; got != 1 {
			t.Errorf("the lender was told %d times; want once", got)
		}
		if got, _ := e.audits(); got["pool.alert"] != 2 {
			t.Errorf("alerts audited: %d; want 2", got["pool.alert"])
		}
	})
}
