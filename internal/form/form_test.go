package form

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/fault"
)

// now is the moment the tests answer at: a dated fact is of its day.
var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func bound(x float64) *float64 { return &x }

// survey is a realistic form that passes Check: two sections, every
// question type, a condition on a yes/no and one on a choice, a table, a
// fact of a yearly kind with its year and facts of dated kinds without.
// It is built anew at each call, so that a test may change it.
//
//	sections.0.questions: 0 company_type, 1 exporter, 2 markets (when exporter),
//	  3 founded, 4 employees (fact), 5 revenue (fact, 2025)
//	sections.1.questions: 0 growth, 1 hires, 2 foreign_detail (when company_type),
//	  3 needs, 4 loans (table), 5 certification (fact)
func survey() Definition {
	return Definition{
		Zh: "2026 年一季度企业经营情况调查", En: "Business survey, first quarter of 2026",
		IntroZh: "请如实填写，约需五分钟。", IntroEn: "About five minutes.",
		Sections: []Section{
			{Zh: "基本情况", En: "The enterprise", Questions: []Question{
				{Key: "company_type", Type: Choice, Zh: "企业类型", En: "Type", Required: true, Options: []Option{
					{Value: "state", Zh: "国有企业", En: "state-owned"},
					{Value: "private", Zh: "民营企业", En: "private"},
					{Value: "foreign", Zh: "外资企业", En: "foreign-owned"},
				}},
				{Key: "exporter", Type: YesNo, Zh: "是否有出口业务", En: "Do you export?", Required: true},
				{Key: "markets", Type: Multi, Zh: "主要出口市场", En: "Export markets", Required: true,
					When: &Condition{Key: "exporter", Equals: "yes"}, Options: []Option{
						{Value: "eu", Zh: "欧盟", En: "EU"},
						{Value: "us", Zh: "美国", En: "US"},
						{Value: "asean", Zh: "东盟", En: "ASEAN"},
					}},
				{Key: "founded", Type: Date, Zh: "成立日期", En: "Founded", HelpZh: "以营业执照为准"},
				{Key: "employees", Type: Fact, Zh: "从业人员", En: "Employees", Required: true, Fact: "employees"},
				{Key: "revenue", Type: Fact, Zh: "2025 年营业收入", En: "Revenue of 2025", Fact: "revenue", Period: "2025"},
			}},
			{Zh: "经营", En: "Business", Questions: []Question{
				{Key: "growth", Type: Number, Zh: "产值增长", En: "Output growth", Unit: "%", Min: bound(-100), Max: bound(1000)},
				{Key: "hires", Type: Number, Zh: "计划招聘人数", En: "Planned hires", Unit: "人", Min: bound(0)},
				{Key: "foreign_detail", Type: Text, Zh: "外方投资者", En: "Foreign investor", Required: true,
					When: &Condition{Key: "company_type", Equals: "foreign"}},
				{Key: "needs", Type: Text, Long: true, Zh: "需要政府协调的问题", En: "What you need"},
				{Key: "loans", Type: Table, Zh: "银行贷款", En: "Bank loans", MaxRows: 3, Columns: []Question{
					{Key: "amount", Type: Number, Zh: "金额", En: "Amount", Unit: "万元", Min: bound(0)},
					{Key: "bank", Type: Text, Zh: "银行", En: "Bank", Required: true},
					{Key: "due", Type: Date, Zh: "到期日", En: "Due"},
					{Key: "secured", Type: YesNo, Zh: "是否抵押", En: "Secured"},
				}},
				{Key: "certification", Type: Fact, Zh: "资质认定", En: "Certification", Fact: "certification"},
			}},
		},
	}
}

// fieldsOf returns the fields of an Invalid error, nil for nil; it fails
// the test on an error of another kind.
func fieldsOf(t *testing.T, err error) map[string]fault.Msg {
	t.Helper()
	if err == nil {
		return nil
	}
	fe := fault.As(err)
	if fe == nil || fe.Kind != fault.Invalid {
		t.Fatalf("%v: want an Invalid *fault.Error", err)
	}
	return fe.Fields
}

