package policy

import (
	"strings"
	"testing"

	"qifu/internal/dossier"
)

func TestCELCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		cond Condition
		key  string
		want []string // in the Chinese message
	}{
		{"type error", Condition{CEL: "employees > 'a'"}, "conditions[0].cel", []string{"第 1 行第 11 列", "no matching overload"}},
		{"type error on line 2", Condition{CEL: "employees >= 50 &&\n  revenue > 'x'"}, "conditions[0].cel", []string{"第 2 行第 11 列"}},
		{"list of ints", Condition{CEL: "1 in tags"}, "conditions[0].cel", []string{"第 1 行第 3 列"}},
		{"string and bool", Condition{CEL: "true && industry"}, "conditions[0].cel", []string{"第 1 行第 9 列", "expected type 'bool'"}},
		{"syntax", Condition{CEL: "employees >"}, "conditions[0].cel", []string{"第 1 行第 12 列", "Syntax error"}},
		{"unbalanced", Condition{CEL: "(employees > 1"}, "conditions[0].cel", []string{"第 1 行", "Syntax error"}},
		{"unknown variable", Condition{CEL: "foo > 1"}, "conditions[0].cel", []string{"第 1 行第 1 列", "undeclared reference to 'foo'"}},
		{"unknown variable later", Condition{CEL: "employees > 1 && headcount > 1"}, "conditions[0].cel", []string{"第 1 行第 18 列", "headcount"}},
		{"int result", Condition{CEL: "employees + 1"}, "conditions[0].cel", []string{"结果须为是/否", "int"}},
		{"double result", Condition{CEL: "revenue * 2"}, "conditions[0].cel", []string{"double"}},
		{"string result", Condition{CEL: "industry"}, "conditions[0].cel", []string{"string"}},
		{"list result", Condition{CEL: "tags"}, "conditions[0].cel", []string{"list"}},
		{"too long", Condition{CEL: "employees > 1" + strings.Repeat(" ", MaxCEL)}, "", nil},
		{"too long bytes", Condition{CEL: "'" + strings.Repeat("长", MaxCEL/3+1) + "' in tags"}, "conditions[0].cel", []string{"不能超过 2000"}},
		{"field and cel", Condition{Field: "employees", CEL: "employees > 1"}, "conditions[0].field", []string{"CEL"}},
		{"label too long", Condition{CEL: "employees > 1", Label: strings.Repeat("长", 101)}, "conditions[0].label", []string{"100"}},
		{"date period", Condition{CEL: "employees > 1", Period: "2025-06-30"}, "conditions[0].period", []string{"四位年份"}},
		{"bad period", Condition{CEL: "revenue > 1", Period: "1999"}, "conditions[0].period", []string{"四位年份"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile([]Condition{tc.cond})
			if tc.key == "" { // trimmed to a valid length
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			fields := fieldsOf(t, err)
			m, ok := fields[tc.key]
			if !ok || len(fields) != 1 {
				t.Fatalf("fields = %v, want %s", fields, tc.key)
			}
			for _, s := range tc.want {
				if !strings.Contains(m.Zh, s) {
					t.Errorf("message %q lacks %q", m.Zh, s)
				}
			}
			if m.En == "" {
				t.Error("no English message")
			}
			if strings.HasPrefix(m.Zh, "第 ") && !strings.HasPrefix(m.En, "line ") {
				t.Errorf("English %q has no place", m.En)
			}
		})
	}
	// the label and period bounds themselves compile
	mustCompile(t, Condition{CEL: "employees > 1", Label: strings.Repeat("长", 100), Period: "2025"})
}

