package sheet

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"qifu/internal/fault"
)

// headerSearchRows is how far down the header row may be: a sheet may start
// with a title or notes above it.
const headerSearchRows = 10

// unzipLimit bounds the unpacked size of a workbook, against zip bombs. A
// full city list of 120,000 rows unpacks to well under a tenth of it.
const unzipLimit = 1 << 30

// ReadEnterprises reads the first sheet of an .xlsx workbook: it finds the
// columns by their headers, then parses, normalizes and validates every row
// that is not blank (Validate(true): a credit code with a wrong check
// character is let through and marked unconfirmed). A credit code already
// used on an earlier row is a problem of the later row. Files that are not
// .xlsx, lack a required column or hold more than maxRows data rows (maxRows
// > 0) are rejected with an Invalid *fault.Error.
func ReadEnterprises(r io.Reader, maxRows int) ([]Row, error) {
	var rows []Row
	err := ScanEnterprises(r, maxRows, func(row Row) error {
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// ScanEnterprises is ReadEnterprises one row at a time: it calls fn with
// each data row in sheet order and stops at the first error fn returns,
// returning it. The row limit is found only when it is passed, after fn has
// seen maxRows rows; callers that must take all or nothing should apply the
// rows in a transaction or collect them first.
func ScanEnterprises(r io.Reader, maxRows int, fn func(Row) error) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("sheet: read upload: %w", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue:   true,
		UnzipSizeLimit: unzipLimit,
	})
	if err != nil {
		return notWorkbook(err)
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return notWorkbook(err)
	}
	defer rows.Close()

	var (
		at    []int              // position of each import column in a row, -1 when absent
		line  int                // the row's number in the sheet
		count int                // data rows so far
		seen  = map[string]int{} // credit code → line it was first seen on
	)
	for rows.Next() {
		line++
		cells, err := rows.Columns()
		if err != nil {
			return notWorkbook(err)
		}
		if blank(cells) {
			continue
		}
		if at == nil {
			at, err = matchHeaders(cells, line)
			if err != nil {
				return err
			}
			continue
		}
		if count++; maxRows > 0 && count > maxRows {
			return tooManyRows(maxRows)
		}
		row := parseRow(line, at, cells)
		if code := row.Enterprise.CreditCode; code != "" {
			if first, ok := seen[code]; ok {
				row.addProblem("credit_code",
					fmt.Sprintf("与第%d行重复", first),
					fmt.Sprintf("already used on row %d", first))
			} else {
				seen[code] = line
			}
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return notWorkbook(err)
	}
	if at == nil {
		return missingHeaders(requiredHeaders(nil))
	}
	return nil
}

// parseRow reads one data row into a normalized, validated enterprise.
func parseRow(line int, at []int, cells []string) Row {
	row := Row{Line: line, Cells: make([]string, len(columns))}
	e := &row.Enterprise
	for i, c := range columns {
		if at[i] < 0 || at[i] >= len(cells) {
			continue
		}
		row.Cells[i] = cells[at[i]]
		// A cell that cannot be read explains its field better than the
		// validator, which sees only the zero value left in its place; as
		// the first message of the field, it is the one kept.
		if msg := c.set(e, cells[at[i]]); msg != nil {
			row.addProblem(c.field, msg.Zh, msg.En)
		}
	}
	e.Normalize()
	for field, msg := range e.Validate(true) {
		row.addProblem(field, msg.Zh, msg.En)
	}
	return row
}

// addProblem records a message for field, keeping the first one.
func (r *Row) addProblem(field, zh, en string) {
	if r.Problems == nil {
		r.Problems = fault.Fields{}
	}
	r.Problems.Add(field, zh, en)
}

// matchHeaders finds the import columns in a header row. A row with no
// known header at all near the top is taken for a title and skipped (nil,
// nil); a header row that lacks required columns is an error naming them.
func matchHeaders(cells []string, line int) ([]int, error) {
	at := make([]int, len(columns))
	for i := range at {
		at[i] = -1
	}
	known := false
	for pos, cell := range cells {
		key := headerKey(cell)
		for i, c := range columns {
			if at[i] < 0 && key == headerKey(c.header) {
				at[i], known = pos, true
			}
		}
	}
	if !known && line < headerSearchRows {
		return nil, nil
	}
	if missing := requiredHeaders(at); len(missing) > 0 {
		return nil, missingHeaders(missing)
	}
	return at, nil
}

// requiredHeaders returns the headers of the required columns that at does
// not place; all of them when at is nil.
func requiredHeaders(at []int) []string {
	var missing []string
	for i, c := range columns {
		if c.required && (at == nil || at[i] < 0) {
			missing = append(missing, c.header)
		}
	}
	return missing
}

// blank reports whether a row has no text in any cell.
func blank(cells []string) bool {
	for _, c := range cells {
		if cleanText(c) != "" {
			return false
		}
	}
	return true
}

func notWorkbook(err error) error {
	e := fault.New(fault.Invalid, "sheet_format",
		"文件不是有效的Excel工作簿（.xlsx），请用导入模板填写后另存为.xlsx再上传",
		"the file is not an Excel workbook (.xlsx); fill in the import template and save it as .xlsx")
	e.Err = err
	return e
}

func missingHeaders(headers []string) error {
	return fault.New(fault.Invalid, "sheet_headers",
		fmt.Sprintf("第一个工作表缺少必填列：%s。表头须与导入模板一致，且位于前%d行", strings.Join(headers, "、"), headerSearchRows),
		fmt.Sprintf("the first sheet lacks the required columns %s; use the headers of the import template within the first %d rows",
			strings.Join(headers, ", "), headerSearchRows))
}

func tooManyRows(max int) error {
	return fault.New(fault.Invalid, "sheet_too_many_rows",
		fmt.Sprintf("文件超过%d行数据的上限，请分成几个文件导入", max),
		fmt.Sprintf("the file has more than %d data rows; split it into several files", max))
}
