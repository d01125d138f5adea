package visitdb_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/dossier"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/pgtest"
	"qifu/internal/platform"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
	"qifu/internal/todo"
	"qifu/internal/visit"
	"qifu/internal/visit/visitdb"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

type testStore struct {
	*storetest.Store
	*platform.Modules
}

func open(t *testing.T, dsn string, c *storetest.Clock) *testStore {
	t.Helper()
	var s testStore
	s.Store = storetest.Open(t, dsn, c, store.Options{}, func(st *store.Store) { s.Modules = platform.Build(st, platform.Options{}) })
	return &s
}

// today is the fake clocks' first day in the district's zone.
var today = storetest.Start.In(calendar.Shanghai).Format("2006-01-02")

// month is a period holding today.
var month = visitdb.Period{From: "2026-03-01", To: "2026-03-31"}

// showcase is the enterprise of the demo's enterprise account, in the grid
// worker's grid, the community staff's community and the street leader's street.
func showcase(t *testing.T) enterprise.Enterprise {
	t.Helper()
	code := storetest.DemoUser(t, "enterprise").EnterpriseCode
	return storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return e.CreditCode == code })
}

// threeProblems is a joint visit of two units finding three problems:
// one solved on the spot, one raised as an appeal, one sent up as a new
// common problem.
func threeProblems(eid int64, by access.Actor) visit.Visit {
	return visit.Visit{EnterpriseID: eid, Kind: visit.Joint,
		Visitors:  []visit.Visitor{{UserID: by.UserID, Name: by.Name, Unit: "社区"}, {Name: "陈科长", Unit: "区经信局"}},
		Situation: visit.Situation{Operation: "正常生产", Orders: "订单不足", Employees: 123},
		Problems: []visit.Problem{
			{Text: "招工难，急缺普工二十人", Category: "labour.recruit", Outcome: visit.Solved, Action: "对接区人力资源市场，下周专场招聘"},
			{Text: "技改补贴申请三个月没有回音", Category: "policy.subsidy", Outcome: visit.Raised},
			{Text: "园区道路夜间没有路灯，员工下班不安全", Category: "utilities", Outcome: visit.Common, TopicTitle: "园区道路路灯缺失"},
		}}
}

// routine is a routine visit of one person of unit, with no problem.
func routine(eid int64, by access.Actor, unit string) visit.Visit {
	return visit.Visit{EnterpriseID: eid, Kind: visit.Routine, NoChange: true,
		Visitors: []visit.Visitor{{UserID: by.UserID, Name: by.Name, Unit: unit}}}
}

func (s *testStore) record(t *testing.T, actor access.Actor, v visit.Visit, key string) visit.Visit {
	t.Helper()
	got, err := s.Visits.Record(context.Background(), actor, v, key)
	if err != nil {
		t.Fatalf("record: %v", err)
	}
	return got
}

