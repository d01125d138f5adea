// Package dossier is the enterprise's file (一企一档): the facts qifu knows
// about an enterprise, each with the period it is of, the source it came
// from, who recorded it and when; which of several values of a period is
// the current one; and the timeline of everything the modules know about
// the enterprise. It is plain Go over plain types; its SQL is dossierdb's
// and its pages dossierweb's.
//
// A fact is never overwritten: a correction is a new fact with its own
// source, and the history is kept. The current value of a kind and period
// is the one of the most authoritative source, then the newest.
package dossier

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// Source is where a fact came from.
type Source string

// The sources, from the least authoritative.
const (
	// Declared: the enterprise said so itself (a form it filled, its own page).
	Declared Source = "declared"
	// Staff: a grid worker, community staff or a cadre recorded it, at a desk
	// or on a visit, from what they saw or were shown.
	Staff Source = "staff"
	// Department: a department's own data (tax, social insurance, statistics),
	// recorded by its staff or imported from its lists.
	Department Source = "department"
	// Computed: qifu worked it out from its own records.
	Computed Source = "computed"
)

// Sources lists the sources in order of authority, the least first.
var Sources = []Source{Declared, Staff, Department, Computed}

// Rank is the source's authority: a higher rank wins over a lower one for
// the same kind and period, whatever their age.
func (s Source) Rank() int {
	switch s {
	case Declared:
		return 1
	case Staff:
		return 2
	case Department, Computed:
		return 3
	}
	return 0
}

// Authoritative reports whether a rule that refuses self-declared values
// (a subsidy's) accepts a fact of this source.
func (s Source) Authoritative() bool { return s.Rank() >= 3 }

// Valid reports whether s is one of the sources.
func (s Source) Valid() bool { return slices.Contains(Sources, s) }

// Name names the source.
func (s Source) Name() fault.Msg { return sourceNames[s] }

var sourceNames = map[Source]fault.Msg{
	Declared:   {Zh: "企业自报", En: "declared by the enterprise"},
	Staff:      {Zh: "工作人员核实", En: "recorded by staff"},
	Department: {Zh: "部门数据", En: "department data"},
	Computed:   {Zh: "系统计算", En: "computed by qifu"},
}

// SourceOf is the source of what an actor records: an enterprise declares,
// a department's staff bring its data, everyone else records as staff. A
// person cannot claim a more authoritative source than their role's.
func SourceOf(role access.Role) Source {
	switch role {
	case access.RoleEnterprise:
		return Declared
	case access.RoleDepartment:
		return Department
	}
	return Staff
}

// Type is the type of a kind's values.
type Type string

// The value types.
const (
	Count   Type = "count"   // a whole number of people or things
	Yuan    Type = "yuan"    // an amount in yuan, typed and shown in 万元
	Percent Type = "percent" // a share in hundredths of a per cent (0–10000)
	Text    Type = "text"    // a short text: a certificate's name and number
)

// Period is how a kind's values are dated.
type Period string

// The periods.
const (
	Year Period = "year" // of a calendar year: "2025"
	Date Period = "date" // on a day: "2025-06-30"
)

// Kind is a kind of fact.
type Kind struct {
	Key    string
	Zh, En string
	Type   Type
	Period Period
	// Max bounds a number's value (0: none beyond the type's).
	Max int64
}

// Kinds are the facts qifu keeps. The registry's own fields (name,
// industry, grid…) are the enterprise's record; these are what changes
// with time and is told by several sources. Employees and revenue are also
// the registry's columns, which follow their newest current value.
var Kinds = []Kind{
	{Key: "employees", Zh: "从业人员", En: "employees", Type: Count, Period: Date, Max: 10_000_000},
	{Key: "insured", Zh: "社保参保人数", En: "social-insurance headcount", Type: Count, Period: Date, Max: 10_000_000},
	{Key: "revenue", Zh: "营业收入", En: "revenue", Type: Yuan, Period: Year},
	{Key: "tax_paid", Zh: "纳税额", En: "tax paid", Type: Yuan, Period: Year},
	{Key: "output", Zh: "工业总产值", En: "industrial output", Type: Yuan, Period: Year},
	{Key: "exports", Zh: "出口额", En: "exports", Type: Yuan, Period: Year},
	{Key: "export_share", Zh: "外贸占比", En: "foreign-trade share", Type: Percent, Period: Year, Max: 10000},
	{Key: "rd_spend", Zh: "研发投入", En: "R&D spending", Type: Yuan, Period: Year},
	{Key: "certification", Zh: "资质认定", En: "certification", Type: Text, Period: Date},
	{Key: "operation", Zh: "经营状况", En: "operating state", Type: Text, Period: Date},
	{Key: "orders", Zh: "订单情况", En: "orders", Type: Text, Period: Date},
	{Key: "bottleneck", Zh: "技术需求（卡脖子）", En: "technology bottleneck", Type: Text, Period: Date},
}

