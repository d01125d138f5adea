package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/sheet"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// fillTemplate writes rows into the downloaded import template in place of
// its example row, in the template's column order (sheet.Headers).
func fillTemplate(t *testing.T, template []byte, rows ...enterpriseInput) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(template))
	if err != nil {
		t.Fatalf("open template: %v", err)
	}
	defer f.Close()
	name := f.GetSheetName(0)
	header, err := f.GetRows(name)
	if err != nil || len(header) < 1 {
		t.Fatalf("template rows: %v", err)
	}
	if !slices.Equal(header[0], sheet.Headers()) {
		t.Fatalf("template headers %v, want %v", header[0], sheet.Headers())
	}
	if err := f.RemoveRow(name, 2); err != nil { // the example
		t.Fatal(err)
	}
	for i, in := range rows {
		foreign := "否"
		if in.ForeignTrade {
			foreign = "是"
		}
		row := []any{in.CreditCode, in.Name, in.LegalRep, in.Contact, in.Phone, in.Address, in.GridCode, in.Industry,
			in.Employees, enterprise.FormatWan(in.Revenue), foreign, "", in.PartyBranch, strings.Join(in.Tags, "、")}
		if err := f.SetSheetRow(name, fmt.Sprintf("A%d", i+2), &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportExportHTTP walks the exchange of enterprise lists as a grid
// worker: download the template, fill it, import it, fetch the error
// report, import again, import strictly, export.
func TestImportExportHTTP(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		res := s.as(t, "grid", "GET", "/enterprises/template.xlsx", nil)
		if res.code != http.StatusOK || res.header.Get("Content-Type") != xlsxType ||
			!strings.HasPrefix(res.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("GET template: %d %q %q", res.code, res.header.Get("Content-Type"), res.header.Get("Content-Disposition"))
		}
		template := res.body

		var elsewhere string // a grid of another community
		for _, g := range grids() {
			if parentOf[g] != showCommunity {
				elsewhere = g
				break
			}
		}
		mine, theirs := newInput(showGrid), newInput(elsewhere)
		mine.Tags, mine.ForeignTrade = []string{"外贸", "模具"}, true
		book := fillTemplate(t, template, mine, theirs)
		imports := s.auditTotal(t, "action=enterprise.import")

		importAs := func(username, query string, file []byte, fields map[string]string, fileFirst ...bool) (result, importResult) {
			t.Helper()
			b := multipartOrdered(file, fields, len(fileFirst) > 0 && fileFirst[0])
			res := s.as(t, username, "POST", "/api/v1/enterprises/import"+query, b)
			var out importResult
			res.json(t, &out)
			return res, out
		}

		// The row in the grid worker's grid is created, the other rejected.
		res, out := importAs("grid", "", book, nil)
		if res.code != http.StatusOK || !out.Applied || out.Created != 1 || out.Updated != 0 || out.Unchanged != 0 {
			t.Fatalf("import: %d %s", res.code, res.body)
		}
		if len(out.Rejected) != 1 || out.Rejected[0].Line != 3 || out.Rejected[0].CreditCode != theirs.CreditCode ||
			out.Rejected[0].Problems["grid_code"] == "" {
			t.Errorf("rejected rows %+v, want line 3 (%s) for its grid", out.Rejected, theirs.CreditCode)
		}
		got := s.listCodes(t, "grid", "q="+mine.CreditCode)
		if e, ok := got[mine.CreditCode]; !ok || e.GridCode != showGrid || e.Name != mine.Name || len(e.Tags) != 2 || !e.ForeignTrade {
			t.Errorf("imported enterprise: %+v", got)
		}
		if len(s.listCodes(t, "admin", "q="+theirs.CreditCode)) != 0 {
			t.Errorf("the rejected row was imported")
		}

		// The error report is its author's.
		if !strings.HasPrefix(out.ReportURL, "/imports/") {
			t.Fatalf("report URL %q", out.ReportURL)
		}
		rep := s.as(t, "grid", "GET", out.ReportURL, nil)
		if rep.code != http.StatusOK || rep.header.Get("Content-Type") != xlsxType {
			t.Fatalf("GET report: %d %q", rep.code, rep.header.Get("Content-Type"))
		}
		rows, err := sheet.ReadEnterprises(bytes.NewReader(rep.body), 0)
		if err != nil || len(rows) != 1 || rows[0].Enterprise.CreditCode != theirs.CreditCode {
			t.Errorf("report rows %+v (%v), want the rejected one", rows, err)
		}
		for _, other := range []string{"community", "admin"} {
			if res := s.as(t, other, "GET", out.ReportURL, nil); res.code != http.StatusNotFound {
				t.Errorf("GET report as %s: %d, want 404", other, res.code)
			}
		}

		// Importing the same file again changes nothing.
		res, again := importAs("grid", "", book, nil)
		if res.code != http.StatusOK || again.Created != 0 || again.Updated != 0 || again.Unchanged != 1 || len(again.Rejected) != 1 {
			t.Errorf("import again: %d %s, want 1 unchanged and 1 rejected", res.code, res.body)
		}
		// So does the page, which shows the result.
		page := s.as(t, "grid", "POST", "/enterprises/import", multipartBody(book, nil))
		if page.code != http.StatusOK || !bytes.Contains(page.body, []byte(`id="import-result"`)) {
			t.Errorf("import page: %d", page.code)
		}
		if n := s.auditTotal(t, "action=enterprise.import"); n != imports+3 {
			t.Errorf("%d imports audited, want 3", n-imports)
		}

		// A strict import of a file with a bad row applies nothing.
		good, bad := newInput(showGrid), newInput(showGrid)
		bad.Phone = "12345"
		strictBook := fillTemplate(t, template, good, bad)
		for _, c := range []struct {
			query     string
			fields    map[string]string
			fileFirst bool
		}{{"?strict=true", nil, false}, {"", map[string]string{"strict": "1"}, false}, {"", map[string]string{"strict": "1"}, true}} {
			res, out := importAs("grid", c.query, strictBook, c.fields, c.fileFirst)
			if res.code != http.StatusUnprocessableEntity || out.Applied || out.Created != 0 ||
				len(out.Rejected) != 1 || out.Rejected[0].Line != 3 || out.Rejected[0].Problems["phone"] == "" {
				t.Errorf("strict import (%s%v, file first %v): %d %s, want 422 with line 3 rejected", c.query, c.fields, c.fileFirst, res.code, res.body)
			}
		}
		if len(s.listCodes(t, "admin", "q="+good.CreditCode)) != 0 {
			t.Errorf("strict import with a bad row applied the good row")
		}
		if n := s.auditTotal(t, "action=enterprise.import"); n != imports+3 {
			t.Errorf("strict imports were audited as applied: %d", n-imports-3)
		}

		// The export holds the grid's enterprises, with phones in full.
		res = s.as(t, "grid", "GET", "/api/v1/enterprises/export", nil)
		if res.code != http.StatusOK || res.header.Get("Content-Type") != xlsxType {
			t.Fatalf("export: %d %q", res.code, res.header.Get("Content-Type"))
		}
		exported, err := sheet.ReadEnterprises(bytes.NewReader(res.body), 0)
		if err != nil {
			t.Fatalf("read export: %v", err)
		}
		want := scopeOf(demoAccount("grid")).codes(access.EnterpriseRead)
		for code := range s.listCodes(t, "admin", url.Values{"q": {testCodePrefix}, "region": {showGrid}}.Encode()) {
			want[code] = true // mine, and those earlier runs made (-count)
		}
		gotCodes := map[string]bool{}
		for _, r := range exported {
			gotCodes[r.Enterprise.CreditCode] = true
			if r.Enterprise.GridCode != showGrid {
				t.Errorf("export holds %s of grid %s", r.Enterprise.CreditCode, r.Enterprise.GridCode)
			}
			phone := "139" + r.Enterprise.CreditCode[9:17] // made by newInput
			if e, ok := byCode[r.Enterprise.CreditCode]; ok {
				phone = e.Phone
			}
			if !r.Valid() || r.Enterprise.Phone != phone {
				t.Errorf("exported row %d: phone %q, want %q; problems %v", r.Line, r.Enterprise.Phone, phone, r.Problems)
			}
		}
		sameSet(t, "export", gotCodes, want)
		// The page's export, filtered, holds the filtered rows.
		res = s.as(t, "grid", "GET", "/enterprises/export.xlsx?"+url.Values{"q": {mine.CreditCode}}.Encode(), nil)
		if rows, err := sheet.ReadEnterprises(bytes.NewReader(res.body), 0); err != nil || len(rows) != 1 {
			t.Errorf("filtered export: %d rows (%v), want 1", len(rows), err)
		}
	})
}
