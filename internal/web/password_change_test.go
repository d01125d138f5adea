package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/demo"
)

// TestPasswordChangeRequired: outside demo mode, the demo's published
// password must be changed before anything else; so must a password an
// administrator set.
func TestPasswordChangeRequired(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		name := "known." + strings.ToLower(t.Name()[len(t.Name())-6:])
		if _, err := s.st.CreateUser(ctx, access.System("test"), account.User{Username: name, Name: "公开密码",
			Role: access.RoleLawyer}, demo.Password); err != nil {
			t.Fatal(err)
		}
		live := s.with(t, Config{}) // not a demo deployment
		c := live.freshLogin(t, name, demo.Password)
		if res := live.call(t, "GET", "/api/v1/departments", c, nil); res.code != http.StatusForbidden ||
			!strings.Contains(string(res.body), "password_change_required") {
			t.Fatalf("with the demo password outside demo mode: %d %s", res.code, res.body)
		}
		if res := live.call(t, "GET", "/departments", c, nil); res.code != http.StatusSeeOther ||
			!strings.HasPrefix(res.header.Get("Location"), "/account") {
			t.Errorf("a page: %d to %q, want a redirect to the account page", res.code, res.header.Get("Location"))
		}
		if res := live.call(t, "GET", "/account", c, nil); res.code != http.StatusOK {
			t.Errorf("the account page: %d", res.code)
		}
		res := live.call(t, "POST", "/account/password", c, formBody(url.Values{"current": {demo.Password}, "password": {"Qifu@2027new"}}))
		if res.code != http.StatusSeeOther {
			t.Fatalf("change the password: %d %.300s", res.code, res.body)
		}
		c = live.freshLogin(t, name, "Qifu@2027new")
		if res := live.call(t, "GET", "/api/v1/departments", c, nil); res.code != http.StatusOK {
			t.Errorf("after the change: %d", res.code)
		}

		// An account an administrator made: its user sets their own password first.
		made := name + ".b"
		if res := s.as(t, "admin", "POST", "/api/v1/users", jsonBody(userInput{Username: made, Name: "新用户",
			Role: access.RoleLawyer, Password: "Qifu@2027abc"})); res.code != http.StatusCreated {
			t.Fatalf("admin creates a user: %d %s", res.code, res.body)
		}
		c = s.freshLogin(t, made, "Qifu@2027abc")
		if res := s.call(t, "GET", "/api/v1/departments", c, nil); res.code != http.StatusForbidden {
			t.Errorf("a user with the administrator's password: %d", res.code)
		}
	})
}
