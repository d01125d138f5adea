package sheet

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"qifu/internal/calendar"
	"qifu/internal/dossier"
)

// factsBook writes a facts workbook of header and rows (a note above the header).
func factsBook(t *testing.T, header []string, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	if err := f.SetSheetRow(sheet, "A1", &[]any{"北仑区税务局 2025 年度数据"}); err != nil {
		t.Fatal(err)
	}
	h := make([]any, len(header))
	for i, v := range header {
		h[i] = v
	}
	if err := f.SetSheetRow(sheet, "A2", &h); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadFacts reads a department's workbook: the header found below a
// title, kinds by key or Chinese name, a year typed as a number, values in
// the kind's unit, and each wrong row with its problem in its column; a
// repeated kind and period of one enterprise is the later row's problem.
func TestReadFacts(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, calendar.Shanghai)
	a, b := creditCode(t, "91330206MA2AAAAA1"), creditCode(t, "91330206MA2AAAAA2")
	book := factsBook(t, FactHeaders,
		[]any{a, "营业收入", 2025, "1250.5", "纳税申报"},
		[]any{a, "insured", "2026-02-28", "48", ""},
		[]any{b, "纳税额", "2025", "abc", ""},
		[]any{wrongCheck(b), "营业收入", "2025", "10", ""},
		[]any{b, "利润", "2025", "10", ""},
		[]any{b, "营业收入", "2027", "10", ""},
		[]any{a, "营业收入", "2025", "1300", ""},
	)
	rows, err := ReadFacts(bytes.NewReader(book), 100, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 {
		t.Fatalf("%d rows; want 7", len(rows))
	}
	want := []struct {
		valid bool
		field string
	}{{true, ""}, {true, ""}, {false, "value"}, {false, "credit_code"}, {false, "kind"}, {false, "period"}, {false, "period"}}
	for i, w := range want {
		r := rows[i]
		if r.Valid() != w.valid || (!w.valid && r.Problems[w.field].Zh == "") {
			t.Errorf("row %d (line %d): valid %v, problems %v; want valid %v with a problem of %s", i, r.Line, r.Valid(), r.Problems, w.valid, w.field)
		}
	}
	if f := rows[0].Fact; f.Kind != "revenue" || f.Period != "2025" || f.Num != 12_505_000 || f.Note != "纳税申报" || rows[0].Line != 3 {
		t.Errorf("first row: %+v line %d", f, rows[0].Line)
	}
	if f := rows[1].Fact; f.Kind != "insured" || f.Num != 48 || f.Source != dossier.Department {
		t.Errorf("second row: %+v", f)
	}
	if got := rows[6].Reason("zh"); got == "" {
		t.Error("a repeated period has no reason in words")
	}
	var buf bytes.Buffer
	if err := WriteFactProblems(&buf, rows[2:], "zh"); err != nil {
		t.Fatal(err)
	}
	again, err := ReadFacts(&buf, 100, now)
	if err != nil || len(again) != 5 {
		t.Errorf("the problems report read back: %d rows, %v", len(again), err)
	}

	// A date cell comes as Excel's day number; a percentage-formatted
	// cell as a fraction, which is refused rather than read 100 times small.
	cells := factsBook(t, FactHeaders, []any{a, "insured", 46081, "48", ""}, []any{a, "外贸占比", "2025", 0.3, ""})
	got, err := ReadFacts(bytes.NewReader(cells), 100, now)
	if err != nil || len(got) != 2 {
		t.Fatalf("a workbook of typed cells: %d rows, %v", len(got), err)
	}
	if got[0].Fact.Period != "2026-02-28" || !got[0].Valid() {
		t.Errorf("a date cell's period: %q %v", got[0].Fact.Period, got[0].Problems)
	}
	if got[1].Valid() || got[1].Problems["value"].Zh == "" {
		t.Errorf("a fraction for a per cent: %+v", got[1])
	}

	// A workbook without the columns, and one over the limit, are refused whole.
	if _, err := ReadFacts(bytes.NewReader(factsBook(t, []string{"企业", "数值"}, []any{a, 1})), 100, now); err == nil {
		t.Error("a workbook without the facts' columns is read")
	}
	if _, err := ReadFacts(bytes.NewReader(book), 3, now); err == nil {
		t.Error("a workbook over the row limit is read")
	}
	if _, err := ReadFacts(bytes.NewReader([]byte("not a workbook")), 100, now); err == nil {
		t.Error("a file that is no workbook is read")
	}
	var tpl bytes.Buffer
	if err := WriteFactsTemplate(&tpl); err != nil {
		t.Fatal(err)
	}
	if rows, err := ReadFacts(&tpl, 100, now); err != nil || len(rows) != 2 {
		t.Errorf("the template read back: %d rows, %v", len(rows), err)
	}
}
