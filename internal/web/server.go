// Package web is qifu's site: server-rendered pages for people and a JSON
// API under /api/v1 for programs, both calling the same store use cases.
// It holds the shared pages and lists the whole surface (routes.go): its
// own routes and every module's, on the web core (package core).
package web

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal/appealweb"
	"qifu/internal/attach"
	"qifu/internal/catalogue/catalogueweb"
	"qifu/internal/form/formweb"
	"qifu/internal/platform"
	"qifu/internal/policy/policyweb"
	"qifu/internal/pool/poolweb"
	"qifu/internal/resumption/resumptionweb"
	"qifu/internal/store"
	"qifu/internal/visit/visitweb"
	"qifu/internal/web/core"
)

// templates are the shared pages, templates/*.html.
//
//go:embed templates
var templates embed.FS

// Config is what the web layer needs to know of the deployment.
type Config struct {
	StaffIdle     time.Duration // idle timeout of staff sessions
	MaxBody       int64         // largest request body, bytes, except uploads
	MaxUpload     int64         // largest uploaded workbook or attachment, bytes
	MaxImportRows int           // most data rows in one imported workbook
	// Files is the folder of appeal attachments; nil: attachments are refused.
	Files         *attach.Dir
	SecureCookies bool // set Secure on cookies (behind TLS)
	// DenialBudget is how many refusals of one user a minute are recorded
	// one by one (see denials); 0: 30.
	DenialBudget int
	// SignInBudget is how many failed sign-ins of one client address in 10
	// minutes are checked before the address is answered 429 (see
	// signIns); 0: 100.
	SignInBudget int
	Version      string
	// DemoAccounts are shown on the sign-in page of a demo deployment.
	DemoAccounts []DemoAccount
}

// DemoAccount is a demo username and its role.
type DemoAccount struct {
	Username string
	Role     access.Role
}

// Server is the site: the shared pages and API (sign-in, home, enterprises,
// places, departments, users, audit, inbox, calendar, account) on the web
// core, and every module's HTTP, listed in one route table (routes.go).
type Server struct {
	*core.Core
	store     *store.Store
	log       *slog.Logger
	cfg       Config
	signIns   *signIns
	mods      *platform.Modules
	appeals   *appealweb.Handlers
	forms     *formweb.Handlers
	catalogue *catalogueweb.Handlers
	visits    *visitweb.Handlers
	pool      *poolweb.Handlers
	policy    *policyweb.Handlers
	resume    *resumptionweb.Handlers
}

// catalog is the site's catalog of UI words: the core's, the shared
// pages', every module's.
func catalog() (core.Catalog, error) {
	return core.Merge(core.Text, text, appealweb.Text, formweb.Text, catalogueweb.Text, visitweb.Text, poolweb.Text, policyweb.Text, resumptionweb.Text)
}

// nav is the menu: each item with the action a role needs to see it.
var nav = []core.NavEntry{
	{Href: "/", Label: always("nav.home")},
	{Href: "/todo", Label: func(r access.Role) string {
		if r == access.RoleEnterprise {
			return "" // its to-dos are first on its home
		}
		return "nav.todo"
	}},
	{Href: "/appeals", Label: func(r access.Role) string {
		switch {
		case !access.May(r, access.AppealRead):
			return ""
		case r == access.RoleEnterprise:
			return "nav.myappeals"
		}
		return "nav.appeals"
	}},
	{Href: "/surveys", Label: enterpriseOnly("nav.surveys")},
	{Href: "/campaigns", Label: func(r access.Role) string {
		if r == access.RoleEnterprise {
			return "" // its forms are under /surveys
		}
		return mayShow(access.CampaignRead, "nav.forms")(r)
	}},
	{Href: "/visits", Label: mayShow(access.VisitRead, "nav.visits")},
	{Href: "/service-days", Label: func(r access.Role) string {
		if r == access.RoleEnterprise || !access.May(r, access.VisitRead) {
			return "" // an enterprise's invitations reach its inbox
		}
		return "nav.servicedays"
	}},
	{Href: "/pool", Label: mayShow(access.PoolRead, "nav.pool")},
	{Href: "/policy", Label: mayShow(access.PolicyRead, "nav.policy")},
	{Href: "/resumption", Label: mayShow(access.ResumeRead, "nav.resumption")},
	{Href: "/catalogue", Label: mayShow(access.CatalogueRead, "nav.catalogue")},
	{Href: "/overview", Label: mayShow(access.AppealAssess, "nav.overview")},
	{Href: "/inbox", Label: always("nav.inbox")},
	{Href: "/enterprises", Label: mayShow(access.EnterpriseRead, "nav.enterprises")},
	{Href: "/places", Label: mayShow(access.RegionRead, "nav.places")},
	{Href: "/departments", Label: mayShow(access.DepartmentRead, "nav.departments")},
	{Href: "/cadres", Label: mayShow(access.CadreRead, "nav.cadres")},
	{Href: "/users", Label: mayShow(access.UserRead, "nav.users")},
	{Href: "/audit", Label: mayShow(access.AuditRead, "nav.audit")},
	{Href: "/calendar", Label: mayShow(access.AppealConfigure, "nav.calendar")},
	{Href: "/settings", Label: mayShow(access.AppealConfigure, "nav.settings")},
	{Href: "/account", Label: always("nav.account")},
}

