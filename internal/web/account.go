package web

import (
	"fmt"
	"net/http"
	"time"

	"qifu/internal/account"
	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

var sprintf = fmt.Sprintf

// tokenJSON is an API token in the API; the secret appears only on creation.
type tokenJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	LastUsed  time.Time `json:"last_used,omitzero"`
	Revoked   bool      `json:"revoked"`
	Secret    string    `json:"secret,omitempty"`
}

func toTokenJSON(t store.Token) tokenJSON {
	out := tokenJSON{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt.UTC(), Revoked: t.Revoked}
	if !t.LastUsed.IsZero() {
		out.LastUsed = t.LastUsed.UTC()
	}
	return out
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, err := s.store.Tokens(r.Context(), a)
	if err != nil {
		return err
	}
	out := make([]tokenJSON, 0, len(list))
	for _, t := range list {
		out = append(out, toTokenJSON(t))
	}
	core.WriteJSON(w, http.StatusOK, core.Items[tokenJSON]{Items: out})
	return nil
}

// tokenInput names a new API token.
type tokenInput struct {
	Name string `json:"name"`
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in tokenInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	secret, t, err := s.store.CreateToken(r.Context(), a, in.Name)
	if err != nil {
		return err
	}
	out := toTokenJSON(t)
	out.Secret = secret
	core.WriteJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeToken(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// accountPageData is the user's own account page.
type accountPageData struct {
	core.Base
	User   account.User
	Tokens []store.Token
	Secret string
	Done   string
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, p *accountPageData, code int) error {
	a, _ := core.ActorOf(r)
	u, err := s.store.User(r.Context(), a, a.UserID)
	if err != nil {
		return err
	}
	tokens, err := s.store.Tokens(r.Context(), a)
	if err != nil {
		return err
	}
	p.User, p.Tokens = u, tokens
	p.Title = s.T(core.LangOf(r), "acct.title")
	s.Render(w, r, code, "account", p)
	return nil
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, &accountPageData{}, http.StatusOK)
}

func (s *Server) changePasswordPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	// A wrong current password counts towards the lock-out like a failed sign-in.
	if err := s.store.VerifyPassword(r.Context(), a, r.FormValue("current")); err != nil {
		if k := fault.KindOf(err); k != fault.Unauthorized && k != fault.Locked {
			return err
		}
		p := &accountPageData{}
		p.Errors = map[string]string{"current": fault.As(err).Message.In(core.LangOf(r))}
		return s.renderAccount(w, r, p, http.StatusUnprocessableEntity)
	}
	if err := s.store.SetPassword(r.Context(), a, a.UserID, r.FormValue("password")); err != nil {
		m, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		p := &accountPageData{}
		p.Errors = m
		return s.renderAccount(w, r, p, http.StatusUnprocessableEntity)
	}
	core.ClearCookie(w, core.SessionCookie, s.cfg.SecureCookies)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (s *Server) createTokenPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	secret, _, err := s.store.CreateToken(r.Context(), a, r.FormValue("name"))
	if err != nil {
		m, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		p := &accountPageData{}
		p.Errors = m
		return s.renderAccount(w, r, p, http.StatusUnprocessableEntity)
	}
	return s.renderAccount(w, r, &accountPageData{Secret: secret}, http.StatusOK)
}

func (s *Server) revokeTokenPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeToken(r.Context(), a, id); err != nil {
		return err
	}
	s.Done(w, r, "/account", "flash.deleted", "")
	return nil
}
