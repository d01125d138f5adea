package web

import (
	"net/http"
	"strings"
	"testing"
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