// TestCheckSurvey holds that a realistic form passes and that its helpers
// read it in order.
func TestCheckSurvey(t *testing.T) {
	d := survey()
	if err := d.Check(); err != nil {
		t.Fatalf("survey refused: %v", fieldsOf(t, err))
	}
	if n := len(d.Questions()); n != 12 {
		t.Errorf("Questions: %d, want 12", n)
	}
	if q, ok := d.Question("loans"); !ok || q.Type != Table {
		t.Errorf("Question(loans) = %+v, %v", q, ok)
	}
	if _, ok := d.Question("amount"); ok {
		t.Error("a table's column is not a question of the form")
	}
	if got := d.FactKinds(); !slices.Equal(got, []string{"employees", "revenue", "certification"}) {
		t.Errorf("FactKinds = %v", got)
	}
	for _, ty := range Types {
		if !ty.Valid() || ty.Name().Zh == "" || ty.Name().En == "" {
			t.Errorf("type %s: valid %v, name %+v", ty, ty.Valid(), ty.Name())
		}
	}
	if Type("essay").Valid() {
		t.Error("essay is no type")
	}
}

// TestCheckRefuses holds that Check refuses each broken definition with a
// message, in both languages, at the place that is wrong.
func TestCheckRefuses(t *testing.T) {
	many := func(n int) []Question {
		out := make([]Question, n)
		for i := range out {
			out[i] = Question{Key: "q" + strings.Repeat("x", i%20) + string(rune('a'+i%26)) + string(rune('a'+i/26)), Type: Text, Zh: "问题"}
		}
		return out
	}
	for _, c := range []struct {
		name   string
		change func(d *Definition)
		field  string
	}{
		{"empty title", func(d *Definition) { d.Zh = "" }, "zh"},
		{"title too long", func(d *Definition) { d.Zh = strings.Repeat("调", MaxLabel+1) }, "zh"},
		{"introduction too long", func(d *Definition) { d.IntroEn = strings.Repeat("a", MaxHelp+1) }, "intro_en"},
		{"no sections", func(d *Definition) { d.Sections = nil }, "sections"},
		{"too many sections", func(d *Definition) {
			for len(d.Sections) <= MaxSections {
				d.Sections = append(d.Sections, Section{Questions: []Question{{Key: "x", Type: Text, Zh: "x"}}})
			}
		}, "sections"},
		{"empty section", func(d *Definition) { d.Sections[1].Questions = nil }, "sections.1.questions"},
		{"upper-case key", func(d *Definition) { d.Sections[0].Questions[3].Key = "Founded" }, "sections.0.questions.3.key"},
		{"key with a dash", func(d *Definition) { d.Sections[0].Questions[3].Key = "founded-on" }, "sections.0.questions.3.key"},
		{"key too long", func(d *Definition) { d.Sections[0].Questions[3].Key = "f" + strings.Repeat("o", 32) }, "sections.0.questions.3.key"},
		{"empty key", func(d *Definition) { d.Sections[0].Questions[3].Key = "" }, "sections.0.questions.3.key"},
		{"duplicate key across sections", func(d *Definition) { d.Sections[1].Questions[0].Key = "exporter" }, "sections.1.questions.0.key"},
		{"no label", func(d *Definition) { d.Sections[1].Questions[3].Zh = "" }, "sections.1.questions.3.zh"},
		{"unknown type", func(d *Definition) { d.Sections[1].Questions[3].Type = "essay" }, "sections.1.questions.3.type"},
		{"no type", func(d *Definition) { d.Sections[1].Questions[3].Type = "" }, "sections.1.questions.3.type"},
		{"choice with one option", func(d *Definition) {
			q := &d.Sections[0].Questions[0]
			q.Options = q.Options[:1]
		}, "sections.0.questions.0.options"},
		{"multi without options", func(d *Definition) { d.Sections[0].Questions[2].Options = nil }, "sections.0.questions.2.options"},
		{"too many options", func(d *Definition) {
			q := &d.Sections[0].Questions[0]
			for i := len(q.Options); i <= MaxOptions; i++ {
				q.Options = append(q.Options, Option{Value: "o" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Zh: "选项"})
			}
		}, "sections.0.questions.0.options"},
		{"duplicate option value", func(d *Definition) { d.Sections[0].Questions[0].Options[2].Value = "state" }, "sections.0.questions.0.options.2.value"},
		{"bad option value", func(d *Definition) { d.Sections[0].Questions[0].Options[1].Value = "民营" }, "sections.0.questions.0.options.1.value"},
		{"option without label", func(d *Definition) { d.Sections[0].Questions[0].Options[1].Zh = "" }, "sections.0.questions.0.options.1.zh"},
		{"option on a date", func(d *Definition) {
			d.Sections[0].Questions[3].Options = []Option{{Value: "a", Zh: "甲"}, {Value: "b", Zh: "乙"}}
		}, "sections.0.questions.3.options"},
		{"option on a yes/no", func(d *Definition) {
			d.Sections[0].Questions[1].Options = []Option{{Value: "yes", Zh: "是"}, {Value: "no", Zh: "否"}}
		}, "sections.0.questions.1.options"},
		{"minimum above maximum", func(d *Definition) {
			d.Sections[1].Questions[0].Min, d.Sections[1].Questions[0].Max = bound(10), bound(5)
		}, "sections.1.questions.0.max"},
		{"huge bound", func(d *Definition) { d.Sections[1].Questions[0].Max = bound(1e300) }, "sections.1.questions.0.min"},
		{"bounds on a date", func(d *Definition) { d.Sections[0].Questions[3].Min = bound(1) }, "sections.0.questions.3.min"},
		{"bounds on a fact", func(d *Definition) { d.Sections[0].Questions[4].Max = bound(100) }, "sections.0.questions.4.min"},
		{"table without columns", func(d *Definition) { d.Sections[1].Questions[4].Columns = nil }, "sections.1.questions.4.columns"},
		{"table with too many columns", func(d *Definition) {
			q := &d.Sections[1].Questions[4]
			for i := len(q.Columns); i <= MaxColumns; i++ {
				q.Columns = append(q.Columns, Question{Key: "c" + string(rune('a'+i)), Type: Text, Zh: "列"})
			}
		}, "sections.1.questions.4.columns"},
		{"table with too many rows", func(d *Definition) { d.Sections[1].Questions[4].MaxRows = MaxRowsLimit + 1 }, "sections.1.questions.4.max_rows"},
		{"table with negative rows", func(d *Definition) { d.Sections[1].Questions[4].MaxRows = -1 }, "sections.1.questions.4.max_rows"},
		{"column of a choice", func(d *Definition) {
			c := &d.Sections[1].Questions[4].Columns[1]
			c.Type, c.Options = Choice, []Option{{Value: "a", Zh: "甲"}, {Value: "b", Zh: "乙"}}
		}, "sections.1.questions.4.columns.1.type"},
		{"column of a fact", func(d *Definition) {
			c := &d.Sections[1].Questions[4].Columns[0]
			c.Type, c.Min, c.Fact = Fact, nil, "employees"
		}, "sections.1.questions.4.columns.0.type"},
		{"column with a condition", func(d *Definition) {
			d.Sections[1].Questions[4].Columns[0].When = &Condition{Key: "exporter", Equals: "yes"}
		}, "sections.1.questions.4.columns.0.when"},
		{"column with a bad key", func(d *Definition) { d.Sections[1].Questions[4].Columns[2].Key = "Due" }, "sections.1.questions.4.columns.2.key"},
		{"duplicate column key", func(d *Definition) { d.Sections[1].Questions[4].Columns[2].Key = "bank" }, "sections.1.questions.4.columns.2.key"},
		{"columns on a text", func(d *Definition) {
			d.Sections[1].Questions[3].Columns = []Question{{Key: "a", Type: Text, Zh: "甲"}}
		}, "sections.1.questions.3.columns"},
		{"rows on a text", func(d *Definition) { d.Sections[1].Questions[3].MaxRows = 3 }, "sections.1.questions.3.columns"},
		{"fact of an unknown kind", func(d *Definition) { d.Sections[0].Questions[4].Fact = "mood" }, "sections.0.questions.4.fact"},
		{"fact without a kind", func(d *Definition) { d.Sections[0].Questions[4].Fact = "" }, "sections.0.questions.4.fact"},
		{"yearly fact without its year", func(d *Definition) { d.Sections[0].Questions[5].Period = "" }, "sections.0.questions.5.period"},
		{"yearly fact of a day", func(d *Definition) { d.Sections[0].Questions[5].Period = "2025-12-31" }, "sections.0.questions.5.period"},
		{"yearly fact of a short year", func(d *Definition) { d.Sections[0].Questions[5].Period = "25" }, "sections.0.questions.5.period"},
		{"dated fact with a year", func(d *Definition) { d.Sections[0].Questions[4].Period = "2025" }, "sections.0.questions.4.period"},
		{"kind of fact on a date", func(d *Definition) { d.Sections[0].Questions[3].Fact = "revenue" }, "sections.0.questions.3.fact"},
		{"year on a number", func(d *Definition) { d.Sections[1].Questions[0].Period = "2025" }, "sections.1.questions.0.fact"},
		{"condition on a later question", func(d *Definition) {
			d.Sections[0].Questions[0].When = &Condition{Key: "exporter", Equals: "yes"}
		}, "sections.0.questions.0.when.key"},
		{"condition on itself", func(d *Definition) {
			d.Sections[0].Questions[1].When = &Condition{Key: "exporter", Equals: "yes"}
		}, "sections.0.questions.1.when.key"},
		{"condition on no question", func(d *Definition) {
			d.Sections[1].Questions[3].When = &Condition{Key: "nothing", Equals: "yes"}
		}, "sections.1.questions.3.when.key"},
		{"condition on a text", func(d *Definition) {
			d.Sections[1].Questions[3].When = &Condition{Key: "foreign_detail", Equals: "x"}
		}, "sections.1.questions.3.when.key"},
		{"condition on a number", func(d *Definition) {
			d.Sections[1].Questions[3].When = &Condition{Key: "growth", Equals: "10"}
		}, "sections.1.questions.3.when.key"},
		{"condition on a choice, not an option", func(d *Definition) {
			d.Sections[1].Questions[2].When.Equals = "joint"
		}, "sections.1.questions.2.when.equals"},
		{"condition on a choice, an option's label", func(d *Definition) {
			d.Sections[1].Questions[2].When.Equals = "外资企业"
		}, "sections.1.questions.2.when.equals"},
		{"condition on a yes/no, neither yes nor no", func(d *Definition) {
			d.Sections[0].Questions[2].When.Equals = "是"
		}, "sections.0.questions.2.when.equals"},
		{"too many questions", func(d *Definition) {
			d.Sections = append(d.Sections, Section{Zh: "更多", Questions: many(MaxQuestions)})
		}, "sections"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := survey()
			c.change(&d)
			got := fieldsOf(t, d.Check())
			if m, ok := got[c.field]; !ok || m.Zh == "" || m.En == "" {
				t.Errorf("refused %v; want %s in both languages", keys(got), c.field)
			}
		})
	}
}

