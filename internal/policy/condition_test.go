package policy

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"qifu/internal/dossier"
	"qifu/internal/fault"
)

func fact(kind, period string, num int64, src dossier.Source) FactValue {
	return FactValue{Kind: kind, Period: period, Num: num, Source: src}
}

func cert(text, period string, src dossier.Source) FactValue {
	return FactValue{Kind: "certification", Period: period, Text: text, Source: src}
}

// fullProfile is an enterprise whose every field is known from a
// department: 35 employees, revenue 2000 万元, 25% exports, small, in
// industry 35 and district 330206.
func fullProfile() *Profile {
	return &Profile{
		EnterpriseID: 7, Name: "宁波甬兴模具有限公司",
		Grid: "G330206001", Community: "330206001001", Street: "330206001", District: "330206",
		Industry: "35", Size: "small", KeyLevel: "district", ForeignTrade: true,
		Tags: []string{"专精特新", "规上工业"}, RegisteredOn: "2015-06-18",
		Facts: []FactValue{
			fact("employees", "2025-06-30", 35, dossier.Department),
			fact("insured", "2025-06-30", 30, dossier.Department),
			fact("revenue", "2025", 20_000_000, dossier.Department),
			fact("tax_paid", "2025", 1_200_000, dossier.Department),
			fact("output", "2025", 30_000_000, dossier.Computed),
			fact("exports", "2025", 5_000_000, dossier.Department),
			fact("export_share", "2025", 2500, dossier.Department),
			fact("rd_spend", "2025", 1_000_000, dossier.Department),
			cert("高新技术企业", "2024-11-20", dossier.Department),
		},
	}
}

// fieldsOf returns the per-field messages of an Invalid error.
func fieldsOf(t *testing.T, err error) map[string]fault.Msg {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	e := fault.As(err)
	if e == nil || e.Kind != fault.Invalid {
		t.Fatalf("error %v is not an invalid fault.Error", err)
	}
	return e.Fields
}

func mustCompile(t testing.TB, conds ...Condition) *Compiled {
	t.Helper()
	c, err := Compile(conds)
	if err != nil {
		t.Fatalf("Compile(%+v): %v %v", conds, err, fault.As(err).Fields)
	}
	return c
}

// evaluate evaluates one condition the three ways and checks they agree.
func evaluate(t *testing.T, cond Condition, p *Profile) (Verdict, Outcome) {
	t.Helper()
	c := mustCompile(t, cond)
	each, all := c.Test(p, nil)
	v := c.Verdict(p)
	outs, ev := c.Explain(p)
	if len(each) != 1 || len(outs) != 1 || each[0] != all || all != v || ev != v || outs[0].Verdict != v {
		t.Fatalf("%+v: Test %v/%v, Verdict %v, Explain %v/%v disagree", cond, each, all, v, ev, outs[0].Verdict)
	}
	o := outs[0]
	if o.Why.Zh == "" || o.Why.En == "" || o.Asks.Zh == "" || o.Asks.En == "" {
		t.Errorf("%+v: empty text in %+v", cond, o)
	}
	return v, o
}

func TestVerdictNames(t *testing.T) {
	for _, tc := range []struct {
		v      Verdict
		s, zh  string
		reason string
	}{{Met, "met", "符合", ""}, {Unknown, "maybe", "可能符合", ""}, {NotMet, "not_met", "不符合", ""}} {
		if tc.v.String() != tc.s || tc.v.Name().Zh != tc.zh || tc.v.Name().En == "" {
			t.Errorf("%d: %q %+v", tc.v, tc.v.String(), tc.v.Name())
		}
	}
}

