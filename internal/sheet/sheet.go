// Package sheet exchanges enterprise lists as Excel workbooks (.xlsx): one
// sheet with Chinese column headers, read and written as a stream so that a
// whole city's list (some 120,000 rows) fits in one file. Importing checks
// every row by the rules of package enterprise; the rows in error can be
// written back as a report that people correct and import again.
package sheet

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// Row is one data row of an imported workbook.
type Row struct {
	Line       int                   // 1-based row number in the sheet, as Excel shows it
	Enterprise enterprise.Enterprise // normalized
	Problems   fault.Fields          // empty when the row is valid
	// Cells holds the row's cells as read, in the order of the import
	// columns (Headers), "" for a column the file lacks. WriteProblems
	// writes them back unchanged so that people see what they typed.
	Cells []string
}

// Valid reports whether the row has no problems.
func (r Row) Valid() bool { return len(r.Problems) == 0 }

// Reason returns the row's problems as one line, each message after the name
// of its column, in column order and joined with "；" (lang "en": "; ").
func (r Row) Reason(lang string) string {
	sep := "；"
	if lang == "en" {
		sep = "; "
	}
	var parts []string
	for _, field := range problemOrder(r.Problems) {
		name := field
		if c, ok := columnOf(field); ok {
			name = c.header
			if lang == "en" {
				name = c.en
			}
		}
		colon := "："
		if lang == "en" {
			colon = ": "
		}
		parts = append(parts, name+colon+r.Problems[field].In(lang))
	}
	return strings.Join(parts, sep)
}

// problemOrder returns the fields of p in column order, then any others
// sorted, so that reports read left to right like the sheet.
func problemOrder(p fault.Fields) []string {
	var fields, others []string
	for _, c := range columns {
		if _, ok := p[c.field]; ok {
			fields = append(fields, c.field)
		}
	}
	for f := range p {
		if _, ok := columnOf(f); !ok {
			others = append(others, f)
		}
	}
	sort.Strings(others)
	return append(fields, others...)
}

// column is one column of the exchanged sheet: how it is named, explained,
// written and read. The import columns come first, in the template's order.
type column struct {
	header   string   // text of the header cell
	en       string   // English name, for messages
	field    string   // key of the field in enterprise.Validate's messages
	required bool     // the header must be present: Validate requires the field
	numFmt   int      // Excel's built-in number format: textFormat keeps identifiers intact
	width    float64  // column width, in characters
	example  string   // value of the template's example row
	note     string   // explanation on the template's 说明 sheet
	choices  []string // offered as a drop-down list in the template
	// get returns the cell value written for an enterprise.
	get func(e *enterprise.Enterprise) any
	// set reads a cell into e; it returns a message when the cell cannot
	// be read at all. Nil for columns that are written but never read.
	set func(e *enterprise.Enterprise, cell string) *fault.Msg
}

// Excel's built-in number formats used by the columns.
const (
	textFormat  = 49 // "@": text, so that codes and phone numbers stay as typed
	twoDecimals = 2  // "0.00"
)

