// Package catalogueweb is the HTTP of the catalogue of service standards:
// the catalogue browsed and searched on a phone (by group, by mode, by
// words), a standard's page with what the enterprise gets and how to ask
// for it — the appeal form with the standard's department and promise
// inherited, or the link out to the official online service —, the
// directory of providers, the keeping of the catalogue (a new version per
// change, withdrawal, the Excel export and an all-or-nothing import) and its
// use: requests per standard, their on-time rate, the standards nobody
// asked for. Its API under /api/v1 does the same.
package catalogueweb

import (
	"embed"
	"slices"
	"strings"

	"qifu/internal/appeal/appealdb"
	"qifu/internal/calendar"
	"qifu/internal/catalogue"
	"qifu/internal/catalogue/cataloguedb"
	"qifu/internal/department"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// Templates are the module's pages, templates/*.html.
//
//go:embed templates
var Templates embed.FS

// Handlers serves the module's routes.
type Handlers struct {
	*core.Core
	store     *store.Store
	catalogue *cataloguedb.Store
	appeals   *appealdb.Store
}

// New returns the module's handlers on the site's core.
func New(c *core.Core, st *store.Store, cat *cataloguedb.Store, appeals *appealdb.Store) *Handlers {
	return &Handlers{Core: c, store: st, catalogue: cat, appeals: appeals}
}

// today is the day in the district's zone.
func (s *Handlers) today() string {
	return s.store.Now().In(calendar.Shanghai).Format("2006-01-02")
}

// Query narrows the catalogue: words in its names and texts, a group, a
// mode, and whether withdrawn standards are shown.
type Query struct {
	Text      string
	Group     string
	Mode      catalogue.Mode
	Withdrawn bool
}

// Filter returns the standards of list that q selects on day, in order.
func (q Query) Filter(list []catalogue.Standard, day string) []catalogue.Standard {
	words := strings.Fields(strings.ToLower(q.Text))
	var out []catalogue.Standard
	for _, st := range list {
		if !q.Withdrawn && !st.InForce(day) || q.Group != "" && st.Group != q.Group || q.Mode != "" && st.Mode != q.Mode {
			continue
		}
		text := strings.ToLower(strings.Join(slices.Concat([]string{st.Code, st.Name, st.NameEn, st.Gets, st.GetsEn, st.Conditions}, st.Materials), " "))
		if slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) }) {
			continue
		}
		out = append(out, st)
	}
	return out
}

// departmentNames are the alliance's departments' names by code (zh, en).
var departmentNames = func() map[string][2]string {
	m := map[string][2]string{}
	for _, d := range department.Alliance() {
		m[d.Code] = [2]string{d.Name, d.NameEn}
	}
	return m
}()
