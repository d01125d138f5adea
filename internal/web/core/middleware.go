package core

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
)

// adapt turns a route into an http.Handler: it authenticates the request
// when the route needs a signed-in user, refuses a gated route to a role
// without its action, and sends errors to fail.
func (c *Core) adapt(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.Auth != Public {
			a, err := c.authenticate(r)
			if err != nil {
				if !IsAPI(r) {
					ClearCookie(w, SessionCookie, c.opts.SecureCookies)
				}
				c.Fail(w, r, err)
				return
			}
			if a.MustChangePassword && !c.whileMustChange[rt.Method+" "+rt.Path] {
				if !IsAPI(r) && r.Method == http.MethodGet {
					http.Redirect(w, r, "/account?change=1", http.StatusSeeOther)
					return
				}
				c.Fail(w, WithActor(r, a), errMustChange)
				return
			}
			key := rt.Method + " " + rt.Path
			// A session owes its second factor, or its user must enrol one:
			// only that, and signing out, until it is done.
			if a.SecondFactorDue && !c.whileSecondFactor[key] {
				if !IsAPI(r) && r.Method == http.MethodGet {
					http.Redirect(w, r, "/login/code?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				c.Fail(w, WithActor(r, a), errSecondFactorDue)
				return
			}
			if a.MustEnrol && !c.whileEnrol[key] {
				if !IsAPI(r) && r.Method == http.MethodGet {
					http.Redirect(w, r, "/account/second-factor", http.StatusSeeOther)
					return
				}
				c.Fail(w, WithActor(r, a), errMustEnrol)
				return
			}
			if rt.Auth == Gated && !access.May(a.Role, rt.Action) {
				c.Fail(w, WithActor(r, a), access.ErrForbidden)
				return
			}
			r = WithActor(r, a)
			if !IsAPI(r) {
				// The layout's data of every page, read with the session:
				// rendering reads nothing.
				if n, err := c.store.UnreadCount(r.Context(), a); err != nil {
					c.log.Warn("unread count", "err", err)
				} else {
					r = withUnread(r, n)
				}
			}
		}
		if err := rt.H(w, r); err != nil {
			c.Fail(w, r, err)
		}
	})
}

const SessionCookie = "qifu_session"

// errMustChange refuses everything but a change of password to a user whose
// password was set by someone else or is publicly known.
var errMustChange = fault.New(fault.Forbidden, "password_change_required", "请先修改密码后再继续使用",
	"change your password before going on")

// errSecondFactorDue and errMustEnrol refuse everything but the second
// factor to a session that owes it, or to a user who must enrol one.
var (
	errSecondFactorDue = fault.New(fault.Unauthorized, "second_factor_required", "请输入身份验证器上的 6 位验证码",
		"enter the six-digit code of your authenticator")
	errMustEnrol = fault.New(fault.Forbidden, "second_factor_enrolment_required", "管理员和审计员须先设置身份验证器（两步验证）",
		"administrators and auditors must enrol an authenticator (two-step sign-in) first")
)

var errNotSignedIn = fault.New(fault.Unauthorized, "signed_out", "请先登录", "please sign in")

// authenticate finds the actor of a request: a bearer API token, or the
// session cookie. The actor is read from the store on every request.
func (c *Core) authenticate(r *http.Request) (actor access.Actor, err error) {
	addr := ClientAddr(r)
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			return actor, errNotSignedIn
		}
		return c.store.TokenActor(r.Context(), token, addr)
	}
	ck, err := r.Cookie(SessionCookie)
	if err != nil || ck.Value == "" {
		return actor, errNotSignedIn
	}
	return c.store.SessionActor(r.Context(), ck.Value, addr)
}

// ClientAddr is the address of the client, without the port.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func SetCookie(w http.ResponseWriter, name, value string, secure bool, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

func ClearCookie(w http.ResponseWriter, name string, secure bool) { SetCookie(w, name, "", secure, -1) }

// securityHeaders sets the headers every answer carries, among them a
// strict Content-Security-Policy: only the server's own scripts and styles.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody bounds every request body; imports, attachments and every
// multipart form (a form's photo, a list's workbook) get the upload limit.
func (c *Core) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := c.opts.MaxBody
		if strings.HasSuffix(r.URL.Path, "/import") || strings.HasSuffix(r.URL.Path, "/attachments") ||
			strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			limit = c.opts.MaxUpload
		}
		if r.ContentLength > limit {
			c.Fail(w, r, &http.MaxBytesError{Limit: limit})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// recoverPanics answers a panicking handler with a 500 and logs the stack.
func (c *Core) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				c.log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				c.Fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs each request and counts it by route pattern for /metrics.
func (c *Core) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		pattern := r.Pattern
		if pattern == "" {
			pattern = "unmatched"
		}
		c.metrics.observe(pattern, sw.status, d)
		level := slog.LevelDebug
		if sw.status >= 500 {
			level = slog.LevelWarn
		}
		c.log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"ms", d.Milliseconds(), "addr", ClientAddr(r))
	})
}
