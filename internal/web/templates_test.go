package web

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/audit"
	"qifu/internal/department"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
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
	return map[string][]page{
		"login": {&loginPageData{}, &loginPageData{Username: "grid", Next: "/enterprises", Message: "用户名或密码错误",
			Demo: []DemoAccount{{Username: "admin", Role: access.RoleAdmin}}}},
		"error": {&errorPage{}, &errorPage{Status: 404, Message: "记录不存在或无权访问"}},
		"home": {&homePageData{}, &homePageData{ScopeName: "大港社区", Enterprises: 162, Unconfirmed: 2, Grids: 5, Outside: 1,
			NoWorker: 1, Departments: 23, Users: 80, Mine: []enterprise.Enterprise{e}, ShowFigures: true, CanImport: true,
			CanCreate: true, CanUsers: true, CanAudit: true, OutsideGrids: []store.GridLoad{{Region: grid, Enterprises: 58}}}},
		"enterprises": {&enterprisesPageData{}, &enterprisesPageData{Query: store.EnterpriseQuery{Region: showGrid, Industry: "C",
			Size: enterprise.SizeSmall, KeyLevel: "any", ForeignTrade: "yes", Tag: "外贸", Text: "宁波", Unconfirmed: true},
			Items: []enterprise.Enterprise{e}, Pager: pg, Sections: enterprise.AllSections(), Regions: []place.Region{community, grid},
			Tags: commonTags, ExportURL: "/enterprises/export.xlsx?", CanCreate: true, CanImport: true, CanExport: true,
			GridNames: map[string]string{showGrid: grid.Name}, Industries: map[string]string{e.Industry: "制造"}}},
		"enterprise": {&enterprisePageData{}, &enterprisePageData{E: e, Industry: enterprise.AllDivisions()[0], Revealed: true,
			CanEdit: true, CanReveal: true, GridName: grid.Name, PlaceNames: []string{"新碶街道", "大港社区", grid.Name}}},
		"enterprise_form": {&enterpriseFormData{}, &enterpriseFormData{E: e, Revenue: "125.5", Action: "/enterprises/7",
			Divisions: enterprise.AllDivisions(), Grids: []place.Region{grid}, base: base{Errors: errs}},
			&enterpriseFormData{New: true, Action: "/enterprises"}},
		"import": {&importPageData{}, &importPageData{Result: result, Strict: true, base: base{Errors: errs}},
			&importPageData{Result: &importResult{Applied: true, Created: 2, Rejected: []rejectedRow{}}}},
		"places": {&placesPageData{}, &placesPageData{Nodes: []placeNode{{Region: community, Depth: 3},
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
		for _, rt := range (&Server{}).routes() {
			if rt.method != "GET" || strings.HasPrefix(rt.path, "/api/") || strings.Contains(rt.path, ".") ||
				strings.HasPrefix(rt.path, "/healthz") || strings.HasPrefix(rt.path, "/readyz") || strings.HasPrefix(rt.path, "/metrics") {
				continue
			}
			path := strings.NewReplacer("{id}", fmt.Sprint(id), "{$}", "").Replace(rt.path)
			if strings.HasPrefix(rt.path, "/users/{id}") {
				path = fmt.Sprintf("/users/%d", s.userID(t, "grid"))
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
