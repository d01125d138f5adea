package resumptiondb_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/audience"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// The helpers the scope, rules, races and recomputation tests share.

// count runs a COUNT (or another single integer) query on the reader.
func (e *env) count(q string, args ...any) int64 {
	e.t.Helper()
	var n int64
	if err := store.Scan(e.s.Engine.Reader().Row(e.ctx, q, args...), &n); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// snapshot is every row of the module a refusal must leave alone, as one
// string: how many of each record there are and the sum of their
// versions, the power file, the lists' answers and removals, the notices
// and the audit log.
func (e *env) snapshot() string {
	e.t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT COUNT(*) FROM resumption_reports",
		"SELECT COALESCE(SUM(version), 0) FROM resumption_reports",
		"SELECT COUNT(*) FROM resumption_blocks",
		"SELECT COALESCE(SUM(version), 0) FROM resumption_blocks",
		"SELECT COUNT(*) FROM resumption_checks",
		"SELECT COUNT(*) FROM resumption_findings",
		"SELECT COALESCE(SUM(version), 0) FROM resumption_findings",
		"SELECT COUNT(*) FROM resumption_restarts",
		"SELECT COALESCE(SUM(version), 0) FROM resumption_restarts",
		"SELECT COUNT(*) FROM resumption_restart_steps",
		"SELECT COUNT(*) FROM resumption_power",
		"SELECT COALESCE(SUM(kwh), 0) FROM resumption_power",
		"SELECT COUNT(*) FROM resumption_flags",
		"SELECT COALESCE(SUM(version), 0) FROM resumption_flags",
		"SELECT COUNT(*) FROM resumption_powers",
		"SELECT COUNT(*) FROM resumption_campaigns",
		"SELECT COALESCE(SUM(version), 0) FROM resumption_campaigns",
		"SELECT COALESCE(SUM(version), 0) FROM campaigns",
		"SELECT COUNT(*) FROM campaign_members WHERE answered_at > 0",
		"SELECT COUNT(*) FROM campaign_members WHERE removed_at > 0",
		"SELECT COUNT(*) FROM inbox",
		"SELECT COUNT(*) FROM audit_log",
	} {
		fmt.Fprintf(&b, "%d ", e.count(q))
	}
	return b.String()
}

// unchanged fails the test when the rows moved since before.
func (e *env) unchanged(before, what string) {
	e.t.Helper()
	if after := e.snapshot(); after != before {
		e.t.Errorf("%s changed the rows:\n before %s\n after  %s", what, before, after)
	}
}

// isRefusal reports whether err is a fault of kind k with code (any code
// when ""), naming every field of fields.
func isRefusal(err error, k fault.Kind, code string, fields ...string) bool {
	f := fault.As(err)
	if f == nil || f.Kind != k || (code != "" && f.Code != code) {
		return false
	}
	for _, name := range fields {
		if _, ok := f.Fields[name]; !ok {
			return false
		}
	}
	return true
}

// today is the fake clock's day in Ningbo.
func (e *env) today() string { return e.s.clock.Now().In(calendar.Shanghai).Format(time.DateOnly) }

// day is the day n days from today.
func (e *env) day(n int) string {
	return e.s.clock.Now().In(calendar.Shanghai).AddDate(0, 0, n).Format(time.DateOnly)
}

// start starts a campaign as who.
func (e *env) start(who string, in resumptiondb.Input) resumptiondb.Campaign {
	e.t.Helper()
	if in.Due == "" {
		in.Due = e.due()
	}
	if in.Title == "" {
		in.Title = "复工复产"
	}
	c, err := e.s.Resumption.Start(e.ctx, e.actor(who), in)
	if err != nil {
		e.t.Fatalf("%s starts %+v: %v", who, in, err)
	}
	return c
}

// restartCampaign starts the prevention checklist with restart approval
// over regions as admin; the command approves from 10 employees (every
// enterprise of the fixture has 12).
func (e *env) restartCampaign(regions ...string) resumptiondb.Campaign {
	e.t.Helper()
	return e.start("admin", resumptiondb.Input{Kind: resumptiondb.KindChecklist, Checklist: "prevention", Title: "复工申报",
		Audience: audience.Definition{Regions: regions}, Restart: resumption.RestartApproval, Threshold: 10})
}

