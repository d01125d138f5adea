package policy

import (
	"fmt"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/fault"
)

// Stack is how a benefit goes with the others of its group.
type Stack string

// The stacking rules.
const (
	// Stackable: enjoyed beside any other.
	Stackable Stack = "stackable"
	// Exclusive: not stackable; the one the enterprise holds bars the rest
	// of its group (不可叠加).
	Exclusive Stack = "exclusive"
	// Higher: of the group only the higher amount is enjoyed (就高不重复享受).
	Higher Stack = "higher"
)

// Stacks are the rules with their names.
var Stacks = []Option{
	{Value: string(Stackable), Zh: "可叠加享受", En: "stackable"},
	{Value: string(Exclusive), Zh: "不可叠加（同组只享受一项）", En: "not stackable (one of the group)"},
	{Value: string(Higher), Zh: "就高不重复享受", En: "the higher of the group only"},
}

// Entry is a benefit on an enterprise's list (its check-up, a push, an
// application) as the stacking rules see it.
type Entry struct {
	BenefitID int64
	Title     string
	Group     string
	Stack     Stack
	Verdict   Verdict
	Amount    int64
	// Held is a benefit the enterprise applied for, confirmed or was granted.
	Held bool
	// Barred is set by Resolve: the reason the entry is not offered.
	Barred *fault.Msg
}

// Resolve applies the stacking rules to an enterprise's list: in a group
// that is not stackable, a benefit held bars the others; in a group that
// takes the higher, a held one or else the highest qualifying amount bars
// the others (the first listed wins a tie). Entries keep their order.
func Resolve(list []Entry) []Entry {
	byGroup := map[string][]int{}
	for i := range list {
		list[i].Barred = nil
		if list[i].Stack != Stackable && list[i].Group != "" {
			byGroup[list[i].Group] = append(byGroup[list[i].Group], i)
		}
	}
	for _, idx := range byGroup {
		keep := -1
		for _, i := range idx {
			if list[i].Held && (keep < 0 || !list[keep].Held || list[i].Amount > list[keep].Amount) {
				keep = i
			}
		}
		if keep < 0 {
			for _, i := range idx {
				if list[i].Stack == Higher && list[i].Verdict != NotMet && (keep < 0 || list[i].Amount > list[keep].Amount) {
					keep = i
				}
			}
		}
		if keep < 0 {
			continue
		}
		for _, i := range idx {
			if i == keep || list[i].Held {
				continue
			}
			why := fault.Msg{
				Zh: fmt.Sprintf("与《%s》不可重复享受", list[keep].Title),
				En: fmt.Sprintf("not enjoyed together with %q", list[keep].Title),
			}
			if list[keep].Stack == Higher && !list[keep].Held {
				why = fault.Msg{
					Zh: fmt.Sprintf("就高享受《%s》", list[keep].Title),
					En: fmt.Sprintf("the higher %q is offered instead", list[keep].Title),
				}
			}
			list[i].Barred = &why
		}
	}
	return list
}

// Barring is a credit blacklist entry (失信名单) a department imported: it
// bars the enterprise from every benefit while in force, with the reason
// shown to staff only.
type Barring struct {
	EnterpriseID int64
	CreditCode   string
	Reason       string
	DepartmentID int64
	From, Until  string // "" until: open
}

// InForce reports whether the barring holds on day.
func (b Barring) InForce(day string) bool {
	return b.From <= day && (b.Until == "" || day <= b.Until)
}

// Check validates an entry of an imported blacklist.
func (b Barring) Check() error {
	fields := fault.Fields{}
	textField(fields, "reason", b.Reason, 200, true, "列入原因", "the reason")
	dateField(fields, "from", b.From, true)
	dateField(fields, "until", b.Until, false)
	if b.Until != "" && b.From != "" && b.Until < b.From {
		fields.Add("until", "截止日期不能早于开始日期", "the end cannot be before the start")
	}
	return fields.Err()
}

// Today is the day in the region's zone, for the windows and barrings.
func Today(now time.Time) string {
	return now.In(calendar.Shanghai).Format(time.DateOnly)
}
