package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/department"
	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// userJSON is a user in the API; the password hash never leaves the store.
type userJSON struct {
	ID           int64       `json:"id"`
	Username     string      `json:"username"`
	Name         string      `json:"name"`
	Phone        string      `json:"phone"`
	Role         access.Role `json:"role"`
	RegionCode   string      `json:"region_code,omitempty"`
	DepartmentID int64       `json:"department_id,omitempty"`
	EnterpriseID int64       `json:"enterprise_id,omitempty"`
	OfficeID     int64       `json:"office_id,omitempty"`
	HomeUnit     string      `json:"home_unit,omitempty"`
	Disabled     bool        `json:"disabled"`
	Locked       bool        `json:"locked"`
	Version      int64       `json:"version"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

func toUserJSON(u account.User) userJSON {
	return userJSON{ID: u.ID, Username: u.Username, Name: u.Name, Phone: u.Phone, Role: u.Role, RegionCode: u.RegionCode,
		DepartmentID: u.DepartmentID, EnterpriseID: u.EnterpriseID, OfficeID: u.OfficeID, HomeUnit: u.HomeUnit, Disabled: u.Disabled,
		Locked: u.LockedUntil.After(time.Now()), Version: u.Version, UpdatedAt: u.UpdatedAt.UTC()}
}

// userInput is what an administrator may set on a user.
type userInput struct {
	Username     string      `json:"username"`
	Name         string      `json:"name"`
	Phone        string      `json:"phone"`
	Role         access.Role `json:"role"`
	RegionCode   string      `json:"region_code"`
	DepartmentID int64       `json:"department_id"`
	EnterpriseID int64       `json:"enterprise_id"`
	OfficeID     int64       `json:"office_id,omitempty"` // department staff of an office
	HomeUnit     string      `json:"home_unit,omitempty"` // cadres: the unit that sent them (派出单位)
	Password     string      `json:"password,omitempty"`  // on create only
	Version      int64       `json:"version,omitempty"`   // on update only
}

func (in userInput) user() account.User {
	return account.User{Username: in.Username, Name: in.Name, Phone: in.Phone, Role: in.Role, RegionCode: in.RegionCode,
		DepartmentID: in.DepartmentID, EnterpriseID: in.EnterpriseID, OfficeID: in.OfficeID, HomeUnit: in.HomeUnit}
}

func userQuery(r *http.Request) store.UserQuery {
	q := r.URL.Query()
	return store.UserQuery{Role: access.Role(q.Get("role")), Text: q.Get("q"), Disabled: q.Get("disabled"), Page: core.PageOf(r)}
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := userQuery(r)
	list, total, err := s.store.Users(r.Context(), a, q)
	if err != nil {
		return err
	}
	out := core.List[userJSON]{Items: []userJSON{}, Total: total, Page: q.Page.Number, Size: core.PageSize(q.Page)}
	for _, u := range list {
		out.Items = append(out.Items, toUserJSON(u))
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiUser(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.store.User(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, toUserJSON(u))
	return nil
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in userInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	u, err := s.store.CreateUser(r.Context(), a, in.user(), in.Password)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+itoa(u.ID))
	core.WriteJSON(w, http.StatusCreated, toUserJSON(u))
	return nil
}

func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in userInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if in.Version <= 0 {
		return core.ErrVersionRequired
	}
	if _, err := s.store.UpdateUser(r.Context(), a, id, in.Version, in.user()); err != nil {
		return err
	}
	u, err := s.store.User(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, toUserJSON(u))
	return nil
}

// passwordInput is a new password set by an administrator.
type passwordInput struct {
	Password string `json:"password"`
}

func (s *Server) apiResetPassword(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in passwordInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if err := s.store.SetPassword(r.Context(), a, id, in.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiDisableUser(w http.ResponseWriter, r *http.Request) error {
	return s.apiSetDisabled(w, r, true)
}
func (s *Server) apiEnableUser(w http.ResponseWriter, r *http.Request) error {
	return s.apiSetDisabled(w, r, false)
}

func (s *Server) apiSetDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.SetDisabled(r.Context(), a, id, disabled); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// usersPageData is the user list.
type usersPageData struct {
	core.Base
	Query     store.UserQuery
	Items     []account.User
	Pager     core.Pager
	Roles     []access.Role
	CanManage bool
	Now       time.Time
	Regions   map[string]string // the names of the users' regions
	Profile   account.Profile   // the password profile in force (shown to those who manage users)
	Profiles  []account.Profile
}

// Region names a user's region, or gives its code when it has no name.
func (p *usersPageData) Region(code string) string {
	if n, ok := p.Regions[code]; ok {
		return n
	}
	return code
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := userQuery(r)
	list, total, err := s.store.Users(r.Context(), a, q)
	if err != nil {
		return err
	}
	p := &usersPageData{Query: q, Items: list, Pager: core.NewPager(r, q.Page, total), Roles: access.Roles,
		CanManage: access.May(a.Role, access.UserManage), Now: time.Now()}
	if p.CanManage {
		if p.Profile, err = s.store.PasswordProfile(r.Context()); err != nil {
			return err
		}
		p.Profiles = account.Profiles
	}
	if access.May(a.Role, access.RegionRead) {
		var codes []string
		for _, u := range list {
			if u.RegionCode != "" {
				codes = append(codes, u.RegionCode)
			}
		}
		if p.Regions, err = s.store.RegionNames(r.Context(), a, codes); err != nil {
			return err
		}
	}
	p.Title = s.T(core.LangOf(r), "users.title")
	s.Render(w, r, http.StatusOK, "users", p)
	return nil
}

// userFormData is the form to create or edit a user.
type userFormData struct {
	core.Base
	U           account.User
	New         bool
	Action      string
	Roles       []access.Role
	Departments []department.Department
	Offices     []department.Office
	CanManage   bool
	Now         time.Time
	// A connected system's account: its API tokens, and the secret of one
	// just created (shown once).
	Tokens []store.Token
	Secret string
}

func (s *Server) userForm(r *http.Request, p *userFormData) error {
	a, _ := core.ActorOf(r)
	depts, err := s.store.Departments(r.Context(), a)
	if err != nil {
		return err
	}
	p.Departments, p.Roles, p.CanManage, p.Now = depts, access.Roles, access.May(a.Role, access.UserManage), time.Now()
	if p.Offices, err = s.store.Offices(r.Context()); err != nil {
		return err
	}
	return nil
}

func (s *Server) newUserPage(w http.ResponseWriter, r *http.Request) error {
	p := &userFormData{New: true, Action: "/users"}
	if err := s.userForm(r, p); err != nil {
		return err
	}
	p.Title = s.T(core.LangOf(r), "users.new")
	s.Render(w, r, http.StatusOK, "user", p)
	return nil
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.store.User(r.Context(), a, id)
	if err != nil {
		return err
	}
	return s.renderUser(w, r, a, &userFormData{U: u, Action: "/users/" + itoa(id)})
}

// renderUser shows a user's page; a connected system's lists its tokens.
func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, a access.Actor, p *userFormData) error {
	if err := s.userForm(r, p); err != nil {
		return err
	}
	if p.U.Role == access.RoleService && p.CanManage {
		var err error
		if p.Tokens, err = s.store.ServiceTokens(r.Context(), a, p.U.ID); err != nil {
			return err
		}
	}
	p.Title = p.U.Name
	s.Render(w, r, http.StatusOK, "user", p)
	return nil
}

// createServiceTokenPage creates an API token for a connected system and
// shows its secret once, on the account's page.
func (s *Server) createServiceTokenPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	secret, _, err := s.store.CreateServiceToken(r.Context(), a, id, r.FormValue("name"))
	u, uerr := s.store.User(r.Context(), a, id)
	if uerr != nil {
		return uerr
	}
	p := &userFormData{U: u, Action: "/users/" + itoa(id), Secret: secret}
	if err != nil {
		m, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		p.Errors = m
	}
	return s.renderUser(w, r, a, p)
}

// revokeServiceTokenPage revokes a connected system's token.
func (s *Server) revokeServiceTokenPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	tid, err := core.PathID(r, "token")
	if err != nil {
		return err
	}
	tokens, err := s.store.ServiceTokens(r.Context(), a, id)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(tokens, func(t store.Token) bool { return t.ID == tid }) {
		return fault.ErrNotFound
	}
	if err := s.store.RevokeToken(r.Context(), a, tid); err != nil {
		return err
	}
	s.Done(w, r, "/users/"+itoa(id)+"#tokens", "flash.deleted", "")
	return nil
}

func (s *Server) apiServiceTokens(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.store.ServiceTokens(r.Context(), a, id)
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

func (s *Server) apiCreateServiceToken(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in tokenInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	secret, t, err := s.store.CreateServiceToken(r.Context(), a, id, in.Name)
	if err != nil {
		return err
	}
	out := toTokenJSON(t)
	out.Secret = secret
	core.WriteJSON(w, http.StatusCreated, out)
	return nil
}

func userFromForm(r *http.Request) account.User {
	dept, _ := strconv.ParseInt(r.FormValue("department_id"), 10, 64)
	ent, _ := strconv.ParseInt(r.FormValue("enterprise_id"), 10, 64)
	office, _ := strconv.ParseInt(r.FormValue("office_id"), 10, 64)
	return account.User{Username: r.FormValue("username"), Name: strings.TrimSpace(r.FormValue("name")),
		Phone: strings.TrimSpace(r.FormValue("phone")), Role: access.Role(r.FormValue("role")),
		RegionCode: strings.TrimSpace(r.FormValue("region_code")), DepartmentID: dept, EnterpriseID: ent,
		OfficeID: office, HomeUnit: strings.TrimSpace(r.FormValue("home_unit"))}
}

func (s *Server) createUserPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	u := userFromForm(r)
	created, err := s.store.CreateUser(r.Context(), a, u, r.FormValue("password"))
	if err != nil {
		m, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		p := &userFormData{U: u, New: true, Action: "/users"}
		if err := s.userForm(r, p); err != nil {
			return err
		}
		p.Errors = m
		s.Render(w, r, http.StatusUnprocessableEntity, "user", p)
		return nil
	}
	s.Done(w, r, "/users/"+itoa(created.ID), "flash.created", "")
	return nil
}

func (s *Server) updateUserPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64)
	if version <= 0 {
		return core.ErrVersionRequired
	}
	u := userFromForm(r)
	if _, err := s.store.UpdateUser(r.Context(), a, id, version, u); err != nil {
		m, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		u.ID, u.Version = id, version
		p := &userFormData{U: u, Action: "/users/" + itoa(id)}
		if err := s.userForm(r, p); err != nil {
			return err
		}
		p.Errors = m
		s.Render(w, r, http.StatusUnprocessableEntity, "user", p)
		return nil
	}
	s.Done(w, r, "/users/"+itoa(id), "flash.saved", "")
	return nil
}

func (s *Server) resetPasswordPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(r.Context(), a, id, r.FormValue("password")); err != nil {
		return err
	}
	s.Done(w, r, "/users/"+itoa(id), "flash.saved", "")
	return nil
}

func (s *Server) disableUserPage(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabledPage(w, r, true)
}
func (s *Server) enableUserPage(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabledPage(w, r, false)
}

func (s *Server) setDisabledPage(w http.ResponseWriter, r *http.Request, disabled bool) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.SetDisabled(r.Context(), a, id, disabled); err != nil {
		return err
	}
	s.Done(w, r, "/users/"+itoa(id), "flash.saved", "")
	return nil
}

// setPasswordProfilePage chooses the password profile from the users page.
func (s *Server) setPasswordProfilePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := s.store.SetPasswordProfile(r.Context(), a, account.Profile(r.FormValue("profile"))); err != nil {
		return err
	}
	s.Done(w, r, "/users#password-profile", "flash.saved", "")
	return nil
}

// profileJSON is the password profile in force and the ones there are.
type profileJSON struct {
	Profile  account.Profile   `json:"profile"`
	Profiles []account.Profile `json:"profiles"`
}

// profileInput chooses a password profile.
type profileInput struct {
	Profile account.Profile `json:"profile"`
}

func (s *Server) apiPasswordProfile(w http.ResponseWriter, r *http.Request) error {
	p, err := s.store.PasswordProfile(r.Context())
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, profileJSON{Profile: p, Profiles: account.Profiles})
	return nil
}

func (s *Server) apiSetPasswordProfile(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in profileInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if err := s.store.SetPasswordProfile(r.Context(), a, in.Profile); err != nil {
		return err
	}
	return s.apiPasswordProfile(w, r)
}