// plan submits the prevention checklist of c for enterprise id (the
// prevention plan a restart application needs), every item in place.
func (e *env) plan(c resumptiondb.Campaign, id int64) {
	e.t.Helper()
	answers := form.Answers{}
	for _, it := range resumption.Prevention.Items() {
		answers[it.Key] = form.Answer{Values: []string{"done"}}
	}
	if _, _, err := e.s.Forms.Submit(e.ctx, e.actor("admin"), formdb.Input{CampaignID: c.ID, EnterpriseID: id, Answers: answers, Medium: "web"}); err != nil {
		e.t.Fatalf("plan of %d: %v", id, err)
	}
}

// pledge is a pledge long enough.
const pledge = "本企业承诺落实各项防控措施，如实报告员工健康情况。"

// apply applies for a restart of enterprise id in c as who.
func (e *env) apply(who string, c resumptiondb.Campaign, id int64) resumptiondb.Restart {
	e.t.Helper()
	r, err := e.s.Resumption.ApplyRestart(e.ctx, e.actor(who), resumptiondb.RestartInput{CampaignID: c.ID, EnterpriseID: id, Pledge: pledge,
		Counts: resumption.Counts{OnSite: 8, Returned: 2, Planning: 2}})
	if err != nil {
		e.t.Fatalf("%s applies for %d: %v", who, id, err)
	}
	return r
}

// act takes a step of a restart application at its version.
func (e *env) act(who string, r resumptiondb.Restart, action, reason string) resumptiondb.Restart {
	e.t.Helper()
	r, err := e.s.Resumption.ActRestart(e.ctx, e.actor(who), r.ID, r.Version, action, reason)
	if err != nil {
		e.t.Fatalf("%s %s restart %d: %v", who, action, r.ID, err)
	}
	return r
}

// results are a check of the prevention checklist with everything in
// place but the keys given.
func results(notDone ...string) map[string]resumption.Result {
	out := map[string]resumption.Result{}
	for _, it := range resumption.Prevention.Items() {
		out[it.Key] = resumption.Done
		if slices.Contains(notDone, it.Key) {
			out[it.Key] = resumption.NotDone
		}
	}
	return out
}

// check records a check of the prevention checklist at enterprise id as
// who, with one finding on masks.
func (e *env) check(who string, id int64, f resumptiondb.FindingInput) resumptiondb.Finding {
	e.t.Helper()
	f.ItemKey = "masks"
	if f.Note == "" {
		f.Note = "口罩储备不足七天"
	}
	_, fs, err := e.s.Resumption.RecordCheck(e.ctx, e.actor(who), resumptiondb.CheckInput{EnterpriseID: id, Checklist: "prevention",
		Results: results("masks"), Findings: []resumptiondb.FindingInput{f}})
	if err != nil || len(fs) != 1 {
		e.t.Fatalf("%s checks %d: %v %v", who, id, fs, err)
	}
	return fs[0]
}

