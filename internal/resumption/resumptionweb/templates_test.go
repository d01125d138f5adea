package resumptionweb

import (
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/department"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/web/core"
	"qifu/internal/web/core/coretest"
)

// errs are a page's messages by field.
func errs(m map[string]string) base { return base{Base: core.Base{Errors: m}} }

// examples are the module's pages filled in: every state a page has.
func examples() map[string][]core.Page {
	now := time.Now()
	pg := core.Pager{Number: 2, Pages: 3, Total: 45, Size: 20, PrevURL: "/x?page=1", NextURL: "/x?page=3"}
	e := enterprise.Enterprise{ID: 16, Name: "宁波北仑海帆电机有限公司", CreditCode: "91330206LGM20BMB3U", Employees: 56, GridCode: "330206001001001"}
	monitoring := resumptiondb.Campaign{Campaign: audiencedb.Campaign{ID: 1, Module: resumptiondb.KindMonitoring, Title: "复工复产情况日报",
		Due: "2026-12-31", State: "running", StartedAt: now, Members: 345}, Kind: resumptiondb.KindMonitoring, Schedule: resumption.Daily,
		LowPower: 3000, HighPower: 7000, RetainUntil: "2027-03-31", Settings: 1}
	purged := monitoring
	purged.ID, purged.State, purged.Schedule, purged.PurgedAt = 3, "closed", resumption.Weekly, now
	checklist := resumptiondb.Campaign{Campaign: audiencedb.Campaign{ID: 2, Module: resumptiondb.KindChecklist, Title: "复工防疫清单",
		Due: "2026-12-31", State: "running", StartedAt: now}, Kind: resumptiondb.KindChecklist, Checklist: "prevention",
		Restart: resumption.RestartApproval, Threshold: 50, Settings: 2}
	filing := checklist
	filing.ID, filing.Restart = 4, resumption.RestartFiling
	rates := resumption.Rates{Members: 345, Reported: 2, Resumed: 1, Producing: 1, Output: 15792000, Normal: 10972530000, OnSite: 40, Workers: 26271}
	report := resumptiondb.Report{Report: resumption.Report{EnterpriseID: 16, Resumed: true, Since: "2026-12-07", OutputShare: 6000, OnSite: 40,
		Workers: 56, Orders: "订单恢复六成", Returned: 3, Planning: 2}, ID: 1, CampaignID: 1, Enterprise: e.Name, Period: "2026-12-07",
		Difficulties: "上游供应商尚未复工", ByName: "董飞", At: now, Corrections: 1, Version: 2}
	yesterday := report
	yesterday.Period, yesterday.NoChange, yesterday.Corrections = "2026-12-06", true, 0
	stopped := report
	stopped.Resumed, stopped.OutputShare = false, 0
	restart := resumptiondb.Restart{ID: 5, CampaignID: 2, EnterpriseID: 16, Campaign: "复工防疫清单", Enterprise: e.Name, Street: "新碶街道",
		State: resumption.Applied, Employees: 56, Pledge: "本企业承诺落实各项防控措施", Counts: resumption.Counts{OnSite: 40, Returned: 6, Planning: 4, Isolating: 1},
		Approver: resumption.Command, CreatedAt: now, UpdatedAt: now, Version: 1,
		Steps: []resumptiondb.Step{{N: 1, Action: "apply", State: resumption.Applied, ByName: "董飞", At: now}}}
	checked := restart
	checked.State, checked.Version = resumption.Checked, 2
	checked.Steps = append(checked.Steps, resumptiondb.Step{N: 2, Action: "check", State: resumption.Checked, ByName: "王街道", At: now})
	refused := checked
	refused.State, refused.Reason, refused.Approver, refused.Version = resumption.Refused, "隔离观察室未设置", resumption.StreetRole, 3
	refused.Steps = append(refused.Steps, resumptiondb.Step{N: 3, Action: "refuse", State: resumption.Refused, ByName: "王街道", Reason: "隔离观察室未设置", At: now})
	improvement := resumptiondb.Finding{ID: 7, CheckID: 3, EnterpriseID: 16, Enterprise: e.Name, Kind: resumption.Improvement, ItemKey: "masks",
		Note: "口罩储备不足七天", Matter: "epidemic", Deadline: "2026-12-12", State: resumptiondb.FindingOpen, CreatedAt: now, Version: 1}
	rectification := improvement
	rectification.ID, rectification.Kind, rectification.Basis, rectification.DepartmentID, rectification.Department, rectification.DepartmentEn = 8,
		resumption.Rectification, "《中华人民共和国传染病防治法》第五十三条", 14, "税务局", "Tax Bureau"
	rectification.EscalatedAt, rectification.AppealID = now, 9
	closed := improvement
	closed.ID, closed.State, closed.ClosedAt, closed.ClosedBy, closed.RecheckNote = 10, resumptiondb.FindingClosed, now, "张网格", "复查：已补足"
	check := resumptiondb.Check{ID: 3, EnterpriseID: 16, Enterprise: e.Name, Checklist: "prevention", Kind: resumptiondb.Advice, Points: 93, Of: 100,
		ByName: "张网格", At: now}
	inspection := check
	inspection.ID, inspection.Kind, inspection.Department, inspection.DepartmentEn = 4, resumptiondb.Inspection, "税务局", "Tax Bureau"
	block := resumptiondb.Block{ID: 11, CampaignID: 1, Campaign: "复工复产情况日报", LeadID: 16, Lead: e.Name, SupplierID: 40, Supplier: "宁波小港配件有限公司",
		SupplierGrid: "小港第1网格", State: "open", CreatedAt: now, Version: 1}
	resolved := block
	resolved.State, resolved.Answer, resolved.ResolvedBy, resolved.ResolvedAt = "resolved", "供应商已于今日复工", "李网格", now
	flag := resumptiondb.Flag{ID: 12, CampaignID: 1, EnterpriseID: 16, Campaign: "复工复产情况日报", Enterprise: e.Name, Grid: "大港社区第1网格",
		Month: "2026-12", Mismatch: resumption.ResumedIdle, Resumed: true, KWh: 20000, Baseline: 100000, State: "open", CreatedAt: now, Version: 1}
	flagChecked := flag
	flagChecked.Mismatch, flagChecked.Resumed, flagChecked.State, flagChecked.Answer, flagChecked.CheckedBy = resumption.StoppedBusy, false, "checked", "设备检修", "张网格"
	member := resumptiondb.Member{EnterpriseID: 16, Name: e.Name, CreditCode: e.CreditCode, Grid: "大港社区第1网格", GridCode: e.GridCode,
		NormalOutput: 26320000, Workers: 56, Latest: "2026-12-07", Resumed: true, OutputShare: 6000, OnSite: 40, ReportWorkers: 56}
	silent := member
	silent.EnterpriseID, silent.Name, silent.Latest, silent.Resumed, silent.OutputShare, silent.OnSite = 17, "宁波力宇国际贸易有限公司", "", false, 0, 0
	rows := []resumptiondb.RateRow{{Key: "330206001", Name: "新碶街道", NameEn: "Xinqi", Rates: rates}}
	powers := []resumption.Power{{Department: "14", Matter: "epidemic", Basis: "《中华人民共和国传染病防治法》"}}
	results := map[string]resumption.Result{"arrivals": resumption.Done, "masks": resumption.NotDone, "canteen_batches": resumption.NA}

	return map[string][]core.Page{
		"resumption": {
			&homeData{},
			&homeData{Campaigns: []resumptiondb.Campaign{monitoring, checklist, purged}, Total: 3, Pager: pg, MayStart: true, MayDecide: true},
			&homeData{Enterprise: true, EntID: 16, Campaigns: []resumptiondb.Campaign{monitoring, checklist},
				Findings: []resumptiondb.Finding{improvement, rectification}, Restarts: []resumptiondb.Restart{restart}},
			&homeData{Enterprise: true, EntID: 16},
		},
		"resumption_new": {
			&newData{In: resumptiondb.Input{Kind: resumptiondb.KindChecklist, Checklist: "prevention"}},
			&newData{In: resumptiondb.Input{Kind: resumptiondb.KindMonitoring, Title: "日报", Due: "2026-12-31", Schedule: resumption.Weekly,
				Restart: resumption.RestartFiling, Threshold: 50, LowPower: 3000, HighPower: 7000, RetainUntil: "2027-03-31"},
				Regions: []string{"330206001001"}, Checklists: resumption.Templates, Schedules: resumption.Schedules,
				Choices: []regionChoice{{"330206001001", "大港社区"}, {"330206001002", "和美社区"}},
				base: errs(map[string]string{"kind": "请选择", "title": "标题须为 1 到 100 个字", "due": "截止日期须是工作日", "audience": "区划代码无效",
					"checklist": "请选择清单", "threshold": "门槛", "schedule": "请选择报送周期", "low_power": "阈值", "retain_until": "期限"})},
		},
		"resumption_campaign": {
			&campaignData{},
			&campaignData{C: monitoring, Day: "2026-12-07", By: "street", Rates: rates, Rows: rows, Breakdown: resumptiondb.Breakdowns,
				Series: []resumptiondb.DayRates{{Day: "2026-12-06", Rates: resumption.Rates{Members: 345}}, {Day: "2026-12-07", Rates: rates}},
				MayRun: true, Period: "2026-12-07", base: errs(map[string]string{"day": "日期格式应为 2026-03-31"})},
			&campaignData{C: purged, By: "industry", Breakdown: resumptiondb.Breakdowns, Period: "2026-W49"},
			&campaignData{C: checklist, Restarts: []resumptiondb.Restart{restart, checked, refused}, RTotal: 3, MayRun: true},
			&campaignData{C: filing},
			&campaignData{C: resumptiondb.Campaign{Campaign: audiencedb.Campaign{ID: 6, Title: "安全生产自查"}, Kind: resumptiondb.KindChecklist, Checklist: "work_safety"}},
		},
		"resumption_exceptions": {
			&exceptionsData{},
			&exceptionsData{X: resumptiondb.Exceptions{Campaign: monitoring, Period: "2026-12-07", NotReported: []resumptiondb.Member{silent, member},
				Missing: 343, Flags: []resumptiondb.Flag{flag}, FlagCount: 1, Blocks: []resumptiondb.Block{block}, BlockCount: 1,
				Late: []resumptiondb.Finding{improvement}, LateCount: 1}},
		},
		"resumption_members": {
			&membersData{},
			&membersData{C: monitoring, Members: []resumptiondb.Member{member, silent}, Total: 2, Pager: pg, Period: "2026-12-07"},
			&membersData{C: monitoring, Missing: true, Period: "2026-12-07"},
		},
		"resumption_report": {
			&reportData{},
			// The first report of a period: the form prefilled.
			&reportData{P: resumptiondb.Prefill{Campaign: monitoring, Enterprise: e, Period: "2026-12-07"}, Form: resumption.Report{Workers: 56},
				Key: "k1", MayEdit: true},
			// The day after: "no change" offered.
			&reportData{P: resumptiondb.Prefill{Campaign: monitoring, Enterprise: e, Period: "2026-12-08", Latest: &yesterday}, Form: yesterday.Report,
				Key: "k2", MayEdit: true, EntParam: "?enterprise=16"},
			// Reported: its correction, with the messages.
			&reportData{P: resumptiondb.Prefill{Campaign: monitoring, Enterprise: e, Period: "2026-12-07", This: &report, Latest: &report},
				Form: report.Report, ShareIn: "300", Blocked: "91330206XXXX", Diff: "困难", Key: "k3", Version: 2, MayEdit: true,
				base: errs(map[string]string{"report": "本期已报送", "resumed": "未复工", "since": "日期", "output_share": "产能比例应为 0–200%",
					"on_site": "在岗人数", "workers": "职工", "difficulties": "字数", "blocked_by": "信用代码", "health": "人数"})},
			// A closed campaign: read only.
			&reportData{P: resumptiondb.Prefill{Campaign: purged, Enterprise: e, Period: "2026-W49", Latest: &stopped}},
		},
		"resumption_restart_form": {
			&restartFormData{},
			&restartFormData{C: checklist, EntID: 16, MayApply: true, Pledge: "承诺", Counts: resumption.Counts{OnSite: 40},
				base: errs(map[string]string{"plan": "请先填报“复工防疫清单”（防控方案），再申请复工", "pledge": "请填写复工承诺", "on_site": "人数"})},
			&restartFormData{C: filing, EntID: 16, MayApply: true, EntParam: "?enterprise=16"},
			&restartFormData{C: checklist, EntID: 16, R: &refused, MayApply: true},
			&restartFormData{C: checklist, EntID: 16, R: &checked},
			&restartFormData{C: resumptiondb.Campaign{Campaign: audiencedb.Campaign{ID: 6, Title: "安全生产自查"}, Kind: resumptiondb.KindChecklist}},
		},
		"resumption_restarts": {
			&restartsData{},
			&restartsData{List: []resumptiondb.Restart{restart, checked, refused}, Total: 3, Pager: pg, State: resumption.Applied},
		},
		"resumption_restart": {
			&restartData{},
			&restartData{R: restart, Actions: restartActions(access.RoleStreetLeader, restart)},
			&restartData{R: checked, Actions: restartActions(access.RoleDistrictLeader, checked)},
			&restartData{R: refused},
		},
		"resumption_enterprise": {
			&enterpriseData{},
			&enterpriseData{E: e, Checks: []resumptiondb.Check{check, inspection}, Findings: []resumptiondb.Finding{improvement, rectification, closed},
				Lists: resumption.Templates, MayCheck: true},
		},
		"resumption_check": {
			&checkFormData{},
			&checkFormData{E: e, List: resumption.Prevention, Results: results, Rows: []int{0, 1, 2}, Deadline: "2026-12-14",
				Findings: []resumptiondb.FindingInput{{Kind: resumption.Improvement, ItemKey: "masks", Note: "口罩不足", Deadline: "2026-12-10", Consent: true}},
				base: errs(map[string]string{"campaign": "名单", "results.masks": "请逐项选择", "findings[0].consent": "改进事项须经企业同意",
					"findings[0].note": "请写明", "findings[0].deadline": "期限", "findings[0].kind": "性质"})},
			&checkFormData{E: e, List: resumption.Prevention, Results: results, Rows: []int{0, 1, 2}, Deadline: "2026-12-14", Inspector: true,
				Powers: powers, Findings: []resumptiondb.FindingInput{{Kind: resumption.Rectification, ItemKey: "masks", Note: "物资不足",
					Basis: "《传染病防治法》", Deadline: "2026-12-10"}}, base: errs(map[string]string{"findings[0].basis": "须写明法律依据"})},
		},
		"resumption_findings": {
			&findingsData{},
			&findingsData{List: []resumptiondb.Finding{improvement, rectification, closed}, Total: 3, Pager: pg, State: "open", Late: true},
		},
		"resumption_finding": {
			&findingData{},
			&findingData{F: improvement, MayClose: true, MayAppeal: true, Colour: "yellow",
				Categories: appeal.Categories{{Code: "other", Name: "其他", NameEn: "Other"}}},
			&findingData{F: rectification, Colour: "red"},
			&findingData{F: closed},
		},
		"resumption_block": {
			&blockData{},
			&blockData{B: block, MayResolve: true},
			&blockData{B: resolved},
		},
		"resumption_flag": {
			&flagData{},
			&flagData{F: flag, MayCheck: true},
			&flagData{F: flagChecked},
		},
		"resumption_power": {
			&powerData{},
			&powerData{Rows: "91330206XXXX,2026-12,5", Result: &resumptiondb.PowerResult{Rows: 3, Errors: []resumptiondb.RowError{
				{Row: 2, Message: fault.Msg{Zh: "统一社会信用代码不正确", En: "the credit code is not valid"}}}}, base: errs(map[string]string{"rows": "第 1 行无法读取"})},
			&powerData{Result: &resumptiondb.PowerResult{Rows: 4, Flagged: 2}},
		},
		"resumption_powers": {
			&powersData{},
			&powersData{Powers: []resumptiondb.Power{{DepartmentID: 14, Department: "税务局", DepartmentEn: "Tax Bureau", Matter: "epidemic", Basis: "《传染病防治法》"}},
				Departments: []department.Department{{ID: 14, Code: "tax", Name: "税务局", NameEn: "Tax Bureau"}}, Matters: resumption.MatterKeys, MayEdit: true},
		},
	}
}

