package visit

import (
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

const today = "2026-03-02"

// base is a valid visit: a routine visit by one person, with no problem.
func base() Visit {
	return Visit{EnterpriseID: 1, Kind: Routine, On: today, Visitors: []Visitor{{UserID: 7, Name: "王网格", Unit: "社区"}}}
}

func fieldsOf(err error) []string {
	fe := fault.As(err)
	if fe == nil {
		return nil
	}
	var out []string
	for k := range fe.Fields {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestCheck(t *testing.T) {
	long := strings.Repeat("问", MaxText+1)
	problem := func(p Problem) func(*Visit) { return func(v *Visit) { v.Problems = []Problem{p} } }
	cases := []struct {
		name   string
		change func(*Visit)
		fields []string // the fields refused, none when valid
		check  func(t *testing.T, v Visit)
	}{
		{name: "valid", change: func(*Visit) {}},
		{name: "every kind", change: func(v *Visit) {
			v.Kind = ServiceDay
		}},
		{name: "follow up", change: func(v *Visit) { v.Kind = FollowUp }},
		{name: "no kind", change: func(v *Visit) { v.Kind = "" }, fields: []string{"kind"}},
		{name: "unknown kind", change: func(v *Visit) { v.Kind = "inspection" }, fields: []string{"kind"}},

		// Dates.
		{name: "today by default", change: func(v *Visit) { v.On = "  " }, check: func(t *testing.T, v Visit) {
			if v.On != today {
				t.Errorf("on = %q, want today", v.On)
			}
		}},
		{name: "trimmed date", change: func(v *Visit) { v.On = " 2026-03-01 " }, check: func(t *testing.T, v Visit) {
			if v.On != "2026-03-01" {
				t.Errorf("on = %q", v.On)
			}
		}},
		{name: "tomorrow", change: func(v *Visit) { v.On = "2026-03-03" }, fields: []string{"on"}},
		{name: "next year", change: func(v *Visit) { v.On = "2027-01-01" }, fields: []string{"on"}},
		{name: "7 days back", change: func(v *Visit) { v.On = "2026-02-23" }},
		{name: "8 days back", change: func(v *Visit) { v.On = "2026-02-22" }, fields: []string{"on"}},
		{name: "last year", change: func(v *Visit) { v.On = "2025-03-02" }, fields: []string{"on"}},
		{name: "no such day", change: func(v *Visit) { v.On = "2026-02-30" }, fields: []string{"on"}},
		{name: "not a date", change: func(v *Visit) { v.On = "yesterday" }, fields: []string{"on"}},
		{name: "short date", change: func(v *Visit) { v.On = "2026-3-1" }, fields: []string{"on"}},

		// Visitors and units.
		{name: "no visitor", change: func(v *Visit) { v.Visitors = nil }, fields: []string{"visitors"}},
		{name: "only empty visitors", change: func(v *Visit) { v.Visitors = []Visitor{{}, {Name: " ", Unit: "社区"}} }, fields: []string{"visitors"}},
		{name: "empty visitor rows dropped", change: func(v *Visit) {
			v.Visitors = []Visitor{{}, {Name: " 李干部 ", Unit: " 区经信局 "}, {Unit: "x"}}
		}, check: func(t *testing.T, v Visit) {
			if len(v.Visitors) != 1 || v.Visitors[0] != (Visitor{Name: "李干部", Unit: "区经信局"}) || v.Units != 1 {
				t.Errorf("visitors %+v units %d", v.Visitors, v.Units)
			}
		}},
		{name: "visitor without unit", change: func(v *Visit) { v.Visitors = append(v.Visitors, Visitor{Name: "张三"}) }, fields: []string{"visitors"}},
		{name: "visitor name too long", change: func(v *Visit) {
			v.Visitors = []Visitor{{Name: strings.Repeat("张", MaxName+1), Unit: "社区"}}
		}, fields: []string{"visitors"}},
		{name: "visitor name of 30", change: func(v *Visit) {
			v.Visitors = []Visitor{{Name: strings.Repeat("张", MaxName), Unit: strings.Repeat("局", 2*MaxName)}}
		}},
		{name: "unit too long", change: func(v *Visit) {
			v.Visitors = []Visitor{{Name: "张三", Unit: strings.Repeat("局", 2*MaxName+1)}}
		}, fields: []string{"visitors"}},
		{name: "too many visitors", change: func(v *Visit) {
			v.Visitors = nil
			for range MaxVisitors + 1 {
				v.Visitors = append(v.Visitors, Visitor{Name: "张三", Unit: "社区"})
			}
		}, fields: []string{"visitors"}},
		{name: "12 visitors", change: func(v *Visit) {
			v.Visitors = nil
			for range MaxVisitors {
				v.Visitors = append(v.Visitors, Visitor{Name: "张三", Unit: "社区"})
			}
		}},
		{name: "units counted", change: func(v *Visit) {
			v.Visitors = []Visitor{{Name: "甲", Unit: "社区"}, {Name: "乙", Unit: "区经信局"}, {Name: "丙", Unit: " 社区 "}, {Name: "丁", Unit: "区税务局"}}
		}, check: func(t *testing.T, v Visit) {
			if v.Units != 3 || len(v.Visitors) != 4 {
				t.Errorf("units %d, visitors %d; want 3 and 4", v.Units, len(v.Visitors))
			}
		}},
		{name: "joint of one unit", change: func(v *Visit) {
			v.Kind = Joint
			v.Visitors = []Visitor{{Name: "甲", Unit: "社区"}, {Name: "乙", Unit: "社区"}}
		}, fields: []string{"kind"}},
		{name: "joint of two units", change: func(v *Visit) {
			v.Kind = Joint
			v.Visitors = []Visitor{{Name: "甲", Unit: "社区"}, {Name: "乙", Unit: "区经信局"}}
		}, check: func(t *testing.T, v Visit) {
			if v.Units != 2 {
				t.Errorf("units %d", v.Units)
			}
		}},
		{name: "note trimmed", change: func(v *Visit) { v.Note = "  门卫登记  " }, check: func(t *testing.T, v Visit) {
			if v.Note != "门卫登记" {
				t.Errorf("note %q", v.Note)
			}
		}},
		{name: "note too long", change: func(v *Visit) { v.Note = long }, fields: []string{"note"}},

		// The situation.
		{name: "situation", change: func(v *Visit) {
			v.Situation = Situation{Operation: " 正常生产 ", Orders: "订单不足", Employees: 123}
		}, check: func(t *testing.T, v Visit) {
			if v.Situation != (Situation{Operation: "正常生产", Orders: "订单不足", Employees: 123}) {
				t.Errorf("situation %+v", v.Situation)
			}
		}},
		{name: "bad operation", change: func(v *Visit) { v.Situation.Operation = "很好" }, fields: []string{"operation"}},
		{name: "bad orders", change: func(v *Visit) { v.Situation.Orders = "很多" }, fields: []string{"orders"}},
		{name: "negative employees", change: func(v *Visit) { v.Situation.Employees = -1 }, fields: []string{"employees"}},
		{name: "too many employees", change: func(v *Visit) { v.Situation.Employees = 10_000_001 }, fields: []string{"employees"}},
		{name: "no change clears the situation", change: func(v *Visit) {
			v.NoChange = true
			v.Situation = Situation{Operation: "很好", Orders: "很多", Employees: -5}
		}, check: func(t *testing.T, v Visit) {
			if v.Situation != (Situation{}) {
				t.Errorf("situation kept: %+v", v.Situation)
			}
		}},

		// Problems.
		{name: "three problems", change: func(v *Visit) {
			v.Problems = []Problem{
				{Text: "招工难，缺普工二十人", Category: "labour.recruit", Outcome: Solved, Action: "推荐到人力市场"},
				{Text: "厂房租金上涨过快", Category: "financing", Outcome: Raised, ID: 9, AppealID: 12},
				{Text: "园区道路夜间无路灯", Category: "infrastructure", Outcome: Common, TopicTitle: "园区路灯缺失"},
				{Text: "出口退税进度较慢", Category: "tax", Outcome: Common, TopicID: 3},
			}
		}, check: func(t *testing.T, v Visit) {
			if len(v.Problems) != 4 {
				t.Fatalf("problems %+v", v.Problems)
			}
			if p := v.Problems[1]; p.ID != 0 || p.AppealID != 0 {
				t.Errorf("a problem's ID and appeal are the store's: %+v", p)
			}
		}},
		{name: "empty problem rows dropped", change: func(v *Visit) {
			v.Problems = []Problem{{Category: "tax", Outcome: Solved}, {Text: "  "}, {Text: " 招工难，缺普工 ", Category: "labour.recruit", Outcome: Raised}, {}}
		}, check: func(t *testing.T, v Visit) {
			if len(v.Problems) != 1 || v.Problems[0].Text != "招工难，缺普工" {
				t.Errorf("problems %+v", v.Problems)
			}
		}},
		{name: "rows keyed after the empty ones", change: func(v *Visit) {
			v.Problems = []Problem{{}, {Text: "招工难，缺普工", Outcome: Raised}}
		}, fields: []string{"problems.0.category"}},
		{name: "text too short", change: problem(Problem{Text: "招工难", Category: "labour", Outcome: Raised}), fields: []string{"problems.0.text"}},
		{name: "text of 5", change: problem(Problem{Text: "招工难问题", Category: "labour", Outcome: Raised})},
		{name: "text too long", change: problem(Problem{Text: long, Category: "labour", Outcome: Raised}), fields: []string{"problems.0.text"}},
		{name: "action alone is a row", change: problem(Problem{Action: "已协调", Category: "labour", Outcome: Solved}), fields: []string{"problems.0.text"}},
		{name: "no category", change: problem(Problem{Text: "招工难，缺普工", Category: " ", Outcome: Raised}), fields: []string{"problems.0.category"}},
		{name: "solved without action", change: problem(Problem{Text: "招工难，缺普工", Category: "labour", Outcome: Solved, Action: " 好 "}),
			fields: []string{"problems.0.action"}},
		{name: "solved action too long", change: problem(Problem{Text: "招工难，缺普工", Category: "labour", Outcome: Solved, Action: long}),
			fields: []string{"problems.0.action"}},
		{name: "common without topic", change: problem(Problem{Text: "园区道路夜间无路灯", Category: "infrastructure", Outcome: Common}),
			fields: []string{"problems.0.topic_title"}},
		{name: "common title too short", change: problem(Problem{Text: "园区道路夜间无路灯", Category: "infrastructure", Outcome: Common, TopicTitle: "路灯"}),
			fields: []string{"problems.0.topic_title"}},
		{name: "common title too long", change: problem(Problem{Text: "园区道路夜间无路灯", Category: "infrastructure", Outcome: Common, TopicTitle: strings.Repeat("灯", 61)}),
			fields: []string{"problems.0.topic_title"}},
		{name: "common joins a topic", change: problem(Problem{Text: "园区道路夜间无路灯", Category: "infrastructure", Outcome: Common, TopicID: 4})},
		{name: "no outcome", change: problem(Problem{Text: "招工难，缺普工", Category: "labour"}), fields: []string{"problems.0.outcome"}},
		{name: "unknown outcome", change: problem(Problem{Text: "招工难，缺普工", Category: "labour", Outcome: "ignored"}), fields: []string{"problems.0.outcome"}},
		{name: "a topic only under a common problem", change: problem(Problem{Text: "招工难，缺普工", Category: "labour", Outcome: Solved,
			Action: "推荐到人力市场", TopicID: 4, TopicTitle: "园区缺工"}), check: func(t *testing.T, v Visit) {
			if p := v.Problems[0]; p.TopicID != 0 || p.TopicTitle != "" {
				t.Errorf("a solved problem keeps a topic: %+v", p)
			}
		}},
		{name: "too many problems", change: func(v *Visit) {
			for range MaxProblems + 1 {
				v.Problems = append(v.Problems, Problem{Text: "招工难，缺普工", Category: "labour", Outcome: Raised})
			}
		}, fields: []string{"problems"}},
		{name: "several fields at once", change: func(v *Visit) {
			v.Kind, v.On, v.Visitors = "", "2026-03-09", nil
			v.Problems = []Problem{{Text: "招工难，缺普工", Category: "labour", Outcome: Raised}, {Text: "短", Outcome: Solved}}
		}, fields: []string{"kind", "on", "problems.1.action", "problems.1.category", "problems.1.text", "visitors"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := base()
			c.change(&v)
			err := v.Check(today)
			if got := fieldsOf(err); !slices.Equal(got, c.fields) {
				t.Fatalf("refused %v (%v); want %v", got, err, c.fields)
			}
			if c.fields != nil && !fault.Is(err, fault.Invalid) {
				t.Fatalf("error %v is not invalid input", err)
			}
			if c.fields == nil && c.check != nil {
				c.check(t, v)
			}
		})
	}
}

// TestCheckUnits: a lone recorder is one unit.
func TestCheckUnits(t *testing.T) {
	v := base()
	if err := v.Check(today); err != nil || v.Units != 1 || v.On != today {
		t.Fatalf("units %d on %s: %v", v.Units, v.On, err)
	}
}

func TestDueAfter(t *testing.T) {
	last := time.Date(2026, 3, 2, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, c := range []struct {
		level enterprise.KeyLevel
		want  string
	}{
		{enterprise.KeyCity, "2026-03-30"},     // 4 weeks
		{enterprise.KeyDistrict, "2026-04-27"}, // 8 weeks
		{enterprise.KeyNone, "2026-06-01"},     // 13 weeks
		{"provincial", "2026-06-01"},           // unknown: as an ordinary enterprise
	} {
		if got := DueAfter(c.level, last).Format("2006-01-02"); got != c.want {
			t.Errorf("DueAfter(%q) = %s, want %s", c.level, got, c.want)
		}
	}
	if Plan[enterprise.KeyCity] >= Plan[enterprise.KeyDistrict] || Plan[enterprise.KeyDistrict] >= Plan[enterprise.KeyNone] {
		t.Errorf("the plan visits key enterprises more often: %v", Plan)
	}
}
