package sheet

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"

	"qifu/internal/enterprise"
)

// dataSheet is the name of the sheet that holds the list.
const dataSheet = "企业名单"

// WriteEnterprises writes list as an .xlsx workbook: the import columns,
// then the read-only columns 规模, 所属社区, 所属街道 and 校验待确认. The
// header row is bold and frozen; the workbook is written as a stream.
func WriteEnterprises(w io.Writer, list []enterprise.Enterprise) error {
	cols := slices.Concat(columns, derived)
	return writeStream(w, dataSheet, cols, func(add func([]any) error) error {
		vals := make([]any, len(cols))
		for i := range list {
			for j, c := range cols {
				vals[j] = orNil(c.get(&list[i]))
			}
			if err := add(vals); err != nil {
				return err
			}
		}
		return nil
	})
}

// problemColumns lead the error report.
var problemColumns = []column{
	{header: "行号", en: "row", width: 6},
	{header: "错误原因", en: "problems", width: 60},
}

// WriteProblems writes the error report of an import: for each row with
// problems, its row number (行号), its problems (错误原因, joined with "；")
// and its cells as they were read. The import columns keep their headers, so
// people can correct the report and import it as it is.
func WriteProblems(w io.Writer, rows []Row) error {
	cols := slices.Concat(problemColumns, columns)
	for i := range cols[len(problemColumns):] {
		cols[len(problemColumns)+i].numFmt = textFormat
	}
	return writeStream(w, "错误报告", cols, func(add func([]any) error) error {
		vals := make([]any, len(cols))
		for _, r := range rows {
			if r.Valid() {
				continue
			}
			vals[0], vals[1] = r.Line, r.Reason("zh")
			for j, c := range columns {
				if len(r.Cells) == len(columns) {
					vals[2+j] = orNil(r.Cells[j])
				} else {
					vals[2+j] = orNil(c.get(&r.Enterprise))
				}
			}
			if err := add(vals); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeStream writes a one-sheet workbook as a stream: the header row of
// cols, then the rows fill adds.
func writeStream(w io.Writer, sheet string, cols []column, fill func(add func([]any) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return fmt.Errorf("sheet: name sheet: %w", err)
	}
	st := newStyles(f)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("sheet: stream: %w", err)
	}
	// The stream writer lists a column set later before those set earlier,
	// and Excel wants them in ascending order: set them from the last.
	for i := len(cols) - 1; i >= 0; i-- {
		c := cols[i]
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return fmt.Errorf("sheet: column width: %w", err)
		}
		if c.numFmt != 0 {
			id, err := st.format(c.numFmt)
			if err != nil {
				return err
			}
			if err := sw.SetColStyle(i+1, i+1, id); err != nil {
				return fmt.Errorf("sheet: column style: %w", err)
			}
		}
	}
	if err := sw.SetPanes(frozenHeader()); err != nil {
		return fmt.Errorf("sheet: freeze header: %w", err)
	}
	header, err := headerRow(st, cols)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("sheet: header: %w", err)
	}
	line := 1
	add := func(vals []any) error {
		line++
		if err := sw.SetRow("A"+strconv.Itoa(line), vals); err != nil {
			return fmt.Errorf("sheet: row %d: %w", line, err)
		}
		return nil
	}
	if err := fill(add); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("sheet: flush: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("sheet: write workbook: %w", err)
	}
	return nil
}

// headerRow returns the header cells of cols: bold, and grey for the
// read-only columns of an export.
func headerRow(st *styles, cols []column) ([]any, error) {
	bold, err := st.style(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	grey, err := st.style(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "808080"}})
	if err != nil {
		return nil, err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		id := bold
		if c.get != nil && c.set == nil {
			id = grey
		}
		header[i] = excelize.Cell{StyleID: id, Value: c.header}
	}
	return header, nil
}

// frozenHeader keeps the first row in view while scrolling.
func frozenHeader() *excelize.Panes {
	return &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
}

// styles creates a workbook's cell styles once each.
type styles struct {
	f       *excelize.File
	formats map[int]int // number format → style ID
}

func newStyles(f *excelize.File) *styles {
	return &styles{f: f, formats: map[int]int{}}
}

// format returns the style of a built-in number format.
func (s *styles) format(numFmt int) (int, error) {
	if id, ok := s.formats[numFmt]; ok {
		return id, nil
	}
	id, err := s.style(&excelize.Style{NumFmt: numFmt})
	if err != nil {
		return 0, err
	}
	s.formats[numFmt] = id
	return id, nil
}

func (s *styles) style(st *excelize.Style) (int, error) {
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, fmt.Errorf("sheet: style: %w", err)
	}
	return id, nil
}

// orNil returns nil for an empty string, so that no empty cell is written.
func orNil(v any) any {
	if s, ok := v.(string); ok && s == "" {
		return nil
	}
	return v
}
