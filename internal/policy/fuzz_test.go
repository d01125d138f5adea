package policy

import (
	"strings"
	"testing"

	"qifu/internal/dossier"
	"qifu/internal/fault"
)

// fuzzProfiles are the enterprises every compiled condition is evaluated
// on: nothing known, everything known from a department, everything
// self-declared (so that strict conditions see weak values).
func fuzzProfiles() []*Profile {
	declared := fullProfile()
	declared.Facts = nil
	for _, f := range fullProfile().Facts {
		f.Source = dossier.Declared
		declared.Facts = append(declared.Facts, f)
	}
	declared.Facts = append(declared.Facts, cert("科技型中小企业", "2025-02-01", dossier.Declared),
		fact("revenue", "2024", 0, dossier.Staff), fact("employees", "2024-12-31", 0, dossier.Staff))
	return []*Profile{{}, fullProfile(), declared, {KeyLevel: "none", Grid: "G1", Industry: "34"}}
}

// checkCompiled evaluates a compiled benefit on the fuzz profiles and
// checks the three evaluations agree and every outcome is explained.
func checkCompiled(t *testing.T, c *Compiled, what any) {
	t.Helper()
	if len(c.Asks()) != c.Len() {
		t.Fatalf("%+v: %d asks for %d conditions", what, len(c.Asks()), c.Len())
	}
	for _, a := range c.Asks() {
		if a.Zh == "" || a.En == "" {
			t.Errorf("%+v: empty asks %+v", what, a)
		}
	}
	var buf []Verdict
	for pi, p := range fuzzProfiles() {
		each, all := c.Test(p, buf)
		buf = each
		v := c.Verdict(p)
		outs, ev := c.Explain(p)
		if len(each) != c.Len() || len(outs) != c.Len() {
			t.Fatalf("%+v on profile %d: %d tests, %d outcomes for %d conditions", what, pi, len(each), len(outs), c.Len())
		}
		if v != all || all != And(each...) {
			t.Errorf("%+v on profile %d: Verdict %v, Test %v of %v", what, pi, v, all, each)
		}
		for j, o := range outs {
			if o.Verdict != each[j] {
				t.Errorf("%+v on profile %d: condition %d Test %v, Explain %v (%s)", what, pi, j, each[j], o.Verdict, o.Why.Zh)
			}
			if o.Why.Zh == "" || o.Why.En == "" {
				t.Errorf("%+v on profile %d: condition %d %v with an empty Why %+v", what, pi, j, o.Verdict, o.Why)
			}
			if o.Verdict != Unknown && (o.Field != "" || o.Holder != (fault.Msg{})) {
				t.Errorf("%+v on profile %d: a known outcome names %q %+v", what, pi, o.Field, o.Holder)
			}
			if o.Field != "" {
				if _, ok := FieldOf(o.Field); !ok {
					t.Errorf("%+v: outcome names unknown field %q", what, o.Field)
				}
			}
		}
		if ev != v {
			t.Errorf("%+v on profile %d: Explain %v, Verdict %v", what, pi, ev, v)
		}
	}
}

// checkRefused checks a refusal is an Invalid error with its messages at
// a condition's place.
func checkRefused(t *testing.T, err error, what any) {
	t.Helper()
	e := fault.As(err)
	if e == nil || e.Kind != fault.Invalid || len(e.Fields) == 0 {
		t.Fatalf("%+v: refusal %v is not an invalid error with fields", what, err)
	}
	for k, m := range e.Fields {
		if !strings.HasPrefix(k, "conditions") || m.Zh == "" || m.En == "" {
			t.Errorf("%+v: message %q %+v", what, k, m)
		}
	}
}

var celSeeds = []string{
	"employees >= 50",
	"revenue > 1.5 && size in ['small','micro']",
	"tags.exists(t, t == 'x')",
	"'高新技术企业' in certifications || export_share >= 20",
	"key_level != 'none' && '330206' in region",
	"foreign_trade && exports > 100.25",
	"registered_on < '2020-01-01' ? employees > 10 : insured > 10",
	"size(tags) > 1 && industry.startsWith('3')",
	"rd_spend / revenue > 0.03",
	"employees / (insured - 30) > 1",
	"false && employees > 3",
	"true || employees > 3",
	"true",
	"1 > 2",
	"[1, 2, 3].map(x, x * employees).exists(y, y > 100)",
	"employees + 1",
	"foo > 1",
	"employees > 'a'",
	"((employees > 1)",
	"employees > 1))",
	")(",
	"&&||",
	"'unterminated",
	"\x00\xff",
	"employees >= 5\n&& revenue >= 2\n&& nope",
	strings.Repeat("(", 300) + "true" + strings.Repeat(")", 300),
	strings.Repeat("employees > 1 && ", 150) + "true",
	strings.Repeat("x", 3000),
	"tags.all(a, tags.all(b, tags.all(c, a + b + c != '')))",
	"[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, a+b+c > 0)))",
	"size == size",
	"9223372036854775807 + employees > 0",
	"revenue > 1e308 * 10.0",
}

