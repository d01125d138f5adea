package sheet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// creditCode completes a 17-character prefix with its check character.
func creditCode(t testing.TB, first17 string) string {
	t.Helper()
	c, ok := enterprise.CheckChar(first17)
	if !ok {
		t.Fatalf("bad credit code prefix %q", first17)
	}
	return first17 + string(c)
}

// wrongCheck returns code with a check character that does not match.
func wrongCheck(code string) string {
	if code[17] == '0' {
		return code[:17] + "1"
	}
	return code[:17] + "0"
}

// sample returns the n-th of a family of valid, normalized enterprises.
func sample(t testing.TB, n int) enterprise.Enterprise {
	t.Helper()
	e := enterprise.Enterprise{
		CreditCode:   creditCode(t, fmt.Sprintf("91330206MA2%06d", n)),
		Name:         fmt.Sprintf("宁波测试%d号模具有限公司", n),
		LegalRep:     "张三",
		Contact:      "李四",
		Phone:        fmt.Sprintf("138%08d", n),
		Address:      fmt.Sprintf("浙江省宁波市北仑区测试路%d号", n),
		GridCode:     fmt.Sprintf("330206001%03d%03d", n%7+1, n%40+1),
		Industry:     []string{"35", "34", "52", "65"}[n%4],
		Employees:    n % 500,
		Revenue:      int64(n%100000) * 123_400,
		ForeignTrade: n%3 == 0,
		KeyLevel:     []enterprise.KeyLevel{enterprise.KeyNone, enterprise.KeyDistrict, enterprise.KeyCity}[n%3],
	}
	if n%2 == 0 {
		e.PartyBranch = e.Name + "党支部"
		e.Tags = []string{"模具", "外贸"}
	}
	e.Normalize()
	return e
}

func TestRoundTrip(t *testing.T) {
	list := []enterprise.Enterprise{sample(t, 1), sample(t, 2), sample(t, 3), sample(t, 4)}
	list[1].CreditCode = wrongCheck(list[1].CreditCode)
	list[1].CodeUnconfirmed = true
	list[2].Revenue = 0
	list[2].Tags = []string{"专精特新", "高新技术企业", "出口"}
	// Written but not read back: derived by the store from the grid.
	list[3].CommunityCode, list[3].StreetCode = "330206001004", "330206001"

	var buf bytes.Buffer
	if err := WriteEnterprises(&buf, list); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadEnterprises(&buf, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(list) {
		t.Fatalf("read %d rows, want %d", len(rows), len(list))
	}
	for i, row := range rows {
		want := list[i]
		want.CommunityCode, want.StreetCode = "", ""
		if row.Line != i+2 {
			t.Errorf("row %d: Line = %d, want %d", i, row.Line, i+2)
		}
		if !row.Valid() {
			t.Errorf("row %d: problems %v", i, row.Problems)
		}
		if !reflect.DeepEqual(row.Enterprise, want) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, row.Enterprise, want)
		}
	}
}

func TestWriteLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteEnterprises(&buf, []enterprise.Enterprise{sample(t, 1)}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	header, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	want := append(Headers(), "规模", "所属社区", "所属街道", "校验待确认")
	if !reflect.DeepEqual(header[0], want) {
		t.Errorf("header %q, want %q", header[0], want)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v, %v; want the first row frozen", panes, err)
	}
	style, err := f.GetCellStyle(sheet, "A1")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header style %+v, %v; want bold", s, err)
	}
	for i, c := range slices.Concat(columns, derived) {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if w, err := f.GetColWidth(sheet, name); err != nil || w != c.width {
			t.Errorf("column %s width %v, %v; want %v", name, w, err, c.width)
		}
	}

	// Excel repairs a workbook whose column records are out of order.
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	r, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	xml, _ := io.ReadAll(r)
	var mins []int
	for _, m := range regexp.MustCompile(`<col min="(\d+)"`).FindAllSubmatch(xml, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		mins = append(mins, n)
	}
	if len(mins) == 0 || !slices.IsSorted(mins) {
		t.Errorf("column records in order %v, want ascending", mins)
	}
}

