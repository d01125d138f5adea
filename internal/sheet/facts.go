package sheet

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// A department's data as facts of the enterprises' files: one sheet whose
// rows are a credit code, a kind of fact (its key or its Chinese name), a
// period, a value (as a person types it: people, 万元, per cent) and a note.
// Every row is checked here; the store checks the enterprises.

// FactRow is one data row of a facts workbook.
type FactRow struct {
	Line       int
	CreditCode string
	Fact       dossier.Fact // without its enterprise, source and recorder
	Problems   fault.Fields
	Cells      []string // as read, in FactHeaders' order
}

// Valid reports whether the row has no problems.
func (r FactRow) Valid() bool { return len(r.Problems) == 0 }

// FactHeaders are the columns of a facts workbook, in order.
var FactHeaders = []string{"统一社会信用代码", "事实类别", "期间", "数值", "备注"}

// factFields are the problem fields of the columns, in order.
var factFields = []string{"credit_code", "kind", "period", "value", "note"}

var factHeadersEn = []string{"credit code", "kind of fact", "period", "value", "note"}

// Reason is the row's problems as one line, in column order.
func (r FactRow) Reason(lang string) string {
	var parts []string
	for i, field := range factFields {
		m, ok := r.Problems[field]
		if !ok {
			continue
		}
		name := FactHeaders[i] + "："
		if lang == "en" {
			name = factHeadersEn[i] + ": "
		}
		parts = append(parts, name+m.In(lang))
	}
	sep := "；"
	if lang == "en" {
		sep = "; "
	}
	return strings.Join(parts, sep)
}

// ReadFacts reads every data row of the first sheet of a facts workbook,
// each checked at now's date (a period may not lie ahead): a credit code's
// form, a known kind, a period of the kind's form, a value of its type. The
// same kind and period of one enterprise twice is a problem of the later
// row. More than maxRows data rows, a file that is not .xlsx or lacks a
// column is refused as a whole.
func ReadFacts(r io.Reader, maxRows int, now time.Time) ([]FactRow, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("sheet: read upload: %w", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: unzipLimit})
	if err != nil {
		return nil, notWorkbook(err)
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return nil, notWorkbook(err)
	}
	defer rows.Close()
	var out []FactRow
	var at []int
	seen := map[string]int{}
	line := 0
	for rows.Next() {
		line++
		cells, err := rows.Columns()
		if err != nil {
			return nil, notWorkbook(err)
		}
		if blank(cells) {
			continue
		}
		if at == nil {
			at = factColumns(cells)
			if at == nil {
				if line >= headerSearchRows {
					return nil, missingHeaders(FactHeaders)
				}
				continue
			}
			continue
		}
		if maxRows > 0 && len(out) >= maxRows {
			return nil, tooManyRows(maxRows)
		}
		row := FactRow{Line: line, Cells: make([]string, len(FactHeaders)), Problems: fault.Fields{}}
		for i, c := range at {
			if c >= 0 && c < len(cells) {
				row.Cells[i] = strings.TrimSpace(cells[c])
			}
		}
		parseFact(&row, now)
		key := row.CreditCode + "|" + row.Fact.Kind + "|" + row.Fact.Period
		if first, ok := seen[key]; ok && row.Valid() {
			row.Problems.Add("period", fmt.Sprintf("与第%d行重复", first), fmt.Sprintf("already given on row %d", first))
		} else if row.Valid() {
			seen[key] = line
		}
		out = append(out, row)
	}
	if err := rows.Error(); err != nil {
		return nil, notWorkbook(err)
	}
	if at == nil {
		return nil, missingHeaders(FactHeaders)
	}
	return out, nil
}

// factColumns finds the columns of a header row, or nil when it is not one.
func factColumns(cells []string) []int {
	at := make([]int, len(FactHeaders))
	found := 0
	for i := range at {
		at[i] = -1
		for c, cell := range cells {
			if strings.TrimSpace(cell) == FactHeaders[i] {
				at[i] = c
				found++
				break
			}
		}
	}
	if at[0] < 0 || at[1] < 0 || at[2] < 0 || at[3] < 0 {
		return nil
	}
	return at
}