func TestAnd(t *testing.T) {
	for _, tc := range []struct {
		in   []Verdict
		want Verdict
	}{
		{nil, Met},
		{[]Verdict{Met}, Met},
		{[]Verdict{Unknown}, Unknown},
		{[]Verdict{NotMet}, NotMet},
		{[]Verdict{Met, Met, Met}, Met},
		{[]Verdict{Met, Unknown, Met}, Unknown},
		{[]Verdict{Unknown, NotMet}, NotMet},
		{[]Verdict{NotMet, Unknown, Met}, NotMet},
		{[]Verdict{Met, Unknown, Unknown}, Unknown},
	} {
		if got := And(tc.in...); got != tc.want {
			t.Errorf("And(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestFieldsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Fields {
		if seen[f.Key] {
			t.Errorf("field %s twice", f.Key)
		}
		seen[f.Key] = true
		if f.Zh == "" || f.En == "" || f.Holder.Zh == "" || f.Holder.En == "" || len(f.Ops()) == 0 {
			t.Errorf("field %s incomplete: %+v", f.Key, f)
		}
		if g, ok := FieldOf(f.Key); !ok || g.Key != f.Key {
			t.Errorf("FieldOf(%s) = %+v, %v", f.Key, g, ok)
		}
		if f.Fact != "" {
			if _, ok := dossier.KindOf(f.Fact); !ok {
				t.Errorf("field %s reads unknown fact kind %s", f.Key, f.Fact)
			}
			if f.Period() == "" {
				t.Errorf("fact field %s has no period", f.Key)
			}
		} else if f.Period() != "" {
			t.Errorf("registry field %s has period %s", f.Key, f.Period())
		}
		for _, op := range f.Ops() {
			if op.Sign().Zh == "" || op.Sign().En == "" {
				t.Errorf("op %s has no sign", op)
			}
		}
	}
	if _, ok := FieldOf("nope"); ok {
		t.Error("FieldOf(nope) found")
	}
	if got, want := FactKinds(), []string{"employees", "insured", "revenue", "tax_paid", "output", "exports", "export_share", "rd_spend", "certification"}; !slices.Equal(got, want) {
		t.Errorf("FactKinds = %v, want %v", got, want)
	}
	if got := fieldOf(t, "employees").Period(); got != dossier.Date {
		t.Errorf("employees period %q", got)
	}
	if got := fieldOf(t, "revenue").Period(); got != dossier.Year {
		t.Errorf("revenue period %q", got)
	}
}

func fieldOf(t testing.TB, key string) Field {
	t.Helper()
	f, ok := FieldOf(key)
	if !ok {
		t.Fatalf("no field %s", key)
	}
	return f
}

// opCases are, for every field and operator, a value the full profile
// passes, one it fails, and the verdict on an empty profile of the passing
// one (Unknown, or a known verdict for the fields always known).
var opCases = []struct {
	field       string
	op          Op
	met, notMet string
	empty       Verdict
}{
	{"employees", Ge, "35", "36", Unknown},
	{"employees", Gt, "34", "35", Unknown},
	{"employees", Le, "35", "34", Unknown},
	{"employees", Lt, "36", "35", Unknown},
	{"employees", Eq, "35", "36", Unknown},
	{"employees", Ne, "36", "35", Unknown},
	{"insured", Ge, "30", "31", Unknown},
	{"insured", Gt, "0", "30", Unknown},
	{"insured", Le, "30", "29", Unknown},
	{"insured", Lt, "31", "30", Unknown},
	{"insured", Eq, "30", "0", Unknown},
	{"insured", Ne, "0", "30", Unknown},
	{"revenue", Ge, "2000", "2000.01", Unknown},
	{"revenue", Gt, "1999.99", "2000", Unknown},
	{"revenue", Le, "2000.00", "1999.99", Unknown},
	{"revenue", Lt, "2000.01", "2000", Unknown},
	{"tax_paid", Ge, "120", "120.5", Unknown},
	{"tax_paid", Gt, "119.9", "120", Unknown},
	{"tax_paid", Le, "120", "119", Unknown},
	{"tax_paid", Lt, "121", "120", Unknown},
	{"output", Ge, "3000", "3000.01", Unknown},
	{"output", Gt, "0", "3000", Unknown},
	{"output", Le, "3000", "2999", Unknown},
	{"output", Lt, "3001", "3000", Unknown},
	{"exports", Ge, "500", "501", Unknown},
	{"exports", Gt, "499.99", "500", Unknown},
	{"exports", Le, "500", "499.99", Unknown},
	{"exports", Lt, "500.01", "500", Unknown},
	{"rd_spend", Ge, "100", "100.01", Unknown},
	{"rd_spend", Gt, "99", "100", Unknown},
	{"rd_spend", Le, "100", "99.99", Unknown},
	{"rd_spend", Lt, "100.01", "100", Unknown},
	{"export_share", Ge, "25", "25.01", Unknown},
	{"export_share", Gt, "24.99", "25", Unknown},
	{"export_share", Le, "25.00", "24.99", Unknown},
	{"export_share", Lt, "25.01", "25", Unknown},
	{"foreign_trade", Eq, "是", "否", NotMet},
	{"industry", In, "34,35", "13、14", Unknown},
	{"industry", NotIn, "13，14", "35", Unknown},
	{"size", In, "small, micro", "large;medium", Unknown},
	{"size", NotIn, "large", "small", Unknown},
	{"key_level", In, "district", "city,none", NotMet},
	{"key_level", NotIn, "city", "district", Met},
	{"region", In, "330206", "330203", Unknown},
	{"region", NotIn, "330203", "330206001", Unknown},
	{"tags", Has, "专精特新", "外贸", NotMet},
	{"tags", HasNot, "外贸", "外贸,专精特新", Met},
	{"certifications", Has, "高新技术企业", "科技型中小企业", NotMet},
	{"certifications", HasNot, "科技型中小企业", "高新技术企业", Met},
	{"registered_on", Ge, "2015-06-18", "2015-06-19", Unknown},
	{"registered_on", Le, "2015-06-18", "2015-06-17", Unknown},
}

func TestOperators(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range opCases {
		covered[tc.field+" "+string(tc.op)] = true
		name := fmt.Sprintf("%s_%s", tc.field, tc.op)
		t.Run(name, func(t *testing.T) {
			if v, o := evaluate(t, Condition{Field: tc.field, Op: tc.op, Value: tc.met}, fullProfile()); v != Met {
				t.Errorf("%s %s %q = %v (%s), want met", tc.field, tc.op, tc.met, v, o.Why.Zh)
			}
			if v, o := evaluate(t, Condition{Field: tc.field, Op: tc.op, Value: tc.notMet}, fullProfile()); v != NotMet {
				t.Errorf("%s %s %q = %v (%s), want not met", tc.field, tc.op, tc.notMet, v, o.Why.Zh)
			}
			v, o := evaluate(t, Condition{Field: tc.field, Op: tc.op, Value: tc.met}, &Profile{})
			if v != tc.empty {
				t.Errorf("%s %s %q on the empty profile = %v (%s), want %v", tc.field, tc.op, tc.met, v, o.Why.Zh, tc.empty)
			}
			if v == Unknown && (o.Field != tc.field || o.Holder != fieldOf(t, tc.field).Holder) {
				t.Errorf("unknown outcome names field %q holder %+v", o.Field, o.Holder)
			}
			if v != Unknown && o.Field != "" {
				t.Errorf("known outcome names field %q", o.Field)
			}
		})
	}
	for _, f := range Fields {
		for _, op := range f.Ops() {
			if !covered[f.Key+" "+string(op)] {
				t.Errorf("no case for %s %s", f.Key, op)
			}
		}
	}
}

func TestBoolValues(t *testing.T) {
	for _, tc := range []struct {
		value string
		flag  bool
		want  Verdict
	}{
		{"是", true, Met}, {"true", true, Met}, {"YES", true, Met}, {"1", true, Met},
		{"否", true, NotMet}, {"false", true, NotMet}, {"no", true, NotMet}, {"0", true, NotMet},
		{"否", false, Met}, {" 是 ", false, NotMet},
	} {
		p := &Profile{ForeignTrade: tc.flag}
		if v, _ := evaluate(t, Condition{Field: "foreign_trade", Op: Eq, Value: tc.value}, p); v != tc.want {
			t.Errorf("foreign_trade = %q for %v: %v, want %v", tc.value, tc.flag, v, tc.want)
		}
	}
}

func TestCodesAndLists(t *testing.T) {
	for _, tc := range []struct {
		name string
		cond Condition
		p    *Profile
		want Verdict
	}{
		{"key_level empty reads none", Condition{Field: "key_level", Op: In, Value: "none"}, &Profile{}, Met},
		{"key_level none explicit", Condition{Field: "key_level", Op: In, Value: "none"}, &Profile{KeyLevel: "none"}, Met},
		{"key_level city", Condition{Field: "key_level", Op: In, Value: "district,city"}, &Profile{KeyLevel: "city"}, Met},
		{"key_level not none", Condition{Field: "key_level", Op: NotIn, Value: "none"}, &Profile{}, NotMet},
		{"region by grid", Condition{Field: "region", Op: In, Value: "G330206001"}, fullProfile(), Met},
		{"region by community", Condition{Field: "region", Op: In, Value: "330206001001"}, fullProfile(), Met},
		{"region by street", Condition{Field: "region", Op: In, Value: "330203,330206001"}, fullProfile(), Met},
		{"region without a grid", Condition{Field: "region", Op: In, Value: "330206"}, &Profile{District: "330206"}, Unknown},
		{"tags any of", Condition{Field: "tags", Op: Has, Value: "外贸,规上工业"}, fullProfile(), Met},
		{"tags none of", Condition{Field: "tags", Op: HasNot, Value: "外贸,瞪羚"}, fullProfile(), Met},
		{"certifications declared counts when not strict", Condition{Field: "certifications", Op: Has, Value: "科技型中小企业"},
			&Profile{Facts: []FactValue{cert("科技型中小企业", "2025-01-01", dossier.Declared)}}, Met},
		{"certifications strict from a department", Condition{Field: "certifications", Op: Has, Value: "科技型中小企业", Authoritative: true},
			&Profile{Facts: []FactValue{cert("科技型中小企业", "2025-01-01", dossier.Computed)}}, Met},
		{"certifications strict, another declared", Condition{Field: "certifications", Op: Has, Value: "科技型中小企业", Authoritative: true},
			&Profile{Facts: []FactValue{cert("科技型中小企业", "2025-01-01", dossier.Department), cert("高新技术企业", "2025-01-01", dossier.Declared)}}, Met},
		{"industry duplicate values", Condition{Field: "industry", Op: In, Value: "35,35,、35"}, fullProfile(), Met},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if v, o := evaluate(t, tc.cond, tc.p); v != tc.want {
				t.Errorf("%+v = %v (%s), want %v", tc.cond, v, o.Why.Zh, tc.want)
			}
		})
	}
}

