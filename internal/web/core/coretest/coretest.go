// Package coretest is the harness of the page tests of the modules built on
// the web core: a core that renders a module's templates with its catalog,
// a page rendered as a signed-in actor, and the check every module's
// TestTemplates makes of its example pages and of the words they use.
// Only tests import it.
package coretest

import (
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"qifu/internal/access"
	"qifu/internal/web/core"
)

// Langs are the languages every example page is rendered in.
var Langs = []string{"zh", "en"}

// Roles are the roles the example pages are rendered as unless told: the
// staff's view and the enterprise's.
var Roles = []access.Role{access.RoleCommunityStaff, access.RoleEnterprise}

// htmlLang is how the layout names each language.
var htmlLang = map[string]string{"zh": `<html lang="zh-CN">`, "en": `<html lang="en">`}

// New returns a core that renders the pages of templates with the catalog
// text (the core's and the module's, merged, with any words borrowed).
func New(t testing.TB, text core.Catalog, templates ...fs.FS) *core.Core {
	t.Helper()
	c, err := core.New(nil, slog.New(slog.DiscardHandler), core.Options{Text: text, Templates: templates})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// serve renders page name with p to a GET of /x?y=1 by user 1, 王五, of
// role, in lang.
func serve(c *core.Core, name string, p core.Page, lang string, role access.Role) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", "/x?y=1", nil)
	r.AddCookie(&http.Cookie{Name: core.LangCookie, Value: lang})
	r = core.WithActor(r, access.Actor{UserID: 1, Name: "王五", Role: role})
	w := httptest.NewRecorder()
	c.Render(w, r, http.StatusOK, name, p)
	return w
}

// Render renders page name with p as an actor of role in lang, through the
// core's Render, and returns the body. A page that does not render (not a
// 200) fails the test.
func Render(t testing.TB, c *core.Core, name string, p core.Page, lang string, role access.Role) string {
	t.Helper()
	w := serve(c, name, p, lang, role)
	if w.Code != http.StatusOK {
		t.Errorf("%s (%s, %s): %d, not rendered", name, lang, role, w.Code)
	}
	return w.Body.String()
}

// PagesOptions are what CheckPages checks: a module's templates, the
// catalog its pages are rendered with, and its example pages.
type PagesOptions struct {
	// Templates hold the module's templates/*.html; *.part.html are
	// partials, not pages.
	Templates fs.FS
	// Text is the catalog: the core's and the module's, merged, with the
	// words the pages borrow from other catalogs.
	Text core.Catalog
	// Examples are the module's pages filled in, by template name: every
	// page has at least one.
	Examples map[string][]core.Page
	// Roles are the roles every example is rendered as; none: Roles.
	Roles []access.Role
	// MinKeys is the least number of keys the scan of the templates and
	// Go files must find, lest a broken scan pass for a clean one; at
	// least 1.
	MinKeys int
	// Dir is the folder of the module's Go files the scan reads; "": the
	// test's own (the package's folder).
	Dir string
}

// CheckPages checks a module's pages: every template of a page has an
// example; every example renders through the core's Render, in every
// language and for every role, to a whole page in its language with no word
// formatted with the wrong arguments ("%!"); and every catalog key the
// templates and the Go files of the package use (core.UsedKeys) is in the
// catalog. It returns the core it rendered with.
func CheckPages(t *testing.T, o PagesOptions) *core.Core {
	t.Helper()
	roles := o.Roles
	if len(roles) == 0 {
		roles = Roles
	}
	dir := o.Dir
	if dir == "" {
		dir = "."
	}
	c := New(t, o.Text, o.Templates)
	pages, err := fs.Glob(o.Templates, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("no templates/*.html: the templates are not the module's")
	}
	for _, n := range pages {
		if strings.HasSuffix(n, ".part.html") {
			continue
		}
		if name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html"); len(o.Examples[name]) == 0 {
			t.Errorf("template %s has no example page", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(o.Examples)) {
		for i, p := range o.Examples[name] {
			for _, lang := range Langs {
				for _, role := range roles {
					w := serve(c, name, p, lang, role)
					body := w.Body.String()
					if w.Code != http.StatusOK || !strings.Contains(body, htmlLang[lang]) || !strings.Contains(body, "</html>") {
						t.Errorf("%s example %d (%s, %s): %d, not a whole page in its language", name, i, lang, role, w.Code)
					}
					if strings.Contains(body, "%!") {
						t.Errorf("%s example %d (%s, %s): a word formatted with the wrong arguments", name, i, lang, role)
					}
				}
			}
		}
	}
	used, err := core.UsedKeys(o.Templates, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < max(o.MinKeys, 1) {
		t.Fatalf("found only %d keys in use: the scan is broken", len(used))
	}
	for _, key := range slices.Sorted(maps.Keys(used)) {
		if _, ok := o.Text[key]; !ok {
			t.Errorf("key %q used in %s is not in the catalog", key, used[key])
		}
	}
	return c
}