// TestCheckMany holds that a form may have as many questions as the bound.
func TestCheckMany(t *testing.T) {
	d := Definition{Zh: "长表"}
	for s := 0; s < MaxSections; s++ {
		var qs []Question
		for i := 0; i < MaxQuestions/MaxSections; i++ {
			qs = append(qs, Question{Key: "q" + string(rune('a'+s)) + string(rune('a'+i)), Type: YesNo, Zh: "问题"})
		}
		d.Sections = append(d.Sections, Section{Questions: qs})
	}
	if err := d.Check(); err != nil {
		t.Errorf("%d questions in %d sections refused: %v", MaxQuestions, MaxSections, keys(fieldsOf(t, err)))
	}
}

func keys(m map[string]fault.Msg) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// answers are a complete, valid set of answers to the survey, as a client
// may send them.
func answers() Answers {
	return Answers{
		"company_type":  {Values: []string{"private"}},
		"exporter":      {Values: []string{"是"}},
		"markets":       {Values: []string{"us", "eu"}},
		"founded":       {Values: []string{"2015-06-01"}},
		"employees":     {Values: []string{" 35 "}},
		"revenue":       {Values: []string{"1200"}},
		"growth":        {Values: []string{"12.50"}},
		"hires":         {Values: []string{"1,200"}},
		"needs":         {Values: []string{"  用地指标\n\n融资  "}},
		"loans":         {Rows: [][]string{{"500", " 工商银行 ", "2026-12-31", "是"}, {"", "", "", ""}, {"1,000.5", "宁波银行", "", ""}}},
		"certification": {Values: []string{"高新技术企业 GR202533000123"}},
	}
}