// TestRules checks that every refusal of the module says why, at its
// place, and leaves every row as it was: bad reports, a closed campaign,
// an enterprise off the list, stale corrections, "no change" with nothing
// to repeat, restart applications without their plan or pledge or with
// counts beyond the staff or twice, steps the table does not allow,
// rectifications without the power, the basis or a deadline ahead,
// improvements without consent, closing a closed finding, a power file
// with bad rows, a flag or a block answered twice.
func TestRules(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx, rs := e.ctx, e.s.Resumption
		admin, ent := e.actor("admin"), e.actor("ent_"+c111)
		c := e.monitoring() // the first street, daily
		today := e.today()
		ok := resumption.Report{Resumed: true, Since: today, OutputShare: 6000, OnSite: 9, Workers: 12}
		before := e.snapshot()
		refused := func(what string, err error, k fault.Kind, code string, fields ...string) {
			t.Helper()
			if !isRefusal(err, k, code, fields...) {
				var fs map[string]fault.Msg
				if f := fault.As(err); f != nil {
					fs = f.Fields
				}
				t.Errorf("%s: %v (fields %v); want %s %s %v", what, err, fs, k, code, fields)
			}
			e.unchanged(before, what)
		}
		submit := func(who string, in resumptiondb.ReportInput) error {
			t.Helper()
			if in.CampaignID == 0 {
				in.CampaignID = c.ID
			}
			_, _, err := rs.SubmitReport(ctx, e.actor(who), in)
			return err
		}
		with := func(fn func(r *resumption.Report)) resumption.Report {
			r := ok
			fn(&r)
			return r
		}

		// Bad reports, each refused by field before anything is written.
		for _, bad := range []struct {
			what   string
			report resumption.Report
			field  string
		}{
			{"an output share above 200%", with(func(r *resumption.Report) { r.OutputShare = resumption.MaxShare + 1 }), "output_share"},
			{"a negative output share", with(func(r *resumption.Report) { r.OutputShare = -1 }), "output_share"},
			{"more on site than workers", with(func(r *resumption.Report) { r.OnSite = 13 }), "on_site"},
			{"more on site than the employees on file", with(func(r *resumption.Report) { r.OnSite, r.Workers = 13, 0 }), "on_site"},
			{"negative workers", with(func(r *resumption.Report) { r.Workers, r.OnSite = -1, 0 }), "on_site"},
			{"output while not resumed", with(func(r *resumption.Report) { r.Resumed, r.Since = false, "" }), "resumed"},
			{"resumed tomorrow", with(func(r *resumption.Report) { r.Since = e.day(1) }), "since"},
			{"resumed on no day", with(func(r *resumption.Report) { r.Since = "2026-13-01" }), "since"},
			{"a negative health count", with(func(r *resumption.Report) { r.Isolating = -1 }), "health"},
			{"an unknown supplier", with(func(r *resumption.Report) { r.BlockedBy = []string{storetest.CreditCode(t, 1)} }), "blocked_by[0]"},
			{"a supplier's code malformed", with(func(r *resumption.Report) { r.BlockedBy = []string{e.code(3), "91330206ABC"} }), "blocked_by[1]"},
			{"the enterprise naming itself", with(func(r *resumption.Report) { r.BlockedBy = []string{e.code(3), e.code(0)} }), "blocked_by[1]"},
			{"21 suppliers", with(func(r *resumption.Report) { r.BlockedBy = slices.Repeat([]string{e.code(3)}, 21) }), "blocked_by"},
		} {
			refused(bad.what, submit("ent_"+c111, resumptiondb.ReportInput{EnterpriseID: e.ent(0), Report: bad.report}), fault.Invalid, "invalid_input", bad.field)
		}
		refused("an idempotency key too long", submit("ent_"+c111, resumptiondb.ReportInput{EnterpriseID: e.ent(0), Report: ok,
			Key: strings.Repeat("k", resumptiondb.MaxKey+1)}), fault.Invalid, "", "idempotency_key")
		refused("difficulties too long", submit("ent_"+c111, resumptiondb.ReportInput{EnterpriseID: e.ent(0), Report: ok,
			Difficulties: strings.Repeat("难", 1001)}), fault.Invalid, "", "difficulties")

		// Off the list, or not a monitoring campaign: not found.
		refused("a report for an enterprise off the list", submit("admin", resumptiondb.ReportInput{EnterpriseID: e.ent(12), Report: ok}),
			fault.NotFound, "")
		refused("an enterprise reports on a list it is not on", submit("ent_330206002001", resumptiondb.ReportInput{EnterpriseID: e.ent(12),
			Report: ok}), fault.NotFound, "")
		k := e.restartCampaign(s11)
		before = e.snapshot()
		refused("a report on a checklist campaign", submit("admin", resumptiondb.ReportInput{CampaignID: k.ID, EnterpriseID: e.ent(0), Report: ok}),
			fault.NotFound, "")

		// "No change" with nothing reported yet.
		refused("no change before any report", submit("ent_"+c111, resumptiondb.ReportInput{EnterpriseID: e.ent(0), NoChange: true}),
			fault.Invalid, "resumption_no_earlier")
		refused("a correction of a report never made", submit("ent_"+c111, resumptiondb.ReportInput{EnterpriseID: e.ent(0), Report: ok, Version: 1}),
			fault.Conflict, "stale_version")

		// A report, then corrections: without the version, with a stale one.
		r1 := e.report("ent_"+c111, c, 0, ok, "k1")
		r2, _, err := rs.SubmitReport(ctx, ent, resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: e.ent(0), Report: with(func(r *resumption.Report) {
			r.OutputShare = 7000
		}), Version: r1.Version})
		if err != nil || r2.Version != r1.Version+1 || r2.Corrections != 1 {
			t.Fatalf("correction: %+v %v", r2, err)
		}
		before = e.snapshot()
		refused("a second report of the period", submit("ent_"+c111, resumptiondb.ReportInput{EnterpriseID: e.ent(0), Report: ok, Key: "k2"}),
			fault.Conflict, "resumption_reported")
		refused("a correction with a stale version", submit("ent_"+c111, resumptiondb.ReportInput{EnterpriseID: e.ent(0), Report: ok, Version: r1.Version}),
			fault.Conflict, "resumption_reported")
		refused("a correction with a version ahead", submit("ent_"+c111, resumptiondb.ReportInput{EnterpriseID: e.ent(0), Report: ok, Version: r2.Version + 1}),
			fault.Conflict, "resumption_reported")
		refused("a bad correction", submit("ent_"+c111, resumptiondb.ReportInput{EnterpriseID: e.ent(0), Report: with(func(r *resumption.Report) {
			r.OnSite = 20
		}), Version: r2.Version}), fault.Invalid, "invalid_input", "on_site")
		if n := e.s.AuditCount(t, store.AuditQuery{Action: "resumption.report", Target: fmt.Sprintf("campaign/%d/enterprise/%d", c.ID, e.ent(0))}); n != 2 {
			t.Errorf("%d reports and corrections audited, want 2", n)
		}
		if n := e.s.AuditCount(t, store.AuditQuery{Action: "resumption.report_correct", Target: fmt.Sprintf("campaign/%d/enterprise/%d", c.ID, e.ent(0))}); n != 1 {
			t.Errorf("%d corrections audited, want 1", n)
		}

		// A closed campaign takes no more reports.
		cc := e.start("community_"+c111, resumptiondb.Input{Kind: resumptiondb.KindMonitoring, Audience: audience.Definition{Regions: []string{c111}},
			Schedule: resumption.Weekly})
		sc, err := e.s.Campaigns.Campaign(ctx, e.actor("community_"+c111), cc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.s.Campaigns.Close(ctx, e.actor("community_"+c111), cc.ID, sc.Version); err != nil {
			t.Fatal(err)
		}
		before = e.snapshot()
		refused("a report on a closed campaign", submit("ent_"+c111, resumptiondb.ReportInput{CampaignID: cc.ID, EnterpriseID: e.ent(0), Report: ok}),
			fault.Conflict, "campaign_closed")

		// Restart applications.
		apply := func(who string, in resumptiondb.RestartInput) error {
			t.Helper()
			if in.CampaignID == 0 {
				in.CampaignID = k.ID
			}
			if in.Pledge == "" {
				in.Pledge = pledge
			}
			_, err := rs.ApplyRestart(ctx, e.actor(who), in)
			return err
		}
		counts := resumption.Counts{OnSite: 8, Returned: 2, Planning: 2}
		refused("an application without the plan", apply("ent_"+c111, resumptiondb.RestartInput{EnterpriseID: e.ent(0), Counts: counts}),
			fault.Invalid, "resumption_no_plan")
		e.plan(k, e.ent(0))
		before = e.snapshot()
		refused("a pledge too short", apply("ent_"+c111, resumptiondb.RestartInput{EnterpriseID: e.ent(0), Pledge: "我承诺", Counts: counts}),
			fault.Invalid, "", "pledge")
		refused("counts over the employees", apply("ent_"+c111, resumptiondb.RestartInput{EnterpriseID: e.ent(0),
			Counts: resumption.Counts{OnSite: 10, Isolating: 2, Planning: 1}}), fault.Invalid, "", "on_site")
		refused("a negative count", apply("ent_"+c111, resumptiondb.RestartInput{EnterpriseID: e.ent(0),
			Counts: resumption.Counts{OnSite: 8, Returned: -1}}), fault.Invalid, "", "returned")
		refused("an application on a monitoring campaign", apply("ent_"+c111, resumptiondb.RestartInput{CampaignID: c.ID, EnterpriseID: e.ent(0),
			Counts: counts}), fault.Conflict, "resumption_no_restart")
		noRestart := e.start("admin", resumptiondb.Input{Kind: resumptiondb.KindChecklist, Checklist: "work_safety", Audience: audience.Definition{Regions: []string{c111}}})
		before = e.snapshot()
		refused("an application on a checklist without restarts", apply("ent_"+c111, resumptiondb.RestartInput{CampaignID: noRestart.ID,
			EnterpriseID: e.ent(0), Counts: counts}), fault.Conflict, "resumption_no_restart")
		refused("an application for an enterprise off the list", apply("admin", resumptiondb.RestartInput{EnterpriseID: e.ent(12), Counts: counts}),
			fault.NotFound, "")
		r := e.apply("ent_"+c111, k, e.ent(0))
		if r.State != resumption.Applied || r.Approver != resumption.Command || len(r.Steps) != 1 {
			t.Fatalf("applied: %+v", r)
		}
		before = e.snapshot()
		refused("applying twice", apply("ent_"+c111, resumptiondb.RestartInput{EnterpriseID: e.ent(0), Counts: counts}),
			fault.Conflict, "resumption_applied")
		refused("applying twice by staff", apply("grid_"+g1111, resumptiondb.RestartInput{EnterpriseID: e.ent(0), Counts: counts}),
			fault.Conflict, "resumption_applied")
		actR := func(who string, version int64, action, reason string) error {
			_, err := rs.ActRestart(ctx, e.actor(who), r.ID, version, action, reason)
			return err
		}
		refused("approving before the check", actR("admin", r.Version, "approve", ""), fault.Conflict, "resumption_state")
		refused("a check by the command", actR("district_"+d1, r.Version, "check", ""), fault.Forbidden, "resumption_party")
		refused("a check by the applicant", actR("ent_"+c111, r.Version, "check", ""), fault.Forbidden, "")
		refused("a step at a stale version", actR("street_"+s11, r.Version-1, "check", ""), fault.Conflict, "")
		refused("reapplying by a step", actR("ent_"+c111, r.Version, "reapply", ""), fault.Invalid, "resumption_action")
		r = e.act("street_"+s11, r, "check", "")
		before = e.snapshot()
		refused("a refusal without its reason", actR("district_"+d1, r.Version, "refuse", ""), fault.Invalid, "", "reason")
		refused("an approval by the street of a large one", actR("street_"+s11, r.Version, "approve", ""), fault.Forbidden, "resumption_party")
		refused("a second check", actR("street_"+s11, r.Version, "check", ""), fault.Conflict, "resumption_state")
		refused("switching the procedure at a stale version", func() error {
			_, err := rs.SetRestart(ctx, admin, k.ID, k.Settings+1, resumption.RestartFiling, 10)
			return err
		}(), fault.Conflict, "")
		refused("switching a monitoring campaign's procedure", func() error {
			_, err := rs.SetRestart(ctx, e.actor("street_"+s11), c.ID, c.Settings, resumption.RestartFiling, 10)
			return err
		}(), fault.Conflict, "resumption_kind")

		// Checks: only a department with the power orders a rectification,
		// with its basis and a deadline ahead; an improvement is agreed.
		recordCheck := func(who string, f resumptiondb.FindingInput) error {
			t.Helper()
			f.ItemKey = "masks"
			if f.Note == "" {
				f.Note = "防护物资不足"
			}
			_, _, err := rs.RecordCheck(ctx, e.actor(who), resumptiondb.CheckInput{EnterpriseID: e.ent(0), Checklist: "prevention",
				Results: results("masks"), Findings: []resumptiondb.FindingInput{f}})
			return err
		}
		order := resumptiondb.FindingInput{Kind: resumption.Rectification, Basis: "《传染病防治法》", Deadline: e.day(5)}
		refused("a rectification by a grid worker", recordCheck("grid_"+g1111, order), fault.Forbidden, "resumption_no_power")
		refused("a rectification by the community", recordCheck("community_"+c111, order), fault.Forbidden, "resumption_no_power")
		refused("a rectification by a department without the power", recordCheck("dept_tax", order), fault.Forbidden, "resumption_no_power")
		if err := rs.SetPower(ctx, admin, e.actor("dept_tax").DepartmentID, "epidemic", "《传染病防治法》第五十三条"); err != nil {
			t.Fatal(err)
		}
		before = e.snapshot()
		other := order
		other.Matter = "work_safety"
		refused("a rectification of a matter the department has no power over", recordCheck("dept_tax", other), fault.Forbidden, "resumption_no_power")
		noBasis := order
		noBasis.Basis = " "
		refused("a rectification without its basis", recordCheck("dept_tax", noBasis), fault.Invalid, "", "findings[0].basis")
		late := order
		late.Deadline = e.day(-1)
		refused("a rectification past its deadline", recordCheck("dept_tax", late), fault.Invalid, "", "findings[0].deadline")
		far := order
		far.Deadline = e.day(400)
		refused("a rectification a year and more ahead", recordCheck("dept_tax", far), fault.Invalid, "", "findings[0].deadline")
		refused("an improvement without consent", recordCheck("grid_"+g1111, resumptiondb.FindingInput{Kind: resumption.Improvement, Deadline: e.day(5)}),
			fault.Invalid, "", "findings[0].consent")
		refused("an improvement past its date", recordCheck("grid_"+g1111, resumptiondb.FindingInput{Kind: resumption.Improvement, Deadline: e.day(-1),
			Consent: true}), fault.Invalid, "", "findings[0].deadline")
		refused("a finding of no kind", recordCheck("grid_"+g1111, resumptiondb.FindingInput{Deadline: e.day(5), Consent: true}),
			fault.Invalid, "", "findings[0].kind")
		refused("a finding on no item of the list", func() error {
			_, _, err := rs.RecordCheck(ctx, e.actor("grid_"+g1111), resumptiondb.CheckInput{EnterpriseID: e.ent(0), Checklist: "prevention",
				Results: results(), Findings: []resumptiondb.FindingInput{{Kind: resumption.Improvement, ItemKey: "nothing", Note: "说明",
					Deadline: e.day(5), Consent: true}}})
			return err
		}(), fault.Invalid, "", "findings[0].item")
		refused("a check with an item unanswered", func() error {
			res := results()
			delete(res, "masks")
			_, _, err := rs.RecordCheck(ctx, e.actor("grid_"+g1111), resumptiondb.CheckInput{EnterpriseID: e.ent(0), Checklist: "prevention", Results: res})
			return err
		}(), fault.Invalid, "", "results.masks")
		refused("a check by the enterprise itself", recordCheck("ent_"+c111, resumptiondb.FindingInput{Kind: resumption.Improvement, Deadline: e.day(5),
			Consent: true}), fault.Forbidden, "")
		refused("a check by a district leader", recordCheck("district_"+d1, resumptiondb.FindingInput{Kind: resumption.Improvement, Deadline: e.day(5),
			Consent: true}), fault.Forbidden, "")

		// Closing: a rectification only by the department that ordered it;
		// a closed finding is not closed again.
		rect := e.check("dept_tax", e.ent(0), order)
		imp := e.check("grid_"+g1111, e.ent(0), resumptiondb.FindingInput{Kind: resumption.Improvement, Deadline: e.day(5), Consent: true})
		before = e.snapshot()
		closeF := func(who string, f resumptiondb.Finding, version int64, note string) error {
			_, err := rs.CloseFinding(ctx, e.actor(who), f.ID, version, note)
			return err
		}
		refused("a rectification closed by the grid worker", closeF("grid_"+g1111, rect, rect.Version, "已整改"), fault.Forbidden, "resumption_not_inspector")
		refused("a rectification closed by another department", closeF("dept_market", rect, rect.Version, "已整改"), fault.Forbidden, "resumption_not_inspector")
		refused("an improvement closed by a department", closeF("dept_tax", imp, imp.Version, "已整改"), fault.Forbidden, "")
		refused("an improvement closed by the enterprise", closeF("ent_"+c111, imp, imp.Version, "已整改"), fault.Forbidden, "")
		refused("a closing without a note", closeF("grid_"+g1111, imp, imp.Version, " "), fault.Invalid, "", "note")
		refused("a closing at a stale version", closeF("grid_"+g1111, imp, imp.Version+1, "已整改"), fault.Conflict, "")
		closed, err := rs.CloseFinding(ctx, e.actor("grid_"+g1111), imp.ID, imp.Version, "复查：已补足")
		if err != nil || closed.State != resumptiondb.FindingClosed {
			t.Fatalf("close: %+v %v", closed, err)
		}
		before = e.snapshot()
		refused("closing a closed finding", closeF("grid_"+g1111, imp, closed.Version, "再次复查"), fault.Conflict, "resumption_closed")
		refused("closing a closed finding at its old version", closeF("community_"+c111, imp, imp.Version, "再次复查"), fault.Conflict, "resumption_closed")
		refused("raising a closed finding as an appeal", func() error {
			_, err := rs.RaiseAppeal(ctx, e.actor("grid_"+g1111), imp.ID, "")
			return err
		}(), fault.Conflict, "resumption_closed")

		// A power file with bad rows among good ones writes nothing and
		// lists every bad row by its number.
		month := e.s.clock.Now().In(calendar.Shanghai).Format("2006-01")
		lastYear := e.s.clock.Now().In(calendar.Shanghai).AddDate(-1, 0, 0).Format("2006-01")
		street := e.actor("street_" + s11)
		res, err := rs.ImportPower(ctx, street, []resumptiondb.PowerRow{
			{CreditCode: e.code(0), Month: month, KWh: 100},
			{CreditCode: "91330206BAD", Month: month, KWh: 100},
			{CreditCode: e.code(1), Month: lastYear, KWh: 100},
			{CreditCode: e.code(2), Month: "2026-3", KWh: 100},
			{CreditCode: e.code(3), Month: month, KWh: -5},
			{CreditCode: e.code(0), Month: month, KWh: 7},
			{CreditCode: e.code(24), Month: month, KWh: 1},
			{CreditCode: e.code(4), Month: month, KWh: 50},
		})
		var rows []int
		for _, x := range res.Errors {
			rows = append(rows, x.Row)
			if x.Message.Zh == "" || x.Message.En == "" {
				t.Errorf("row %d refused without a message: %+v", x.Row, x.Message)
			}
		}
		if err != nil || res.Rows != 8 || res.Flagged != 0 || !slices.Equal(rows, []int{2, 4, 5, 6, 7}) {
			t.Errorf("a bad file: %+v %v; want rows 2, 4, 5, 6, 7 refused", res, err)
		}
		e.unchanged(before, "a bad power file")
		res, err = rs.ImportPower(ctx, street, []resumptiondb.PowerRow{
			{CreditCode: e.code(0), Month: month, KWh: 100},
			{CreditCode: e.code(1), Month: month, KWh: 100},
			{CreditCode: e.code(2), Month: "2026-02-30", KWh: 100},
			{CreditCode: e.code(3), Month: month, KWh: 100},
		})
		if err != nil || len(res.Errors) != 1 || res.Errors[0].Row != 3 {
			t.Errorf("one bad row among good ones: %+v %v; want row 3 refused", res, err)
		}
		e.unchanged(before, "one bad row among good ones")
		_, err = rs.ImportPower(ctx, street, nil)
		refused("an empty power file", err, fault.Invalid, "", "rows")
		_, err = rs.ImportPower(ctx, e.actor("grid_"+g1111), []resumptiondb.PowerRow{{CreditCode: e.code(0), Month: month, KWh: 1}})
		refused("a power file from a grid worker", err, fault.Forbidden, "")

		// A flag checked twice; a block resolved twice.
		if res, err := rs.ImportPower(ctx, street, []resumptiondb.PowerRow{{CreditCode: e.code(0), Month: lastYear, KWh: 100_000},
			{CreditCode: e.code(0), Month: month, KWh: 10_000}}); err != nil || res.Flagged != 1 {
			t.Fatalf("import: %+v %v", res, err)
		}
		flags, _, err := rs.Flags(ctx, admin, resumptiondb.FlagQuery{State: "open"})
		if err != nil || len(flags) != 1 {
			t.Fatalf("flags: %v %v", flags, err)
		}
		fl, err := rs.CheckFlag(ctx, e.actor("grid_"+g1111), flags[0].ID, flags[0].Version, "已上门核实，企业白天停电检修")
		if err != nil || fl.State != "checked" {
			t.Fatalf("check flag: %+v %v", fl, err)
		}
		before = e.snapshot()
		_, err = rs.CheckFlag(ctx, e.actor("community_"+c111), fl.ID, flags[0].Version, "再次核实")
		refused("a flag checked twice at its old version", err, fault.Conflict, "")
		_, err = rs.CheckFlag(ctx, e.actor("community_"+c111), fl.ID, fl.Version, "再次核实")
		refused("a flag checked twice", err, fault.Conflict, "")
		_, err = rs.CheckFlag(ctx, e.actor("city"), fl.ID, fl.Version, "再次核实")
		refused("a flag checked by the city", err, fault.Forbidden, "")

		supplier := resumption.Report{Resumed: true, Since: today, OutputShare: 3000, OnSite: 6, Workers: 12, BlockedBy: []string{e.code(24)}}
		e.report("admin", c, 1, supplier, "")
		blocks, _, err := rs.Blocks(ctx, admin, resumptiondb.BlockQuery{State: "open"})
		if err != nil || len(blocks) != 1 {
			t.Fatalf("blocks: %v %v", blocks, err)
		}
		gw := e.actor("grid_330203001001001")
		b, err := rs.ResolveBlock(ctx, gw, blocks[0].ID, blocks[0].Version, "供应商已复工")
		if err != nil || b.State != "resolved" {
			t.Fatalf("resolve: %+v %v", b, err)
		}
		before = e.snapshot()
		_, err = rs.ResolveBlock(ctx, gw, b.ID, b.Version, "再次处理")
		refused("a block resolved twice", err, fault.Conflict, "")
		_, err = rs.ResolveBlock(ctx, e.actor("grid_"+g1111), b.ID, blocks[0].Version, "再次处理")
		refused("a block resolved twice at its old version", err, fault.Conflict, "")
		_, err = rs.ResolveBlock(ctx, gw, b.ID, b.Version, "")
		refused("a block resolved without an answer", err, fault.Invalid, "", "answer")

		// At two in the morning in Ningbo (the evening before in UTC), a
		// report resumed today is taken, one resumed tomorrow is not.
		e.s.clock.Advance(17 * time.Hour)
		if h := e.s.clock.Now().In(calendar.Shanghai).Hour(); h != 2 {
			t.Fatalf("the clock stands at %d o'clock", h)
		}
		before = e.snapshot()
		refused("resumed tomorrow, at night", submit("ent_"+c111, resumptiondb.ReportInput{EnterpriseID: e.ent(0), Report: with(func(r *resumption.Report) {
			r.Since = e.day(1)
		})}), fault.Invalid, "", "since")
		if _, _, err := rs.SubmitReport(ctx, ent, resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: e.ent(0), Report: with(func(r *resumption.Report) {
			r.Since = e.today()
		})}); err != nil {
			t.Errorf("resumed today, reported at two in the morning: %v", err)
		}
	})
}
