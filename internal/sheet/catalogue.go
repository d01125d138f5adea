package sheet

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"qifu/internal/appeal"
	"qifu/internal/catalogue"
)

// The catalogue of service standards as a workbook: one row per standard,
// the columns below, lists in a cell separated by "；" (or ";"). The export
// is also the import's template: a district edits it and imports it back.

// CatalogueHeaders are the catalogue workbook's columns, in order.
var CatalogueHeaders = []string{"编号", "分组", "名称", "英文名称", "企业得到", "英文说明", "条件", "材料", "责任部门代码", "站所代码",
	"协同机构代码", "承诺时限", "时限单位", "诉求分类代码", "服务方式", "办事链接", "活动频次", "生效日期", "废止日期"}

// WriteCatalogue writes standards as the catalogue workbook.
func WriteCatalogue(w io.Writer, list []catalogue.Standard) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	if err := setRow(f, sheet, 1, CatalogueHeaders); err != nil {
		return err
	}
	for i, st := range list {
		unit := "工作日"
		if !st.Handle.Days {
			unit = "工作小时"
		}
		row := []string{st.Code, catalogue.GroupNames[st.Group][0], st.Name, st.NameEn, st.Gets, st.GetsEn, st.Conditions,
			strings.Join(st.Materials, "；"), st.Department, st.Office, strings.Join(st.Providers, "；"), strconv.Itoa(st.Handle.N), unit,
			st.Category, catalogue.ModeNames[st.Mode][0], st.Link, st.Schedule, st.From, st.Until}
		if err := setRow(f, sheet, i+2, row); err != nil {
			return err
		}
	}
	_ = f.SetColWidth(sheet, "A", "B", 10)
	_ = f.SetColWidth(sheet, "C", "G", 28)
	_ = f.SetColWidth(sheet, "H", "S", 14)
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	return f.Write(w)
}

func setRow(f *excelize.File, sheet string, r int, cells []string) error {
	for c, v := range cells {
		cell, _ := excelize.CoordinatesToCellName(c+1, r)
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			return err
		}
	}
	return nil
}

// ReadCatalogue reads the standards of a catalogue workbook's first sheet,
// as typed: the store checks each (catalogue.Standard.Check) and reports
// the problems by row. A group or mode is its Chinese name or its code; a
// time unit 工作日 or 工作小时 (days or hours). A file that is not .xlsx,
// lacks a column or has more than maxRows rows is refused as a whole. The
// header row is the first of the first rows that holds every column; lines
// are the sheet's row numbers of the standards read, for the problems.
func ReadCatalogue(r io.Reader, maxRows int) (list []catalogue.Standard, lines []int, err error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("sheet: read upload: %w", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: unzipLimit})
	if err != nil {
		return nil, nil, notWorkbook(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, nil, notWorkbook(err)
	}
	var at map[string]int
	header := -1
	missing := CatalogueHeaders
	for r := 0; r < len(rows) && r < headerSearchRows && header < 0; r++ {
		cols := map[string]int{}
		for i, h := range rows[r] {
			cols[cleanText(h)] = i
		}
		var lack []string
		for _, h := range CatalogueHeaders {
			if _, ok := cols[h]; !ok {
				lack = append(lack, h)
			}
		}
		if len(lack) == 0 {
			header, at = r, cols
		} else if len(lack) < len(missing) {
			missing = lack // the row most like the header says what it lacks
		}
	}
	if header < 0 {
		return nil, nil, missingHeaders(missing)
	}
	var out []catalogue.Standard
	for r := header + 1; r < len(rows); r++ {
		cells := rows[r]
		if blank(cells) {
			continue
		}
		if maxRows > 0 && len(out) >= maxRows {
			return nil, nil, tooManyRows(maxRows)
		}
		get := func(h string) string {
			if i := at[h]; i < len(cells) {
				return cleanText(cells[i])
			}
			return ""
		}
		st := catalogue.Standard{Code: get("编号"), Group: groupCode(get("分组")), Name: get("名称"), NameEn: get("英文名称"),
			Gets: get("企业得到"), GetsEn: get("英文说明"), Conditions: get("条件"), Materials: splitList(get("材料")),
			Department: get("责任部门代码"), Office: get("站所代码"), Providers: splitList(get("协同机构代码")),
			Category: get("诉求分类代码"), Mode: modeCode(get("服务方式")), Link: get("办事链接"), Schedule: get("活动频次"),
			From: dayText(get("生效日期")), Until: dayText(get("废止日期"))}
		if n, err := strconv.Atoi(codeText(get("承诺时限"))); err == nil {
			st.Handle = appeal.Span{N: n, Days: get("时限单位") != "工作小时" && get("时限单位") != "hours"}
		}
		out = append(out, st)
		lines = append(lines, r+1)
	}
	return out, lines, nil
}

// groupCode is the group a cell names, by its Chinese or English name or code.
func groupCode(s string) string {
	for code, names := range catalogue.GroupNames {
		if s == code || s == names[0] || strings.EqualFold(s, names[1]) {
			return code
		}
	}
	return s
}

// modeCode is the mode a cell names.
func modeCode(s string) catalogue.Mode {
	for mode, names := range catalogue.ModeNames {
		if s == string(mode) || s == names[0] || strings.EqualFold(s, names[1]) {
			return mode
		}
	}
	return catalogue.Mode(s)
}

// splitList splits a cell's list on full- or half-width semicolons.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '；' || r == ';' || r == '\n' }) {
		if part = cleanText(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// dayText is a date cell as YYYY-MM-DD: typed as text, or stored as
// Excel's serial day number (read raw), whose fraction, if any, is the
// time of day.
func dayText(s string) string {
	if looksNumeric(s) {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f > 20000 && f < 80000 {
			return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f)).Format("2006-01-02")
		}
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "/", "-"), ".", "-")
	if t, err := time.Parse("2006-1-2", s); err == nil {
		return t.Format("2006-01-02") // 2026/3/1 as typed
	}
	return s
}