func (s *testStore) appealsOf(t *testing.T, eid int64) int {
	t.Helper()
	n, err := s.Appeals.CountAppeals(context.Background(), s.As(t, "admin"), appealdb.AppealQuery{Enterprise: eid})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (s *testStore) factRows(t *testing.T, eid int64) int {
	t.Helper()
	var n int
	if err := store.Scan(s.Reader().Row(context.Background(), "SELECT COUNT(*) FROM enterprise_facts WHERE enterprise_id = ?", eid), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// todos returns the actor's open items of kind, and how many there are.
func (s *testStore) todos(t *testing.T, actor access.Actor, kind string) ([]todo.Item, int) {
	t.Helper()
	items, n, err := s.Visits.Todo(context.Background(), actor, kind, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return items, n
}

func find(items []todo.Item, ref string) (todo.Item, bool) {
	i := slices.IndexFunc(items, func(x todo.Item) bool { return x.Ref == ref })
	if i < 0 {
		return todo.Item{}, false
	}
	return items[i], true
}

func ids(list []visitdb.Listed) []int64 {
	var out []int64
	for _, x := range list {
		out = append(out, x.ID)
	}
	return out
}

// TestRecord records a visit as the grid worker of the enterprise's grid on
// both stores: the visit, its team and problems are read back; the problem
// marked as an appeal became one through the appeal workflow (channel
// visit); the common problem opened a topic in the enterprise's street; a
// retry with the same key returns the same visit and raises nothing twice;
// an enterprise outside the worker's grid is not found; the situation seen
// became facts of the enterprise's file with the staff's source, once.
func TestRecord(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		grid, street, ent := s.As(t, "grid"), s.As(t, "street_leader"), s.As(t, "enterprise")
		ids := s.IDs(t)
		show := showcase(t)
		eid := ids[show.CreditCode]
		if ent.EnterpriseID != eid || show.GridCode != storetest.DemoUser(t, "grid").RegionCode {
			t.Fatalf("the showcase enterprise %d (grid %s) is not the enterprise account's (%d) in the grid worker's grid", eid, show.GridCode, ent.EnterpriseID)
		}

		// Who may record, and where.
		if _, err := s.Visits.Record(ctx, street, routine(eid, street, "街道"), ""); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a street leader records a visit: %v", err)
		}
		if _, err := s.Visits.Record(ctx, ent, routine(eid, ent, "企业"), ""); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("an enterprise records a visit to itself: %v", err)
		}
		outside := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return e.GridCode != show.GridCode })
		_, err := s.Visits.Record(ctx, grid, routine(ids[outside.CreditCode], grid, "社区"), "")
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.Visits.PrefillFor(ctx, grid, ids[outside.CreditCode])
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.Visits.Record(ctx, grid, routine(999999, grid, "社区"), "")
		storetest.WantKind(t, err, fault.NotFound)
		bad := threeProblems(eid, grid)
		bad.Problems[0].Category = "no.such"
		_, err = s.Visits.Record(ctx, grid, bad, "")
		storetest.WantField(t, err, "problems.0.category")
		bad = threeProblems(eid, grid)
		bad.Problems[2].TopicID = 424242
		_, err = s.Visits.Record(ctx, grid, bad, "")
		storetest.WantField(t, err, "problems.2.topic_id")
		_, err = s.Visits.Record(ctx, grid, visit.Visit{EnterpriseID: eid, Kind: visit.Routine}, "")
		storetest.WantField(t, err, "visitors")
		if n, _, err := s.Visits.Visits(ctx, grid, visitdb.VisitQuery{EnterpriseID: eid}); err != nil || len(n) != 0 {
			t.Fatalf("visits after refusals: %d %v", len(n), err)
		}

		appealsBefore := s.appealsOf(t, eid)
		factsBefore := s.factRows(t, eid)
		v := s.record(t, grid, threeProblems(eid, grid), "phone-1")
		if v.ID == 0 || v.On != today || v.Units != 2 || v.RecordedBy != grid.UserID || v.Version != 1 || len(v.Problems) != 3 {
			t.Fatalf("recorded: %+v", v)
		}
		solved, raised, common := v.Problems[0], v.Problems[1], v.Problems[2]
		if solved.ID == 0 || solved.AppealID != 0 || solved.TopicID != 0 || raised.AppealID == 0 || common.TopicID == 0 || common.AppealID != 0 {
			t.Fatalf("problems: %+v", v.Problems)
		}

		// Read back, as the recorder and as the enterprise.
		for _, who := range []access.Actor{grid, ent, street, s.As(t, "community")} {
			got, err := s.Visits.Visit(ctx, who, v.ID)
			if err != nil {
				t.Fatalf("%s reads the visit: %v", who.Role, err)
			}
			if got.EnterpriseID != eid || got.Enterprise != show.Name || got.Kind != visit.Joint || got.On != today || got.Recorder != grid.Name ||
				got.Situation != (visit.Situation{Operation: "正常生产", Orders: "订单不足", Employees: 123}) || got.Units != 2 || got.Version != 1 {
				t.Errorf("%s reads %+v", who.Role, got)
			}
			if len(got.Visitors) != 2 || got.Visitors[0] != (visit.Visitor{UserID: grid.UserID, Name: grid.Name, Unit: "社区"}) ||
				got.Visitors[1] != (visit.Visitor{Name: "陈科长", Unit: "区经信局"}) {
				t.Errorf("visitors %+v", got.Visitors)
			}
			if len(got.Problems) != 3 || got.Problems[0] != solved || got.Problems[1].AppealID != raised.AppealID ||
				got.Problems[2].TopicID != common.TopicID || got.Problems[2].TopicTitle != "园区道路路灯缺失" {
				t.Errorf("problems %+v", got.Problems)
			}
		}
		// Out of reach: another grid's worker, a cadre not assigned to it.
		other := storetest.DemoUser(t, "grid_"+outside.GridCode)
		_, err = s.Visits.Visit(ctx, s.As(t, other.Username), v.ID)
		storetest.WantKind(t, err, fault.NotFound)
		if !slices.Contains(storetest.DemoUser(t, "cadre").Assigned, show.CreditCode) {
			_, err = s.Visits.Visit(ctx, s.As(t, "cadre"), v.ID)
			storetest.WantKind(t, err, fault.NotFound)
		}
		list, total, err := s.Visits.Visits(ctx, grid, visitdb.VisitQuery{Mine: true})
		if err != nil || total != 1 || len(list) != 1 || list[0].ID != v.ID {
			t.Errorf("the worker's visits: %d %v", total, err)
		}

		// The appeal, raised through the workflow on the enterprise's behalf.
		if n := s.appealsOf(t, eid); n != appealsBefore+1 {
			t.Errorf("appeals of the enterprise: %d, want %d", n, appealsBefore+1)
		}
		a, err := s.Appeals.Appeal(ctx, grid, raised.AppealID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Channel != appeal.ChannelVisit || a.EnterpriseID != eid || a.Content != raised.Text || a.Category != "policy.subsidy" ||
			a.Contact != show.Contact {
			t.Errorf("the appeal: channel %s enterprise %d content %q category %s contact %q", a.Channel, a.EnterpriseID, a.Content, a.Category, a.Contact)
		}
		if _, err := s.Appeals.Appeal(ctx, ent, raised.AppealID); err != nil {
			t.Errorf("the enterprise reads the appeal raised for it: %v", err)
		}

		// The common problem: a topic in the enterprise's street, concerning it.
		topic, concerned, err := s.Visits.Topic(ctx, street, common.TopicID)
		if err != nil {
			t.Fatal(err)
		}
		if topic.RegionCode != show.StreetCode || topic.State != visit.TopicOpen || topic.Enterprises != 1 || topic.Title != "园区道路路灯缺失" ||
			topic.Category != "utilities" || topic.Detail != common.Text || topic.Version != 1 {
			t.Errorf("topic %+v", topic)
		}
		if len(concerned) != 1 || concerned[0].EnterpriseID != eid || concerned[0].VisitID != v.ID || concerned[0].On != today {
			t.Errorf("concerned %+v", concerned)
		}
		if open, err := s.Visits.Topics(ctx, street, visit.TopicOpen); err != nil || len(open) != 1 || open[0].ID != topic.ID {
			t.Errorf("the street's open topics: %+v %v", open, err)
		}

		// A retry with the same key: the same visit, no second appeal, no second topic.
		again := s.record(t, grid, threeProblems(eid, grid), "phone-1")
		if again.ID != v.ID || again.Problems[1].AppealID != raised.AppealID || again.Problems[2].TopicID != common.TopicID {
			t.Errorf("retry: visit %d appeal %d topic %d; want %d %d %d", again.ID, again.Problems[1].AppealID, again.Problems[2].TopicID,
				v.ID, raised.AppealID, common.TopicID)
		}
		if n := s.appealsOf(t, eid); n != appealsBefore+1 {
			t.Errorf("appeals after the retry: %d, want %d", n, appealsBefore+1)
		}
		if _, n, _ := s.Visits.Visits(ctx, grid, visitdb.VisitQuery{EnterpriseID: eid}); n != 1 {
			t.Errorf("visits after the retry: %d", n)
		}
		if open, _ := s.Visits.Topics(ctx, street, ""); len(open) != 1 {
			t.Errorf("topics after the retry: %d", len(open))
		}
		if got, err := s.Visits.RaisePending(ctx, grid, v.ID); err != nil || got.Problems[1].AppealID != raised.AppealID {
			t.Errorf("raise pending on a raised visit: %+v %v", got.Problems, err)
		}

		// The situation seen: facts of the enterprise's file, with the staff's source.
		cur, err := dossierdb.CurrentOf(ctx, s.Reader(), eid, []string{"employees", "operation", "orders"})
		if err != nil {
			t.Fatal(err)
		}
		ref := "visit:" + strconv.FormatInt(v.ID, 10)
		f, ok := dossier.Latest(cur, "employees")
		if !ok || f.Num != 123 || f.Source != dossier.Staff || f.Ref != ref || f.Period != today || f.RecordedBy != grid.UserID {
			t.Errorf("employees on file: %+v", f)
		}
		if f, ok := dossier.Latest(cur, "operation"); !ok || f.Text != "正常生产" || f.Source != dossier.Staff || f.Ref != ref {
			t.Errorf("operation on file: %+v", f)
		}
		if f, ok := dossier.Latest(cur, "orders"); !ok || f.Text != "订单不足" || f.Ref != ref {
			t.Errorf("orders on file: %+v", f)
		}
		afterFirst := s.factRows(t, eid)
		if afterFirst != factsBefore+3 {
			t.Errorf("facts: %d, want %d", afterFirst, factsBefore+3)
		}
		// A second visit that finds no change records no fact; nor does one
		// that reports the situation on file.
		second := s.record(t, grid, routine(eid, grid, "社区"), "phone-2")
		if second.ID == v.ID || !second.NoChange {
			t.Fatalf("second visit %+v", second)
		}
		if n := s.factRows(t, eid); n != afterFirst {
			t.Errorf("facts after a visit with no change: %d, want %d", n, afterFirst)
		}
		same := routine(eid, grid, "社区")
		same.NoChange, same.Situation = false, visit.Situation{Operation: "正常生产", Employees: 123}
		s.record(t, grid, same, "phone-3")
		if n := s.factRows(t, eid); n != afterFirst {
			t.Errorf("facts after a visit reporting what is on file: %d, want %d", n, afterFirst)
		}

		// The next visit's form starts from what is on file, with the open topic.
		pre, err := s.Visits.PrefillFor(ctx, grid, eid)
		if err != nil {
			t.Fatal(err)
		}
		if pre.Situation.Employees != 123 || pre.Situation.Operation != "正常生产" || pre.LastOn != today || pre.Kind != visit.Routine ||
			len(pre.Topics) != 1 || pre.Topics[0].ID != common.TopicID || len(pre.Visitors) != 1 {
			t.Errorf("prefill %+v", pre)
		}

		// Another enterprise of the grid joins the topic; a solved problem
		// sent with a topic (the form sends one per row) is not put under it.
		neighbour := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool {
			return e.GridCode == show.GridCode && e.CreditCode != show.CreditCode
		})
		nid := ids[neighbour.CreditCode]
		join := routine(nid, grid, "社区")
		join.Problems = []visit.Problem{
			{Text: "门口道路晚上漆黑一片", Category: "utilities", Outcome: visit.Common, TopicID: common.TopicID},
			{Text: "消防通道被杂物占用", Category: "safety", Outcome: visit.Solved, Action: "当场清理", TopicID: common.TopicID},
		}
		j := s.record(t, grid, join, "")
		if j.Problems[0].TopicID != common.TopicID || j.Problems[1].TopicID != 0 {
			t.Errorf("joined problems %+v", j.Problems)
		}
		topic, concerned, err = s.Visits.Topic(ctx, street, common.TopicID)
		if err != nil || topic.Enterprises != 2 || len(concerned) != 2 {
			t.Errorf("topic after a second enterprise joined: %d enterprises, %d concerned: %v", topic.Enterprises, len(concerned), err)
		}

		// An appeal needs the enterprise's contact: without one nothing is recorded.
		if _, err := s.Writer().Exec(ctx, "UPDATE enterprises SET phone = '' WHERE id = ?", nid); err != nil {
			t.Fatal(err)
		}
		nophone := routine(nid, grid, "社区")
		nophone.Problems = []visit.Problem{{Text: "申请贷款贴息无人受理", Category: "financing", Outcome: visit.Raised}}
		_, err = s.Visits.Record(ctx, grid, nophone, "")
		storetest.WantField(t, err, "problems.0.outcome")
		if _, n, _ := s.Visits.Visits(ctx, grid, visitdb.VisitQuery{EnterpriseID: nid}); n != 1 {
			t.Errorf("visits of the enterprise without a phone: %d, want 1", n)
		}

		// The enterprise's timeline shows its visits.
		tl, err := s.Visits.Timeline(ctx, ent, eid, 10)
		if err != nil || len(tl) != 3 || tl[0].Module != "visit" {
			t.Errorf("timeline: %+v %v", tl, err)
		}
	})
}

