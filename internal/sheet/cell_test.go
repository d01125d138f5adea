package sheet

import (
	"reflect"
	"testing"
)

func TestCodeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812345678", "13812345678"},
		{" 13812345678.0 ", "13812345678"},
		{"13812345678.00", "13812345678"},
		{"1.3812345678E+10", "13812345678"},
		{"1.3812345678e10", "13812345678"},
		{"3.30206001001001E+14", "330206001001001"},
		{"1.38123456785E+10", "1.38123456785E+10"}, // not a whole number: left for the validator
		{"91330206MA2H0E001K", "91330206MA2H0E001K"},
		{"1E5", "100000"},
		{"12.5", "12.5"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := codeText(tt.in); got != tt.want {
			t.Errorf("codeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseWan(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  error
	}{
		{"", 0, nil},
		{"0", 0, nil},
		{"3260.5", 32_605_000, nil},
		{"3260.56", 32_605_600, nil},
		{"3,260.56", 32_605_600, nil},
		{"3260.560", 32_605_600, nil},
		{" 100万元", 1_000_000, nil},
		{".5", 5_000, nil},
		{"1234.5600000000001", 12_345_600, nil}, // binary noise of a number cell
		{"1.5E+3", 15_000_000, nil},
		{"3260.567", 0, errFraction},
		{"-5", 0, errNegative},
		{"-0.01", 0, errNegative},
		{"abc", 0, errNotNumber},
		{"一百", 0, errNotNumber},
		{"1.2.3", 0, errNotNumber},
		{"1e300", 0, errOutOfRange},
		{"1234567890123", 0, errOutOfRange},
	}
	for _, tt := range tests {
		got, err := parseWan(tt.in)
		if got != tt.want || err != tt.err {
			t.Errorf("parseWan(%q) = %d, %v; want %d, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestFormatWan(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0.00"}, {32_605_000, "3260.50"}, {100, "0.01"}, {149, "0.01"}, {150, "0.02"}, {-32_605_600, "-3260.56"},
	}
	for _, tt := range tests {
		if got := formatWan(tt.in); got != tt.want {
			t.Errorf("formatWan(%d) = %q, want %q", tt.in, got, tt.want)
		}
		if tt.in >= 0 && tt.in%100 == 0 {
			if back, err := parseWan(tt.want); err != nil || back != tt.in {
				t.Errorf("parseWan(formatWan(%d)) = %d, %v", tt.in, back, err)
			}
		}
	}
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
		err  error
	}{
		{"", 0, nil}, {"85", 85, nil}, {"85.0", 85, nil}, {"1,200", 1200, nil}, {"1.2E+3", 1200, nil},
		{"-3", 0, errNegative}, {"8.5", 0, errFraction}, {"八十", 0, errNotNumber}, {"99999999999", 0, errOutOfRange},
	}
	for _, tt := range tests {
		got, err := parseCount(tt.in)
		if got != tt.want || err != tt.err {
			t.Errorf("parseCount(%q) = %d, %v; want %d, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestIndustryText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"34", "34"}, {"C34", "34"}, {"c34", "34"}, {"3411", "34"}, {"C3411", "34"}, {"341", "34"},
		{"34.0", "34"}, {"5", "05"}, {"A5", "05"}, {"0111", "01"},
		{"A34", "A34"}, // the letter contradicts the division: left for the validator
		{"98", "98"}, {"34111", "34111"}, {"制造业", "制造业"}, {"", ""},
	}
	for _, tt := range tests {
		if got := industryText(tt.in); got != tt.want {
			t.Errorf("industryText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseYesNo(t *testing.T) {
	tests := []struct {
		in      string
		yes, ok bool
	}{
		{"是", true, true}, {"否", false, true}, {"Y", true, true}, {"n", false, true}, {"1", true, true},
		{"0", false, true}, {"TRUE", true, true}, {"false", false, true}, {"", false, true}, {" 是 ", true, true},
		{"也许", false, false}, {"2", false, false},
	}
	for _, tt := range tests {
		if yes, ok := parseYesNo(tt.in); yes != tt.yes || ok != tt.ok {
			t.Errorf("parseYesNo(%q) = %v, %v; want %v, %v", tt.in, yes, ok, tt.yes, tt.ok)
		}
	}
}

func TestSplitTags(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"模具", []string{"模具"}},
		{"模具、外贸,出口，专精特新;高新；小巨人", []string{"模具", "外贸", "出口", "专精特新", "高新", "小巨人"}},
		{" 模具 、、 模具 ,外贸 ", []string{"模具", "外贸"}},
	}
	for _, tt := range tests {
		if got := splitTags(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitTags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHeaderKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"企业名称", "企业名称"},
		{" 企业 名称\u3000", "企业名称"},
		{"*企业名称", "企业名称"},
		{"营业收入（万元）", "营业收入(万元)"},
	}
	for _, tt := range tests {
		if got := headerKey(tt.in); got != tt.want {
			t.Errorf("headerKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
