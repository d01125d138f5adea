// Package visitweb is the HTTP of the visits (走访): the phone form of a
// visit, reached by scanning the enterprise's QR code (or picking it) and
// prefilled from its file and the recorder's last team, with its problems
// solved on the spot, raised as appeals or sent up as common problems; a
// visit's page, where the enterprise confirms and rates it with one tap; the
// coverage of a region with its lists (nobody visited in 90 days, visited
// too often, key enterprises without a cadre, grids without a worker); the
// figures per region, recorder and unit; and the common problems with
// their answers. Its API under /api/v1 does the same.
package visitweb

import (
	"embed"
	"net/http"
	"strconv"
	"time"

	"qifu/internal/appeal/appealdb"
	"qifu/internal/attach"
	"qifu/internal/calendar"
	"qifu/internal/catalogue/cataloguedb"
	"qifu/internal/store"
	"qifu/internal/visit/visitdb"
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
	visits    *visitdb.Store
	appeals   *appealdb.Store
	catalogue *cataloguedb.Store // the providers a service day invites
	opts      Options
}

// Options is what the module needs to know of the deployment.
type Options struct {
	// Files is the folder of uploaded files (visits' photos); nil: photos are refused.
	Files     *attach.Dir
	MaxUpload int64 // largest upload, bytes
}

// New returns the module's handlers on the site's core.
func New(c *core.Core, st *store.Store, visits *visitdb.Store, appeals *appealdb.Store, cat *cataloguedb.Store, opts Options) *Handlers {
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = 32 << 20
	}
	return &Handlers{Core: c, store: st, visits: visits, appeals: appeals, catalogue: cat, opts: opts}
}

// period reads a period of days from the query: from, to (YYYY-MM-DD), by
// default the last 90 days to today.
func (s *Handlers) period(r *http.Request) visitdb.Period {
	now := s.store.Now().In(calendar.Shanghai)
	p := visitdb.Period{From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	if p.From == "" {
		p.From = now.AddDate(0, 0, -89).Format("2006-01-02")
	}
	if p.To == "" {
		p.To = now.Format("2006-01-02")
	}
	return p
}

// pct formats a rate in percent, "—" when it is -1.
func pct(f float64) string {
	if f < 0 {
		return "—"
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + "%"
}

// day formats a time as its day in the district.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Shanghai).Format("2006-01-02")
}
