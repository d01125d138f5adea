package policy

import (
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/dossier"
	"qifu/internal/fault"
)

func goodPolicy() Policy {
	return Policy{Title: "关于加快推进制造业高质量发展的若干意见", Issuer: "宁波市人民政府", DocNo: "甬政发〔2020〕8号",
		Family: "甬18条", Published: "2020-03-01", InForce: "2020-04-01", Until: "2025-12-31", Text: "第一条……"}
}

func TestPolicyCheck(t *testing.T) {
	if err := goodPolicy().Check(); err != nil {
		t.Fatalf("good policy refused: %v", fault.As(err).Fields)
	}
	for _, tc := range []struct {
		name   string
		edit   func(*Policy)
		key    string // "" accepted
		normal bool   // Normalize before Check
	}{
		{"doc no brackets", func(p *Policy) { p.DocNo = "甬政发[2020]8号" }, "", true},
		{"doc no full-width parens", func(p *Policy) { p.DocNo = " 甬政办发（2023）112号 " }, "", true},
		{"doc no 19xx", func(p *Policy) { p.DocNo = "国发〔1999〕1号" }, "", false},
		{"doc no four digits", func(p *Policy) { p.DocNo = "浙财企〔2024〕1234号" }, "", false},
		{"no doc no", func(p *Policy) { p.DocNo = "" }, "", false},
		{"open until", func(p *Policy) { p.Until = "" }, "", false},
		{"doc no junk", func(p *Policy) { p.DocNo = "junk" }, "doc_no", false},
		{"doc no brackets unnormalized", func(p *Policy) { p.DocNo = "甬政发[2020]8号" }, "doc_no", false},
		{"doc no without issuer", func(p *Policy) { p.DocNo = "〔2020〕8号" }, "doc_no", false},
		{"doc no without number", func(p *Policy) { p.DocNo = "甬政发〔2020〕号" }, "doc_no", false},
		{"doc no 1899", func(p *Policy) { p.DocNo = "甬政发〔1899〕8号" }, "doc_no", false},
		{"doc no five digits", func(p *Policy) { p.DocNo = "甬政发〔2020〕12345号" }, "doc_no", false},
		{"doc no long issuer", func(p *Policy) { p.DocNo = strings.Repeat("甬", 21) + "〔2020〕8号" }, "doc_no", false},
		{"doc no trailing", func(p *Policy) { p.DocNo = "甬政发〔2020〕8号文" }, "doc_no", false},
		{"title missing", func(p *Policy) { p.Title = " " }, "title", true},
		{"title too long", func(p *Policy) { p.Title = strings.Repeat("政", MaxTitle+1) }, "title", false},
		{"issuer missing", func(p *Policy) { p.Issuer = "" }, "issuer", false},
		{"family too long", func(p *Policy) { p.Family = strings.Repeat("包", 31) }, "family", false},
		{"text too long", func(p *Policy) { p.Text = strings.Repeat("文", MaxText+1) }, "text", false},
		{"published missing", func(p *Policy) { p.Published = "" }, "published", false},
		{"in force bad", func(p *Policy) { p.InForce = "2020-4-1" }, "in_force", false},
		{"until bad", func(p *Policy) { p.Until = "2025-02-29" }, "until", false},
		{"until before in force", func(p *Policy) { p.Until = "2020-03-31" }, "until", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := goodPolicy()
			tc.edit(&p)
			if tc.normal {
				p.Normalize()
			}
			err := p.Check()
			if tc.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", fault.As(err).Fields)
				}
				return
			}
			fields := fieldsOf(t, err)
			if _, ok := fields[tc.key]; !ok || len(fields) != 1 {
				t.Errorf("fields = %v, want %s", fields, tc.key)
			}
		})
	}
	p := goodPolicy()
	p.State = Published
	for day, want := range map[string]bool{"2020-03-31": false, "2020-04-01": true, "2025-12-31": true, "2026-01-01": false} {
		if p.InForceOn(day) != want {
			t.Errorf("InForceOn(%s) = %v", day, !want)
		}
	}
	p.State = Draft
	if p.InForceOn("2021-01-01") {
		t.Error("a draft in force")
	}
}

func goodBenefit(mode Mode) Benefit {
	b := Benefit{
		Title: " 技术改造补贴 ", Kind: Subsidy, Summary: "对技术改造项目给予补助。", Mode: mode, DepartmentID: 3,
		Opens: "2026-03-01", Closes: "2026-06-30",
		Amount:     AmountRule{Kind: "share", Base: "rd_spend", Rate: 1000, Cap: 500_000},
		Conditions: []Condition{{Field: "employees", Op: Ge, Value: "10"}, {CEL: "revenue >= 100"}},
		Materials:  []string{" 营业执照 ", "申请表", "申请表", " "},
	}
	b.Normalize()
	return b
}

