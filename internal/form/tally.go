package form

import (
	"strconv"
)

// Tally is what the answers of many enterprises say of each question that
// can be counted: how many chose each option (choice, multiple choice,
// yes/no) or the sum and spread of a number (number, fact of a number
// kind), for the chart of a campaign's results.
type Tally struct {
	Question Question
	Answered int           // enterprises that answered it
	Options  []OptionCount // choice, multi, yes/no: in the options' order
	// Number's figures over the answers that are numbers.
	Count         int
	Sum, Min, Max float64
}

// OptionCount is how many enterprises chose an option.
type OptionCount struct {
	Option Option
	Count  int
}

// Mean is a number question's average, 0 with no answer.
func (t Tally) Mean() float64 {
	if t.Count == 0 {
		return 0
	}
	return t.Sum / float64(t.Count)
}

// Share is an option's share of the answers to its question, in percent.
func (t Tally) Share(c OptionCount) float64 {
	if t.Answered == 0 {
		return 0
	}
	return float64(c.Count) * 100 / float64(t.Answered)
}

// yesNo are the options of a yes/no question.
var yesNo = []Option{{Value: "yes", Zh: "是", En: "Yes"}, {Value: "no", Zh: "否", En: "No"}}

// Counts tallies the submitted answers of many enterprises to def: one
// Tally per question that can be counted, in the form's order. A question
// hidden by its condition for an enterprise is not counted for it.
func Counts(def Definition, all []Answers) []Tally {
	var out []Tally
	for _, q := range def.Questions() {
		t := Tally{Question: q}
		switch q.Type {
		case Choice, Multi:
			for _, o := range q.Options {
				t.Options = append(t.Options, OptionCount{Option: o})
			}
		case YesNo:
			for _, o := range yesNo {
				t.Options = append(t.Options, OptionCount{Option: o})
			}
		case Number, Fact:
		default:
			continue
		}
		for _, answers := range all {
			if !Visible(q, answers) {
				continue
			}
			a, ok := answers[q.Key]
			if !ok || len(a.Values) == 0 {
				continue
			}
			counted := false
			for _, v := range a.Values {
				for i := range t.Options {
					if t.Options[i].Option.Value == v {
						t.Options[i].Count++
						counted = true
					}
				}
				if t.Options == nil {
					n, err := strconv.ParseFloat(v, 64)
					if err != nil {
						continue
					}
					if t.Count == 0 || n < t.Min {
						t.Min = n
					}
					if t.Count == 0 || n > t.Max {
						t.Max = n
					}
					t.Count++
					t.Sum += n
					counted = true
				}
			}
			if counted {
				t.Answered++
			}
		}
		if t.Options == nil && t.Count == 0 && q.Type == Fact {
			continue // a fact of a text kind, or unanswered: nothing to chart
		}
		out = append(out, t)
	}
	return out
}
