package resumptiondb_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience"
	"qifu/internal/demo"
	"qifu/internal/fault"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/pgtest"
	"qifu/internal/platform"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
	"qifu/internal/todo"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

type testStore struct {
	*storetest.Store
	*platform.Modules
	clock *storetest.Clock
}

func open(t *testing.T, dsn string, c *storetest.Clock) *testStore {
	t.Helper()
	s := testStore{clock: c}
	s.Store = storetest.Open(t, dsn, c, store.Options{}, func(st *store.Store) { s.Modules = platform.Build(st, platform.Options{}) })
	return &s
}

// The tests run on the permission fixture (storetest.NewFixture): two
// districts × two streets × two communities × two grids, three
// enterprises a grid, 12 employees and 3,000,000 yuan of revenue each.
const (
	d1    = "330206"
	s11   = "330206001"
	c111  = "330206001001"
	g1111 = "330206001001001"
	d2    = "330203"
)

// env is a test's store, fixture and actors.
type env struct {
	t   *testing.T
	s   *testStore
	ctx context.Context
	f   storetest.Fixture
	ids map[string]int64
	mu  sync.Mutex
	as  map[string]access.Actor
}

func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	f := storetest.NewFixture()
	storetest.Each(t, false, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		if err := s.LoadDemo(ctx, f.Dataset); err != nil {
			t.Fatalf("load fixture: %v", err)
		}
		fn(t, &env{t: t, s: s, ctx: ctx, f: f, ids: s.IDs(t), as: map[string]access.Actor{}})
	})
}

// actor is the fixture's user signed in.
func (e *env) actor(username string) access.Actor {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if a, ok := e.as[username]; ok {
		return a
	}
	a := e.s.As(e.t, username)
	e.as[username] = a
	return a
}

// ent is the fixture's n-th enterprise's ID (in the dataset's order).
func (e *env) ent(n int) int64 { return e.ids[e.f.Enterprises[n].CreditCode] }

// code is the fixture's n-th enterprise's credit code.
func (e *env) code(n int) string { return e.f.Enterprises[n].CreditCode }

// due is a working day a week ahead.
func (e *env) due() string {
	d := e.s.clock.Now().AddDate(0, 0, 7)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d.Format(time.DateOnly)
}

// monitoring starts a daily monitoring campaign of the first street (12
// enterprises) by its street leader.
func (e *env) monitoring() resumptiondb.Campaign {
	e.t.Helper()
	c, err := e.s.Resumption.Start(e.ctx, e.actor("street_"+s11), resumptiondb.Input{Kind: resumptiondb.KindMonitoring, Title: "复工复产日报",
		Due: e.due(), Audience: audience.Definition{Regions: []string{s11}}, Schedule: resumption.Daily})
	if err != nil {
		e.t.Fatalf("start monitoring: %v", err)
	}
	return c
}

func (e *env) report(who string, c resumptiondb.Campaign, n int, r resumption.Report, key string) resumptiondb.Report {
	e.t.Helper()
	rep, _, err := e.s.Resumption.SubmitReport(e.ctx, e.actor(who), resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: e.ent(n), Report: r, Key: key})
	if err != nil {
		e.t.Fatalf("report of %d by %s: %v", n, who, err)
	}
	return rep
}

