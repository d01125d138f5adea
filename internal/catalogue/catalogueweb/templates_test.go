package catalogueweb

import (
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealweb"
	"qifu/internal/catalogue"
	"qifu/internal/catalogue/cataloguedb"
	"qifu/internal/web/core"
	"qifu/internal/web/core/coretest"
)

// examples are the module's pages filled in: every state a page has.
func examples() map[string][]core.Page {
	now := time.Now()
	list := catalogue.DemoStandards()
	providers := catalogue.DemoProviders()
	// A standard of each mode; one in hours, one withdrawn, one official (not demo).
	find := func(code string) catalogue.Standard {
		for _, st := range list {
			if st.Code == code {
				return st
			}
		}
		panic("no demo standard " + code)
	}
	onsite, assisted, online, activity := find("G02"), find("G01"), find("G05"), find("P09")
	assisted.Office, assisted.Providers = "ecology-bl", []string{providers[0].Code, providers[1].Code}
	online.Handle = appeal.Hours(8)
	withdrawn := find("G03")
	withdrawn.Until, withdrawn.Demo, withdrawn.Version = "2026-02-01", false, 3
	// A standard whose department the alliance does not know, named by its code.
	unknown := catalogue.Standard{Code: "S99", Group: "support", Name: "试点服务", Gets: "试点", Department: "pilot-office",
		Handle: appeal.Hours(4), Category: "other", Mode: catalogue.OnSite, From: "2026-01-01", Version: 1}
	groups := []group{
		{Code: "governance", Items: []view{{Standard: assisted, InForce: true}, {Standard: withdrawn}, {Standard: online, InForce: true}}},
		{Code: "support", Items: []view{{Standard: unknown, InForce: true}}},
		{Code: "party", Items: []view{{Standard: activity, InForce: true}}},
	}
	typed := onsite
	typed.Name, typed.Providers, typed.Link, typed.Handle = "", []string{providers[0].Code}, "ftp://x", appeal.Days(0)
	newTyped := catalogue.Standard{Code: "x1", Group: "support", Mode: catalogue.Activity, Handle: appeal.Days(5),
		Materials: []string{"营业执照", "申请表"}, Demo: true}
	blank := catalogue.Standard{Group: "support", Mode: catalogue.OnSite, Handle: appeal.Days(5), From: "2026-03-01"}
	choices := []choice{{Provider: providers[0], Checked: true}, {Provider: providers[1]}}
	versions := []cataloguedb.Version{{Standard: withdrawn, SavedAt: now, SavedBy: "李管理"},
		{Standard: catalogue.Standard{Version: 2, Name: "消防检查", Handle: appeal.Hours(12)}, SavedAt: now, SavedBy: "李管理"}}
	fieldErrors := map[string]string{"code": "编号须为一个大写字母加 2 到 3 位数字", "group": "请选择分组", "name": "名称须为 2 到 40 个字",
		"name_en": "太长", "gets": "请写明企业得到什么", "conditions": "太长", "materials": "材料最多 12 项", "department": "请选择责任部门",
		"office": "没有这个站所", "providers": "没有这个机构", "handle": "承诺时限须为 1 到 60 个工作日", "category": "请选择对应的诉求分类",
		"mode": "请选择服务方式", "link": "网上办理须填写办事入口的 https 链接", "schedule": "请写明频次", "from": "请填写生效日期",
		"until": "废止日期须晚于生效日期"}
	manage := func(p standardData) *standardData {
		p.MayManage, p.Codes, p.Modes, p.Categories, p.Choices = true, catalogue.Groups, catalogue.Modes, appeal.DefaultCategories(), choices
		return &p
	}
	return map[string][]core.Page{
		"catalogue": {
			&catalogueData{},
			// Nothing matches the words a reader typed.
			&catalogueData{Query: Query{Text: "无此服务", Group: "party", Mode: catalogue.Online}, Codes: catalogue.Groups, Modes: catalogue.Modes},
			// A manager sees the demo catalogue with the withdrawn standards.
			&catalogueData{Query: Query{Text: "环评", Withdrawn: true}, Groups: groups, Count: 5, Demo: true, MayManage: true,
				Codes: catalogue.Groups, Modes: catalogue.Modes},
			// A reader sees an official catalogue.
			&catalogueData{Query: Query{Mode: catalogue.OnSite}, Groups: groups[1:2], Count: 1, Codes: catalogue.Groups, Modes: catalogue.Modes},
		},
		"standard": {
			&standardData{},
			// An enterprise on an online matter: the link out.
			&standardData{Standard: view{Standard: online, InForce: true}, Department: departmentNames[online.Department]},
			// An enterprise asks for an on-site service with co-providers.
			&standardData{Standard: view{Standard: assisted, InForce: true}, Department: departmentNames[assisted.Department],
				Providers: providers[:2], MayAsk: true, AskHref: "/appeals/new?standard_code=" + assisted.Code},
			// An activity, its department unknown to the alliance.
			&standardData{Standard: view{Standard: activity, InForce: true}, Department: [2]string{"pilot-office", "pilot-office"}},
			// A reader on a withdrawn standard: no asking.
			&standardData{Standard: view{Standard: withdrawn}, Department: departmentNames[withdrawn.Department]},
			// A manager on a withdrawn standard with its versions.
			manage(standardData{Standard: view{Standard: withdrawn}, Department: departmentNames[withdrawn.Department],
				Versions: versions, Edit: withdrawn}),
			// A manager's change refused, field by field: the form shows what was typed.
			manage(standardData{Standard: view{Standard: onsite, InForce: true}, Department: departmentNames[onsite.Department],
				MayAsk: true, AskHref: "/appeals/new?standard_code=" + onsite.Code, Versions: versions[1:], Edit: typed,
				Base: core.Base{Errors: fieldErrors}}),
			// A new standard, refused: the handler shows what was typed as the standard too.
			manage(standardData{New: true, Standard: view{Standard: newTyped, InForce: true}, MayAsk: true, AskHref: "/appeals/new?standard_code=x1",
				Edit: newTyped, Base: core.Base{Errors: fieldErrors}}),
			// A new standard, blank, as the handler opens it.
			manage(standardData{New: true, Standard: view{Standard: blank, InForce: true}, MayAsk: true, AskHref: "/appeals/new?standard_code=",
				Edit: blank}),
		},
		"catalogue_import": {
			&importData{},
			&importData{Base: core.Base{Errors: map[string]string{"file": "文件不是有效的Excel工作簿（.xlsx）"}}},
			&importData{Result: &importResult{Applied: true, Added: 3, Changed: 2, Rejected: []rejectedRowOut{}}},
			&importData{Result: &importResult{Rejected: []rejectedRowOut{
				{Row: 2, Code: "G01", Problems: map[string]string{"name": "名称须为 2 到 40 个字", "mode": "请选择服务方式"}},
				{Row: 7, Problems: map[string]string{"code": "编号须为一个大写字母加 2 到 3 位数字"}}}}},
		},
		"catalogue_use": {
			&useData{},
			&useData{From: "2026-13", To: "2026-01", Base: core.Base{Errors: map[string]string{"from": "请按 年-月 选择起止月份"}}},
			&useData{From: "2026-01", To: "2026-03", Requests: 7, Unused: list[5:8],
				Rows: []useRow{{Use: catalogue.Use{Code: "G01", Requests: 5, Closed: 4, OnTime: 3}, Name: "环评审批咨询与帮办", NameEn: "Environmental approval guidance", Rate: "75.0%"},
					{Use: catalogue.Use{Code: "S99", Requests: 2}, Name: "试点服务", Rate: "—"}}},
		},
		"providers": {
			&providersData{},
			// A manager on an empty directory, the form refused.
			&providersData{Kinds: catalogue.ProviderKinds, MayManage: true, Edit: catalogue.Provider{Code: "Bad Code", Kind: "nope"},
				Base: core.Base{Errors: map[string]string{"code": "代码须为小写字母或数字开头", "kind": "请选择机构类别", "name": "名称须为 2 到 40 个字",
					"contact": "太长", "phone": "请填写办公电话", "address": "太长"}}},
			// A manager changing a provider.
			&providersData{Items: providers, Kinds: catalogue.ProviderKinds, MayManage: true, Edit: providers[2]},
			// A reader.
			&providersData{Items: append(providers[:1:1], catalogue.Provider{Code: "lawfirm", Kind: catalogue.Professional, Name: "某律师事务所", Version: 1})},
		},
	}
}

