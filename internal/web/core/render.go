package core

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
)

// Base is what every page shares; each page's struct embeds it. Render
// fills it in.
type Base struct {
	Lang   string
	Title  string
	Path   string
	Actor  *access.Actor
	Flash  string
	Nav    []NavItem
	TabBar []NavItem         // the phone's tab bar, for the roles that have one
	Errors map[string]string // form messages by field
	text   Catalog
}

// NavItem is one item of a page's menu.
type NavItem struct {
	Href, Label string
	Active      bool
	Badge       int // unread notifications, on the inbox
}

func (b *Base) common() *Base { return b }

// T returns the UI text of key in the page's language.
func (b *Base) T(key string) string { return b.text.T(b.Lang, key) }

// Tf formats the UI text of key with args.
func (b *Base) Tf(key string, args ...any) string {
	return fmt.Sprintf(b.text.T(b.Lang, key), args...)
}

// Pick returns zh or en, whichever is the page's language.
func (b *Base) Pick(zh, en string) string {
	if b.Lang == "en" && en != "" {
		return en
	}
	return zh
}

// RoleName returns the name of the actor's role in the page's language.
func (b *Base) RoleName(r access.Role) string { return b.Pick(account.RoleZh(r), account.RoleEn(r)) }

// Word names a value of a module's vocabulary — a state, an action, a
// type — in the page's language: the catalog's "kind.value", or the value
// itself when the catalog lacks it.
func (b *Base) Word(kind string, v any) string { return b.text.Word(b.Lang, kind, fmt.Sprint(v)) }

// Light is a traffic light (green, yellow, red) with its name, for the
// "light" template: the colour is also said in words.
func (b *Base) Light(c any) light {
	s := fmt.Sprint(c)
	if s == "" {
		return light{}
	}
	return light{Colour: s, Name: b.Word("colour", s)}
}

type light struct{ Colour, Name string }

// Err returns the form message of a field.
func (b *Base) Err(field string) string { return b.Errors[field] }

// Page is a page's data: a struct embedding Base.
type Page interface{ common() *Base }

// ErrorPage is the page of an error.
type ErrorPage struct {
	Base
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
		return t.In(calendar.Shanghai).Format("2006-01-02 15:04")
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
	"fieldOf": func(p Page, name, labelKey, value string) Field {
		b := p.common()
		return Field{Name: name, Label: b.T(labelKey), Value: value, Err: b.Err(name)}
	},
}

// Field is one labelled input of a form, for the "field" template.
type Field struct {
	Name, Label, Value, Err string
}

// parsePages parses each page template of the modules, and the core's
// error page, together with the layout. Two pages of one name are refused.
func parsePages(modules []fs.FS) (map[string]*template.Template, error) {
	layout, err := fs.ReadFile(assets, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("read layout: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, fsys := range append([]fs.FS{assets}, modules...) {
		names, err := fs.Glob(fsys, "templates/*.html")
		if err != nil {
			return nil, err
		}
		// A module's partials (templates/*.part.html) are parsed into each of
		// its pages, for what several of them show alike.
		var partials []string
		for _, n := range names {
			if strings.HasSuffix(n, ".part.html") {
				body, err := fs.ReadFile(fsys, n)
				if err != nil {
					return nil, err
				}
				partials = append(partials, string(body))
			}
		}
		for _, n := range names {
			if strings.HasSuffix(n, ".part.html") {
				continue
			}
			name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
			if name == "layout" && fsys == fs.FS(assets) {
				continue
			}
			if _, dup := pages[name]; dup || name == "layout" {
				return nil, fmt.Errorf("parse %s: a page of this name is already defined", n)
			}
			body, err := fs.ReadFile(fsys, n)
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
			for i, part := range partials {
				if _, err := t.New(fmt.Sprintf("partial%d", i)).Parse(part); err != nil {
					return nil, fmt.Errorf("parse the partials with %s: %w", n, err)
				}
			}
			pages[name] = t
		}
	}
	return pages, nil
}

// Render writes a page with the shared fields filled in. It renders into a
// buffer first, so a template error never leaves half a page.
func (c *Core) Render(w http.ResponseWriter, r *http.Request, code int, name string, p Page) {
	b := p.common()
	b.text = c.opts.Text
	b.Lang = LangOf(r)
	b.Path = backOf(r)
	if msg, had := c.flash(r, b.Lang); had {
		ClearCookie(w, flashCookie, c.opts.SecureCookies)
		if b.Flash == "" {
			b.Flash = msg
		}
	}
	if a, ok := ActorOf(r); ok {
		b.Actor = &a
		b.Nav = c.navFor(c.opts.Nav, a, r.URL.Path, b.Lang)
		b.TabBar = c.navFor(c.opts.Tabs, a, r.URL.Path, b.Lang)
		for _, items := range [][]NavItem{b.Nav, b.TabBar} {
			for i := range items {
				if items[i].Href == "/inbox" {
					items[i].Badge = UnreadOf(r)
				}
			}
		}
	}
	if b.Title == "" {
		b.Title = b.T("app.name")
	}
	t, ok := c.pages[name]
	if !ok {
		c.log.Error("no such page", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		c.log.Error("render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// Renders reports whether page name renders p in lang, without writing it
// anywhere: a module checks that what it is about to save (a form's
// definition) can be shown.
func (c *Core) Renders(name string, p Page, lang string) error {
	b := p.common()
	b.text, b.Lang = c.opts.Text, lang
	t, ok := c.pages[name]
	if !ok {
		return fmt.Errorf("no such page %s", name)
	}
	return t.ExecuteTemplate(io.Discard, "layout", p)
}

// navFor returns the items of a menu an actor sees: only what the role may use.
func (c *Core) navFor(entries []NavEntry, a access.Actor, path, lang string) []NavItem {
	var nav []NavItem
	for _, it := range entries {
		key := it.Label(a.Role)
		if key == "" {
			continue
		}
		active := path == it.Href || (it.Href != "/" && strings.HasPrefix(path, it.Href))
		nav = append(nav, NavItem{Href: it.Href, Label: c.T(lang, key), Active: active})
	}
	return nav
}
