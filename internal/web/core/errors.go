package core

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"qifu/internal/fault"
	"qifu/internal/store"
)

var errCrossOrigin = fault.New(fault.Forbidden, "cross_origin", "跨站请求已被拒绝", "cross-origin request refused")

// Status maps an error kind to its HTTP status: the one place that does.
func Status(k fault.Kind) int {
	switch k {
	case fault.Invalid:
		return http.StatusUnprocessableEntity
	case fault.NotFound:
		return http.StatusNotFound
	case fault.Conflict:
		return http.StatusConflict
	case fault.Unauthorized:
		return http.StatusUnauthorized
	case fault.Forbidden:
		return http.StatusForbidden
	case fault.Locked:
		return http.StatusLocked
	case fault.TooLarge:
		return http.StatusRequestEntityTooLarge
	case fault.TooMany:
		return http.StatusTooManyRequests
	case fault.Method:
		return http.StatusMethodNotAllowed
	case fault.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

// PublicError returns the *fault.Error to show for err: internal errors
// become a generic message; the cause goes to the log only.
func PublicError(err error) *fault.Error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return fault.New(fault.TooLarge, "too_large", "提交的内容过大", "the request is too large")
	}
	if fe := fault.As(err); fe != nil && fe.Kind != fault.Internal {
		return fe
	}
	// A lost connection to the database is a 503 wherever it surfaced.
	if fe := fault.As(store.Translate(err)); fe != nil && fe.Kind != fault.Internal {
		return fe
	}
	return fault.New(fault.Internal, "internal", "系统内部错误，请稍后重试；如持续出现请联系管理员", "internal error; try again later")
}

// Fail answers a request with err: JSON for the API, a page (or the login
// page) for people.
func (c *Core) Fail(w http.ResponseWriter, r *http.Request, err error) {
	pe := PublicError(err)
	code := Status(pe.Kind)
	if code >= 500 && pe.Kind != fault.Unavailable {
		c.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	} else if code >= 500 {
		c.log.Warn("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if wait := c.auditDenial(r, pe, code); wait > 0 {
		pe, code = errTooManyDenials, http.StatusTooManyRequests
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+1)))
	}
	lang := LangOf(r)
	if IsAPI(r) {
		var body ErrorBody
		body.Error.Code = pe.Code
		body.Error.Message = pe.Message.In(lang)
		if len(pe.Fields) > 0 {
			body.Error.Fields = map[string]string{}
			for k, m := range pe.Fields {
				body.Error.Fields[k] = m.In(lang)
			}
		}
		WriteJSON(w, code, body)
		return
	}
	if pe.Kind == fault.Unauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	page := &ErrorPage{Status: code, Message: pe.Message.In(lang)}
	page.Title = c.T(lang, "err.title")
	c.Render(w, r, code, "error", page)
}

func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// WriteJSON answers with v as JSON. API answers hold personal data and
// scoped records, so no cache keeps them.
func WriteJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-store")
	}
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// auditDenial records a refusal of a signed-in caller in the audit log: every
// 403, and every 404 or 409 of a request that would have changed something
// (an attempt on a record out of scope, or on a stale version). A 404 of a
// read is not recorded: lists and links produce them in the normal course.
// Refusals past the user's budget (see denials) are counted, not recorded
// one by one, and answered 429: it returns how long such a caller must wait,
// zero for every other.
func (c *Core) auditDenial(r *http.Request, pe *fault.Error, code int) time.Duration {
	a, ok := ActorOf(r)
	if !ok {
		return 0
	}
	changing := r.Method != http.MethodGet && r.Method != http.MethodHead
	if code != http.StatusForbidden && !(changing && (code == http.StatusNotFound || code == http.StatusConflict)) {
		return 0
	}
	v := c.denials.note(a.UserID)
	record := func(action string, detail map[string]any) {
		if err := c.store.Record(r.Context(), a, action, r.Method+" "+r.URL.Path, "denied", detail); err != nil {
			c.log.Warn("audit denial", "err", err)
		}
	}
	if v.unrecorded > 0 {
		record("denied.unrecorded", map[string]any{"count": v.unrecorded, "window_seconds": int(denialWindow.Seconds())})
	}
	switch {
	case v.record:
		record("denied", map[string]any{"status": code, "code": pe.Code})
	case v.throttle:
		record("denied.throttled", map[string]any{"status": code, "code": pe.Code, "budget": c.denials.budget})
	}
	if v.limited {
		return max(v.retryAfter, time.Second)
	}
	return 0
}

var errTooManyDenials = fault.New(fault.TooMany, "too_many_denials", "被拒绝的操作过多，请稍后再试",
	"too many refused requests; try again later")
