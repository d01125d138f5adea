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

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/department"
	"qifu/internal/policy"
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

// base is what the module's pages share: the site's core.Base, and
// amounts written in 万元.
type base struct{ core.Base }

// Wan writes yuan as 万元 in the page's language.
func (b *base) Wan(yuan int64) string { return policy.Wan(yuan, b.Lang) }

// ops are every operator a condition can take, for the builder's select
// and the API document (the store refuses one its field does not take).
var ops = []policy.Op{policy.Ge, policy.Gt, policy.Le, policy.Lt, policy.Eq, policy.Ne, policy.In, policy.NotIn, policy.Has, policy.HasNot}

// keepsEvery reports whether the actor keeps every department's policies
// and lists (an administrator): its forms name the department, where a
// department's staff keep their own.
func keepsEvery(a access.Actor) bool {
	return access.FilterFor(a, access.PolicyManage).Reach == access.All
}

// departmentChoice is the departments a policy's or a resource's form
// offers: every one to those who keep every department's, none to others.
func (s *Handlers) departmentChoice(r *http.Request) ([]department.Department, error) {
	a, _ := core.ActorOf(r)
	if !keepsEvery(a) {
		return nil, nil
	}
	return s.store.Departments(r.Context(), a)
}

// posted reads what a form posted on the record at {id} brings: the
// caller, the record's id and the form.
func posted(r *http.Request) (access.Actor, int64, error) {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return a, 0, err
	}
	return a, id, r.ParseForm()
}

// optionalID is the {id} of a form's route that has one (a change), 0 for
// the route without (a new record).
func optionalID(r *http.Request) (int64, error) {
	if r.PathValue("id") == "" {
		return 0, nil
	}
	return core.PathID(r, "id")
}

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
