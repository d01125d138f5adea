package web

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/audit"
	"qifu/internal/calendar"
	"qifu/internal/department"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/notify"
	"qifu/internal/place"
	"qifu/internal/rates"
	"qifu/internal/store"
)

// examplePages returns, for every page template, its page struct at zero
// values and filled in so that the template takes its other branches.
func examplePages() map[string][]page {
	e := dataset.Enterprises[0]
	e.ID, e.Version, e.UpdatedAt, e.KeyLevel, e.CodeUnconfirmed = 7, 3, time.Now(), enterprise.KeyCity, true
	e.Tags = []string{"外贸", "专精特新"}
	grid := place.Region{Code: showGrid, Name: "大港社区第1网格", Level: place.Grid, ParentCode: showCommunity, WorkerID: 5}
	community := place.Region{Code: showCommunity, Name: "大港社区", Level: place.Community, ParentCode: showStreet, Industrial: true}
	choices := []regionChoice{{Code: community.Code, Name: community.Name}, {Code: grid.Code, Name: grid.Name, Indent: "　"}}
	u := account.User{ID: 5, Username: "grid", Name: "张网格", Phone: "13800001111", Role: access.RoleGridWorker,
		RegionCode: showGrid, Version: 2, DepartmentName: "税务局", EnterpriseName: e.Name}
	locked := u
	locked.LockedUntil = time.Now().Add(time.Hour)
	disabled := u
	disabled.Disabled = true
	pg := pager{Number: 2, Pages: 3, Total: 45, Size: 20, PrevURL: "/x?page=1", NextURL: "/x?page=3"}
	errs := map[string]string{"name": "请填写", "grid_code": "网格不存在", "file": "不是 Excel 文件", "current": "密码错误",
		"password": "太短", "region_code": "区划不存在", "department_id": "部门不存在", "role": "请选择角色"}
	result := &importResult{Applied: false, Created: 1, Updated: 2, Unchanged: 3, ReportURL: "/imports/1/problems.xlsx",
		Rejected: []rejectedRow{{Line: 3, CreditCode: e.CreditCode, Name: e.Name, Problems: map[string]string{"phone": "手机号码有误"}}}}
	entry := audit.Entry{ID: 1, At: time.Now(), ActorName: "admin", Role: "admin", Action: "login", Target: "user/admin",
		Result: "ok", ClientAddr: "127.0.0.1", Detail: "{}"}
	dept := department.Department{ID: 1, Code: "tax", Name: "税务局", NameEn: "Tax Bureau", RegionCode: "330206", Phone: "0574-1"}
	pages := map[string][]page{
		"login": {&loginPageData{}, &loginPageData{Username: "grid", Next: "/enterprises", Message: "用户名或密码错误",
			Demo: []DemoAccount{{Username: "admin", Role: access.RoleAdmin}}}},
		"error": {&errorPage{}, &errorPage{Status: 404, Message: "记录不存在或无权访问"}},
		"home": {&homePageData{}, &homePageData{MissingYear: 2027, ScopeName: "大港社区", Enterprises: 162, Unconfirmed: 2, Grids: 5, Outside: 1,
			NoWorker: 1, Departments: 23, Users: 80, Mine: []enterprise.Enterprise{e}, ShowFigures: true, CanImport: true,
			CanCreate: true, CanUsers: true, CanAudit: true, OutsideGrids: []store.GridLoad{{Region: grid, Enterprises: 58}}}},
		"enterprises": {&enterprisesPageData{}, &enterprisesPageData{Query: store.EnterpriseQuery{Region: showGrid, Industry: "C",
			Size: enterprise.SizeSmall, KeyLevel: "any", ForeignTrade: "yes", Tag: "外贸", Text: "宁波", Unconfirmed: true},
			Items: []enterprise.Enterprise{e}, Pager: pg, Sections: enterprise.AllSections(), Regions: regionFilter{Choices: choices, Bounded: true},
			Tags: commonTags, ExportURL: "/enterprises/export.xlsx?", CanCreate: true, CanImport: true, CanExport: true,
			GridNames: map[string]string{showGrid: grid.Name}, Industries: map[string]string{e.Industry: "制造"}}},
		"enterprise": {&enterprisePageData{}, &enterprisePageData{E: e, Industry: enterprise.AllDivisions()[0], Revealed: true,
			CanEdit: true, CanReveal: true, CanRaise: true, GridName: grid.Name, PlaceNames: []string{"新碶街道", "大港社区", grid.Name}}},
		"enterprise_form": {&enterpriseFormData{}, &enterpriseFormData{E: e, Revenue: "125.5", Action: "/enterprises/7",
			Divisions: enterprise.AllDivisions(), Grids: []place.Region{grid}, base: base{Errors: errs}},
			&enterpriseFormData{New: true, Action: "/enterprises"}, &enterpriseFormData{New: true, GridTyped: true, Action: "/enterprises"}},
		"import": {&importPageData{}, &importPageData{Result: result, Strict: true, base: base{Errors: errs}},
			&importPageData{Result: &importResult{Applied: true, Created: 2, Rejected: []rejectedRow{}}}},
		"places": {&placesPageData{}, &placesPageData{Region: community.Code, Bounded: true, Nodes: []placeNode{{Region: community, Depth: 3, Closed: true},
			{Region: grid, Depth: 4, Enterprises: 58, WorkerName: "张网格", OutsideNorm: true, Grid: true},
			{Region: grid, Depth: 4, Grid: true}}, Outside: 1, NoWorker: 1, CanManage: true,
			Workers: []workerOption{{ID: 5, Name: "张网格（grid）"}}, OnlyOut: true}},
		"departments": {&departmentsPageData{}, &departmentsPageData{Items: []department.Department{dept}, Staff: map[int64]int{1: 3}}},
		"users": {&usersPageData{}, &usersPageData{Query: store.UserQuery{Role: access.RoleGridWorker, Text: "张", Disabled: "no"},
			Items: []account.User{u, locked, disabled}, Pager: pg, Roles: access.Roles, CanManage: true, Now: time.Now()}},
		"user": {&userFormData{}, &userFormData{U: u, Action: "/users/5", Roles: access.Roles,
			Departments: []department.Department{dept}, CanManage: true, Now: time.Now(), base: base{Errors: errs}},
			&userFormData{U: disabled, Action: "/users/5", CanManage: true}, &userFormData{U: locked, Now: time.Now()},
			&userFormData{New: true, Action: "/users", Roles: access.Roles, CanManage: true}},
		"audit": {&auditPageData{}, &auditPageData{Query: store.AuditQuery{ActorName: "admin", Action: "login"},
			Items: []audit.Entry{entry}, Pager: pg, Verify: "哈希链完整", From: "2026-03-01", To: "2026-03-02", Broken: true,
			Export: "/audit/export.csv?", Checked: true}},
		"account": {&accountPageData{}, &accountPageData{User: u, Tokens: []store.Token{{ID: 1, Name: "ci", CreatedAt: time.Now()},
			{ID: 2, Name: "old", CreatedAt: time.Now(), Revoked: true}}, Secret: "qt_secret", Done: "ok", base: base{Errors: errs}}},
	}
	for name, list := range appealExamples() {
		pages[name] = list
	}
	return pages
}

