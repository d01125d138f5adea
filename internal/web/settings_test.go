package web

import (
	"bytes"
	"net/http"
	"net/url"
	"testing"
)

// TestSettings sets a category, a time-limit rule and a group robot through
// the settings page, and sees a refused form come back with its message.
func TestSettings(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		post := func(path string, v url.Values) result {
			t.Helper()
			return s.as(t, "admin", "POST", path, formBody(v))
		}
		if res := post("/settings/categories", url.Values{"code": {"labour.fair"}, "parent": {"labour"}, "name": {"招聘会"},
			"departments": {"hrss", "union"}}); res.code != http.StatusSeeOther {
			t.Fatalf("save a category: %d %.300s", res.code, res.body)
		}
		res := post("/settings/categories", url.Values{"code": {"Fair!"}, "name": {""}})
		if res.code != http.StatusUnprocessableEntity || !bytes.Contains(res.body, []byte("代码只能用小写字母")) {
			t.Errorf("a bad category: %d, without the message", res.code)
		}
		if res := post("/settings/limits", url.Values{"category": {"labour.fair"}, "type": {"help"}, "step": {"handle"},
			"n": {"7"}, "unit": {"days"}}); res.code != http.StatusSeeOther {
			t.Fatalf("set a rule: %d %.300s", res.code, res.body)
		}
		if res := post("/settings/limits", url.Values{"step": {"handle"}, "n": {"seven"}}); res.code != http.StatusUnprocessableEntity {
			t.Errorf("a rule without a number: %d", res.code)
		}
		if res := post("/settings/webhooks", url.Values{"scope_kind": {"region"}, "scope": {"330206001001"}, "format": {"dingtalk"},
			"url": {"http://example.com/robot"}}); res.code != http.StatusUnprocessableEntity {
			t.Errorf("a plain-http robot: %d", res.code)
		}
		page := s.as(t, "admin", "GET", "/settings", nil)
		for _, want := range []string{"招聘会", "labour.fair", "7 个工作日"} {
			if !bytes.Contains(page.body, []byte(want)) {
				t.Errorf("the settings page lacks %q", want)
			}
		}
		if res := s.as(t, "community", "GET", "/settings", nil); res.code != http.StatusForbidden {
			t.Errorf("community opens the settings: %d", res.code)
		}
		// The new category is offered on the raise form.
		if form := s.as(t, "enterprise", "GET", "/appeals/new", nil); !bytes.Contains(form.body, []byte(`value="labour.fair"`)) {
			t.Errorf("the raise form does not offer the new category")
		}
	})
}