func TestBenefitNormalize(t *testing.T) {
	b := goodBenefit(Apply)
	if b.Title != "技术改造补贴" || !slices.Equal(b.Materials, []string{"营业执照", "申请表"}) || b.ReviewDays != 10 || b.NoticeDays != 0 || b.Stack != Stackable {
		t.Errorf("normalized apply benefit: %+v", b)
	}
	a := goodBenefit(Auto)
	if a.NoticeDays != 5 || a.ReviewDays != 10 {
		t.Errorf("normalized auto benefit: notice %d review %d", a.NoticeDays, a.ReviewDays)
	}
	kept := Benefit{ReviewDays: 20, NoticeDays: 7, Mode: Auto, Stack: Higher}
	kept.Normalize()
	if kept.ReviewDays != 20 || kept.NoticeDays != 7 || kept.Stack != Higher || kept.Materials != nil {
		t.Errorf("normalize overrode: %+v", kept)
	}
}

func TestBenefitCheck(t *testing.T) {
	for _, mode := range []Mode{Apply, Auto} {
		c, err := goodBenefit(mode).Check()
		if err != nil {
			t.Fatalf("good %s benefit refused: %v", mode, fault.As(err).Fields)
		}
		if c.Len() != 2 {
			t.Errorf("compiled %d conditions", c.Len())
		}
	}
	// without Normalize the defaults are missing
	raw := goodBenefit(Auto)
	raw.ReviewDays, raw.NoticeDays, raw.Stack = 0, 0, ""
	fields := fieldsOf(t, func() error { _, err := raw.Check(); return err }())
	for _, k := range []string{"review_days", "notice_days", "stack"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("unnormalized: no %s in %v", k, fields)
		}
	}

	for _, tc := range []struct {
		name string
		mode Mode
		edit func(*Benefit)
		keys []string // nil: accepted
	}{
		{"kind", Apply, func(b *Benefit) { b.Kind = "gift" }, []string{"kind"}},
		{"kind empty", Apply, func(b *Benefit) { b.Kind = "" }, []string{"kind"}},
		{"mode", Apply, func(b *Benefit) { b.Mode = "walk_in" }, []string{"mode"}},
		{"department", Apply, func(b *Benefit) { b.DepartmentID = 0 }, []string{"department_id"}},
		{"title", Apply, func(b *Benefit) { b.Title = "" }, []string{"title"}},
		{"summary", Apply, func(b *Benefit) { b.Summary = strings.Repeat("说", 2001) }, []string{"summary"}},
		{"platform", Apply, func(b *Benefit) { b.Platform = strings.Repeat("台", 61) }, []string{"platform"}},
		{"opens missing", Apply, func(b *Benefit) { b.Opens = "" }, []string{"opens"}},
		{"opens bad", Apply, func(b *Benefit) { b.Opens = "03/01/2026" }, []string{"opens"}},
		{"closes bad", Apply, func(b *Benefit) { b.Closes = "2026-06-31" }, []string{"closes"}},
		{"closes before opens", Apply, func(b *Benefit) { b.Closes = "2026-02-28" }, []string{"closes"}},
		{"one day window", Apply, func(b *Benefit) { b.Closes = b.Opens }, nil},
		{"budget", Apply, func(b *Benefit) { b.Budget = -1 }, []string{"budget"}},
		{"review days", Apply, func(b *Benefit) { b.ReviewDays = 61 }, []string{"review_days"}},
		{"notice days", Auto, func(b *Benefit) { b.NoticeDays = 31 }, []string{"notice_days"}},
		{"notice days ignored when applying", Apply, func(b *Benefit) { b.NoticeDays = 99 }, nil},
		{"materials count", Apply, func(b *Benefit) { b.Materials = slices.Repeat([]string{"x"}, 21) }, []string{"materials"}},
		{"material length", Apply, func(b *Benefit) { b.Materials = []string{strings.Repeat("材", 101)} }, []string{"materials"}},
		{"stack unknown", Apply, func(b *Benefit) { b.Stack = "twice" }, []string{"stack"}},
		{"exclusive without group", Apply, func(b *Benefit) { b.Stack = Exclusive }, []string{"stack_group"}},
		{"higher without group", Apply, func(b *Benefit) { b.Stack = Higher }, []string{"stack_group"}},
		{"exclusive with group", Apply, func(b *Benefit) { b.Stack, b.StackGroup = Exclusive, "技改" }, nil},
		{"group too long", Apply, func(b *Benefit) { b.StackGroup = strings.Repeat("组", 31) }, []string{"stack_group"}},
		{"amount kind", Apply, func(b *Benefit) { b.Amount = AmountRule{Kind: "lots"} }, []string{"amount.kind"}},
		{"amount fixed without yuan", Apply, func(b *Benefit) { b.Amount = AmountRule{Kind: "fixed"} }, []string{"amount.yuan"}},
		{"amount out of range", Apply, func(b *Benefit) { b.Amount = AmountRule{Kind: "fixed", Yuan: 1, Cap: -1} }, []string{"amount.yuan"}},
		{"amount per head base", Apply, func(b *Benefit) { b.Amount = AmountRule{Kind: "per_head", Yuan: 1000, Base: "revenue"} }, []string{"amount.base"}},
		{"amount per head both", Apply, func(b *Benefit) { b.Amount = AmountRule{Kind: "per_head"} }, []string{"amount.yuan", "amount.base"}},
		{"amount share rate", Apply, func(b *Benefit) { b.Amount = AmountRule{Kind: "share", Base: "revenue", Rate: 10001} }, []string{"amount.rate"}},
		{"amount share base", Apply, func(b *Benefit) { b.Amount = AmountRule{Kind: "share", Base: "employees", Rate: 100} }, []string{"amount.base"}},
		{"amount period", Apply, func(b *Benefit) { b.Amount.Period = "去年" }, []string{"amount.period"}},
		{"no amount", Apply, func(b *Benefit) { b.Amount = AmountRule{Kind: "none"} }, nil},
		{"no conditions", Apply, func(b *Benefit) { b.Conditions = nil }, []string{"conditions"}},
		{"too many conditions", Apply, func(b *Benefit) {
			b.Conditions = slices.Repeat([]Condition{{Field: "employees", Op: Ge, Value: "1"}}, MaxConditions+1)
		}, []string{"conditions"}},
		{"condition error passes through", Apply, func(b *Benefit) { b.Conditions[1] = Condition{CEL: "revenue"} }, []string{"conditions[1].cel"}},
		{"condition value", Apply, func(b *Benefit) { b.Conditions[0].Value = "many" }, []string{"conditions[0].value"}},
		{"several", Apply, func(b *Benefit) { b.Kind, b.DepartmentID, b.Conditions[0].Field = "", 0, "x" },
			[]string{"kind", "department_id", "conditions[0].field"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := goodBenefit(tc.mode)
			tc.edit(&b)
			c, err := b.Check()
			if tc.keys == nil {
				if err != nil || c == nil {
					t.Fatalf("refused: %v", fault.As(err).Fields)
				}
				return
			}
			if c != nil {
				t.Error("compiled a refused benefit")
			}
			fields := fieldsOf(t, err)
			for _, k := range tc.keys {
				if m, ok := fields[k]; !ok || m.Zh == "" || m.En == "" {
					t.Errorf("no message at %s in %v", k, fields)
				}
			}
			if len(fields) != len(tc.keys) {
				t.Errorf("fields = %v, want %v", fields, tc.keys)
			}
		})
	}
}

