// Package web is qifu's HTTP face: server-rendered pages for people and a
// JSON API under /api/v1 for programs, both calling the same store use
// cases. routes.go lists the whole surface.
package web

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/attach"
	"qifu/internal/fault"
	"qifu/internal/store"
)

//go:embed templates static
var assets embed.FS

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

// Server holds the dependencies of the handlers.
type Server struct {
	store   *store.Store
	appeals *appealdb.Store
	log     *slog.Logger
	cfg     Config
	pages   map[string]*template.Template
	metrics *metrics
	denials *denials
	signIns *signIns
}

// New returns the qifu HTTP handler.
func New(st *store.Store, appeals *appealdb.Store, log *slog.Logger, cfg Config) (http.Handler, error) {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 32 << 20
	}
	if cfg.DenialBudget <= 0 {
		cfg.DenialBudget = 30
	}
	if cfg.SignInBudget <= 0 {
		cfg.SignInBudget = 100
	}
	if cfg.MaxImportRows <= 0 {
		cfg.MaxImportRows = 200_000
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{store: st, appeals: appeals, log: log, cfg: cfg, pages: pages, metrics: newMetrics(), denials: newDenials(cfg.DenialBudget, time.Now),
		signIns: newSignIns(cfg.SignInBudget, time.Now)}
	return s.handler(), nil
}

// handler builds the mux from the route table and wraps it in the
// middleware every request passes.
func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		var h http.Handler = s.adapt(rt)
		mux.Handle(rt.method+" "+rt.path, h)
	}
	mux.Handle("GET /static/", http.FileServerFS(assets))
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errCrossOrigin)
	}))
	var h http.Handler = s.unmatched(mux)
	h = csrf.Handler(h)
	h = s.limitBody(h)
	h = securityHeaders(h)
	h = s.observe(h)
	h = s.recoverPanics(h)
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
func (s *Server) unmatched(mux *http.ServeMux) http.Handler {
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
			s.fail(w, r, errMethod)
			return
		}
		s.fail(w, r, errNoRoute)
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

// actorOf returns the signed-in actor of a request.
func actorOf(r *http.Request) (access.Actor, bool) {
	a, ok := r.Context().Value(actorKey).(access.Actor)
	return a, ok
}

func withActor(r *http.Request, a access.Actor) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), actorKey, a))
}

// unreadOf returns the signed-in user's unread notices, as read for the
// request's page (the badge on the inbox's menu item).
func unreadOf(r *http.Request) int {
	n, _ := r.Context().Value(unreadKey).(int)
	return n
}

func withUnread(r *http.Request, n int) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), unreadKey, n))
}
