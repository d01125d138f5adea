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

// TestRoleChangeNextRequest checks that a change of a user's role or region
// applies on the user's very next request with the session they have, and
// that disabling them ends it.
func TestRoleChangeNextRequest(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		// A grid worker far from the showcase, moved within their street.
		var street string
		for _, r := range dataset.Regions {
			if parentOf[r.Code] == parentOf[showStreet] && r.Code != showStreet {
				street = r.Code
				break
			}
		}
		workers := gridUsers(street)
		if len(workers) < 2 {
			t.Fatalf("street %s has %d grid workers", street, len(workers))
		}
		u, other := workers[0], workers[1]
		id := s.userID(t, u.Username)
		cookie := s.freshLogin(t, u.Username, demo.Password)
		res := s.call(t, "POST", "/api/v1/tokens", cookie, jsonBody(map[string]string{"name": "role change"}))
		var tok tokenJSON
		res.json(t, &tok)
		bearer := []string{"Authorization", "Bearer " + tok.Secret}

		// sees checks what the session sees now: its role and the enterprises
		// of the scope the oracle gives the account as it now is.
		sees := func(as demo.User) {
			t.Helper()
			var me meJSON
			s.call(t, "GET", "/api/v1/me", cookie, nil).json(t, &me)
			if me.Role != as.Role || me.RegionCode != as.RegionCode {
				t.Errorf("me: %s in %s, want %s in %s", me.Role, me.RegionCode, as.Role, as.RegionCode)
			}
			got := map[string]bool{}
			for page := 1; ; page++ {
				res := s.call(t, "GET", fmt.Sprintf("/api/v1/enterprises?size=200&page=%d", page), cookie, nil)
				var l core.List[enterpriseJSON]
				res.json(t, &l)
				for _, e := range l.Items {
					got[e.CreditCode] = true
				}
				if len(l.Items) < 200 {
					break
				}
			}
			sameSet(t, fmt.Sprintf("enterprises of %s in %s", as.Role, as.RegionCode), got, scopeOf(as).codes(access.EnterpriseRead))
		}
		change := func(role access.Role, region string) demo.User {
			t.Helper()
			var cur userJSON
			s.as(t, "admin", "GET", fmt.Sprintf("/api/v1/users/%d", id), nil).json(t, &cur)
			in := userInput{Name: cur.Name, Phone: cur.Phone, Role: role, RegionCode: region, Version: cur.Version}
			res := s.as(t, "admin", "PUT", fmt.Sprintf("/api/v1/users/%d", id), jsonBody(in))
			if res.code != http.StatusOK {
				t.Fatalf("change %s to %s in %s: %d %s", u.Username, role, region, res.code, res.body)
			}
			as := u
			as.Role, as.RegionCode = role, region
			return as
		}

		sees(u)
		sees(change(access.RoleGridWorker, other.RegionCode))
		sees(change(access.RoleCommunityStaff, parentOf[u.RegionCode]))
		sees(change(access.RoleStreetLeader, street))
		// A role that reads no enterprises, then back.
		lawyer := change(access.RoleLawyer, "")
		if res := s.call(t, "GET", "/api/v1/regions", cookie, nil); res.code != http.StatusForbidden {
			t.Errorf("as a lawyer, GET /api/v1/regions: %d, want 403", res.code)
		}
		sees(lawyer)
		sees(change(access.RoleGridWorker, u.RegionCode))
		if res := s.call(t, "GET", "/api/v1/me", nil, nil, bearer...); res.code != http.StatusOK {
			t.Errorf("token before disabling: %d", res.code)
		}

		// Disabled: the very next request is refused, by session or token.
		if res := s.as(t, "admin", "POST", fmt.Sprintf("/api/v1/users/%d/disable", id), nil); res.code != http.StatusNoContent {
			t.Fatalf("disable: %d %s", res.code, res.body)
		}
		if res := s.call(t, "GET", "/api/v1/me", cookie, nil); res.code != http.StatusUnauthorized || res.errorCode(t) != "signed_out" {
			t.Errorf("disabled, GET /api/v1/me: %d %s, want 401", res.code, res.body)
		}
		if res := s.call(t, "GET", "/enterprises", cookie, nil); res.code != http.StatusSeeOther ||
			!strings.HasPrefix(res.header.Get("Location"), "/login") {
			t.Errorf("disabled, GET /enterprises: %d to %q, want a redirect to /login", res.code, res.header.Get("Location"))
		}
		if res := s.call(t, "GET", "/api/v1/me", nil, nil, bearer...); res.code != http.StatusUnauthorized {
			t.Errorf("disabled, token: %d, want 401", res.code)
		}
		res = s.call(t, "POST", "/api/v1/login", nil, jsonBody(map[string]string{"username": u.Username, "password": demo.Password}))
		if res.code != http.StatusUnauthorized {
			t.Errorf("disabled, sign-in: %d, want 401", res.code)
		}

		// Enabled again: the ended session stays ended; signing in works.
		if res := s.as(t, "admin", "POST", fmt.Sprintf("/api/v1/users/%d/enable", id), nil); res.code != http.StatusNoContent {
			t.Fatalf("enable: %d %s", res.code, res.body)
		}
		if res := s.call(t, "GET", "/api/v1/me", cookie, nil); res.code != http.StatusUnauthorized {
			t.Errorf("enabled again, the old session: %d, want 401", res.code)
		}
		cookie = s.freshLogin(t, u.Username, demo.Password)
		sees(u)
	})
}
