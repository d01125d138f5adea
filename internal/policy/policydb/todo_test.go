package policydb_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/dossier"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/store/storetest"
)

// todos is an actor's to-do list of a kind as ref → colour; the count the
// store gives must be the list's length.
func (e *env) todos(who, kind string) map[string]string {
	e.t.Helper()
	items, n, err := e.s.Policy.Todo(e.ctx, e.actor(who), kind, 0)
	if err != nil || n != len(items) {
		e.t.Fatalf("%s's %s: %d of %v, %v", who, kind, n, items, err)
	}
	out := map[string]string{}
	for _, it := range items {
		if it.Kind != kind || it.Href == "" || it.Title == "" {
			e.t.Errorf("%s's %s: item %+v", who, kind, it)
		}
		out[it.Ref] = it.Colour
	}
	return out
}

// todoIs fails the test unless who's to-do list of kind is want (ref → colour).
func (e *env) todoIs(who, kind string, want map[string]string) {
	e.t.Helper()
	if got := e.todos(who, kind); !maps.Equal(got, want) {
		e.t.Errorf("%s's %s: %v; want %v", who, kind, got, want)
	}
}

func bref(b policy.Benefit) string { return fmt.Sprintf("B%d", b.ID) }
func cref(c policy.Claim) string   { return fmt.Sprintf("C%d", c.ID) }

