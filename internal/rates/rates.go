// Package rates computes the assessment figures (考核评价) of the appeal
// workflow — 企业呼叫、社区吹哨、部门报到、评价: the three rates (三率:
// 响应率, 解决率, 满意率), the on-time, return and redo rates, the overdue
// count and the mean handling time, per department, region or handler, for
// one period. It is plain Go over plain facts; the store supplies them.
//
// # The period
//
// A period P = [From, To) is half-open: a time t is in P when From ≤ t < To.
// The zero time is in no period. Every fact counts in exactly one period, so
// the counts of consecutive periods add up:
//
//   - A step counts in the period of its Due: it "came due in P" when its Due
//     is in P, done or not. A step without a Due never comes due.
//   - A sign step is also a dispatch (派单) in the period of its Started.
//   - A handle step is also handled (办结) in the period of its Done.
//   - An appeal's reply, result, rating and redo count in the period of its
//     Replied, whenever the rating was given.
//
// A step is "done by Due" when it is done and Done ≤ Due; otherwise it is
// "late", which includes a step that came due in P and is still open at To.
// The step figures of a period are settled at To; the reply figures still
// change as late ratings arrive, or when a redo moves the final reply. For a
// period still running pass To = now: a step then counts once it has come
// due. Each of these is a fact with one time, and every count of a Row is a
// number of facts (or a sum over them), so the counts of two consecutive
// periods add up to those of the whole (Counts). Steps of kind rate (the enterprise's) and of unknown kinds count in no
// figure; the enterprise's rating is Appeal.Rating.
//
// # Attribution
//
// Each dimension gives every step and every appeal at most one key; what has
// no key is in no row of that dimension.
//
//   - department: a step by its DepartmentID (so accept and triage steps, which
//     have none, are in no department's row); an appeal's reply, result,
//     rating and redo by its LeadDepartment (0, when the community answered
//     itself: in no department's row).
//   - community, grid, street, district: steps and appeal alike by the
//     appeal's region code at that level, so a region's row covers everything
//     done for the appeals raised in it, by whichever department.
//   - handler: a step by its HandlerID (0, nobody has taken it: in no
//     handler's row); an appeal by the handler who wrote its final reply: the
//     HandlerID of its last handle step (latest Started) that has one, or, if
//     none has (the community answered itself), of its last triage step that
//     has one.
package rates

import (
	"time"

	"qifu/internal/fault"
)

// Dimension is what the figures are grouped by.
type Dimension string

// The dimensions.
const (
	Department Dimension = "department" // Row.Key is the department id in decimal
	Community  Dimension = "community"  // Row.Key is the community's region code
	Grid       Dimension = "grid"       // Row.Key is the grid's region code
	Street     Dimension = "street"     // Row.Key is the street's region code
	District   Dimension = "district"   // Row.Key is the district's region code
	Handler    Dimension = "handler"    // Row.Key is the handler's user id in decimal
)

// Check returns an Invalid error for an unknown dimension.
func (d Dimension) Check() error {
	switch d {
	case Department, Community, Grid, Street, District, Handler:
		return nil
	}
	return errDimension(d)
}

// DefaultBasicWeight is the weight of 基本满意 in the satisfaction rate when
// Options.BasicWeight is nil.
const DefaultBasicWeight = 0.8

// Options choose the period and the weights of a computation.
type Options struct {
	From, To time.Time // the period, half-open: From ≤ t < To; From may be zero
	// BasicWeight is the weight w of 基本满意 in the satisfaction rate, in
	// [0, 1]; nil means DefaultBasicWeight. Write new(1.0) to count 基本满意
	// as 满意, new(0.0) to count it as not satisfied.
	BasicWeight *float64
}

// Row holds the figures of one key for the period. A rate whose denominator
// is 0 is reported as 0 (as is AvgHandlingHours); the denominator, always
// beside it, tells "nothing to count" from "none good".
type Row struct {
	Key string // the department or handler id in decimal, or the region code
	// Appeals is the number of appeals that came to this key in P: those
	// whose earliest fact in this row — a step of the key coming due, a sign
	// step of the key starting, a handle step of the key done, or a reply
	// attributed to the key — is in P. An appeal is counted in the period it
	// first reached the key (for a department, usually its dispatch), so
	// Appeals adds up over consecutive periods like every other count, and
	// a row may show work on appeals counted in an earlier period.
	Appeals int

	// 响应率 ResponseRate = ResponseInTime ÷ ResponseDue, where ResponseDue =
	// accept and sign steps that came due in P, done or not, and
	// ResponseInTime = those done by Due. A sign step returned (退单) by its
	// Due counts as responded in time: a return with a reason is a response,
	// and its cost shows in ReturnRate.
	ResponseDue, ResponseInTime int
	ResponseRate                float64

	// 解决率 ResolutionRate = Resolved ÷ Replied, where Replied = appeals
	// replied in P and Resolved = those whose Result is solved.
	Resolved, Replied int
	ResolutionRate    float64

	// 满意率 SatisfactionRate = (Satisfied + w × Basic) ÷ Rated, where Rated =
	// Satisfied + Basic + Unsatisfied, counting the ratings of appeals replied
	// in P, and w = Options.BasicWeight. Appeals not rated are in neither the
	// numerator nor the denominator, and are reported as NotRated; appeals
	// with no rating yet are in none of the four.
	Satisfied, Basic, Unsatisfied, NotRated, Rated int
	SatisfactionRate                               float64

	// 首次满意率 FirstSatisfactionRate = (FirstSatisfied + w × FirstBasic) ÷
	// Rated: the same appeals by the rating they were given first. A redone
	// appeal was first rated 不满意 (a redo follows only that), whatever its
	// final rating; the others' first rating is their final one. Satisfaction
	// counts an appeal redone until the enterprise was content as content;
	// this counts it as the discontent it first was.
	FirstSatisfied, FirstBasic, FirstUnsatisfied int
	FirstSatisfactionRate                        float64

	// 按时办结率 OnTimeRate = OnTimeReplies ÷ Handled, where Handled = handle
	// steps done in P and OnTimeReplies = those done by Due (or without a Due).
	OnTimeReplies, Handled int
	OnTimeRate             float64

	// 退单率 ReturnRate = Returns ÷ Dispatches, where Dispatches = sign steps
	// started in P and Returns = those returned.
	Dispatches, Returns int
	ReturnRate          float64

	// 重办率 RedoRate = Redone ÷ Rated, where Redone = the rated appeals
	// replied in P that were reopened for redo at least once.
	Redone   int
	RedoRate float64

	// 超期数 Overdue = steps of kind accept, triage, sign, handle or assist
	// that came due in P and were done after their Due or are still open.
	Overdue int

	// 平均办理时长 AvgHandlingHours = Σ WorkingTime of the handle steps done
	// in P ÷ Handled, in working hours.
	AvgHandlingHours float64
}

