// Package appealweb is the appeal workflow's HTTP: its pages (the lists,
// an appeal with its timeline and steps, the form to raise one, the
// leaders' overview and assessment, the settings), their templates and
// words, and its API under /api/v1, on the web core. The site (package
// web) lists its routes with every other module's (Routes).
package appealweb

import (
	"embed"
	"log/slog"

	"qifu/internal/appeal/appealdb"
	"qifu/internal/attach"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// Templates are the module's pages, templates/*.html.
//
//go:embed templates
var Templates embed.FS

// Options is what the module needs to know of the deployment.
type Options struct {
	// Files is the folder of appeal attachments; nil: attachments are refused.
	Files     *attach.Dir
	MaxUpload int64 // largest attachment, bytes
}

// Handlers serves the module's routes.
type Handlers struct {
	*core.Core
	store   *store.Store
	appeals *appealdb.Store
	log     *slog.Logger
	opts    Options
}

// New returns the module's handlers on the site's core.
func New(c *core.Core, st *store.Store, appeals *appealdb.Store, log *slog.Logger, opts Options) *Handlers {
	return &Handlers{Core: c, store: st, appeals: appeals, log: log, opts: opts}
}