// delta is after − before, field by field.
func delta(after, before visitdb.Figures) visitdb.Figures {
	return visitdb.Figures{
		Visits: after.Visits - before.Visits, Enterprises: after.Enterprises - before.Enterprises,
		Problems: after.Problems - before.Problems, SolvedOnSpot: after.SolvedOnSpot - before.SolvedOnSpot,
		Raised: after.Raised - before.Raised, RaisedClosed: after.RaisedClosed - before.RaisedClosed,
		Common: after.Common - before.Common, CommonAnswered: after.CommonAnswered - before.CommonAnswered,
		Confirmed: after.Confirmed - before.Confirmed, Satisfied: after.Satisfied - before.Satisfied, Basic: after.Basic - before.Basic,
		Unsatisfied: after.Unsatisfied - before.Unsatisfied, NotVisited: after.NotVisited - before.NotVisited,
	}
}

// TestFigures follows the district's figures through a visit's life on
// both stores: each step moves them by exactly what the definitions say.
func TestFigures(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		grid, street, ent := s.As(t, "grid"), s.As(t, "street_leader"), s.As(t, "enterprise")
		show := showcase(t)
		eid := ent.EnterpriseID
		leader := s.As(t, "district_leader")
		figures := func(actor access.Actor, by string) (visitdb.Figures, []visitdb.Figures) {
			t.Helper()
			total, rows, err := s.Visits.FiguresOf(ctx, actor, demo.DistrictCode, month, by)
			if err != nil {
				t.Fatalf("figures by %s: %v", by, err)
			}
			return total, rows
		}
		step := func(name string, before visitdb.Figures, want visitdb.Figures) visitdb.Figures {
			t.Helper()
			after, _ := figures(leader, visitdb.ByRegion)
			if got := delta(after, before); got != want {
				t.Errorf("%s: the figures moved by %+v; want %+v", name, got, want)
			}
			// The administrator sees the same district.
			if admin, _ := figures(s.As(t, "admin"), visitdb.ByRegion); delta(admin, after) != (visitdb.Figures{}) {
				t.Errorf("%s: the administrator's figures %+v differ from the leader's %+v", name, admin, after)
			}
			return after
		}

		start, _ := figures(leader, visitdb.ByRegion)
		v := s.record(t, grid, threeProblems(eid, grid), "")
		now := step("record", start, visitdb.Figures{Visits: 1, Enterprises: 1, Problems: 3, SolvedOnSpot: 1, Raised: 1, Common: 1})
		if d := delta(now, start); d.Solved() != 1 {
			t.Errorf("solved after the record: %d", d.Solved())
		}
		_, rows := figures(leader, visitdb.ByRegion)
		if i := slices.IndexFunc(rows, func(f visitdb.Figures) bool { return f.Key == show.StreetCode }); i < 0 || rows[i].Visits < 1 || rows[i].Name == "" {
			t.Errorf("no row of the street %s: %+v", show.StreetCode, rows)
		}
		// Outside the period, nothing.
		if old, _, err := s.Visits.FiguresOf(ctx, leader, demo.DistrictCode, visitdb.Period{From: "2026-01-01", To: "2026-02-28"}, visitdb.ByRegion); err != nil || old.Visits != 0 {
			t.Errorf("figures of the months before: %+v %v", old, err)
		}

		// The enterprise confirms, satisfied.
		if _, err := s.Visits.Confirm(ctx, ent, v.ID, visit.Satisfied, "", v.Version); err != nil {
			t.Fatal(err)
		}
		now = step("confirm", now, visitdb.Figures{Confirmed: 1, Satisfied: 1})

		// The street answers the common problem: answered, and solved.
		topic, _, err := s.Visits.Topic(ctx, street, v.Problems[2].TopicID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Visits.AnswerTopic(ctx, street, topic.ID, "已协调供电公司，本月内安装路灯十二盏", topic.Version); err != nil {
			t.Fatal(err)
		}
		before := now
		now = step("answer", now, visitdb.Figures{CommonAnswered: 1})
		if d := delta(now, before); d.Solved() != 1 {
			t.Errorf("solved by the answer: %d", d.Solved())
		}
		if now.Solved()-start.Solved() != 2 || now.Problems-start.Problems != 3 {
			t.Errorf("solved %d of %d collected", now.Solved()-start.Solved(), now.Problems-start.Problems)
		}

		// A visit the enterprise says nobody made counts in no figure of
		// visits made, nor its problems; it is counted as disputed.
		ghost := routine(eid, grid, "社区")
		ghost.Problems = []visit.Problem{
			{Text: "企业反映用电负荷不够", Category: "utilities", Outcome: visit.Solved, Action: "已联系供电所"},
			{Text: "企业反映招工困难", Category: "labour.recruit", Outcome: visit.Common, TopicTitle: "园区普工短缺"},
		}
		g := s.record(t, grid, ghost, "")
		step("the disputed visit recorded", now, visitdb.Figures{Visits: 1, Problems: 2, SolvedOnSpot: 1, Common: 1})
		if _, err := s.Visits.Confirm(ctx, ent, g.ID, visit.NotVisited, "当天没有人来过我们公司", g.Version); err != nil {
			t.Fatal(err)
		}
		now = step("not visited", now, visitdb.Figures{NotVisited: 1})

		// By recorder and by unit. A joint visit counts once for each unit,
		// once in the total.
		total, byRecorder := figures(leader, visitdb.ByRecorder)
		i := slices.IndexFunc(byRecorder, func(f visitdb.Figures) bool { return f.Key == strconv.FormatInt(grid.UserID, 10) })
		if i < 0 || byRecorder[i].Name != grid.Name || byRecorder[i].Visits != 1 || byRecorder[i].Problems != 3 || byRecorder[i].NotVisited != 1 {
			t.Errorf("by recorder: %+v", byRecorder)
		}
		if total != now {
			t.Errorf("the total by recorder %+v differs from the total by region %+v", total, now)
		}
		total, byUnit := figures(leader, visitdb.ByUnit)
		units := map[string]visitdb.Figures{}
		for _, f := range byUnit {
			units[f.Key] = f
		}
		if u := units["区经信局"]; u.Name != "区经信局" || u.Visits != 1 || u.Problems != 3 || u.Confirmed != 1 {
			t.Errorf("the unit 区经信局: %+v", u)
		}
		if u := units["社区"]; u.Visits != 1 || u.Problems != 3 || u.NotVisited != 1 {
			t.Errorf("the unit 社区: %+v", u)
		}
		if total != now {
			t.Errorf("the total by unit %+v differs from the total by region %+v", total, now)
		}
		if _, _, err := s.Visits.FiguresOf(ctx, leader, demo.DistrictCode, month, "colour"); !fault.Is(err, fault.Invalid) {
			t.Errorf("figures by colour: %v", err)
		}
		if _, _, err := s.Visits.FiguresOf(ctx, leader, demo.DistrictCode, visitdb.Period{From: "2026-03-31", To: "2026-03-01"}, visitdb.ByRegion); !fault.Is(err, fault.Invalid) {
			t.Errorf("a period ending before it starts: %v", err)
		}
		if _, _, err := s.Visits.FiguresOf(ctx, s.As(t, "lawyer"), demo.DistrictCode, month, visitdb.ByRegion); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a lawyer reads the figures: %v", err)
		}
		// The grid worker's figures are its grid's, whatever region it asks.
		mine, _, err := s.Visits.FiguresOf(ctx, grid, demo.DistrictCode, month, visitdb.ByRegion)
		if err != nil || mine.Visits != now.Visits-start.Visits {
			t.Errorf("the worker's figures: %+v %v", mine, err)
		}
	})
}

