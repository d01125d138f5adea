package resumption

import (
	"testing"
	"time"

	"qifu/internal/fault"
)

func TestTemplates(t *testing.T) {
	for _, c := range Templates {
		if err := c.Check(); err != nil {
			t.Errorf("%s: %v", c.Key, fault.As(err).Fields)
		}
	}
	if n := len(Prevention.Groups); n != 2 {
		t.Errorf("the prevention checklist has %d groups; want 2", n)
	}
	if n := len(Prevention.Items()); n != 16 {
		t.Errorf("the prevention checklist has %d items; want 16", n)
	}
	bad := Checklist{Key: "x", Zh: "x", Groups: []Group{{Zh: "g", Items: []Item{
		{Key: "a", Zh: "a", Weight: 1, Basis: "b", Verifier: Self},
		{Key: "a", Zh: "dup", Weight: 1, Basis: "b", Verifier: Self},
		{Key: "c", Zh: "c", Weight: 0, Basis: "b", Verifier: Self},
		{Key: "d", Zh: "d", Weight: 1, Basis: "", Verifier: Self},
		{Key: "e", Zh: "e", Weight: 1, Basis: "b", Verifier: "boss"},
	}}}}
	err := bad.Check()
	for _, k := range []string{"groups[0].items[1].key", "groups[0].items[2].weight", "groups[0].items[3].basis", "groups[0].items[4].verifier"} {
		if _, ok := fault.As(err).Fields[k]; !ok {
			t.Errorf("a bad checklist is not refused at %s: %v", k, err)
		}
	}
}

func TestScore(t *testing.T) {
	c := Checklist{Key: "t", Zh: "t", Groups: []Group{{Zh: "g", Items: []Item{
		{Key: "a", Weight: 10}, {Key: "b", Weight: 30}, {Key: "c", Weight: 60}}}}}
	for _, tc := range []struct {
		results map[string]Result
		points  int
		of      int
		missing int
	}{
		{map[string]Result{"a": Done, "b": Done, "c": Done}, 100, 100, 0},
		{map[string]Result{"a": Done, "b": NotDone}, 10, 100, 2},
		{map[string]Result{"a": Done, "b": Done, "c": NA}, 40, 40, 0},
		{map[string]Result{}, 0, 100, 3},
		{map[string]Result{"a": NA, "b": NA, "c": NA}, 0, 0, 0},
	} {
		s := c.ScoreOf(tc.results)
		if s.Points != tc.points || s.Of != tc.of || len(s.Missing) != tc.missing {
			t.Errorf("%v: %+v; want %d of %d, %d missing", tc.results, s, tc.points, tc.of, tc.missing)
		}
	}
	if got := (Score{Points: 40, Of: 40}).Percent(); got != 100 {
		t.Errorf("percent %v", got)
	}
}

func TestFindings(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	powers := []Power{{Department: "safety", Matter: "work_safety", Basis: "安全生产法第六十五条"}}
	staff := Checker{Staff: true}
	inspector := Checker{Department: "safety"}
	other := Checker{Department: "tax"}
	order := Finding{Kind: Rectification, ItemKey: "exits", Note: "疏散通道堆放货物", Matter: "work_safety", Basis: "安全生产法第六十五条", Deadline: now.Add(72 * time.Hour)}
	for _, tc := range []struct {
		what string
		f    Finding
		by   Checker
		kind fault.Kind
	}{
		{"the community agrees an improvement", Finding{Kind: Improvement, Note: "建议增设消毒记录", Consent: true}, staff, ""},
		{"an improvement without consent", Finding{Kind: Improvement, Note: "建议增设消毒记录"}, staff, fault.Invalid},
		{"the community cannot order", order, staff, fault.Forbidden},
		{"a department without the power cannot order", order, other, fault.Forbidden},
		{"the inspector orders", order, inspector, ""},
		{"an order without its basis", Finding{Kind: Rectification, Note: "x", Matter: "work_safety", Deadline: now.Add(time.Hour)}, inspector, fault.Invalid},
		{"an order with a past deadline", Finding{Kind: Rectification, Note: "x", Matter: "work_safety", Basis: "b", Deadline: now}, inspector, fault.Invalid},
		{"no kind", Finding{Note: "x"}, staff, fault.Invalid},
	} {
		err := CheckFinding(tc.f, tc.by, powers, now)
		if fault.KindOf(err) != tc.kind && !(tc.kind == "" && err == nil) {
			t.Errorf("%s: %v; want %q", tc.what, err, tc.kind)
		}
	}
}

