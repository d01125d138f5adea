package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/web/core"
)

// TestGatedRoutes calls every gated route as a role without its action,
// with a body nothing would accept: the door refuses it (403) before the
// handler reads anything, once for every such route, and the refusal is
// the JSON error on the API and a page elsewhere.
func TestGatedRoutes(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *site) {
		n := 0
		for _, rt := range (&Server{}).routes() {
			if rt.Auth != core.Gated {
				continue
			}
			n++
			var who string
			for _, u := range dataset.Accounts() {
				if !access.May(u.Role, rt.Action) {
					who = u.Username
					break
				}
			}
			if who == "" {
				t.Errorf("%s %s: every role has %s", rt.Method, rt.Path, rt.Action)
				continue
			}
			path := strings.NewReplacer("{id}", "1", "{date}", "2027-01-01").Replace(rt.Path)
			var b *body
			if rt.Method != "GET" {
				b = &body{"application/json", []byte("{not json")}
			}
			res := s.call(t, rt.Method, path, s.login(t, who), b)
			what := fmt.Sprintf("%s %s as %s", rt.Method, path, who)
			if res.code != http.StatusForbidden {
				t.Errorf("%s: %d %s, want 403", what, res.code, res.body)
			} else if strings.HasPrefix(path, "/api/") && res.errorCode(t) != "forbidden" {
				t.Errorf("%s: %s, want the forbidden error", what, res.body)
			}
		}
		if n == 0 {
			t.Error("no route is gated")
		}
	})
}

// TestTokenMintsNoToken: a token is created in a signed-in session; a
// request signed with a token is refused one (403), so that a leaked token
// cannot make others that outlive its revocation.
func TestTokenMintsNoToken(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *site) {
		cookie := s.freshLogin(t, "grid", demo.Password)
		var tok tokenJSON
		s.call(t, "POST", "/api/v1/tokens", cookie, jsonBody(map[string]string{"name": "mint"})).json(t, &tok)
		if tok.Secret == "" {
			t.Fatal("no token created in the session")
		}
		res := s.call(t, "POST", "/api/v1/tokens", nil, jsonBody(map[string]string{"name": "minted"}),
			"Authorization", "Bearer "+tok.Secret)
		if res.code != http.StatusForbidden || res.errorCode(t) != "token_by_token" {
			t.Errorf("a token minted a token: %d %s", res.code, res.body)
		}
		if res := s.call(t, "GET", "/api/v1/me", nil, nil, "Authorization", "Bearer "+tok.Secret); res.code != http.StatusOK {
			t.Errorf("the token itself no longer works: %d %s", res.code, res.body)
		}
	})
}
