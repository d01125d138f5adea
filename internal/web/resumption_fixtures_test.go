package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"qifu/internal/access"
	"qifu/internal/audience"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
)

// Checklists, resumption and status reports (清单 · 复工复产 · 运行监测): the
// records the route matrix, the page tests and TestResumptionPages start
// from, made through the module's use cases by the showcase accounts. The
// showcase street's leader starts a daily monitoring campaign of its
// street; the showcase enterprise reports itself resumed at 60% and names a
// stalled supplier of another street, and its grid worker reports a
// neighbour of the grid not resumed. The street imports the power
// company's file: the showcase enterprise uses a fifth of last year's
// electricity (a flag), the neighbour nine tenths (another). The street
// also sends the prevention checklist with restart approval above 50
// employees (the showcase enterprise has 56: the command decides); the
// enterprise submits the checklist as its prevention plan and applies. Its
// grid worker checks it on site and agrees an improvement; the
// administrator grants the tax bureau the power to inspect epidemic
// prevention, and the bureau orders a rectification.

// resumptionEnt is the enterprise the fixture's records are of: the
// showcase enterprise, whose account is "enterprise".
var resumptionEnt = byCode[demoAccount("enterprise").EnterpriseCode]

// resumptionKeeper is the department granted the power to inspect the
// prevention checklist's matter; dept_market's has none.
const (
	resumptionKeeper    = "tax"
	resumptionInspector = "dept_tax"
	resumptionMatter    = "epidemic"
	resumptionBasis     = "《中华人民共和国传染病防治法》第五十三条"
	resumptionThreshold = 50
)

// resumptionStreet2 is the street of the stalled suppliers: another
// street than the showcase one.
const resumptionStreet2 = "330206002"

// resumptionSuppliers are enterprises of the second street whose grid has
// a worker: the suppliers the reports name, one each.
var resumptionSuppliers = func() []enterprise.Enterprise {
	worked := map[string]bool{}
	for _, u := range dataset.Users {
		if u.Role == access.RoleGridWorker {
			worked[u.RegionCode] = true
		}
	}
	var out []enterprise.Enterprise
	for _, e := range dataset.Enterprises {
		if e.StreetCode == resumptionStreet2 && worked[e.GridCode] {
			out = append(out, e)
		}
	}
	if len(out) < 20 {
		panic("too few enterprises in the second street")
	}
	return out
}()

// resumptionNeighbour is another enterprise of the showcase grid: the one
// its grid worker reports for.
var resumptionNeighbour = func() enterprise.Enterprise {
	e, ok := pick(func(e enterprise.Enterprise) bool {
		return e.GridCode == resumptionEnt.GridCode && e.CreditCode != resumptionEnt.CreditCode
	})
	if !ok {
		panic("no second enterprise in the showcase grid")
	}
	return e
}()

