package enterprise

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// validEnterprise returns a normalized enterprise that passes Validate.
func validEnterprise(t *testing.T) *Enterprise {
	t.Helper()
	return &Enterprise{
		CreditCode:  complete(t, "91330206MA2H7K3C1"),
		Name:        "宁波北仑某模具有限公司",
		LegalRep:    "张三",
		Contact:     "李四",
		Phone:       "13812345678",
		Address:     "浙江省宁波市北仑区某路1号",
		GridCode:    "330206001001001",
		Industry:    "35",
		Employees:   80,
		Revenue:     30_000_000,
		KeyLevel:    KeyDistrict,
		PartyBranch: "某模具有限公司党支部",
		Tags:        []string{"模具", "外贸"},
	}
}

func TestValidate(t *testing.T) {
	tags := func(n int, s string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = s + string(rune('a'+i))
		}
		return out
	}
	badCheck := func(t *testing.T) string {
		c := complete(t, "91330206MA2H7K3C1")
		if c[17] == '0' {
			return c[:17] + "1"
		}
		return c[:17] + "0"
	}
	tests := []struct {
		name      string
		importing bool
		change    func(t *testing.T, e *Enterprise)
		fields    []string // fields expected in error
	}{
		{"valid", false, func(*testing.T, *Enterprise) {}, nil},
		{"valid, importing", true, func(*testing.T, *Enterprise) {}, nil},
		{"optional fields empty", false, func(_ *testing.T, e *Enterprise) {
			e.LegalRep, e.Address, e.PartyBranch, e.Tags, e.KeyLevel = "", "", "", nil, KeyNone
			e.Employees, e.Revenue = 0, 0
		}, nil},
		{"everything missing", false, func(_ *testing.T, e *Enterprise) { *e = Enterprise{} },
			[]string{"credit_code", "name", "contact", "phone", "grid_code", "industry"}},
		{"check character, editing", false, func(t *testing.T, e *Enterprise) { e.CreditCode = badCheck(t) },
			[]string{"credit_code"}},
		{"check character, importing", true, func(t *testing.T, e *Enterprise) { e.CreditCode = badCheck(t) }, nil},
		{"length, importing", true, func(t *testing.T, e *Enterprise) { e.CreditCode = e.CreditCode[:17] },
			[]string{"credit_code"}},
		{"charset, importing", true, func(t *testing.T, e *Enterprise) { e.CreditCode = "I" + e.CreditCode[1:] },
			[]string{"credit_code"}},
		{"structure, importing", true, func(t *testing.T, e *Enterprise) { e.CreditCode = complete(t, "B1330206MA2H7K3C1") },
			[]string{"credit_code"}},
		{"name 100", false, func(_ *testing.T, e *Enterprise) { e.Name = strings.Repeat("企", 100) }, nil},
		{"name 101", false, func(_ *testing.T, e *Enterprise) { e.Name = strings.Repeat("企", 101) }, []string{"name"}},
		{"legal rep 51", false, func(_ *testing.T, e *Enterprise) { e.LegalRep = strings.Repeat("张", 51) }, []string{"legal_rep"}},
		{"contact 50", false, func(_ *testing.T, e *Enterprise) { e.Contact = strings.Repeat("李", 50) }, nil},
		{"contact 51", false, func(_ *testing.T, e *Enterprise) { e.Contact = strings.Repeat("李", 51) }, []string{"contact"}},
		{"landline", false, func(_ *testing.T, e *Enterprise) { e.Phone = "057486001234" }, []string{"phone"}},
		{"phone unnormalized", false, func(_ *testing.T, e *Enterprise) { e.Phone = "+8613812345678" }, []string{"phone"}},
		{"address 200", false, func(_ *testing.T, e *Enterprise) { e.Address = strings.Repeat("路", 200) }, nil},
		{"address 201", false, func(_ *testing.T, e *Enterprise) { e.Address = strings.Repeat("路", 201) }, []string{"address"}},
		{"industry unknown", false, func(_ *testing.T, e *Enterprise) { e.Industry = "98" }, []string{"industry"}},
		{"industry class code", false, func(_ *testing.T, e *Enterprise) { e.Industry = "3511" }, []string{"industry"}},
		{"employees negative", false, func(_ *testing.T, e *Enterprise) { e.Employees = -1 }, []string{"employees"}},
		{"employees max", false, func(_ *testing.T, e *Enterprise) { e.Employees = 10_000_000 }, nil},
		{"employees too many", false, func(_ *testing.T, e *Enterprise) { e.Employees = 10_000_001 }, []string{"employees"}},
		{"revenue negative", false, func(_ *testing.T, e *Enterprise) { e.Revenue = -1 }, []string{"revenue"}},
		{"revenue max", false, func(_ *testing.T, e *Enterprise) { e.Revenue = maxRevenue }, nil},
		{"revenue too large", false, func(_ *testing.T, e *Enterprise) { e.Revenue = maxRevenue + 1 }, []string{"revenue"}},
		{"key level city", false, func(_ *testing.T, e *Enterprise) { e.KeyLevel = KeyCity }, nil},
		{"key level unknown", false, func(_ *testing.T, e *Enterprise) { e.KeyLevel = "province" }, []string{"key_level"}},
		{"party branch 101", false, func(_ *testing.T, e *Enterprise) { e.PartyBranch = strings.Repeat("党", 101) }, []string{"party_branch"}},
		{"20 tags", false, func(_ *testing.T, e *Enterprise) { e.Tags = tags(20, "标签") }, nil},
		{"21 tags", false, func(_ *testing.T, e *Enterprise) { e.Tags = tags(21, "标签") }, []string{"tags"}},
		{"tag 20", false, func(_ *testing.T, e *Enterprise) { e.Tags = []string{strings.Repeat("签", 20)} }, nil},
		{"tag 21", false, func(_ *testing.T, e *Enterprise) { e.Tags = []string{strings.Repeat("签", 21)} }, []string{"tags"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEnterprise(t)
			tt.change(t, e)
			f := e.Validate(tt.importing)
			got := slices.Sorted(maps.Keys(f))
			want := slices.Sorted(slices.Values(tt.fields))
			if !slices.Equal(got, want) {
				t.Errorf("fields in error = %v; want %v (%v)", got, want, f)
			}
			for field, m := range f {
				if m.Zh == "" || m.En == "" {
					t.Errorf("field %s: message lacks a language: %+v", field, m)
				}
			}
			if (len(f) == 0) != (f.Err() == nil) {
				t.Errorf("Err() = %v with %d fields", f.Err(), len(f))
			}
		})
	}
}