// TestTemplates renders every page of the module with its examples in
// both languages, as staff, an enterprise and an administrator, and finds
// every word the pages and handlers use in the catalog.
func TestTemplates(t *testing.T) {
	text, err := core.Merge(core.Text, Text)
	if err != nil {
		t.Fatal(err)
	}
	coretest.CheckPages(t, coretest.PagesOptions{Templates: Templates, Text: text, Examples: examples(), MinKeys: 150,
		Roles: []access.Role{access.RoleCommunityStaff, access.RoleEnterprise, access.RoleAdmin}})
}

// TestPageBranches holds what some examples are for: the pages show what
// their state says, and only then.
func TestPageBranches(t *testing.T) {
	text, err := core.Merge(core.Text, Text)
	if err != nil {
		t.Fatal(err)
	}
	c := coretest.New(t, text, Templates)
	ex := examples()
	for _, tt := range []struct {
		page     string
		i        int
		lang     string
		has, not []string
	}{
		{"resumption", 1, "en", []string{`id="rs-new"`, `id="rs-campaigns"`, "Monitoring · daily", "Prevention checklist for restarting"}, []string{`id="rs-mine"`}},
		{"resumption", 2, "zh", []string{`id="rs-report-1"`, `id="rs-fill-2"`, `id="rs-restart-2"`, "责令整改", "待现场核查"}, []string{`id="rs-new"`}},
		{"resumption", 3, "en", []string{"Nothing to fill or report now.", "Nothing to complete."}, nil},
		{"resumption_new", 1, "zh", []string{`<option value="330206001001" selected>`, `value="30%"`, "请选择报送周期", `<option value="weekly" selected>`}, nil},
		{"resumption_campaign", 1, "en", []string{`id="rs-rates"`, `id="rate-resumption">0.29%<`, `id="rs-series"`, "Xinqi", `id="rate-missing">343<`},
			[]string{`id="rs-mode"`}},
		{"resumption_campaign", 2, "zh", []string{"每周报送", "已删除"}, nil},
		{"resumption_campaign", 3, "en", []string{`id="rs-mode"`, `id="rs-restart-list"`, "the command", "refused"}, []string{`id="rs-rates"`}},
		{"resumption_report", 1, "zh", []string{`id="rs-report"`, `value="56" id="rs-workers"`, "报送"}, []string{`id="rs-nochange"`, `id="rs-this"`}},
		{"resumption_report", 2, "en", []string{`id="rs-nochange"`, "Last report (2026-12-06)", "60%", `action="/resumption/campaigns/1/report?enterprise=16"`}, nil},
		{"resumption_report", 3, "zh", []string{`id="rs-this"`, `id="rs-report-error"`, `value="300"`, "更正 1 次", "更正本期报送"}, []string{`id="rs-nochange"`}},
		{"resumption_report", 4, "en", nil, []string{`id="rs-report"`, `id="rs-nochange"`}},
		{"resumption_restart_form", 1, "zh", []string{`id="rs-apply-error"`, "请先填报", `id="rs-plan"`, "职工 50 人及以上的由指挥部审批"}, nil},
		{"resumption_restart_form", 2, "en", []string{"Filing: the pledge files it", "File with the pledge", `href="/surveys/4?enterprise=16"`}, nil},
		{"resumption_restart_form", 3, "en", []string{`id="rs-restart-state"`, `id="rs-apply"`, "隔离观察室未设置"}, nil},
		{"resumption_restart_form", 4, "en", []string{`id="rs-restart-state"`}, []string{`id="rs-apply"`}},
		{"resumption_restart_form", 5, "en", []string{"This campaign takes no restart applications."}, nil},
		// The street checks; it is not offered the command's decision.
		{"resumption_restart", 1, "zh", []string{`id="restart-check"`}, []string{`id="restart-approve"`, `id="restart-withdraw"`}},
		{"resumption_restart", 2, "en", []string{`id="restart-approve"`, `id="restart-refuse"`, "checked on site"}, []string{`id="restart-check"`}},
		{"resumption_restart", 3, "zh", []string{`id="restart-reason"`, "重新申请"}, []string{`id="restart-approve"`}},
		{"resumption_check", 1, "zh", []string{"改进事项须经企业同意", `name="f0_consent" value="1" checked`}, []string{`value="rectification"`, `name="f0_basis"`}},
		{"resumption_check", 2, "en", []string{`value="rectification" selected`, `name="f0_basis"`, "An inspection"}, nil},
		{"resumption_finding", 1, "en", []string{`id="finding-close"`, `id="finding-appeal"`, "Other"}, nil},
		{"resumption_finding", 2, "zh", []string{"已逾期上报", `href="/appeals/9"`, "税务局"}, []string{`id="finding-close"`, `id="finding-appeal"`}},
		{"resumption_finding", 2, "en", []string{"Tax Bureau", "order to rectify"}, []string{"税务局"}},
		{"resumption_enterprise", 1, "en", []string{"inspection · Tax Bureau", "advisory check"}, []string{"税务局"}},
		{"resumption_findings", 1, "en", []string{"order to rectify · Tax Bureau"}, []string{"税务局"}},
		{"resumption_finding", 3, "en", []string{`id="finding-recheck"`}, []string{`id="finding-close"`}},
		{"resumption_block", 1, "en", []string{`id="block-resolve"`}, []string{`id="block-answer"`}},
		{"resumption_block", 2, "zh", []string{`id="block-answer"`, "已处理"}, []string{`id="block-resolve"`}},
		{"resumption_flag", 1, "en", []string{`id="flag-check"`, "20.0%", "reports resumed"}, nil},
		{"resumption_flag", 2, "zh", []string{`id="flag-answer"`, "报未复工，但用电达到去年同期的设定比例"}, []string{`id="flag-check"`}},
		{"resumption_power", 1, "en", []string{`id="power-errors"`, "Row 2: the credit code is not valid", "1 rows refused"}, []string{`id="power-done"`}},
		{"resumption_power", 1, "zh", []string{"第 2 行：统一社会信用代码不正确"}, nil},
		{"resumption_power", 2, "en", []string{`id="power-done"`, "4 rows kept; 2 new disagreements flagged."}, nil},
		{"resumption_powers", 1, "en", []string{`id="powers-form"`, "Tax Bureau", "epidemic prevention"}, []string{"税务局"}},
	} {
		body := coretest.Render(t, c, tt.page, ex[tt.page][tt.i], tt.lang, access.RoleCommunityStaff)
		for _, s := range tt.has {
			if !strings.Contains(body, s) {
				t.Errorf("%s example %d (%s) lacks %q", tt.page, tt.i, tt.lang, s)
			}
		}
		for _, s := range tt.not {
			if strings.Contains(body, s) {
				t.Errorf("%s example %d (%s) shows %q", tt.page, tt.i, tt.lang, s)
			}
		}
	}
}

