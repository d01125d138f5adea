package web

import (
	"fmt"
	"net/http"
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
		if res := s.as(t, "dept_market", "POST", path, jsonBody(actionInput{Version: a.Version, Note: "越权"})); res.code != http.StatusNotFound {
			t.Fatalf("a department never sent the appeal writes a note: %d", res.code)
		}
		// A 404 of a plain read is not a denial worth recording.
		s.as(t, "dept_market", "GET", fmt.Sprintf("/api/v1/appeals/%d", a.ID), nil)
		if got := s.auditTotal(t, "action=denied") - before; got != 2 {
			t.Errorf("%d denials recorded, want 2", got)
		}
	})
}
