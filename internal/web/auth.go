package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// loginPageData is the sign-in page.
type loginPageData struct {
	base
	Username string
	Next     string
	Message  string
	Demo     []DemoAccount
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "login", &loginPageData{Next: safeNext(r.URL.Query().Get("next")), Demo: s.cfg.DemoAccounts})
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
		p.Message = fault.As(err).Message.In(langOf(r))
		s.render(w, r, status(k), "login", p)
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.knownPassword(r, sess, r.FormValue("password")); err != nil {
		return err
	}
	setCookie(w, sessionCookie, sess.Secret, s.cfg.SecureCookies, 0)
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
		Role: sess.User.Role, Addr: clientAddr(r)}, sess.User.ID, "publicly known password")
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	a, _ := actorOf(r)
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.store.Logout(r.Context(), c.Value, a); err != nil {
			return err
		}
	}
	clearCookie(w, sessionCookie, s.cfg.SecureCookies)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// apiLogin signs in with JSON {"username","password"} and sets the session
// cookie; programs should prefer API tokens.
func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	sess, err := s.signIn(w, r, strings.ToLower(strings.TrimSpace(in.Username)), in.Password)
	if err != nil {
		return err
	}
	if err := s.knownPassword(r, sess, in.Password); err != nil {
		return err
	}
	setCookie(w, sessionCookie, sess.Secret, s.cfg.SecureCookies, 0)
	writeJSON(w, http.StatusOK, toUserJSON(sess.User))
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
	a, _ := actorOf(r)
	may := map[string]bool{}
	for _, act := range access.Actions {
		may[string(act)] = access.May(a.Role, act)
	}
	writeJSON(w, http.StatusOK, meJSON{ID: a.UserID, Name: a.Name, Role: a.Role, RegionCode: a.RegionCode,
		DepartmentID: a.DepartmentID, EnterpriseID: a.EnterpriseID, May: may})
	return nil
}

// decode reads a JSON body strictly: unknown fields are refused, so a field
// a client may not set is never silently ignored.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if asMaxBytes(err, &mbe) {
			return err
		}
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if asMaxBytes(err, &mbe) {
			return err
		}
		return &fault.Error{Kind: fault.Invalid, Code: "bad_json",
			Message: fault.Msg{Zh: "请求内容在 JSON 之后还有多余的数据", En: "the body has data after the JSON value"}}
	}
	return nil
}

// jsonError says what is wrong with a request's JSON in the caller's terms:
// the field and the kind of value it takes, or where the text stops being
// JSON, never the decoder's words about Go types.
func jsonError(err error) error {
	e := &fault.Error{Kind: fault.Invalid, Code: "bad_json",
		Message: fault.Msg{Zh: "请求内容不是此接口接受的 JSON", En: "the body is not JSON this call takes"}}
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		zh, en := valueKind(typeErr.Type)
		e.Fields = map[string]fault.Msg{typeErr.Field: {Zh: "须为" + zh, En: "must be " + en}}
	case errors.As(err, &syntaxErr):
		e.Message = fault.Msg{Zh: fmt.Sprintf("请求内容不是有效的 JSON（第 %d 个字节处）", syntaxErr.Offset),
			En: fmt.Sprintf("the body is not valid JSON (at byte %d)", syntaxErr.Offset)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		e.Fields = map[string]fault.Msg{field: {Zh: "此接口没有这个字段", En: "this call has no such field"}}
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		e.Message = fault.Msg{Zh: "请求内容为空或不完整", En: "the body is empty or cut short"}
	}
	return e
}

// valueKind names the kind of JSON value a Go type takes.
func valueKind(t reflect.Type) (zh, en string) {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "数字", "a number"
	case reflect.String:
		return "文本", "text"
	case reflect.Bool:
		return "true 或 false", "true or false"
	case reflect.Slice, reflect.Array:
		return "列表", "a list"
	}
	return "对象", "an object"
}

// maxUsername bounds a user name at the door: a longer one is no account's,
// and is answered as a wrong password is, without the cost of a hash.
const maxUsername = 64

// signIn checks a user name and password through the store, unless the
// client's address failed too often lately (429, see signIns); a failure is
// counted against the address.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, username, password string) (store.Session, error) {
	addr := clientAddr(r)
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