func TestFlow(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx, rs := e.ctx, e.s.Resumption
		c := e.monitoring()
		if c.Members != 12 {
			t.Fatalf("members = %d, want 12", c.Members)
		}
		today := e.s.clock.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		ent := "ent_" + c111 // the fixture's enterprise 0
		// A report, its retry with the same key, and a correction.
		r := e.report(ent, c, 0, resumption.Report{Resumed: true, Since: today, OutputShare: 6000, OnSite: 9, Workers: 12}, "k1")
		again, replayed, err := rs.SubmitReport(ctx, e.actor(ent), resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: e.ent(0),
			Report: resumption.Report{Resumed: false}, Key: "k1"})
		if err != nil || !replayed || again.ID != r.ID || !again.Resumed {
			t.Fatalf("retry = %+v, %v, %v", again, replayed, err)
		}
		if _, _, err := rs.SubmitReport(ctx, e.actor(ent), resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: e.ent(0),
			Report: resumption.Report{Resumed: true, Since: today, OutputShare: 5000, OnSite: 9, Workers: 12}, Key: "k2"}); !fault.Is(err, fault.Conflict) {
			t.Fatalf("second report of the period without its version: %v", err)
		}
		r2, _, err := rs.SubmitReport(ctx, e.actor(ent), resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: e.ent(0),
			Report: resumption.Report{Resumed: true, Since: today, OutputShare: 5000, OnSite: 6, Workers: 12}, Key: "k2", Version: r.Version})
		if err != nil || r2.Corrections != 1 || r2.OutputShare != 5000 {
			t.Fatalf("correction = %+v, %v", r2, err)
		}
		// Staff report for another enterprise of the grid: not resumed.
		e.report("grid_"+g1111, c, 1, resumption.Report{Resumed: false, Workers: 12}, "")

		// The rates: 12 on the list, 2 reported, 1 resumed.
		rates, rows, err := rs.Rates(ctx, e.actor("street_"+s11), c.ID, resumptiondb.RateQuery{By: "community"})
		if err != nil {
			t.Fatal(err)
		}
		want := resumption.Rates{Members: 12, Reported: 2, Resumed: 1, Producing: 1, Output: 1_500_000, Normal: 36_000_000, OnSite: 6, Workers: 144}
		if rates.Members != want.Members || rates.Reported != want.Reported || rates.Resumed != want.Resumed || rates.Producing != want.Producing ||
			rates.Output != want.Output || rates.Normal != want.Normal || rates.OnSite != want.OnSite || rates.Workers != want.Workers {
			t.Fatalf("rates = %+v, want %+v", rates, want)
		}
		if len(rows) != 2 || rows[0].Key != c111 || rows[0].Rates.Resumed != 1 || rows[1].Rates.Members != 6 {
			t.Fatalf("rows = %+v", rows)
		}
		// The enterprise reads only its own part; another street nothing.
		own, _, err := rs.Rates(ctx, e.actor(ent), c.ID, resumptiondb.RateQuery{})
		if err != nil || own.Members != 1 {
			t.Fatalf("own rates = %+v, %v", own, err)
		}
		if _, _, err := rs.Rates(ctx, e.actor("street_"+d2+"001"), c.ID, resumptiondb.RateQuery{}); !fault.Is(err, fault.NotFound) {
			t.Fatalf("another street's rates: %v", err)
		}
		_, missing, err := rs.Members(ctx, e.actor("street_"+s11), c.ID, resumptiondb.MemberQuery{Missing: true})
		if err != nil || missing != 10 {
			t.Fatalf("missing = %d, %v", missing, err)
		}

		// "No change" the next day repeats the last report.
		e.s.clock.Advance(24 * time.Hour)
		nc, _, err := rs.SubmitReport(ctx, e.actor(ent), resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: e.ent(0), NoChange: true})
		if err != nil || !nc.NoChange || nc.OutputShare != 5000 || nc.Period == r.Period {
			t.Fatalf("no change = %+v, %v", nc, err)
		}

		// A lead firm held up by a supplier in another district: the
		// supplier's grid worker has the to-do.
		far := len(e.f.Enterprises) - 6 // the last community's first grid (district 2, a grid with a worker)
		if e.f.Enterprises[far].GridCode[len(e.f.Enterprises[far].GridCode)-1] != '1' {
			t.Fatalf("fixture changed: %s", e.f.Enterprises[far].GridCode)
		}
		_, _, err = rs.SubmitReport(ctx, e.actor(ent), resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: e.ent(0),
			Report:  resumption.Report{Resumed: true, Since: today, OutputShare: 3000, OnSite: 6, Workers: 12, BlockedBy: []string{e.code(far)}},
			Version: nc.Version})
		if err != nil {
			t.Fatal(err)
		}
		gw := e.actor("grid_" + e.f.Enterprises[far].GridCode)
		items, n, err := rs.Todo(ctx, gw, "resumption.supplier", 10)
		if err != nil || n != 1 {
			t.Fatalf("supplier to-dos = %v, %d, %v", items, n, err)
		}
		blocks, _, err := rs.Blocks(ctx, gw, resumptiondb.BlockQuery{State: "open"})
		if err != nil || len(blocks) != 1 {
			t.Fatalf("blocks = %v, %v", blocks, err)
		}
		if _, err := rs.ResolveBlock(ctx, gw, blocks[0].ID, blocks[0].Version, "供应商已于今日复工"); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := rs.Todo(ctx, gw, "resumption.supplier", 10); n != 0 {
			t.Fatalf("resolved block still a to-do")
		}

		// Electricity: resumed at 20% of last year's use is flagged.
		month := e.s.clock.Now().Format("2006-01")
		last := e.s.clock.Now().AddDate(-1, 0, 0).Format("2006-01")
		res, err := rs.ImportPower(ctx, e.actor("street_"+s11), []resumptiondb.PowerRow{
			{CreditCode: e.code(0), Month: last, KWh: 100000}, {CreditCode: e.code(0), Month: month, KWh: 20000},
			{CreditCode: e.code(1), Month: last, KWh: 100000}, {CreditCode: e.code(1), Month: month, KWh: 90000}})
		if err != nil || len(res.Errors) != 0 || res.Flagged != 2 {
			t.Fatalf("import = %+v, %v", res, err)
		}
		bad, err := rs.ImportPower(ctx, e.actor("street_"+s11), []resumptiondb.PowerRow{{CreditCode: e.code(far), Month: month, KWh: 1}})
		if err != nil || len(bad.Errors) != 1 {
			t.Fatalf("out of reach row = %+v, %v", bad, err)
		}
		flags, _, err := rs.Flags(ctx, e.actor("grid_"+g1111), resumptiondb.FlagQuery{State: "open"})
		if err != nil || len(flags) != 2 {
			t.Fatalf("flags = %+v, %v", flags, err)
		}
		x, err := rs.Exceptions(ctx, e.actor("street_"+s11), c.ID)
		if err != nil || x.FlagCount != 2 || x.Missing != 11 {
			t.Fatalf("exceptions = %+v, %v", x, err)
		}
		if _, err := rs.CheckFlag(ctx, e.actor("grid_"+g1111), flags[0].ID, flags[0].Version, "已上门核实"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestChecklistAndRestart(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx, rs := e.ctx, e.s.Resumption
		street := e.actor("street_" + s11)
		c, err := rs.Start(ctx, street, resumptiondb.Input{Kind: resumptiondb.KindChecklist, Checklist: "prevention", Title: "复工防疫清单",
			Due: e.due(), Audience: audience.Definition{Regions: []string{s11}}, Restart: resumption.RestartApproval, Threshold: 10})
		if err != nil {
			t.Fatal(err)
		}
		ent := e.actor("ent_" + c111)
		in := resumptiondb.RestartInput{CampaignID: c.ID, EnterpriseID: e.ent(0), Pledge: "本企业承诺落实各项防控措施，如实报告员工健康情况。",
			Counts: resumption.Counts{OnSite: 8, Returned: 2, Planning: 2}}
		if _, err := rs.ApplyRestart(ctx, ent, in); !fault.Is(err, fault.Invalid) {
			t.Fatalf("apply without the plan: %v", err)
		}
		answers := form.Answers{}
		for _, it := range resumption.Prevention.Items() {
			answers[it.Key] = form.Answer{Values: []string{"done"}}
		}
		answers["canteen_batches"] = form.Answer{Values: []string{"na"}}
		if _, _, err := e.s.Forms.Submit(ctx, ent, formdb.Input{CampaignID: c.ID, EnterpriseID: e.ent(0), Answers: answers, Medium: "web"}); err != nil {
			t.Fatal(err)
		}
		r, err := rs.ApplyRestart(ctx, ent, in)
		if err != nil || r.State != resumption.Applied || r.Approver != resumption.Command {
			t.Fatalf("apply = %+v, %v", r, err)
		}
		if _, err := rs.ActRestart(ctx, ent, r.ID, r.Version, "check", ""); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("the enterprise checks itself: %v", err)
		}
		r, err = rs.ActRestart(ctx, street, r.ID, r.Version, "check", "")
		if err != nil || r.State != resumption.Checked {
			t.Fatalf("check = %+v, %v", r, err)
		}
		// 12 employees ≥ the threshold of 10: the command approves.
		if _, err := rs.ActRestart(ctx, street, r.ID, r.Version, "approve", ""); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("the street approves a large one: %v", err)
		}
		r, err = rs.ActRestart(ctx, e.actor("district_"+d1), r.ID, r.Version, "approve", "")
		if err != nil || r.State != resumption.Approved || len(r.Steps) != 3 {
			t.Fatalf("approve = %+v, %v", r, err)
		}

		// An advisory check agrees an improvement; a department without the
		// power cannot order a rectification, one with it can.
		results := map[string]resumption.Result{}
		for _, it := range resumption.Prevention.Items() {
			results[it.Key] = resumption.Done
		}
		results["masks"] = resumption.NotDone
		deadline := e.s.clock.Now().AddDate(0, 0, 5).Format(time.DateOnly)
		_, fs, err := rs.RecordCheck(ctx, e.actor("grid_"+g1111), resumptiondb.CheckInput{EnterpriseID: e.ent(0), CampaignID: c.ID,
			Checklist: "prevention", Results: results, Findings: []resumptiondb.FindingInput{{Kind: resumption.Improvement, ItemKey: "masks",
				Note: "口罩储备不足七天", Deadline: deadline, Consent: true}}})
		if err != nil || len(fs) != 1 {
			t.Fatalf("advice = %v, %v", fs, err)
		}
		order := resumptiondb.CheckInput{EnterpriseID: e.ent(0), Checklist: "prevention", Results: results,
			Findings: []resumptiondb.FindingInput{{Kind: resumption.Rectification, ItemKey: "masks", Note: "防护物资不足", Basis: "《传染病防治法》",
				Deadline: deadline}}}
		if _, _, err := rs.RecordCheck(ctx, e.actor("grid_"+g1111), order); err == nil || fault.As(err).Code != "resumption_no_power" {
			t.Fatalf("a grid worker orders: %v", err)
		}
		tax := e.actor("dept_tax")
		if _, _, err := rs.RecordCheck(ctx, tax, order); err == nil || fault.As(err).Code != "resumption_no_power" {
			t.Fatalf("a department without the power orders: %v", err)
		}
		if err := rs.SetPower(ctx, e.actor("admin"), tax.DepartmentID, "epidemic", "《传染病防治法》第五十三条"); err != nil {
			t.Fatal(err)
		}
		_, fs, err = rs.RecordCheck(ctx, tax, order)
		if err != nil || len(fs) != 1 || fs[0].Kind != resumption.Rectification {
			t.Fatalf("rectification = %v, %v", fs, err)
		}
		if _, err := rs.CloseFinding(ctx, e.actor("grid_"+g1111), fs[0].ID, fs[0].Version, "已整改"); err == nil {
			t.Fatal("a grid worker closed a rectification")
		}
		items, _, err := rs.Todo(ctx, ent, "resumption.finding", 10)
		if err != nil || len(items) != 2 {
			t.Fatalf("the enterprise's findings = %v, %v", items, err)
		}
		// Late: escalated once.
		e.s.clock.Advance(7 * 24 * time.Hour)
		if n, err := rs.Escalate(ctx); err != nil || n != 2 {
			t.Fatalf("escalate = %d, %v", n, err)
		}
		if n, err := rs.Escalate(ctx); err != nil || n != 0 {
			t.Fatalf("escalate again = %d, %v", n, err)
		}
		f, err := rs.CloseFinding(ctx, tax, fs[0].ID, fs[0].Version, "复查：物资已补足")
		if err != nil || f.State != resumptiondb.FindingClosed {
			t.Fatalf("close = %+v, %v", f, err)
		}
		var _ todo.Item
		_ = demo.Password
	})
}