func TestRestart(t *testing.T) {
	small, large := Restart{State: Applied, Employees: 40}, Restart{State: Applied, Employees: 400}
	if got, err := Take(small, "check", StreetRole, 100, ""); err != nil || got != Checked {
		t.Fatalf("check: %s %v", got, err)
	}
	small.State, large.State = Checked, Checked
	if got, err := Take(small, "approve", StreetRole, 100, ""); err != nil || got != Approved {
		t.Errorf("the street approves a small enterprise: %s %v", got, err)
	}
	if _, err := Take(large, "approve", StreetRole, 100, ""); fault.KindOf(err) != fault.Forbidden {
		t.Errorf("the street approved a large enterprise: %v", err)
	}
	if got, err := Take(large, "approve", Command, 100, ""); err != nil || got != Approved {
		t.Errorf("the command approves a large enterprise: %s %v", got, err)
	}
	if _, err := Take(large, "refuse", Command, 100, ""); fault.KindOf(err) != fault.Invalid {
		t.Errorf("a refusal without a reason: %v", err)
	}
	if _, err := Take(Restart{State: Approved}, "check", StreetRole, 100, ""); fault.KindOf(err) != fault.Conflict {
		t.Errorf("checking an approved application: %v", err)
	}
	if Approver(99, 100) != StreetRole || Approver(100, 100) != Command || Approver(5000, 0) != StreetRole {
		t.Error("the approver by size")
	}
	if err := (Counts{Isolating: 5, Returned: 10, Planning: 5, OnSite: 95}).Check(100); err == nil {
		t.Error("counts over the workers accepted")
	}
	if err := (Counts{Isolating: 5, Returned: 10, Planning: 5, OnSite: 80}).Check(100); err != nil {
		t.Errorf("counts: %v", err)
	}
}

// TestRates is the hand-checked set of the README: four enterprises on the
// list, one not reported.
func TestRates(t *testing.T) {
	list := []Member{{1, 100, 10}, {2, 300, 30}, {3, 600, 60}, {4, 200, 20}}
	latest := map[int64]Report{
		1: {EnterpriseID: 1, Resumed: true, Since: "2020-02-10", OutputShare: 8000, OnSite: 8, Workers: 10},
		2: {EnterpriseID: 2, Resumed: true, Since: "2020-02-12", OutputShare: 5000, OnSite: 20, Workers: 30},
		3: {EnterpriseID: 3, Resumed: false, Workers: 60},
		9: {EnterpriseID: 9, Resumed: true, OutputShare: 10000}, // off the list
	}
	r := RatesOf(list, latest)
	if r.Reported != 3 || len(r.NotReported) != 1 || r.NotReported[0] != 4 {
		t.Errorf("reported %d, not reported %v", r.Reported, r.NotReported)
	}
	for _, tc := range []struct {
		name string
		got  string
		want string
	}{
		{"复工率", Percent(r.Resumption()), "50.00%"}, // 2 of 4
		{"复产率", Percent(r.Production()), "50.00%"}, // 2 of 4 producing
		{"产能恢复率", Percent(r.Capacity()), "19.17%"}, // (100×0.8 + 300×0.5) ÷ 1,200
		{"返岗率", Percent(r.Return()), "23.33%"},     // 28 ÷ 120
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %s; want %s", tc.name, tc.got, tc.want)
		}
	}
	// a small shop back at full output moves 复产率, hardly 产能恢复率
	latest[4] = Report{EnterpriseID: 4, Resumed: true, Since: "2020-02-15", OutputShare: 10000, OnSite: 20, Workers: 20}
	r2 := RatesOf(list, latest)
	if r2.Production() != 0.75 || r2.Capacity() <= r.Capacity() {
		t.Errorf("after the fourth: 复产率 %v, 产能恢复率 %v", r2.Production(), r2.Capacity())
	}
	if (Rates{}).Resumption() != 0 {
		t.Error("an empty list's rate")
	}
}

func TestReportCheck(t *testing.T) {
	now := time.Date(2020, 2, 20, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		what string
		r    Report
		ok   bool
	}{
		{"resumed", Report{Resumed: true, Since: "2020-02-10", OutputShare: 8000, OnSite: 8, Workers: 10}, true},
		{"not resumed", Report{Workers: 10}, true},
		{"output while not resumed", Report{OutputShare: 100, Workers: 10}, false},
		{"more on site than workers", Report{Resumed: true, Since: "2020-02-10", OnSite: 11, Workers: 10}, false},
		{"resumed tomorrow", Report{Resumed: true, Since: "2020-02-21", Workers: 10}, false},
		{"share over twice normal", Report{Resumed: true, Since: "2020-02-10", OutputShare: 20001, Workers: 10}, false},
	} {
		if err := tc.r.Check(now); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.what, err)
		}
	}
}

func TestCrossCheck(t *testing.T) {
	for _, tc := range []struct {
		resumed       bool
		use, baseline int64
		want          Mismatch
	}{
		{true, 20, 100, ResumedIdle},
		{true, 30, 100, NoMismatch},
		{false, 80, 100, StoppedBusy},
		{false, 69, 100, NoMismatch},
		{true, 50, 0, NoBaseline},
	} {
		if got := CrossCheck(tc.resumed, tc.use, tc.baseline, 3000, 7000); got != tc.want {
			t.Errorf("resumed %v, %d of %d: %q; want %q", tc.resumed, tc.use, tc.baseline, got, tc.want)
		}
	}
}