func TestPeriods(t *testing.T) {
	yearly := &Profile{Facts: []FactValue{
		fact("revenue", "2024", 15_000_000, dossier.Department),
		fact("revenue", "2025", 30_000_000, dossier.Department),
		fact("revenue", "2023", 50_000_000, dossier.Department),
	}}
	dated := &Profile{Facts: []FactValue{
		fact("employees", "2025-06-30", 60, dossier.Department),
		fact("employees", "2025-03-31", 30, dossier.Department),
		fact("employees", "2024-12-31", 55, dossier.Department),
	}}
	for _, tc := range []struct {
		name string
		cond Condition
		p    *Profile
		want Verdict
	}{
		{"year exactly 2025", Condition{Field: "revenue", Op: Ge, Value: "2000", Period: "2025"}, yearly, Met},
		{"year exactly 2024", Condition{Field: "revenue", Op: Ge, Value: "2000", Period: "2024"}, yearly, NotMet},
		{"year 2023 not the latest", Condition{Field: "revenue", Op: Ge, Value: "4000", Period: "2023"}, yearly, Met},
		{"year absent", Condition{Field: "revenue", Op: Ge, Value: "2000", Period: "2022"}, yearly, Unknown},
		{"year not the one before", Condition{Field: "revenue", Op: Ge, Value: "1", Period: "2026"}, yearly, Unknown},
		{"latest year", Condition{Field: "revenue", Op: Lt, Value: "4000"}, yearly, Met},
		{"date exactly", Condition{Field: "employees", Op: Ge, Value: "50", Period: "2025-06-30"}, dated, Met},
		{"date latest before", Condition{Field: "employees", Op: Eq, Value: "30", Period: "2025-05-01"}, dated, Met},
		{"date on the quarter", Condition{Field: "employees", Op: Eq, Value: "30", Period: "2025-03-31"}, dated, Met},
		{"date before the quarter", Condition{Field: "employees", Op: Eq, Value: "55", Period: "2025-03-30"}, dated, Met},
		{"date after all", Condition{Field: "employees", Op: Eq, Value: "60", Period: "2030-01-01"}, dated, Met},
		{"date before any", Condition{Field: "employees", Op: Ge, Value: "1", Period: "2024-12-30"}, dated, Unknown},
		{"latest date", Condition{Field: "employees", Op: Eq, Value: "60"}, dated, Met},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, o := evaluate(t, tc.cond, tc.p)
			if v != tc.want {
				t.Fatalf("%+v = %v (%s), want %v", tc.cond, v, o.Why.Zh, tc.want)
			}
			if v == Unknown && o.Period != tc.cond.Period {
				t.Errorf("unknown outcome period %q, want %q", o.Period, tc.cond.Period)
			}
			if v == Unknown && tc.cond.Period != "" && !strings.Contains(o.Why.Zh, tc.cond.Period) {
				t.Errorf("unknown Why %q does not name the period", o.Why.Zh)
			}
		})
	}
}