// Compute returns the figures of appeals for the period of opt, one row per
// key of dim that has anything counted, sorted by Key (ids in numeric order,
// region codes in code order). It fails with an Invalid error for an unknown
// dimension, a period whose To is not after its From, or a BasicWeight
// outside [0, 1].
func Compute(appeals []Appeal, dim Dimension, opt Options) ([]Row, error) {
	if !opt.From.Before(opt.To) {
		return nil, fault.New(fault.Invalid, "rates_period",
			"统计期的结束时间须晚于开始时间", "the period must end after it starts")
	}
	w, err := weight(opt.BasicWeight)
	if err != nil {
		return nil, err
	}
	counts := map[string]*Counts{}
	if err := Tally(counts, appeals, dim, opt.From, opt.To); err != nil {
		return nil, err
	}
	return rows(counts, w), nil
}

// Tally adds to counts, by key of dim, the facts of appeals in the period
// [from, to): the part of Compute that adds up, for callers that add
// counts of several sources before they make rows of them (RowsOf).
func Tally(counts map[string]*Counts, appeals []Appeal, dim Dimension, from, to time.Time) error {
	p := period{from: from, to: to}
	switch dim {
	case Department:
		tally(counts, appeals, p, stepDepartment, leadDepartment, formatID)
	case Handler:
		tally(counts, appeals, p, stepHandler, replyHandler, formatID)
	case Community, Grid, Street, District:
		code := regionCode(dim)
		step := func(a *Appeal, _ *Step) (string, bool) { return code(a) }
		tally(counts, appeals, p, step, code, func(s string) string { return s })
	default:
		return errDimension(dim)
	}
	return nil
}

// Facts calls add for every fact of a counted in a row of dim: the row's
// key, the fact's time, and what it adds to the row's counts. Adding up the
// facts of a period gives what Tally gives.
func Facts(a *Appeal, dim Dimension, add func(key string, at time.Time, c Counts)) error {
	switch dim {
	case Department, Handler:
		step, reply := stepDepartment, leadDepartment
		if dim == Handler {
			step, reply = stepHandler, replyHandler
		}
		for _, f := range appendFacts(nil, a, step, reply) {
			add(formatID(f.key), f.at, f.counts())
		}
	case Community, Grid, Street, District:
		if code, ok := regionCode(dim)(a); ok {
			RegionFacts(a, func(at time.Time, c Counts) { add(code, at, c) })
		}
	default:
		return errDimension(dim)
	}
	return nil
}

// RegionFacts calls add for every fact of a counted in the rows of its
// regions: every region dimension counts all of an appeal's facts in the row
// of the appeal's own region, so they are the same at every level.
func RegionFacts(a *Appeal, add func(at time.Time, c Counts)) {
	self := func(*Appeal) (bool, bool) { return true, true }
	for _, f := range appendFacts(nil, a, func(*Appeal, *Step) (bool, bool) { return true, true }, self) {
		add(f.at, f.counts())
	}
}

// RowsOf returns the rows of counts, as Compute does, with the weight of
// 基本满意 given as in Options.
func RowsOf(counts map[string]*Counts, basicWeight *float64) ([]Row, error) {
	w, err := weight(basicWeight)
	if err != nil {
		return nil, err
	}
	return rows(counts, w), nil
}

// weight checks the weight of 基本满意, nil for the default.
func weight(basic *float64) (float64, error) {
	if basic == nil {
		return DefaultBasicWeight, nil
	}
	if w := *basic; w >= 0 && w <= 1 { // also refuses NaN
		return w, nil
	}
	return 0, fault.New(fault.Invalid, "rates_basic_weight",
		"基本满意的权重须在 0 到 1 之间", "the weight of \"basically satisfied\" must be between 0 and 1")
}

func errDimension(dim Dimension) error {
	return fault.New(fault.Invalid, "rates_dimension",
		"未知的统计维度："+string(dim), "unknown dimension: "+string(dim))
}
