package pooldb_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
)

// TestTodo follows one need's to-dos on both stores, step by step: the
// community proposes (its colour turning green, yellow in the last quarter
// of its 24 hours, red after), the lender chooses, the community follows
// the consents, both enterprises seal (each until it has), the borrower
// trains and starts the workers, and both confirm the month's sheet. Each
// item is on the list of whoever acts and of nobody else, and leaves it
// when the step is done.
func TestTodo(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Pool, e.ctx
		staff, farStaff := e.actor("community_"+c111), e.actor("community_"+c211)
		lender, borrower, other := e.actor("ent_"+c111), e.actor("entb_"+c111), e.actor("ent_"+c112)
		L, B := e.ent(c111, 1, 0), e.ent(c111, 1, 1)

		if got := s.TodoKinds(access.RoleEnterprise); !slices.Equal(got, []string{"pool.choose", "pool.seal", "pool.train", "pool.start", "pool.sheet"}) {
			t.Errorf("an enterprise's kinds: %v", got)
		}
		if got := s.TodoKinds(access.RoleCommunityStaff); !slices.Equal(got, []string{"pool.propose", "pool.consent"}) {
			t.Errorf("community staff's kinds: %v", got)
		}
		if got := s.TodoKinds(access.RoleGridWorker); got != nil {
			t.Errorf("a grid worker's kinds: %v", got)
		}
		if kinds := e.s.Todo.Kinds(access.RoleEnterprise); !slices.Contains(kinds, "pool.sheet") {
			t.Errorf("the joined list's kinds of an enterprise lack the pool's: %v", kinds)
		}

		// has checks who has the item ref of kind, and its colour.
		everyone := map[string]access.Actor{"staff": staff, "far staff": farStaff, "lender": lender, "borrower": borrower, "other": other}
		has := func(step, kind, ref, colour string, who ...string) {
			t.Helper()
			for name, a := range everyone {
				items := e.todos(a, kind)
				c, ok := items[ref]
				switch want := slices.Contains(who, name); {
				case want && !ok:
					t.Errorf("%s: %s lacks %s %s", step, name, kind, ref)
				case !want && ok:
					t.Errorf("%s: %s has %s %s", step, name, kind, ref)
				case ok && colour != "" && c != colour:
					t.Errorf("%s: %s's %s %s is %s; want %s", step, name, kind, ref, c, colour)
				}
			}
		}

		ws := []pool.Worker{e.worker("2026-06-30", "2027-12-31"), e.worker("2026-06-30", "2027-12-31")}
		ws = must(s.OfferTeam(ctx, lender, L, pool.Team{Name: "装配组"}, ws))(t)
		n := must(s.PostNeed(ctx, borrower, need(B, 2)))(t)
		nref := fmt.Sprintf("N%d", n.ID)

		// The proposal's clock: 24 hours from the posting.
		has("posted", "pool.propose", nref, "green", "staff")
		items, _ := must2(s.Todo(ctx, staff, "pool.propose", 10))(t)
		if len(items) != 1 || !items[0].Due.Equal(n.PostedAt.Add(24*time.Hour)) || items[0].Enterprise != e.name(B) || items[0].Href != fmt.Sprintf("/pool/needs/%d", n.ID) {
			t.Errorf("the proposal's item: %+v", items)
		}
		e.s.Clock.Advance(17*time.Hour + 59*time.Minute)
		has("almost 18 hours on", "pool.propose", nref, "green", "staff")
		e.s.Clock.Advance(time.Minute)
		has("18 hours on", "pool.propose", nref, "yellow", "staff")
		e.s.Clock.Advance(6*time.Hour - time.Minute)
		has("a minute before the deadline", "pool.propose", nref, "yellow", "staff")
		e.s.Clock.Advance(time.Minute)
		has("24 hours on", "pool.propose", nref, "red", "staff")

		m := must(s.Propose(ctx, staff, n.ID, L, 2))(t)
		lref := fmt.Sprintf("L%d", m.ID)
		has("proposed", "pool.propose", nref, "")
		has("proposed", "pool.choose", lref, "green", "lender")
		e.s.Clock.Advance(19 * time.Hour)
		has("19 hours after the proposal", "pool.choose", lref, "yellow", "lender")

		m = must(s.Choose(ctx, lender, m.ID, []int64{ws[0].ID, ws[1].ID}, m.Version))(t)
		has("chosen", "pool.choose", lref, "")
		has("chosen", "pool.consent", lref, "green", "staff")

		tokens := map[int64]string{}
		for _, p := range m.Placements {
			tokens[p.ID] = must(s.Redeem(ctx, must(s.IssueCode(ctx, staff, p.ID))(t)))(t)
		}
		answer := func(p pool.Placement) {
			t.Helper()
			mine := must(s.Mine(ctx, tokens[p.ID]))(t)
			must(s.Answer(ctx, tokens[p.ID], true, mine.Placement.Version))(t)
		}
		answer(m.Placements[0])
		has("one consent", "pool.consent", lref, "", "staff")
		has("one consent", "pool.seal", lref, "")
		answer(m.Placements[1])
		has("both consents", "pool.consent", lref, "")
		has("both consents", "pool.seal", lref, "green", "lender", "borrower")

		must(s.AddSeal(ctx, lender, m.ID, "lender", scan("todo")))(t)
		has("the lender sealed", "pool.seal", lref, "", "borrower")
		must(s.AddSeal(ctx, borrower, m.ID, "borrower", eseal()))(t)
		has("both sealed", "pool.seal", lref, "")
		has("both sealed", "pool.train", lref, "green", "borrower")
		has("both sealed", "pool.start", lref, "")

		m = e.loan(m.ID)
		must(s.Train(ctx, borrower, m.ID, "岗前安全教育两小时", m.Version))(t)
		has("trained", "pool.train", lref, "")
		has("trained", "pool.start", lref, "green", "borrower")
		for _, p := range m.Placements {
			must(s.Cover(ctx, lender, m.ID, p.ID, "GS-2026-0009", "2026-12-31"))(t)
		}
		e.toDay(firstDay)
		has("the first day, before the starts", "pool.start", lref, "red", "borrower")
		p := e.placement(m.ID, m.Placements[0].ID)
		must(s.Start(ctx, borrower, m.ID, p.ID, p.Version))(t)
		has("one started", "pool.start", lref, "", "borrower")
		p = e.placement(m.ID, m.Placements[1].ID)
		must(s.Start(ctx, borrower, m.ID, p.ID, p.Version))(t)
		has("both started", "pool.start", lref, "")

		// The month's sheet, until each confirms.
		for _, p := range m.Placements {
			must(s.Attend(ctx, borrower, m.ID, p.ID, []string{firstDay}))(t)
		}
		sh := must(s.MakeSheet(ctx, borrower, m.ID, "2026-03"))(t)
		sref := lref + "-2026-03"
		has("the sheet made", "pool.sheet", sref, "green", "lender", "borrower")
		sh = must(s.ConfirmSheet(ctx, borrower, m.ID, "2026-03", "borrower", nil, sh.Version))(t)
		has("the borrower confirmed", "pool.sheet", sref, "", "lender")
		var pay []pooldb.Payment
		for _, l := range sh.Lines {
			pay = append(pay, pooldb.Payment{PlacementID: l.PlacementID, Paid: l.Amount})
		}
		must(s.ConfirmSheet(ctx, lender, m.ID, "2026-03", "lender", pay, sh.Version))(t)
		has("both confirmed", "pool.sheet", sref, "")
		for name, a := range everyone {
			for _, kind := range []string{"pool.propose", "pool.choose", "pool.consent", "pool.seal", "pool.train", "pool.start", "pool.sheet"} {
				if items := e.todos(a, kind); len(items) != 0 {
					t.Errorf("%s still has %s: %v", name, kind, items)
				}
			}
		}
	})
}

// must2 is must for a call with two results and an error.
func must2[T, U any](v T, u U, err error) func(*testing.T) (T, U) {
	return func(t *testing.T) (T, U) {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v, u
	}
}
