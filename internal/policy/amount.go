package policy

import (
	"fmt"
	"slices"

	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// AmountRule is how much a benefit is worth to one enterprise.
type AmountRule struct {
	// Kind: "none" (a qualification, a relief without a figure), "fixed",
	// "per_head" (Yuan for each of the base field's people) or "share"
	// (Rate of the base field's amount).
	Kind string `json:"kind"`
	// Yuan is the fixed amount, or the amount per head, in yuan.
	Yuan int64 `json:"yuan,omitempty"`
	// Base is the field the amount is worked from: employees or insured
	// for per_head; an amount field for share.
	Base string `json:"base,omitempty"`
	// Period is the base's period ("" the latest).
	Period string `json:"period,omitempty"`
	// Rate is the share in hundredths of a per cent (5000 is 50%).
	Rate int64 `json:"rate,omitempty"`
	// Cap bounds the amount, in yuan; 0 none.
	Cap int64 `json:"cap,omitempty"`
}

// The amount kinds.
var AmountKinds = []Option{
	{Value: "none", Zh: "不涉及金额", En: "no amount"},
	{Value: "fixed", Zh: "定额", En: "fixed"},
	{Value: "per_head", Zh: "按人数", En: "per head"},
	{Value: "share", Zh: "按比例", En: "a share of"},
}

// Check validates the rule with a message per field.
func (a AmountRule) Check() error {
	fields := fault.Fields{}
	if !slices.ContainsFunc(AmountKinds, func(o Option) bool { return o.Value == a.Kind }) {
		fields.Add("kind", "请选择金额计算方式", "choose how the amount is worked out")
		return fields.Err()
	}
	if a.Yuan < 0 || a.Yuan > 1<<40 || a.Cap < 0 || a.Cap > 1<<45 {
		fields.Add("yuan", "金额超出合理范围", "the amount is out of range")
	}
	switch a.Kind {
	case "fixed":
		if a.Yuan <= 0 {
			fields.Add("yuan", "请填写定额", "the fixed amount is required")
		}
	case "per_head":
		if a.Yuan <= 0 {
			fields.Add("yuan", "请填写每人金额", "the amount per head is required")
		}
		if a.Base != "employees" && a.Base != "insured" {
			fields.Add("base", "按人数计算须选择从业人员或参保人数", "per head of employees or insured")
		}
	case "share":
		if a.Rate <= 0 || a.Rate > 10000 {
			fields.Add("rate", "比例应在 0–100% 之间", "the share is 0–100%")
		}
		if f, ok := FieldOf(a.Base); !ok || f.Type != Amount {
			fields.Add("base", "按比例计算须选择一个金额字段", "a share of an amount field")
		}
	}
	if a.Period != "" && !yearRE.MatchString(a.Period) && !dateRE.MatchString(a.Period) {
		fields.Add("period", "期间应写作 2025 或 2025-06-30", "the period reads 2025 or 2025-06-30")
	}
	return fields.Err()
}

// Of works out the amount for an enterprise, in yuan; false when the base
// is unknown. A rule without an amount gives 0, true.
func (a AmountRule) Of(p *Profile) (int64, bool) {
	var n int64
	switch a.Kind {
	case "fixed":
		n = a.Yuan
	case "per_head", "share":
		f, ok := FieldOf(a.Base)
		if !ok {
			return 0, false
		}
		v := p.read(f, a.Period, false)
		if !v.known {
			return 0, false
		}
		if a.Kind == "per_head" {
			n = a.Yuan * v.num
		} else {
			n = v.num * a.Rate / 10000
		}
	default:
		return 0, true
	}
	if a.Cap > 0 && n > a.Cap {
		n = a.Cap
	}
	return n, true
}

// Says writes the rule as a person reads it: "每人 1000 元，最高 50 万元".
func (a AmountRule) Says(lang string) string {
	var s string
	switch a.Kind {
	case "fixed":
		s = fault.Msg{Zh: "定额 " + Wan(a.Yuan, "zh"), En: "a fixed " + Wan(a.Yuan, "en")}.In(lang)
	case "per_head":
		f, _ := FieldOf(a.Base)
		s = fault.Msg{Zh: fmt.Sprintf("按%s每人 %d 元", f.Zh, a.Yuan), En: fmt.Sprintf("%d yuan for each of the %s", a.Yuan, f.En)}.In(lang)
	case "share":
		f, _ := FieldOf(a.Base)
		s = fault.Msg{Zh: "按" + f.Zh + "的 " + enterprise.FormatHundredths(a.Rate) + "%", En: enterprise.FormatHundredths(a.Rate) + "% of " + f.En}.In(lang)
	default:
		return fault.Msg{Zh: "不涉及金额", En: "no amount"}.In(lang)
	}
	if a.Cap > 0 {
		s += fault.Msg{Zh: "，最高 " + Wan(a.Cap, "zh"), En: ", at most " + Wan(a.Cap, "en")}.In(lang)
	}
	return s
}

// Wan writes an amount in yuan as 万元.
func Wan(yuan int64, lang string) string {
	s := enterprise.FormatWan(yuan)
	if lang == "en" {
		return s + " × 10k yuan"
	}
	return s + " 万元"
}

// Facts are the kinds of the file the rule reads.
func (a AmountRule) Facts() []string {
	if f, ok := FieldOf(a.Base); ok && f.Fact != "" && (a.Kind == "per_head" || a.Kind == "share") {
		return []string{f.Fact}
	}
	return nil
}