func TestBenefitNames(t *testing.T) {
	b := goodBenefit(Apply)
	if b.KindName().Zh != "补贴奖励" || b.ModeName().Zh != "申请兑现" {
		t.Errorf("names %+v %+v", b.KindName(), b.ModeName())
	}
	b.Platform = "浙里办"
	if !strings.Contains(b.ModeName().Zh, "浙里办") || !strings.Contains(b.ModeName().En, "浙里办") {
		t.Errorf("platform mode %+v", b.ModeName())
	}
	b.Mode = Auto
	if b.ModeName().Zh != "免申即享" {
		t.Errorf("auto mode %+v", b.ModeName())
	}
	if (Benefit{Kind: "odd"}).KindName() != (fault.Msg{Zh: "odd", En: "odd"}) {
		t.Error("unknown kind not named by its value")
	}
	b.State = Published
	for day, want := range map[string]bool{"2026-02-28": false, "2026-03-01": true, "2026-06-30": true, "2026-07-01": false} {
		if b.OpenOn(day) != want {
			t.Errorf("OpenOn(%s) = %v", day, !want)
		}
	}
	b.State = Draft
	if b.OpenOn("2026-04-01") {
		t.Error("a draft open")
	}
}

func TestAmountRuleOf(t *testing.T) {
	p := &Profile{Facts: []FactValue{
		fact("employees", "2025-06-30", 35, dossier.Declared),
		fact("insured", "2025-06-30", 30, dossier.Department),
		fact("revenue", "2024", 10_000_000, dossier.Department),
		fact("revenue", "2025", 20_000_000, dossier.Department),
	}}
	for _, tc := range []struct {
		name string
		rule AmountRule
		want int64
		ok   bool
	}{
		{"none", AmountRule{Kind: "none"}, 0, true},
		{"empty kind", AmountRule{}, 0, true},
		{"fixed", AmountRule{Kind: "fixed", Yuan: 100_000}, 100_000, true},
		{"fixed capped", AmountRule{Kind: "fixed", Yuan: 100_000, Cap: 80_000}, 80_000, true},
		{"fixed under cap", AmountRule{Kind: "fixed", Yuan: 100_000, Cap: 200_000}, 100_000, true},
		{"per head of employees", AmountRule{Kind: "per_head", Yuan: 1000, Base: "employees"}, 35_000, true},
		{"per head of insured", AmountRule{Kind: "per_head", Yuan: 1000, Base: "insured"}, 30_000, true},
		{"per head capped", AmountRule{Kind: "per_head", Yuan: 1000, Base: "employees", Cap: 20_000}, 20_000, true},
		{"per head as of a date", AmountRule{Kind: "per_head", Yuan: 1000, Base: "employees", Period: "2025-07-01"}, 35_000, true},
		{"per head before any", AmountRule{Kind: "per_head", Yuan: 1000, Base: "employees", Period: "2025-01-01"}, 0, false},
		{"share of the latest", AmountRule{Kind: "share", Rate: 500, Base: "revenue"}, 1_000_000, true},
		{"share of 2024", AmountRule{Kind: "share", Rate: 500, Base: "revenue", Period: "2024"}, 500_000, true},
		{"share capped", AmountRule{Kind: "share", Rate: 500, Base: "revenue", Cap: 300_000}, 300_000, true},
		{"share fraction", AmountRule{Kind: "share", Rate: 1, Base: "revenue"}, 2_000, true},
		{"share unknown base", AmountRule{Kind: "share", Rate: 500, Base: "rd_spend"}, 0, false},
		{"share unknown year", AmountRule{Kind: "share", Rate: 500, Base: "revenue", Period: "2023"}, 0, false},
		{"no such base", AmountRule{Kind: "share", Rate: 500, Base: "nope"}, 0, false},
		{"per head unknown base", AmountRule{Kind: "per_head", Yuan: 1000, Base: "employees"}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prof := p
			if tc.name == "per head unknown base" {
				prof = &Profile{}
			}
			got, ok := tc.rule.Of(prof)
			if got != tc.want || ok != tc.ok {
				t.Errorf("%+v.Of = %d, %v; want %d, %v", tc.rule, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestAmountRuleCheck(t *testing.T) {
	for _, tc := range []struct {
		rule AmountRule
		keys []string
	}{
		{AmountRule{Kind: "none"}, nil},
		{AmountRule{Kind: "fixed", Yuan: 1}, nil},
		{AmountRule{Kind: "per_head", Yuan: 1000, Base: "insured", Period: "2025-06-30", Cap: 1}, nil},
		{AmountRule{Kind: "share", Rate: 10000, Base: "exports", Period: "2025"}, nil},
		{AmountRule{Kind: ""}, []string{"kind"}},
		{AmountRule{Kind: "fixed", Yuan: -5}, []string{"yuan"}},
		{AmountRule{Kind: "fixed", Yuan: 1 << 41}, []string{"yuan"}},
		{AmountRule{Kind: "fixed", Yuan: 1, Cap: 1 << 46}, []string{"yuan"}},
		{AmountRule{Kind: "per_head", Yuan: 1, Base: "tags"}, []string{"base"}},
		{AmountRule{Kind: "share", Rate: 0, Base: "revenue"}, []string{"rate"}},
		{AmountRule{Kind: "share", Rate: 100, Base: "export_share"}, []string{"base"}},
		{AmountRule{Kind: "fixed", Yuan: 1, Period: "2025-6-30"}, []string{"period"}},
	} {
		err := tc.rule.Check()
		if tc.keys == nil {
			if err != nil {
				t.Errorf("%+v refused: %v", tc.rule, fault.As(err).Fields)
			}
			continue
		}
		fields := fieldsOf(t, err)
		for _, k := range tc.keys {
			if _, ok := fields[k]; !ok {
				t.Errorf("%+v: no %s in %v", tc.rule, k, fields)
			}
		}
		if len(fields) != len(tc.keys) {
			t.Errorf("%+v: fields %v", tc.rule, fields)
		}
	}
}

func TestAmountRuleSays(t *testing.T) {
	for _, tc := range []struct {
		rule   AmountRule
		zh, en string
	}{
		{AmountRule{Kind: "none"}, "不涉及金额", "no amount"},
		{AmountRule{Kind: "fixed", Yuan: 125_000}, "定额 12.5 万元", "a fixed 12.5 × 10k yuan"},
		{AmountRule{Kind: "per_head", Yuan: 1000, Base: "employees", Cap: 123_400}, "按从业人员每人 1000 元，最高 12.34 万元", "1000 yuan for each of the employees, at most 12.34 × 10k yuan"},
		{AmountRule{Kind: "share", Rate: 1250, Base: "rd_spend"}, "按研发投入的 12.5%", "12.5% of R&D spending"},
		{AmountRule{Kind: "share", Rate: 5000, Base: "revenue", Cap: 35_000}, "按营业收入的 50%，最高 3.5 万元", "50% of revenue, at most 3.5 × 10k yuan"},
	} {
		if got := tc.rule.Says("zh"); got != tc.zh {
			t.Errorf("%+v zh = %q, want %q", tc.rule, got, tc.zh)
		}
		if got := tc.rule.Says("en"); got != tc.en {
			t.Errorf("%+v en = %q, want %q", tc.rule, got, tc.en)
		}
	}
}

func TestWan(t *testing.T) {
	for _, tc := range []struct {
		yuan int64
		zh   string
	}{
		{125_000, "12.5 万元"},
		{1_234_567, "123.46 万元"},
		{123_400, "12.34 万元"},
		{15_000, "1.5 万元"},
		{50, "0.01 万元"},
		{10_010_000, "1001 万元"},
		{1_234_500, "123.45 万元"},
	} {
		if got := Wan(tc.yuan, "zh"); got != tc.zh {
			t.Errorf("Wan(%d) = %q, want %q", tc.yuan, got, tc.zh)
		}
	}
	if got := Wan(125_000, "en"); got != "12.5 × 10k yuan" {
		t.Errorf("Wan en = %q", got)
	}
}

func TestWanBugs(t *testing.T) {
	for _, tc := range []struct {
		yuan int64
		zh   string
	}{
		{1_000_000, "100 万元"},
		{500_000, "50 万元"},
		{1_200_000, "120 万元"},
		{100_000, "10 万元"},
		{0, "0 万元"},
		{49, "0 万元"},
	} {
		if got := Wan(tc.yuan, "zh"); got != tc.zh {
			t.Errorf("Wan(%d) = %q, want %q", tc.yuan, got, tc.zh)
		}
	}
	if got := (AmountRule{Kind: "per_head", Yuan: 1000, Base: "employees", Cap: 500_000}).Says("zh"); got != "按从业人员每人 1000 元，最高 50 万元" {
		t.Errorf("Says = %q", got)
	}
}

func TestAmountPeriodBug(t *testing.T) {
	p := &Profile{Facts: []FactValue{
		fact("employees", "2025-06-30", 35, dossier.Department),
		fact("revenue", "2025", 20_000_000, dossier.Department),
	}}
	for _, rule := range []AmountRule{
		{Kind: "per_head", Yuan: 1000, Base: "employees", Period: "2025"},
		{Kind: "share", Rate: 500, Base: "revenue", Period: "2025-12-31"},
	} {
		if rule.Check() != nil {
			continue // refused: consistent
		}
		if _, ok := rule.Of(p); !ok {
			t.Errorf("%+v accepted by Check but its base is never found", rule)
		}
	}
}

func entry(id int64, group string, stack Stack, v Verdict, amount int64, held bool) Entry {
	return Entry{BenefitID: id, Title: "政策" + string(rune('A'+id-1)), Group: group, Stack: stack, Verdict: v, Amount: amount, Held: held}
}

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		name   string
		list   []Entry
		barred []int64 // the ids barred
		by     map[int64]string
	}{
		{"exclusive held bars the others", []Entry{
			entry(1, "g", Exclusive, Met, 100, false), entry(2, "g", Exclusive, Met, 50, true), entry(3, "g", Exclusive, Unknown, 500, false),
		}, []int64{1, 3}, map[int64]string{1: "与《政策B》不可重复享受"}},
		{"exclusive none held bars nothing", []Entry{
			entry(1, "g", Exclusive, Met, 100, false), entry(2, "g", Exclusive, Met, 200, false),
		}, nil, nil},
		{"higher amount wins", []Entry{
			entry(1, "h", Higher, Met, 100, false), entry(2, "h", Higher, Met, 300, false), entry(3, "h", Higher, Unknown, 200, false),
		}, []int64{1, 3}, map[int64]string{1: "就高享受《政策B》"}},
		{"maybe can win", []Entry{
			entry(1, "h", Higher, Met, 100, false), entry(2, "h", Higher, Unknown, 300, false),
		}, []int64{1}, nil},
		{"held wins over higher", []Entry{
			entry(1, "h", Higher, Met, 900, false), entry(2, "h", Higher, Met, 100, true),
		}, []int64{1}, map[int64]string{1: "与《政策B》不可重复享受"}},
		{"two held both kept", []Entry{
			entry(1, "h", Higher, Met, 100, true), entry(2, "h", Higher, Met, 200, true), entry(3, "h", Higher, Met, 300, false),
		}, []int64{3}, map[int64]string{3: "《政策B》"}},
		{"not met does not win", []Entry{
			entry(1, "h", Higher, NotMet, 900, false), entry(2, "h", Higher, Met, 100, false),
		}, []int64{1}, map[int64]string{1: "就高享受《政策B》"}},
		{"all not met", []Entry{
			entry(1, "h", Higher, NotMet, 900, false), entry(2, "h", Higher, NotMet, 100, false),
		}, nil, nil},
		{"tie goes to the first", []Entry{
			entry(1, "h", Higher, Met, 100, false), entry(2, "h", Higher, Met, 100, false),
		}, []int64{2}, map[int64]string{2: "《政策A》"}},
		{"stackable never barred", []Entry{
			entry(1, "h", Stackable, Met, 900, false), entry(2, "h", Higher, Met, 100, false), entry(3, "h", Stackable, Met, 1, true),
			entry(4, "g", Exclusive, Met, 1, true), entry(5, "g", Stackable, Met, 1, false),
		}, nil, nil},
		{"groups apart", []Entry{
			entry(1, "a", Exclusive, Met, 100, true), entry(2, "b", Exclusive, Met, 100, false), entry(3, "a", Exclusive, Met, 100, false),
			entry(4, "c", Higher, Met, 1, false), entry(5, "c", Higher, Met, 2, false),
		}, []int64{3, 4}, nil},
		{"no group", []Entry{
			entry(1, "", Exclusive, Met, 100, true), entry(2, "", Exclusive, Met, 100, false), entry(3, "", Higher, Met, 1, false),
		}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.list)
			in[0].Barred = &fault.Msg{Zh: "stale"} // reset by Resolve
			out := Resolve(in)
			var barred []int64
			for i, e := range out {
				if e.BenefitID != tc.list[i].BenefitID {
					t.Fatalf("order changed: %v", out)
				}
				if e.Barred != nil {
					barred = append(barred, e.BenefitID)
					if e.Barred.Zh == "" || e.Barred.En == "" {
						t.Errorf("%d barred without a reason", e.BenefitID)
					}
					if want, ok := tc.by[e.BenefitID]; ok && !strings.Contains(e.Barred.Zh, want) {
						t.Errorf("%d barred %q, want %q", e.BenefitID, e.Barred.Zh, want)
					}
					if e.Held || e.Stack == Stackable {
						t.Errorf("%d barred though held or stackable", e.BenefitID)
					}
				}
			}
			if !slices.Equal(barred, tc.barred) {
				t.Errorf("barred %v, want %v", barred, tc.barred)
			}
		})
	}
	if len(Resolve(nil)) != 0 {
		t.Error("Resolve(nil)")
	}
}

func TestBarring(t *testing.T) {
	b := Barring{EnterpriseID: 1, Reason: "严重失信", From: "2025-01-01", Until: "2025-12-31"}
	for day, want := range map[string]bool{"2024-12-31": false, "2025-01-01": true, "2025-07-01": true, "2025-12-31": true, "2026-01-01": false} {
		if b.InForce(day) != want {
			t.Errorf("InForce(%s) = %v", day, !want)
		}
	}
	b.Until = ""
	if !b.InForce("2099-01-01") || b.InForce("2024-12-31") {
		t.Error("open barring")
	}
	if err := b.Check(); err != nil {
		t.Errorf("good barring refused: %v", err)
	}
	for _, tc := range []struct {
		b   Barring
		key string
	}{
		{Barring{From: "2025-01-01"}, "reason"},
		{Barring{Reason: strings.Repeat("因", 201), From: "2025-01-01"}, "reason"},
		{Barring{Reason: "x"}, "from"},
		{Barring{Reason: "x", From: "2025-13-01"}, "from"},
		{Barring{Reason: "x", From: "2025-01-01", Until: "2025/12/31"}, "until"},
		{Barring{Reason: "x", From: "2025-01-01", Until: "2024-12-31"}, "until"},
	} {
		fields := fieldsOf(t, tc.b.Check())
		if _, ok := fields[tc.key]; !ok || len(fields) != 1 {
			t.Errorf("%+v: fields %v, want %s", tc.b, fields, tc.key)
		}
	}
}

func TestToday(t *testing.T) {
	for in, want := range map[string]string{
		"2025-12-31T15:59:59Z":      "2025-12-31",
		"2025-12-31T16:00:00Z":      "2026-01-01",
		"2026-01-01T07:00:00+09:00": "2026-01-01",
	} {
		tm, err := time.Parse(time.RFC3339, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Today(tm); got != want {
			t.Errorf("Today(%s) = %s, want %s", in, got, want)
		}
	}
}

func allStates() []string {
	var out []string
	for _, o := range ClaimStates {
		out = append(out, o.Value)
	}
	return out
}

func TestStep(t *testing.T) {
	states := allStates()
	for _, tr := range Transitions {
		modes := []Mode{tr.Mode}
		if tr.Mode == "" {
			modes = []Mode{Apply, Auto}
		}
		for _, mode := range modes {
			for _, state := range states {
				got, err := Step(tr.Action, mode, state)
				if slices.Contains(tr.From, state) {
					if err != nil {
						t.Errorf("Step(%s, %s, %s): %v", tr.Action, mode, state, err)
					}
					if got.To != tr.To || got.By != tr.By || got.Reason != tr.Reason || got.Action != tr.Action {
						t.Errorf("Step(%s, %s, %s) = %+v, want %+v", tr.Action, mode, state, got, tr)
					}
					continue
				}
				if !fault.Is(err, fault.Conflict) {
					t.Errorf("Step(%s, %s, %s) = %v, want a conflict", tr.Action, mode, state, err)
					continue
				}
				if m := fault.As(err).Message; !strings.Contains(m.Zh, StateName(state).Zh) || m.En == "" {
					t.Errorf("conflict message %+v does not name %s", m, state)
				}
			}
		}
		// an action of one mode is unknown to the other
		if tr.Mode != "" {
			other := Apply
			if tr.Mode == Apply {
				other = Auto
			}
			if _, err := Step(tr.Action, other, tr.From[0]); !fault.Is(err, fault.Invalid) {
				t.Errorf("Step(%s, %s) = %v, want invalid", tr.Action, other, err)
			}
		}
	}
	for _, action := range []string{"", "fly", "APPROVE", "approve "} {
		if _, err := Step(action, Apply, Submitted); !fault.Is(err, fault.Invalid) {
			t.Errorf("Step(%q) = %v, want invalid", action, err)
		}
	}
	// every state a row leads to or from is named
	for _, tr := range Transitions {
		for _, s := range append(slices.Clone(tr.From), tr.To) {
			if !slices.Contains(states, s) {
				t.Errorf("%s: state %s not in ClaimStates", tr.Action, s)
			}
		}
		if tr.By != ByEnterprise && tr.By != ByDepartment {
			t.Errorf("%s: party %q", tr.Action, tr.By)
		}
	}
	if StateName("odd").Zh != "odd" || StateName(Paid).Zh != "已兑现" {
		t.Error("StateName")
	}
}

func TestActions(t *testing.T) {
	for _, tc := range []struct {
		mode  Mode
		state string
		by    Party
		want  []string
	}{
		{Apply, Submitted, ByEnterprise, []string{"withdraw"}},
		{Apply, Submitted, ByDepartment, []string{"ask_more", "approve", "refuse", "hand_over"}},
		{Apply, More, ByEnterprise, []string{"resubmit", "withdraw"}},
		{Apply, More, ByDepartment, nil},
		{Apply, Handed, ByDepartment, []string{"approve", "refuse"}},
		{Apply, Approved, ByDepartment, []string{"pay"}},
		{Apply, Approved, ByEnterprise, nil},
		{Apply, Paid, ByDepartment, []string{"claw_back"}},
		{Apply, Refused, ByDepartment, nil},
		{Apply, Matched, ByEnterprise, nil},
		{Auto, Matched, ByEnterprise, []string{"confirm", "decline"}},
		{Auto, Matched, ByDepartment, nil},
		{Auto, Confirmed, ByEnterprise, []string{"decline"}},
		{Auto, Noticed, ByDepartment, []string{"object"}},
		{Auto, Noticed, ByEnterprise, nil},
		{Auto, Approved, ByDepartment, []string{"pay"}},
		{Auto, Paid, ByDepartment, []string{"claw_back"}},
		{Auto, Submitted, ByDepartment, nil},
		{Auto, ClawedBack, ByDepartment, nil},
	} {
		if got := Actions(tc.mode, tc.state, tc.by); !slices.Equal(got, tc.want) {
			t.Errorf("Actions(%s, %s, %s) = %v, want %v", tc.mode, tc.state, tc.by, got, tc.want)
		}
	}
	// every action offered steps
	for _, mode := range []Mode{Apply, Auto} {
		for _, state := range allStates() {
			for _, by := range []Party{ByEnterprise, ByDepartment} {
				for _, a := range Actions(mode, state, by) {
					if tr, err := Step(a, mode, state); err != nil || tr.By != by {
						t.Errorf("offered %s (%s, %s, %s): %v %+v", a, mode, state, by, err, tr)
					}
				}
			}
		}
	}
}

func TestOpen(t *testing.T) {
	closed := []string{Refused, Withdrawn, Declined, Objected, ClawedBack}
	for _, s := range allStates() {
		if Open(s) == slices.Contains(closed, s) {
			t.Errorf("Open(%s) = %v", s, Open(s))
		}
	}
}

func TestCheckAccount(t *testing.T) {
	for _, tc := range []struct {
		bank, account string
		keys          []string
	}{
		{"中国工商银行宁波分行", "6222021234567890", nil},
		{"工行", "6222 0212 3456 7890", nil},
		{"工行", "12345678", nil},
		{"工行", strings.Repeat("9", 30), nil},
		{"", "6222021234567890", []string{"bank"}},
		{"  ", "6222021234567890", []string{"bank"}},
		{strings.Repeat("银", 61), "6222021234567890", []string{"bank"}},
		{"工行", "1234567", []string{"account"}},
		{"工行", strings.Repeat("9", 31), []string{"account"}},
		{"工行", "6222-0212-3456", []string{"account"}},
		{"工行", "62220212345678９0", []string{"account"}},
		{"", "", []string{"bank", "account"}},
	} {
		err := CheckAccount(tc.bank, tc.account)
		if tc.keys == nil {
			if err != nil {
				t.Errorf("(%q, %q) refused: %v", tc.bank, tc.account, fault.As(err).Fields)
			}
			continue
		}
		fields := fieldsOf(t, err)
		for _, k := range tc.keys {
			if _, ok := fields[k]; !ok {
				t.Errorf("(%q, %q): no %s in %v", tc.bank, tc.account, k, fields)
			}
		}
		if len(fields) != len(tc.keys) {
			t.Errorf("(%q, %q): fields %v", tc.bank, tc.account, fields)
		}
	}
}

func TestCheckMaterials(t *testing.T) {
	listed := []string{"营业执照", "申请表", "财务报表"}
	given := func(pairs ...string) []Material {
		var out []Material
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, Material{Name: pairs[i], Given: pairs[i+1]})
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		listed []string
		given  []Material
		keys   []string
	}{
		{"all given", listed, given("营业执照", "见附件", "申请表", "已填", "财务报表", "2025 年报"), nil},
		{"any order", listed, given("财务报表", "x", "营业执照", "y", "申请表", "z"), nil},
		{"nothing listed", nil, nil, nil},
		{"missing one", listed, given("营业执照", "见附件", "财务报表", "x"), []string{"materials[1]"}},
		{"blank one", listed, given("营业执照", "见附件", "申请表", "  ", "财务报表", "x"), []string{"materials[1]"}},
		{"missing all", listed, nil, []string{"materials[0]", "materials[1]", "materials[2]"}},
		{"extra one", listed, given("营业执照", "a", "申请表", "b", "财务报表", "c", "纳税证明", "d"), []string{"materials"}},
		{"too long", listed, given("营业执照", strings.Repeat("长", 501), "申请表", "b", "财务报表", "c"), []string{"materials[0]"}},
		{"long enough", listed, given("营业执照", strings.Repeat("长", 500), "申请表", "b", "财务报表", "c"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckMaterials(tc.listed, tc.given)
			if tc.keys == nil {
				if err != nil {
					t.Fatalf("refused: %v", fault.As(err).Fields)
				}
				return
			}
			fields := fieldsOf(t, err)
			for _, k := range tc.keys {
				if _, ok := fields[k]; !ok {
					t.Errorf("no %s in %v", k, fields)
				}
			}
			if len(fields) != len(tc.keys) {
				t.Errorf("fields %v, want %v", fields, tc.keys)
			}
		})
	}
	fields := fieldsOf(t, CheckMaterials(listed[:1], given("营业执照", "x", "纳税证明", "y")))
	if !strings.Contains(fields["materials"].Zh, "纳税证明") {
		t.Errorf("extra material not named: %+v", fields["materials"])
	}
}

func TestMaskAccount(t *testing.T) {
	for in, want := range map[string]string{
		"6222021234567890": "************7890",
		"12345":            "*2345",
		"1234":             "1234",
		"123":              "123",
		"":                 "",
	} {
		if got := MaskAccount(in); got != want {
			t.Errorf("MaskAccount(%q) = %q, want %q", in, got, want)
		}
	}
}

func goodResource() Resource {
	return Resource{Kind: "lab", Name: "宁波市模具重点实验室", Provider: "宁波大学", Summary: "模具设计与检测",
		Industries: []string{"35", "34"}, Tags: []string{"模具设计", "检测认证"}, Contact: "王工", Phone: "0574-87654321"}
}

func TestResourceCheck(t *testing.T) {
	if err := goodResource().Check(); err != nil {
		t.Fatalf("good resource refused: %v", fault.As(err).Fields)
	}
	for _, tc := range []struct {
		name string
		edit func(*Resource)
		key  string
	}{
		{"mobile", func(r *Resource) { r.Phone = "13805741234" }, ""},
		{"landline without hyphen", func(r *Resource) { r.Phone = "057487654321" }, ""},
		{"three-digit area", func(r *Resource) { r.Phone = "021-12345678" }, ""},
		{"no phone", func(r *Resource) { r.Phone = "" }, ""},
		{"no industries", func(r *Resource) { r.Industries = nil }, ""},
		{"kind", func(r *Resource) { r.Kind = "shop" }, "kind"},
		{"name", func(r *Resource) { r.Name = "" }, "name"},
		{"name long", func(r *Resource) { r.Name = strings.Repeat("名", 81) }, "name"},
		{"provider", func(r *Resource) { r.Provider = "" }, "provider"},
		{"contact", func(r *Resource) { r.Contact = "" }, "contact"},
		{"summary", func(r *Resource) { r.Summary = strings.Repeat("简", 1001) }, "summary"},
		{"terms", func(r *Resource) { r.Terms = strings.Repeat("条", 501) }, "terms"},
		{"phone short", func(r *Resource) { r.Phone = "87654321" }, "phone"},
		{"phone junk", func(r *Resource) { r.Phone = "call me" }, "phone"},
		{"industry", func(r *Resource) { r.Industries = []string{"35", "99x"} }, "industries"},
		{"too many tags", func(r *Resource) { r.Tags = slices.Repeat([]string{"t"}, 21) }, "tags"},
		{"tag too long", func(r *Resource) { r.Tags = []string{strings.Repeat("标", 21)} }, "tags"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := goodResource()
			tc.edit(&r)
			err := r.Check()
			if tc.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", fault.As(err).Fields)
				}
				return
			}
			fields := fieldsOf(t, err)
			if _, ok := fields[tc.key]; !ok || len(fields) != 1 {
				t.Errorf("fields %v, want %s", fields, tc.key)
			}
		})
	}
}