// appealExamples are the example pages of the appeal workflow: every form
// of the appeal page offered, refused forms shown again, and the lists,
// charts and tables filled in.
func appealExamples() map[string][]page {
	now := time.Now()
	a := appeal.Appeal{ID: 9, Number: "SQ20260301-0001", Channel: appeal.ChannelWeb, Type: appeal.TypeHelp, Category: "labour.recruit",
		Title: "招工难", Content: "缺少熟练工人", Urgency: appeal.Urgent, EnterpriseID: 7, CreditCode: "91330206MA2AAAAA1X",
		Enterprise: "宁波测试有限公司", Contact: "王经理", Phone: "138****1234", Confidential: true, GridCode: showGrid,
		State: appeal.Handling, CaseID: 3, LeadID: 2, Result: appeal.Solved, Reply: "已对接", Rating: appeal.Unsatisfied,
		RatingNote: "仍缺人", RedoCount: 1, UrgeCount: 2, CreatedAt: now, UpdatedAt: now, ClosedAt: now, Version: 4}
	var all []appeal.Action
	for _, t := range appeal.Lifecycle {
		all = append(all, t.Action)
	}
	v := appealdb.AppealView{Appeal: a, Lead: "人力社保局", Actions: all,
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
		base: base{Errors: map[string]string{"lead": "请选择主办部门", "note": "太长", "due": "日期有误"}}}
	public := &appealPageData{V: appealdb.AppealView{Appeal: a, Actions: []appeal.Action{appeal.Rate, appeal.SupplyInfo, appeal.Confirm}},
		Public: true, Failed: appeal.Rate, posted: url.Values{"rating": {"unsatisfied"}}, Ratings: appeal.Ratings,
		base: base{Errors: map[string]string{"note": "请说明原因", "rating": "请选择"}}}
	row := appealdb.AppealRow{ID: 9, Number: a.Number, Title: a.Title, Type: a.Type, Category: a.Category, Urgency: appeal.Critical,
		State: appeal.Dispatched, Enterprise: a.Enterprise, Lead: "税务局", CreatedAt: now, Due: now, Colour: appeal.Red, UrgeCount: 1, Version: 2}
	cats := appeal.DefaultCategories()
	tabs := []queueTab{{Queue: "triage", Label: "待受理研判", Count: 3, Active: true}, {Queue: "all", Label: "全部", Count: 9}}
	pg := pager{Number: 2, Pages: 3, Total: 45, Size: 20, PrevURL: "/x?page=1", NextURL: "/x?page=3"}
	grid := place.Region{Code: showGrid, Name: "大港社区第1网格", Level: place.Grid}
	community := place.Region{Code: showCommunity, Name: "大港社区", Level: place.Community}
	choices := []regionChoice{{Code: community.Code, Name: community.Name}, {Code: grid.Code, Name: grid.Name, Indent: "　"}}
	counts := []bar{{Key: "labour", Label: "用工招工", Href: "/appeals?category=labour", N: 5, Width: 100}, {Key: "tax", Label: "税费", N: 1, Width: 20}}
	row3 := assessRow{Row: rates.Row{Key: "2", Appeals: 4, ResponseDue: 4, ResponseInTime: 3, ResponseRate: 0.75, AvgHandlingHours: 6.5},
		Rank: 1, Name: "人力社保局"}
	return map[string][]page{
		"appeals": {&appealsPageData{}, &appealsPageData{Query: appealdb.AppealQuery{State: appeal.Dispatched, Category: "labour",
			Region: showGrid, Text: "招工"}, Queue: "triage", Tabs: tabs, Items: []appealItem{{AppealRow: row, Left: "超期 2.0 工作小时"}},
			Pager: pg, Categories: cats, CatNames: map[string]string{"labour.recruit": "招工难"}, States: appeal.States,
			Regions: regionFilter{Choices: choices}, From: "2026-03-01", To: "2026-03-31", CanRaise: true},
			&appealsPageData{Items: []appealItem{{AppealRow: row}}, Mine: true, CanRaise: true}},
		"appeal": {&appealPageData{}, full, public},
		"appeal_form": {&appealFormData{}, &appealFormData{In: appeal.Input{Channel: appeal.ChannelVisit, Type: appeal.TypeHelp,
			Category: "labour", Title: "x", Urgency: appeal.Urgent, Confidential: true}, Key: "k", Categories: cats, ForEnterprise: true,
			Message: "该幂等键已用于另一份不同的诉求", Types: appeal.Types, Urgencies: appeal.Urgencies,
			Channels: []appeal.Channel{appeal.ChannelVisit, appeal.ChannelHotline}, base: base{Errors: map[string]string{"title": "请填写", "category": "请选择", "content": "太短"}}},
			&appealFormData{Enterprise: "宁波测试有限公司", Categories: cats, Types: appeal.Types, Urgencies: appeal.Urgencies}},
		"inbox": {&inboxPageData{}, &inboxPageData{Items: []store.Notice{{ID: 1, At: now, AppealID: 9, Kind: "dispatch", Title: "新派单"},
			{ID: 2, At: now, Kind: "unknown", Title: "旧消息", Read: true}}, Unread: 1, Pager: pg}},
		"overview": {&overviewPageData{}, &overviewPageData{period: period{From: "2026-03-01", To: "2026-03-30"}, Region: showCommunity,
			Regions: regionFilter{Choices: choices[:1]}, O: appealdb.Overview{Received: 6, Open: 4, Overdue: 1, Closed: 2},
			Days: []column{{X: 0, Y: 20, W: 8, H: 80, Label: "2026-03-01", N: 5}}, ChartW: 10, ChartH: chartHeight,
			Categories: counts, States: counts, Overdue: counts}},
		"assessment": {&assessmentPageData{}, &assessmentPageData{Params: assessParams{period: period{From: "2026-03-01", To: "2026-03-30"},
			Dimension: rates.Community, Region: showCommunity, Weight: "0.8", RankBy: rates.Satisfaction},
			Rows: []assessRow{row3, {Row: rates.Row{Key: "330206"}, Name: "x", Href: "/appeals?region=330206"}}, Dimensions: assessDimensions,
			Measures: assessMeasures, Regions: regionFilter{Choices: choices[:1]}, ExportURL: "/assessment/export.xlsx?",
			base: base{Errors: map[string]string{"to": "结束日期不能早于开始日期"}}}},
		"settings": {&settingsPageData{}, &settingsPageData{Categories: cats, Rules: []appeal.LimitRule{
			{Category: "labour", Step: appeal.StepAccept, Span: appeal.Hours(2)}, {Type: appeal.TypeComplaint, Step: appeal.StepHandle, Span: appeal.Days(8)}},
			Defaults: appeal.DefaultRules, Steps: appeal.Steps, Types: appeal.Types, Urgencies: appeal.Urgencies,
			Webhooks: []store.Webhook{{ID: 1, ScopeKind: "region", Scope: showCommunity, Hook: notify.Hook{Format: notify.WeCom, URL: "https://qyapi.weixin.qq.com/x"}, Pending: 2, Failing: "errcode 93000"},
				{ID: 2, ScopeKind: "department", Scope: "3", Hook: notify.Hook{Format: notify.DingTalk, URL: "https://oapi.dingtalk.com/y"}}},
			Departments: []department.Department{{ID: 3, Code: "tax", Name: "税务局", NameEn: "Taxation Bureau"}},
			Category:    appeal.Category{Code: "Bad", Name: ""}, Form: "category", Hook: store.Webhook{ScopeKind: "region"},
			base: base{Errors: map[string]string{"code": "代码不正确", "name": "请填写", "form": "出错了"}}}},
		"calendar": {&calendarPageData{}, &calendarPageData{MissingYear: 2027, Official: calendar.Official()[:3],
			Days: []calendar.Day{{Date: "2027-01-01", Kind: calendar.Holiday, Name: "元旦"}}, Form: calendar.Day{Date: "x", Kind: calendar.Workday},
			base: base{Errors: map[string]string{"date": "日期无效", "kind": "类型无效"}}}},
	}
}

