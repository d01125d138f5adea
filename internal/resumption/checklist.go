// Package resumption is checklists, work resumption and status reports
// (清单 · 复工复产 · 运行监测): the checklists enterprises fill and staff check
// (each item with a weight, the rule or standard it rests on and who may
// verify it), the lawful difference between a community's advice and a
// department's order to rectify, the restart approval of a crisis, the
// status reports on a schedule, the rates leaders read (复工率, 复产率,
// 产能恢复率, 返岗率) over a campaign's frozen list, and the cross-check of
// reports with electricity use. It is plain Go over plain types; its SQL
// and pages come in their own packages.
package resumption

import (
	"fmt"
	"slices"

	"qifu/internal/fault"
)

// Verifier is who may verify an item of a checklist.
type Verifier string

// The verifiers.
const (
	Self       Verifier = "self"       // the enterprise's own declaration
	Grid       Verifier = "grid"       // a grid worker or community staff on a visit (advice)
	Department Verifier = "department" // staff of a department with the power to inspect
)

// Item is one item of a checklist.
type Item struct {
	Key    string
	Zh, En string
	// Weight is the item's share of the score, in points.
	Weight int
	// Basis is the rule or standard the item rests on.
	Basis    string
	Verifier Verifier
}

// Group is a group of items.
type Group struct {
	Zh, En string
	Items  []Item
}

// Checklist is a template of items an enterprise fills and staff check.
type Checklist struct {
	Key    string
	Zh, En string
	// Matter is the matter of inspection its items belong to: a
	// rectification of one is ordered only by a department holding the
	// power to inspect it.
	Matter string
	Groups []Group
}

// Items are the checklist's items in order.
func (c Checklist) Items() []Item {
	var out []Item
	for _, g := range c.Groups {
		out = append(out, g.Items...)
	}
	return out
}

// Check validates a checklist: keys unique and present, weights positive,
// a basis and a verifier for every item.
func (c Checklist) Check() error {
	fields := fault.Fields{}
	if c.Key == "" || c.Zh == "" {
		fields.Add("key", "清单须有代码和名称", "a checklist has a key and a name")
	}
	if len(c.Groups) == 0 {
		fields.Add("groups", "清单至少有一组条目", "a checklist has at least one group")
	}
	seen := map[string]bool{}
	for gi, g := range c.Groups {
		if len(g.Items) == 0 {
			fields.Add(fmt.Sprintf("groups[%d]", gi), "每组至少有一个条目", "a group has at least one item")
		}
		for ii, it := range g.Items {
			at := fmt.Sprintf("groups[%d].items[%d]", gi, ii)
			switch {
			case it.Key == "" || seen[it.Key]:
				fields.Add(at+".key", "条目代码须填写且不能重复", "an item's key is required and unique")
			case it.Zh == "":
				fields.Add(at+".zh", "请填写条目内容", "the item's text is required")
			case it.Weight <= 0 || it.Weight > 100:
				fields.Add(at+".weight", "分值应为 1–100", "the weight is 1–100")
			case it.Basis == "":
				fields.Add(at+".basis", "请写明依据", "the basis is required")
			case !slices.Contains([]Verifier{Self, Grid, Department}, it.Verifier):
				fields.Add(at+".verifier", "请选择核查方", "choose who verifies")
			}
			seen[it.Key] = true
		}
	}
	return fields.Err()
}

// Result is an item's state after filling and checking.
type Result string

// The results.
const (
	Done    Result = "done" // in place
	NotDone Result = "not_done"
	NA      Result = "na" // does not apply to the enterprise (no canteen, no dormitory)
)

// Score is a filled checklist's score: the points of the items in place
// over the points of the items that apply, and the items missing.
type Score struct {
	Points, Of int
	Missing    []string // keys of the items not in place or not answered
}

// Percent is the score in per cent, 0 when nothing applies.
func (s Score) Percent() float64 {
	if s.Of == 0 {
		return 0
	}
	return float64(s.Points) * 100 / float64(s.Of)
}

// ScoreOf scores results by item key; an item without a result counts as
// not in place.
func (c Checklist) ScoreOf(results map[string]Result) Score {
	var s Score
	for _, it := range c.Items() {
		switch results[it.Key] {
		case NA:
			continue
		case Done:
			s.Points += it.Weight
		default:
			s.Missing = append(s.Missing, it.Key)
		}
		s.Of += it.Weight
	}
	return s
}