// Name names the kind.
func (k Kind) Name() fault.Msg { return fault.Msg{Zh: k.Zh, En: k.En} }

// Unit is what a kind's values are typed in.
func (k Kind) Unit() fault.Msg {
	switch k.Type {
	case Count:
		return fault.Msg{Zh: "人", En: "people"}
	case Yuan:
		return fault.Msg{Zh: "万元", En: "10k yuan"}
	case Percent:
		return fault.Msg{Zh: "%", En: "%"}
	}
	return fault.Msg{}
}

// KindOf returns the kind with key.
func KindOf(key string) (Kind, bool) {
	i := slices.IndexFunc(Kinds, func(k Kind) bool { return k.Key == key })
	if i < 0 {
		return Kind{}, false
	}
	return Kinds[i], true
}

// Fact is one recorded value.
type Fact struct {
	ID           int64
	EnterpriseID int64
	Kind         string
	Period       string // "2025" or "2025-06-30", by the kind's Period
	Num          int64  // the value of a number kind (yuan, people, 1/100 %)
	Text         string // the value of a text kind
	Source       Source
	// Ref names the record the fact came from: "appeal:12",
	// "form:3/submission:9", "import:5"; "" when typed in directly.
	Ref          string
	Note         string
	RecordedBy   int64
	RecordedName string
	RecordedAt   time.Time
}

// MaxText bounds a text value and a note.
const MaxText = 200

var (
	yearRE = regexp.MustCompile(`^(19|20)\d\d$`)
	dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// Check validates f's kind, period and value against the kinds, at now (a
// fact may not be of a future period), with a message per field.
func (f Fact) Check(now time.Time) error {
	fields := fault.Fields{}
	k, ok := KindOf(f.Kind)
	if !ok {
		fields.Add("kind", "未知的事实类别", "unknown kind of fact")
		return fields.Err()
	}
	switch k.Period {
	case Year:
		y, err := strconv.Atoi(f.Period)
		if !yearRE.MatchString(f.Period) || err != nil {
			fields.Add("period", "年度应写作四位年份，如 2025", "the period is a year, such as 2025")
		} else if y > now.Year() {
			fields.Add("period", "年度不能晚于今年", "the year cannot be after this one")
		}
	case Date:
		d, err := time.ParseInLocation(time.DateOnly, f.Period, now.Location())
		if !dateRE.MatchString(f.Period) || err != nil {
			fields.Add("period", "日期应写作 2025-06-30 的形式", "the period is a date such as 2025-06-30")
		} else if d.After(now) && k.Type != Text {
			fields.Add("period", "日期不能晚于今天", "the date cannot be after today")
		}
	}
	if k.Type == Text {
		t := strings.TrimSpace(f.Text)
		if t == "" {
			fields.Add("value", "请填写内容", "the value is required")
		} else if len([]rune(t)) > MaxText {
			fields.Add("value", fmt.Sprintf("内容不能超过 %d 字", MaxText), fmt.Sprintf("at most %d characters", MaxText))
		}
	} else {
		max := k.Max
		if max == 0 {
			max = math.MaxInt64 / 2
		}
		if f.Num < 0 || f.Num > max {
			fields.Add("value", "数值超出合理范围", "the value is out of range")
		}
	}
	if len([]rune(f.Note)) > MaxText {
		fields.Add("note", fmt.Sprintf("备注不能超过 %d 字", MaxText), fmt.Sprintf("the note is at most %d characters", MaxText))
	}
	if !f.Source.Valid() {
		fields.Add("source", "未知的来源", "unknown source")
	}
	return fields.Err()
}

// ParseValue reads a value as a person types it for kind k: people as a
// whole number, yuan in 万元 with up to two decimals ("12.5" is 125,000
// yuan), a share in per cent with up to two decimals, a text as it is.
// It returns the number and the text of the fact.
func ParseValue(k Kind, s string) (int64, string, error) {
	s = strings.TrimSpace(s)
	bad := func(zh, en string) error { return fault.Fields{"value": {Zh: zh, En: en}}.Err() }
	switch k.Type {
	case Text:
		return 0, s, nil
	case Count:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return 0, "", bad("请填写不小于 0 的整数", "a whole number ≥ 0")
		}
		return n, "", nil
	case Yuan:
		n, ok := enterprise.ParseHundredths(s)
		if !ok {
			return 0, "", bad("请填写金额（万元，最多两位小数）", "an amount in 10k yuan, at most two decimals")
		}
		return n * 100, "", nil
	case Percent:
		n, ok := enterprise.ParseHundredths(s)
		if !ok || n > 10000 {
			return 0, "", bad("请填写 0–100 之间的百分数（最多两位小数）", "a per cent from 0 to 100, at most two decimals")
		}
		return n, "", nil
	}
	return 0, "", bad("未知的类型", "unknown type")
}