// TestTemplates renders every page template with its page struct in both
// languages, checks that every UI text key the templates and handlers use
// is in the catalog and that no catalog entry is empty, and fetches every
// page of each store in both languages.
func TestTemplates(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	examples := examplePages()
	for name := range pages {
		if len(examples[name]) == 0 {
			t.Errorf("template %s has no example page", name)
		}
	}
	for name, list := range examples {
		tmpl, ok := pages[name]
		if !ok {
			t.Errorf("example for template %s, which does not exist", name)
			continue
		}
		for i, p := range list {
			for _, lang := range []string{"zh", "en"} {
				for _, signedIn := range []bool{true, false} {
					if !signedIn && name != "login" && name != "error" {
						continue // only these are shown to people not signed in
					}
					b := p.common()
					*b = base{Errors: b.Errors, Lang: lang, Path: "/x?y=1", Title: "页面"}
					if signedIn {
						a := access.Actor{UserID: 1, Name: "管理员", Role: access.RoleAdmin}
						b.Actor, b.Nav = &a, navFor(a, "/enterprises", lang)
					}
					var buf bytes.Buffer
					if err := tmpl.ExecuteTemplate(&buf, "layout", p); err != nil {
						t.Errorf("%s example %d (%s, signed in %v): %v", name, i, lang, signedIn, err)
						continue
					}
					wantLang := map[string]string{"zh": `<html lang="zh-CN">`, "en": `<html lang="en">`}[lang]
					if !strings.Contains(buf.String(), wantLang) || !strings.Contains(buf.String(), "</html>") {
						t.Errorf("%s example %d (%s): not a whole page in its language", name, i, lang)
					}
				}
			}
		}
	}

	// Every key used is in the catalog.
	used := usedKeys(t)
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use: the scan is broken", len(used))
	}
	for key, where := range used {
		if _, ok := text[key]; !ok {
			t.Errorf("key %q used in %s is not in the catalog", key, where)
		}
	}
	var unused []string
	for key := range text {
		if _, ok := used[key]; !ok {
			unused = append(unused, key)
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Logf("catalog keys no template or handler uses: %v", unused)
	}
	// The menu's labels come from keys in a table: each must be a catalog value.
	values := map[string]bool{}
	for key, v := range text {
		if v[0] == "" || v[1] == "" {
			t.Errorf("catalog entry %q is empty in a language: %q", key, v)
		}
		if n, m := strings.Count(v[0], "%"), strings.Count(v[1], "%"); n != m {
			t.Errorf("catalog entry %q has %d verbs in Chinese and %d in English", key, n, m)
		}
		values[v[0]], values[v[1]] = true, true
	}
	for _, role := range access.Roles {
		for _, lang := range []string{"zh", "en"} {
			for _, it := range navFor(access.Actor{Role: role}, "/", lang) {
				if !values[it.Label] {
					t.Errorf("menu of %s (%s): label %q is not a catalog text", role, lang, it.Label)
				}
			}
		}
	}
	// Error messages in both languages.
	for _, err := range []error{errCrossOrigin, errNotSignedIn, errVersionRequired, errNoFile, fault.ErrNotFound, access.ErrForbidden} {
		fe := fault.As(err)
		if fe.Message.Zh == "" || fe.Message.En == "" {
			t.Errorf("error %q lacks a language", fe.Code)
		}
	}

	eachStore(t, func(t *testing.T, s *site) {
		id := s.entID(t, dataset.Enterprises[0].CreditCode)
		appealID := s.raise(t, "页面检查").ID
		for _, rt := range (&Server{}).routes() {
			if rt.method != "GET" || strings.HasPrefix(rt.path, "/api/") || strings.Contains(rt.path, ".") || strings.HasPrefix(rt.path, "/attachments/") ||
				strings.HasPrefix(rt.path, "/healthz") || strings.HasPrefix(rt.path, "/readyz") || strings.HasPrefix(rt.path, "/metrics") {
				continue
			}
			path := strings.NewReplacer("{id}", fmt.Sprint(id), "{$}", "").Replace(rt.path)
			if strings.HasPrefix(rt.path, "/users/{id}") {
				path = fmt.Sprintf("/users/%d", s.userID(t, "grid"))
			}
			if strings.HasPrefix(rt.path, "/appeals/{id}") {
				path = fmt.Sprintf("/appeals/%d", appealID)
			}
			who := "admin"
			if rt.action == access.AuditRead {
				who = "auditor"
			}
			for _, lang := range []string{"zh", "en"} {
				res := s.call(t, "GET", path, nil, nil, "Cookie", langCookie+"="+lang+"; "+sessionCookie+"="+s.login(t, who).Value)
				want := map[string]string{"zh": `<html lang="zh-CN">`, "en": `<html lang="en">`}[lang]
				if res.code != http.StatusOK || !bytes.Contains(res.body, []byte(want)) {
					t.Errorf("GET %s as %s in %s: %d, page in its language %v", path, who, lang, res.code, bytes.Contains(res.body, []byte(want)))
				}
			}
		}
		// An error page is titled as one.
		res := s.as(t, "admin", "GET", "/enterprises/999999999", nil)
		if res.code != http.StatusNotFound || !bytes.Contains(res.body, []byte("<title>"+translate("zh", "err.title")+" · ")) {
			t.Errorf("GET a missing enterprise: %d, want a 404 page titled %q", res.code, translate("zh", "err.title"))
		}
	})
}