// TestTodo follows precise push's to-do lists through a benefit's life: the
// enterprise's benefits to apply for (coloured by the closing day),
// matches to confirm and materials asked; the grid worker's count of
// qualifying enterprises that have not acted; the department's
// applications to review on the working-day calendar, dry runs to sign
// off, lists to notice and approve, and resource requests.
func TestTodo(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Policy, e.ctx
		for role, kinds := range map[access.Role][]string{
			access.RoleEnterprise:     {"policy.apply", "policy.confirm", "policy.more"},
			access.RoleGridWorker:     {"policy.chase"},
			access.RoleCadre:          {"policy.chase"},
			access.RoleDepartment:     {"policy.review", "policy.sign", "policy.notice", "policy.request"},
			access.RoleCommunityStaff: nil,
			access.RoleAdmin:          nil,
		} {
			if got := s.TodoKinds(role); !slices.Equal(got, kinds) {
				t.Errorf("%s's kinds: %v, want %v", role, got, kinds)
			}
		}
		ent, grid := "ent_"+c111, "grid_"+c111+"001"
		E1 := e.ent(c111, 1, 0)
		p := e.policyOf()
		anyone := []policy.Condition{{Field: "industry", Op: policy.In, Value: "34"}}
		apply, _ := e.grant(p, policy.Benefit{Title: "研发补助", Kind: policy.Subsidy, Mode: policy.Apply, Materials: []string{"申请表"},
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 10_000}, ReviewDays: 10})
		soon, _ := e.grant(p, policy.Benefit{Title: "即将截止的补助", Kind: policy.Subsidy, Mode: policy.Apply, Opens: "2026-03-01", Closes: "2026-03-04",
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 1_000}})
		mid, _ := e.grant(p, policy.Benefit{Title: "十日内截止的补助", Kind: policy.Subsidy, Mode: policy.Apply, Opens: "2026-03-01", Closes: "2026-03-10",
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 1_000}})
		e.grant(p, policy.Benefit{Title: "四月开放的补助", Kind: policy.Subsidy, Mode: policy.Apply, Opens: "2026-04-01", Closes: "2026-06-30",
			Conditions: anyone, Amount: policy.AmountRule{Kind: "fixed", Yuan: 1_000}})
		maybe, _ := e.grant(p, policy.Benefit{Title: "纳税奖励", Kind: policy.Subsidy, Mode: policy.Apply,
			Conditions: []policy.Condition{{Field: "revenue", Op: policy.Ge, Value: "100", Period: "2025", Authoritative: true}},
			Amount:     policy.AmountRule{Kind: "fixed", Yuan: 1_000}})
		auto, _ := e.grant(p, policy.Benefit{Title: "房租补贴", Kind: policy.FeeRelief, Mode: policy.Auto, NoticeDays: 5,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: c111 + "001"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 2_000}})
		m := e.claimOf(auto.ID, E1)

		// the enterprise: what it was told and may apply for now, the match to confirm
		e.todoIs(ent, "policy.apply", map[string]string{bref(apply): "green", bref(soon): "red", bref(mid): "yellow", bref(maybe): "green"})
		e.todoIs(ent, "policy.confirm", map[string]string{cref(m): "green"})
		e.todoIs(ent, "policy.more", map[string]string{})
		e.todoIs("ent_"+c211, "policy.confirm", map[string]string{})
		if items, n, err := s.Todo(ctx, e.actor(ent), "policy.apply", 2); err != nil || n != 4 || len(items) != 2 || items[0].Ref != bref(soon) {
			t.Errorf("the first two of four: %+v %d %v", items, n, err)
		}
		// the grid worker: how many of its enterprises qualify and have not acted, per benefit
		chase := func(want map[int64]int) {
			t.Helper()
			items, n, err := s.Todo(ctx, e.actor(grid), "policy.chase", 0)
			got := map[int64]string{}
			for _, it := range items {
				var id int64
				fmt.Sscanf(it.Href, "/policy/benefits/%d/enterprises", &id)
				got[id] = it.Ref
			}
			w := map[int64]string{}
			for id, k := range want {
				w[id] = fmt.Sprint(k)
			}
			if err != nil || n != len(items) || !maps.Equal(got, w) {
				t.Errorf("the grid's enterprises to chase: %v (%d, %v); want %v", got, n, err, w)
			}
		}
		chase(map[int64]int{apply.ID: 3, soon.ID: 3, mid.ID: 3, auto.ID: 3})
		if items, _, _ := s.Todo(ctx, e.actor("grid_"+c211+"001"), "policy.chase", 0); len(items) != 3 {
			t.Errorf("another grid's chase: %+v", items)
		}
		if items, _, _ := s.Todo(ctx, e.actor("cadre"), "policy.chase", 0); len(items) != 3 || items[0].Ref != "4" {
			t.Errorf("the cadre's chase: %+v", items)
		}
		e.todoIs("cadre_idle", "policy.chase", map[string]string{})

		// an application: off the enterprise's list, on the department's
		c, err := s.Apply(ctx, e.actor(ent), apply.ID, E1, form)
		if err != nil {
			t.Fatal(err)
		}
		e.todoIs(ent, "policy.apply", map[string]string{bref(soon): "red", bref(mid): "yellow", bref(maybe): "green"})
		chase(map[int64]int{apply.ID: 2, soon.ID: 3, mid.ID: 3, auto.ID: 3})
		e.todoIs("dept_tax", "policy.review", map[string]string{cref(c): "green"})
		e.todoIs("dept_tax2", "policy.review", map[string]string{cref(c): "green"})
		e.todoIs("dept_hrss", "policy.review", map[string]string{})
		if items, _, _ := s.Todo(ctx, e.actor("dept_tax"), "policy.review", 0); len(items) != 1 || items[0].Enterprise == "" || !items[0].Due.Equal(c.Due) {
			t.Errorf("the review item: %+v; due %v", items, c.Due)
		}

		// the match confirmed: off the enterprise's list and the grid's count, on the department's to notice
		if _, err := s.Confirm(ctx, e.actor(ent), m.ID, m.Version, "宁波银行", "6222000012345678"); err != nil {
			t.Fatal(err)
		}
		e.todoIs(ent, "policy.confirm", map[string]string{})
		chase(map[int64]int{apply.ID: 2, soon.ID: 3, mid.ID: 3, auto.ID: 2})
		e.todoIs("dept_tax", "policy.notice", map[string]string{"1": ""})
		e.todoIs("dept_hrss", "policy.notice", map[string]string{})

		// more asked, then given
		c = e.act("dept_tax", c, policydb.Step{Action: "ask_more", Note: "请补充社保缴费证明"})
		e.todoIs(ent, "policy.more", map[string]string{cref(c): "green"})
		e.todoIs("dept_tax", "policy.review", map[string]string{})
		c = e.act(ent, c, policydb.Step{Action: "resubmit", Materials: form})
		e.todoIs(ent, "policy.more", map[string]string{})
		e.todoIs("dept_tax", "policy.review", map[string]string{cref(c): "green"})

		// a dry run to sign off: someone else's
		d := e.draft(p, policy.Benefit{Title: "待签核补助", Kind: policy.Subsidy, Mode: policy.Apply, Conditions: anyone, Amount: policy.AmountRule{Kind: "none"}})
		e.todoIs("dept_tax2", "policy.sign", map[string]string{})
		run, err := s.DryRun(ctx, e.actor("dept_tax"), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.todoIs("dept_tax2", "policy.sign", map[string]string{bref(d): ""})
		e.todoIs("dept_tax", "policy.sign", map[string]string{})
		e.todoIs("dept_hrss", "policy.sign", map[string]string{})
		if _, err := s.Sign(ctx, e.actor("dept_tax2"), run.ID, ""); err != nil {
			t.Fatal(err)
		}
		e.todoIs("dept_tax2", "policy.sign", map[string]string{})

		// a resource request: the keeping department's
		r, err := s.SaveResource(ctx, e.actor("dept_tax"), policy.Resource{Kind: "lab", Name: "模具检测实验室", Provider: "宁波大学", Contact: "王工"})
		if err != nil {
			t.Fatal(err)
		}
		q, err := s.RequestResource(ctx, e.actor(ent), r.ID, E1, "需要模具检测")
		if err != nil {
			t.Fatal(err)
		}
		e.todoIs("dept_tax", "policy.request", map[string]string{fmt.Sprintf("R%d", q.ID): ""})
		e.todoIs("dept_hrss", "policy.request", map[string]string{})

		// the notice: off the list while it runs, back when it is over
		n, err := s.CreateNotice(ctx, e.actor("dept_tax"), auto.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.todoIs("dept_tax", "policy.notice", map[string]string{})

		// the review limit: 10 working days from the resubmission (Monday 2 March)
		e.s.Clock.Advance(10 * 24 * time.Hour) // Thursday 12 March: 8 working days
		e.todoIs("dept_tax", "policy.review", map[string]string{cref(c): "yellow"})
		e.todoIs("dept_tax", "policy.notice", map[string]string{"1": ""})
		e.todoIs(ent, "policy.apply", map[string]string{bref(maybe): "green"}) // the others closed
		e.s.Clock.Advance(5 * 24 * time.Hour)                                  // Tuesday 17 March: 11 working days
		e.todoIs("dept_tax", "policy.review", map[string]string{cref(c): "red"})
		e.s.Clock.Set(storetest.Start.Add(-24 * time.Hour))
		e.todoIs("dept_tax", "policy.review", map[string]string{cref(c): "green"})
		e.s.Clock.Set(storetest.Start.Add(15 * 24 * time.Hour))

		// done: off every list
		if _, err := s.ApproveNotice(ctx, e.actor("dept_tax"), n.ID); err != nil {
			t.Fatal(err)
		}
		e.todoIs("dept_tax", "policy.notice", map[string]string{})
		e.act("dept_tax", c, policydb.Step{Action: "approve"})
		e.todoIs("dept_tax", "policy.review", map[string]string{})
		if _, err := s.Answer(ctx, e.actor("dept_tax"), q.ID, q.Version, "请于周三上午联系王工"); err != nil {
			t.Fatal(err)
		}
		e.todoIs("dept_tax", "policy.request", map[string]string{})
	})
}