// columns are the import columns, in the template's order.
var columns = []column{
	{header: "统一社会信用代码", en: "credit code", field: "credit_code", required: true, numFmt: textFormat, width: 22,
		example: "91330206MA2H00001K",
		note:    "18位，由数字和大写字母组成（不含I、O、Z、S、V）。校验位不符的代码仍可导入，标记为“校验待确认”，请尽快核实。",
		get:     func(e *enterprise.Enterprise) any { return e.CreditCode },
		set:     func(e *enterprise.Enterprise, s string) *fault.Msg { e.CreditCode = s; return nil }},
	{header: "企业名称", en: "name", field: "name", required: true, width: 32,
		example: "宁波示例精密模具有限公司", note: "营业执照上的全称，不超过100个字。",
		get: func(e *enterprise.Enterprise) any { return e.Name },
		set: func(e *enterprise.Enterprise, s string) *fault.Msg { e.Name = s; return nil }},
	{header: "法定代表人", en: "legal representative", field: "legal_rep", width: 12,
		example: "张某某", note: "选填，不超过50个字。",
		get: func(e *enterprise.Enterprise) any { return e.LegalRep },
		set: func(e *enterprise.Enterprise, s string) *fault.Msg { e.LegalRep = s; return nil }},
	{header: "联系人", en: "contact", field: "contact", required: true, width: 12,
		example: "李某某", note: "企业的服务联系人，不超过50个字。",
		get: func(e *enterprise.Enterprise) any { return e.Contact },
		set: func(e *enterprise.Enterprise, s string) *fault.Msg { e.Contact = s; return nil }},
	{header: "联系电话", en: "phone", field: "phone", required: true, numFmt: textFormat, width: 15,
		example: "13800000000", note: "联系人的11位中国大陆手机号码，可带+86前缀、空格或短横线。",
		get: func(e *enterprise.Enterprise) any { return e.Phone },
		set: func(e *enterprise.Enterprise, s string) *fault.Msg { e.Phone = codeText(s); return nil }},
	{header: "地址", en: "address", field: "address", width: 40,
		example: "浙江省宁波市北仑区示例路1号", note: "选填，经营地址，不超过200个字。",
		get: func(e *enterprise.Enterprise) any { return e.Address },
		set: func(e *enterprise.Enterprise, s string) *fault.Msg { e.Address = s; return nil }},
	{header: "网格编码", en: "grid code", field: "grid_code", required: true, numFmt: textFormat, width: 18,
		example: "330206001001001", note: "企业所属网格的编码（社区12位统计代码加3位网格序号），须为系统中已有的网格。",
		get: func(e *enterprise.Enterprise) any { return e.GridCode },
		set: func(e *enterprise.Enterprise, s string) *fault.Msg { e.GridCode = codeText(s); return nil }},
	{header: "行业代码", en: "industry", field: "industry", required: true, numFmt: textFormat, width: 10,
		example: "C35", note: "国民经济行业分类（GB/T 4754-2017）代码，可填“C35”“35”或小类“3525”，统一保存为两位大类代码。",
		get: func(e *enterprise.Enterprise) any { return e.Industry },
		set: func(e *enterprise.Enterprise, s string) *fault.Msg { e.Industry = industryText(s); return nil }},
	{header: "从业人员", en: "employees", field: "employees", width: 10,
		example: "85", note: "选填，从业人员人数，非负整数。",
		get: func(e *enterprise.Enterprise) any { return e.Employees },
		set: setEmployees},
	{header: "营业收入(万元)", en: "revenue (10,000 yuan)", field: "revenue", numFmt: twoDecimals, width: 15,
		example: "3260.5", note: "选填，上年营业收入，单位万元，最多两位小数，不能为负数。",
		get: func(e *enterprise.Enterprise) any { f, _ := strconv.ParseFloat(formatWan(e.Revenue), 64); return f },
		set: setRevenue},
	{header: "外贸企业", en: "foreign trade", field: "foreign_trade", width: 10,
		example: "是", choices: []string{"是", "否"}, note: "填“是”或“否”（也可填Y/N、1/0），空白视为“否”。",
		get: func(e *enterprise.Enterprise) any { return yesNo(e.ForeignTrade) },
		set: setForeignTrade},
	{header: "重点企业", en: "key enterprise", field: "key_level", width: 10,
		example: "区级", choices: []string{"市级", "区级"}, note: "填“市级”或“区级”，不是重点企业的留空。",
		get: func(e *enterprise.Enterprise) any { return keyLevelText(e.KeyLevel) },
		set: setKeyLevel},
	{header: "党支部", en: "Party branch", field: "party_branch", width: 24,
		example: "宁波示例精密模具有限公司党支部", note: "选填，党支部名称，没有的留空。",
		get: func(e *enterprise.Enterprise) any { return e.PartyBranch },
		set: func(e *enterprise.Enterprise, s string) *fault.Msg { e.PartyBranch = s; return nil }},
	{header: "标签", en: "tags", field: "tags", width: 24,
		example: "模具、外贸", note: "选填，多个标签用顿号、逗号或分号分隔，最多20个，每个不超过20个字。",
		get: func(e *enterprise.Enterprise) any { return strings.Join(e.Tags, "、") },
		set: func(e *enterprise.Enterprise, s string) *fault.Msg { e.Tags = splitTags(s); return nil }},
}