func TestAuthoritative(t *testing.T) {
	revenue := func(src dossier.Source) *Profile {
		return &Profile{Facts: []FactValue{fact("revenue", "2025", 30_000_000, src)}}
	}
	strict := Condition{Field: "revenue", Op: Ge, Value: "2000", Authoritative: true}
	for _, tc := range []struct {
		name string
		cond Condition
		p    *Profile
		want Verdict
	}{
		{"declared refused", strict, revenue(dossier.Declared), Unknown},
		{"staff refused", strict, revenue(dossier.Staff), Unknown},
		{"department passes", strict, revenue(dossier.Department), Met},
		{"computed passes", strict, revenue(dossier.Computed), Met},
		{"department fails", Condition{Field: "revenue", Op: Ge, Value: "5000", Authoritative: true}, revenue(dossier.Department), NotMet},
		{"declared accepted when not strict", Condition{Field: "revenue", Op: Ge, Value: "2000"}, revenue(dossier.Declared), Met},
		{"missing strict", strict, &Profile{}, Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if v, o := evaluate(t, tc.cond, tc.p); v != tc.want {
				t.Errorf("%+v = %v (%s), want %v", tc.cond, v, o.Why.Zh, tc.want)
			}
		})
	}

	// a declared value under a strict condition: weak, with the holder named
	_, o := evaluate(t, strict, revenue(dossier.Declared))
	if !strings.Contains(o.Why.Zh, "税务部门") || !strings.Contains(o.Why.Zh, "已有") || !strings.Contains(o.Why.En, "tax bureau") {
		t.Errorf("weak Why = %+v, want the holder named", o.Why)
	}
	if o.Field != "revenue" || o.Holder.Zh != "税务部门" || o.SelfDeclared {
		t.Errorf("weak outcome = %+v", o)
	}
	// a strict condition's value missing altogether: the holder supplies it
	_, o = evaluate(t, strict, &Profile{})
	if !strings.Contains(o.Why.Zh, "缺少营业收入") || !strings.Contains(o.Why.Zh, "税务部门提供") || strings.Contains(o.Why.Zh, "自行填报") || o.SelfDeclared {
		t.Errorf("strict missing = %+v", o)
	}
	// the asks name the holder
	if a := mustCompile(t, strict).Asks()[0]; !strings.Contains(a.Zh, "以税务部门数据为准") || !strings.Contains(a.En, "from the tax bureau") {
		t.Errorf("strict asks = %+v", a)
	}

	// the registry's fields are authoritative already
	for _, cond := range []Condition{
		{Field: "industry", Op: In, Value: "35", Authoritative: true},
		{Field: "size", Op: In, Value: "small", Authoritative: true},
		{Field: "foreign_trade", Op: Eq, Value: "是", Authoritative: true},
		{Field: "registered_on", Op: Ge, Value: "2010-01-01", Authoritative: true},
		{Field: "tags", Op: Has, Value: "专精特新", Authoritative: true},
	} {
		c := mustCompile(t, cond)
		if c.conds[0].c.Authoritative {
			t.Errorf("%s keeps Authoritative", cond.Field)
		}
		if a := c.Asks()[0]; strings.Contains(a.Zh, "为准") {
			t.Errorf("%s asks %q", cond.Field, a.Zh)
		}
		if v, _ := evaluate(t, cond, fullProfile()); v != Met {
			t.Errorf("%s strict = %v on the full profile", cond.Field, v)
		}
	}
	// a missing registry field: only its holder can record it
	_, o = evaluate(t, Condition{Field: "industry", Op: In, Value: "35", Authoritative: true}, &Profile{})
	if o.SelfDeclared || !strings.Contains(o.Why.Zh, "市场监管部门") || o.Field != "industry" {
		t.Errorf("missing industry = %+v", o)
	}
}

func TestWeakCertification(t *testing.T) {
	p := &Profile{Facts: []FactValue{cert("高新技术企业", "2025-01-01", dossier.Declared)}}
	c := mustCompile(t, Condition{Field: "certifications", Op: Has, Value: "高新技术企业", Authoritative: true})
	outs, ev := c.Explain(p)
	if ev != Unknown || outs[0].Field != "certifications" || !strings.Contains(outs[0].Why.Zh, "科技部门确认") {
		t.Errorf("Explain = %v %+v, want unknown awaiting the science bureau", ev, outs[0])
	}
	if v := c.Verdict(p); v != ev {
		t.Errorf("Verdict = %v, Explain = %v", v, ev)
	}
	if _, v := c.Test(p, nil); v != ev {
		t.Errorf("Test = %v, Explain = %v", v, ev)
	}
}

