package resumption

import (
	"fmt"
	"slices"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/form"
)

// A checklist is sent as a form of the one form engine: a section per
// group, a question per item (in place, not in place, does not apply) whose
// help names the item's basis and who verifies it. The enterprise fills it
// on the phone like any form; the module reads the answers as results.

// Matters are the matters of inspection, by key.
var Matters = map[string]fault.Msg{
	"epidemic":    {Zh: "疫情防控", En: "epidemic prevention"},
	"work_safety": {Zh: "安全生产", En: "work safety"},
	"flood":       {Zh: "防汛防台", En: "flood and typhoon"},
	"labour":      {Zh: "劳动保障", En: "labour"},
	"fire":        {Zh: "消防", En: "fire"},
}

// MatterKeys are the matters in the order forms offer them.
var MatterKeys = []string{"epidemic", "work_safety", "flood", "labour", "fire"}

var verifierNames = map[Verifier]fault.Msg{
	Self:       {Zh: "企业自查", En: "the enterprise itself"},
	Grid:       {Zh: "网格员/社区核查", En: "a grid worker or the community"},
	Department: {Zh: "有检查权的部门核查", En: "a department with the power to inspect"},
}

// Name names the verifier.
func (v Verifier) Name() fault.Msg { return verifierNames[v] }

// TemplateOf returns the shipped checklist with key.
func TemplateOf(key string) (Checklist, bool) {
	i := slices.IndexFunc(Templates, func(c Checklist) bool { return c.Key == key })
	if i < 0 {
		return Checklist{}, false
	}
	return Templates[i], true
}

// Item returns the checklist's item with key.
func (c Checklist) Item(key string) (Item, bool) {
	for _, it := range c.Items() {
		if it.Key == key {
			return it, true
		}
	}
	return Item{}, false
}

var resultOptions = []form.Option{
	{Value: string(Done), Zh: "已落实", En: "in place"},
	{Value: string(NotDone), Zh: "未落实", En: "not in place"},
	{Value: string(NA), Zh: "不适用", En: "does not apply"},
}

// Form is the checklist as a form of the form engine.
func (c Checklist) Form() form.Definition {
	d := form.Definition{Zh: c.Zh, En: c.En,
		IntroZh: "请逐项填写落实情况；不适用的条目（如无食堂、无宿舍）选“不适用”，不计入得分。",
		IntroEn: "Say of each item whether it is in place; an item that does not apply (no canteen, no dormitory) is left out of the score."}
	for _, g := range c.Groups {
		s := form.Section{Zh: g.Zh, En: g.En}
		for _, it := range g.Items {
			v := it.Verifier.Name()
			s.Questions = append(s.Questions, form.Question{Key: it.Key, Type: form.Choice, Zh: it.Zh, En: it.En, Required: true,
				Options: resultOptions,
				HelpZh:  fmt.Sprintf("%d 分 · 依据：%s · 核查：%s", it.Weight, it.Basis, v.Zh),
				HelpEn:  fmt.Sprintf("%d points · basis: %s · verified by %s", it.Weight, it.Basis, v.En)})
		}
		d.Sections = append(d.Sections, s)
	}
	return d
}

// ResultsOf reads a filled checklist's answers as results by item key.
func (c Checklist) ResultsOf(answers form.Answers) map[string]Result {
	out := map[string]Result{}
	for _, it := range c.Items() {
		switch r := Result(answers[it.Key].Value()); r {
		case Done, NotDone, NA:
			out[it.Key] = r
		}
	}
	return out
}

// CheckResults validates a check's results: every item answered with a
// result the list knows.
func (c Checklist) CheckResults(results map[string]Result) error {
	fields := fault.Fields{}
	for _, it := range c.Items() {
		switch results[it.Key] {
		case Done, NotDone, NA:
		default:
			fields.Add("results."+it.Key, "请逐项选择落实情况", "choose a result for every item")
		}
	}
	for k := range results {
		if _, ok := c.Item(k); !ok {
			fields.Add("results."+k, "清单中没有这一项", "the checklist has no such item")
		}
	}
	return fields.Err()
}

// The schedules of status reports.
const (
	Daily   = "daily"
	Weekly  = "weekly"
	Monthly = "monthly"
)

// Schedules are the schedules in the order forms offer them.
var Schedules = []string{Daily, Weekly, Monthly}

// PeriodOf is the period of a schedule a day falls in: the day itself
// ("2020-02-28"), its ISO week ("2026-W49"), its month ("2026-11").
func PeriodOf(schedule string, t time.Time) string {
	t = t.In(calendar.Shanghai)
	switch schedule {
	case Weekly:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case Monthly:
		return t.Format("2006-01")
	}
	return t.Format(time.DateOnly)
}

// The ways a campaign takes restart applications.
const (
	RestartApproval = "approval" // applied, checked on site, approved
	RestartFiling   = "filing"   // filed with a pledge (a later phase)
)