// derived are the read-only columns an export adds after the import columns;
// an import ignores them.
var derived = []column{
	{header: "规模", en: "size", width: 8,
		get: func(e *enterprise.Enterprise) any { return e.Size.Zh() }},
	{header: "所属社区", en: "community", numFmt: textFormat, width: 15,
		get: func(e *enterprise.Enterprise) any { return e.CommunityCode }},
	{header: "所属街道", en: "street", numFmt: textFormat, width: 12,
		get: func(e *enterprise.Enterprise) any { return e.StreetCode }},
	{header: "校验待确认", en: "code unconfirmed", width: 11,
		get: func(e *enterprise.Enterprise) any {
			if e.CodeUnconfirmed {
				return "是"
			}
			return ""
		}},
}

// Headers returns the headers of the import columns, in the template's order.
func Headers() []string {
	h := make([]string, len(columns))
	for i, c := range columns {
		h[i] = c.header
	}
	return h
}

// columnOf returns the import column of a field.
func columnOf(field string) (column, bool) {
	for _, c := range columns {
		if c.field == field {
			return c, true
		}
	}
	return column{}, false
}

func setEmployees(e *enterprise.Enterprise, s string) *fault.Msg {
	n, err := parseCount(s)
	switch err {
	case nil:
		e.Employees = n
		return nil
	case errNegative:
		return &fault.Msg{Zh: "从业人员数不能为负数", En: "employees cannot be negative"}
	case errFraction:
		return &fault.Msg{Zh: "从业人员数应为整数", En: "employees must be a whole number"}
	case errOutOfRange:
		return &fault.Msg{Zh: "从业人员数应在0至1000万之间", En: "employees must be between 0 and 10,000,000"}
	}
	return &fault.Msg{Zh: "从业人员数应为数字", En: "employees must be a number"}
}

func setRevenue(e *enterprise.Enterprise, s string) *fault.Msg {
	yuan, err := parseWan(s)
	switch err {
	case nil:
		e.Revenue = yuan
		return nil
	case errNegative:
		return &fault.Msg{Zh: "营业收入不能为负数", En: "revenue cannot be negative"}
	case errFraction:
		return &fault.Msg{Zh: "营业收入以万元为单位，最多保留两位小数", En: "revenue is in 10,000 yuan with at most two decimals"}
	case errOutOfRange:
		return &fault.Msg{Zh: "营业收入超出合理范围，请核对金额和单位", En: "revenue is implausibly large; check the amount and unit"}
	}
	return &fault.Msg{Zh: "营业收入应为数字（单位万元）", En: "revenue must be a number (in 10,000 yuan)"}
}

func setForeignTrade(e *enterprise.Enterprise, s string) *fault.Msg {
	yes, ok := parseYesNo(s)
	if !ok {
		return &fault.Msg{Zh: "外贸企业请填“是”或“否”", En: "foreign trade must be 是 (yes) or 否 (no)"}
	}
	e.ForeignTrade = yes
	return nil
}

// keyLevelWords are the spellings a key-level cell may take; the first of
// each is the one written.
var keyLevelWords = []struct {
	level enterprise.KeyLevel
	words []string
}{
	{enterprise.KeyCity, []string{"市级", "市级重点", "市级重点企业", "市", "city"}},
	{enterprise.KeyDistrict, []string{"区级", "区级重点", "区级重点企业", "区县级", "县级", "区", "district"}},
	{enterprise.KeyNone, []string{"", "否", "无", "非重点", "非重点企业", "-", "none"}},
}

func keyLevelText(k enterprise.KeyLevel) string {
	for _, w := range keyLevelWords {
		if w.level == k {
			return w.words[0]
		}
	}
	return string(k)
}

func setKeyLevel(e *enterprise.Enterprise, s string) *fault.Msg {
	s = strings.ToLower(cleanText(s))
	for _, w := range keyLevelWords {
		if slices.Contains(w.words, s) {
			e.KeyLevel = w.level
			return nil
		}
	}
	return &fault.Msg{Zh: "重点企业请填“市级”“区级”或留空", En: "key enterprise must be 市级 (city), 区级 (district) or empty"}
}