// FuzzConditions compiles any condition: it never panics, a refusal is a
// form error at the condition's place, and a compiled condition evaluates
// alike by Test, Verdict and Explain on a few enterprises.
func FuzzConditions(f *testing.F) {
	type seed struct {
		field, op, value, period string
		strict                   bool
		cel                      string
	}
	seeds := []seed{
		{"employees", "ge", "50", "", false, ""},
		{"employees", "eq", "35", "2025-06-30", true, ""},
		{"revenue", "ge", "2000.5", "2025", true, ""},
		{"export_share", "lt", "25", "", false, ""},
		{"foreign_trade", "eq", "是", "", true, ""},
		{"industry", "in", "34,35", "", false, ""},
		{"size", "not_in", "large、medium", "", false, ""},
		{"key_level", "in", "none", "", false, ""},
		{"region", "in", "330206", "", false, ""},
		{"tags", "has_not", "外贸", "", false, ""},
		{"certifications", "has", "科技型中小企业,高新技术企业", "", true, ""},
		{"registered_on", "le", "2020-01-01", "", false, ""},
		{"employees", "in", "1", "", false, ""},
		{"revenue", "ge", "1.234", "", false, ""},
		{"export_share", "ge", "101", "", false, ""},
		{"registered_on", "ge", "2020-02-30", "", false, ""},
		{"size", "in", "huge", "", false, ""},
		{"industry", "in", "99x", "", false, ""},
		{"revenue", "ge", "1", "2025-06-30", false, ""},
		{"nope", "ge", "1", "", false, ""},
		{"", "", "", "", false, ""},
		{"tags", "has", strings.Repeat("标签,", 300), "", false, ""},
		{"employees", "ge", strings.Repeat("9", 100), "", false, ""},
		{"employees", "ge", "5", "", false, "employees > 1"},
	}
	for _, s := range celSeeds {
		seeds = append(seeds, seed{cel: s}, seed{cel: s, period: "2025", strict: true})
	}
	for _, s := range seeds {
		f.Add(s.field, s.op, s.value, s.period, s.strict, s.cel)
	}
	f.Fuzz(func(t *testing.T, field, op, value, period string, strict bool, cel string) {
		cond := Condition{Field: field, Op: Op(op), Value: value, Period: period, Authoritative: strict, CEL: cel}
		c, err := Compile([]Condition{cond})
		if err != nil {
			checkRefused(t, err, cond)
			return
		}
		if c.Len() != 1 {
			t.Fatalf("%+v compiled to %d conditions", cond, c.Len())
		}
		checkCompiled(t, c, cond)
		// alongside a plain condition, at index 1
		c2, err := Compile([]Condition{{Field: "employees", Op: Ge, Value: "10"}, cond})
		if err != nil || c2.Len() != 2 {
			t.Fatalf("%+v compiled alone but not second: %v", cond, err)
		}
		checkCompiled(t, c2, cond)
	})
}

// FuzzCEL compiles any expression, plain and strict of a year.
func FuzzCEL(f *testing.F) {
	for _, s := range celSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, cond := range []Condition{{CEL: text}, {CEL: text, Period: "2025", Authoritative: true}} {
			c, err := Compile([]Condition{cond})
			if err != nil {
				checkRefused(t, err, cond)
				if m := fault.As(err).Fields["conditions[0].cel"]; strings.TrimSpace(text) != "" && m.Zh == "" {
					t.Errorf("%q refused without a message at .cel: %v", text, fault.As(err).Fields)
				}
				continue
			}
			if strings.TrimSpace(text) == "" {
				t.Fatalf("empty expression compiled as CEL")
			}
			checkCompiled(t, c, cond)
		}
	})
}
