package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// Verdict is the three-valued answer of a condition or a benefit.
type Verdict int8

// The verdicts.
const (
	NotMet  Verdict = iota // the value is known and fails
	Unknown                // the value is missing, or not of the source required
	Met                    // the value is known and passes
)

// String names the verdict as the API writes it.
func (v Verdict) String() string {
	switch v {
	case Met:
		return "met"
	case Unknown:
		return "maybe"
	}
	return "not_met"
}

// MarshalText writes the verdict as the API does: met, maybe, not_met.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText reads a verdict the API wrote.
func (v *Verdict) UnmarshalText(b []byte) error {
	switch string(b) {
	case "met":
		*v = Met
	case "maybe":
		*v = Unknown
	case "not_met":
		*v = NotMet
	default:
		return fmt.Errorf("unknown verdict %q", b)
	}
	return nil
}

// OpenAPISchema is the verdict's schema in the API document.
func (Verdict) OpenAPISchema() map[string]any {
	return map[string]any{"type": "string", "enum": []any{"met", "maybe", "not_met"}}
}

// Name names the verdict for a person.
func (v Verdict) Name() fault.Msg {
	switch v {
	case Met:
		return fault.Msg{Zh: "符合", En: "qualifies"}
	case Unknown:
		return fault.Msg{Zh: "可能符合", En: "may qualify"}
	}
	return fault.Msg{Zh: "不符合", En: "does not qualify"}
}

// And is the verdict of all of vs: one not met fails, then one unknown
// leaves it open.
func And(vs ...Verdict) Verdict {
	out := Met
	for _, v := range vs {
		if v < out {
			out = v
		}
	}
	return out
}

// Condition is one condition of a benefit's eligibility: a field compared
// with a value (built from the editor's form), or an expression in CEL
// written by an expert.
type Condition struct {
	Field string `json:"field,omitempty"`
	Op    Op     `json:"op,omitempty"`
	// Value is as typed: "50", "2000" (万元), "25" (%), "34,35", "是",
	// "2020-01-01", a tag.
	Value string `json:"value,omitempty"`
	// Period is the fact's period the condition needs: a year ("2025") for a
	// yearly fact, a date for a dated one (the latest value on or before
	// it); "" takes the latest.
	Period string `json:"period,omitempty"`
	// Authoritative refuses self-declared and staff-recorded values: the
	// fact must come from the department that holds it.
	Authoritative bool `json:"authoritative,omitempty"`
	// CEL is an expert's expression over the fields (then Field is "").
	CEL string `json:"cel,omitempty"`
	// Label says what a CEL condition means, for the explanations.
	Label string `json:"label,omitempty"`
}

// MaxConditions bounds a benefit's conditions; MaxCEL an expression's length.
const (
	MaxConditions = 30
	MaxCEL        = 2000
	maxValues     = 200
)

var (
	yearRE = regexp.MustCompile(`^20\d\d$`)
	dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	codeRE = regexp.MustCompile(`^[0-9A-Za-z]{1,24}$`)
)

// compiled is a condition ready to evaluate many enterprises.
type compiled struct {
	c     Condition
	field Field
	num   int64
	codes []string
	flag  bool
	cel   *celProgram
}

// Compiled is a benefit's conditions compiled once per change.
type Compiled struct {
	conds []compiled
}

// Len is the number of conditions.
func (c *Compiled) Len() int { return len(c.conds) }

