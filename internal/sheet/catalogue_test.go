package sheet

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"qifu/internal/appeal"
	"qifu/internal/catalogue"
	"qifu/internal/fault"
)

// catalogueBook writes list as the catalogue workbook.
func catalogueBook(t testing.TB, list []catalogue.Standard) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCatalogue(&buf, list); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// catalogueCells builds a catalogue workbook cell by cell: the headers
// given, then the rows; edit, if not nil, changes the file before it is
// written (to type a cell as a number or a date).
func catalogueCells(t testing.TB, headers []string, rows [][]string, edit func(f *excelize.File, sheet string)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	if err := setRow(f, sheet, 1, headers); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		if err := setRow(f, sheet, i+2, row); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		edit(f, sheet)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// catalogueRow is a row of the catalogue workbook with the cells given by
// header, the others empty.
func catalogueRow(cells map[string]string) []string {
	row := make([]string, len(CatalogueHeaders))
	for i, h := range CatalogueHeaders {
		row[i] = cells[h]
	}
	return row
}

// asWritten is what a standard is once through the workbook: the demo flag
// and the version are not columns (an imported catalogue is official, and
// the store numbers the versions).
func asWritten(list []catalogue.Standard) []catalogue.Standard {
	out := slices.Clone(list)
	for i := range out {
		out[i].Demo, out[i].Version = false, 0
	}
	return out
}

// roundTripSample is the demo catalogue with the fields it leaves empty
// filled in on some standards: an office, a withdrawal date, a standard in
// hours, a link on a standard that is not online.
func roundTripSample() []catalogue.Standard {
	list := catalogue.DemoStandards()
	list[0].Office, list[0].Until = "ecology-bl", "2027-06-30"
	list[1].Handle = appeal.Hours(24)
	list[2].Link = "https://example.gov.cn/fire"
	list[3].Materials = []string{"一"}
	list[3].Providers = []string{"sme-assoc", "union", "fic"}
	return list
}

// TestCatalogueRoundTrip holds that the export is the import's template:
// every field of every standard comes back as written, lists, units of
// time, dates, and groups and modes written by their Chinese names.
func TestCatalogueRoundTrip(t *testing.T) {
	for name, list := range map[string][]catalogue.Standard{"demo": catalogue.DemoStandards(), "filled": roundTripSample()} {
		t.Run(name, func(t *testing.T) {
			book := catalogueBook(t, list)
			got, _, err := ReadCatalogue(bytes.NewReader(book), 0)
			if err != nil {
				t.Fatal(err)
			}
			want := asWritten(list)
			if len(got) != len(want) {
				t.Fatalf("read %d standards, wrote %d", len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("standard %s comes back changed:\n got %+v\nwant %+v", want[i].Code, got[i], want[i])
				}
				if st := got[i]; st.Check() != nil {
					t.Errorf("standard %s no longer passes its check: %v", st.Code, st.Check())
				}
			}
			var hours, days, withdrawn int
			for _, st := range got {
				if st.Handle.Days {
					days++
				} else {
					hours++
				}
				if st.Until != "" {
					withdrawn++
				}
			}
			if hours == 0 || days == 0 {
				t.Errorf("the sample has %d standards in hours and %d in days: both are wanted", hours, days)
			}
			if name == "filled" && withdrawn == 0 {
				t.Error("the sample has no withdrawn standard")
			}
		})
	}

	// The workbook names groups and modes in Chinese, for the people who edit it.
	book := catalogueBook(t, catalogue.DemoStandards()[:1])
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], CatalogueHeaders) {
		t.Errorf("headers %q, want %q", rows[0], CatalogueHeaders)
	}
	at := func(h string) string { return rows[1][slices.Index(CatalogueHeaders, h)] }
	if at("分组") != "公共治理" || at("服务方式") != "帮办代办" || at("时限单位") != "工作日" || at("材料") != "项目基本情况说明；营业执照复印件；项目选址或用地材料" {
		t.Errorf("G01 written as %q", rows[1])
	}
}