// testBook builds a workbook cell by cell, as a person or another program
// would: rows of values starting at A1, nil for an empty cell.
func testBook(t *testing.T, rows [][]any) *bytes.Buffer {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func TestReadProblems(t *testing.T) {
	code := func(n int) string { return creditCode(t, fmt.Sprintf("91330206MA2J%05d", n)) }
	// Columns in an order of their own, with an unknown one among them.
	header := []any{"企业名称", " 统一社会信用代码 ", "联系人", "联系电话", "备注", "网格编码", "行业代码",
		"从业人员", "营业收入（万元）", "外贸企业", "重点企业", "标签"}
	row := func(name, code string, phone any, industry any, revenue any, trade string) []any {
		return []any{name, code, "王五", phone, "无关", 330206001001001, industry, 12, revenue, trade, "", "模具；外贸"}
	}
	book := testBook(t, [][]any{
		{"北仑区某社区企业名单"}, // 1: a title above the header
		header,         // 2
		row("甲公司", code(1), 13812345678, "3525", 3260.5, "Y"),             // 3: valid; numbers as Excel stores them
		row("乙公司", wrongCheck(code(2)), "13812345679", "C35", "100", "是"), // 4: check character: allowed
		row("丙公司", code(3), "12345", "35", "100", "否"),                    // 5: bad phone
		{}, // 6: blank, skipped
		row("丁公司", code(4), "13812345670", "98", "100", ""),         // 7: unknown industry
		row("戊公司", code(5), "13812345671", "35", -5, "N"),           // 8: negative revenue
		row("己公司", code(1), "13812345672", "35", "1", "0"),          // 9: duplicate of row 3
		row("", code(6), "13812345673", "35", "1", "1"),             // 10: no name
		row("庚公司", code(7), "1.3812345674E+10", "35", "1", "false"), // 11: phone pasted as a number's text
		row("辛公司", code(8), "13812345675", "35", "一百", "也许"),        // 12: revenue not a number, bad yes/no
		row("壬公司", code(9), "13812345676", "A35", "1", "TRUE"),      // 13: section letter does not match
		{nil, nil, nil, nil, "只有备注的行"},                              // 14: no data, but not blank
	})
	rows, err := ReadEnterprises(book, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]string{
		3: nil, 4: nil,
		5:  {"phone"},
		7:  {"industry"},
		8:  {"revenue"},
		9:  {"credit_code"},
		10: {"name"},
		11: nil,
		12: {"foreign_trade", "revenue"},
		13: {"industry"},
		14: {"contact", "credit_code", "grid_code", "industry", "name", "phone"},
	}
	got := map[int][]string{}
	for _, r := range rows {
		var fields []string
		for f := range r.Problems {
			fields = append(fields, f)
		}
		slices.Sort(fields)
		got[r.Line] = fields
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems by line:\n got %v\nwant %v", got, want)
	}

	byLine := map[int]Row{}
	for _, r := range rows {
		byLine[r.Line] = r
	}
	first := byLine[3].Enterprise
	if first.Phone != "13812345678" || first.GridCode != "330206001001001" || first.Industry != "35" ||
		first.Revenue != 32_605_000 || first.Employees != 12 || !first.ForeignTrade ||
		!reflect.DeepEqual(first.Tags, []string{"模具", "外贸"}) {
		t.Errorf("row 3 read as %+v", first)
	}
	if !byLine[4].Enterprise.CodeUnconfirmed || byLine[3].Enterprise.CodeUnconfirmed {
		t.Errorf("CodeUnconfirmed: row 3 %v, row 4 %v, want false, true",
			byLine[3].Enterprise.CodeUnconfirmed, byLine[4].Enterprise.CodeUnconfirmed)
	}
	if got := byLine[11].Enterprise.Phone; got != "13812345674" {
		t.Errorf("row 11 phone = %q", got)
	}
	if got := byLine[9].Problems["credit_code"].Zh; got != "与第3行重复" {
		t.Errorf("duplicate message = %q", got)
	}
	if got := byLine[8].Reason("zh"); got != "营业收入(万元)：营业收入不能为负数" {
		t.Errorf("row 8 reason = %q", got)
	}
	if got := byLine[12].Reason("zh"); !strings.HasPrefix(got, "营业收入(万元)：") || !strings.Contains(got, "；外贸企业：") {
		t.Errorf("row 12 reason = %q, want revenue then foreign trade", got)
	}
	if got := byLine[5].Cells[4]; got != "12345" {
		t.Errorf("row 5 cells = %q, want the phone as typed in column 5", byLine[5].Cells)
	}
}

func TestReadRejects(t *testing.T) {
	var list bytes.Buffer
	if err := WriteEnterprises(&list, []enterprise.Enterprise{sample(t, 1), sample(t, 2), sample(t, 3)}); err != nil {
		t.Fatal(err)
	}
	var notXLSX bytes.Buffer
	zw := zip.NewWriter(&notXLSX)
	w, _ := zw.Create("hello.txt")
	w.Write([]byte("hello"))
	zw.Close()

	tests := []struct {
		name    string
		data    []byte
		maxRows int
		code    string
		says    []string // in the Chinese message
		notSays []string
	}{
		{"missing headers", testBook(t, [][]any{
			{"统一社会信用代码", "联系人", "网格编码", "行业代码", "地址"},
			{"91330206MA2H00001K", "王五", "330206001001001", "35", "某路1号"},
		}).Bytes(), 0, "sheet_headers", []string{"企业名称", "联系电话"}, []string{"统一社会信用代码", "地址"}},
		{"no header at all", testBook(t, [][]any{{"a", "b"}, {"c"}}).Bytes(), 0, "sheet_headers",
			[]string{"统一社会信用代码", "企业名称", "联系人", "联系电话", "网格编码", "行业代码"}, nil},
		{"empty sheet", testBook(t, nil).Bytes(), 0, "sheet_headers", []string{"企业名称"}, nil},
		{"text", []byte("统一社会信用代码,企业名称\n"), 0, "sheet_format", []string{".xlsx"}, nil},
		{"empty input", nil, 0, "sheet_format", nil, nil},
		{"zip, not a workbook", notXLSX.Bytes(), 0, "sheet_format", nil, nil},
		{"old .xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...), 0, "sheet_format", nil, nil},
		{"too many rows", list.Bytes(), 2, "sheet_too_many_rows", []string{"2"}, nil},
		{"rows at the limit", list.Bytes(), 3, "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := ReadEnterprises(bytes.NewReader(tt.data), tt.maxRows)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				return
			}
			fe := fault.As(err)
			if fe == nil || fe.Kind != fault.Invalid || fe.Code != tt.code {
				t.Fatalf("error %v, want Invalid %s", err, tt.code)
			}
			if rows != nil {
				t.Errorf("rows %v with an error", rows)
			}
			if fe.Message.En == "" {
				t.Error("no English message")
			}
			for _, s := range tt.says {
				if !strings.Contains(fe.Message.Zh, s) {
					t.Errorf("message %q does not say %q", fe.Message.Zh, s)
				}
			}
			for _, s := range tt.notSays {
				if strings.Contains(fe.Message.Zh, s) {
					t.Errorf("message %q says %q", fe.Message.Zh, s)
				}
			}
		})
	}
}