// TestConfirm: only the enterprise's own account answers a visit to it,
// once, on the version it saw, with a reason when it is unhappy.
func TestConfirm(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		grid, ent := s.As(t, "grid"), s.As(t, "enterprise")
		eid := ent.EnterpriseID
		v := s.record(t, grid, threeProblems(eid, grid), "")

		for _, who := range []string{"grid", "community", "street_leader", "district_leader", "admin"} {
			_, err := s.Visits.Confirm(ctx, s.As(t, who), v.ID, visit.Satisfied, "", v.Version)
			if !fault.Is(err, fault.Forbidden) {
				t.Errorf("%s confirms: %v", who, err)
			}
		}

		// An enterprise without an account: the community records its answer from a return call,
		// unless the visit was its own.
		show := showcase(t)
		quiet := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool {
			return e.GridCode == show.GridCode && e.CreditCode != show.CreditCode
		})
		qid := s.IDs(t)[quiet.CreditCode]
		community := s.As(t, "community")
		own := s.record(t, community, routine(qid, community, "社区"), "")
		if _, err := s.Visits.Confirm(ctx, community, own.ID, visit.Satisfied, "", own.Version); !fault.Is(err, fault.Forbidden) {
			t.Errorf("the community answers for its own visit: %v", err)
		}
		called := s.record(t, grid, routine(qid, grid, "社区"), "")
		got, err := s.Visits.Confirm(ctx, community, called.ID, visit.Basic, "", called.Version)
		if err != nil || got.FeedbackVia != "phone" || got.Feedback != visit.Basic {
			t.Errorf("the community's return call: %+v, %v", got, err)
		}
		neighbour := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool {
			return e.CreditCode != storetest.DemoUser(t, "enterprise").EnterpriseCode
		})
		otherID := s.IDs(t)[neighbour.CreditCode]
		other := access.Actor{UserID: 999999, Name: "别家企业", Role: access.RoleEnterprise, EnterpriseID: otherID}
		_, err = s.Visits.Confirm(ctx, other, v.ID, visit.Satisfied, "", v.Version)
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.Visits.Visit(ctx, other, v.ID)
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.Visits.Confirm(ctx, ent, 999999, visit.Satisfied, "", 1)
		storetest.WantKind(t, err, fault.NotFound)

		for _, c := range []struct {
			fb          visit.Feedback
			note, field string
		}{
			{"", "", "feedback"},
			{"great", "", "feedback"},
			{visit.Unsatisfied, "", "note"},
			{visit.Unsatisfied, " 差 ", "note"},
			{visit.NotVisited, "", "note"},
			{visit.Basic, strings.Repeat("长", visit.MaxText+1), "note"},
		} {
			_, err := s.Visits.Confirm(ctx, ent, v.ID, c.fb, c.note, v.Version)
			storetest.WantField(t, err, c.field)
		}
		if _, err := s.Visits.Confirm(ctx, ent, v.ID, visit.Basic, "", v.Version+1); err != fault.ErrConflict {
			t.Errorf("a stale version: %v", err)
		}
		got, err = s.Visits.Confirm(ctx, ent, v.ID, visit.Unsatisfied, "  只来了十分钟  ", v.Version)
		if err != nil {
			t.Fatal(err)
		}
		if got.Feedback != visit.Unsatisfied || got.FeedbackNote != "只来了十分钟" || got.Version != v.Version+1 || got.ConfirmedAt.IsZero() {
			t.Errorf("confirmed %+v", got)
		}
		read, err := s.Visits.Visit(ctx, grid, v.ID)
		if err != nil || read.Feedback != visit.Unsatisfied || read.FeedbackNote != "只来了十分钟" || read.Version != got.Version ||
			!read.ConfirmedAt.Equal(got.ConfirmedAt) {
			t.Errorf("read after confirming: %+v %v", read, err)
		}
		_, err = s.Visits.Confirm(ctx, ent, v.ID, visit.Satisfied, "", got.Version)
		storetest.WantKind(t, err, fault.Conflict)
		if n := s.AuditCount(t, store.AuditQuery{Action: "visit.confirm"}); n != 2 { // the return call and the enterprise's own
			t.Errorf("confirmations audited: %d", n)
		}
	})
}