// Input is the value as typed for the kind (what ParseValue reads).
func (f Fact) Input() string {
	k, _ := KindOf(f.Kind)
	switch k.Type {
	case Text:
		return f.Text
	case Yuan:
		return enterprise.FormatWan(f.Num)
	case Percent:
		return enterprise.FormatHundredths(f.Num)
	}
	return strconv.FormatInt(f.Num, 10)
}

// Format writes a fact's value as a person reads it, with its unit.
func (f Fact) Format(lang string) string {
	k, _ := KindOf(f.Kind)
	switch k.Type {
	case Text:
		return f.Text
	case Percent:
		return f.Input() + "%"
	case Yuan:
		if lang == "en" {
			return f.Input() + " × 10k yuan"
		}
	}
	return f.Input() + " " + k.Unit().In(lang)
}

// Wins reports whether a is the current value of its kind and period over
// b: the more authoritative source, then the newer record.
func Wins(a, b Fact) bool {
	if a.Source.Rank() != b.Source.Rank() {
		return a.Source.Rank() > b.Source.Rank()
	}
	if !a.RecordedAt.Equal(b.RecordedAt) {
		return a.RecordedAt.After(b.RecordedAt)
	}
	return a.ID > b.ID
}

// Current returns the current fact of each kind and period among facts.
func Current(facts []Fact) []Fact {
	best := map[[2]string]Fact{}
	var order [][2]string
	for _, f := range facts {
		key := [2]string{f.Kind, f.Period}
		if b, ok := best[key]; !ok {
			best[key] = f
			order = append(order, key)
		} else if Wins(f, b) {
			best[key] = f
		}
	}
	out := make([]Fact, 0, len(order))
	for _, key := range order {
		out = append(out, best[key])
	}
	return out
}

// Latest returns, of the current facts, the one of kind of the latest
// period, and whether there is one.
func Latest(current []Fact, kind string) (Fact, bool) {
	var out Fact
	found := false
	for _, f := range current {
		if f.Kind == kind && (!found || f.Period > out.Period) {
			out, found = f, true
		}
	}
	return out, found
}

// Age says how old a fact is, for the page: "today", "3 days", "5 months".
func Age(recorded, now time.Time, lang string) string {
	d := now.Sub(recorded)
	days := int(d.Hours() / 24)
	var m fault.Msg
	switch {
	case days < 1:
		m = fault.Msg{Zh: "今天", En: "today"}
	case days < 60:
		m = fault.Msg{Zh: fmt.Sprintf("%d 天前", days), En: fmt.Sprintf("%d days ago", days)}
	case days < 730:
		m = fault.Msg{Zh: fmt.Sprintf("%d 个月前", days/30), En: fmt.Sprintf("%d months ago", days/30)}
	default:
		m = fault.Msg{Zh: fmt.Sprintf("%d 年前", days/365), En: fmt.Sprintf("%d years ago", days/365)}
	}
	return m.In(lang)
}