// TestReadCatalogueRefuses holds that a file that is not the catalogue
// workbook is refused as a whole, with a message that says why.
func TestReadCatalogueRefuses(t *testing.T) {
	good := catalogueRow(map[string]string{"编号": "G01", "分组": "公共治理", "名称": "环评", "承诺时限": "5", "时限单位": "工作日"})
	without := func(h string) []string {
		i := slices.Index(CatalogueHeaders, h)
		return slices.Delete(slices.Clone(CatalogueHeaders), i, i+1)
	}
	for _, tt := range []struct {
		name string
		file []byte
		max  int
		code string
		says string // in the Chinese message
		not  string // not in it
	}{
		{"not a workbook", []byte("编号,分组\nG01,公共治理\n"), 0, "sheet_format", "", ""},
		{"empty file", nil, 0, "sheet_format", "", ""},
		{"empty sheet", catalogueCells(t, nil, nil, nil), 0, "sheet_headers", "", ""},
		{"no 承诺时限", catalogueCells(t, without("承诺时限"), nil, nil), 0, "sheet_headers", "承诺时限", "生效日期"},
		{"no 废止日期", catalogueCells(t, without("废止日期"), [][]string{good[:len(good)-1]}, nil), 0, "sheet_headers", "废止日期", "编号"},
		{"headers of another sheet", catalogueCells(t, []string{"统一社会信用代码", "企业名称"}, nil, nil), 0, "sheet_headers", "编号", ""},
		{"too many rows", catalogueCells(t, CatalogueHeaders, [][]string{good, good, good}, nil), 2, "sheet_too_many_rows", "2", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			list, _, err := ReadCatalogue(bytes.NewReader(tt.file), tt.max)
			fe := fault.As(err)
			if fe == nil || fe.Kind != fault.Invalid || fe.Code != tt.code {
				t.Fatalf("read %d standards, error %v; want %s", len(list), err, tt.code)
			}
			if list != nil {
				t.Errorf("a refused file still gave %d standards", len(list))
			}
			if !strings.Contains(fe.Message.Zh, tt.says) || tt.not != "" && strings.Contains(fe.Message.Zh, tt.not) {
				t.Errorf("message %q: want %q in it, not %q", fe.Message.Zh, tt.says, tt.not)
			}
		})
	}

	// As many rows as allowed are read, blank rows not counted.
	book := catalogueCells(t, CatalogueHeaders, [][]string{good, nil, good}, nil)
	if list, _, err := ReadCatalogue(bytes.NewReader(book), 2); err != nil || len(list) != 2 {
		t.Errorf("two rows and a blank one under a limit of 2: %d standards, %v", len(list), err)
	}
}