func TestFitOf(t *testing.T) {
	r := goodResource()
	for _, tc := range []struct {
		name        string
		industry    string
		tags        []string
		bottlenecks []string
		score       int
		reasons     int
	}{
		{"nothing", "13", nil, nil, 0, 0},
		{"industry", "35", nil, nil, 3, 1},
		{"one tag", "13", []string{"模具设计", "外贸"}, nil, 2, 1},
		{"both tags", "13", []string{"检测认证", "模具设计"}, nil, 4, 2},
		{"a bottleneck", "13", nil, []string{"需要精密模具设计软件"}, 4, 1},
		{"one bottleneck per theme", "13", nil, []string{"模具设计人才", "模具设计软件"}, 4, 1},
		{"two themes in one bottleneck", "13", nil, []string{"模具设计与检测认证"}, 8, 2},
		{"all", "35", []string{"模具设计"}, []string{"检测认证"}, 3 + 2 + 4, 3},
		{"empty bottleneck", "13", nil, []string{""}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := FitOf(r, tc.industry, tc.tags, tc.bottlenecks)
			if f.Score != tc.score || len(f.Reasons) != tc.reasons {
				t.Errorf("FitOf = %d %v, want %d with %d reasons", f.Score, f.Reasons, tc.score, tc.reasons)
			}
			for _, m := range f.Reasons {
				if m.Zh == "" || m.En == "" {
					t.Errorf("empty reason %+v", m)
				}
			}
		})
	}
}
