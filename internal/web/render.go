package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/enterprise"
)

// base is what every page shares; each page's struct embeds it.
type base struct {
	Lang   string
	Title  string
	Path   string
	Actor  *access.Actor
	Flash  string
	Nav    []navItem
	Errors map[string]string // form messages by field
}

type navItem struct {
	Href, Label string
	Active      bool
	Badge       int // unread notifications, on the inbox
}

func (b *base) common() *base { return b }

// T returns the UI text of key in the page's language.
func (b *base) T(key string) string { return translate(b.Lang, key) }

// Tf formats the UI text of key with args.
func (b *base) Tf(key string, args ...any) string {
	return fmt.Sprintf(translate(b.Lang, key), args...)
}

// Pick returns zh or en, whichever is the page's language.
func (b *base) Pick(zh, en string) string {
	if b.Lang == "en" && en != "" {
		return en
	}
	return zh
}

// RoleName returns the name of the actor's role in the page's language.
func (b *base) RoleName(r access.Role) string { return b.Pick(account.RoleZh(r), account.RoleEn(r)) }

// Word names a value of the appeal workflow's vocabulary — a state, an
// action, a type — in the page's language: the catalog's "kind.value", or
// the value itself when the catalog lacks it.
func (b *base) Word(kind string, v any) string { return word(b.Lang, kind, fmt.Sprint(v)) }

// word is the catalog's text of "kind.value" in lang, or the value.
func word(lang, kind, value string) string {
	key := kind + "." + value
	if _, ok := text[key]; !ok {
		return value
	}
	return translate(lang, key)
}

// Light is a traffic light (green, yellow, red) with its name, for the
// "light" template: the colour is also said in words.
func (b *base) Light(c any) light {
	s := fmt.Sprint(c)
	if s == "" {
		return light{}
	}
	return light{Colour: s, Name: b.Word("colour", s)}
}

type light struct{ Colour, Name string }

// Err returns the form message of a field.
func (b *base) Err(field string) string { return b.Errors[field] }

// page is a page's data: a struct embedding base.
type page interface{ common() *base }

// errorPage is the page of an error.
type errorPage struct {
	base
	Status  int
	Message string
}

var funcs = template.FuncMap{
	// wan formats yuan as 万元 with two decimals.
	"wan": func(yuan int64) string {
		return strconv.FormatFloat(float64(yuan)/10000, 'f', 2, 64)
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(shanghai).Format("2006-01-02 15:04")
	},
	"join": strings.Join,
	// kb formats a size in bytes as KB or MB.
	"kb": func(n int64) string {
		if n >= 1<<20 {
			return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
		}
		return strconv.FormatInt((n+1023)/1024, 10) + " KB"
	},
	// pct formats a rate in [0, 1] as a percentage with one decimal.
	"pct":  func(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" },
	"list": func(s ...string) []string { return s },
	"sizeName": func(lang, s string) string {
		if lang == "en" {
			return enterprise.SizeClass(s).En()
		}
		return enterprise.SizeClass(s).Zh()
	},
	"fieldOf": func(p page, name, labelKey, value string) field {
		b := p.common()
		return field{Name: name, Label: b.T(labelKey), Value: value, Err: b.Err(name)}
	},
}

// field is one labelled input of a form, for the "field" template.
type field struct {
	Name, Label, Value, Err string
}

// shanghai is China Standard Time: UTC+8 all year, no daylight saving.
var shanghai = time.FixedZone("CST", 8*3600)

// parsePages parses each page template together with the layout.
func parsePages() (map[string]*template.Template, error) {
	layout, err := fs.ReadFile(assets, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("read layout: %w", err)
	}
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		body, err := fs.ReadFile(assets, n)
		if err != nil {
			return nil, err
		}
		t, err := template.New("layout").Funcs(funcs).Parse(string(layout))
		if err != nil {
			return nil, fmt.Errorf("parse layout: %w", err)
		}
		if _, err := t.New(name).Parse(string(body)); err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// render writes a page with the shared fields filled in. It renders into a
// buffer first, so a template error never leaves half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, p page) {
	b := p.common()
	b.Lang = langOf(r)
	b.Path = r.URL.RequestURI()
	if a, ok := actorOf(r); ok {
		b.Actor = &a
		b.Nav = navFor(a, r.URL.Path, b.Lang)
		for i := range b.Nav {
			if b.Nav[i].Href == "/inbox" {
				b.Nav[i].Badge = unreadOf(r)
			}
		}
	}
	if b.Title == "" {
		b.Title = b.T("app.name")
	}
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such page", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// navFor returns the menu of an actor: only what the role may use.
func navFor(a access.Actor, path, lang string) []navItem {
	appealsNav := "nav.appeals"
	if a.Role == access.RoleEnterprise {
		appealsNav = "nav.myappeals"
	}
	items := []struct {
		href, key string
		show      bool
	}{
		{"/", "nav.home", true},
		{"/appeals", appealsNav, access.May(a.Role, access.AppealRead)},
		{"/overview", "nav.overview", access.May(a.Role, access.AppealAssess)},
		{"/inbox", "nav.inbox", true},
		{"/enterprises", "nav.enterprises", access.May(a.Role, access.EnterpriseRead)},
		{"/places", "nav.places", access.May(a.Role, access.RegionRead)},
		{"/departments", "nav.departments", access.May(a.Role, access.DepartmentRead)},
		{"/users", "nav.users", access.May(a.Role, access.UserRead)},
		{"/audit", "nav.audit", access.May(a.Role, access.AuditRead)},
		{"/calendar", "nav.calendar", access.May(a.Role, access.AppealConfigure)},
		{"/settings", "nav.settings", access.May(a.Role, access.AppealConfigure)},
		{"/account", "nav.account", true},
	}
	var nav []navItem
	for _, it := range items {
		if !it.show {
			continue
		}
		active := path == it.href || (it.href != "/" && strings.HasPrefix(path, it.href))
		nav = append(nav, navItem{Href: it.href, Label: translate(lang, it.key), Active: active})
	}
	return nav
}