// TestReevaluate: a change of an enterprise's facts or record after
// publication is picked up by the scheduler's run — a new push for a
// benefit it now qualifies for, a "maybe" upgraded to "met" and told
// again, a 免申即享 match made — the marks move past it, and a second run
// does nothing.
func TestReevaluate(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Policy, e.ctx
		E1, E1b, E1c, E2 := e.ent(c111, 1, 0), e.ent(c111, 1, 1), e.ent(c111, 1, 2), e.ent(c112, 1, 0)
		p := e.policyOf()
		rb, pub := e.grant(p, policy.Benefit{Title: "纳税大户奖励", Kind: policy.Subsidy, Mode: policy.Auto,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: c111 + "001"},
				{Field: "revenue", Op: policy.Ge, Value: "200", Period: "2025", Authoritative: true}},
			Amount: policy.AmountRule{Kind: "share", Base: "revenue", Period: "2025", Rate: 10, Cap: 100_000}})
		if pub.Told != 3 || pub.Matched != 0 {
			t.Fatalf("published: %+v", pub)
		}
		eb, pub := e.grant(p, policy.Benefit{Title: "规上奖励", Kind: policy.Subsidy, Mode: policy.Apply,
			Conditions: []policy.Condition{{Field: "employees", Op: policy.Ge, Value: "50"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 1000}})
		if pub.Told != 0 {
			t.Fatalf("published: %+v", pub)
		}
		tb, _ := e.grant(p, policy.Benefit{Title: "专精特新奖励", Kind: policy.Subsidy, Mode: policy.Apply,
			Conditions: []policy.Condition{{Field: "tags", Op: policy.Has, Value: "专精特新"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 5000}})
		if cu, err := s.CheckUp(ctx, e.actor("ent_"+c111), E1); err != nil || cu.Maybe != 1 {
			t.Fatalf("check-up: %+v %v", cu, err)
		}
		push := func(b, ent int64) (verdict string, told, read int64) {
			t.Helper()
			if e.count("SELECT COUNT(*) FROM policy_pushes WHERE benefit_id = ? AND enterprise_id = ?", b, ent) == 0 {
				return "", 0, 0
			}
			err := e.s.Engine.Reader().Row(ctx, "SELECT verdict, told_at, read_at FROM policy_pushes WHERE benefit_id = ? AND enterprise_id = ?", b, ent).
				Scan(&verdict, &told, &read)
			if err != nil {
				t.Fatal(err)
			}
			return verdict, told, read
		}
		marks := func() string {
			t.Helper()
			return fmt.Sprintf("%d/%d %d/%d", e.count("SELECT mark FROM policy_marks WHERE name = 'facts'"), e.count("SELECT mark2 FROM policy_marks WHERE name = 'facts'"),
				e.count("SELECT mark FROM policy_marks WHERE name = 'enterprises'"), e.count("SELECT mark2 FROM policy_marks WHERE name = 'enterprises'"))
		}
		caughtUp := func() string {
			t.Helper()
			last := e.count("SELECT COALESCE(MAX(id), 0) FROM enterprise_facts")
			at := e.count("SELECT COALESCE(MAX(updated_at), 0) FROM enterprises")
			return fmt.Sprintf("%d/%d %d/%d", last, last, at, e.count("SELECT MAX(id) FROM enterprises WHERE updated_at = ?", at))
		}

		// the first run reads every change since the fixture: nothing new
		e.s.Clock.Advance(time.Minute)
		if n, err := s.Reevaluate(ctx); n != 0 || err != nil {
			t.Fatalf("the first run: %d %v", n, err)
		}
		if marks() != caughtUp() {
			t.Errorf("marks %s after the first run; want %s", marks(), caughtUp())
		}
		before := e.snapshot()
		if n, err := s.Reevaluate(ctx); n != 0 || err != nil {
			t.Fatalf("a run without changes: %d %v", n, err)
		}
		e.unchanged(before, "a run without changes")

		// the facts change
		e.s.Clock.Advance(time.Minute)
		now := e.s.Clock.Now().UnixMilli()
		_, _, read := push(rb.ID, E1)
		if read == 0 {
			t.Fatalf("the enterprise did not read its push")
		}
		href := fmt.Sprintf("/policy/benefits/%d", rb.ID)
		toldBefore := e.inbox("ent_"+c111, "policy.push", href)
		e.fact(E1, "revenue", "2025", 30_000_000, dossier.Department)
		e.fact(E1b, "employees", "2026-03-02", 60, dossier.Department)
		e.fact(E2, "employees", "2026-03-02", 13, dossier.Department) // qualifies for nothing
		n, err := s.Reevaluate(ctx)
		if n != 2 || err != nil {
			t.Fatalf("the run after the change: %d %v", n, err)
		}
		if v, told, read := push(rb.ID, E1); v != "met" || told != now || read != 0 {
			t.Errorf("the upgraded push: %s told %d read %d; want met told %d unread", v, told, read, now)
		}
		if v, told, _ := push(eb.ID, E1b); v != "met" || told != now {
			t.Errorf("the new push: %q told %d", v, told)
		}
		if v, _, _ := push(rb.ID, E1b); v != "maybe" {
			t.Errorf("an enterprise unchanged: %q", v)
		}
		if v, _, _ := push(eb.ID, E2); v != "" {
			t.Errorf("an enterprise that does not qualify was pushed: %q", v)
		}
		if got := e.inbox("ent_"+c111, "policy.push", href); got != toldBefore+1 {
			t.Errorf("the enterprise was told %d more times, want once", got-toldBefore)
		}
		mc := e.claimOf(rb.ID, E1)
		if mc.State != policy.Matched || mc.Amount != 30_000 {
			t.Errorf("the match: %+v", mc)
		}
		if marks() != caughtUp() {
			t.Errorf("marks %s after the run; want %s", marks(), caughtUp())
		}
		cu, err := s.CheckUp(ctx, e.actor("ent_"+c111), E1)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range cu.Items {
			if it.Benefit.ID == rb.ID && (it.Verdict != policy.Met || !it.Told || it.Read || it.Claim == nil || it.Amount != 30_000) {
				t.Errorf("the check-up's item: %+v", it)
			}
		}
		before = e.snapshot()
		if n, err := s.Reevaluate(ctx); n != 0 || err != nil {
			t.Errorf("a second run: %d %v", n, err)
		}
		e.unchanged(before, "a second run")

		// the record changes: a tag
		e.s.Clock.Advance(time.Minute)
		rec, err := e.s.Engine.Enterprise(ctx, e.actor("admin"), E1c)
		if err != nil {
			t.Fatal(err)
		}
		rec.Tags = append(rec.Tags, "专精特新")
		if _, err := e.s.Engine.UpdateEnterprise(ctx, e.actor("admin"), E1c, rec.Version, rec); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Reevaluate(ctx); n != 1 || err != nil {
			t.Errorf("the run after a tag: %d %v", n, err)
		}
		if v, _, _ := push(tb.ID, E1c); v != "met" {
			t.Errorf("the tagged enterprise's push: %q", v)
		}
		if marks() != caughtUp() {
			t.Errorf("marks %s after the run; want %s", marks(), caughtUp())
		}

		// a fact the enterprise supplies is evaluated at once: told then, not again
		sb, pub := e.grant(p, policy.Benefit{Title: "参保补贴", Kind: policy.FeeRelief, Mode: policy.Apply,
			Conditions: []policy.Condition{{Field: "insured", Op: policy.Ge, Value: "30"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 1000}})
		if pub.Told != 48 {
			t.Fatalf("published: %+v", pub)
		}
		e.s.Clock.Advance(time.Minute)
		cu, err = s.SupplyFact(ctx, e.actor("ent_"+c111), E1, "insured", "", "35")
		if err != nil {
			t.Fatal(err)
		}
		if v, told, _ := push(sb.ID, E1); v != "met" || told != e.s.Clock.Now().UnixMilli() {
			t.Errorf("the supplied fact: push %q told %d", v, told)
		}
		found := false
		for _, it := range cu.Items {
			if it.Benefit.ID == sb.ID {
				found = it.Verdict == policy.Met && it.Told
			}
		}
		if !found {
			t.Errorf("the check-up after the supplied fact: %+v", cu.Items)
		}
		before = e.snapshot()
		if n, err := s.Reevaluate(ctx); n != 0 || err != nil {
			t.Errorf("the run after a supplied fact: %d %v", n, err)
		}
		e.unchanged(before, "the run after a supplied fact")
		if marks() != caughtUp() {
			t.Errorf("marks %s; want %s", marks(), caughtUp())
		}
	})
}

