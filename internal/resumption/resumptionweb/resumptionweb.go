// Package resumptionweb is the HTTP of checklists, resumption and status
// reports (清单 · 复工复产 · 运行监测): the campaigns a street or district
// starts (a checklist to an audience, or status reports on a schedule),
// the enterprise's phone (its report with "no change" in one tap, its
// restart application, its findings), the grid worker's and inspector's
// on-site check, the restart desk of the street and the command, the rates
// and the exceptions-first page for leaders, the electricity file and the
// powers to inspect. Its API under /api/v1/resumption does the same.
package resumptionweb

import (
	"embed"
	"net/http"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
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
	store *store.Store
	res   *resumptiondb.Store
}

// New returns the module's handlers on the site's core.
func New(c *core.Core, st *store.Store, r *resumptiondb.Store) *Handlers {
	return &Handlers{Core: c, store: st, res: r}
}

func (s *Handlers) today() string { return s.store.Now().In(calendar.Shanghai).Format(time.DateOnly) }

// base is what the module's pages share.
type base struct{ core.Base }

// Pct writes a rate as a person reads it: "95.97%".
func (b *base) Pct(rate float64) string { return resumption.Percent(rate) }

// Share writes an output share kept in hundredths of a per cent.
func (b *base) Share(n int) string { return strconv.FormatFloat(float64(n)/100, 'f', -1, 64) + "%" }

// Width is a rate as the width of a bar, 0–100.
func (b *base) Width(rate float64) float64 { return min(100, rate*100) }

// Item names a checklist's item in the page's language.
func (b *base) Item(checklist, key string) string {
	cl, _ := resumption.TemplateOf(checklist)
	if it, ok := cl.Item(key); ok {
		return b.Pick(it.Zh, it.En)
	}
	return key
}

// List names a checklist in the page's language.
func (b *base) List(key string) string {
	if cl, ok := resumption.TemplateOf(key); ok {
		return b.Pick(cl.Zh, cl.En)
	}
	return key
}

// Matter names a matter of inspection.
func (b *base) Matter(key string) string {
	if m, ok := resumption.Matters[key]; ok {
		return m.In(b.Lang)
	}
	return key
}

// Day is a time's day in the district, "" for none.
func (b *base) Day(t time.Time) string { return day(t) }

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Shanghai).Format(time.DateOnly)
}

func formInt(r *http.Request, name string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(r.FormValue(name)))
	return n
}

func formID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	return n
}

// percentHundredths reads a per cent as typed ("60", "62.5") in
// hundredths; -1 when it is not a number.
func percentHundredths(s string) int {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f {
		return -1
	}
	return int(f*100 + 0.5)
}

// enterpriseParam is the enterprise a page is for: the caller's own, or
// the one named by ?enterprise= (or the form's enterprise).
func enterpriseParam(r *http.Request, a access.Actor) int64 {
	if a.Role == access.RoleEnterprise {
		return a.EnterpriseID
	}
	return formID(r, "enterprise")
}

// posted reads what a form posted on the record at {id} brings.
func posted(r *http.Request) (access.Actor, int64, error) {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return a, 0, err
	}
	return a, id, r.ParseForm()
}

// splitCodes splits credit codes typed one per line or separated by commas.
func splitCodes(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '\n' || r == '\r' || r == ' ' || r == ';' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// MissingOf is how many on the list have no report.
func (b *base) MissingOf(r resumption.Rates) int { return r.Members - r.Reported }
