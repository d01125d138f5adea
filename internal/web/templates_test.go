package web

import (
	"bytes"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/audit"
	"qifu/internal/calendar"
	"qifu/internal/department"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/pool/poolweb"
	"qifu/internal/store"
	"qifu/internal/todo"
	"qifu/internal/web/core"
)

// examplePages returns, for every page template, its page struct at zero
// values and filled in so that the template takes its other branches.
func examplePages() map[string][]core.Page {
	e := dataset.Enterprises[0]
	e.ID, e.Version, e.UpdatedAt, e.KeyLevel, e.CodeUnconfirmed = 7, 3, time.Now(), enterprise.KeyCity, true
	e.Tags = []string{"外贸", "专精特新"}
	grid := place.Region{Code: showGrid, Name: "大港社区第1网格", Level: place.Grid, ParentCode: showCommunity, WorkerID: 5}
	community := place.Region{Code: showCommunity, Name: "大港社区", Level: place.Community, ParentCode: showStreet, Industrial: true}
	choices := []core.RegionChoice{{Code: community.Code, Name: community.Name}, {Code: grid.Code, Name: grid.Name, Indent: "　"}}
	u := account.User{ID: 5, Username: "grid", Name: "张网格", Phone: "13800001111", Role: access.RoleGridWorker,
		RegionCode: showGrid, Version: 2, DepartmentName: "税务局", EnterpriseName: e.Name}
	locked := u
	locked.LockedUntil = time.Now().Add(time.Hour)
	disabled := u
	disabled.Disabled = true
	pg := core.Pager{Number: 2, Pages: 3, Total: 45, Size: 20, PrevURL: "/x?page=1", NextURL: "/x?page=3"}
	errs := map[string]string{"name": "请填写", "grid_code": "网格不存在", "file": "不是 Excel 文件", "current": "密码错误",
		"password": "太短", "region_code": "区划不存在", "department_id": "部门不存在", "role": "请选择角色"}
	result := &importResult{Applied: false, Created: 1, Updated: 2, Unchanged: 3, ReportURL: "/imports/1/problems.xlsx",
		Rejected: []rejectedRow{{Line: 3, CreditCode: e.CreditCode, Name: e.Name, Problems: map[string]string{"phone": "手机号码有误"}}}}
	entry := audit.Entry{ID: 1, At: time.Now(), ActorName: "admin", Role: "admin", Action: "login", Target: "user/admin",
		Result: "ok", ClientAddr: "127.0.0.1", Detail: "{}"}
	dept := department.Department{ID: 1, Code: "tax", Name: "税务局", NameEn: "Tax Bureau", RegionCode: "330206", Phone: "0574-1"}
	now := time.Now()
	pages := map[string][]core.Page{
		"login": {&loginPageData{}, &loginPageData{Username: "grid", Next: "/enterprises", Message: "用户名或密码错误",
			Demo: []DemoAccount{{Username: "admin", Role: access.RoleAdmin}}}},
		"error": {&core.ErrorPage{}, &core.ErrorPage{Status: 404, Message: "记录不存在或无权访问"}},
		"home": {&homePageData{}, &homePageData{MissingYear: 2027, ScopeName: "大港社区", Enterprises: 162, Unconfirmed: 2, Grids: 5, Outside: 1,
			NoWorker: 1, Departments: 23, Users: 80, Mine: []enterprise.Enterprise{e}, ShowFigures: true, CanImport: true,
			CanCreate: true, CanUsers: true, CanAudit: true, OutsideGrids: []store.GridLoad{{Region: grid, Enterprises: 58}},
			Todo: todoData{Total: 9, Kinds: []todoKind{{Kind: "appeal.triage", Name: "待受理/分派", Count: 9}},
				Items: []todoItem{{Item: todo.Item{Kind: "appeal.triage", Ref: "NB20260101-0001", Title: "招工难", Href: "/appeals/9", Due: now, Colour: "yellow"}, KindName: "待受理/分派"}}}}},
		"enterprises": {&enterprisesPageData{}, &enterprisesPageData{Query: store.EnterpriseQuery{Region: showGrid, Industry: "C",
			Size: enterprise.SizeSmall, KeyLevel: "any", ForeignTrade: "yes", Tag: "外贸", Text: "宁波", Unconfirmed: true},
			Items: []enterprise.Enterprise{e}, Pager: pg, Sections: enterprise.AllSections(), Regions: core.RegionFilter{Choices: choices, Bounded: true},
			Tags: commonTags, ExportURL: "/enterprises/export.xlsx?", CanCreate: true, CanImport: true, CanExport: true,
			GridNames: map[string]string{showGrid: grid.Name}, Industries: map[string]string{e.Industry: "制造"}}},
		"enterprise": {&enterprisePageData{}, &enterprisePageData{E: e, Industry: enterprise.AllDivisions()[0], Revealed: true,
			CanEdit: true, CanReveal: true, CanRaise: true, GridName: grid.Name, PlaceNames: []string{"新碶街道", "大港社区", grid.Name},
			Scanned: true, Base: core.Base{Errors: map[string]string{"period": "日期不能晚于今天"}}, File: dossierData{
				Current: []factView{{Kind: "营业收入", Period: "2025", Value: "1250 万元", Source: "部门数据", Age: "3 天前", Authoritative: true, By: "税务局"}},
				History: []factView{{Kind: "营业收入", Period: "2025", Value: "1200 万元", Source: "企业自报", Age: "5 个月前", By: "王经理", Ref: "来自企业登记信息", Note: "年报"}},
				Kinds:   kindViews("zh"), CanRecord: true, RecordAs: "工作人员核实",
				People: []dossierdb.Person{{Name: "张网格", Phone: "138****1111", Role: access.RoleGridWorker, As: "grid_worker"}},
				Timeline: []entryView{{At: now, What: "tl.appeal", Status: "state.closed", Ref: "NB20260101-0001", Title: "招工难", Href: "/appeals/9", Module: "appeal"},
					{At: now, What: "tl.registered", Title: e.Name}}}}},
		"todo": {&todoPageData{}, &todoPageData{Module: "appeal", Pager: pg, todoData: todoData{Total: 2,
			Items: []todoItem{{Item: todo.Item{Kind: "appeal.sign", Ref: "NB20260101-0001", Title: "招工难", Enterprise: e.Name, Href: "/appeals/9",
				Due: now, Colour: "red"}, KindName: "待签收"}},
			Modules: []todoModule{{Module: "appeal", Name: "诉求", Count: 2, Active: true}},
			Kinds:   []todoKind{{Kind: "appeal.sign", Name: "待签收", Count: 1}, {Kind: "appeal.handle", Name: "待办理", Count: 1}}}}},
		"enterprise_form": {&enterpriseFormData{}, &enterpriseFormData{E: e, Revenue: "125.5", Action: "/enterprises/7",
			Divisions: enterprise.AllDivisions(), Grids: []place.Region{grid}, Base: core.Base{Errors: errs}},
			&enterpriseFormData{New: true, Action: "/enterprises"}, &enterpriseFormData{New: true, GridTyped: true, Action: "/enterprises"}},
		"import": {&importPageData{}, &importPageData{Result: result, Strict: true, Base: core.Base{Errors: errs}},
			&importPageData{Result: &importResult{Applied: true, Created: 2, Rejected: []rejectedRow{}}}},
		"cadres": {&cadresPageData{}, &cadresPageData{Items: []store.Cadre{{UserID: 3, Name: "王干部", Phone: "138****1234", HomeUnit: "区经信局",
			Enterprises: 12, KeyEnterprises: 3}, {Name: "李", Disabled: true}}, Coverage: store.Coverage{Cadres: 2, KeyEnterprises: 40, KeyCovered: 38},
			Successors: []store.Cadre{{UserID: 4, Name: "赵", HomeUnit: "区商务局"}}, Failed: 3, Base: core.Base{Errors: map[string]string{"reason": "请写明原因"}},
			Projects: []enterprise.Project{{ID: 1, Name: "技改项目", Enterprise: e.Name, Stage: enterprise.StageBuilding, Investment: 50_000_000, Cadre: "王"},
				{ID: 2, Name: "扩建", Stage: enterprise.StagePlanned}}, Stages: enterprise.Stages}},
		"facts_import": {&factsImportData{Kinds: kindViews("zh")}, &factsImportData{Result: &factsImportResult{ReportURL: "/imports/3/problems.xlsx",
			Rejected: []rejectedFact{{Line: 3, CreditCode: e.CreditCode, Problems: "数值：数值无效"}}}, Base: core.Base{Errors: errs}},
			&factsImportData{Result: &factsImportResult{Applied: true, Recorded: 120, Rejected: []rejectedFact{}}}},
		"places": {&placesPageData{}, &placesPageData{Region: community.Code, Bounded: true, Nodes: []placeNode{{Region: community, Depth: 3, Closed: true},
			{Region: grid, Depth: 4, Enterprises: 58, WorkerName: "张网格", OutsideNorm: true, Grid: true},
			{Region: grid, Depth: 4, Grid: true}}, Outside: 1, NoWorker: 1, CanManage: true,
			Workers: []workerOption{{ID: 5, Name: "张网格（grid）"}}, OnlyOut: true}},
		"departments": {&departmentsPageData{}, &departmentsPageData{Items: []department.Department{dept}, Staff: map[int64]int{1: 3},
			Offices: map[int64][]department.Office{dept.ID: {{ID: 2, DepartmentID: dept.ID, Code: "dq", Name: "大碶税务分局"}}}, CanManage: true,
			Failed: dept.ID, Base: core.Base{Errors: map[string]string{"code": "代码有误"}}}},
		"users": {&usersPageData{}, &usersPageData{Query: store.UserQuery{Role: access.RoleGridWorker, Text: "张", Disabled: "no"},
			Items: []account.User{u, locked, disabled}, Pager: pg, Roles: access.Roles, CanManage: true, Now: time.Now(),
			Regions: map[string]string{showGrid: "大港社区第1网格"}}},
		"user": {&userFormData{}, &userFormData{U: u, Action: "/users/5", Roles: access.Roles,
			Departments: []department.Department{dept}, CanManage: true, Now: time.Now(), Base: core.Base{Errors: errs}},
			&userFormData{U: disabled, Action: "/users/5", CanManage: true},
			&userFormData{U: account.User{ID: 9, Username: "hotline", Name: "12345 热线", Role: access.RoleService, RegionCode: showCommunity, Version: 1},
				Action: "/users/9", CanManage: true, Secret: "qt_secret", Tokens: []store.Token{{ID: 1, Name: "对接", CreatedAt: time.Now()},
					{ID: 2, Name: "旧", CreatedAt: time.Now(), Revoked: true}}}, &userFormData{U: locked, Now: time.Now()},
			&userFormData{New: true, Action: "/users", Roles: access.Roles, CanManage: true}},
		"audit": {&auditPageData{}, &auditPageData{Query: store.AuditQuery{ActorName: "admin", Action: "login"},
			Items: []audit.Entry{entry}, Pager: pg, Verify: "哈希链完整", From: "2026-03-01", To: "2026-03-02", Broken: true,
			Export: "/audit/export.csv?", Checked: true}},
		"account": {&accountPageData{}, &accountPageData{User: u, Tokens: []store.Token{{ID: 1, Name: "ci", CreatedAt: time.Now()},
			{ID: 2, Name: "old", CreatedAt: time.Now(), Revoked: true}}, Secret: "qt_secret", Done: "ok", Base: core.Base{Errors: errs}}},
		"inbox": {&inboxPageData{}, &inboxPageData{Groups: groupNotices([]store.Notice{{ID: 3, At: now, AppealID: 9, Kind: "urge", Title: "催办"},
			{ID: 1, At: now, AppealID: 9, Kind: "dispatch", Title: "新派单"}, {ID: 2, At: now, Kind: "unknown", Title: "旧消息", Read: true}}),
			Unread: 2, Pager: pg}},
		"login_code": {&codePageData{}, &codePageData{Next: "/users", Base: core.Base{Errors: map[string]string{"code": "验证码不正确"}}}},
		"second_factor": {&enrolPageData{}, &enrolPageData{Secret: "JBSWY3DPEHPK3PXP", QR: "data:image/png;base64,AAAA", Required: true,
			Base: core.Base{Errors: map[string]string{"code": "验证码不正确"}}}},
		"calendar": {&calendarPageData{}, &calendarPageData{MissingYear: 2027, Official: calendar.Official()[:3],
			Days: []calendar.Day{{Date: "2027-01-01", Kind: calendar.Holiday, Name: "元旦"}}, Form: calendar.Day{Date: "x", Kind: calendar.Workday},
			Base: core.Base{Errors: map[string]string{"date": "日期无效", "kind": "类型无效"}}}},
	}
	return pages
}

