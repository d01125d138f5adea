package appealweb

import (
	"net/url"
	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/department"
	"qifu/internal/notify"
	"qifu/internal/place"
	"qifu/internal/rates"
	"qifu/internal/store"
	"qifu/internal/web/core"
	"qifu/internal/web/core/coretest"
	"testing"
	"time"
)

// appealExamples are the example pages of the appeal workflow: every form
// of the appeal page offered, refused forms shown again, and the lists,
// charts and tables filled in.
func appealExamples() map[string][]core.Page {
	now := time.Now()
	a := appeal.Appeal{ID: 9, Number: "SQ20260301-0001", Channel: appeal.ChannelWeb, Type: appeal.TypeHelp, Category: "labour.recruit",
		Title: "招工难", Content: "缺少熟练工人", Urgency: appeal.Urgent, EnterpriseID: 7, CreditCode: "91330206MA2AAAAA1X",
		Enterprise: "宁波测试有限公司", Contact: "王经理", Phone: "138****1234", Confidential: true, GridCode: "330206001001001",
		State: appeal.Handling, CaseID: 3, LeadID: 2, Result: appeal.Solved, Reply: "已对接", Rating: appeal.Unsatisfied,
		RatingNote: "仍缺人", RedoCount: 1, UrgeCount: 2, CreatedAt: now, UpdatedAt: now, ClosedAt: now, Version: 4}
	var all []appeal.Action
	for _, t := range appeal.Lifecycle {
		all = append(all, t.Action)
	}
	v := appealdb.AppealView{Appeal: a, Lead: "人力社保局", AboutName: "税务局", Actions: all,
		Dispatches: []appealdb.Dispatch{{ID: 1, DepartmentID: 2, Department: "人力社保局", Role: appeal.PartyLead, Status: "signed",
			Instruction: "请牵头", Due: now, SignedAt: now, Active: true},
			{ID: 2, DepartmentID: 3, Department: "税务局", Role: appeal.PartyAssist, Status: "answered", Answer: "可减免", Active: true},
			{ID: 3, DepartmentID: 4, Department: "总工会", Role: appeal.PartyLead, Status: "returned", Reason: "不属职责"}},
		Steps: []appealdb.StepClock{{ID: 1, Step: appeal.StepHandle, Department: "人力社保局", Started: now, Due: now, Colour: appeal.Yellow},
			{ID: 2, Step: appeal.StepAccept, Started: now, Due: now, Done: now}, {ID: 3, Step: appeal.StepRate, Started: now, Due: now, Paused: true}},
		Events: []appealdb.Event{{ID: 1, At: now, ActorName: "王经理", Role: access.RoleEnterprise, Action: "create", To: appeal.Submitted, Public: true},
			{ID: 2, At: now, ActorName: "张网格", Role: access.RoleGridWorker, Action: "note", From: appeal.Handling, To: appeal.Handling, Note: "内部备注"},
			{ID: 3, At: now, ActorName: "system:scheduler", Action: "alert.overdue", DepartmentID: 2, Department: "人力社保局"}},
		Extensions: []appealdb.Extension{{ID: 1, DispatchID: 1, RequestedAt: now, Reason: "需协调", ProposedDue: now, Status: "pending"},
			{ID: 2, DispatchID: 1, RequestedAt: now, Reason: "再协调", ProposedDue: now, Status: "refused", DecidedAt: now, Note: "不同意"}},
		Merged: []appeal.Appeal{a}}
	full := &appealPageData{V: v, CategoryName: "用工招工 › 招工难", Message: "记录已被他人修改", Failed: appeal.Dispatch,
		posted:      url.Values{"note": {"请牵头"}, "lead": {"2"}, "assists": {"3"}, "due": {"2026-03-10"}},
		Departments: []deptOption{{ID: 2, Name: "人力社保局", Suggested: true}, {ID: 3, Name: "税务局"}},
		Candidates:  []mergeCandidate{{AppealRow: appealdb.AppealRow{ID: 8, Number: "SQ1", Title: "招工", Enterprise: "甲"}, Score: 50}},
		Pending:     []pendingExtension{{Extension: v.Extensions[0], Department: "人力社保局"}}, MyDue: now,
		Results: appeal.Results, Ratings: appeal.Ratings, Vias: []string{"phone", "visit", "sms"},
		Base: core.Base{Errors: map[string]string{"lead": "请选择主办部门", "note": "太长", "due": "日期有误"}}}
	public := &appealPageData{V: appealdb.AppealView{Appeal: a, Actions: []appeal.Action{appeal.Rate, appeal.SupplyInfo, appeal.Confirm}},
		Public: true, Failed: appeal.Rate, posted: url.Values{"rating": {"unsatisfied"}}, Ratings: appeal.Ratings,
		Base: core.Base{Errors: map[string]string{"note": "请说明原因", "rating": "请选择"}}}
	row := appealdb.AppealRow{ID: 9, Number: a.Number, Title: a.Title, Type: a.Type, Category: a.Category, Urgency: appeal.Critical,
		State: appeal.Dispatched, Enterprise: a.Enterprise, Lead: "税务局", CreatedAt: now, Due: now, Colour: appeal.Red, UrgeCount: 1, Version: 2}
	cats := appeal.DefaultCategories()
	tabs := []QueueTab{{Queue: "triage", Label: "待受理研判", Count: 3, Active: true}, {Queue: "all", Label: "全部", Count: 9}}
	pg := core.Pager{Number: 2, Pages: 3, Total: 45, Size: 20, PrevURL: "/x?page=1", NextURL: "/x?page=3"}
	grid := place.Region{Code: "330206001001001", Name: "大港社区第1网格", Level: place.Grid}
	community := place.Region{Code: "330206001001", Name: "大港社区", Level: place.Community}
	choices := []core.RegionChoice{{Code: community.Code, Name: community.Name}, {Code: grid.Code, Name: grid.Name, Indent: "　"}}
	counts := []bar{{Key: "labour", Label: "用工招工", Href: "/appeals?category=labour", N: 5, Width: 100}, {Key: "tax", Label: "税费", N: 1, Width: 20}}
	row3 := assessRow{Row: rates.Row{Key: "2", Appeals: 4, ResponseDue: 4, ResponseInTime: 3, ResponseRate: 0.75, AvgHandlingHours: 6.5},
		Rank: 1, Name: "人力社保局"}
	return map[string][]core.Page{
		"appeals": {&appealsPageData{}, &appealsPageData{Query: appealdb.AppealQuery{State: appeal.Dispatched, Category: "labour",
			Region: "330206001001001", Text: "招工"}, Queue: "triage", Tabs: tabs, Items: []appealItem{{AppealRow: row, Left: "超期 2.0 工作小时"}},
			Pager: pg, Categories: cats, CatNames: map[string]string{"labour.recruit": "招工难"}, States: appeal.States,
			Regions: core.RegionFilter{Choices: choices}, From: "2026-03-01", To: "2026-03-31", CanRaise: true},
			&appealsPageData{Items: []appealItem{{AppealRow: row}}, Mine: true, CanRaise: true}},
		"appeal": {&appealPageData{}, full, public},
		"appeal_form": {&appealFormData{}, &appealFormData{In: appeal.Input{Channel: appeal.ChannelVisit, Type: appeal.TypeHelp,
			Category: "labour", Title: "x", Urgency: appeal.Urgent, Confidential: true, About: 3}, Key: "k", Categories: cats, ForEnterprise: true,
			Departments: []appealdb.Department{{ID: 3, Name: "税务局", NameEn: "Taxation Bureau"}},
			Message:     "该幂等键已用于另一份不同的诉求", Types: appeal.Types, Urgencies: appeal.Urgencies,
			Channels: []appeal.Channel{appeal.ChannelVisit, appeal.ChannelHotline}, Base: core.Base{Errors: map[string]string{"title": "请填写", "category": "请选择", "content": "太短"}}},
			&appealFormData{Enterprise: "宁波测试有限公司", Categories: cats, Types: appeal.Types, Urgencies: appeal.Urgencies}},
		"overview": {&overviewPageData{}, &overviewPageData{period: period{From: "2026-03-01", To: "2026-03-30"}, Region: "330206001001",
			Regions: core.RegionFilter{Choices: choices[:1]}, O: appealdb.Overview{Received: 6, Open: 4, Overdue: 1, Closed: 2},
			Days: []column{{X: 0, Y: 20, W: 8, H: 80, Label: "2026-03-01", N: 5}}, ChartW: 10, ChartH: chartHeight,
			Categories: counts, States: counts, Overdue: counts}},
		"assessment": {&assessmentPageData{}, &assessmentPageData{Params: assessParams{period: period{From: "2026-03-01", To: "2026-03-30"},
			Dimension: rates.Community, Region: "330206001001", Weight: "0.8", RankBy: rates.Satisfaction},
			Rows: []assessRow{row3, {Row: rates.Row{Key: "330206"}, Name: "x", Href: "/appeals?region=330206"}}, Dimensions: assessDimensions,
			Measures: assessMeasures, Regions: core.RegionFilter{Choices: choices[:1]}, ExportURL: "/assessment/export.xlsx?",
			Base: core.Base{Errors: map[string]string{"to": "结束日期不能早于开始日期"}}}},
		"settings": {&settingsPageData{}, &settingsPageData{Categories: cats, Rules: []appeal.LimitRule{
			{Category: "labour", Step: appeal.StepAccept, Span: appeal.Hours(2)}, {Type: appeal.TypeComplaint, Step: appeal.StepHandle, Span: appeal.Days(8)}},
			Defaults: appeal.DefaultRules, Steps: appeal.Steps, Types: appeal.Types, Urgencies: appeal.Urgencies,
			Webhooks: []store.Webhook{{ID: 1, ScopeKind: "region", Scope: "330206001001", Hook: notify.Hook{Format: notify.WeCom, URL: "https://qyapi.weixin.qq.com/x"}, Pending: 2, Failing: "errcode 93000"},
				{ID: 2, ScopeKind: "department", Scope: "3", Hook: notify.Hook{Format: notify.DingTalk, URL: "https://oapi.dingtalk.com/y"}}},
			Departments: []department.Department{{ID: 3, Code: "tax", Name: "税务局", NameEn: "Taxation Bureau"}},
			Category:    appeal.Category{Code: "Bad", Name: ""}, Form: "category", Hook: store.Webhook{ScopeKind: "region"}, Supervisor: 3,
			Base: core.Base{Errors: map[string]string{"code": "代码不正确", "name": "请填写", "form": "出错了"}}}},
	}
}

