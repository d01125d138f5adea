package appeal

import "time"

// Step is a timed step of an appeal: each has a deadline on the working-day
// calendar and a colour on every list.
type Step string

// The steps.
const (
	StepAccept Step = "accept" // the community accepts (受理)
	StepTriage Step = "triage" // the community solves, asks or dispatches (研判)
	StepSign   Step = "sign"   // a dispatched department signs for it (签收)
	StepHandle Step = "handle" // the lead department handles and replies (办理)
	StepAssist Step = "assist" // an assisting department answers the lead (协办答复)
	StepRate   Step = "rate"   // the enterprise rates the reply (评价)
	StepJoint  Step = "joint"  // a department named in joint handling does its part (组团破难)
)

// Steps lists the steps in lifecycle order.
var Steps = []Step{StepAccept, StepTriage, StepSign, StepHandle, StepAssist, StepRate, StepJoint}

// Span is a time limit in working hours or working days.
type Span struct {
	N    int  `json:"n"`
	Days bool `json:"days"` // working days; otherwise working hours
}

// Hours and Days build spans.
func Hours(n int) Span { return Span{N: n} }

// Days builds a span of n working days.
func Days(n int) Span { return Span{N: n, Days: true} }

// Duration is the span as working time, a working day being dayLength.
func (s Span) Duration(dayLength time.Duration) time.Duration {
	if s.Days {
		return time.Duration(s.N) * dayLength
	}
	return time.Duration(s.N) * time.Hour
}

// Limits are the time limits of each step of one appeal.
type Limits map[Step]Span

// LimitRule sets the limit of one step for the appeals it matches; an empty
// Category, Type or Urgency matches any. Administrators keep these rules;
// the most specific matching rule wins.
type LimitRule struct {
	Category string  `json:"category,omitempty"`
	Type     Type    `json:"type,omitempty"`
	Urgency  Urgency `json:"urgency,omitempty"`
	Step     Step    `json:"step"`
	Span     Span    `json:"span"`
}

// DefaultRules are the limits qifu ships: by urgency for the first steps,
// by type and urgency for handling.
var DefaultRules = []LimitRule{
	{Step: StepAccept, Span: Hours(4)},
	{Urgency: Urgent, Step: StepAccept, Span: Hours(2)},
	{Urgency: Critical, Step: StepAccept, Span: Hours(1)},
	{Step: StepTriage, Span: Days(1)},
	{Urgency: Urgent, Step: StepTriage, Span: Hours(4)},
	{Urgency: Critical, Step: StepTriage, Span: Hours(2)},
	{Step: StepSign, Span: Days(1)},
	{Urgency: Urgent, Step: StepSign, Span: Hours(4)},
	{Urgency: Critical, Step: StepSign, Span: Hours(1)},
	{Step: StepHandle, Span: Days(5)},
	{Type: TypeConsultation, Step: StepHandle, Span: Days(3)},
	{Type: TypePraise, Step: StepHandle, Span: Days(3)},
	{Type: TypeComplaint, Step: StepHandle, Span: Days(10)},
	{Type: TypeReport, Step: StepHandle, Span: Days(10)},
	{Type: TypeSuggestion, Step: StepHandle, Span: Days(10)},
	{Urgency: Urgent, Step: StepHandle, Span: Days(2)},
	{Urgency: Critical, Step: StepHandle, Span: Days(1)},
	{Step: StepAssist, Span: Days(3)},
	{Urgency: Urgent, Step: StepAssist, Span: Days(1)},
	{Urgency: Critical, Step: StepAssist, Span: Hours(4)},
	{Step: StepRate, Span: Days(5)},
	{Step: StepJoint, Span: Days(3)},
}

// score ranks how well r fits an appeal, 0 when it does not match: an
// exact category counts most, a parent category less, then the type, then
// the urgency.
func (r LimitRule) score(category string, t Type, u Urgency) int {
	n := 1
	switch {
	case r.Category == "":
	case r.Category == category:
		n += 8
	case isParent(r.Category, category):
		n += 4
	default:
		return 0
	}
	switch {
	case r.Type == "":
	case r.Type == t:
		n += 2
	default:
		return 0
	}
	switch {
	case r.Urgency == "":
	case r.Urgency == u:
		n++
	default:
		return 0
	}
	return n
}

// LimitsFor returns the limits of an appeal of category, type and urgency:
// for each step the best-fitting of the administrators' rules, or, when none
// of theirs matches the step, the best-fitting of DefaultRules. A rule for a
// parent category ("labour") applies to its children ("labour.dispute").
func LimitsFor(rules []LimitRule, category string, t Type, u Urgency) Limits {
	out := Limits{}
	for _, set := range [][]LimitRule{rules, DefaultRules} {
		best := map[Step]int{}
		for _, r := range set {
			if _, done := out[r.Step]; done && best[r.Step] == 0 {
				continue // the administrators' rules already set this step
			}
			if s := r.score(category, t, u); s > best[r.Step] {
				best[r.Step] = s
				out[r.Step] = r.Span
			}
		}
	}
	return out
}

// isParent reports whether parent is an ancestor code of code ("labour" of "labour.dispute").
func isParent(parent, code string) bool {
	return len(code) > len(parent) && code[:len(parent)] == parent && code[len(parent)] == '.'
}

// Warn is the share of a limit after which a step turns yellow.
const Warn = 0.8

// Colour is the traffic light of an open step.
type Colour string

// The colours.
const (
	Green  Colour = "green"
	Yellow Colour = "yellow"
	Red    Colour = "red"
)

// ColourOf returns the colour of a step that has used the given fraction of its limit.
func ColourOf(used float64) Colour {
	switch {
	case used >= 1:
		return Red
	case used >= Warn:
		return Yellow
	}
	return Green
}