// TestClean holds what a valid answer is: the messages, keyed by question
// (a table's cell by key.row.column, the row counted among the rows kept),
// and the values as cleaned.
func TestClean(t *testing.T) {
	with := func(change func(a Answers)) Answers {
		a := answers()
		change(a)
		return a
	}
	one := func(v string) Answer { return Answer{Values: []string{v}} }
	for _, c := range []struct {
		name  string
		in    Answers
		final bool
		errs  []string          // the fields refused, sorted
		want  map[string]Answer // answers expected in the clean answers
		gone  []string          // answers expected not to be there
	}{
		{"complete", answers(), true, nil, map[string]Answer{
			"company_type": one("private"),
			"exporter":     one("yes"),
			"markets":      {Values: []string{"eu", "us"}}, // in the options' order
			"employees":    one("35"),
			"revenue":      one("1200"),
			"growth":       one("12.5"),
			"hires":        one("1200"),
			"needs":        one("用地指标\n\n融资"), // a paragraph keeps its lines
			"loans":        {Rows: [][]string{{"500", "工商银行", "2026-12-31", "yes"}, {"1000.5", "宁波银行", "", ""}}},
		}, []string{"foreign_detail"}},
		{"nothing, final", Answers{}, true, []string{"company_type", "employees", "exporter"}, nil, nil},
		{"nothing, draft", Answers{}, false, nil, nil, nil},
		{"a required answer missing, final", with(func(a Answers) { delete(a, "company_type") }), true, []string{"company_type"}, nil, nil},
		{"a required answer blank, final", with(func(a Answers) { a["employees"] = one("   ") }), true, []string{"employees"}, nil, []string{"employees"}},
		{"a required answer missing, draft", with(func(a Answers) { delete(a, "company_type") }), false, nil, nil, nil},
		{"a wrong answer, draft", with(func(a Answers) { a["founded"] = one("2015-6-1") }), false, []string{"founded"}, nil, []string{"founded"}},
		{"hidden question's answer dropped", with(func(a Answers) { a["exporter"] = one("否") }), true, nil,
			map[string]Answer{"exporter": one("no")}, []string{"markets"}},
		{"hidden question's wrong answer dropped", with(func(a Answers) {
			a["exporter"] = one("no")
			a["markets"] = Answer{Values: []string{"mars"}}
		}), true, nil, nil, []string{"markets"}},
		{"hidden question not required", with(func(a Answers) {
			a["exporter"] = one("no")
			delete(a, "markets")
		}), true, nil, nil, nil},
		{"shown question required", with(func(a Answers) { delete(a, "markets") }), true, []string{"markets"}, nil, nil},
		{"a condition on a choice shows", with(func(a Answers) {
			a["company_type"] = one("foreign")
			a["foreign_detail"] = one("  Müller   GmbH ")
		}), true, nil, map[string]Answer{"foreign_detail": one("Müller GmbH")}, nil},
		{"a condition on a choice requires", with(func(a Answers) { a["company_type"] = one("foreign") }), true, []string{"foreign_detail"}, nil, nil},
		{"a condition on a wrong answer hides", with(func(a Answers) {
			a["exporter"] = one("perhaps")
			a["markets"] = Answer{Values: []string{"eu"}}
		}), true, []string{"exporter"}, nil, []string{"exporter", "markets"}},
		{"number below the minimum", with(func(a Answers) { a["growth"] = one("-100.5") }), true, []string{"growth"}, nil, nil},
		{"number at the minimum", with(func(a Answers) { a["growth"] = one("-100") }), true, nil, map[string]Answer{"growth": one("-100")}, nil},
		{"number above the maximum", with(func(a Answers) { a["growth"] = one("1,001") }), true, []string{"growth"}, nil, nil},
		{"number without maximum", with(func(a Answers) { a["hires"] = one("1e6") }), true, nil, map[string]Answer{"hires": one("1000000")}, nil},
		{"number too large for any form", with(func(a Answers) { a["hires"] = one("1e16") }), true, []string{"hires"}, nil, nil},
		{"not a number", with(func(a Answers) { a["hires"] = one("十二") }), true, []string{"hires"}, nil, nil},
		{"not a finite number", with(func(a Answers) { a["hires"] = one("Inf") }), true, []string{"hires"}, nil, nil},
		{"choice not an option", with(func(a Answers) { a["company_type"] = one("民营企业") }), true, []string{"company_type"}, nil, nil},
		{"choice of two", with(func(a Answers) { a["company_type"] = Answer{Values: []string{"state", "private"}} }), true, []string{"company_type"}, nil, nil},
		{"multi not an option", with(func(a Answers) { a["markets"] = Answer{Values: []string{"eu", "mars"}} }), true, []string{"markets"}, nil, nil},
		{"multi repeated and blank", with(func(a Answers) { a["markets"] = Answer{Values: []string{"asean", "", "eu", "asean"}} }), true, nil,
			map[string]Answer{"markets": {Values: []string{"eu", "asean"}}}, nil},
		{"multi of one", with(func(a Answers) { a["markets"] = one("us") }), true, nil, map[string]Answer{"markets": one("us")}, nil},
		{"date of another format", with(func(a Answers) { a["founded"] = one("2015/06/01") }), true, []string{"founded"}, nil, nil},
		{"date that does not exist", with(func(a Answers) { a["founded"] = one("2015-02-30") }), true, []string{"founded"}, nil, nil},
		{"yes/no in words", with(func(a Answers) { a["exporter"] = one("YES") }), true, nil, map[string]Answer{"exporter": one("yes")}, nil},
		{"yes/no as a boolean", with(func(a Answers) { a["exporter"] = one("true") }), true, nil, map[string]Answer{"exporter": one("yes")}, nil},
		{"yes/no neither", with(func(a Answers) { a["exporter"] = one("maybe") }), true, []string{"exporter"}, nil, nil},
		{"revenue with a decimal", with(func(a Answers) { a["revenue"] = one("1200.50") }), true, nil, map[string]Answer{"revenue": one("1200.5")}, nil},
		{"revenue of three decimals", with(func(a Answers) { a["revenue"] = one("1200.505") }), true, []string{"revenue"}, nil, nil},
		{"revenue negative", with(func(a Answers) { a["revenue"] = one("-1") }), true, []string{"revenue"}, nil, nil},
		{"employees with leading zeros", with(func(a Answers) { a["employees"] = one("035") }), true, nil, map[string]Answer{"employees": one("35")}, nil},
		{"employees in part", with(func(a Answers) { a["employees"] = one("3.5") }), true, []string{"employees"}, nil, nil},
		{"employees beyond the kind's bound", with(func(a Answers) { a["employees"] = one("10000001") }), true, []string{"employees"}, nil, nil},
		{"employees at the kind's bound", with(func(a Answers) { a["employees"] = one("10000000") }), true, nil, nil, nil},
		{"certification too long", with(func(a Answers) { a["certification"] = one(strings.Repeat("证", 201)) }), true, []string{"certification"}, nil, nil},
		{"table, blank rows dropped and a bad cell", with(func(a Answers) {
			a["loans"] = Answer{Rows: [][]string{{"", " ", ""}, {"500", "工商银行"}, {}, {"五百", "农业银行", "", "否"}}}
		}), true, []string{"loans.2.1"}, nil, nil},
		{"table, a bad date and a bad yes/no", with(func(a Answers) {
			a["loans"] = Answer{Rows: [][]string{{"500", "工商银行", "2026-13-01", "也许"}}}
		}), true, []string{"loans.1.3", "loans.1.4"}, nil, nil},
		{"table, below a column's minimum", with(func(a Answers) {
			a["loans"] = Answer{Rows: [][]string{{"-1", "工商银行"}}}
		}), true, []string{"loans.1.1"}, nil, nil},
		{"table, a required column", with(func(a Answers) {
			a["loans"] = Answer{Rows: [][]string{{"500", "工商银行"}, {"300", " "}}}
		}), true, []string{"loans.2.2"}, nil, nil},
		{"table, a required column in a draft", with(func(a Answers) {
			a["loans"] = Answer{Rows: [][]string{{"300"}}}
		}), false, nil, map[string]Answer{"loans": {Rows: [][]string{{"300", "", "", ""}}}}, nil},
		{"table, too many rows", with(func(a Answers) {
			a["loans"] = Answer{Rows: [][]string{{"1", "甲"}, {"2", "乙"}, {"3", "丙"}, {"4", "丁"}}}
		}), true, []string{"loans"}, nil, []string{"loans"}},
		{"table, as many rows as it takes, and blank ones", with(func(a Answers) {
			a["loans"] = Answer{Rows: [][]string{{"1", "甲"}, {"2", "乙"}, {}, {"3", "丙"}, {"", ""}}}
		}), true, nil, map[string]Answer{"loans": {Rows: [][]string{{"1", "甲", "", ""}, {"2", "乙", "", ""}, {"3", "丙", "", ""}}}}, nil},
		{"table, a row longer than the columns", with(func(a Answers) {
			a["loans"] = Answer{Rows: [][]string{{"1", "甲", "", "", "多"}}}
		}), true, []string{"loans"}, nil, nil},
		{"table, all blank", with(func(a Answers) { a["loans"] = Answer{Rows: [][]string{{}, {"", " "}}} }), true, nil, nil, []string{"loans"}},
		{"table answered with a value", with(func(a Answers) { a["loans"] = one("500") }), true, []string{"loans"}, nil, nil},
		{"table answered with a blank value, as with none", with(func(a Answers) { a["loans"] = Answer{Values: []string{" "}} }), true, nil, nil, []string{"loans"}},
		{"rows for a text", with(func(a Answers) { a["needs"] = Answer{Rows: [][]string{{"a"}}} }), true, []string{"needs"}, nil, nil},
		{"an unknown key", with(func(a Answers) { a["mood"] = one("good") }), true, []string{"mood"}, nil, []string{"mood"}},
		{"a column's key", with(func(a Answers) { a["bank"] = one("工商银行") }), true, []string{"bank"}, nil, nil},
		{"text too long", with(func(a Answers) { a["needs"] = one(strings.Repeat("长", MaxAnswer+1)) }), true, []string{"needs"}, nil, nil},
		{"text as long as it may be", with(func(a Answers) { a["needs"] = one(strings.Repeat("长", MaxAnswer)) }), true, nil, nil, nil},
		{"text not UTF-8", with(func(a Answers) { a["needs"] = one("\xff\xfe") }), true, []string{"needs"}, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := survey()
			out, err := Clean(d, c.in, now, c.final)
			got := fieldsOf(t, err)
			if !slices.Equal(keys(got), c.errs) {
				t.Errorf("refused %v, want %v", keys(got), c.errs)
			}
			for k, m := range got {
				if m.Zh == "" || m.En == "" {
					t.Errorf("message of %s not in both languages: %+v", k, m)
				}
			}
			for k, want := range c.want {
				if !reflect.DeepEqual(out[k], want) {
					t.Errorf("%s = %#v, want %#v", k, out[k], want)
				}
			}
			for _, k := range c.gone {
				if a, ok := out[k]; ok {
					t.Errorf("%s kept: %#v", k, a)
				}
			}
			for k, a := range out {
				if a.Empty() {
					t.Errorf("%s kept empty", k)
				}
			}
			if err == nil {
				// Clean answers are clean.
				again, err := Clean(d, out, now, c.final)
				if err != nil || !reflect.DeepEqual(again, out) {
					t.Errorf("cleaning again: %v, %v; want %v", again, err, out)
				}
			}
		})
	}
}

