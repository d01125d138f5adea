package web

import (
	"bytes"
	"fmt"
	"net/http"
	"qifu/internal/appeal/appealweb"
	"testing"
)

// TestDenialsAudited checks that refusals leave a trace: a 403, and a 404 of
// an attempted change on a record out of the caller's scope.
func TestDenialsAudited(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		before := s.auditTotal(t, "action=denied")
		if res := s.as(t, "community", "GET", "/audit", nil); res.code != http.StatusForbidden {
			t.Fatalf("community opens the audit log: %d", res.code)
		}
		a := s.raise(t, "越权检查")
		path := fmt.Sprintf("/api/v1/appeals/%d/actions/note", a.ID)
		if res := s.as(t, "dept_market", "POST", path, jsonBody(appealweb.ActionInput{Version: a.Version, Note: "越权"})); res.code != http.StatusNotFound {
			t.Fatalf("a department never sent the appeal writes a note: %d", res.code)
		}
		// A 404 of a plain read is not a denial worth recording.
		s.as(t, "dept_market", "GET", fmt.Sprintf("/api/v1/appeals/%d", a.ID), nil)
		if got := s.auditTotal(t, "action=denied") - before; got != 2 {
			t.Errorf("%d denials recorded, want 2", got)
		}
	})
}

// TestFieldsNotSettable sends fields the caller may not set — an appeal's
// state, version, lead department, number or place in its creation, a state
// in a step — and checks each is refused whole, with nothing changed.
func TestFieldsNotSettable(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		in := appealInput("越权字段")
		body := map[string]any{"channel": in.Channel, "type": in.Type, "category": in.Category, "title": in.Title,
			"content": in.Content, "credit_code": in.CreditCode, "contact": in.Contact, "phone": in.Phone}
		for _, field := range []string{"state", "version", "lead_department", "number", "grid_code", "raised_by"} {
			b := map[string]any{}
			for k, v := range body {
				b[k] = v
			}
			b[field] = "x"
			res := s.as(t, "enterprise", "POST", "/api/v1/appeals", jsonBody(b))
			if res.code != http.StatusUnprocessableEntity || !bytes.Contains(res.body, []byte("bad_json")) {
				t.Errorf("creation with %q: %d %.200s", field, res.code, res.body)
			}
		}
		a := s.raise(t, "越权字段步骤")
		path := fmt.Sprintf("/api/v1/appeals/%d/actions/accept", a.ID)
		res := s.as(t, "community", "POST", path, jsonBody(map[string]any{"version": a.Version, "state": "closed"}))
		if res.code != http.StatusUnprocessableEntity {
			t.Errorf("a step with a state: %d %.200s", res.code, res.body)
		}
		var v appealweb.AppealJSON
		s.as(t, "community", "GET", fmt.Sprintf("/api/v1/appeals/%d", a.ID), nil).json(t, &v)
		if v.State != "submitted" || v.Version != a.Version {
			t.Errorf("after the refused calls: state %s version %d; want submitted %d", v.State, v.Version, a.Version)
		}
	})
}