func TestCompileErrors(t *testing.T) {
	long := strings.Repeat("长", 41)
	many := make([]string, maxValues+1)
	for i := range many {
		many[i] = "t" + strconv.Itoa(i)
	}
	ok := Condition{Field: "employees", Op: Ge, Value: "10"}
	for _, tc := range []struct {
		name  string
		conds []Condition
		key   string
	}{
		{"unknown field", []Condition{{Field: "headcount", Op: Ge, Value: "1"}}, "conditions[0].field"},
		{"no field", []Condition{{Op: Ge, Value: "1"}}, "conditions[0].field"},
		{"op of another type", []Condition{{Field: "employees", Op: In, Value: "1"}}, "conditions[0].op"},
		{"eq on an amount", []Condition{{Field: "revenue", Op: Eq, Value: "1"}}, "conditions[0].op"},
		{"no op", []Condition{{Field: "employees", Value: "1"}}, "conditions[0].op"},
		{"ge on a code", []Condition{{Field: "size", Op: Ge, Value: "small"}}, "conditions[0].op"},
		{"ne on a bool", []Condition{{Field: "foreign_trade", Op: Ne, Value: "是"}}, "conditions[0].op"},
		{"gt on a date", []Condition{{Field: "registered_on", Op: Gt, Value: "2020-01-01"}}, "conditions[0].op"},
		{"in on a list", []Condition{{Field: "tags", Op: In, Value: "x"}}, "conditions[0].op"},
		{"int negative", []Condition{{Field: "employees", Op: Ge, Value: "-1"}}, "conditions[0].value"},
		{"int decimal", []Condition{{Field: "employees", Op: Ge, Value: "1.5"}}, "conditions[0].value"},
		{"int words", []Condition{{Field: "insured", Op: Ge, Value: "五十"}}, "conditions[0].value"},
		{"int empty", []Condition{{Field: "employees", Op: Ge}}, "conditions[0].value"},
		{"int huge", []Condition{{Field: "employees", Op: Ge, Value: "100000001"}}, "conditions[0].value"},
		{"amount three decimals", []Condition{{Field: "revenue", Op: Ge, Value: "2000.123"}}, "conditions[0].value"},
		{"amount negative", []Condition{{Field: "revenue", Op: Ge, Value: "-5"}}, "conditions[0].value"},
		{"amount words", []Condition{{Field: "tax_paid", Op: Ge, Value: "两千"}}, "conditions[0].value"},
		{"amount huge", []Condition{{Field: "output", Op: Ge, Value: "99999999999999"}}, "conditions[0].value"},
		{"share over 100", []Condition{{Field: "export_share", Op: Ge, Value: "100.01"}}, "conditions[0].value"},
		{"share 101", []Condition{{Field: "export_share", Op: Ge, Value: "101"}}, "conditions[0].value"},
		{"share per cent sign", []Condition{{Field: "export_share", Op: Ge, Value: "25%"}}, "conditions[0].value"},
		{"bool maybe", []Condition{{Field: "foreign_trade", Op: Eq, Value: "maybe"}}, "conditions[0].value"},
		{"date month 13", []Condition{{Field: "registered_on", Op: Ge, Value: "2020-13-01"}}, "conditions[0].value"},
		{"date short", []Condition{{Field: "registered_on", Op: Ge, Value: "2020-1-1"}}, "conditions[0].value"},
		{"date compact", []Condition{{Field: "registered_on", Op: Le, Value: "20200101"}}, "conditions[0].value"},
		{"date february 30", []Condition{{Field: "registered_on", Op: Le, Value: "2020-02-30"}}, "conditions[0].value"},
		{"size huge", []Condition{{Field: "size", Op: In, Value: "small,huge"}}, "conditions[0].value"},
		{"size in Chinese", []Condition{{Field: "size", Op: In, Value: "小型"}}, "conditions[0].value"},
		{"industry 99x", []Condition{{Field: "industry", Op: In, Value: "99x"}}, "conditions[0].value"},
		{"industry 00", []Condition{{Field: "industry", Op: NotIn, Value: "34,00"}}, "conditions[0].value"},
		{"industry empty", []Condition{{Field: "industry", Op: In, Value: " , ，"}}, "conditions[0].value"},
		{"key level top", []Condition{{Field: "key_level", Op: In, Value: "top"}}, "conditions[0].value"},
		{"region punctuation", []Condition{{Field: "region", Op: In, Value: "3302-06"}}, "conditions[0].value"},
		{"region too long", []Condition{{Field: "region", Op: In, Value: strings.Repeat("1", 25)}}, "conditions[0].value"},
		{"tag too long", []Condition{{Field: "tags", Op: Has, Value: long}}, "conditions[0].value"},
		{"too many tags", []Condition{{Field: "tags", Op: Has, Value: strings.Join(many, ",")}}, "conditions[0].value"},
		{"certification empty", []Condition{{Field: "certifications", Op: Has}}, "conditions[0].value"},
		{"period on a registry field", []Condition{{Field: "industry", Op: In, Value: "34", Period: "2025"}}, "conditions[0].period"},
		{"period on a list fact", []Condition{{Field: "certifications", Op: Has, Value: "x", Period: "2025-01-01"}}, "conditions[0].period"},
		{"date period on a yearly fact", []Condition{{Field: "revenue", Op: Ge, Value: "1", Period: "2025-06-30"}}, "conditions[0].period"},
		{"year 1999", []Condition{{Field: "revenue", Op: Ge, Value: "1", Period: "1999"}}, "conditions[0].period"},
		{"year words", []Condition{{Field: "tax_paid", Op: Ge, Value: "1", Period: "去年"}}, "conditions[0].period"},
		{"year period on a dated fact", []Condition{{Field: "employees", Op: Ge, Value: "1", Period: "2025"}}, "conditions[0].period"},
		{"bad date period", []Condition{{Field: "insured", Op: Ge, Value: "1", Period: "2025-06-31"}}, "conditions[0].period"},
		{"second condition", []Condition{ok, {Field: "revenue", Op: Ge, Value: "1.234"}}, "conditions[1].value"},
		{"third condition field", []Condition{ok, ok, {Field: "x"}}, "conditions[2].field"},
		{"too many", slices.Repeat([]Condition{ok}, MaxConditions+1), "conditions"},
		{"cel with a field", []Condition{{Field: "employees", CEL: "employees > 1"}}, "conditions[0].field"},
		{"cel syntax", []Condition{ok, {CEL: "employees >"}}, "conditions[1].cel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Compile(tc.conds)
			if c != nil {
				t.Errorf("compiled %+v", tc.conds)
			}
			fields := fieldsOf(t, err)
			m, ok := fields[tc.key]
			if !ok || len(fields) != 1 {
				t.Fatalf("fields = %v, want only %s", fields, tc.key)
			}
			if m.Zh == "" || m.En == "" {
				t.Errorf("%s: empty message %+v", tc.key, m)
			}
		})
	}

	// every error is reported, each at its place
	_, err := Compile([]Condition{{Field: "x"}, ok, {Field: "size", Op: In, Value: "huge"}, {Field: "revenue", Op: Eq}})
	fields := fieldsOf(t, err)
	for _, k := range []string{"conditions[0].field", "conditions[2].value", "conditions[3].op"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("no message at %s in %v", k, fields)
		}
	}
	if len(fields) != 3 {
		t.Errorf("fields = %v", fields)
	}
	// a bad value is quoted, clipped
	_, err = Compile([]Condition{{Field: "size", Op: In, Value: "huge"}, {Field: strings.Repeat("字", 100)}})
	fields = fieldsOf(t, err)
	if !strings.Contains(fields["conditions[0].value"].Zh, "huge") {
		t.Errorf("value message %+v does not quote the value", fields["conditions[0].value"])
	}
	if m := fields["conditions[1].field"].Zh; !strings.Contains(m, strings.Repeat("字", 40)+"…”") || strings.Contains(m, strings.Repeat("字", 41)) {
		t.Errorf("field message %q not clipped to 40", m)
	}
	// the bounds themselves compile
	if c := mustCompile(t, slices.Repeat([]Condition{ok}, MaxConditions)...); c.Len() != MaxConditions {
		t.Errorf("Len = %d", c.Len())
	}
	mustCompile(t,
		Condition{Field: "tags", Op: Has, Value: strings.Join(many[:maxValues], "、")},
		Condition{Field: "tags", Op: Has, Value: strings.Repeat("长", 40)},
		Condition{Field: "employees", Op: Ge, Value: " 100000000 "},
		Condition{Field: "export_share", Op: Le, Value: "100"},
		Condition{Field: "revenue", Op: Ge, Value: "0", Period: " 2025 "},
		Condition{Field: "employees", Op: Ge, Value: "0", Period: "2025-02-28"},
		Condition{Field: "region", Op: In, Value: strings.Repeat("1", 24)},
	)
	// nothing to ask: always met
	c := mustCompile(t)
	if c.Len() != 0 || c.Verdict(&Profile{}) != Met {
		t.Errorf("empty conditions: %d, %v", c.Len(), c.Verdict(&Profile{}))
	}
}

