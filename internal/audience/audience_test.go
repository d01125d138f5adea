package audience

import (
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// code completes a 17-character prefix into a valid credit code.
func code(t testing.TB, prefix string) string {
	t.Helper()
	c, ok := enterprise.CheckChar(prefix)
	if !ok {
		t.Fatalf("CheckChar(%q) failed", prefix)
	}
	return prefix + string(c)
}

// checked returns d as Check returns it, failing the test when refused.
func checked(t *testing.T, d Definition) Definition {
	t.Helper()
	out, err := d.Check(now)
	if err != nil {
		t.Fatalf("%+v refused: %v", d, fieldsOf(err))
	}
	return out
}

func fieldsOf(err error) []string {
	fe := fault.As(err)
	if fe == nil {
		return nil
	}
	var out []string
	for k := range fe.Fields {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestCheck holds that a full definition passes, with its credit codes
// normalised, sorted and without repeats, and its tags trimmed.
func TestCheck(t *testing.T) {
	a, b, c := code(t, "91330206MA2H7K3C1"), code(t, "91330206MA2H7K3C2"), code(t, "92330206MA2J8Y6B0")
	fullWidth := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			return r + 0xFEE0
		}
		return r
	}, b)
	d := checked(t, Definition{
		Regions:      []string{"330200", "330206", "330206001", "330206001001", "330206001001001"},
		Industries:   []string{"C", "34", "A", "01"},
		Sizes:        []enterprise.SizeClass{enterprise.SizeSmall, enterprise.SizeMicro, enterprise.SizeMedium, enterprise.SizeLarge},
		KeyLevels:    []enterprise.KeyLevel{enterprise.KeyCity, enterprise.KeyDistrict},
		Tags:         []string{" 模具 ", "外贸"},
		ForeignTrade: "yes",
		ListName:     "2026 年专精特新培育名单",
		List:         []string{strings.ToLower(b), " " + a + "\t", fullWidth, a},
		Exclude:      []string{c, c},
		Facts: []FactCondition{
			{Kind: "employees", Op: AtLeast, Value: "50"},
			{Kind: "employees", Op: AtMost, Value: "500", Period: "2026-01-31"},
			{Kind: "revenue", Op: Above, Value: "2000.5", Period: "2025"},
			{Kind: "export_share", Op: Below, Value: "30", Authoritative: true},
			{Kind: "tax_paid", Op: Equal, Value: "0", Period: "2026"},
		},
	})
	if want := []string{a, b}; !slices.Equal(d.List, want) {
		t.Errorf("list %q, want %q", d.List, want)
	}
	if want := []string{c}; !slices.Equal(d.Exclude, want) {
		t.Errorf("exclude %q, want %q", d.Exclude, want)
	}
	if want := []string{"模具", "外贸"}; !slices.Equal(d.Tags, want) {
		t.Errorf("tags %q, want %q", d.Tags, want)
	}
	for i, want := range []int64{50, 500, 20_005_000, 3000, 0} {
		if d.Facts[i].num != want {
			t.Errorf("fact %d: value %q parsed as %d, want %d", i, d.Facts[i].Value, d.Facts[i].num, want)
		}
	}
	if _, err := (Definition{}).Check(now); err != nil {
		t.Errorf("an empty definition refused: %v", fieldsOf(err))
	}
}

