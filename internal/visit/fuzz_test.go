package visit

import "testing"

// FuzzVisit feeds Check arbitrary visits: it never panics, what it accepts
// it accepts again unchanged, and an accepted visit keeps within its limits.
func FuzzVisit(f *testing.F) {
	f.Add("routine", "2026-03-02", "王网格", "社区", "招工难，急缺普工", "labour.recruit", "solved", "对接招聘会", "", int64(0), 12, false)
	f.Add("joint", "", "", "", "", "", "common", "", "园区路灯", int64(3), -1, true)
	f.Fuzz(func(t *testing.T, kind, on, name, unit, text, category, outcome, action, title string, topic int64, employees int, noChange bool) {
		v := Visit{Kind: Kind(kind), On: on, NoChange: noChange, Visitors: []Visitor{{Name: name, Unit: unit}, {Name: "李科长", Unit: "区人力社保局"}},
			Situation: Situation{Employees: employees},
			Problems:  []Problem{{Text: text, Category: category, Outcome: Outcome(outcome), Action: action, TopicTitle: title, TopicID: topic}}}
		if err := v.Check("2026-03-02"); err != nil {
			return
		}
		if len(v.Visitors) == 0 || len(v.Visitors) > MaxVisitors || len(v.Problems) > MaxProblems || v.On > "2026-03-02" {
			t.Fatalf("accepted beyond the limits: %+v", v)
		}
		again := v
		again.Visitors = append([]Visitor(nil), v.Visitors...)
		again.Problems = append([]Problem(nil), v.Problems...)
		if err := again.Check("2026-03-02"); err != nil || len(again.Problems) != len(v.Problems) || again.Units != v.Units {
			t.Fatalf("accepted %+v, then %v", v, err)
		}
	})
}