func TestCEL(t *testing.T) {
	full := fullProfile()
	revenue := func(yuan int64, src dossier.Source) *Profile {
		return &Profile{Facts: []FactValue{fact("revenue", "2025", yuan, src)}}
	}
	for _, tc := range []struct {
		name string
		cond Condition
		p    *Profile
		want Verdict
	}{
		// amounts in 万元, with ints or doubles
		{"revenue >= int", Condition{CEL: "revenue >= 2000"}, revenue(20_000_000, dossier.Department), Met},
		{"revenue >= double", Condition{CEL: "revenue >= 2000.5"}, revenue(20_000_000, dossier.Department), NotMet},
		{"revenue >= double met", Condition{CEL: "revenue >= 2000.5"}, revenue(20_005_000, dossier.Department), Met},
		{"revenue > int", Condition{CEL: "revenue > 2000"}, revenue(20_005_000, dossier.Department), Met},
		{"revenue == double", Condition{CEL: "revenue == 2000.5"}, revenue(20_005_000, dossier.Department), Met},
		{"revenue < int", Condition{CEL: "revenue < 2000"}, revenue(19_999_900, dossier.Department), Met},
		{"tax paid in 万元", Condition{CEL: "tax_paid >= 120 && tax_paid < 120.01"}, full, Met},
		{"share in per cent", Condition{CEL: "export_share >= 25 && export_share < 25.5"}, full, Met},
		{"share over", Condition{CEL: "export_share > 25.0"}, full, NotMet},
		{"int against double", Condition{CEL: "employees > 34.5"}, full, Met},
		{"int arithmetic", Condition{CEL: "employees - insured == 5"}, full, Met},
		{"mixed fields", Condition{CEL: "rd_spend / revenue >= 0.05"}, full, Met},
		// lists
		{"certification", Condition{CEL: "'高新技术企业' in certifications"}, full, Met},
		{"certification absent", Condition{CEL: "'科技型中小企业' in certifications"}, full, NotMet},
		{"certification none", Condition{CEL: "'高新技术企业' in certifications"}, &Profile{}, NotMet},
		{"region district", Condition{CEL: "'330206' in region"}, full, Met},
		{"region street", Condition{CEL: "'330206001' in region"}, full, Met},
		{"region other", Condition{CEL: "'330203' in region"}, full, NotMet},
		{"region unknown", Condition{CEL: "'330206' in region"}, &Profile{District: "330206"}, Unknown},
		{"tags exists", Condition{CEL: "tags.exists(t, t == '专精特新')"}, full, Met},
		{"tags size", Condition{CEL: "size(tags) == 2"}, full, Met},
		// codes, flags and dates
		{"industry", Condition{CEL: "industry in ['34', '35']"}, full, Met},
		{"industry unknown", Condition{CEL: "industry in ['34', '35']"}, &Profile{}, Unknown},
		{"size", Condition{CEL: "size in ['small', 'micro']"}, full, Met},
		{"size not", Condition{CEL: "size == 'large'"}, full, NotMet},
		{"key level empty is none", Condition{CEL: "key_level == 'none'"}, &Profile{}, Met},
		{"key level district", Condition{CEL: "key_level == 'district'"}, full, Met},
		{"foreign trade", Condition{CEL: "foreign_trade"}, full, Met},
		{"foreign trade empty", Condition{CEL: "!foreign_trade"}, &Profile{}, Met},
		{"registered", Condition{CEL: "registered_on >= '2015-01-01' && registered_on < '2016-01-01'"}, full, Met},
		{"registered unknown", Condition{CEL: "registered_on >= '2015-01-01'"}, &Profile{}, Unknown},
		// partial evaluation
		{"false and unknown", Condition{CEL: "false && employees > 3"}, &Profile{}, NotMet},
		{"unknown and false", Condition{CEL: "employees > 3 && false"}, &Profile{}, NotMet},
		{"true or unknown", Condition{CEL: "true || employees > 3"}, &Profile{}, Met},
		{"known decides the or", Condition{CEL: "employees > 3 || revenue > 1"}, &Profile{Facts: []FactValue{fact("employees", "2025-06-30", 5, dossier.Declared)}}, Met},
		{"known leaves the and open", Condition{CEL: "employees > 3 && revenue > 1"}, &Profile{Facts: []FactValue{fact("employees", "2025-06-30", 5, dossier.Declared)}}, Unknown},
		{"known fails the and", Condition{CEL: "employees > 30 && revenue > 1"}, &Profile{Facts: []FactValue{fact("employees", "2025-06-30", 5, dossier.Declared)}}, NotMet},
		{"unknown alone", Condition{CEL: "employees > 3"}, &Profile{}, Unknown},
		{"unknown in a ternary", Condition{CEL: "employees > 3 ? true : false"}, &Profile{}, Unknown},
		{"division by zero", Condition{CEL: "employees / (insured - 30) > 1"}, full, Unknown},
		// periods
		{"period 2024", Condition{CEL: "revenue >= 1000", Period: "2024"}, &Profile{Facts: []FactValue{
			fact("revenue", "2024", 5_000_000, dossier.Department), fact("revenue", "2025", 50_000_000, dossier.Department)}}, NotMet},
		{"period 2025", Condition{CEL: "revenue >= 1000", Period: "2025"}, &Profile{Facts: []FactValue{
			fact("revenue", "2024", 5_000_000, dossier.Department), fact("revenue", "2025", 50_000_000, dossier.Department)}}, Met},
		{"period absent", Condition{CEL: "revenue >= 1000", Period: "2023"}, &Profile{Facts: []FactValue{
			fact("revenue", "2024", 5_000_000, dossier.Department)}}, Unknown},
		// authoritative
		{"declared accepted", Condition{CEL: "revenue >= 100"}, revenue(20_000_000, dossier.Declared), Met},
		{"declared refused", Condition{CEL: "revenue >= 100", Authoritative: true}, revenue(20_000_000, dossier.Declared), Unknown},
		{"staff refused", Condition{CEL: "revenue >= 100", Authoritative: true}, revenue(20_000_000, dossier.Staff), Unknown},
		{"department accepted", Condition{CEL: "revenue >= 100", Authoritative: true}, revenue(20_000_000, dossier.Department), Met},
		{"strict, decided by the rest", Condition{CEL: "industry == '13' && revenue >= 100", Authoritative: true}, &Profile{Industry: "35",
			Facts: []FactValue{fact("revenue", "2025", 20_000_000, dossier.Declared)}}, NotMet},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if v, o := evaluate(t, tc.cond, tc.p); v != tc.want {
				t.Errorf("%q = %v (%s), want %v", tc.cond.CEL, v, o.Why.Zh, tc.want)
			}
		})
	}
}