func TestOpsRefused(t *testing.T) {
	all := []Op{Ge, Gt, Le, Lt, Eq, Ne, In, NotIn, Has, HasNot, "", "GE", "≥"}
	for _, f := range Fields {
		for _, op := range all {
			if slices.Contains(f.Ops(), op) {
				continue
			}
			_, err := Compile([]Condition{{Field: f.Key, Op: op, Value: "1"}})
			if _, ok := fieldsOf(t, err)["conditions[0].op"]; !ok {
				t.Errorf("%s %q: %v", f.Key, op, err)
			}
		}
	}
}

func TestExplanations(t *testing.T) {
	full := fullProfile()
	for _, tc := range []struct {
		name         string
		cond         Condition
		p            *Profile
		want         Verdict
		zh, en       []string
		asksZh       string
		selfDeclared bool
	}{
		{"employees not met", Condition{Field: "employees", Op: Ge, Value: "50"}, full, NotMet,
			[]string{"从业人员 35 人", "2025-06-30", "部门数据", "，需 ≥ 50 人"}, []string{"employees 35", "required ≥ 50"}, "从业人员 ≥ 50 人", false},
		{"employees met", Condition{Field: "employees", Op: Lt, Value: "50"}, full, Met,
			[]string{"从业人员 35 人", "需 < 50 人"}, []string{"required < 50"}, "从业人员 < 50 人", false},
		{"revenue in 万元", Condition{Field: "revenue", Op: Ge, Value: "2500.5", Period: "2025"}, full, NotMet,
			[]string{"营业收入 2000 万元", "需 ≥ 2500.5 万元"}, []string{"2000 × 10k yuan", "≥ 2500.5 × 10k yuan"}, "2025 年度 营业收入 ≥ 2500.5 万元", false},
		{"share", Condition{Field: "export_share", Op: Ge, Value: "30"}, full, NotMet,
			[]string{"外贸占比 25%", "需 ≥ 30%"}, []string{"foreign-trade share 25%"}, "外贸占比 ≥ 30%", false},
		{"bool", Condition{Field: "foreign_trade", Op: Eq, Value: "否"}, full, NotMet,
			[]string{"外贸企业：是", "需 为 否"}, []string{"foreign-trade enterprise: yes", "required is no"}, "外贸企业 为 否", false},
		{"industry named", Condition{Field: "industry", Op: In, Value: "34"}, full, NotMet,
			[]string{"35 专用设备制造业", "需 属于 34 通用设备制造业"}, []string{"required is one of 34"}, "属于 34 通用设备制造业", false},
		{"size named", Condition{Field: "size", Op: In, Value: "micro,medium"}, full, NotMet,
			[]string{"企业规模：小型", "微型、中型"}, []string{"size class: small", "micro, medium"}, "企业规模 属于 微型、中型", false},
		{"key level none", Condition{Field: "key_level", Op: In, Value: "city"}, &Profile{}, NotMet,
			[]string{"非重点企业", "市级重点"}, []string{"not a key enterprise"}, "重点企业级别 属于 市级重点", false},
		{"region", Condition{Field: "region", Op: In, Value: "330203"}, full, NotMet,
			[]string{"所在区域 330206001001"}, []string{"region"}, "所在区域 属于 330203", false},
		{"no tags", Condition{Field: "tags", Op: Has, Value: "专精特新"}, &Profile{}, NotMet,
			[]string{"标签与名单：无", "需 包含 专精特新"}, []string{"tags and lists: none"}, "标签与名单 包含 专精特新", false},
		{"date", Condition{Field: "registered_on", Op: Le, Value: "2010-01-01"}, full, NotMet,
			[]string{"成立日期 2015-06-18", "≤ 2010-01-01"}, []string{"date of registration 2015-06-18"}, "成立日期 ≤ 2010-01-01", false},
		{"missing fact", Condition{Field: "employees", Op: Ge, Value: "50"}, &Profile{}, Unknown,
			[]string{"缺少从业人员", "企业可自行填报", "统计部门"}, []string{"employees is missing", "may declare", "statistics bureau"}, "从业人员 ≥ 50 人", true},
		{"missing dated fact", Condition{Field: "insured", Op: Ge, Value: "10", Period: "2025-06-30"}, &Profile{}, Unknown,
			[]string{"缺少截至 2025-06-30 的社保参保人数", "人力社保部门"}, []string{"as of 2025-06-30", "human-resources bureau"}, "截至 2025-06-30 的社保参保人数 ≥ 10 人", true},
		{"missing yearly fact", Condition{Field: "rd_spend", Op: Ge, Value: "10", Period: "2024"}, full, Unknown,
			[]string{"缺少2024 年度研发投入", "科技部门"}, []string{"of 2024", "science bureau"}, "2024 年度 研发投入 ≥ 10 万元", true},
		{"missing registry field", Condition{Field: "size", Op: In, Value: "small"}, &Profile{}, Unknown,
			[]string{"缺少企业规模", "统计部门补录"}, []string{"size class is missing", "statistics bureau can record it"}, "企业规模 属于 小型", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, o := evaluate(t, tc.cond, tc.p)
			if v != tc.want {
				t.Fatalf("verdict %v, want %v (%s)", v, tc.want, o.Why.Zh)
			}
			for _, s := range tc.zh {
				if !strings.Contains(o.Why.Zh, s) {
					t.Errorf("Why.Zh %q lacks %q", o.Why.Zh, s)
				}
			}
			for _, s := range tc.en {
				if !strings.Contains(o.Why.En, s) {
					t.Errorf("Why.En %q lacks %q", o.Why.En, s)
				}
			}
			if !strings.Contains(o.Asks.Zh, tc.asksZh) {
				t.Errorf("Asks.Zh %q lacks %q", o.Asks.Zh, tc.asksZh)
			}
			if o.SelfDeclared != tc.selfDeclared {
				t.Errorf("SelfDeclared = %v", o.SelfDeclared)
			}
			if strings.ContainsFunc(o.Why.En, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) && tc.cond.Field != "tags" {
				t.Errorf("Why.En %q has Chinese", o.Why.En)
			}
		})
	}
}

