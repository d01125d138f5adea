package web

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/skip2/go-qrcode"

	"qifu/internal/account"
	"qifu/internal/web/core"
)

// Two-step sign-in: the page that asks a session for its code, and the
// page where a user enrols an authenticator app (required of
// administrators and auditors, offered to every other staff member).

// codePageData asks for the code of the authenticator.
type codePageData struct {
	core.Base
	Next string
}

func (s *Server) codePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if !a.SecondFactorDue {
		http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
		return nil
	}
	p := &codePageData{Next: safeNext(r.FormValue("next"))}
	p.Title = s.T(core.LangOf(r), "mfa.title")
	s.Render(w, r, http.StatusOK, "login_code", p)
	return nil
}

// giveCode checks the code the session gives.
func (s *Server) giveCode(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	session := sessionOf(r)
	err := s.store.GiveSecondFactor(r.Context(), a, session, r.FormValue("code"))
	if err != nil {
		m, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		p := &codePageData{Next: safeNext(r.FormValue("next"))}
		p.Errors, p.Title = m, s.T(core.LangOf(r), "mfa.title")
		s.Render(w, r, http.StatusUnprocessableEntity, "login_code", p)
		return nil
	}
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
	return nil
}

// codeInput is the code of the authenticator.
type codeInput struct {
	Code string `json:"code"`
}

func (s *Server) apiGiveCode(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in codeInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if err := s.store.GiveSecondFactor(r.Context(), a, sessionOf(r), in.Code); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sessionOf is the session secret of a request signed with the cookie.
func sessionOf(r *http.Request) string {
	if c, err := r.Cookie(core.SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// enrolPageData shows a new secret as a QR code for the app to scan, and
// asks for its first code.
type enrolPageData struct {
	core.Base
	Secret   string
	QR       template.URL // a data: URL of the QR code's PNG
	Required bool         // the user must enrol before anything else (its role, outside the demo)
	Enrolled bool         // already enrolled: a new one replaces it
}

func (s *Server) enrolPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderEnrol(w, r, account.NewTOTPSecret(), http.StatusOK)
}

func (s *Server) renderEnrol(w http.ResponseWriter, r *http.Request, secret string, code int) error {
	a, _ := core.ActorOf(r)
	u, err := s.store.User(r.Context(), a, a.UserID)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(account.TOTPURI(secret, u.Username), qrcode.Medium, 220)
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}
	p := &enrolPageData{Secret: secret, QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
		Required: a.MustEnrol}
	if code != http.StatusOK {
		p.Errors = map[string]string{"code": s.T(core.LangOf(r), "mfa.badcode")}
	}
	p.Title = s.T(core.LangOf(r), "mfa.enrol")
	s.Render(w, r, code, "second_factor", p)
	return nil
}

// enrol takes the secret and the app's first code of it.
func (s *Server) enrol(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	secret := strings.TrimSpace(r.FormValue("secret"))
	if err := s.store.EnrolSecondFactor(r.Context(), a, sessionOf(r), secret, r.FormValue("code")); err != nil {
		if _, ferr := core.FormErrors(err, core.LangOf(r)); ferr != nil {
			return ferr
		}
		return s.renderEnrol(w, r, secret, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, "/account", "mfa.enrolled", "")
	return nil
}

func (s *Server) apiResetSecondFactor(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.ResetSecondFactor(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