// TestTemplates renders every page of the module with its page struct in
// both languages through the core's Render, and checks that every UI text
// key its templates and handlers use is in the catalog (the core's and the
// module's).
func TestTemplates(t *testing.T) {
	text, err := core.Merge(core.Text, Text)
	if err != nil {
		t.Fatal(err)
	}
	coretest.CheckPages(t, coretest.PagesOptions{Templates: Templates, Text: text, Examples: appealExamples(), MinKeys: 100})
}

// TestWords checks that every value of the workflow's vocabulary the pages
// name has its words in the catalog: the pages look them up by kind and
// value, which the key scan cannot see.
func TestWords(t *testing.T) {
	text, err := core.Merge(core.Text, Text)
	if err != nil {
		t.Fatal(err)
	}
	words := map[string][]string{
		"channel": core.Strings(appeal.Channels), "type": core.Strings(appeal.Types), "urgency": core.Strings(appeal.Urgencies),
		"state": core.Strings(appeal.States), "result": core.Strings(appeal.Results), "rating": append(core.Strings(appeal.Ratings), string(appeal.NotRated)),
		"step": core.Strings(appeal.Steps), "colour": {string(appeal.Green), string(appeal.Yellow), string(appeal.Red)},
		"party":   {string(appeal.PartyLead), string(appeal.PartyAssist), string(appeal.PartyJoint)},
		"act":     {"create", "merged_in", "attach", "alert.warning", "alert.overdue", "alert.escalate_street", "alert.escalate_district"},
		"dstatus": {"pending", "signed", "returned", "answered", "checked_in", "done"}, "xstatus": {"pending", "approved", "refused"},
		"via": {"phone", "visit", "sms"}, "dim": core.Strings(assessDimensions), "measure": core.Strings(assessMeasures),
		"queue": {"open"},
	}
	for _, tr := range appeal.Lifecycle {
		words["act"] = append(words["act"], string(tr.Action))
	}
	for _, role := range access.Roles {
		words["queue"] = append(words["queue"], queuesOf(role)...)
	}
	for kind, values := range words {
		for _, v := range values {
			if _, ok := text[kind+"."+v]; !ok {
				t.Errorf("the catalog has no words for %s %q", kind, v)
			}
		}
	}
}
