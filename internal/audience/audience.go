// Package audience describes a set of enterprises a module sends something
// to (推送对象): a region's subtree, grids, industries, size classes, key
// levels, tags, a named list of credit codes, conditions on facts of the
// enterprise's file, minus exclusions. A campaign freezes it into a list of
// members when it starts — the denominator of its rates — and follows each
// member: sent, seen, answered, overdue. This package is the definition, its
// check and the matching of one enterprise; package audiencedb resolves it
// over the store and keeps the campaigns.
package audience

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
)

// Op compares a fact with a value.
type Op string

// The comparisons.
const (
	AtLeast Op = ">="
	AtMost  Op = "<="
	Equal   Op = "="
	Above   Op = ">"
	Below   Op = "<"
)

// Ops are the comparisons in the order the page offers them.
var Ops = []Op{AtLeast, AtMost, Above, Below, Equal}

// FactCondition keeps the enterprises whose current value of a fact
// compares with Value (as typed: 50 people, 2000 万元, 30 %). Period names
// the year or day of the value; empty, the latest known. Authoritative
// refuses values the enterprise declared itself. An enterprise without
// such a value is not in the audience (and counted as unknown).
type FactCondition struct {
	Kind          string `json:"kind"`
	Op            Op     `json:"op"`
	Value         string `json:"value"`
	Period        string `json:"period,omitempty"`
	Authoritative bool   `json:"authoritative,omitempty"`
	num           int64
}

// Definition is an audience. Within a line the values are alternatives
// (any of these industries); the lines all hold (and). Empty lines do not
// narrow: an empty definition is every enterprise in the sender's scope.
type Definition struct {
	Regions      []string               `json:"regions,omitempty"`    // region codes of any level
	Industries   []string               `json:"industries,omitempty"` // a division ("34") or a section ("C")
	Sizes        []enterprise.SizeClass `json:"sizes,omitempty"`
	KeyLevels    []enterprise.KeyLevel  `json:"key_levels,omitempty"` // "city", "district"
	Tags         []string               `json:"tags,omitempty"`
	ForeignTrade string                 `json:"foreign_trade,omitempty"` // "yes", "no" or ""
	// ListName and List are a named list of credit codes (imported from a
	// workbook): only the enterprises on it.
	ListName string          `json:"list_name,omitempty"`
	List     []string        `json:"list,omitempty"`
	Facts    []FactCondition `json:"facts,omitempty"`
	// Exclude are credit codes left out whatever else holds.
	Exclude []string `json:"exclude,omitempty"`
}

// The bounds of a definition.
const (
	MaxList  = 100_000 // credit codes of a named list
	MaxLines = 200     // values of any other line
	MaxFacts = 10
)