// TestWords holds that every value of the module's vocabularies the pages
// name has its words in both languages: they look them up by kind and
// value (Word), which the key scan cannot see.
func TestWords(t *testing.T) {
	text, err := core.Merge(core.Text, Text)
	if err != nil {
		t.Fatal(err)
	}
	var actions, states, parties []string
	for _, st := range resumption.RestartSteps {
		actions = append(actions, st.Action)
	}
	actions = append(actions, "apply", "file")
	states = []string{resumption.Applied, resumption.Checked, resumption.Approved, resumption.Refused, resumption.Filed, resumption.Withdrawn}
	parties = []string{resumption.StreetRole, resumption.Command, resumption.Applicant}
	words := map[string][]string{
		"rsact": actions, "rsstate": states, "rsparty": parties, "rsschedule": resumption.Schedules,
		"rskind":     {string(resumption.Improvement), string(resumption.Rectification)},
		"rsfstate":   {resumptiondb.FindingOpen, resumptiondb.FindingClosed},
		"rsbstate":   {"open", "resolved"},
		"rsflstate":  {"open", "checked"},
		"rscheck":    {resumptiondb.Advice, resumptiondb.Inspection},
		"rscstate":   {"running", "closed"},
		"rsmismatch": {string(resumption.ResumedIdle), string(resumption.StoppedBusy)},
		"rs.by":      resumptiondb.Breakdowns,
	}
	for kind, values := range words {
		for _, v := range values {
			if w, ok := text[kind+"."+v]; !ok || w[0] == "" || w[1] == "" {
				t.Errorf("no words for %s %q", kind, v)
			}
		}
	}
	for _, k := range resumption.MatterKeys {
		if m := resumption.Matters[k]; m.Zh == "" || m.En == "" {
			t.Errorf("the matter %q has no name in a language", k)
		}
	}
	// Every kind of work and notice the module gives has its words.
	rs := &resumptiondb.Store{}
	for _, role := range access.Roles {
		for _, kind := range rs.TodoKinds(role) {
			if _, ok := text["todo."+kind]; !ok {
				t.Errorf("the to-do kind %q has no words", kind)
			}
		}
	}
	for _, kind := range []string{"supplier", "check", "finding", "late", "restart", "power"} {
		if _, ok := text["kind.resumption."+kind]; !ok {
			t.Errorf("the notice kind %q has no words", kind)
		}
	}
}