// TestTemplates renders every page template of the shared pages with its
// page struct in both languages, signed in and not, through the core's
// Render; checks that every UI text key the templates and handlers use is in
// the site's catalog and that every menu label is; and fetches every page
// of the whole site (every module's) of each store in both languages.
func TestTemplates(t *testing.T) {
	s, err := newServer(nil, slog.New(slog.DiscardHandler), Config{})
	if err != nil {
		t.Fatal(err)
	}
	examples := examplePages()
	pages, err := fs.Glob(templates, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range append(pages, "templates/error.html") {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if len(examples[name]) == 0 {
			t.Errorf("template %s has no example page", name)
		}
	}
	admin := access.Actor{UserID: 1, Name: "管理员", Role: access.RoleAdmin}
	for name, list := range examples {
		for i, p := range list {
			for _, lang := range []string{"zh", "en"} {
				for _, signedIn := range []bool{true, false} {
					if !signedIn && name != "login" && name != "error" {
						continue // only these are shown to people not signed in
					}
					r := httptest.NewRequest("GET", "/x?y=1", nil)
					r.AddCookie(&http.Cookie{Name: core.LangCookie, Value: lang})
					if signedIn {
						r = core.WithActor(r, admin)
					}
					w := httptest.NewRecorder()
					s.Render(w, r, http.StatusOK, name, p)
					wantLang := map[string]string{"zh": `<html lang="zh-CN">`, "en": `<html lang="en">`}[lang]
					if body := w.Body.String(); w.Code != http.StatusOK || !strings.Contains(body, wantLang) || !strings.Contains(body, "</html>") {
						t.Errorf("%s example %d (%s, signed in %v): %d, not a whole page in its language", name, i, lang, signedIn, w.Code)
					}
				}
			}
		}
	}

	// Every key used is in the catalog; every menu label is a key.
	text, err := catalog()
	if err != nil {
		t.Fatal(err)
	}
	used, err := core.UsedKeys(templates, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use: the scan is broken", len(used))
	}
	for key, where := range used {
		if _, ok := text[key]; !ok {
			t.Errorf("key %q used in %s is not in the catalog", key, where)
		}
	}
	for _, role := range access.Roles {
		for _, it := range nav {
			if key := it.Label(role); key != "" && text[key][0] == "" {
				t.Errorf("menu of %s: label %q is not in the catalog", role, key)
			}
		}
	}
	// The official holidays have their names in English.
	for _, d := range calendar.Official() {
		if _, ok := text["holiday."+d.Name]; !ok {
			t.Errorf("the catalog has no English name of the holiday %q", d.Name)
		}
	}
	// The calendar page names its kinds of day by the catalog's "day.kind".
	for _, k := range []calendar.Kind{calendar.Holiday, calendar.Workday} {
		if _, ok := text["day."+string(k)]; !ok {
			t.Errorf("the catalog has no words for the day kind %q", k)
		}
	}
	// Error messages in both languages.
	for _, err := range []error{core.ErrVersionRequired, core.ErrNoFile, fault.ErrNotFound, access.ErrForbidden} {
		fe := fault.As(err)
		if fe.Message.Zh == "" || fe.Message.En == "" {
			t.Errorf("error %q lacks a language", fe.Code)
		}
	}

	eachStore(t, func(t *testing.T, s *site) {
		id := s.entID(t, dataset.Enterprises[0].CreditCode)
		appealID := s.raise(t, "页面检查").ID
		formID, campaignID := s.sendSurvey(t)
		showEntID := s.entID(t, demoAccount("enterprise").EnterpriseCode)
		vis, topicID := s.topicVisit(t, "grid", showEntID) // a visit with a common problem
		dayID := s.serviceDay(t).ID
		s.dayProblem(t, dayID)
		pf := s.poolFixture(t)        // a loan of the turnover pool on site, with a sealed scan and a sheet
		ppf := s.policyFixture(t)     // a published policy with its benefits, claims, notice, resource and request
		rsf := s.resumptionFixture(t) // a monitoring and a checklist campaign with reports, a flag, a block, an application and findings
		// Pages shown with their query, besides every page of the table: the
		// pages a query gives other branches.
		extra := []string{"/visits/new", "/visits/new?q=" + url.QueryEscape(string([]rune(byCode[demoAccount("enterprise").EnterpriseCode].Name)[:2])),
			"/topics?state=open", "/topics?state=answered", "/visits/coverage?list=too_often&by=unit",
			"/visits/coverage?list=key_no_cadre&by=recorder", "/visits/coverage?list=no_grid_worker&region=" + showStreet}
		// fetch gets a page as who in both languages, with the cookies
		// given besides.
		fetch := func(path, who string, cookies ...string) {
			t.Helper()
			for _, lang := range []string{"zh", "en"} {
				cookie := core.LangCookie + "=" + lang + "; " + core.SessionCookie + "=" + s.login(t, who).Value
				for _, c := range cookies {
					cookie += "; " + c
				}
				res := s.call(t, "GET", path, nil, nil, "Cookie", cookie)
				want := map[string]string{"zh": `<html lang="zh-CN">`, "en": `<html lang="en">`}[lang]
				if res.code != http.StatusOK || !bytes.Contains(res.body, []byte(want)) {
					t.Errorf("GET %s as %s in %s: %d, page in its language %v", path, who, lang, res.code, bytes.Contains(res.body, []byte(want)))
				}
			}
		}
		for _, rt := range (&Server{}).routes() {
			if rt.Method != "GET" || strings.HasPrefix(rt.Path, "/api/") || strings.Contains(rt.Path, ".") || strings.HasPrefix(rt.Path, "/attachments/") ||
				strings.HasPrefix(rt.Path, "/healthz") || strings.HasPrefix(rt.Path, "/readyz") || strings.HasPrefix(rt.Path, "/metrics") ||
				rt.Path == "/login/code" { // shown only to a session that owes a code (TestSecondFactor)
				continue
			}
			path := strings.NewReplacer("{id}", fmt.Sprint(id), "{credit}", dataset.Enterprises[0].CreditCode, "{$}", "", "{standard}", "S03", "{provider}", "union").Replace(rt.Path)
			if strings.HasPrefix(rt.Path, "/users/{id}") {
				path = fmt.Sprintf("/users/%d", s.userID(t, "grid"))
			}
			if strings.HasPrefix(rt.Path, "/appeals/{id}") {
				path = fmt.Sprintf("/appeals/%d", appealID)
			}
			if strings.HasPrefix(rt.Path, "/forms/{id}") {
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(formID), 1)
			}
			if strings.HasPrefix(rt.Path, "/campaigns/{id}") {
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(campaignID), 1)
			}
			if strings.HasPrefix(rt.Path, "/visits/{id}") {
				if strings.Contains(rt.Path, "{photo}") {
					continue // an image, not a page
				}
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(vis.ID), 1)
			}
			if strings.HasPrefix(rt.Path, "/topics/{id}") {
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(topicID), 1)
			}
			if strings.HasPrefix(rt.Path, "/service-days/{id}") {
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(dayID), 1)
			}
			if rt.Path == "/visits/new" || rt.Path == "/topics/new" {
				path = fmt.Sprintf("%s?enterprise=%d", rt.Path, showEntID)
			}
			if strings.HasPrefix(rt.Path, "/surveys") {
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(campaignID), 1) + fmt.Sprintf("?enterprise=%d", showEntID)
				if strings.Contains(rt.Path, "{file}") {
					continue // a download, not a page
				}
			}
			var cookies []string
			if p, ok := poolPath(pf, rt.Path); ok {
				if strings.Contains(rt.Path, "{party}") {
					continue // a sealed scan, not a page
				}
				path = p
				if rt.Path == "/w/me" {
					cookies = []string{poolweb.WorkerCookie + "=" + pf.token()} // the worker's browser
				}
			}
			if p, ok := policyPath(ppf, rt.Path); ok {
				path = p
			}
			if p, ok := resumptionPath(rsf, rt.Path); ok {
				path = p
			}
			who := "admin"
			if rt.Action == access.AuditRead {
				who = "auditor"
			}
			fetch(path, who, cookies...)
		}
		for _, path := range extra {
			fetch(path, "admin")
		}
		// The pool's pages as the parties and the staff see them: the
		// lender's and the borrower's forms, the staff's desk.
		for _, who := range []string{"enterprise", "community", "grid", "street_leader"} {
			for _, path := range []string{"/pool", "/pool/workers", fmt.Sprintf("/pool/loans/%d", pf.Loan.ID), "/pool/loans?state=live"} {
				fetch(path, who)
			}
		}
		for _, path := range []string{fmt.Sprintf("/pool/needs/%d", pf.Need.ID), "/pool/match", "/pool/seekers", "/pool/figures"} {
			fetch(path, "community")
		}
		// Precise push's pages as the showcase enterprise, its grid worker and
		// the keeping department see them: the enterprise's own verdict, the
		// department's dry run and review, the steps each may take.
		for _, who := range []string{"enterprise", "grid", policyEditor} {
			for _, path := range []string{"/policy", "/policy/checkup", fmt.Sprintf("/policy/benefits/%d", ppf.Apply.ID),
				fmt.Sprintf("/policy/benefits/%d", ppf.Auto.ID), fmt.Sprintf("/policy/claims/%d", ppf.Claim.ID),
				fmt.Sprintf("/policy/claims/%d", ppf.AutoClaim.ID), fmt.Sprintf("/policy/requests/%d", ppf.Request.ID)} {
				fetch(path, who)
			}
		}
		// The module of checklists and status reports as the showcase
		// enterprise, its grid worker, its street, the command and the
		// inspecting department see it: the enterprise's phone, the checklist
		// campaign's restart desk, the order to rectify.
		for _, who := range []string{"enterprise", "grid", "street_leader", "district_leader", resumptionInspector} {
			for _, path := range []string{"/resumption", fmt.Sprintf("/resumption/campaigns/%d/report?enterprise=%d", rsf.Monitoring.ID, rsf.Enterprise),
				fmt.Sprintf("/resumption/campaigns/%d/restart?enterprise=%d", rsf.Checklist.ID, rsf.Enterprise),
				fmt.Sprintf("/resumption/restarts/%d", rsf.Restart.ID), fmt.Sprintf("/resumption/findings/%d", rsf.Improvement.ID),
				fmt.Sprintf("/resumption/findings/%d", rsf.Rectify.ID), fmt.Sprintf("/resumption/enterprises/%d", rsf.Enterprise),
				fmt.Sprintf("/resumption/flags/%d", rsf.Flag.ID), fmt.Sprintf("/resumption/blocks/%d", rsf.Block.ID)} {
				fetch(path, who)
			}
		}
		for _, path := range []string{fmt.Sprintf("/resumption/campaigns/%d", rsf.Checklist.ID), "/resumption/new?kind=monitoring",
			fmt.Sprintf("/resumption/campaigns/%d?by=industry", rsf.Monitoring.ID), fmt.Sprintf("/resumption/campaigns/%d/members?missing=1", rsf.Monitoring.ID),
			"/resumption/findings?late=1", "/resumption/restarts?state=applied"} {
			fetch(path, "street_leader")
		}
		// An error page is titled as one.
		res := s.as(t, "admin", "GET", "/enterprises/999999999", nil)
		if res.code != http.StatusNotFound || !bytes.Contains(res.body, []byte("<title>"+translate("zh", "err.title")+" · ")) {
			t.Errorf("GET a missing enterprise: %d, want a 404 page titled %q", res.code, translate("zh", "err.title"))
		}
	})
}