func TestScanStops(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteEnterprises(&buf, []enterprise.Enterprise{sample(t, 1), sample(t, 2), sample(t, 3)}); err != nil {
		t.Fatal(err)
	}
	stop := fmt.Errorf("stop")
	n := 0
	err := ScanEnterprises(&buf, 0, func(Row) error {
		if n++; n == 2 {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Errorf("err %v after %d rows, want stop after 2", err, n)
	}
}

func TestTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{dataSheet, notesSheet}; !reflect.DeepEqual(got, want) {
		t.Errorf("sheets %v, want %v", got, want)
	}
	notes, err := f.GetRows(notesSheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range columns {
		if len(notes) <= i+1 || notes[i+1][0] != c.header || notes[i+1][2] == "" {
			t.Errorf("说明 does not explain %s", c.header)
		}
	}

	rows, err := ReadEnterprises(bytes.NewReader(buf.Bytes()), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || !rows[0].Valid() || rows[0].Line != 2 {
		t.Fatalf("template rows %+v, want one valid row on line 2", rows)
	}
	e := rows[0].Enterprise
	if e.Industry != "35" || e.Revenue != 32_605_000 || e.KeyLevel != enterprise.KeyDistrict || !e.ForeignTrade || e.CodeUnconfirmed {
		t.Errorf("example read as %+v", e)
	}
}

func TestWriteProblems(t *testing.T) {
	good, bad := sample(t, 1), sample(t, 2)
	bad.Phone = "12345"
	var list bytes.Buffer
	if err := WriteEnterprises(&list, []enterprise.Enterprise{good, bad, good}); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadEnterprises(&list, 0)
	if err != nil {
		t.Fatal(err)
	}
	var report bytes.Buffer
	if err := WriteProblems(&report, rows); err != nil {
		t.Fatal(err)
	}

	f, err := excelize.OpenReader(bytes.NewReader(report.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := append([]string{"行号", "错误原因"}, Headers()...)
	if len(cells) != 3 || !reflect.DeepEqual(cells[0], wantHeader) {
		t.Fatalf("report rows %q, want a header and two rows", cells)
	}
	wantReasons := []struct{ line, reason string }{
		{"3", "联系电话：请填写11位中国大陆手机号码"},
		{"4", "统一社会信用代码：与第2行重复"},
	}
	for i, w := range wantReasons {
		if got := cells[i+1]; got[0] != w.line || got[1] != w.reason {
			t.Errorf("report row %d = %q, want line %s, reason %q", i+1, got[:2], w.line, w.reason)
		}
	}

	// The report, corrected or not, imports like the list it came from.
	again, err := ReadEnterprises(&report, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 2 || !reflect.DeepEqual(again[0].Cells, rows[1].Cells) || !reflect.DeepEqual(again[0].Problems, rows[1].Problems) {
		t.Errorf("report read back as %+v", again)
	}
}

// BenchmarkRoundTrip120k writes a city's list of 120,000 enterprises and
// reads it back, each on its own.
func BenchmarkRoundTrip120k(b *testing.B) {
	const n = 120_000
	list := make([]enterprise.Enterprise, n)
	for i := range list {
		list[i] = sample(b, i)
	}
	var file bytes.Buffer
	if err := WriteEnterprises(&file, list); err != nil {
		b.Fatal(err)
	}
	b.Run("write", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var buf bytes.Buffer
			if err := WriteEnterprises(&buf, list); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(file.Len())/(1<<20), "MiB/file")
	})
	b.Run("read", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rows := 0
			err := ScanEnterprises(bytes.NewReader(file.Bytes()), n, func(r Row) error {
				rows++
				if !r.Valid() {
					return fmt.Errorf("line %d: %v", r.Line, r.Problems)
				}
				return nil
			})
			if err != nil || rows != n {
				b.Fatalf("read %d rows: %v", rows, err)
			}
		}
	})
}
