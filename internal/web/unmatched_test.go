package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"strings"
	"testing"
	"time"
)

// TestUnmatchedRoutes: a request no route takes is answered as every error
// is: the API's JSON error shape, or the error page with the layout.
func TestUnmatchedRoutes(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *site) {
		res := s.call(t, "GET", "/api/v1/no-such-thing", nil, nil)
		if res.code != http.StatusNotFound || res.errorCode(t) != "no_route" {
			t.Errorf("GET an unknown API route: %d %s, want the JSON 404", res.code, res.body)
		}
		res = s.call(t, "DELETE", "/api/v1/appeals", nil, nil)
		if res.code != http.StatusMethodNotAllowed || res.errorCode(t) != "method_not_allowed" {
			t.Errorf("DELETE /api/v1/appeals: %d %s, want the JSON 405", res.code, res.body)
		}
		if allow := res.header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
			t.Errorf("DELETE /api/v1/appeals: Allow %q, want GET and POST", allow)
		}
		res = s.call(t, "GET", "/no-such-page", nil, nil)
		if res.code != http.StatusNotFound || !strings.Contains(string(res.body), `class="top"`) {
			t.Errorf("GET an unknown page: %d, want the error page with the layout:\n%.300s", res.code, res.body)
		}
	})
}

// TestJSONErrorsInCallersTerms: a body the call cannot take is refused with
// the field and the kind of value it takes, never the decoder's Go words.
func TestJSONErrorsInCallersTerms(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *site) {
		admin := s.login(t, "admin")
		for _, c := range []struct{ body, field string }{
			{`{"max_redo":"two"}`, "max_redo"},
			{`{"max_redo":1,"redo":2}`, "redo"},
			{`{"max_redo":`, ""},
			{``, ""},
		} {
			res := s.call(t, "PUT", "/api/v1/appeal-settings", admin, &body{"application/json", []byte(c.body)})
			if res.code != http.StatusUnprocessableEntity || res.errorCode(t) != "bad_json" {
				t.Errorf("%s: %d %s, want 422 bad_json", c.body, res.code, res.body)
				continue
			}
			for _, leak := range []string{"Go ", "struct", "json:", "int"} {
				if strings.Contains(string(res.body), leak) {
					t.Errorf("%s: the answer speaks of %q: %s", c.body, leak, res.body)
				}
			}
			if c.field != "" && !strings.Contains(string(res.body), `"`+c.field+`":`) {
				t.Errorf("%s: no message for %s: %s", c.body, c.field, res.body)
			}
		}
	})
}

// TestNextYearWarning: from November, an administrator's home page and the
// calendar page say that the next year's holidays are not entered, until a
// holiday of that year is.
func TestNextYearWarning(t *testing.T) {
	t.Parallel()
	eachFreshStore(t, func(t *testing.T, s *site) {
		admin := s.login(t, "admin")
		now := time.Now()
		next := now.In(calendar.Shanghai).Year() + 1
		warned := calendar.NextYearMissing(now, calendar.Official()) != 0
		for _, path := range []string{"/", "/calendar"} {
			res := s.call(t, "GET", path, admin, nil)
			if got := bytes.Contains(res.body, []byte(`id="next-year"`)); got != warned {
				t.Errorf("%s on %s: warning shown %v, want %v", path, now.Format(time.DateOnly), got, warned)
			}
		}
		if res := s.call(t, "GET", "/", s.login(t, "community"), nil); bytes.Contains(res.body, []byte(`id="next-year"`)) {
			t.Error("the community's home page warns of the calendar, which is the administrators'")
		}
		date := fmt.Sprintf("%d-01-01", next)
		res := s.call(t, "PUT", "/api/v1/calendar/days/"+date, admin, jsonBody(map[string]string{"kind": "holiday", "name": "元旦"}))
		if res.code != http.StatusOK {
			t.Fatalf("enter %s: %d %s", date, res.code, res.body)
		}
		for _, path := range []string{"/", "/calendar"} {
			if res := s.call(t, "GET", path, admin, nil); bytes.Contains(res.body, []byte(`id="next-year"`)) {
				t.Errorf("%s still warns after %d's 元旦 was entered", path, next)
			}
		}
	})
}

// TestLongUserName: a user name longer than any account's is answered as a
// wrong password is, before the store (the audit log bounds what it keeps
// of whatever does reach it: TestAuditBounded).
func TestLongUserName(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *site) {
		res := s.call(t, "POST", "/api/v1/login", nil, jsonBody(map[string]string{"username": strings.Repeat("a", 900_000), "password": "x"}))
		if res.code != http.StatusUnauthorized || res.errorCode(t) != "bad_credentials" {
			t.Errorf("a 900,000-character user name: %d %.200s, want 401 bad_credentials", res.code, res.body)
		}
	})
}

// TestSignInThrottle: an address that failed its budget of sign-ins is
// answered 429 before the store, whatever name it tries next; another
// address is not.
func TestSignInThrottle(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *site) {
		g := s.with(t, Config{DemoAccounts: nil, DenialBudget: 1 << 30, SignInBudget: 3})
		wrong := map[string]string{"username": "nobody-at-all", "password": "Wrong@2026x"}
		for i := range 3 {
			if res := g.call(t, "POST", "/api/v1/login", nil, jsonBody(wrong)); res.code != http.StatusUnauthorized {
				t.Fatalf("failed sign-in %d: %d %s", i+1, res.code, res.body)
			}
		}
		res := g.call(t, "POST", "/api/v1/login", nil, jsonBody(map[string]string{"username": "grid", "password": demo.Password}))
		if res.code != http.StatusTooManyRequests || res.errorCode(t) != "too_many_sign_ins" || res.header.Get("Retry-After") == "" {
			t.Errorf("after the budget: %d %s (Retry-After %q), want 429 too_many_sign_ins", res.code, res.body, res.header.Get("Retry-After"))
		}
		page := g.call(t, "POST", "/login", nil, formBody(url.Values{"username": {"grid"}, "password": {demo.Password}}))
		if page.code != http.StatusTooManyRequests {
			t.Errorf("the sign-in page after the budget: %d, want 429", page.code)
		}
		// The shared server, another instance, counts its own.
		if res := s.call(t, "POST", "/api/v1/login", nil, jsonBody(map[string]string{"username": "grid", "password": demo.Password})); res.code != http.StatusOK {
			t.Errorf("another instance refused a right password: %d %s", res.code, res.body)
		}
	})
}
