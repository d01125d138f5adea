// Package poolweb is the HTTP of the employee turnover pool (员工周转池):
// the pool's desk for community staff (open needs with their clocks, the
// matcher's proposals with their reasons, loans step by step, job seekers,
// figures), an enterprise's phone pages (offer workers or a team, post a
// need, choose the workers of a proposal, seal, train, start, attendance,
// the monthly settlement, return and rating), and the worker's own page
// reached with a one-time code (/w). Its API under /api/v1/pool does the same.
package poolweb

import (
	"embed"
	"net/http"
	"strconv"
	"strings"
	"time"

	"qifu/internal/attach"
	"qifu/internal/calendar"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
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
	pool  *pooldb.Store
	opts  Options
}

// Options is what the module needs to know of the deployment.
type Options struct {
	// Files is the folder of uploaded files (sealed scans); nil: only e-seals.
	Files     *attach.Dir
	MaxUpload int64 // largest upload, bytes
	// SecureCookies sets Secure on the worker's cookie (behind TLS).
	SecureCookies bool
}

// New returns the module's handlers on the site's core.
func New(c *core.Core, st *store.Store, p *pooldb.Store, opts Options) *Handlers {
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = 32 << 20
	}
	return &Handlers{Core: c, store: st, pool: p, opts: opts}
}

// period reads a period from the query (from, to), by default the last 90 days.
func (s *Handlers) period(r *http.Request) pooldb.Period {
	now := s.store.Now().In(calendar.Shanghai)
	p := pooldb.Period{From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	if p.From == "" {
		p.From = day(now.AddDate(0, 0, -89))
	}
	if p.To == "" {
		p.To = day(now)
	}
	return p
}

func (s *Handlers) today() string { return day(s.store.Now()) }

func formInt(r *http.Request, name string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(r.FormValue(name)))
	return n
}

func formID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	return n
}

func workTypes(list []string) []pool.WorkType {
	var out []pool.WorkType
	for _, s := range list {
		if s != "" {
			out = append(out, pool.WorkType(s))
		}
	}
	return out
}

// day formats a time as its day in the district, "" when none.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Shanghai).Format(time.DateOnly)
}

// hours formats hours with one decimal, "—" when -1.
func hours(h float64) string {
	if h < 0 {
		return "—"
	}
	return strconv.FormatFloat(h, 'f', 1, 64)
}