// actor is the store's actor of a user, as its session would be.
func (s *site) actor(t testing.TB, username string) access.Actor {
	t.Helper()
	ctx := context.Background()
	u, err := s.st.UserByUsername(ctx, username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	a, err := s.st.Actor(ctx, u.ID)
	if err != nil {
		t.Fatalf("actor %s: %v", username, err)
	}
	return a
}

// rsSince is the day the fixture's enterprises resumed: today in the district.
func (s *site) rsSince() string { return s.poolDay(0) }

// rsMonth is the store's month in the district, and the same month a year before.
func (s *site) rsMonth() (now, lastYear string) {
	t := s.st.Now().In(calendar.Shanghai)
	return t.Format("2006-01"), t.AddDate(-1, 0, 0).Format("2006-01")
}

// resumptionMonitoring starts a daily monitoring campaign of the region as
// username (a street or community), through the store.
func (s *site) resumptionMonitoring(t testing.TB, username, region, title string) resumptiondb.Campaign {
	t.Helper()
	c, err := s.mods.Resumption.Start(context.Background(), s.actor(t, username), resumptiondb.Input{Kind: resumptiondb.KindMonitoring,
		Title: title, Due: s.dueAhead(t, 5), Audience: audience.Definition{Regions: []string{region}}, Schedule: resumption.Daily})
	if err != nil {
		t.Fatalf("start monitoring: %v", err)
	}
	return c
}

// resumptionChecklist starts a prevention checklist campaign of the region
// with restart approval, the command deciding at the fixture's threshold.
func (s *site) resumptionChecklist(t testing.TB, username, region, title string) resumptiondb.Campaign {
	t.Helper()
	c, err := s.mods.Resumption.Start(context.Background(), s.actor(t, username), resumptiondb.Input{Kind: resumptiondb.KindChecklist,
		Checklist: resumption.Prevention.Key, Title: title, Due: s.dueAhead(t, 5), Audience: audience.Definition{Regions: []string{region}},
		Restart: resumption.RestartApproval, Threshold: resumptionThreshold})
	if err != nil {
		t.Fatalf("start checklist: %v", err)
	}
	return c
}

// preventionAnswers are the prevention checklist's answers: everything in
// place, the canteen not applying.
func preventionAnswers() form.Answers {
	answers := form.Answers{}
	for _, it := range resumption.Prevention.Items() {
		answers[it.Key] = form.Answer{Values: []string{string(resumption.Done)}}
	}
	answers["canteen_batches"] = form.Answer{Values: []string{string(resumption.NA)}}
	return answers
}

// submitPlan submits the checklist of the campaign of id for the
// enterprise of id as username: its prevention plan.
func (s *site) submitPlan(t testing.TB, username string, campaignID, enterpriseID int64) {
	t.Helper()
	if _, _, err := s.mods.Forms.Submit(context.Background(), s.actor(t, username), formdb.Input{CampaignID: campaignID,
		EnterpriseID: enterpriseID, Answers: preventionAnswers(), Medium: "web"}); err != nil {
		t.Fatalf("submit the plan of %d: %v", enterpriseID, err)
	}
}

// resumptionPledge is a restart application's pledge.
const resumptionPledge = "本企业承诺落实防疫清单各项措施，如实报告员工健康情况，发现异常立即报告社区。"

// applyRestart applies for a restart of the enterprise of id in the
// campaign of id as username, its plan submitted.
func (s *site) applyRestart(t testing.TB, username string, campaignID, enterpriseID int64) resumptiondb.Restart {
	t.Helper()
	r, err := s.mods.Resumption.ApplyRestart(context.Background(), s.actor(t, username), resumptiondb.RestartInput{CampaignID: campaignID,
		EnterpriseID: enterpriseID, Pledge: resumptionPledge, Counts: resumption.Counts{OnSite: 1, Returned: 1}})
	if err != nil {
		t.Fatalf("apply for %d: %v", enterpriseID, err)
	}
	return r
}

// preventionResults are an on-site check's results of the prevention
// checklist: everything in place but the masks.
func preventionResults() map[string]resumption.Result {
	results := map[string]resumption.Result{}
	for _, it := range resumption.Prevention.Items() {
		results[it.Key] = resumption.Done
	}
	results["masks"] = resumption.NotDone
	return results
}

// improvement is an improvement of the masks agreed with the enterprise.
func (s *site) improvement(note string) resumptiondb.FindingInput {
	return resumptiondb.FindingInput{Kind: resumption.Improvement, ItemKey: "masks", Note: note, Deadline: s.poolDay(5), Consent: true}
}

// rectification is an order to rectify the masks, on the matter's basis.
func (s *site) rectification(note string) resumptiondb.FindingInput {
	return resumptiondb.FindingInput{Kind: resumption.Rectification, ItemKey: "masks", Note: note, Matter: resumptionMatter,
		Basis: resumptionBasis, Deadline: s.poolDay(5)}
}

// recordCheck records a check of the prevention checklist at the
// enterprise of id as username with the findings given.
func (s *site) recordCheck(t testing.TB, username string, enterpriseID int64, findings ...resumptiondb.FindingInput) (resumptiondb.Check, []resumptiondb.Finding) {
	t.Helper()
	c, fs, err := s.mods.Resumption.RecordCheck(context.Background(), s.actor(t, username), resumptiondb.CheckInput{EnterpriseID: enterpriseID,
		Checklist: resumption.Prevention.Key, Results: preventionResults(), Findings: findings})
	if err != nil {
		t.Fatalf("check %d as %s: %v", enterpriseID, username, err)
	}
	return c, fs
}

// resumptionFix is what resumptionFixture made.
type resumptionFix struct {
	Enterprise  int64 // the showcase enterprise
	Neighbour   int64 // the other enterprise of its grid that reported
	Dept        int64 // the tax bureau, which holds the power to inspect
	Monitoring  resumptiondb.Campaign
	Report      resumptiondb.Report // the showcase enterprise's of today
	Block       resumptiondb.Block  // its supplier holding it up
	Supplier    enterprise.Enterprise
	Flag        resumptiondb.Flag // its electricity disagreeing (resumed, a fifth of last year's use)
	Flags       int               // the flags the import raised
	Checklist   resumptiondb.Campaign
	Restart     resumptiondb.Restart // its application, applied
	Check       resumptiondb.Check   // its grid worker's advisory check
	Improvement resumptiondb.Finding
	Inspection  resumptiondb.Check // the tax bureau's
	Rectify     resumptiondb.Finding
}

// resumptionFixture makes the fixture through the module's use cases as
// the showcase accounts.
func (s *site) resumptionFixture(t testing.TB) resumptionFix {
	t.Helper()
	ctx := context.Background()
	rs := s.mods.Resumption
	n := codeSeq.Add(1)
	f := resumptionFix{Enterprise: s.entID(t, resumptionEnt.CreditCode), Neighbour: s.entID(t, resumptionNeighbour.CreditCode),
		Dept: s.deptIDs(t)[resumptionKeeper], Supplier: resumptionSuppliers[0]}
	f.Monitoring = s.resumptionMonitoring(t, "street_leader", showStreet, fmt.Sprintf("复工复产情况日报%d", n))
	since := s.rsSince()
	var err error
	if f.Report, _, err = rs.SubmitReport(ctx, s.actor(t, "enterprise"), resumptiondb.ReportInput{CampaignID: f.Monitoring.ID, EnterpriseID: f.Enterprise,
		Report: resumption.Report{Resumed: true, Since: since, OutputShare: 6000, OnSite: 40, Workers: resumptionEnt.Employees,
			Orders: "订单恢复至去年同期六成", BlockedBy: []string{f.Supplier.CreditCode}, Returned: 3, Planning: 2},
		Difficulties: "上游电机配件供应商尚未复工", Key: fmt.Sprintf("fixture-%d", n)}); err != nil {
		t.Fatalf("the enterprise's report: %v", err)
	}
	if _, _, err := rs.SubmitReport(ctx, s.actor(t, "grid"), resumptiondb.ReportInput{CampaignID: f.Monitoring.ID, EnterpriseID: f.Neighbour,
		Report: resumption.Report{Workers: resumptionNeighbour.Employees}}); err != nil {
		t.Fatalf("the grid worker's report: %v", err)
	}
	blocks, _, err := rs.Blocks(ctx, s.actor(t, "admin"), resumptiondb.BlockQuery{CampaignID: f.Monitoring.ID, State: "open"})
	if err != nil || len(blocks) != 1 {
		t.Fatalf("the blocks: %+v, %v", blocks, err)
	}
	f.Block = blocks[0]

	// The power company's file: the showcase enterprise resumed on a fifth
	// of last year's electricity, its neighbour not resumed on nine tenths.
	month, last := s.rsMonth()
	res, err := rs.ImportPower(ctx, s.actor(t, "street_leader"), []resumptiondb.PowerRow{
		{CreditCode: resumptionEnt.CreditCode, Month: last, KWh: 100000}, {CreditCode: resumptionEnt.CreditCode, Month: month, KWh: 20000},
		{CreditCode: resumptionNeighbour.CreditCode, Month: last, KWh: 100000}, {CreditCode: resumptionNeighbour.CreditCode, Month: month, KWh: 90000}})
	if err != nil || len(res.Errors) != 0 {
		t.Fatalf("the power file: %+v, %v", res, err)
	}
	flags, _, err := rs.Flags(ctx, s.actor(t, "admin"), resumptiondb.FlagQuery{CampaignID: f.Monitoring.ID})
	if err != nil || len(flags) != 2 {
		t.Fatalf("the flags: %+v, %v", flags, err)
	}
	f.Flags = len(flags)
	for _, fl := range flags {
		if fl.EnterpriseID == f.Enterprise {
			f.Flag = fl
		}
	}

	// The prevention checklist with restart approval: the enterprise submits
	// it as its plan and applies.
	f.Checklist = s.resumptionChecklist(t, "street_leader", showStreet, fmt.Sprintf("复工防疫清单%d", n))
	s.submitPlan(t, "enterprise", f.Checklist.ID, f.Enterprise)
	f.Restart = s.applyRestart(t, "enterprise", f.Checklist.ID, f.Enterprise)

	// On site: the grid worker's advice, the tax bureau's inspection.
	var fs []resumptiondb.Finding
	f.Check, fs = s.recordCheck(t, "grid", f.Enterprise, s.improvement("口罩储备不足七天，企业同意三天内补足"))
	f.Improvement = fs[0]
	if err := rs.SetPower(ctx, s.actor(t, "admin"), f.Dept, resumptionMatter, resumptionBasis); err != nil {
		t.Fatalf("grant the power: %v", err)
	}
	f.Inspection, fs = s.recordCheck(t, resumptionInspector, f.Enterprise, s.rectification("防护物资储备不足，责令补足"))
	f.Rectify = fs[0]
	return f
}

// resumptionPath puts the fixture's records into a route's path: the
// monitoring campaign (the checklist one for its restart routes), the
// application, the showcase enterprise, the improvement, the block and the
// flag; the pages and calls about an enterprise name the showcase one. It
// reports false for a path that is not the module's.
func resumptionPath(f resumptionFix, path string) (string, bool) {
	if path != "/resumption" && !hasAnyPrefix(path, "/resumption/", "/api/v1/resumption/") {
		return path, false
	}
	var id int64
	query := ""
	switch {
	case !strings.Contains(path, "{id}"):
		return path, true
	case strings.Contains(path, "/campaigns/{id}/restart"), strings.HasSuffix(path, "/restart-mode"):
		id = f.Checklist.ID
		if strings.HasSuffix(path, "/restart") {
			query = fmt.Sprintf("?enterprise=%d", f.Enterprise)
		}
	case strings.Contains(path, "/campaigns/{id}"):
		id = f.Monitoring.ID
		if strings.HasSuffix(path, "/report") {
			query = fmt.Sprintf("?enterprise=%d", f.Enterprise)
		}
	case strings.Contains(path, "/restarts/{id}"):
		id = f.Restart.ID
	case strings.Contains(path, "/enterprises/{id}"):
		id = f.Enterprise
	case strings.Contains(path, "/findings/{id}"):
		id = f.Improvement.ID
	case strings.Contains(path, "/blocks/{id}"):
		id = f.Block.ID
	case strings.Contains(path, "/flags/{id}"):
		id = f.Flag.ID
	default:
		return path, false
	}
	return strings.Replace(path, "{id}", fmt.Sprint(id), 1) + query, true
}
