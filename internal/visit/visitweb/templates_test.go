package visitweb

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/catalogue"
	"qifu/internal/catalogue/catalogueweb"
	"qifu/internal/department"
	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/visit"
	"qifu/internal/visit/visitdb"
	"qifu/internal/web/core"
	"qifu/internal/web/core/coretest"
)

// examples are the module's pages filled in: every state a page has.
func examples() map[string][]core.Page {
	now := time.Now()
	ent := enterprise.Enterprise{ID: 7, Name: "宁波测试模具有限公司", CreditCode: "91330206MA2AAAAA1X"}
	team := []visit.Visitor{{UserID: 3, Name: "张网格", Unit: "大港社区"}, {Name: "李干部", Unit: "经信局"}}
	topics := []visit.Topic{{ID: 4, Title: "园区道路拥堵", State: visit.TopicOpen, Region: "大港街道", Enterprises: 3, RaisedAt: now, Version: 2},
		{ID: 5, Title: "用工缺口", State: visit.TopicAnswered, Region: "新碶街道", Answer: "已组织专场招聘", Enterprises: 12, RaisedAt: now, AnsweredAt: now}}
	problems := []visit.Problem{
		{ID: 1, Text: "消防通道被占用", Category: "safety", Outcome: visit.Solved, Action: "当场清理"},
		{ID: 2, Text: "急需熟练焊工", Category: "labour.recruit", Outcome: visit.Raised, AppealID: 9},
		{ID: 3, Text: "贷款审批慢", Category: "financing", Outcome: visit.Raised},
		{ID: 4, Text: "园区道路拥堵", Category: "logistics", Outcome: visit.Common, TopicID: 4, TopicTitle: "园区道路拥堵"},
	}
	v := visit.Visit{ID: 11, EnterpriseID: 7, Enterprise: ent.Name, Kind: visit.Joint, On: "2026-03-02", Visitors: team,
		Situation: visit.Situation{Operation: "部分停产", Orders: "订单不足", Employees: 64}, Note: "下周回访", Problems: problems,
		Recorder: "张网格", Units: 2, CreatedAt: now, Version: 1}
	confirmed := v
	confirmed.ID, confirmed.Kind, confirmed.NoChange, confirmed.Problems, confirmed.Units = 12, visit.Routine, true, nil, 1
	confirmed.ConfirmedAt, confirmed.Feedback, confirmed.FeedbackNote = now, visit.Satisfied, "感谢"
	byPhone := confirmed
	byPhone.ID, byPhone.Feedback, byPhone.FeedbackNote, byPhone.FeedbackVia = 13, visit.NotVisited, "没有人来过", "phone"
	formRows := func(ps ...visit.Problem) []visit.Problem {
		for len(ps) < ProblemRows {
			ps = append(ps, visit.Problem{})
		}
		return ps
	}
	cats := appeal.DefaultCategories()
	prefill := visitdb.Prefill{Enterprise: ent, Situation: visit.Situation{Operation: "正常生产"}, Visitors: team, Kind: visit.Routine,
		LastOn: "2026-02-01", Topics: topics[:1],
		Facts: []dossier.Fact{{Kind: "employees", Num: 60, Source: dossier.Staff, RecordedAt: now}}}
	form := func(p formData) *formData {
		p.Kinds, p.Outcomes, p.Ops, p.Orders, p.Category = visit.Kinds, visit.Outcomes, visit.Operations, visit.OrderStates, cats
		if p.Key == "" {
			p.Key = "k"
		}
		return &p
	}
	pg := core.Pager{Number: 2, Pages: 3, Total: 45, Size: 20, PrevURL: "/x?page=1", NextURL: "/x?page=3"}
	cov := visitdb.Coverage{Code: "330206001", Name: "大港街道", Enterprises: 120, WithGridWorker: 110, KeyEnterprises: 10, KeyWithCadre: 8,
		Projects: 3, ProjectsCadre: 3, Visited: 80, Unvisited: 12, TooOften: 2}
	fig := visitdb.Figures{Key: "330206001001", Name: "大港社区", Visits: 30, Enterprises: 25, Problems: 12, SolvedOnSpot: 4, Raised: 5,
		RaisedClosed: 3, Common: 3, CommonAnswered: 1, Confirmed: 20, Satisfied: 15, Basic: 3, Unsatisfied: 1, NotVisited: 1}
	period := visitdb.Period{From: "2026-01-01", To: "2026-03-31"}
	day := visit.Day{ID: 3, RegionCode: "330206001001", Region: "大港社区", Title: "人社、税务服务日", On: "2026-12-18",
		Place: "和美社区党群服务中心二楼", Departments: []string{"hrss", "tax"}, Providers: []string{"bank-rural"}, Note: "请带营业执照",
		Problems: 3, Pending: 1, CreatedAt: now, Version: 1}
	held := day
	held.ID, held.On, held.Note, held.Problems, held.Pending = 2, "2026-01-08", "", 0, 0
	dayProblems := []visit.DayProblem{
		{ID: 1, DayID: 3, EnterpriseID: 7, Enterprise: ent.Name, Text: "社保补贴怎么申请", Category: "labour.social", Department: "hrss",
			Outcome: visit.DayAnswered, Answer: "已现场指导线上申请", RegisteredAt: now, Version: 2},
		{ID: 2, DayID: 3, EnterpriseID: 7, Enterprise: ent.Name, Text: "出口退税进度", Category: "tax", Department: "tax",
			Outcome: visit.DayRaised, AppealID: 21, RegisteredAt: now, Version: 2},
		{ID: 3, DayID: 3, EnterpriseID: 8, Enterprise: "乙公司", Text: "招工补贴", Category: "labour", Department: "hrss", RegisteredAt: now, Version: 1},
		{ID: 4, DayID: 3, EnterpriseID: 8, Enterprise: "乙公司", Text: "一个部门不在联盟中", Category: "other", Department: "pilot-office",
			Outcome: visit.DayRaised, RegisteredAt: now, Version: 2},
	}
	return map[string][]core.Page{
		"visits": {
			&visitsData{},
			// An enterprise: no recording, no figures.
			&visitsData{Items: []visit.Visit{confirmed}},
			// Staff with a page of visits, one of a team of several units, one awaiting the enterprise.
			&visitsData{Items: []visit.Visit{v, confirmed, byPhone}, Pager: pg, MayRecord: true, MayFigure: true},
		},
		"visit_pick": {
			&pickData{},
			&pickData{Text: "无此企业"},
			&pickData{Text: "模具", Items: []enterprise.Enterprise{ent, {ID: 8, Name: "乙模具厂", CreditCode: "92330206MA2BBBBB2Y"}}},
		},
		"visit_form": {
			// A first visit, as the handler opens it.
			form(formData{Prefill: visitdb.Prefill{Enterprise: ent}, In: visit.Visit{EnterpriseID: 7, On: "2026-03-02",
				Visitors: make([]visit.Visitor, 2)}, Rows: formRows()}),
			// A later visit, prefilled, with the situation on file.
			form(formData{Prefill: prefill, In: visit.Visit{EnterpriseID: 7, Kind: visit.Routine, On: "2026-03-02", NoChange: true,
				Visitors: append(team, visit.Visitor{}, visit.Visitor{})}, Rows: formRows(), Employees: "60",
				FactLines: []string{"从业人员：60 人 · 社区录入 · 3 天前", "经营状况：正常生产 · 企业自报 · 1 个月前"}}),
			// A visit refused, with a message on every field and on a second problem.
			form(formData{Prefill: prefill, In: visit.Visit{EnterpriseID: 7, Kind: visit.Joint, On: "2026-03-09", Note: "备注",
				Visitors: team, Situation: visit.Situation{Operation: "停产", Orders: "订单充足", Employees: 12}},
				Rows:      formRows(problems[0], visit.Problem{Text: "短", Outcome: visit.Common}, problems[3]),
				Employees: "12", Key: "retry-key",
				Base: core.Base{Errors: map[string]string{"": "记录已被他人修改", "kind": "联合走访须有两个以上单位的人员", "on": "走访日期不能晚于今天",
					"visitors": "请填写走访人员", "operation": "请选择经营状况", "orders": "请选择订单情况", "employees": "从业人员数不合理",
					"problems.1.text": "请描述问题（5 至 500 字）", "problems.1.category": "请选择问题分类", "problems.1.outcome": "请选择处理方式",
					"problems.1.action": "请写明当场如何解决", "problems.1.topic_id": "没有这个共性问题", "problems.1.topic_title": "新的共性问题请写标题",
					"problems": "一次走访最多记录 10 个问题", "note": "备注最多 500 字"}}}),
		},
		"visit": {
			&visitData{},
			// Staff on a visit with problems of every outcome, one still to raise.
			&visitData{Visit: v, MayRaise: true, Feedbacks: visit.Feedbacks},
			// The enterprise answers, its first try refused.
			&visitData{Visit: v, MayConfirm: true, Feedbacks: visit.Feedbacks, Note: "没人来",
				Base: core.Base{Errors: map[string]string{"feedback": "请选择评价", "note": "请说明原因"}}},
			// Staff record the answer of an enterprise without an account from a return call.
			&visitData{Visit: v, MayConfirm: true, Via: "phone", Feedbacks: visit.Feedbacks},
			// Answered by the enterprise itself, and by phone.
			&visitData{Visit: confirmed, Feedbacks: visit.Feedbacks},
			&visitData{Visit: byPhone, Feedbacks: visit.Feedbacks},
		},
		"visit_coverage": {
			&coverageData{},
			// A period refused.
			&coverageData{Period: visitdb.Period{From: "2026-04-01", To: "2026-01-01"}, Region: "330206", List: visitdb.ListUnvisited, Lists: visitdb.Lists,
				By: visitdb.ByRegion, Figures: visitdb.Figures{Problems: 0},
				Base: core.Base{Errors: map[string]string{"from": "请选择起止日期（不超过三年）", "region": "请选择区域"}}},
			// A street with its communities, figures by recorder, its departments and the list of those visited too often.
			&coverageData{Period: period, Region: "330206001", Total: cov, Rows: []visitdb.Coverage{cov, {Code: "330206001002", Name: "新社区", Enterprises: 3}},
				List: visitdb.ListTooOften, Lists: visitdb.Lists, Count: 45, Pager: pg, By: visitdb.ByRecorder, Figures: fig,
				ByRows: []visitdb.Figures{fig, {Key: "9", Name: "王干部"}},
				Items: []visitdb.Listed{{ID: 7, Name: ent.Name, KeyLevel: string(enterprise.KeyCity), LastOn: "2026-03-01", Units: 3},
					{ID: 8, Name: "乙模具厂", Units: 2}},
				Depts: []visitdb.DepartmentFigures{{Code: "hrss", Name: "人力社保局", NameEn: "Human Resources and Social Security Bureau",
					Raised: 4, RaisedClosed: 2, DayProblems: 3, DayAnswered: 1, DayRaised: 1}, {Code: "pilot", Name: "试点办"}}},
			// The list of those nobody visited, by unit.
			&coverageData{Period: period, Total: cov, List: visitdb.ListUnvisited, Lists: visitdb.Lists, Count: 1, By: visitdb.ByUnit,
				ByRows: []visitdb.Figures{{Key: "经信局", Name: "经信局", Visits: 2}}, Items: []visitdb.Listed{{ID: 9, Name: "丙公司"}}},
		},
		"topics": {
			&topicsData{},
			&topicsData{State: visit.TopicOpen},
			&topicsData{Items: topics},
		},
		"topic": {
			&topicData{},
			// Open, answered by one who may, the first answer refused.
			&topicData{Topic: topics[0], MayAnswer: true, MayEscalate: true, Answer: "短", Reason: "区",
				Concerned: []visitdb.Concerned{{EnterpriseID: 7, Enterprise: ent.Name, VisitID: 11, Text: "园区道路拥堵", On: "2026-03-02"},
					{EnterpriseID: 8, Enterprise: "乙公司", Ref: "form:3", Text: "道路堵"}},
				Base: core.Base{Errors: map[string]string{"answer": "请写答复（5 至 2000 字）"}}},
			// Open, seen by one who may not answer.
			&topicData{Topic: topics[0]},
			&topicData{Topic: topics[1]},
		},
		"topic_report": {
			&reportData{},
			&reportData{Prefill: prefill, In: visitdb.Report{EnterpriseID: 7, Text: "道路拥堵影响出货", Category: "logistics", Ref: "form:3"}, Category: cats},
			&reportData{Prefill: prefill, In: visitdb.Report{EnterpriseID: 7, TopicID: 4, Title: "x", Text: "短", Category: "nope"}, Category: cats,
				Base: core.Base{Errors: map[string]string{"text": "请描述问题", "category": "问题分类不存在", "topic_id": "这个共性问题已答复",
					"topic_title": "新的共性问题请写标题"}}},
		},
		"service_days": {
			&daysData{},
			// An enterprise sees the days of its community.
			&daysData{Items: []visit.Day{day, held}},
			// Staff plan a day, refused.
			&daysData{Items: []visit.Day{day}, MayRun: true, Departments: department.Alliance(), Providers: catalogue.DemoProviders(),
				Edit: visit.Day{Title: "x", On: "2020-01-01", Departments: []string{"tax"}, Providers: []string{"bank-rural"}, Note: "备注"},
				Base: core.Base{Errors: map[string]string{"title": "请填写标题（4 至 60 字）", "on": "服务日须在今天到一年内",
					"place": "请填写地点", "region_code": "不在您的范围内", "departments": "请至少邀请一个部门", "providers": "没有这个机构"}}},
			// Staff with no provider in the directory.
			&daysData{MayRun: true, Departments: department.Alliance(), Edit: visit.Day{On: "2026-12-18"}},
		},
		"service_day": {
			&dayData{},
			// A day coming: an enterprise registers, its first try refused.
			&dayData{Day: day, Problems: dayProblems[:1], MayJoin: true, Categories: cats,
				Edit: visit.DayProblem{Text: "短", Category: "tax", Department: "tax"},
				Base: core.Base{Errors: map[string]string{"text": "请描述问题（5 至 500 字）", "category": "请选择问题分类",
					"department": "请选择受邀的部门", "": "服务日已举办"}}},
			// The day held: staff answer and raise, an answer refused.
			&dayData{Day: day, Problems: dayProblems, MayRun: true, Past: true, Categories: cats, Failed: 3,
				Base: core.Base{Errors: map[string]string{"answer": "请填写答复"}}},
			// The retry of a problem raised refused (its department unknown in the enterprise's district).
			&dayData{Day: day, Problems: dayProblems, MayRun: true, Past: true, Categories: cats, Failed: 4,
				Base: core.Base{Errors: map[string]string{"department": "企业所在区没有这个部门"}}},
			// The day held, seen by one who may not run it; nothing registered.
			&dayData{Day: held, Past: true, Categories: cats},
		},
	}
}

