// Package policyweb is the HTTP of precise push (精准推送): a department's
// desk (policies and their benefits built from a form with conditions,
// the dry run with its sample and sign-off, publication, the review of
// applications, the public notice and payment of 免申即享 lists, the
// blacklist, the innovation-resource lists), an enterprise's phone (its
// policy check-up with the one missing fact to supply, applying,
// confirming a benefit without application, resources recommended to it),
// the grid worker's count of enterprises that qualify and have not
// applied, and the funnel for leaders. Its API under /api/v1/policy does
// the same.
package policyweb

import (
	"embed"
	"net/http"
	"strconv"
	"strings"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/policy/policydb"
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
	store  *store.Store
	policy *policydb.Store
}

// New returns the module's handlers on the site's core.
func New(c *core.Core, st *store.Store, p *policydb.Store) *Handlers {
	return &Handlers{Core: c, store: st, policy: p}
}

func (s *Handlers) today() string { return s.store.Now().In(calendar.Shanghai).Format(time.DateOnly) }

func formInt(r *http.Request, name string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(r.FormValue(name)))
	return n
}

func formID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	return n
}

// day is a time's day in the district, "" for none.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Shanghai).Format(time.DateOnly)
}

// queryID is a query parameter's id, 0 when absent or not a number.
func queryID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	return n
}