func always(key string) func(access.Role) string { return func(access.Role) string { return key } }

func mayShow(action access.Action, key string) func(access.Role) string {
	return func(r access.Role) string {
		if access.May(r, action) {
			return key
		}
		return ""
	}
}

// whileSecondFactor are what a session that owes its second factor may do;
// whileEnrol what a user who must enrol one may.
var (
	whileSecondFactor = []string{"GET /login/code", "POST /login/code", "POST /api/v1/login/code", "POST /logout", "GET /api/v1/me"}
	whileEnrol        = []string{"GET /account/second-factor", "POST /account/second-factor", "POST /logout", "GET /api/v1/me"}
)

// tabs are the enterprise's tab bar on a phone.
var tabs = []core.NavEntry{
	{Href: "/", Label: enterpriseOnly("nav.home")},
	{Href: "/appeals", Label: enterpriseOnly("nav.myappeals")},
	{Href: "/surveys", Label: enterpriseOnly("tab.surveys")},
	{Href: "/inbox", Label: enterpriseOnly("nav.inbox")},
	{Href: "/account", Label: enterpriseOnly("tab.me")},
}

func enterpriseOnly(key string) func(access.Role) string {
	return func(r access.Role) string {
		if r == access.RoleEnterprise {
			return key
		}
		return ""
	}
}

// whileMustChange are what a user who must change the password may still do.
var whileMustChange = []string{"GET /account", "POST /account/password", "POST /logout", "GET /api/v1/me"}

// New returns the qifu HTTP handler.
func New(mods *platform.Modules, log *slog.Logger, cfg Config) (http.Handler, error) {
	s, err := newServer(mods, log, cfg)
	if err != nil {
		return nil, err
	}
	return s.Handler(s.routes()), nil
}

func newServer(mods *platform.Modules, log *slog.Logger, cfg Config) (*Server, error) {
	var st *store.Store
	if mods != nil {
		st = mods.Engine
	} else {
		mods = &platform.Modules{}
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 32 << 20
	}
	if cfg.SignInBudget <= 0 {
		cfg.SignInBudget = 100
	}
	if cfg.MaxImportRows <= 0 {
		cfg.MaxImportRows = 200_000
	}
	text, err := catalog()
	if err != nil {
		return nil, err
	}
	c, err := core.New(st, log, core.Options{MaxBody: cfg.MaxBody, MaxUpload: cfg.MaxUpload,
		SecureCookies: cfg.SecureCookies, DenialBudget: cfg.DenialBudget, Text: text,
		Templates: []fs.FS{templates, appealweb.Templates, formweb.Templates, catalogueweb.Templates, visitweb.Templates, poolweb.Templates, policyweb.Templates, resumptionweb.Templates}, Nav: nav, Tabs: tabs, WhileMustChange: whileMustChange,
		WhileSecondFactor: whileSecondFactor, WhileEnrol: whileEnrol})
	if err != nil {
		return nil, err
	}
	return &Server{Core: c, store: st, log: log, cfg: cfg, signIns: newSignIns(cfg.SignInBudget, time.Now),
		mods:      mods,
		appeals:   appealweb.New(c, st, mods.Appeals, log, appealweb.Options{Files: cfg.Files, MaxUpload: cfg.MaxUpload}),
		forms:     formweb.New(c, st, mods.Forms, mods.Campaigns, mods.Dossier, log, formweb.Options{Files: cfg.Files, MaxUpload: cfg.MaxUpload}),
		catalogue: catalogueweb.New(c, st, mods.Catalogue, mods.Appeals),
		visits:    visitweb.New(c, st, mods.Visits, mods.Appeals, mods.Catalogue, visitweb.Options{Files: cfg.Files, MaxUpload: cfg.MaxUpload}),
		pool:      poolweb.New(c, st, mods.Pool, poolweb.Options{Files: cfg.Files, MaxUpload: cfg.MaxUpload, SecureCookies: cfg.SecureCookies}),
		policy:    policyweb.New(c, st, mods.Policy),
		resume:    resumptionweb.New(c, st, mods.Resumption)}, nil
}