// text is the catalog the module's pages are rendered with: the core's
// and the module's, and the words the pages borrow from other catalogs —
// the catalogue's search and apply buttons, taken from its catalog so that
// a word it drops is missed here too, and the site's "ent.name", by hand
// (the site imports this package, so this test cannot import it).
func text(t testing.TB) core.Catalog {
	t.Helper()
	text, err := core.Merge(core.Text, Text)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"cat.search", "cat.apply"} {
		w, ok := catalogueweb.Text[key]
		if !ok {
			t.Fatalf("the catalogue's catalog no longer has %q, which the visits' pages borrow", key)
		}
		text[key] = w
	}
	text["ent.name"] = [2]string{"企业名称", "Name"}
	return text
}

// TestTemplates renders every page of the module with its examples in
// both languages, for staff and for an enterprise, and holds that every
// word used is in the catalog.
func TestTemplates(t *testing.T) {
	coretest.CheckPages(t, coretest.PagesOptions{Templates: Templates, Text: text(t), Examples: examples(), MinKeys: 100})
}

// TestPageBranches holds what the examples are for: the pages show what
// their state says, and only then.
func TestPageBranches(t *testing.T) {
	c := coretest.New(t, text(t), Templates)
	render := func(name string, p core.Page) string {
		return coretest.Render(t, c, name, p, "en", access.RoleCommunityStaff)
	}
	ex := examples()
	for _, tt := range []struct {
		page     string
		i        int
		has, not []string
	}{
		{"visits", 0, []string{`id="visits-empty"`}, []string{`id="new-visit"`, `href="/visits/coverage"`}},
		{"visits", 1, []string{`id="visits"`, "Satisfied"}, []string{`id="new-visit"`, `href="/visits/coverage"`, "Awaiting the enterprise"}},
		{"visits", 2, []string{`id="new-visit"`, `href="/visits/coverage"`, "and 2 units", "Awaiting the enterprise", "Nobody came", `rel="next"`}, nil},
		{"visit_pick", 0, nil, []string{"No enterprise in your reach matches"}},
		{"visit_pick", 1, []string{"No enterprise in your reach matches"}, nil},
		{"visit_pick", 2, []string{`href="/visits/new?enterprise=8"`}, []string{"No enterprise in your reach matches"}},
		{"visit_form", 0, []string{"First visit", `name="visitor_name_1"`, `id="problem-4"`}, []string{`id="no-change"`, `id="visit-facts"`, `class="error"`}},
		{"visit_form", 1, []string{"Last visited 2026-02-01", `id="no-change" checked`, `id="visit-facts"`, `name="visitor_user_0" value="3"`,
			`name="visitor_user_2" value=""`, `<option value="4">园区道路拥堵</option>`}, nil},
		{"visit_form", 2, []string{`<p class="error">记录已被他人修改</p>`, `id="more-1" open`, `id="more-2" open`, "请描述问题（5 至 500 字）",
			"没有这个共性问题", "新的共性问题请写标题", `value="retry-key"`, `<option value="停产" selected>`, `value="common" checked`},
			[]string{`id="more-3" open`, `id="no-change" checked`}},
		{"visit", 1, []string{`id="visit-problems"`, `href="/appeals/9"`, "To raise", `action="/visits/11/raise"`, `href="/topics/4"`,
			"当场清理", "64 people", "Partly stopped", "Awaiting the enterprise"}, []string{`id="visit-confirm"`}},
		{"visit", 2, []string{`id="visit-confirm"`, "Confirm and rate", "请选择评价", "没人来"}, []string{"call it back", `action="/visits/11/raise"`}},
		{"visit", 3, []string{`id="visit-confirm"`, "call it back"}, []string{"Confirm and rate"}},
		{"visit", 4, []string{`id="visit-rated"`, "As last time, no change"}, []string{"recorded by the community", `id="visit-problems"`, `id="visit-confirm"`}},
		{"visit", 5, []string{`id="visit-rated"`, "Nobody came", "recorded by the community"}, []string{`id="visit-confirm"`}},
		{"visit_coverage", 1, []string{"请选择起止日期", "请选择区域", "No visit in the period.", "The list is empty."}, []string{`id="coverage-rows"`, `id="figures-departments"`}},
		{"visit_coverage", 2, []string{`id="coverage-rows"`, `id="figures-rows"`, `id="figures-departments"`, `id="coverage-list"`, "Units in 30 days",
			"Human Resources and Social Security Bureau", `<span class="tag">Key</span>`, "Never", "45 enterprises", `rel="next"`, "66.7%", "—"}, nil},
		{"visit_coverage", 3, []string{`id="coverage-list"`, "By unit", "Never"}, []string{"Units in 30 days", `id="coverage-rows"`}},
		{"topics", 0, []string{`id="topics-empty"`, `href="/topics" aria-current="page"`}, nil},
		{"topics", 1, []string{`href="/topics?state=open" aria-current="page"`}, nil},
		{"topics", 2, []string{`id="topics"`, "Open", "Answered", "12 enterprises concerned"}, []string{`id="topics-empty"`}},
		{"topic", 1, []string{`id="topic-answer-form"`, "请写答复", `href="/visits/11"`, "2 enterprises concerned", "<li>乙公司<br>"},
			[]string{`id="topic-answer">`, `href="/visits/0"`}},
		{"topic", 2, nil, []string{`id="topic-answer-form"`}},
		{"topic", 3, []string{`id="topic-answer"`, "已组织专场招聘"}, []string{`id="topic-answer-form"`}},
		{"topic_report", 1, []string{`<option value="logistics" selected>`, `value="form:3"`}, []string{`aria-invalid`}},
		{"topic_report", 2, []string{`<option value="4" selected>`, "这个共性问题已答复", "新的共性问题请写标题"}, nil},
		{"service_days", 0, []string{`id="service-days-empty"`}, []string{`id="service-day-form"`}},
		{"service_days", 1, []string{`id="service-days"`, "3 problems, 1 pending"}, []string{`id="service-day-form"`}},
		{"service_days", 2, []string{`id="service-day-form"`, `value="tax" checked`, `value="bank-rural" checked`, "请至少邀请一个部门", "没有这个机构"}, nil},
		{"service_days", 3, []string{`id="service-day-form"`, `value="2026-12-18"`}, []string{"Providers invited"}},
		{"service_day", 1, []string{"Coming", `id="day-problem-form"`, "请选择受邀的部门", "服务日已举办", `<option value="tax" selected>`, "Answered on the spot"},
			[]string{"Held", "Record the answer"}},
		{"service_day", 2, []string{"Held", `href="/appeals/21"`, "Record the answer", "请填写答复", "pilot-office", "Raise as an appeal to the department"},
			[]string{`id="day-problem-form"`}},
		{"service_day", 3, []string{"Held", "企业所在区没有这个部门"}, []string{`id="day-problem-form"`, "请填写答复"}},
		{"service_day", 4, []string{"Held", "No problem registered yet."}, []string{`id="day-problem-form"`, "Record the answer"}},
	} {
		body := render(tt.page, ex[tt.page][tt.i])
		for _, s := range tt.has {
			if !strings.Contains(body, s) {
				t.Errorf("%s example %d lacks %q", tt.page, tt.i, s)
			}
		}
		for _, s := range tt.not {
			if strings.Contains(body, s) {
				t.Errorf("%s example %d shows %q", tt.page, tt.i, s)
			}
		}
	}
	// A refused answer or raise shows under its own problem, once.
	for _, c := range []struct {
		i       int
		message string
		problem int64
	}{{2, "请填写答复", 3}, {3, "企业所在区没有这个部门", 4}} {
		body := render("service_day", ex["service_day"][c.i])
		at, under, next := strings.Index(body, c.message), strings.Index(body, fmt.Sprintf(`id="day-problem-%d"`, c.problem)),
			strings.Index(body, fmt.Sprintf(`id="day-problem-%d"`, c.problem+1))
		if next < 0 {
			next = len(body)
		}
		if at < under || at > next || strings.Count(body, c.message) != 1 {
			t.Errorf("service_day example %d: the message is at %d (%d times), its problem from %d to %d", c.i, at, strings.Count(body, c.message), under, next)
		}
	}
}

// TestWords holds that every value of the visits' vocabulary the pages
// name has its words: they look them up by kind and value (Word), which the
// key scan cannot see.
func TestWords(t *testing.T) {
	text := text(t)
	words := map[string][]string{
		"vkind": core.Strings(visit.Kinds), "outcome": core.Strings(visit.Outcomes), "feedback": core.Strings(visit.Feedbacks),
		"vsit": append(append([]string{}, visit.Operations...), visit.OrderStates...), "tstate": {visit.TopicOpen, visit.TopicAnswered},
		"sdout": {string(visit.DayAnswered), string(visit.DayRaised)}, "by": {visitdb.ByRegion, visitdb.ByRecorder, visitdb.ByUnit},
		"vlist": visitdb.Lists,
	}
	for kind, values := range words {
		for _, v := range values {
			if _, ok := text[kind+"."+v]; !ok {
				t.Errorf("the catalog has no words for %s %q", kind, v)
			}
		}
	}
}