// Check validates a definition at now, with a message per line, and
// returns it with its codes normalised and its facts' values parsed.
func (d Definition) Check(now time.Time) (Definition, error) {
	f := fault.Fields{}
	d.Tags, d.Facts = slices.Clone(d.Tags), slices.Clone(d.Facts) // the caller's stay as they were
	too := func(field string, n, max int) bool {
		if n > max {
			f.Add(field, fmt.Sprintf("最多 %d 项", max), fmt.Sprintf("at most %d values", max))
			return true
		}
		return false
	}
	for _, line := range []struct {
		field string
		n     int
	}{{"regions", len(d.Regions)}, {"industries", len(d.Industries)}, {"sizes", len(d.Sizes)},
		{"key_levels", len(d.KeyLevels)}, {"tags", len(d.Tags)}, {"exclude", len(d.Exclude)}} {
		too(line.field, line.n, MaxLines)
	}
	too("list", len(d.List), MaxList)
	if too("facts", len(d.Facts), MaxFacts) {
		return d, f.Err()
	}
	for _, code := range d.Regions {
		if l := place.LevelOf(code); l == 0 || place.CheckCode(code, l) != nil {
			f.Add("regions", "区划代码无效："+code, "not a region code: "+code)
		}
	}
	for _, ind := range d.Industries {
		ok := false
		if len(ind) == 1 {
			ok = slices.ContainsFunc(enterprise.AllSections(), func(s enterprise.Section) bool { return s.Letter == ind })
		} else {
			_, ok = enterprise.DivisionByCode(ind)
		}
		if !ok {
			f.Add("industries", "行业代码无效："+ind, "not an industry code: "+ind)
		}
	}
	for _, s := range d.Sizes {
		if !slices.Contains([]enterprise.SizeClass{enterprise.SizeLarge, enterprise.SizeMedium, enterprise.SizeSmall, enterprise.SizeMicro}, s) {
			f.Add("sizes", "规模无效："+string(s), "not a size class: "+string(s))
		}
	}
	for _, k := range d.KeyLevels {
		if k != enterprise.KeyCity && k != enterprise.KeyDistrict {
			f.Add("key_levels", "重点企业级别无效："+string(k), "not a key level: "+string(k))
		}
	}
	for i, t := range d.Tags {
		d.Tags[i] = strings.TrimSpace(t)
		if d.Tags[i] == "" || len([]rune(d.Tags[i])) > 20 {
			f.Add("tags", "标签须为 1 到 20 个字", "a tag has 1 to 20 characters")
		}
	}
	switch d.ForeignTrade {
	case "", "yes", "no":
	default:
		f.Add("foreign_trade", "外贸须为 yes、no 或不限", "foreign trade is yes, no or any")
	}
	if len([]rune(d.ListName)) > 100 {
		f.Add("list_name", "名单名称最多 100 个字", "a list's name has at most 100 characters")
	}
	codes := func(field string, list []string) []string {
		out := make([]string, 0, len(list))
		for _, c := range list {
			c = enterprise.NormalizeCreditCode(c)
			if err := enterprise.CheckCreditCode(c); err != nil {
				f.Add(field, "统一社会信用代码无效："+c, "not a valid credit code: "+c)
				continue
			}
			out = append(out, c)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	d.List, d.Exclude = codes("list", d.List), codes("exclude", d.Exclude)
	for i := range d.Facts {
		c := &d.Facts[i]
		at := fmt.Sprintf("facts.%d", i)
		k, ok := dossier.KindOf(c.Kind)
		if !ok || k.Type == dossier.Text {
			f.Add(at, "请选择一个数值类的事实", "choose a fact that is a number")
			continue
		}
		if !slices.Contains(Ops, c.Op) {
			f.Add(at, "比较方式无效", "not a comparison")
		}
		num, _, err := dossier.ParseValue(k, c.Value)
		if err != nil {
			f.Add(at, "条件的数值无效："+c.Value, "not a value: "+c.Value)
			continue
		}
		c.num = num
		if c.Period != "" {
			// The period alone is judged: a probe of a valid value and source.
			probe := dossier.Fact{Kind: k.Key, Period: c.Period, Source: dossier.Computed}
			if probe.Check(now) != nil {
				f.Add(at, "期间无效："+c.Period, "not a period: "+c.Period)
			}
		}
	}
	return d, f.Err()
}

// Registry reports whether an enterprise's record meets the definition's
// lines other than facts: regions, industries, sizes, key levels, tags,
// foreign trade, the list and the exclusions (sorted, as Check leaves them).
func (d Definition) Registry(e enterprise.Enterprise) bool {
	if len(d.Regions) > 0 && !slices.ContainsFunc(d.Regions, func(code string) bool {
		a := place.Ancestry{City: e.CityCode, District: e.DistrictCode, Street: e.StreetCode, Community: e.CommunityCode, Grid: e.GridCode}
		return a.At(place.LevelOf(code)) == code
	}) {
		return false
	}
	if len(d.Industries) > 0 && !slices.ContainsFunc(d.Industries, func(ind string) bool {
		if len(ind) == 1 {
			div, ok := enterprise.DivisionByCode(e.Industry)
			return ok && div.Section == ind
		}
		return e.Industry == ind
	}) {
		return false
	}
	if len(d.Sizes) > 0 && !slices.Contains(d.Sizes, e.Size) {
		return false
	}
	if len(d.KeyLevels) > 0 && !slices.Contains(d.KeyLevels, e.KeyLevel) {
		return false
	}
	if len(d.Tags) > 0 && !slices.ContainsFunc(d.Tags, func(t string) bool { return slices.Contains(e.Tags, t) }) {
		return false
	}
	switch d.ForeignTrade {
	case "yes":
		if !e.ForeignTrade {
			return false
		}
	case "no":
		if e.ForeignTrade {
			return false
		}
	}
	if len(d.List) > 0 {
		if _, ok := slices.BinarySearch(d.List, e.CreditCode); !ok {
			return false
		}
	}
	_, excluded := slices.BinarySearch(d.Exclude, e.CreditCode)
	return !excluded
}

// Verdict is how an enterprise stands against the fact conditions.
type Verdict int

// The verdicts.
const (
	Out     Verdict = iota // a condition is not met
	In                     // every condition is met
	Unknown                // no condition fails, but a value is missing or not authoritative enough
)

// FactsMet judges an enterprise's current facts (dossier.Current) against
// the definition's fact conditions, as Check returned them (with their
// values parsed; a definition read back from storage is checked again).
func (d Definition) FactsMet(current []dossier.Fact) Verdict {
	v := In
	for _, c := range d.Facts {
		f, ok := valueFor(c, current)
		if !ok {
			v = Unknown
			continue
		}
		if !c.Op.holds(f.Num, c.num) {
			return Out
		}
	}
	return v
}

// valueFor is the current fact a condition reads.
func valueFor(c FactCondition, current []dossier.Fact) (dossier.Fact, bool) {
	var best dossier.Fact
	found := false
	for _, f := range current {
		if f.Kind != c.Kind || (c.Period != "" && f.Period != c.Period) || (c.Authoritative && !f.Source.Authoritative()) {
			continue
		}
		if !found || f.Period > best.Period {
			best, found = f, true
		}
	}
	return best, found
}

func (o Op) holds(a, b int64) bool {
	switch o {
	case AtLeast:
		return a >= b
	case AtMost:
		return a <= b
	case Above:
		return a > b
	case Below:
		return a < b
	case Equal:
		return a == b
	}
	return false
}

// Describe says the definition in a language, line by line, for a page;
// names gives the regions' names by code (a code without one is shown as is).
func (d Definition) Describe(lang string, names map[string]string) []string {
	m := func(zh, en string) string { return fault.Msg{Zh: zh, En: en}.In(lang) }
	var out []string
	join := func(label fault.Msg, vals []string) {
		if len(vals) > 0 {
			out = append(out, label.In(lang)+strings.Join(vals, "、"))
		}
	}
	var regions []string
	for _, code := range d.Regions {
		if n := names[code]; n != "" {
			code = n
		}
		regions = append(regions, code)
	}
	join(fault.Msg{Zh: "区域：", En: "regions: "}, regions)
	join(fault.Msg{Zh: "行业：", En: "industries: "}, d.Industries)
	var sizes, keys []string
	for _, s := range d.Sizes {
		sizes = append(sizes, string(s))
	}
	for _, k := range d.KeyLevels {
		keys = append(keys, string(k))
	}
	join(fault.Msg{Zh: "规模：", En: "sizes: "}, sizes)
	join(fault.Msg{Zh: "重点企业：", En: "key levels: "}, keys)
	join(fault.Msg{Zh: "标签：", En: "tags: "}, d.Tags)
	switch d.ForeignTrade {
	case "yes":
		out = append(out, m("外贸企业", "foreign-trade enterprises"))
	case "no":
		out = append(out, m("非外贸企业", "not in foreign trade"))
	}
	if len(d.List) > 0 {
		name := d.ListName
		if name == "" {
			name = m("名单", "a list")
		}
		out = append(out, fmt.Sprintf("%s（%d）", name, len(d.List)))
	}
	for _, c := range d.Facts {
		k, _ := dossier.KindOf(c.Kind)
		s := k.Name().In(lang) + " " + string(c.Op) + " " + c.Value + " " + k.Unit().In(lang)
		if c.Period != "" {
			s += " (" + c.Period + ")"
		}
		if c.Authoritative {
			s += m("，须权威来源", ", from an authoritative source")
		}
		out = append(out, s)
	}
	if len(d.Exclude) > 0 {
		out = append(out, fmt.Sprintf(m("排除 %d 家", "%d excluded"), len(d.Exclude)))
	}
	if len(out) == 0 {
		out = append(out, m("辖区内全部企业", "every enterprise in scope"))
	}
	return out
}
