package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
)

func TestCSVCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"张三", "张三"},
		{"login", "login"},
		{"=1+1", "'=1+1"},
		{"+86 139", "'+86 139"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"a=1", "a=1"},
	}
	for _, tt := range tests {
		if got := csvCell(tt.in); got != tt.want {
			t.Errorf("csvCell(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestAuditCSVInjection signs in with a user name that is a formula, then
// downloads the audit log as CSV: the name is there, as text.
func TestAuditCSVInjection(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *site) {
		formula := `=HYPERLINK("http://example.com/","打开")`
		s.call(t, "POST", "/api/v1/login", nil, jsonBody(map[string]string{"username": formula, "password": "x"}))
		res := s.call(t, "GET", "/audit/export.csv?action=login", s.login(t, "auditor"), nil)
		if res.code != http.StatusOK {
			t.Fatalf("export: %d %s", res.code, res.body)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.body, []byte("\xef\xbb\xbf")))).ReadAll()
		if err != nil {
			t.Fatalf("the export is not CSV: %v", err)
		}
		found := false
		for _, row := range rows {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("a cell a spreadsheet would run: %q", cell)
				}
				if strings.EqualFold(cell, "'"+formula) { // user names are kept in lower case
					found = true
				}
			}
		}
		if !found {
			t.Errorf("the formula-like user name is not in the export as text (%d rows)", len(rows))
		}
	})
}

// TestNoSilentDefaults: a field the request is for that is missing is
// refused by name, never taken as zero or reported under another field.
func TestNoSilentDefaults(t *testing.T) {
	t.Parallel()
	eachFreshStore(t, func(t *testing.T, s *site) {
		admin := s.login(t, "admin")
		if res := s.call(t, "PUT", "/api/v1/appeal-settings", admin, jsonBody(map[string]int{"max_redo": 2})); res.code != http.StatusOK {
			t.Fatalf("set max_redo: %d %s", res.code, res.body)
		}
		res := s.call(t, "PUT", "/api/v1/appeal-settings", admin, jsonBody(map[string]int{}))
		wantError(t, "PUT appeal-settings {}", res, http.StatusUnprocessableEntity, "")
		if !strings.Contains(string(res.body), `"max_redo"`) {
			t.Errorf("PUT appeal-settings {}: %s, want a message for max_redo", res.body)
		}
		var got struct {
			MaxRedo int `json:"max_redo"`
		}
		s.call(t, "GET", "/api/v1/appeal-settings", admin, nil).json(t, &got)
		if got.MaxRedo != 2 {
			t.Errorf("after PUT {}, max_redo = %d; want 2 unchanged", got.MaxRedo)
		}
		res = s.call(t, "POST", "/api/v1/webhooks", admin, jsonBody(map[string]string{"scope_kind": "department", "scope": "1",
			"url": "https://oapi.dingtalk.com/robot/send?access_token=x"}))
		wantError(t, "POST webhooks without format", res, http.StatusUnprocessableEntity, "")
		if !strings.Contains(string(res.body), `"format"`) || strings.Contains(string(res.body), `"url"`) {
			t.Errorf("a webhook without its format: %s, want a message for format and none for url", res.body)
		}
	})
}