// TestReadCatalogueCells holds that the reader takes the cells as people
// type them: dates as Excel's dates, groups and modes by their English
// names or codes, the unit in English, lists on either semicolon; and that
// it skips blank rows.
func TestReadCatalogueCells(t *testing.T) {
	rows := [][]string{
		catalogueRow(map[string]string{"编号": " G01 ", "分组": "Support services", "名称": "融资对接", "服务方式": "Official online service",
			"材料": "营业执照; 财务报表；\n 纳税证明", "协同机构代码": "bank-rural;sme-assoc", "承诺时限": "5", "时限单位": "工作日",
			"生效日期": "2026/03/01", "废止日期": "2027.01.01"}),
		nil, // blank
		catalogueRow(map[string]string{"编号": "S02", "分组": "employees", "服务方式": "activity", "承诺时限": "8", "时限单位": "工作小时"}),
		catalogueRow(map[string]string{"   ": "", "分组": "　", "名称": " \u00a0"}), // blank but for spaces
		catalogueRow(map[string]string{"编号": "P03", "分组": "PUBLIC GOVERNANCE", "服务方式": "On-Site Service", "承诺时限": "3", "时限单位": "hours"}),
		catalogueRow(map[string]string{"编号": "P04", "分组": "党群发展", "服务方式": "上门服务", "承诺时限": "3"}),
		catalogueRow(map[string]string{"编号": "P05", "分组": "no such group", "服务方式": "by pigeon", "承诺时限": "three"}),
	}
	dates := func(f *excelize.File, sheet string) {
		// Row 4 (S02): dates typed into date cells, stored as serial numbers.
		style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
		if err != nil {
			t.Fatal(err)
		}
		from, until := cellOf("生效日期", 4), cellOf("废止日期", 4)
		if err := f.SetCellValue(sheet, from, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellInt(sheet, until, 46388); err != nil { // 2027-01-01
			t.Fatal(err)
		}
		_ = f.SetCellStyle(sheet, from, until, style)
		// Row 6 (P03): a date with a time of day; the time limit as a number.
		if err := f.SetCellValue(sheet, cellOf("生效日期", 6), time.Date(2026, 3, 1, 15, 30, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellFloat(sheet, cellOf("承诺时限", 6), 3, 1, 64); err != nil {
			t.Fatal(err)
		}
	}
	got, _, err := ReadCatalogue(bytes.NewReader(catalogueCells(t, CatalogueHeaders, rows, dates)), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("read %d standards, want 5 (two rows are blank): %+v", len(got), got)
	}
	for _, c := range []struct {
		name string
		got  any
		want any
	}{
		{"code trimmed", got[0].Code, "G01"},
		{"group by English name", got[0].Group, "support"},
		{"mode by English name", got[0].Mode, catalogue.Online},
		{"materials on both semicolons and lines", got[0].Materials, []string{"营业执照", "财务报表", "纳税证明"}},
		{"providers", got[0].Providers, []string{"bank-rural", "sme-assoc"}},
		{"days", got[0].Handle, appeal.Days(5)},
		{"from with slashes", got[0].From, "2026-03-01"},
		{"until with dots", got[0].Until, "2027-01-01"},
		{"group by code", got[1].Group, "employees"},
		{"mode by code", got[1].Mode, catalogue.Activity},
		{"hours", got[1].Handle, appeal.Hours(8)},
		{"from as a date cell", got[1].From, "2026-03-01"},
		{"until as a serial number", got[1].Until, "2027-01-01"},
		{"no materials", got[1].Materials, []string(nil)},
		{"group by English name in capitals", got[2].Group, "governance"},
		{"mode by English name in another case", got[2].Mode, catalogue.OnSite},
		{"hours in English, the limit a number", got[2].Handle, appeal.Hours(3)},
		{"from as a date and time", got[2].From, "2026-03-01"},
		{"group by Chinese name", got[3].Group, "party"},
		{"mode by Chinese name", got[3].Mode, catalogue.OnSite},
		{"no unit is days", got[3].Handle, appeal.Days(3)},
		{"an unknown group kept for the check", got[4].Group, "no such group"},
		{"an unknown mode kept for the check", got[4].Mode, catalogue.Mode("by pigeon")},
		{"a limit that is no number", got[4].Handle, appeal.Span{}},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: %#v, want %#v", c.name, c.got, c.want)
		}
	}
	if err := got[4].Check(); err == nil {
		t.Error("a row with an unknown group, mode and limit passes the check")
	} else if fe := fault.As(err); fe == nil || fe.Fields["group"].Zh == "" || fe.Fields["mode"].Zh == "" || fe.Fields["handle"].Zh == "" {
		t.Errorf("the check of an unknown group, mode and limit: %v", err)
	}
}

// TestReadCatalogueColumnOrder holds that the columns are found by their
// headers, in any order and with spaces around them, extra columns ignored.
func TestReadCatalogueColumnOrder(t *testing.T) {
	st := catalogue.DemoStandards()[4] // G05, online, with materials
	book := catalogueBook(t, []catalogue.Standard{st})
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// Reverse the columns, pad the headers and add a column of notes.
	var headers, row []string
	for i := len(CatalogueHeaders) - 1; i >= 0; i-- {
		headers = append(headers, " "+rows[0][i]+"\u00a0")
		cell := ""
		if i < len(rows[1]) {
			cell = rows[1][i]
		}
		row = append(row, cell)
	}
	headers, row = append(headers, "备注"), append(row, "请勿修改编号")
	got, _, err := ReadCatalogue(bytes.NewReader(catalogueCells(t, headers, [][]string{row}, nil)), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := asWritten([]catalogue.Standard{st}); !reflect.DeepEqual(got, want) {
		t.Errorf("columns out of order:\n got %+v\nwant %+v", got, want)
	}
}

// cellOf names the cell of a catalogue column on a row of the sheet.
func cellOf(header string, row int) string {
	cell, err := excelize.CoordinatesToCellName(slices.Index(CatalogueHeaders, header)+1, row)
	if err != nil {
		panic(fmt.Sprintf("no column %s", header))
	}
	return cell
}

// FuzzReadCatalogue feeds arbitrary bytes, most of them workbooks written
// by WriteCatalogue and then damaged, to the catalogue's reader: it never
// panics, and it either refuses the file with an Invalid error or reads
// at most the rows allowed.
func FuzzReadCatalogue(f *testing.F) {
	f.Add(catalogueBook(f, catalogue.DemoStandards()[4:5]))
	f.Add(catalogueBook(f, roundTripSample()[:1]))
	f.Add(catalogueBook(f, nil))
	f.Add(catalogueCells(f, CatalogueHeaders, [][]string{
		catalogueRow(map[string]string{"编号": "\x00", "分组": "Support services", "材料": "；；;", "承诺时限": "1e400", "生效日期": "99999", "废止日期": "20001"}),
		nil,
		catalogueRow(map[string]string{"编号": "\u202eG01", "服务方式": "ONLINE", "承诺时限": "-3", "时限单位": "hours", "生效日期": "2026/3/1"}),
	}, nil))
	f.Add(catalogueCells(f, CatalogueHeaders[:3], [][]string{{"G01", "公共治理", "x"}}, nil))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	const max = 5
	f.Fuzz(func(t *testing.T, data []byte) {
		list, _, err := ReadCatalogue(bytes.NewReader(data), max)
		if err != nil {
			if fe := fault.As(err); fe == nil || fe.Kind != fault.Invalid {
				t.Fatalf("refused with an error that is not Invalid: %v", err)
			}
			if list != nil {
				t.Fatalf("refused, yet %d standards read", len(list))
			}
			return
		}
		if len(list) > max {
			t.Fatalf("read %d standards, more than the %d allowed", len(list), max)
		}
		for _, st := range list {
			_ = st.Check() // whatever was read, the check takes it
		}
	})
}

// TestCatalogueLines holds the lines ReadCatalogue gives to the sheet's
// rows: a header below a title row and a blank row between standards.
func TestCatalogueLines(t *testing.T) {
	st := catalogue.DemoStandards()[:2]
	var book bytes.Buffer
	if err := WriteCatalogue(&book, st); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&book)
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	if err := f.InsertRows(sheet, 1, 1); err != nil { // a title above the header
		t.Fatal(err)
	}
	if err := f.SetCellStr(sheet, "A1", "海定区服务标准清单（2027 年版）"); err != nil {
		t.Fatal(err)
	}
	if err := f.InsertRows(sheet, 3, 1); err != nil { // a blank row after the header
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	list, lines, err := ReadCatalogue(&out, 0)
	if err != nil || len(list) != 2 || !slices.Equal(lines, []int{4, 5}) {
		t.Fatalf("read %d standards on lines %v, %v; want 2 on lines 4 and 5", len(list), lines, err)
	}
	if d := dayText("2026/3/1"); d != "2026-03-01" {
		t.Errorf("an unpadded date reads %q", d)
	}
}