// parseFact reads a row's cells into its fact, noting each problem.
func parseFact(row *FactRow, now time.Time) {
	code := enterprise.NormalizeCreditCode(row.Cells[0])
	if err := enterprise.CheckCreditCode(code); err != nil {
		row.Problems.Add("credit_code", "统一社会信用代码无效", "not a valid credit code")
	}
	row.CreditCode = code
	var kind dossier.Kind
	ok := false
	for _, k := range dossier.Kinds {
		if row.Cells[1] == k.Key || row.Cells[1] == k.Zh {
			kind, ok = k, true
		}
	}
	if !ok {
		row.Problems.Add("kind", "未知的事实类别", "unknown kind of fact")
		return
	}
	period := row.Cells[2]
	if kind.Period == dossier.Year {
		if n, err := strconv.ParseFloat(period, 64); err == nil && n == float64(int(n)) {
			period = strconv.Itoa(int(n)) // a year typed as a number
		}
	}
	if kind.Period == dossier.Date {
		// A date cell is read as Excel's day number.
		if n, err := strconv.ParseFloat(period, 64); err == nil && n > 0 && n < 2958466 {
			if t, err := excelize.ExcelDateToTime(n, false); err == nil {
				period = t.Format(time.DateOnly)
			}
		}
	}
	if kind.Type == dossier.Percent {
		// A cell formatted as a percentage holds a fraction (30 % is 0.3):
		// taken as typed it would be a hundred times too small.
		if v, err := strconv.ParseFloat(row.Cells[3], 64); err == nil && v > 0 && v < 1 && strings.Contains(row.Cells[3], ".") {
			row.Problems.Add("value", "请以百分数填写（如 30 或 30%），不要使用百分比格式的单元格", "write the per cent as a number (30 or 30%), not a percentage-formatted cell")
			return
		}
	}
	num, text, err := dossier.ParseValue(kind, row.Cells[3])
	if err != nil {
		row.Problems.Add("value", "数值无效", "not a valid value")
		if fe := fault.As(err); fe != nil {
			for _, m := range fe.Fields {
				row.Problems["value"] = m
			}
		}
		return
	}
	row.Fact = dossier.Fact{Kind: kind.Key, Period: period, Num: num, Text: text, Note: row.Cells[4], Source: dossier.Department}
	if err := row.Fact.Check(now); err != nil {
		if fe := fault.As(err); fe != nil {
			for field, m := range fe.Fields {
				if field != "period" && field != "value" && field != "note" {
					field = "value"
				}
				row.Problems.Add(field, m.Zh, m.En)
			}
		}
	}
}

// WriteFactsTemplate writes an empty facts workbook with its headers and
// one example row.
func WriteFactsTemplate(w io.Writer) error {
	return writeFactRows(w, [][]string{{"91330206MA2AXXXXXX", "营业收入", "2025", "1250.5", "2025 年度纳税申报表"},
		{"", "社保参保人数", "2026-06-30", "48", ""}}, false)
}

// WriteFactProblems writes the rows back as people typed them, with their
// problems in a last column, in lang.
func WriteFactProblems(w io.Writer, rows []FactRow, lang string) error {
	var out [][]string
	for _, r := range rows {
		out = append(out, append(append([]string{}, r.Cells...), r.Reason(lang)))
	}
	return writeFactRows(w, out, true)
}

func writeFactRows(w io.Writer, rows [][]string, problems bool) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	header := append([]string{}, FactHeaders...)
	if problems {
		header = append(header, "问题")
	}
	for i, h := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return err
		}
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
	}
	_ = f.SetColWidth(sheet, "A", "A", 24)
	_ = f.SetColWidth(sheet, "B", "F", 16)
	return f.Write(w)
}