func TestValidateCodeUnconfirmed(t *testing.T) {
	good := complete(t, "91330206MA2H7K3C1")
	bad := good[:17] + string(creditCharset[(strings.IndexByte(creditCharset, good[17])+1)%31])
	tests := []struct {
		name      string
		code      string
		importing bool
		before    bool
		want      bool
		fieldErr  bool
	}{
		{"import bad check", bad, true, false, true, false},
		{"import good", good, true, true, false, false},
		{"edit good clears the mark", good, false, true, false, false},
		{"edit bad check", bad, false, false, false, true},
		{"edit bad check keeps the mark", bad, false, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEnterprise(t)
			e.CreditCode, e.CodeUnconfirmed = tt.code, tt.before
			f := e.Validate(tt.importing)
			if _, ok := f["credit_code"]; ok != tt.fieldErr {
				t.Errorf("credit_code error = %v; want %v", f["credit_code"], tt.fieldErr)
			}
			if e.CodeUnconfirmed != tt.want {
				t.Errorf("CodeUnconfirmed = %v; want %v", e.CodeUnconfirmed, tt.want)
			}
		})
	}
}

func TestValidateMessages(t *testing.T) {
	e := &Enterprise{Industry: "98"}
	f := e.Validate(false)
	tests := []struct {
		field, zh, en string
	}{
		{"name", "请填写企业名称", "name is required"},
		{"credit_code", "请填写统一社会信用代码", "the unified social credit code is required"},
		{"industry", "行业代码“98”不是国民经济行业分类（GB/T 4754-2017）的大类代码", `"98" is not a division code of GB/T 4754-2017`},
	}
	for _, tt := range tests {
		if m := f[tt.field]; m.Zh != tt.zh || m.En != tt.en {
			t.Errorf("%s: %+v; want %q / %q", tt.field, m, tt.zh, tt.en)
		}
	}
	e = validEnterprise(t)
	e.CreditCode = e.CreditCode[:17] + "I"
	if m := e.Validate(false)["credit_code"]; !strings.Contains(m.Zh, "第18位") {
		t.Errorf("credit_code message %q does not say which character is wrong", m.Zh)
	}
}

func TestNormalize(t *testing.T) {
	code := complete(t, "91330206MA2H7K3C1")
	e := &Enterprise{
		CreditCode:  "\u3000" + strings.ToLower(code) + " ",
		Name:        "  宁波某公司（北仑）\t",
		LegalRep:    " 张三 ",
		Contact:     "\u3000李四\u3000",
		Phone:       "+86 138-1234-5678",
		Address:     " 某路1号\n",
		GridCode:    " ３３０２０６００１００１００１ ",
		Industry:    " C35 ",
		Employees:   80,
		Revenue:     30_000_000,
		PartyBranch: " 党支部 ",
		Tags:        []string{" 模具 ", "", "外贸", "模具", "  ", "外贸 "},
	}
	e.Normalize()
	want := Enterprise{
		CreditCode:  code,
		Name:        "宁波某公司（北仑）",
		LegalRep:    "张三",
		Contact:     "李四",
		Phone:       "13812345678",
		Address:     "某路1号",
		GridCode:    "330206001001001",
		Industry:    "35",
		Employees:   80,
		Revenue:     30_000_000,
		Size:        SizeSmall,
		PartyBranch: "党支部",
		Tags:        []string{"模具", "外贸"},
	}
	if !reflect.DeepEqual(*e, want) {
		t.Errorf("Normalize:\n got %+v\nwant %+v", *e, want)
	}
	if f := e.Validate(false); len(f) != 0 {
		t.Errorf("normalized enterprise fails Validate: %v", f)
	}
}

func TestNormalizeIndustry(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"35", "35"},
		{" 35 ", "35"},
		{"３５", "35"},
		{"5", "05"},
		{"0", "0"},
		{"C35", "35"},
		{"c35", "35"},
		{"A35", "A35"}, // wrong section: left for Validate to reject
		{"C98", "C98"},
		{"3511", "3511"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := normalizeIndustry(tt.in); got != tt.want {
			t.Errorf("normalizeIndustry(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeTags(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{nil, nil},
		{[]string{"", " "}, nil},
		{[]string{"a", "b", "a"}, []string{"a", "b"}},
		{[]string{" 外贸", "外贸 ", "\u3000外贸"}, []string{"外贸"}},
		{[]string{"B", "b"}, []string{"B", "b"}},
	}
	for _, tt := range tests {
		if got := normalizeTags(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("normalizeTags(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