func TestAsks(t *testing.T) {
	c := mustCompile(t,
		Condition{Field: "employees", Op: Ge, Value: "50"},
		Condition{Field: "employees", Op: Ge, Value: "50", Period: "2025-06-30"},
		Condition{Field: "revenue", Op: Gt, Value: "1250.5", Period: "2025", Authoritative: true},
		Condition{Field: "region", Op: In, Value: "330206, 330203"},
		Condition{CEL: "employees > 1", Label: "有员工"},
		Condition{CEL: " employees > 2 "},
	)
	want := []fault.Msg{
		{Zh: "从业人员 ≥ 50 人", En: "employees ≥ 50"},
		{Zh: "截至 2025-06-30 的从业人员 ≥ 50 人", En: "as of 2025-06-30, employees ≥ 50"},
		{Zh: "2025 年度 营业收入 > 1250.5 万元（以税务部门数据为准）", En: "of 2025 revenue > 1250.5 × 10k yuan (from the tax bureau)"},
		{Zh: "所在区域 属于 330206、330203", En: "region is one of 330206, 330203"},
		{Zh: "有员工", En: "有员工"},
		{Zh: "employees > 2", En: "employees > 2"},
	}
	if got := c.Asks(); !slices.Equal(got, want) {
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("Asks[%d] = %+v, want %+v", i, got[i], want[i])
			}
		}
	}
	if got := c.Regions(); !slices.Equal(got, []string{"330206", "330203"}) {
		t.Errorf("Regions = %v", got)
	}
}

func TestInRegion(t *testing.T) {
	p := fullProfile()
	for code, want := range map[string]bool{"330206": true, "330206001": true, "G330206001": true, "330206001001": true, "330203": false, "": false} {
		if p.InRegion(code) != want {
			t.Errorf("InRegion(%q) = %v", code, !want)
		}
	}
	if (&Profile{}).InRegion("") {
		t.Error("empty profile in the empty region")
	}
}

// randomCondition builds a valid condition over a random field of the
// table, or one of a few CEL conditions.
func randomCondition(r *rand.Rand) Condition {
	if r.IntN(8) == 0 {
		cels := []string{
			"employees >= 20 && revenue > 1000",
			"employees < 40 || '高新技术企业' in certifications",
			"size in ['small', 'micro'] && industry in ['34', '35']",
			"export_share >= 20.5 || foreign_trade",
			"key_level != 'none' && '330206' in region",
			"tags.exists(t, t == '专精特新') && registered_on <= '2020-01-01'",
			"insured * 2 > employees && rd_spend >= 50",
			"false && tax_paid > 1",
			"true || output > 1",
		}
		c := Condition{CEL: cels[r.IntN(len(cels))], Authoritative: r.IntN(3) == 0}
		if r.IntN(3) == 0 {
			c.Period = []string{"2024", "2025"}[r.IntN(2)]
		}
		return c
	}
	f := Fields[r.IntN(len(Fields))]
	ops := f.Ops()
	c := Condition{Field: f.Key, Op: ops[r.IntN(len(ops))], Authoritative: r.IntN(3) == 0}
	pick := func(vs ...string) string {
		n := 1 + r.IntN(2)
		var out []string
		for range n {
			out = append(out, vs[r.IntN(len(vs))])
		}
		return strings.Join(out, ",")
	}
	switch f.Type {
	case Int:
		c.Value = strconv.Itoa(r.IntN(80))
	case Amount:
		c.Value = fmt.Sprintf("%d.%02d", r.IntN(4000), r.IntN(100))
	case Share:
		c.Value = fmt.Sprintf("%d.%d", r.IntN(100), r.IntN(10))
	case Bool:
		c.Value = []string{"是", "否", "true", "no"}[r.IntN(4)]
	case Date:
		c.Value = []string{"2010-01-01", "2015-06-18", "2020-05-01", "2024-12-31"}[r.IntN(4)]
	case Code:
		switch f.Key {
		case "industry":
			c.Value = pick("13", "34", "35", "65")
		case "region":
			c.Value = pick("330206", "330203", "330206001", "G1")
		default:
			var vs []string
			for _, o := range f.Options {
				vs = append(vs, o.Value)
			}
			c.Value = pick(vs...)
		}
	case List:
		if f.Key == "tags" {
			c.Value = pick("专精特新", "外贸", "规上工业")
		} else {
			c.Value = pick("高新技术企业", "科技型中小企业")
		}
	}
	if f.Fact != "" && f.Type != List && r.IntN(2) == 0 {
		if f.Period() == dossier.Year {
			c.Period = []string{"2024", "2025"}[r.IntN(2)]
		} else {
			c.Period = []string{"2025-03-31", "2025-05-01", "2025-06-30", "2024-01-01"}[r.IntN(4)]
		}
	}
	return c
}