// TestAnswerJSON holds the answers' codec: a value as a string, values as
// an array, rows as an array of arrays; numbers and booleans read as text.
func TestAnswerJSON(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Answer
		out  string // as written back
	}{
		{`"工商银行"`, Answer{Values: []string{"工商银行"}}, `"工商银行"`},
		{`""`, Answer{}, `""`},
		{`null`, Answer{}, `""`},
		{` "a" `, Answer{Values: []string{"a"}}, `"a"`},
		{`["eu","us"]`, Answer{Values: []string{"eu", "us"}}, `["eu","us"]`},
		{`["eu"]`, Answer{Values: []string{"eu"}}, `"eu"`},
		{`[]`, Answer{}, `""`},
		{`35`, Answer{Values: []string{"35"}}, `"35"`},
		{`-1.5e3`, Answer{Values: []string{"-1.5e3"}}, `"-1.5e3"`},
		{`true`, Answer{Values: []string{"yes"}}, `"yes"`},
		{`false`, Answer{Values: []string{"no"}}, `"no"`},
		{`["eu", 35, true, null]`, Answer{Values: []string{"eu", "35", "yes", ""}}, `["eu","35","yes",""]`},
		{`[["500","工商银行"],["",""]]`, Answer{Rows: [][]string{{"500", "工商银行"}, {"", ""}}}, `[["500","工商银行"],["",""]]`},
		{`[[500, "工商银行", null, true]]`, Answer{Rows: [][]string{{"500", "工商银行", "", "yes"}}}, `[["500","工商银行","","yes"]]`},
		{`[[]]`, Answer{Rows: [][]string{{}}}, `[[]]`},
	} {
		var a Answer
		if err := json.Unmarshal([]byte(c.in), &a); err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(a, c.want) {
			t.Errorf("%s read as %#v, want %#v", c.in, a, c.want)
		}
		b, err := json.Marshal(a)
		if err != nil || string(b) != c.out {
			t.Errorf("%s written as %s, %v; want %s", c.in, b, err, c.out)
		}
	}
	for _, in := range []string{`{}`, `{"a":1}`, `[{}]`, `["a", ["b", "c"]]`, `[["a"], "b"]`, `[[["a"]]]`, `[[{}]]`, `nul`, `"a`, `[`} {
		var a Answer
		if err := json.Unmarshal([]byte(in), &a); err == nil {
			t.Errorf("%s read as %#v; want an error", in, a)
		}
	}

	// A submission's clean answers go to the store and back unchanged.
	out, err := Clean(survey(), answers(), now, true)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var back Answers
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, out) {
		t.Errorf("%s read back as %v, want %v", b, back, out)
	}

	// A client may send numbers and booleans.
	var sent Answers
	if err := json.Unmarshal([]byte(`{"company_type":"state","exporter":false,"employees":35,"hires":12,"loans":[[500,"工商银行","",true]]}`), &sent); err != nil {
		t.Fatal(err)
	}
	out, err = Clean(survey(), sent, now, true)
	if err != nil {
		t.Fatalf("%v", keys(fieldsOf(t, err)))
	}
	want := Answers{
		"company_type": {Values: []string{"state"}}, "exporter": {Values: []string{"no"}},
		"employees": {Values: []string{"35"}}, "hires": {Values: []string{"12"}},
		"loans": {Rows: [][]string{{"500", "工商银行", "", "yes"}}},
	}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("clean: %v, want %v", out, want)
	}
}