// TestCheckRefuses holds that Check refuses each bad line with a message,
// in both languages, keyed by the line (a fact condition by its place).
func TestCheckRefuses(t *testing.T) {
	good := code(t, "91330206MA2H7K3C1")
	bad := good[:17] + "0" // the check character, wrong
	if bad == good {
		bad = good[:17] + "1"
	}
	fact := func(c FactCondition) Definition { return Definition{Facts: []FactCondition{c}} }
	many := func(n int, s string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = s
		}
		return out
	}
	for _, c := range []struct {
		name  string
		d     Definition
		field string
	}{
		{"region code of five digits", Definition{Regions: []string{"33020"}}, "regions"},
		{"region code with a letter", Definition{Regions: []string{"3302A6"}}, "regions"},
		{"region code of eleven digits", Definition{Regions: []string{"33020600100"}}, "regions"},
		{"empty region code", Definition{Regions: []string{""}}, "regions"},
		{"region code of full-width digits", Definition{Regions: []string{"３３０２"}}, "regions"},
		{"unknown section", Definition{Industries: []string{"Z"}}, "industries"},
		{"section in lower case", Definition{Industries: []string{"c"}}, "industries"},
		{"unknown division", Definition{Industries: []string{"99"}}, "industries"},
		{"division of three digits", Definition{Industries: []string{"034"}}, "industries"},
		{"empty industry", Definition{Industries: []string{""}}, "industries"},
		{"unknown size", Definition{Sizes: []enterprise.SizeClass{"huge"}}, "sizes"},
		{"no key level", Definition{KeyLevels: []enterprise.KeyLevel{enterprise.KeyNone}}, "key_levels"},
		{"unknown key level", Definition{KeyLevels: []enterprise.KeyLevel{"province"}}, "key_levels"},
		{"blank tag", Definition{Tags: []string{" "}}, "tags"},
		{"long tag", Definition{Tags: []string{strings.Repeat("标", 21)}}, "tags"},
		{"foreign trade neither", Definition{ForeignTrade: "maybe"}, "foreign_trade"},
		{"list's name too long", Definition{ListName: strings.Repeat("名", 101)}, "list_name"},
		{"bad check character on the list", Definition{List: []string{good, bad}}, "list"},
		{"short code on the list", Definition{List: []string{good[:17]}}, "list"},
		{"bad code excluded", Definition{Exclude: []string{"not a code"}}, "exclude"},
		{"too many regions", Definition{Regions: many(MaxLines+1, "330206")}, "regions"},
		{"too many tags", Definition{Tags: many(MaxLines+1, "模具")}, "tags"},
		{"too many exclusions", Definition{Exclude: many(MaxLines+1, good)}, "exclude"},
		{"too long a list", Definition{List: many(MaxList+1, good)}, "list"},
		{"too many facts", Definition{Facts: make([]FactCondition, MaxFacts+1)}, "facts"},
		{"unknown kind of fact", fact(FactCondition{Kind: "mood", Op: AtLeast, Value: "1"}), "facts.0"},
		{"a text fact", fact(FactCondition{Kind: "certification", Op: Equal, Value: "高新"}), "facts.0"},
		{"unknown comparison", fact(FactCondition{Kind: "employees", Op: "!=", Value: "1"}), "facts.0"},
		{"no comparison", fact(FactCondition{Kind: "employees", Value: "1"}), "facts.0"},
		{"value not a number", fact(FactCondition{Kind: "employees", Op: AtLeast, Value: "many"}), "facts.0"},
		{"no value", fact(FactCondition{Kind: "employees", Op: AtLeast}), "facts.0"},
		{"negative value", fact(FactCondition{Kind: "revenue", Op: AtLeast, Value: "-1"}), "facts.0"},
		{"people in part", fact(FactCondition{Kind: "employees", Op: AtLeast, Value: "2.5"}), "facts.0"},
		{"share above 100 %", fact(FactCondition{Kind: "export_share", Op: AtLeast, Value: "100.01"}), "facts.0"},
		{"a year to come", fact(FactCondition{Kind: "revenue", Op: AtLeast, Value: "1", Period: "2027"}), "facts.0"},
		{"a day for a yearly kind", fact(FactCondition{Kind: "revenue", Op: AtLeast, Value: "1", Period: "2025-12-31"}), "facts.0"},
		{"a year for a dated kind", fact(FactCondition{Kind: "employees", Op: AtLeast, Value: "1", Period: "2025"}), "facts.0"},
		{"a day to come", fact(FactCondition{Kind: "employees", Op: AtLeast, Value: "1", Period: "2026-03-03"}), "facts.0"},
		{"the second fact", Definition{Facts: []FactCondition{
			{Kind: "employees", Op: AtLeast, Value: "1"}, {Kind: "employees", Op: "≥", Value: "1"}}}, "facts.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.d.Check(now)
			fe := fault.As(err)
			if fe == nil || fe.Kind != fault.Invalid {
				t.Fatalf("accepted (%v); want %s refused", err, c.field)
			}
			if m := fe.Fields[c.field]; m.Zh == "" || m.En == "" {
				t.Errorf("refused %v; want %s in both languages", fieldsOf(err), c.field)
			}
		})
	}
}

// molds is the enterprise the registry tests match: a small general
// equipment maker (division 34, section C) in a grid of Beilun, a
// district's key enterprise in foreign trade.
func molds(t *testing.T) enterprise.Enterprise {
	return enterprise.Enterprise{
		CreditCode: code(t, "91330206MA2H7K3C1"),
		CityCode:   "330200", DistrictCode: "330206", StreetCode: "330206001",
		CommunityCode: "330206001001", GridCode: "330206001001001",
		Industry: "34", Size: enterprise.SizeSmall, KeyLevel: enterprise.KeyDistrict,
		Tags: []string{"模具", "外贸"}, ForeignTrade: true,
	}
}