// text is the catalog the module's pages are rendered with: the core's and
// the module's, and the words it borrows from the appeals' module (taken
// from its catalog, so that a word it drops is missed here too).
func text(t testing.TB) core.Catalog {
	t.Helper()
	text, err := core.Merge(core.Text, Text)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"set.days", "set.hours"} {
		w, ok := appealweb.Text[key]
		if !ok {
			t.Fatalf("the appeals' catalog no longer has %q, which the catalogue's pages borrow", key)
		}
		text[key] = w
	}
	return text
}

// TestTemplates renders every page of the module with its examples in
// both languages, for staff and for an enterprise, and holds that every
// word used is in the catalog.
func TestTemplates(t *testing.T) {
	coretest.CheckPages(t, coretest.PagesOptions{Templates: Templates, Text: text(t), Examples: examples(), MinKeys: 50})
}

// TestPageBranches holds what the examples are for: the pages show what
// their state says, and only then.
func TestPageBranches(t *testing.T) {
	c := coretest.New(t, text(t), Templates)
	ex := examples()
	for _, tt := range []struct {
		page     string
		i        int
		has, not []string
	}{
		{"catalogue", 0, []string{`id="catalogue-empty"`}, []string{`id="new-standard"`, `id="catalogue-demo"`, `name="withdrawn"`}},
		{"catalogue", 2, []string{`id="catalogue-demo"`, `id="new-standard"`, `name="withdrawn" value="1" checked`, "Withdrawn or not yet in force",
			"4 working hours", "5 working days", `id="std-S99"`, "5 standards"}, []string{`id="catalogue-empty"`}},
		{"catalogue", 3, []string{`id="std-S99"`, `<option value="onsite" selected>`}, []string{`id="catalogue-demo"`, `id="new-standard"`, `name="withdrawn"`}},
		{"standard", 1, []string{`id="std-link"`}, []string{`id="std-ask"`, `id="std-edit"`, "Promised time"}},
		{"standard", 2, []string{`id="std-ask"`, "ecology-bl", `href="/appeals/new?standard_code=G01"`}, []string{`id="std-link"`, `id="std-withdrawn"`}},
		{"standard", 3, []string{"pilot-office", "How often", "每季度一次"}, []string{`id="std-ask"`, `id="std-link"`}},
		{"standard", 4, []string{`id="std-withdrawn"`, "2026-02-01"}, []string{`id="std-ask"`, `id="std-edit"`, `id="std-withdraw"`}},
		{"standard", 5, []string{`id="std-versions"`, `id="std-edit"`, "12 working hours", "李管理"}, []string{`id="std-withdraw"`, `name="code"`}},
		{"standard", 6, []string{`id="std-withdraw"`, `id="std-ask"`, `action="/catalogue/G02"`, `aria-invalid="true"`, "请选择服务方式", `value="ftp://x"`,
			`name="providers" value="` + catalogue.DemoProviders()[0].Code + `" checked`}, []string{`name="code"`}},
		{"standard", 7, []string{`action="/catalogue/new"`, `name="code"`, "编号须为一个大写字母", `name="demo" value="1"`, "营业执照\n申请表\n"},
			[]string{`id="std-withdraw"`, `id="std-versions"`, `id="standard"`, `id="std-ask"`}},
		{"standard", 8, []string{`action="/catalogue/new"`, "<h1>New standard</h1>", `<option value="support" selected>`},
			[]string{`id="standard"`, `id="std-ask"`, `id="std-withdraw"`, `aria-invalid`}},
		{"catalogue_import", 1, []string{"文件不是有效的Excel工作簿"}, []string{`id="catalogue-result"`}},
		{"catalogue_import", 2, []string{"Imported: 3 added, 2 changed."}, []string{"Nothing was imported"}},
		{"catalogue_import", 3, []string{"Nothing was imported", "名称须为 2 到 40 个字", ">7<"}, []string{"Imported:"}},
		{"catalogue_use", 0, []string{"No appeal was raised under a standard"}, []string{`id="catalogue-unused"`}},
		{"catalogue_use", 1, []string{`aria-invalid="true"`, "请按 年-月 选择起止月份"}, nil},
		{"catalogue_use", 2, []string{`id="catalogue-use"`, "75.0%", `id="catalogue-unused"`, "Standards nobody asked for in the period (3)", "7 appeals"}, nil},
		{"providers", 0, []string{`id="providers-empty"`}, []string{`id="provider-form"`}},
		{"providers", 1, []string{`id="provider-form"`, "Add a provider", "请填写办公电话"}, []string{`readonly`}},
		{"providers", 2, []string{`id="providers"`, `readonly`, "?edit="}, nil},
		{"providers", 3, []string{`id="pv-lawfirm"`, "Professional body"}, []string{`id="provider-form"`, "?edit="}},
	} {
		body := coretest.Render(t, c, tt.page, ex[tt.page][tt.i], "en", access.RoleCommunityStaff)
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
}

// TestWords holds that every value of the catalogue's vocabulary the pages
// name has its words: they look them up by kind and value (Word), which the
// key scan cannot see.
func TestWords(t *testing.T) {
	text := text(t)
	words := map[string][]string{"group": catalogue.Groups, "mode": core.Strings(catalogue.Modes), "pkind": core.Strings(catalogue.ProviderKinds)}
	for kind, values := range words {
		for _, v := range values {
			if _, ok := text[kind+"."+v]; !ok {
				t.Errorf("the catalog has no words for %s %q", kind, v)
			}
		}
	}
}