func TestCELExplain(t *testing.T) {
	// one field missing: the outcome names it and who supplies it
	v, o := evaluate(t, Condition{CEL: "employees > 3"}, &Profile{})
	if v != Unknown || o.Field != "employees" || o.Holder.Zh != "统计部门" || !o.SelfDeclared {
		t.Errorf("employees missing: %v %+v", v, o)
	}
	if !strings.Contains(o.Why.Zh, "缺少从业人员") || !strings.Contains(o.Why.En, "employees is missing") {
		t.Errorf("Why = %+v", o.Why)
	}
	// with a period and strict
	_, o = evaluate(t, Condition{CEL: "revenue > 3", Period: "2025", Authoritative: true}, &Profile{})
	if o.Field != "revenue" || o.Period != "2025" || o.SelfDeclared || !strings.Contains(o.Why.Zh, "2025 年度营业收入") || !strings.Contains(o.Why.Zh, "税务部门") {
		t.Errorf("strict revenue missing: %+v", o)
	}
	// a declared value under a strict CEL condition: weak, the holder named
	_, o = evaluate(t, Condition{CEL: "revenue > 3", Authoritative: true}, &Profile{Facts: []FactValue{fact("revenue", "2025", 1, dossier.Declared)}})
	if o.Verdict != Unknown || !strings.Contains(o.Why.Zh, "已有营业收入") || !strings.Contains(o.Why.Zh, "税务部门") {
		t.Errorf("weak revenue: %+v", o)
	}
	// two fields missing: no single field to supply, both explained
	_, o = evaluate(t, Condition{CEL: "employees > 3 && revenue > 1"}, &Profile{})
	if o.Field != "" || !strings.Contains(o.Why.Zh, "从业人员") || !strings.Contains(o.Why.Zh, "营业收入") || !strings.Contains(o.Why.Zh, "；") {
		t.Errorf("two missing: %+v", o)
	}
	// a runtime error: staff check it
	_, o = evaluate(t, Condition{CEL: "employees / (insured - 30) > 1"}, fullProfile())
	if o.Verdict != Unknown || !strings.Contains(o.Why.Zh, "规则无法对该企业计算") || o.Field != "" {
		t.Errorf("runtime error: %+v", o)
	}
	// a known verdict shows the values read
	_, o = evaluate(t, Condition{CEL: "employees >= 50 && '高新技术企业' in certifications", Label: "规上高企"}, fullProfile())
	if o.Verdict != NotMet || !strings.Contains(o.Why.Zh, "从业人员 35 人") || !strings.Contains(o.Why.Zh, "资质认定：高新技术企业") || o.Asks.Zh != "规上高企" {
		t.Errorf("known: %+v", o)
	}
	if !strings.Contains(o.Why.En, "employees 35") {
		t.Errorf("known En: %q", o.Why.En)
	}
}