// TestRegistry holds how an enterprise's record meets a definition: each
// line narrows, the values within a line are alternatives, a region holds
// its subtree, a section its divisions, the list restricts and exclusions
// win over everything.
func TestRegistry(t *testing.T) {
	e := molds(t)
	other := code(t, "91330206MA2H7K3C2")
	for _, c := range []struct {
		name string
		d    Definition
		want bool
	}{
		{"empty: everyone", Definition{}, true},
		{"its city", Definition{Regions: []string{"330200"}}, true},
		{"its district", Definition{Regions: []string{"330206"}}, true},
		{"its street", Definition{Regions: []string{"330206001"}}, true},
		{"its community", Definition{Regions: []string{"330206001001"}}, true},
		{"its grid", Definition{Regions: []string{"330206001001001"}}, true},
		{"another city", Definition{Regions: []string{"330100"}}, false},
		{"another district", Definition{Regions: []string{"330211"}}, false},
		{"a neighbouring grid", Definition{Regions: []string{"330206001001002"}}, false},
		{"another district or its grid", Definition{Regions: []string{"330211", "330206001001001"}}, true},
		{"its section", Definition{Industries: []string{"C"}}, true},
		{"another section", Definition{Industries: []string{"F"}}, false},
		{"its division", Definition{Industries: []string{"34"}}, true},
		{"another division of its section", Definition{Industries: []string{"35"}}, false},
		{"another division or its section", Definition{Industries: []string{"35", "C"}}, true},
		{"another size", Definition{Sizes: []enterprise.SizeClass{enterprise.SizeMicro}}, false},
		{"sizes with its own", Definition{Sizes: []enterprise.SizeClass{enterprise.SizeMicro, enterprise.SizeSmall}}, true},
		{"city key enterprises", Definition{KeyLevels: []enterprise.KeyLevel{enterprise.KeyCity}}, false},
		{"key enterprises of either level", Definition{KeyLevels: []enterprise.KeyLevel{enterprise.KeyCity, enterprise.KeyDistrict}}, true},
		{"another tag", Definition{Tags: []string{"纺织"}}, false},
		{"any of the tags", Definition{Tags: []string{"纺织", " 模具 "}}, true},
		{"in foreign trade", Definition{ForeignTrade: "yes"}, true},
		{"not in foreign trade", Definition{ForeignTrade: "no"}, false},
		{"every line holds", Definition{Regions: []string{"330206"}, Industries: []string{"C"}, Sizes: []enterprise.SizeClass{enterprise.SizeSmall},
			KeyLevels: []enterprise.KeyLevel{enterprise.KeyDistrict}, Tags: []string{"模具"}, ForeignTrade: "yes"}, true},
		{"one line fails", Definition{Regions: []string{"330206"}, Industries: []string{"C"}, Sizes: []enterprise.SizeClass{enterprise.SizeMicro}}, false},
		{"on the list", Definition{List: []string{other, strings.ToLower(e.CreditCode)}}, true},
		{"not on the list", Definition{List: []string{other}}, false},
		{"excluded", Definition{Regions: []string{"330206"}, Exclude: []string{e.CreditCode}}, false},
		{"on the list and excluded", Definition{List: []string{e.CreditCode}, Exclude: []string{e.CreditCode}}, false},
		{"another excluded", Definition{Exclude: []string{other}}, true},
	} {
		if got := checked(t, c.d).Registry(e); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	// An enterprise filed under no known division is in no section.
	e.Industry = ""
	if checked(t, Definition{Industries: []string{"C"}}).Registry(e) {
		t.Error("an enterprise without an industry is in section C")
	}
}

// TestFactsMet holds the verdicts on an enterprise's current facts: In
// when every condition holds, Out when one fails (whatever is unknown),
// Unknown when a value is missing or only declared where an authoritative
// one is asked; the period named, or the latest one.
func TestFactsMet(t *testing.T) {
	current := []dossier.Fact{
		{Kind: "employees", Period: "2026-01-31", Num: 80, Source: dossier.Declared},
		{Kind: "employees", Period: "2025-12-31", Num: 40, Source: dossier.Department},
		{Kind: "revenue", Period: "2024", Num: 10_000_000, Source: dossier.Staff},
		{Kind: "revenue", Period: "2025", Num: 30_000_000, Source: dossier.Department},
		{Kind: "export_share", Period: "2025", Num: 3550, Source: dossier.Declared},
		{Kind: "certification", Period: "2028-06-30", Text: "高新技术企业", Source: dossier.Staff},
	}
	for _, c := range []struct {
		name  string
		facts []FactCondition
		want  Verdict
	}{
		{"no condition", nil, In},
		{"the latest headcount", []FactCondition{{Kind: "employees", Op: AtLeast, Value: "80"}}, In},
		{"the latest headcount, too few", []FactCondition{{Kind: "employees", Op: AtLeast, Value: "81"}}, Out},
		{"the headcount of a day", []FactCondition{{Kind: "employees", Op: AtLeast, Value: "50", Period: "2025-12-31"}}, Out},
		{"a day not known", []FactCondition{{Kind: "employees", Op: AtLeast, Value: "50", Period: "2025-06-30"}}, Unknown},
		{"the authoritative headcount", []FactCondition{{Kind: "employees", Op: AtLeast, Value: "50", Authoritative: true}}, Out},
		{"the latest revenue", []FactCondition{{Kind: "revenue", Op: AtLeast, Value: "3000"}}, In},
		{"the revenue of a year", []FactCondition{{Kind: "revenue", Op: AtLeast, Value: "2000", Period: "2024"}}, Out},
		{"the revenue, equal", []FactCondition{{Kind: "revenue", Op: Equal, Value: "3000.00"}}, In},
		{"the revenue, above", []FactCondition{{Kind: "revenue", Op: Above, Value: "3000"}}, Out},
		{"the revenue, below", []FactCondition{{Kind: "revenue", Op: Below, Value: "3000.01"}}, In},
		{"the revenue, at most", []FactCondition{{Kind: "revenue", Op: AtMost, Value: "2999.99"}}, Out},
		{"a declared share", []FactCondition{{Kind: "export_share", Op: Above, Value: "30"}}, In},
		{"a declared share where an authoritative one is asked", []FactCondition{{Kind: "export_share", Op: Above, Value: "30", Authoritative: true}}, Unknown},
		{"a fact not known", []FactCondition{{Kind: "rd_spend", Op: AtLeast, Value: "0"}}, Unknown},
		{"every condition holds", []FactCondition{
			{Kind: "employees", Op: AtLeast, Value: "50"}, {Kind: "revenue", Op: AtLeast, Value: "2000", Authoritative: true}}, In},
		{"unknown, then failing", []FactCondition{
			{Kind: "rd_spend", Op: AtLeast, Value: "0"}, {Kind: "employees", Op: AtLeast, Value: "100"}}, Out},
		{"failing, then unknown", []FactCondition{
			{Kind: "employees", Op: AtLeast, Value: "100"}, {Kind: "rd_spend", Op: AtLeast, Value: "0"}}, Out},
		{"holding and unknown", []FactCondition{
			{Kind: "employees", Op: AtLeast, Value: "50"}, {Kind: "rd_spend", Op: AtLeast, Value: "0"}}, Unknown},
	} {
		d := checked(t, Definition{Facts: c.facts})
		if got := d.FactsMet(current); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if got := checked(t, Definition{Facts: []FactCondition{{Kind: "employees", Op: AtMost, Value: "10"}}}).FactsMet(nil); got != Unknown {
		t.Errorf("no facts at all: %v, want unknown", got)
	}
}

// TestDescribe holds that every line is said, and an empty definition as
// everyone.
func TestDescribe(t *testing.T) {
	if got := (Definition{}).Describe("en", nil); !slices.Equal(got, []string{"every enterprise in scope"}) {
		t.Errorf("empty: %q", got)
	}
	d := checked(t, Definition{
		Regions: []string{"330206"}, Industries: []string{"C"}, Sizes: []enterprise.SizeClass{enterprise.SizeSmall},
		KeyLevels: []enterprise.KeyLevel{enterprise.KeyCity}, Tags: []string{"模具"}, ForeignTrade: "no",
		List: []string{code(t, "91330206MA2H7K3C1")}, Exclude: []string{code(t, "91330206MA2H7K3C2")},
		Facts: []FactCondition{{Kind: "revenue", Op: AtLeast, Value: "2000", Period: "2025", Authoritative: true}},
	})
	want := []string{"区域：330206", "行业：C", "规模：small", "重点企业：city", "标签：模具", "非外贸企业",
		"名单（1）", "营业收入 >= 2000 万元 (2025)，须权威来源", "排除 1 家"}
	if got := d.Describe("zh", nil); !slices.Equal(got, want) {
		t.Errorf("Describe:\n got %q\nwant %q", got, want)
	}
}