// TestFacts holds that each answered fact question is one fact: of the
// question's year for a yearly kind, of the answer's day for a dated one,
// with its value parsed, the enterprise, the ref and no source.
func TestFacts(t *testing.T) {
	d := survey()
	out, err := Clean(d, answers(), now, true)
	if err != nil {
		t.Fatalf("%v", keys(fieldsOf(t, err)))
	}
	facts, err := Facts(d, out, 7, now, "form:3/submission:9")
	if err != nil {
		t.Fatal(err)
	}
	type fact struct {
		kind, period string
		num          int64
		text         string
	}
	var got []fact
	for _, f := range facts {
		if f.EnterpriseID != 7 || f.Ref != "form:3/submission:9" || f.Source != "" {
			t.Errorf("%s: enterprise %d, ref %q, source %q", f.Kind, f.EnterpriseID, f.Ref, f.Source)
		}
		got = append(got, fact{f.Kind, f.Period, f.Num, f.Text})
	}
	want := []fact{
		{"employees", "2026-03-02", 35, ""},
		{"revenue", "2025", 12_000_000, ""},
		{"certification", "2026-03-02", 0, "高新技术企业 GR202533000123"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("facts %v, want %v", got, want)
	}

	// A fact question not answered, or not shown, states nothing.
	delete(out, "certification")
	delete(out, "revenue")
	facts, err = Facts(d, out, 7, now, "r")
	if err != nil || len(facts) != 1 || facts[0].Kind != "employees" {
		t.Errorf("facts %+v, %v; want the employees alone", facts, err)
	}
	facts, err = Facts(d, Answers{}, 7, now, "r")
	if err != nil || len(facts) != 0 {
		t.Errorf("facts of nothing: %+v, %v", facts, err)
	}
}

// TestFactFutureYear holds that a yearly fact of a year to come is refused
// with a message at the question, not a panic or a fact.
func TestFactFutureYear(t *testing.T) {
	d := survey()
	d.Sections[0].Questions[5].Period = "2027"
	if err := d.Check(); err != nil {
		t.Fatalf("%v", keys(fieldsOf(t, err)))
	}
	_, err := Clean(d, Answers{"revenue": {Values: []string{"1200"}}}, now, false)
	if got := keys(fieldsOf(t, err)); !slices.Equal(got, []string{"revenue"}) {
		t.Errorf("refused %v, want revenue", got)
	}
}

// TestDisplay holds the answers in words: options by their labels, yes/no
// in words, units after numbers and facts, a table's rows.
func TestDisplay(t *testing.T) {
	d := survey()
	out, err := Clean(d, answers(), now, true)
	if err != nil {
		t.Fatalf("%v", keys(fieldsOf(t, err)))
	}
	for _, c := range []struct {
		key, lang, want string
	}{
		{"company_type", "zh", "民营企业"},
		{"company_type", "en", "private"},
		{"markets", "zh", "欧盟、美国"},
		{"markets", "en", "EU、US"},
		{"exporter", "zh", "是"},
		{"exporter", "en", "yes"},
		{"growth", "zh", "12.5 %"},
		{"revenue", "zh", "1200 万元"},
		{"revenue", "en", "1200 10k yuan"},
		{"employees", "zh", "35 人"},
		{"certification", "zh", "高新技术企业 GR202533000123"},
		{"founded", "zh", "2015-06-01"},
		{"loans", "zh", "500, 工商银行, 2026-12-31, 是；1000.5, 宁波银行, , "},
		{"loans", "en", "500, 工商银行, 2026-12-31, yes；1000.5, 宁波银行, , "},
		{"foreign_detail", "zh", ""},
	} {
		q, _ := d.Question(c.key)
		if got := Display(q, out[c.key], c.lang); got != c.want {
			t.Errorf("Display(%s, %s) = %q, want %q", c.key, c.lang, got, c.want)
		}
	}
	q, _ := d.Question("exporter")
	if got := Display(q, Answer{Values: []string{"no"}}, "zh"); got != "否" {
		t.Errorf("Display(no) = %q", got)
	}
	q, _ = d.Question("company_type")
	if got := Display(q, Answer{Values: []string{"gone"}}, "zh"); got != "gone" {
		t.Errorf("an option since removed shows as its value: %q", got)
	}
}