// TestCELProgramFields checks the fields an expression reads: what it
// explains and marks unknown.
func TestCELProgramFields(t *testing.T) {
	for text, want := range map[string]string{
		"employees > 1":                            "employees",
		"revenue > 1 && employees > revenue":       "employees,revenue",
		"tags.exists(t, t == 'x')":                 "tags",
		"size in ['small'] || size == 'x'":         "size",
		"true":                                     "",
		"region.all(r, r != '') && !foreign_trade": "foreign_trade,region",
	} {
		c := mustCompile(t, Condition{CEL: text})
		var keys []string
		for _, f := range c.conds[0].cel.fields {
			keys = append(keys, f.Key)
		}
		if got := strings.Join(keys, ","); got != want {
			t.Errorf("%q reads %q, want %q", text, got, want)
		}
	}
}

func TestCELBugs(t *testing.T) {
	t.Run("year period over a dated fact", func(t *testing.T) {
		p := &Profile{Facts: []FactValue{fact("employees", "2025-06-30", 80, dossier.Department)}}
		if v, o := evaluate(t, Condition{CEL: "employees >= 50", Period: "2025"}, p); v != Met {
			t.Errorf("employees 80 of 2025-06-30 under period 2025 = %v (%s), want met", v, o.Why.Zh)
		}
	})
	t.Run("no field read gives no why", func(t *testing.T) {
		for _, text := range []string{"true", "1 > 2"} {
			outs, _ := mustCompile(t, Condition{CEL: text}).Explain(&Profile{})
			if outs[0].Why.Zh == "" || outs[0].Why.En == "" {
				t.Errorf("%q: empty Why %+v", text, outs[0])
			}
		}
	})
	t.Run("unknown field shown as zero", func(t *testing.T) {
		outs, v := mustCompile(t, Condition{CEL: "false && employees > 3"}).Explain(&Profile{})
		if v != NotMet {
			t.Fatalf("verdict %v", v)
		}
		if strings.Contains(outs[0].Why.Zh, "0 人") {
			t.Errorf("Why %q states 0 employees the enterprise never reported", outs[0].Why.Zh)
		}
	})
	t.Run("strict certification", func(t *testing.T) {
		p := &Profile{Facts: []FactValue{cert("高新技术企业", "2025-01-01", dossier.Declared)}}
		form := mustCompile(t, Condition{Field: "certifications", Op: Has, Value: "高新技术企业", Authoritative: true})
		cel := mustCompile(t, Condition{CEL: "'高新技术企业' in certifications", Authoritative: true})
		_, fv := form.Explain(p)
		_, cv := cel.Explain(p)
		if fv != cv {
			t.Errorf("form %v, CEL %v", fv, cv)
		}
	})
}