// Compile checks and compiles conditions, with a message per place
// ("conditions[2].value") for each that cannot be: an unknown field, an
// operator the field does not take, a value of the wrong type, a CEL
// expression that does not parse or type-check to a yes or no.
func Compile(conds []Condition) (*Compiled, error) {
	fields := fault.Fields{}
	if len(conds) > MaxConditions {
		fields.Add("conditions", fmt.Sprintf("条件不能超过 %d 条", MaxConditions), fmt.Sprintf("at most %d conditions", MaxConditions))
		return nil, fields.Err()
	}
	out := &Compiled{conds: make([]compiled, 0, len(conds))}
	for i, c := range conds {
		at := fmt.Sprintf("conditions[%d]", i)
		cc, err := compileOne(c, at, fields)
		if err == nil {
			out.conds = append(out.conds, cc)
		}
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// errSkip marks a condition that added its messages to the fields.
var errSkip = fmt.Errorf("condition refused")

func compileOne(c Condition, at string, fields fault.Fields) (compiled, error) {
	c.Value, c.Period, c.CEL, c.Label = strings.TrimSpace(c.Value), strings.TrimSpace(c.Period), strings.TrimSpace(c.CEL), strings.TrimSpace(c.Label)
	if c.CEL != "" {
		if c.Field != "" {
			fields.Add(at+".field", "CEL 条件不再选择字段", "a CEL condition has no field")
			return compiled{}, errSkip
		}
		if len([]rune(c.Label)) > 100 {
			fields.Add(at+".label", "说明不能超过 100 字", "the label is at most 100 characters")
			return compiled{}, errSkip
		}
		if c.Period != "" && !yearRE.MatchString(c.Period) {
			fields.Add(at+".period", "CEL 条件的年度应写作四位年份，如 2025", "a CEL condition's period is a year such as 2025")
			return compiled{}, errSkip
		}
		p, msg := compileCEL(c.CEL)
		if msg != nil {
			fields[at+".cel"] = *msg
			return compiled{}, errSkip
		}
		return compiled{c: c, cel: p}, nil
	}
	f, ok := FieldOf(c.Field)
	if !ok {
		fields.Add(at+".field", fmt.Sprintf("未知的字段“%s”", clipText(c.Field)), fmt.Sprintf("unknown field %q", clipText(c.Field)))
		return compiled{}, errSkip
	}
	if !slices.Contains(f.Ops(), c.Op) {
		fields.Add(at+".op", fmt.Sprintf("“%s”不能用这种比较", f.Zh), fmt.Sprintf("%s does not take this comparison", f.En))
		return compiled{}, errSkip
	}
	cc := compiled{c: c, field: f}
	bad := func(zh, en string) (compiled, error) {
		fields.Add(at+".value", zh, en)
		return compiled{}, errSkip
	}
	switch f.Type {
	case Int:
		n, err := strconv.ParseInt(c.Value, 10, 64)
		if err != nil || n < 0 || n > 100_000_000 {
			return bad("请填写不小于 0 的整数", "a whole number ≥ 0")
		}
		cc.num = n
	case Amount:
		n, ok := enterprise.ParseHundredths(c.Value)
		if !ok || n > 1<<50 {
			return bad("请填写金额（万元，最多两位小数）", "an amount in 10k yuan, at most two decimals")
		}
		cc.num = n * 100
	case Share:
		n, ok := enterprise.ParseHundredths(c.Value)
		if !ok || n > 10000 {
			return bad("请填写 0–100 之间的百分数", "a per cent from 0 to 100")
		}
		cc.num = n
	case Bool:
		switch strings.ToLower(c.Value) {
		case "是", "true", "yes", "1":
			cc.flag = true
		case "否", "false", "no", "0":
		default:
			return bad("请填写“是”或“否”", "yes or no")
		}
	case Date:
		if _, err := time.Parse(time.DateOnly, c.Value); err != nil || !dateRE.MatchString(c.Value) {
			return bad("日期应写作 2020-01-01 的形式", "a date such as 2020-01-01")
		}
	case Code, List:
		for _, v := range strings.FieldsFunc(c.Value, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '\n' }) {
			if v = strings.TrimSpace(v); v != "" && !slices.Contains(cc.codes, v) {
				cc.codes = append(cc.codes, v)
			}
		}
		if len(cc.codes) == 0 {
			return bad("请至少填写一个值", "at least one value")
		}
		if len(cc.codes) > maxValues {
			return bad(fmt.Sprintf("最多 %d 个值", maxValues), fmt.Sprintf("at most %d values", maxValues))
		}
		for _, v := range cc.codes {
			if msg := checkCode(f, v); msg != nil {
				fields[at+".value"] = *msg
				return compiled{}, errSkip
			}
		}
	}
	if f.Fact == "" || f.Type == List {
		if c.Period != "" {
			fields.Add(at+".period", "该字段没有期间", "this field has no period")
			return compiled{}, errSkip
		}
	} else if c.Period != "" {
		switch f.Period() {
		case dossier.Year:
			if !yearRE.MatchString(c.Period) {
				fields.Add(at+".period", "年度应写作四位年份，如 2025", "the period is a year such as 2025")
				return compiled{}, errSkip
			}
		case dossier.Date:
			if _, err := time.Parse(time.DateOnly, c.Period); err != nil || !dateRE.MatchString(c.Period) {
				fields.Add(at+".period", "日期应写作 2025-06-30 的形式", "the period is a date such as 2025-06-30")
				return compiled{}, errSkip
			}
		}
	}
	if c.Authoritative && f.Fact == "" {
		c.Authoritative = false // the registry's fields are authoritative already
		cc.c = c
	}
	return cc, nil
}

// checkCode checks one value of a code or list condition.
func checkCode(f Field, v string) *fault.Msg {
	switch {
	case len(f.Options) > 0:
		if !slices.ContainsFunc(f.Options, func(o Option) bool { return o.Value == v }) {
			return &fault.Msg{Zh: fmt.Sprintf("“%s”不是%s的可选值", clipText(v), f.Zh), En: fmt.Sprintf("%q is not a value of %s", clipText(v), f.En)}
		}
	case f.Key == "industry":
		if _, ok := enterprise.DivisionByCode(v); !ok {
			return &fault.Msg{Zh: fmt.Sprintf("“%s”不是国民经济行业大类代码", clipText(v)), En: fmt.Sprintf("%q is not a GB/T 4754 division", clipText(v))}
		}
	case f.Key == "region":
		if !codeRE.MatchString(v) {
			return &fault.Msg{Zh: fmt.Sprintf("“%s”不是区域代码", clipText(v)), En: fmt.Sprintf("%q is not a region code", clipText(v))}
		}
	default:
		if len([]rune(v)) > 40 {
			return &fault.Msg{Zh: "每个值不能超过 40 字", En: "each value is at most 40 characters"}
		}
	}
	return nil
}

func clipText(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// Regions are the region codes the conditions name, for the store to check.
func (c *Compiled) Regions() []string {
	var out []string
	for _, cc := range c.conds {
		if cc.field.Key == "region" {
			out = append(out, cc.codes...)
		}
	}
	return out
}

// Test evaluates one condition for an enterprise.
func (cc *compiled) test(p *Profile) Verdict {
	if cc.cel != nil {
		v, _ := cc.cel.eval(p, cc.c.Period, cc.c.Authoritative)
		return v
	}
	return cc.judge(p.read(cc.field, cc.c.Period, cc.c.Authoritative))
}

// judge is a form-built condition's verdict on a value: unknown when the
// value is missing, or when a strict list condition fails only for want
// of an authoritative source (a self-declared certification may be the
// one asked for).
func (cc *compiled) judge(v value) Verdict {
	if !v.known {
		return Unknown
	}
	if cc.pass(v) {
		return Met
	}
	if cc.field.Type == List && cc.c.Authoritative && v.weak && cc.c.Op == Has {
		return Unknown
	}
	return NotMet
}

func (cc *compiled) pass(v value) bool {
	f := cc.field
	switch f.Type {
	case Int, Amount, Share:
		return compare(v.num, cc.c.Op, cc.num)
	case Bool:
		return v.flag == cc.flag
	case Date:
		if cc.c.Op == Ge {
			return v.text >= cc.c.Value
		}
		return v.text <= cc.c.Value
	case Code:
		var hit bool
		if f.Key == "region" {
			hit = slices.ContainsFunc(cc.codes, func(code string) bool { return slices.Contains(v.list, code) })
		} else {
			text := v.text
			if f.Key == "key_level" && text == "" {
				text = "none"
			}
			hit = slices.Contains(cc.codes, text)
		}
		return hit == (cc.c.Op == In)
	case List:
		hit := slices.ContainsFunc(cc.codes, func(code string) bool { return slices.Contains(v.list, code) })
		return hit == (cc.c.Op == Has)
	}
	return false
}

func compare(a int64, op Op, b int64) bool {
	switch op {
	case Ge:
		return a >= b
	case Gt:
		return a > b
	case Le:
		return a <= b
	case Lt:
		return a < b
	case Eq:
		return a == b
	case Ne:
		return a != b
	}
	return false
}

// Outcome is one condition's verdict for an enterprise, explained.
type Outcome struct {
	Verdict Verdict `json:"verdict"`
	// What the condition asks, as a person reads it: "从业人员 ≥ 50 人".
	Asks fault.Msg `json:"asks"`
	// Why the verdict: "从业人员 35 人，需 ≥ 50 人"; for an unknown value
	// what is missing and who can supply it.
	Why fault.Msg `json:"why"`
	// Field is the field to supply when the verdict is unknown ("" for
	// CEL conditions reading several, or when none can be supplied).
	Field string `json:"field"`
	// Period is the period to supply it for.
	Period string `json:"period"`
	// Holder is who can supply the missing value with authority.
	Holder fault.Msg `json:"holder"`
	// SelfDeclared says the enterprise may supply the value itself.
	SelfDeclared bool `json:"self_declared"`
}

// Test evaluates every condition for an enterprise: the benefit's verdict
// and each condition's, without explanations (the fast path of a dry run).
func (c *Compiled) Test(p *Profile, each []Verdict) ([]Verdict, Verdict) {
	each = each[:0]
	out := Met
	for i := range c.conds {
		v := c.conds[i].test(p)
		each = append(each, v)
		if v < out {
			out = v
		}
	}
	return each, out
}

// Verdict is the benefit's verdict for an enterprise, stopping at the first
// condition that fails.
func (c *Compiled) Verdict(p *Profile) Verdict {
	out := Met
	for i := range c.conds {
		switch c.conds[i].test(p) {
		case NotMet:
			return NotMet
		case Unknown:
			out = Unknown
		}
	}
	return out
}

// Explain evaluates every condition for an enterprise with its explanation.
func (c *Compiled) Explain(p *Profile) ([]Outcome, Verdict) {
	out := make([]Outcome, len(c.conds))
	all := Met
	for i := range c.conds {
		out[i] = c.conds[i].explain(p)
		if out[i].Verdict < all {
			all = out[i].Verdict
		}
	}
	return out, all
}

// Asks says what each condition asks, for the benefit's page.
func (c *Compiled) Asks() []fault.Msg {
	out := make([]fault.Msg, len(c.conds))
	for i := range c.conds {
		out[i] = c.conds[i].asks()
	}
	return out
}

func (cc *compiled) asks() fault.Msg {
	if cc.cel != nil {
		if cc.c.Label != "" {
			return fault.Msg{Zh: cc.c.Label, En: cc.c.Label}
		}
		return fault.Msg{Zh: cc.c.CEL, En: cc.c.CEL}
	}
	return fault.Msg{Zh: cc.required("zh"), En: cc.required("en")}
}

// bound writes the comparison and the value asked: "≥ 50 人".
func (cc *compiled) bound(lang string) string {
	f := cc.field
	var rhs string
	switch f.Type {
	case Int, Amount, Share:
		rhs = format(f.Type, cc.num, lang)
	case Bool:
		rhs = fault.Msg{Zh: "否", En: "no"}.In(lang)
		if cc.flag {
			rhs = fault.Msg{Zh: "是", En: "yes"}.In(lang)
		}
	case Date:
		rhs = cc.c.Value
	case Code, List:
		rhs = joinNames(f, cc.codes, lang)
	}
	return cc.c.Op.Sign().In(lang) + " " + rhs
}

// required writes what the condition asks in lang.
func (cc *compiled) required(lang string) string {
	f := cc.field
	s := f.Name().In(lang) + " " + cc.bound(lang)
	if cc.c.Period != "" {
		s = fault.Msg{Zh: cc.c.Period + " 年度", En: "of " + cc.c.Period}.In(lang) + " " + s
		if f.Period() == dossier.Date {
			s = fault.Msg{Zh: "截至 " + cc.c.Period + " 的", En: "as of " + cc.c.Period + ", "}.In(lang) + f.Name().In(lang) + " " + cc.bound(lang)
		}
	}
	if cc.c.Authoritative {
		s += fault.Msg{Zh: "（以" + f.Holder.Zh + "数据为准）", En: " (from " + f.Holder.En + ")"}.In(lang)
	}
	return s
}

func (cc *compiled) explain(p *Profile) Outcome {
	o := Outcome{Asks: cc.asks()}
	if cc.cel != nil {
		return cc.cel.explain(p, cc.c, o)
	}
	f := cc.field
	v := p.read(f, cc.c.Period, cc.c.Authoritative)
	if !v.known {
		o.Verdict, o.Field, o.Period, o.Holder = Unknown, f.Key, cc.c.Period, f.Holder
		o.SelfDeclared = !cc.c.Authoritative && f.Fact != ""
		o.Why = missing(f, cc.c.Period, cc.c.Authoritative, v)
		return o
	}
	o.Verdict = cc.judge(v)
	o.Why = fault.Msg{Zh: shown(f, v, "zh") + "，需 " + cc.bound("zh"), En: shown(f, v, "en") + "; required " + cc.bound("en")}
	if o.Verdict == Unknown {
		o.Field, o.Holder = f.Key, f.Holder
		o.Why = fault.Msg{Zh: "企业自报的" + f.Zh + "尚待" + f.Holder.Zh + "确认", En: "the declared " + f.En + " awaits confirmation by " + f.Holder.En}
	}
	return o
}

// shown writes a known value with its field's name: "从业人员 35 人".
func shown(f Field, v value, lang string) string {
	name := f.Name().In(lang)
	switch f.Type {
	case Int, Amount, Share:
		s := name + " " + format(f.Type, v.num, lang)
		if v.period != "" {
			s += fault.Msg{Zh: "（" + v.period + "，" + v.source.Name().Zh + "）", En: " (" + v.period + ", " + v.source.Name().En + ")"}.In(lang)
		}
		return s
	case Bool:
		if v.flag {
			return name + fault.Msg{Zh: "：是", En: ": yes"}.In(lang)
		}
		return name + fault.Msg{Zh: "：否", En: ": no"}.In(lang)
	case Date:
		return name + " " + v.text
	case Code:
		if f.Key == "region" { // its community, then the grid, street and district it lies in
			return name + " " + v.list[1]
		}
		t := v.text
		if f.Key == "key_level" && t == "" {
			t = "none"
		}
		return name + fault.Msg{Zh: "：", En: ": "}.In(lang) + codeName(f, t, lang)
	case List:
		if len(v.list) == 0 {
			return name + fault.Msg{Zh: "：无", En: ": none"}.In(lang)
		}
		return name + fault.Msg{Zh: "：", En: ": "}.In(lang) + joinNames(f, v.list, lang)
	}
	return name
}

// missing explains a value the evaluator does not have.
func missing(f Field, period string, strict bool, v value) fault.Msg {
	of := ""
	ofEn := ""
	if period != "" {
		of, ofEn = period+" 年度", " of "+period
		if f.Period() == dossier.Date {
			of, ofEn = "截至 "+period+" 的", " as of "+period
		}
	}
	if f.Fact == "" {
		return fault.Msg{Zh: fmt.Sprintf("缺少%s，需由%s补录", f.Zh, f.Holder.Zh), En: fmt.Sprintf("the %s is missing; %s can record it", f.En, f.Holder.En)}
	}
	if v.weak {
		return fault.Msg{
			Zh: fmt.Sprintf("已有%s%s，但本条件需%s的数据", of, f.Zh, f.Holder.Zh),
			En: fmt.Sprintf("the %s%s known is not from %s, which this condition needs", f.En, ofEn, f.Holder.En),
		}
	}
	if strict {
		return fault.Msg{
			Zh: fmt.Sprintf("缺少%s%s，需由%s提供", of, f.Zh, f.Holder.Zh),
			En: fmt.Sprintf("the %s%s is missing; %s can supply it", f.En, ofEn, f.Holder.En),
		}
	}
	return fault.Msg{
		Zh: fmt.Sprintf("缺少%s%s，企业可自行填报，或由%s提供", of, f.Zh, f.Holder.Zh),
		En: fmt.Sprintf("the %s%s is missing; the enterprise may declare it, or %s supply it", f.En, ofEn, f.Holder.En),
	}
}

// Facts are the kinds of the enterprise's file the conditions read, for a
// loader to read only those.
func (c *Compiled) Facts() []string {
	var out []string
	add := func(f Field) {
		if f.Fact != "" && !slices.Contains(out, f.Fact) {
			out = append(out, f.Fact)
		}
	}
	for _, cc := range c.conds {
		if cc.cel != nil {
			for _, f := range cc.cel.fields {
				add(f)
			}
			continue
		}
		add(cc.field)
	}
	return out
}
