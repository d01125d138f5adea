package core

import (
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// LangCookie keeps the chosen language; Chinese is the default.
const LangCookie = "qifu_lang"

// LangOf returns "en" or "zh" for a request: the cookie, else the API's
// Accept-Language, else Chinese.
func LangOf(r *http.Request) string {
	if c, err := r.Cookie(LangCookie); err == nil {
		if c.Value == "en" {
			return "en"
		}
		return "zh"
	}
	if IsAPI(r) && strings.HasPrefix(r.Header.Get("Accept-Language"), "en") {
		return "en"
	}
	return "zh"
}

// Catalog is a catalog of UI words: key → {Chinese, English}. The core has
// its own (Text: the layout, menus, errors, pagers); each module has one for
// its pages, and the site merges them into the one its pages are rendered
// with (Merge).
type Catalog map[string][2]string

// T returns the text of key in lang, or the key itself when the catalog
// lacks it (a test checks every key the templates use).
func (c Catalog) T(lang, key string) string {
	t, ok := c[key]
	if !ok {
		return key
	}
	if lang == "en" {
		return t[1]
	}
	return t[0]
}

// Word names a value of a module's vocabulary (a state, an action, a type)
// in lang: the catalog's "kind.value", or the value itself when the catalog
// lacks it.
func (c Catalog) Word(lang, kind, value string) string {
	key := kind + "." + value
	if _, ok := c[key]; !ok {
		return value
	}
	return c.T(lang, key)
}

// Merge returns one catalog of several. Two catalogs must not have the same
// key (it would be a word with two meanings), an entry must have words in
// both languages, and a format's verbs must be as many in both.
func Merge(cats ...Catalog) (Catalog, error) {
	all := Catalog{}
	for _, c := range cats {
		for k, v := range c {
			if _, dup := all[k]; dup {
				return nil, fmt.Errorf("catalog: the key %q is in two catalogs", k)
			}
			if v[0] == "" || v[1] == "" {
				return nil, fmt.Errorf("catalog: the entry %q is empty in a language: %q", k, v)
			}
			if n, m := strings.Count(v[0], "%"), strings.Count(v[1], "%"); n != m {
				return nil, fmt.Errorf("catalog: the entry %q has %d verbs in Chinese and %d in English", k, n, m)
			}
			all[k] = v
		}
	}
	return all, nil
}

// keyPatterns find the catalog keys used in templates and Go files.
var keyPatterns = []*regexp.Regexp{
	regexp.MustCompile(`\.Tf? "([^"]+)"`),                                              // {{.T "key"}}, {{$.Tf "key" …}}
	regexp.MustCompile(`fieldOf \S+ "[^"]*" "([^"]+)"`),                                // {{template "field" (fieldOf . "name" "key" …)}}
	regexp.MustCompile(`\.T\((?:[^()]|\([^()]*\))*?,\s*"([^"]+)"`),                     // s.T(lang, "key")
	regexp.MustCompile(`\.Tf?\("([^"]+)"`),                                             // b.T("key") in Go
	regexp.MustCompile(`\.Area "[^"]*" "[^"]*" "([^"]+)"`),                             // {{template "area" (.Area "action" "field" "key")}}
	regexp.MustCompile(`(?:always|mayShow|enterpriseOnly)\((?:[^,()]+, )?"([^"]+)"\)`), // the menu's table
	regexp.MustCompile(`return "(nav\.[^"]+)"`),                                        // a menu label chosen by role
}

// UsedKeys returns the catalog keys a package uses, each with one place it
// is used: in the templates of fsys (templates/*.html) and the Go files of
// the folder dir, tests left out. A package's test checks them against its
// catalog; keys built at run time (Word) are checked by their own tests.
func UsedKeys(fsys fs.FS, dir string) (map[string]string, error) {
	used := map[string]string{}
	scan := func(name string, src []byte) {
		for _, re := range keyPatterns {
			for _, m := range re.FindAllSubmatch(src, -1) {
				used[string(m[1])] = name
			}
		}
	}
	pages, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		scan(p, src)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		scan(filepath.Base(f), src)
	}
	return used, nil
}

// Text is the core's catalog: the layout, the menu, errors and pagers.
var Text = Catalog{
	"paren":           {"（%s）", " (%s)"},
	"listsep":         {"、", ", "},
	"flash.saved":     {"已保存", "Saved"},
	"flash.created":   {"已创建", "Created"},
	"flash.deleted":   {"已删除", "Deleted"},
	"flash.step":      {"已完成：%s", "Done: %s"},
	"common.filter":   {"筛选", "Filter"},
	"common.reset":    {"重置", "Reset"},
	"colon":           {"：", ": "},
	"common.all":      {"全部", "All"},
	"common.region":   {"区域", "Region"},
	"ent.code":        {"统一社会信用代码", "Credit code"},
	"ent.contact":     {"联系人", "Contact"},
	"ent.phone":       {"联系电话", "Phone"},
	"common.cancel":   {"取消", "Cancel"},
	"common.export":   {"导出 Excel", "Export to Excel"},
	"dept.name":       {"部门", "Department"},
	"common.delete":   {"删除", "Delete"},
	"app.name":        {"企服", "qifu"},
	"app.slogan":      {"企业呼叫 · 社区吹哨 · 部门报到", "Enterprises call · communities whistle · departments report in"},
	"nav.home":        {"首页", "Home"},
	"nav.enterprises": {"企业", "Enterprises"},
	"nav.places":      {"区划与网格", "Regions & grids"},
	"nav.departments": {"部门", "Departments"},
	"nav.users":       {"用户", "Users"},
	"nav.audit":       {"审计日志", "Audit log"},
	"nav.account":     {"我的账号", "My account"},
	"nav.logout":      {"退出", "Sign out"},
	"lang.switch":     {"English", "中文"},
	"region.bounded":  {"区划较多：只列出所选区划的上级和下级，选定后点“筛选”可展开下一级", "Many regions: only those around the chosen one are listed; choose one and filter to list those below it"},
	"nav.appeals":     {"诉求", "Appeals"},
	"nav.myappeals":   {"我的诉求", "My appeals"},
	"nav.overview":    {"总览", "Overview"},
	"nav.inbox":       {"消息", "Inbox"},
	"nav.calendar":    {"工作日历", "Calendar"},
	"nav.settings":    {"诉求设置", "Appeal settings"},
	"colour.green":    {"绿灯 正常", "Green: on time"},
	"colour.yellow":   {"黄灯 即将超期", "Yellow: due soon"},
	"colour.red":      {"红灯 已超期", "Red: overdue"},
	"page.prev":       {"上一页", "Previous"},
	"page.next":       {"下一页", "Next"},
	"page.of":         {"第 %d / %d 页", "Page %d of %d"},
	"err.title":       {"出错了", "Something went wrong"},
	"err.back":        {"返回首页", "Back to the home page"},
	"common.actions":  {"操作", "Actions"},
	"common.none":     {"无", "none"},
}