// keyPatterns find the UI text keys used in templates and Go files.
var keyPatterns = []*regexp.Regexp{
	regexp.MustCompile(`\.Tf? "([^"]+)"`),                                // {{.T "key"}}, {{$.Tf "key" …}}
	regexp.MustCompile(`fieldOf \S+ "[^"]*" "([^"]+)"`),                  // {{template "field" (fieldOf . "name" "key" …)}}
	regexp.MustCompile(`translate\((?:[^()]|\([^()]*\))*?,\s*"([^"]+)"`), // translate(lang, "key")
	regexp.MustCompile(`\.Tf?\("([^"]+)"`),                               // b.T("key") in Go
	regexp.MustCompile(`\{"/[^"]*", "([^"]+)",`),                         // navFor's table
	regexp.MustCompile(`\.Area "[^"]*" "[^"]*" "([^"]+)"`),               // {{template "area" (.Area "action" "field" "key")}}
}

// usedKeys returns the keys the embedded templates and the package's Go
// files use, each with one place it is used.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	used := map[string]string{}
	scan := func(name string, src []byte) {
		for _, re := range keyPatterns {
			for _, m := range re.FindAllSubmatch(src, -1) {
				used[string(m[1])] = name
			}
		}
	}
	err := fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(assets, path)
		scan(path, src)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		scan(f, src)
	}
	return used
}
