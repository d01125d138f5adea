package web

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestExportAppeals exports the community's list: the new appeal is in it,
// with a header row, and a department it was never dispatched to exports
// nothing of it.
func TestExportAppeals(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		a := s.raise(t, "导出检查")
		rowsOf := func(username string) [][]string {
			t.Helper()
			res := s.as(t, username, "GET", "/appeals/export.xlsx?queue=all", nil)
			if res.code != http.StatusOK {
				t.Fatalf("export as %s: %d", username, res.code)
			}
			f, err := excelize.OpenReader(bytes.NewReader(res.body))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(f.GetSheetName(0))
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		has := func(rows [][]string) bool {
			for _, r := range rows[1:] {
				if len(r) > 1 && r[0] == a.Number {
					return true
				}
			}
			return false
		}
		if rows := rowsOf("community"); rows[0][0] != "编号" || !has(rows) {
			t.Errorf("the community's export lacks the new appeal (%d rows)", len(rows))
		}
		if rows := rowsOf("dept_market"); has(rows) {
			t.Errorf("a department exports an appeal it was never sent")
		}
	})
}