// randomProfile builds an enterprise with some fields known, of random
// sources and periods.
func randomProfile(r *rand.Rand) *Profile {
	one := func(vs ...string) string { return vs[r.IntN(len(vs))] }
	p := &Profile{
		Industry:     one("", "13", "34", "35"),
		Size:         one("", "large", "medium", "small", "micro"),
		KeyLevel:     one("", "none", "district", "city"),
		ForeignTrade: r.IntN(2) == 0,
		RegisteredOn: one("", "2009-12-31", "2015-06-18", "2022-02-02"),
	}
	if r.IntN(4) > 0 {
		p.Grid, p.Community, p.Street, p.District = "G1", one("", "C1"), one("", "330206001"), one("330206", "330203")
	}
	for _, t := range []string{"专精特新", "外贸", "规上工业"} {
		if r.IntN(2) == 0 {
			p.Tags = append(p.Tags, t)
		}
	}
	src := func() dossier.Source { return dossier.Sources[r.IntN(len(dossier.Sources))] }
	for _, f := range Fields {
		if f.Fact == "" {
			continue
		}
		if f.Type == List {
			for _, t := range []string{"高新技术企业", "科技型中小企业"} {
				if r.IntN(3) == 0 {
					p.Facts = append(p.Facts, cert(t, "2024-11-20", src()))
				}
			}
			continue
		}
		periods := []string{"2024", "2025"}
		if f.Period() == dossier.Date {
			periods = []string{"2025-03-31", "2025-06-30"}
		}
		for _, period := range periods {
			if r.IntN(2) == 0 {
				continue
			}
			var n int64
			switch f.Type {
			case Int:
				n = r.Int64N(80)
			case Amount:
				n = r.Int64N(4000) * 10_000
			case Share:
				n = r.Int64N(10001)
			}
			p.Facts = append(p.Facts, fact(f.Fact, period, n, src()))
		}
	}
	return p
}

// TestVerdictProperty checks on random profiles and random valid
// conditions that Verdict, Test and Explain agree: the benefit's verdict
// is the And of the conditions'.
func TestVerdictProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(2025, 6))
	var buf []Verdict
	counts := map[Verdict]int{}
	for i := range 4000 {
		conds := make([]Condition, 1+r.IntN(5))
		for j := range conds {
			conds[j] = randomCondition(r)
		}
		c, err := Compile(conds)
		if err != nil {
			t.Fatalf("#%d: random conditions %+v refused: %v", i, conds, fault.As(err).Fields)
		}
		p := randomProfile(r)
		each, all := c.Test(p, buf)
		buf = each
		v := c.Verdict(p)
		outs, ev := c.Explain(p)
		counts[v]++
		if all != And(each...) || v != all {
			t.Fatalf("#%d: Verdict %v, Test %v of %v", i, v, all, each)
		}
		var outVerdicts []Verdict
		for j, o := range outs {
			outVerdicts = append(outVerdicts, o.Verdict)
			cc := &c.conds[j]
			if o.Verdict != each[j] {
				t.Fatalf("#%d: condition %+v: Test %v, Explain %v (%s) on %+v", i, conds[j], each[j], o.Verdict, o.Why.Zh, p)
			}
			if o.Why.Zh == "" || o.Why.En == "" {
				t.Fatalf("#%d: condition %+v: empty Why %+v", i, conds[j], o)
			}
			if o.Verdict == Unknown && cc.cel == nil && o.Field != cc.field.Key {
				t.Fatalf("#%d: condition %+v: unknown outcome names %q", i, conds[j], o.Field)
			}
		}
		if ev != And(outVerdicts...) {
			t.Fatalf("#%d: Explain %v of %v", i, ev, outVerdicts)
		}
		if ev != v {
			t.Fatalf("#%d: Explain %v, Verdict %v for %+v on %+v", i, ev, v, conds, p)
		}
	}
	for _, v := range []Verdict{Met, NotMet, Unknown} {
		if counts[v] < 100 {
			t.Errorf("only %d random cases %v: %v", counts[v], v, counts)
		}
	}
}

// TestFacts checks the kinds a loader reads for the conditions and the
// amount rule.
func TestFacts(t *testing.T) {
	c := mustCompile(t,
		Condition{Field: "industry", Op: In, Value: "34"},
		Condition{Field: "employees", Op: Ge, Value: "1"},
		Condition{Field: "employees", Op: Le, Value: "100"},
		Condition{Field: "certifications", Op: Has, Value: "高新技术企业"},
		Condition{CEL: "revenue > 1 && employees > 1 && size == 'small'"},
	)
	if got, want := c.Facts(), []string{"employees", "certification", "revenue"}; !slices.Equal(got, want) {
		t.Errorf("Facts = %v, want %v", got, want)
	}
	if got := mustCompile(t, Condition{Field: "tags", Op: Has, Value: "x"}, Condition{CEL: "true"}).Facts(); len(got) != 0 {
		t.Errorf("registry-only Facts = %v", got)
	}
	for _, tc := range []struct {
		rule AmountRule
		want []string
	}{
		{AmountRule{Kind: "per_head", Base: "insured"}, []string{"insured"}},
		{AmountRule{Kind: "share", Base: "rd_spend"}, []string{"rd_spend"}},
		{AmountRule{Kind: "fixed", Base: "revenue"}, nil},
		{AmountRule{Kind: "none"}, nil},
		{AmountRule{Kind: "share", Base: "industry"}, nil},
	} {
		if got := tc.rule.Facts(); !slices.Equal(got, tc.want) {
			t.Errorf("%+v.Facts = %v, want %v", tc.rule, got, tc.want)
		}
	}
}
