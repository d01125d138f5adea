package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// loginPageData is the sign-in page.
type loginPageData struct {
	core.Base
	Username string
	Next     string
	Message  string
	Demo     []DemoAccount
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	s.Render(w, r, http.StatusOK, "login", &loginPageData{Next: safeNext(r.URL.Query().Get("next")), Demo: s.cfg.DemoAccounts})
	return nil
}

// safeNext keeps a redirect target on this site. Control characters are
// refused too: browsers drop tabs and newlines from a Location, so that
// "/\t/evil.example" would lead to //evil.example.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return next
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	username := strings.TrimSpace(strings.ToLower(r.FormValue("username")))
	sess, err := s.signIn(w, r, username, r.FormValue("password"))
	if k := fault.KindOf(err); k == fault.Unauthorized || k == fault.Locked || k == fault.TooMany {
		if len(username) > maxUsername {
			username = ""
		}
		p := &loginPageData{Username: username, Next: safeNext(r.FormValue("next")), Demo: s.cfg.DemoAccounts}
		p.Message = fault.As(err).Message.In(core.LangOf(r))
		s.Render(w, r, core.Status(k), "login", p)
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.knownPassword(r, sess, r.FormValue("password")); err != nil {
		return err
	}
	core.SetCookie(w, core.SessionCookie, sess.Secret, s.cfg.SecureCookies, 0)
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
	return nil
}

// knownPassword makes a user who signed in with the demo's published
// password change it, unless this is a demo deployment.
func (s *Server) knownPassword(r *http.Request, sess store.Session, password string) error {
	if len(s.cfg.DemoAccounts) > 0 || password != demo.Password {
		return nil
	}
	return s.store.RequirePasswordChange(r.Context(), access.Actor{UserID: sess.User.ID, Name: sess.User.Name,
		Role: sess.User.Role, Addr: core.ClientAddr(r)}, sess.User.ID, "publicly known password")
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if c, err := r.Cookie(core.SessionCookie); err == nil {
		if err := s.store.Logout(r.Context(), c.Value, a); err != nil {
			return err
		}
	}
	core.ClearCookie(w, core.SessionCookie, s.cfg.SecureCookies)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// loginInput is the body of a sign-in.
type loginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// Code is the authenticator's code, for a user with two-step sign-in;
	// without it such a session may only give it (POST /api/v1/login/code).
	Code string `json:"code,omitempty"`
}

// apiLogin signs in with JSON {"username","password"} and sets the session
// cookie; programs should prefer API tokens.
func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var in loginInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	sess, err := s.signIn(w, r, strings.ToLower(strings.TrimSpace(in.Username)), in.Password)
	if err != nil {
		return err
	}
	if err := s.knownPassword(r, sess, in.Password); err != nil {
		return err
	}
	if in.Code != "" {
		a := access.Actor{UserID: sess.User.ID, Name: sess.User.Name, Role: sess.User.Role, Addr: core.ClientAddr(r)}
		if err := s.store.GiveSecondFactor(r.Context(), a, sess.Secret, in.Code); err != nil {
			return err
		}
	}
	core.SetCookie(w, core.SessionCookie, sess.Secret, s.cfg.SecureCookies, 0)
	core.WriteJSON(w, http.StatusOK, toUserJSON(sess.User))
	return nil
}

// meJSON describes the caller.
type meJSON struct {
	ID           int64           `json:"id"`
	Name         string          `json:"name"`
	Role         access.Role     `json:"role"`
	RegionCode   string          `json:"region_code,omitempty"`
	DepartmentID int64           `json:"department_id,omitempty"`
	EnterpriseID int64           `json:"enterprise_id,omitempty"`
	May          map[string]bool `json:"may"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	may := map[string]bool{}
	for _, act := range access.Actions {
		may[string(act)] = access.May(a.Role, act)
	}
	core.WriteJSON(w, http.StatusOK, meJSON{ID: a.UserID, Name: a.Name, Role: a.Role, RegionCode: a.RegionCode,
		DepartmentID: a.DepartmentID, EnterpriseID: a.EnterpriseID, May: may})
	return nil
}

// maxUsername bounds a user name at the door: a longer one is no account's,
// and is answered as a wrong password is, without the cost of a hash.
const maxUsername = 64

// signIn checks a user name and password through the store, unless the
// client's address failed too often lately (429, see signIns); a failure is
// counted against the address.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, username, password string) (store.Session, error) {
	addr := core.ClientAddr(r)
	if blocked, wait := s.signIns.blocked(addr); blocked {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return store.Session{}, errTooManySignIns
	}
	var sess store.Session
	var err error = store.ErrBadLogin
	if utf8.RuneCountInString(username) <= maxUsername {
		sess, err = s.store.Login(r.Context(), username, password, addr, s.cfg.StaffIdle)
	}
	if k := fault.KindOf(err); k == fault.Unauthorized || k == fault.Locked {
		s.signIns.failed(addr)
	}
	return sess, err
}
