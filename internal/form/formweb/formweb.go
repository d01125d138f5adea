// Package formweb is the HTTP of the form engine and the campaigns: the
// forms built in the browser (a builder over the definition, section by
// section and question by question, with a preview and the JSON for
// experts), sending a form to an audience with its preview count, a
// campaign's progress per street, community and grid with its members,
// reminders, later changes of the list and the Excel export of the answers
// (one column per question), and the enterprise's own page on the phone
// where it fills the form, prefilled from its file. Its API under /api/v1
// does the same. The site (package web) lists its routes with every other
// module's (Routes).
package formweb

import (
	"embed"
	"log/slog"

	"qifu/internal/attach"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/form/formdb"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// Templates are the module's pages, templates/*.html.
//
//go:embed templates
var Templates embed.FS

// Options is what the module needs to know of the deployment.
type Options struct {
	// Files is the folder of uploaded files (photo and file questions); nil: uploads are refused.
	Files     *attach.Dir
	MaxUpload int64 // largest upload, bytes
}

// Handlers serves the module's routes.
type Handlers struct {
	*core.Core
	store     *store.Store
	forms     *formdb.Store
	campaigns *audiencedb.Store
	dossier   *dossierdb.Store
	log       *slog.Logger
	opts      Options
}

// New returns the module's handlers on the site's core.
func New(c *core.Core, st *store.Store, forms *formdb.Store, campaigns *audiencedb.Store, dossier *dossierdb.Store, log *slog.Logger, opts Options) *Handlers {
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = 32 << 20
	}
	return &Handlers{Core: c, store: st, forms: forms, campaigns: campaigns, dossier: dossier, log: log, opts: opts}
}