// TestTodoConfirmClosed: a 免申即享 match whose window has closed can no
// longer be confirmed, so it leaves the enterprise's to-do list (as a
// benefit to apply for does once its window closes).
func TestTodoConfirmClosed(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		auto, _ := e.grant(e.policyOf(), policy.Benefit{Title: "房租补贴", Kind: policy.FeeRelief, Mode: policy.Auto, Opens: "2026-03-01", Closes: "2026-03-04",
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: c111 + "001"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 2_000}})
		m := e.claimOf(auto.ID, e.ent(c111, 1, 0))
		e.todoIs("ent_"+c111, "policy.confirm", map[string]string{cref(m): "red"})
		e.s.Clock.Advance(3 * 24 * time.Hour) // Thursday 5 March
		_, err := e.s.Policy.Confirm(e.ctx, e.actor("ent_"+c111), m.ID, m.Version, "宁波银行", "6222000012345678")
		wantCode(t, err, "policy_window_closed")
		e.todoIs("ent_"+c111, "policy.confirm", map[string]string{})
	})
}

// TestReevaluateNotifiesTheTold: a run notifies the enterprises it told,
// and only those — not every enterprise told of the benefit at the same
// instant (the clock of these tests stands still).
func TestReevaluateNotifiesTheTold(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		b, pub := e.grant(e.policyOf(), policy.Benefit{Title: "参保补贴", Kind: policy.FeeRelief, Mode: policy.Apply,
			Conditions: []policy.Condition{{Field: "insured", Op: policy.Ge, Value: "30"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 1000}})
		if pub.Told != 48 {
			t.Fatalf("published: %+v", pub)
		}
		href := fmt.Sprintf("/policy/benefits/%d", b.ID)
		if n := e.inbox("ent_"+c211, "policy.push", href); n != 1 {
			t.Fatalf("told %d times at publication", n)
		}
		// another enterprise supplies a fact: it is told, nobody else
		if _, err := e.s.Policy.SupplyFact(e.ctx, e.actor("ent_"+c111), e.ent(c111, 1, 0), "insured", "", "35"); err != nil {
			t.Fatal(err)
		}
		if n := e.inbox("ent_"+c111, "policy.push", href); n != 2 {
			t.Errorf("the enterprise that now qualifies was told %d times; want 2", n)
		}
		if n := e.inbox("ent_"+c211, "policy.push", href); n != 1 {
			t.Errorf("an enterprise nothing changed for was told %d times; want once", n)
		}
		if n, err := e.s.Policy.Reevaluate(e.ctx); err != nil || n != 0 {
			t.Errorf("the scheduler's run: %d %v", n, err)
		}
		if n := e.inbox("ent_"+c211, "policy.push", href); n != 1 {
			t.Errorf("after a run that told nobody, an enterprise was told %d times; want once", n)
		}
	})
}
