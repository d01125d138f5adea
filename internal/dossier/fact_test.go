package dossier

import (
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
)

func TestCheck(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		f     Fact
		field string // the field refused, "" when accepted
	}{
		{"a year's revenue", Fact{Kind: "revenue", Period: "2025", Num: 12_500_000, Source: Declared}, ""},
		{"this year", Fact{Kind: "revenue", Period: "2026", Num: 1, Source: Staff}, ""},
		{"next year", Fact{Kind: "revenue", Period: "2027", Num: 1, Source: Staff}, "period"},
		{"a date for a year", Fact{Kind: "revenue", Period: "2025-12-31", Num: 1, Source: Staff}, "period"},
		{"headcount on a day", Fact{Kind: "employees", Period: "2026-11-30", Num: 35, Source: Department}, ""},
		{"headcount tomorrow", Fact{Kind: "employees", Period: "2026-12-07", Num: 35, Source: Department}, "period"},
		{"no such day", Fact{Kind: "employees", Period: "2026-02-30", Num: 35, Source: Department}, "period"},
		{"negative", Fact{Kind: "employees", Period: "2026-11-30", Num: -1, Source: Staff}, "value"},
		{"too many people", Fact{Kind: "employees", Period: "2026-11-30", Num: 10_000_001, Source: Staff}, "value"},
		{"over 100 %", Fact{Kind: "export_share", Period: "2025", Num: 10001, Source: Staff}, "value"},
		{"a certificate valid until later", Fact{Kind: "certification", Period: "2028-06-30", Text: "高新技术企业 GR202533000123", Source: Staff}, ""},
		{"an empty certificate", Fact{Kind: "certification", Period: "2028-06-30", Text: "  ", Source: Staff}, "value"},
		{"unknown kind", Fact{Kind: "mood", Period: "2025", Source: Staff}, "kind"},
		{"unknown source", Fact{Kind: "revenue", Period: "2025", Source: "rumour"}, "source"},
	} {
		err := c.f.Check(now)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: refused: %v", c.name, err)
			}
			continue
		}
		fe := fault.As(err)
		if fe == nil || fe.Fields[c.field].Zh == "" || fe.Fields[c.field].En == "" {
			t.Errorf("%s: %v, want field %s refused in both languages", c.name, err, c.field)
		}
	}
}

func TestParseValue(t *testing.T) {
	revenue, _ := KindOf("revenue")
	share, _ := KindOf("export_share")
	people, _ := KindOf("employees")
	for _, c := range []struct {
		k    Kind
		in   string
		want int64
		ok   bool
	}{
		{revenue, "1250.5", 12_505_000, true},
		{revenue, "0.01", 100, true},
		{revenue, "12", 120_000, true},
		{revenue, "1.234", 0, false},
		{revenue, "-3", 0, false},
		{revenue, "一百", 0, false},
		{share, "35.5", 3550, true},
		{share, "100", 10000, true},
		{share, "100.01", 0, false},
		{people, "35", 35, true},
		{people, "3.5", 0, false},
	} {
		got, _, err := ParseValue(c.k, c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("ParseValue(%s, %q) = %d, %v; want %d ok %v", c.k.Key, c.in, got, err, c.want, c.ok)
		}
		if c.ok {
			f := Fact{Kind: c.k.Key, Num: got}
			if back, _, _ := ParseValue(c.k, f.Input()); back != got {
				t.Errorf("%s %q: Input %q reads back as %d", c.k.Key, c.in, f.Input(), back)
			}
		}
	}
	if got := (Fact{Kind: "revenue", Num: 12_505_000}).Format("zh"); got != "1250.5 万元" {
		t.Errorf("Format = %q", got)
	}
	if got := (Fact{Kind: "revenue", Num: 12_505_000}).Format("en"); got != "1250.5 × 10k yuan" {
		t.Errorf("Format en = %q", got)
	}
}

// TestCurrent holds the rule of the current value: the most authoritative
// source of a kind and period wins whatever its age, then the newest.
func TestCurrent(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	facts := []Fact{
		{ID: 1, Kind: "revenue", Period: "2025", Num: 100, Source: Declared, RecordedAt: day(1)},
		{ID: 2, Kind: "revenue", Period: "2025", Num: 200, Source: Department, RecordedAt: day(2)},
		{ID: 3, Kind: "revenue", Period: "2025", Num: 300, Source: Declared, RecordedAt: day(3)}, // newer, but declared
		{ID: 4, Kind: "revenue", Period: "2024", Num: 50, Source: Staff, RecordedAt: day(1)},
		{ID: 5, Kind: "revenue", Period: "2024", Num: 60, Source: Staff, RecordedAt: day(4)}, // same rank, newer
		{ID: 6, Kind: "employees", Period: "2026-01-01", Num: 9, Source: Declared, RecordedAt: day(1)},
	}
	got := map[string]int64{}
	for _, f := range Current(facts) {
		got[f.Kind+f.Period] = f.Num
	}
	want := map[string]int64{"revenue2025": 200, "revenue2024": 60, "employees2026-01-01": 9}
	if len(got) != len(want) {
		t.Fatalf("current: %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("current %s = %d, want %d", k, got[k], v)
		}
	}
	if f, ok := Latest(Current(facts), "revenue"); !ok || f.Period != "2025" || f.Num != 200 {
		t.Errorf("latest revenue: %+v", f)
	}
	if Declared.Authoritative() || Staff.Authoritative() || !Department.Authoritative() || !Computed.Authoritative() {
		t.Error("only department data and computed figures are authoritative")
	}
	for role, want := range map[access.Role]Source{access.RoleEnterprise: Declared, access.RoleDepartment: Department,
		access.RoleGridWorker: Staff, access.RoleCadre: Staff, access.RoleAdmin: Staff} {
		if got := SourceOf(role); got != want {
			t.Errorf("SourceOf(%s) = %s, want %s", role, got, want)
		}
	}
}

func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"1250.5", "0", "", "1e9", "99999999999999999999", "1.", ".5", "12.345", "-0"} {
		f.Add("revenue", s)
		f.Add("export_share", s)
		f.Add("employees", s)
	}
	now := time.Now()
	f.Fuzz(func(t *testing.T, kind, s string) {
		k, ok := KindOf(kind)
		if !ok {
			return
		}
		n, text, err := ParseValue(k, s)
		if err != nil {
			return
		}
		fact := Fact{Kind: kind, Period: "2025", Num: n, Text: text, Source: Staff}
		if k.Period == Date {
			fact.Period = "2025-06-30"
		}
		if err := fact.Check(now); err != nil && k.Type != Text {
			if fe := fault.As(err); fe == nil || fe.Kind != fault.Invalid {
				t.Fatalf("%q parsed to %d but the check fails oddly: %v", s, n, err)
			}
		}
		if back, _, err := ParseValue(k, fact.Input()); k.Type != Text && (err != nil || back != n) {
			t.Fatalf("%q → %d → %q → %d, %v", s, n, fact.Input(), back, err)
		}
	})
}