// TestCoverage: the 90-day list and the list of enterprises visited too
// often, as the grid worker sees its grid.
func TestCoverage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		grid, ent := s.As(t, "grid"), s.As(t, "enterprise")
		show := showcase(t)
		eid := ent.EnterpriseID
		inGrid := 0
		for _, e := range storetest.Dataset().Enterprises {
			if e.GridCode == show.GridCode {
				inGrid++
			}
		}
		list := func(name string) ([]int64, []visitdb.Listed) {
			t.Helper()
			l, n, err := s.Visits.List(ctx, grid, show.GridCode, name, store.Page{Size: 200})
			if err != nil {
				t.Fatalf("list %s: %v", name, err)
			}
			if n != len(l) {
				t.Fatalf("list %s: %d of %d", name, len(l), n)
			}
			return ids(l), l
		}
		coverage := func() visitdb.Coverage {
			t.Helper()
			c, _, err := s.Visits.CoverageOf(ctx, grid, show.GridCode, month)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}

		unvisited, _ := list(visitdb.ListUnvisited)
		if len(unvisited) != inGrid || !slices.Contains(unvisited, eid) {
			t.Fatalf("unvisited: %d of %d enterprises, the showcase's there: %v", len(unvisited), inGrid, slices.Contains(unvisited, eid))
		}
		if c := coverage(); c.Enterprises != inGrid || c.Unvisited != inGrid || c.Visited != 0 || c.TooOften != 0 || c.WithGridWorker != inGrid {
			t.Errorf("coverage before: %+v", c)
		}

		// A visit takes it off the 90-day list.
		s.record(t, grid, routine(eid, grid, "社区"), "")
		if unvisited, _ = list(visitdb.ListUnvisited); len(unvisited) != inGrid-1 || slices.Contains(unvisited, eid) {
			t.Errorf("unvisited after a visit: %d, the showcase's there: %v", len(unvisited), slices.Contains(unvisited, eid))
		}
		if c := coverage(); c.Unvisited != inGrid-1 || c.Visited != 1 {
			t.Errorf("coverage after a visit: %+v", c)
		}
		// Two units are not too many.
		s.record(t, grid, routine(eid, grid, "区经信局"), "")
		if often, _ := list(visitdb.ListTooOften); len(often) != 0 {
			t.Errorf("too often after two units: %v", often)
		}
		// The third unit in 30 days is.
		third := s.record(t, grid, routine(eid, grid, "区税务局"), "")
		often, rows := list(visitdb.ListTooOften)
		if len(often) != 1 || often[0] != eid || rows[0].Units != 3 || rows[0].LastOn != today {
			t.Errorf("too often after three units: %+v", rows)
		}
		if c := coverage(); c.TooOften != 1 || c.Visited != 1 || c.Unvisited != inGrid-1 {
			t.Errorf("coverage after three units: %+v", c)
		}
		// A visit the enterprise says nobody made does not count.
		if _, err := s.Visits.Confirm(ctx, ent, third.ID, visit.NotVisited, "税务局的人没有来过", third.Version); err != nil {
			t.Fatal(err)
		}
		if often, _ := list(visitdb.ListTooOften); len(often) != 0 {
			t.Errorf("too often after a visit disputed: %v", often)
		}
		if _, _, err := s.Visits.List(ctx, grid, show.GridCode, "nobody", store.Page{}); !fault.Is(err, fault.Invalid) {
			t.Errorf("an unknown list: %v", err)
		}

		// A fourth visit by the third unit: too often again, until the
		// visits are more than 30 days old.
		s.record(t, grid, routine(eid, grid, "区税务局"), "")
		if often, _ := list(visitdb.ListTooOften); len(often) != 1 {
			t.Errorf("too often after a fourth visit: %v", often)
		}
		s.Clock.Advance(visit.TooOftenDays * 24 * time.Hour)
		if often, _ := list(visitdb.ListTooOften); len(often) != 1 {
			t.Errorf("too often on the 30th day: %v", often)
		}
		s.Clock.Advance(24 * time.Hour)
		if often, _ := list(visitdb.ListTooOften); len(often) != 0 {
			t.Errorf("too often on the 31st day: %v", often)
		}
		// Unvisited again after 90 days, not on the 90th.
		s.Clock.Set(storetest.Start.Add(visit.Unvisited * 24 * time.Hour))
		if unvisited, _ = list(visitdb.ListUnvisited); slices.Contains(unvisited, eid) {
			t.Errorf("unvisited on the 90th day after the last visit")
		}
		s.Clock.Advance(24 * time.Hour)
		if unvisited, _ = list(visitdb.ListUnvisited); !slices.Contains(unvisited, eid) || len(unvisited) != inGrid {
			t.Errorf("unvisited 91 days after: %d of %d, the showcase's there: %v", len(unvisited), inGrid, slices.Contains(unvisited, eid))
		}
		if c := coverage(); c.Unvisited != inGrid || c.TooOften != 0 {
			t.Errorf("coverage 91 days after: %+v", c)
		}
	})
}

