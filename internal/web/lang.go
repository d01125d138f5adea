package web

import (
	"net/http"

	"qifu/internal/web/core"
)

// switchLang answers POST /lang: it sets the language cookie and returns
// to the page the switch was pressed on.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) error {
	lang := r.FormValue("lang")
	if lang != "en" {
		lang = "zh"
	}
	http.SetCookie(w, &http.Cookie{Name: core.LangCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies, HttpOnly: true})
	http.Redirect(w, r, safeNext(r.FormValue("back")), http.StatusSeeOther)
	return nil
}
