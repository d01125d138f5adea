// Package core is the web core every module's HTTP is built on: the route
// type and the adapter that signs a request in and refuses a role without
// the route's action, the one place that turns errors into a status and a
// page or JSON body, rendering with the shared layout, the catalog of UI
// words in two languages, and the middleware every request passes (limits,
// security headers, cross-origin protection, metrics, panics).
//
// A module's package (internal/appeal/appealweb is the first) holds its
// handlers, templates, catalog and API types; the site (package web) lists
// every module's routes in one table and builds the one Core they share.
package core

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/store"
)

//go:embed templates static
var assets embed.FS

// Policy says who may call a route at all; what the caller may do to which
// record is decided in the domain, by package access.
type Policy int

const (
	Public   Policy = iota // anyone, signed in or not
	SignedIn               // a session cookie or an API token
	// Gated: signed in, with a role that has the route's action; others
	// are refused at the door (403). The other signed-in routes leave the
	// refusal to the store, which answers a record the caller may not see
	// with 404 and a list with what the caller may see.
	Gated
)

// Handler is what every route implements: it returns an error to fail,
// which the adapter turns into one status and one page or JSON body.
type Handler func(w http.ResponseWriter, r *http.Request) error

// Route is one entry of the surface. Action names the domain action the
// route exercises, for the docs and the access tests; empty when the route
// reads or changes only the caller's own things.
type Route struct {
	Method, Path string
	Auth         Policy
	Action       access.Action
	Summary      string // one line, for the OpenAPI document
	H            Handler
	Doc          *API // what an API route takes and gives (Takes, Gives …); nil: nothing documented
}

// NewRoute returns a route; the route tables list one per line.
func NewRoute(method, path string, auth Policy, action access.Action, summary string, h Handler) Route {
	return Route{Method: method, Path: path, Auth: auth, Action: action, Summary: summary, H: h}
}

// Options is what the core needs to know of the deployment and the site.
type Options struct {
	MaxBody   int64 // largest request body, bytes, except uploads
	MaxUpload int64 // largest upload (paths ending in /import or /attachments), bytes
	// SecureCookies sets Secure on cookies (behind TLS).
	SecureCookies bool
	// DenialBudget is how many refusals of one user a minute are recorded
	// one by one (see denials); 0: 30.
	DenialBudget int
	// Text is the site's catalog: Text and every module's, merged.
	Text Catalog
	// Templates are the modules' page templates: each file system holds
	// templates/*.html, one page each, rendered inside the core's layout.
	Templates []fs.FS
	// Nav is the menu, in its order.
	Nav []NavEntry
	// Tabs are the tab bar a phone shows at the bottom in place of the
	// menu, for the roles they give labels to (the enterprise's).
	Tabs []NavEntry
	// WhileMustChange are the routes ("GET /account") a user who must
	// change the password may still call.
	WhileMustChange []string
	// WhileSecondFactor are the routes a session that owes its second
	// factor may call; WhileEnrol those of a user who must enrol one.
	WhileSecondFactor, WhileEnrol []string
}

// NavEntry is one item of the menu. Label gives the catalog key of its
// label for a role, or "" when the role does not see it.
type NavEntry struct {
	Href  string
	Label func(access.Role) string
}

// Core holds what the handlers of every module share.
type Core struct {
	store                         *store.Store
	log                           *slog.Logger
	opts                          Options
	pages                         map[string]*template.Template
	metrics                       *metrics
	denials                       *denials
	whileMustChange               map[string]bool
	whileSecondFactor, whileEnrol map[string]bool
}

// New returns the core of a site on a store.
func New(st *store.Store, log *slog.Logger, opts Options) (*Core, error) {
	if opts.MaxBody <= 0 {
		opts.MaxBody = 1 << 20
	}
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = 32 << 20
	}
	if opts.DenialBudget <= 0 {
		opts.DenialBudget = 30
	}
	if opts.Text == nil {
		opts.Text = Text
	}
	pages, err := parsePages(opts.Templates)
	if err != nil {
		return nil, err
	}
	c := &Core{store: st, log: log, opts: opts, pages: pages, metrics: newMetrics(),
		denials: newDenials(opts.DenialBudget, time.Now), whileMustChange: map[string]bool{}}
	for _, rt := range opts.WhileMustChange {
		c.whileMustChange[rt] = true
	}
	c.whileSecondFactor, c.whileEnrol = map[string]bool{}, map[string]bool{}
	for _, rt := range opts.WhileSecondFactor {
		c.whileSecondFactor[rt] = true
	}
	for _, rt := range opts.WhileEnrol {
		c.whileEnrol[rt] = true
	}
	return c, nil
}

// T returns the UI text of key in lang.
func (c *Core) T(lang, key string) string { return c.opts.Text.T(lang, key) }

// Word names a value of a module's vocabulary in lang (see Catalog.Word).
func (c *Core) Word(lang, kind, value string) string { return c.opts.Text.Word(lang, kind, value) }

// SecureCookies tells whether cookies are set Secure.
func (c *Core) SecureCookies() bool { return c.opts.SecureCookies }

// Handler builds the mux from the routes and wraps it in the middleware
// every request passes.
func (c *Core) Handler(routes []Route) http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.Handle(rt.Method+" "+rt.Path, c.adapt(rt))
	}
	mux.Handle("GET /static/", http.FileServerFS(assets))
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.Fail(w, r, errCrossOrigin)
	}))
	var h http.Handler = c.unmatched(mux)
	h = csrf.Handler(h)
	h = c.limitBody(h)
	h = securityHeaders(h)
	h = c.observe(h)
	h = c.recoverPanics(h)
	return h
}

// errNoRoute and errMethod answer a request no route takes.
var (
	errNoRoute = fault.New(fault.NotFound, "no_route", "没有这个页面或接口", "no such page or endpoint")
	errMethod  = fault.New(fault.Method, "method_not_allowed", "该地址不接受这种请求方法", "this address does not take this method")
)

// unmatched answers the requests no route takes as every other error is
// answered (the JSON error on the API, the error page with the layout
// elsewhere), instead of the mux's plain text; a wrong method keeps its
// Allow header.
func (c *Core) unmatched(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		probe := &headerOnly{header: http.Header{}}
		h.ServeHTTP(probe, r)
		if probe.code == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", probe.header.Get("Allow"))
			c.Fail(w, r, errMethod)
			return
		}
		c.Fail(w, r, errNoRoute)
	})
}

// headerOnly keeps the status and headers the mux would answer with.
type headerOnly struct {
	header http.Header
	code   int
}

func (h *headerOnly) Header() http.Header         { return h.header }
func (h *headerOnly) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerOnly) WriteHeader(code int)        { h.code = code }

type ctxKey int

const (
	actorKey  ctxKey = 1
	unreadKey ctxKey = 2
)

// ActorOf returns the signed-in actor of a request.
func ActorOf(r *http.Request) (access.Actor, bool) {
	a, ok := r.Context().Value(actorKey).(access.Actor)
	return a, ok
}

// WithActor returns the request signed in as a.
func WithActor(r *http.Request, a access.Actor) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), actorKey, a))
}

// UnreadOf returns the signed-in user's unread notices, as read for the
// request's page (the badge on the inbox's menu item).
func UnreadOf(r *http.Request) int {
	n, _ := r.Context().Value(unreadKey).(int)
	return n
}

func withUnread(r *http.Request, n int) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), unreadKey, n))
}