// TestTodo: the enterprise confirms a visit to it, the cadre's plan lists
// its enterprises due a visit, the street leader answers a common problem
// sent to the street; each leaves the list once done.
func TestTodo(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		grid, ent, street, cadre := s.As(t, "grid"), s.As(t, "enterprise"), s.As(t, "street_leader"), s.As(t, "cadre")
		eid := ent.EnterpriseID
		ids := s.IDs(t)

		// The wiring: the platform's list joins the visits' kinds.
		if !slices.Contains(s.Todo.Kinds(access.RoleEnterprise), "visit.confirm") || !slices.Contains(s.Todo.Kinds(access.RoleCadre), "visit.due") ||
			!slices.Contains(s.Todo.Kinds(access.RoleStreetLeader), "topic.answer") {
			t.Errorf("the to-do kinds: %v %v %v", s.Todo.Kinds(access.RoleEnterprise), s.Todo.Kinds(access.RoleCadre), s.Todo.Kinds(access.RoleStreetLeader))
		}

		// The enterprise confirms.
		if items, n := s.todos(t, ent, "visit.confirm"); n != 0 {
			t.Fatalf("to confirm before any visit: %+v", items)
		}
		v := s.record(t, grid, threeProblems(eid, grid), "")
		items, n := s.todos(t, ent, "visit.confirm")
		it, ok := find(items, visitdb.Ref(v.ID))
		if n != 1 || !ok || it.Title != today || !it.Due.Equal(v.CreatedAt.Add(visitdb.ConfirmWithin)) || it.Colour != "green" {
			t.Errorf("to confirm: %+v", items)
		}
		page, err := s.Todo.Page(ctx, ent, "visit", 10, 0)
		if err != nil || page.Total != 1 {
			t.Errorf("the enterprise's list of visits to confirm: %+v %v", page, err)
		}
		if _, n := s.todos(t, grid, "visit.confirm"); n != 0 {
			t.Errorf("the grid worker has visits to confirm: %d", n)
		}
		if _, err := s.Visits.Confirm(ctx, ent, v.ID, visit.Basic, "", v.Version); err != nil {
			t.Fatal(err)
		}
		if items, n := s.todos(t, ent, "visit.confirm"); n != 0 {
			t.Errorf("to confirm after confirming: %+v", items)
		}

		// The street leader answers the common problem.
		topicID := v.Problems[2].TopicID
		items, _ = s.todos(t, street, "topic.answer")
		it, ok = find(items, fmt.Sprintf("T%d", topicID))
		if !ok || it.Title != "园区道路路灯缺失" || !it.Due.Equal(v.CreatedAt.Add(visitdb.TopicWithin)) {
			t.Errorf("to answer: %+v", items)
		}
		if items, _ := s.todos(t, s.As(t, "district_leader"), "topic.answer"); len(items) != 0 {
			t.Errorf("the district leader answers the street's topic: %+v", items)
		}
		topic, _, err := s.Visits.Topic(ctx, street, topicID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Visits.AnswerTopic(ctx, grid, topicID, "网格员不能答复共性问题", topic.Version)
		if !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a grid worker answers: %v", err)
		}
		_, err = s.Visits.AnswerTopic(ctx, street, topicID, "好的", topic.Version)
		storetest.WantField(t, err, "answer")
		if _, err := s.Visits.AnswerTopic(ctx, street, topicID, "已协调供电公司安装路灯", topic.Version+1); err != fault.ErrConflict {
			t.Errorf("a stale answer: %v", err)
		}
		answered, err := s.Visits.AnswerTopic(ctx, street, topicID, "已协调供电公司安装路灯", topic.Version)
		if err != nil || answered.State != visit.TopicAnswered || answered.Version != topic.Version+1 {
			t.Fatalf("answer: %+v %v", answered, err)
		}
		if items, _ := s.todos(t, street, "topic.answer"); len(items) != 0 {
			t.Errorf("to answer after answering: %+v", items)
		}
		_, err = s.Visits.AnswerTopic(ctx, street, topicID, "再答复一次共性问题", answered.Version)
		storetest.WantKind(t, err, fault.Conflict)

		// The cadre's plan: every assigned enterprise taken on long ago and
		// never visited is due.
		assigned := storetest.DemoUser(t, "cadre").Assigned
		if len(assigned) < 2 {
			t.Fatalf("the cadre has %d enterprises", len(assigned))
		}
		longAgo := storetest.Start.AddDate(-1, 0, 0).UnixMilli()
		if _, err := s.Writer().Exec(ctx, "UPDATE assignments SET started_at = ? WHERE user_id = ?", longAgo, cadre.UserID); err != nil {
			t.Fatal(err)
		}
		items, n = s.todos(t, cadre, "visit.due")
		if n != len(assigned) {
			t.Errorf("due: %d, want %d", n, len(assigned))
		}
		for _, code := range assigned {
			it, ok := find(items, fmt.Sprintf("E%d", ids[code]))
			if !ok || it.Colour != "red" || it.Href != fmt.Sprintf("/visits/new?enterprise=%d", ids[code]) {
				t.Errorf("due %s: %+v %v", code, it, ok)
			}
		}
		first, second := ids[assigned[0]], ids[assigned[1]]
		// Only the cadre's own enterprises: not another's.
		_, err = s.Visits.Record(ctx, cadre, routine(eid, cadre, "区经信局"), "")
		if !slices.Contains(assigned, storetest.DemoUser(t, "enterprise").EnterpriseCode) {
			storetest.WantKind(t, err, fault.NotFound)
		}
		// A visit to one takes it off, whoever made it.
		s.record(t, cadre, routine(first, cadre, "区经信局"), "")
		items, n = s.todos(t, cadre, "visit.due")
		if _, ok := find(items, fmt.Sprintf("E%d", first)); ok || n != len(assigned)-1 {
			t.Errorf("due after a visit: %d, the visited one there: %v", n, ok)
		}
		// One taken on today is not due yet.
		if _, err := s.Writer().Exec(ctx, "UPDATE assignments SET started_at = ? WHERE user_id = ? AND enterprise_id = ?",
			s.Now().UnixMilli(), cadre.UserID, second); err != nil {
			t.Fatal(err)
		}
		items, n = s.todos(t, cadre, "visit.due")
		if _, ok := find(items, fmt.Sprintf("E%d", second)); ok || n != len(assigned)-2 {
			t.Errorf("due with one taken on today: %d, that one there: %v", n, ok)
		}
		// The plan is nobody else's.
		if _, n := s.todos(t, grid, "visit.due"); n != 0 {
			t.Errorf("the grid worker's plan: %d", n)
		}
	})
}

