package form

import "testing"

// TestCounts tallies three enterprises' answers: options counted in their
// order (a multiple choice counts each option chosen), a yes/no, a number's
// sum and spread, and a question hidden by its condition left out.
func TestCounts(t *testing.T) {
	def := Definition{Zh: "用工调查", Sections: []Section{{Questions: []Question{
		{Key: "short", Type: YesNo, Zh: "是否缺工"},
		{Key: "need", Type: Number, Zh: "缺工人数", When: &Condition{Key: "short", Equals: "yes"}},
		{Key: "kinds", Type: Multi, Zh: "缺哪些工种", Options: []Option{{Value: "op", Zh: "普工"}, {Value: "weld", Zh: "焊工"}}},
		{Key: "note", Type: Text, Zh: "备注"},
	}}}}
	one := func(v ...string) Answer { return Answer{Values: v} }
	all := []Answers{
		{"short": one("yes"), "need": one("20"), "kinds": one("op", "weld")},
		{"short": one("yes"), "need": one("5"), "kinds": one("op")},
		{"short": one("no"), "need": one("99"), "note": one("无")},
	}
	got := Counts(def, all)
	if len(got) != 3 {
		t.Fatalf("%d tallies; want short, need, kinds", len(got))
	}
	if s := got[0]; s.Answered != 3 || s.Options[0].Count != 2 || s.Options[1].Count != 1 {
		t.Errorf("yes/no: %+v", s)
	}
	if n := got[1]; n.Count != 2 || n.Sum != 25 || n.Min != 5 || n.Max != 20 || n.Mean() != 12.5 {
		t.Errorf("number (the third enterprise's hidden answer left out): %+v", n)
	}
	if k := got[2]; k.Answered != 2 || k.Options[0].Count != 2 || k.Options[1].Count != 1 || k.Share(k.Options[1]) != 50 {
		t.Errorf("multiple choice: %+v", k)
	}
}