// TestSuccession: when a cadre's enterprises pass to a successor, the old
// cadre no longer reads their visits nor has them in its plan; the
// successor's plan counts from their last visit, by anyone.
func TestSuccession(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		cadre, org := s.As(t, "cadre"), s.As(t, "organisation")
		ids := s.IDs(t)
		var successorName string
		for _, u := range storetest.Dataset().Users {
			if u.Role == access.RoleCadre && u.Username != "cadre" {
				successorName = u.Username
				break
			}
		}
		if successorName == "" {
			t.Fatal("no second cadre in the demo")
		}
		successor := s.As(t, successorName)
		code := storetest.DemoUser(t, "cadre").Assigned[0]
		x := ids[code]
		level := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return e.CreditCode == code }).KeyLevel

		v := s.record(t, cadre, routine(x, cadre, "区经信局"), "")
		if _, err := s.Visits.Visit(ctx, successor, v.ID); !fault.Is(err, fault.NotFound) {
			t.Errorf("the successor reads the visit before the succession: %v", err)
		}
		n, err := s.ReplaceCadre(ctx, org, cadre.UserID, successor.UserID, "岗位调整")
		if err != nil || n != len(storetest.DemoUser(t, "cadre").Assigned) {
			t.Fatalf("replace: %d %v", n, err)
		}
		old := s.As(t, "cadre")
		_, err = s.Visits.Visit(ctx, old, v.ID)
		storetest.WantKind(t, err, fault.NotFound)
		if list, total, err := s.Visits.Visits(ctx, old, visitdb.VisitQuery{}); err != nil || total != 0 || len(list) != 0 {
			t.Errorf("the old cadre's visits: %d %v", total, err)
		}
		_, err = s.Visits.Record(ctx, old, routine(x, old, "区经信局"), "")
		storetest.WantKind(t, err, fault.NotFound)
		if got, err := s.Visits.Visit(ctx, successor, v.ID); err != nil || got.ID != v.ID {
			t.Errorf("the successor reads the visit: %v", err)
		}

		// When the enterprise comes due, it is in the successor's plan, not the old cadre's.
		day, _ := time.ParseInLocation("2006-01-02", v.On, calendar.Shanghai)
		due := visit.DueAfter(level, day)
		s.Clock.Set(due.Add(-7 * 24 * time.Hour))
		if items, n := s.todos(t, old, "visit.due"); n != 0 {
			t.Errorf("the old cadre's plan: %+v", items)
		}
		items, _ := s.todos(t, successor, "visit.due")
		it, ok := find(items, fmt.Sprintf("E%d", x))
		if !ok || !it.Due.Equal(due) || it.Colour != "yellow" {
			t.Errorf("the successor's plan: %+v (due %s) %v", it, due, ok)
		}
		s.Clock.Set(due.Add(-15 * 24 * time.Hour))
		if items, _ := s.todos(t, successor, "visit.due"); slices.ContainsFunc(items, func(i todo.Item) bool { return i.Ref == fmt.Sprintf("E%d", x) }) {
			t.Errorf("the successor's plan lists it more than 14 days ahead")
		}
	})
}
