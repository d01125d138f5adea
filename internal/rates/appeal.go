package rates

import "time"

// StepKind is the kind of a timed step of an appeal.
type StepKind string

// The kinds of step, in the order an appeal meets them.
const (
	StepAccept StepKind = "accept" // the community accepts the appeal (受理)
	StepTriage StepKind = "triage" // the community decides: solve, ask, merge or dispatch (吹哨)
	StepSign   StepKind = "sign"   // a department signs for a dispatch (签收), or returns it (退单)
	StepHandle StepKind = "handle" // the lead department handles the appeal until its reply (办理)
	StepAssist StepKind = "assist" // an assisting department answers the lead (协办)
	StepRate   StepKind = "rate"   // the enterprise rates the answer (评价); counts in no figure
)

// Step is one timed step of an appeal taken by one party.
type Step struct {
	AppealID     int64
	Kind         StepKind
	DepartmentID int64 // the department of a sign, handle or assist step; 0 otherwise
	HandlerID    int64 // the user who took or owns the step (a cadre or staff); 0 if none
	Started      time.Time
	Due          time.Time // the time limit; zero if the step has none
	Done         time.Time // zero while the step is open
	// WorkingTime is the working time from Started to Done (or to the end of
	// the period while open), computed by the caller on the working-day
	// calendar.
	WorkingTime time.Duration
	// Returned marks a sign step whose department returned the dispatch
	// (退单) instead of signing for it; its Done is the time of the return.
	Returned bool
}

// Result is the outcome stated in the final reply to the enterprise.
type Result string

// The results; the empty Result means no reply yet.
const (
	ResultSolved     Result = "solved"     // 已解决
	ResultExplained  Result = "explained"  // 已解释说明
	ResultUnsolvable Result = "unsolvable" // 暂不能解决
)

// Rating is the enterprise's rating of the final reply.
type Rating string

// The ratings; the empty Rating means not rated yet.
const (
	RatingSatisfied   Rating = "satisfied"   // 满意
	RatingBasic       Rating = "basic"       // 基本满意
	RatingUnsatisfied Rating = "unsatisfied" // 不满意
	RatingNotRated    Rating = "not_rated"   // the enterprise declined or let the time pass (未评价)
)

// Appeal is what the figures need of one appeal (诉求).
type Appeal struct {
	ID        int64
	Received  time.Time
	Grid      string // region code of the appeal's grid
	Community string // region code of its community
	Street    string // region code of its street or town
	District  string // region code of its district or county

	LeadDepartment int64     // the lead department (主办); 0 if never dispatched
	Result         Result    // of the final reply; "" if no reply yet
	Replied        time.Time // the final reply to the enterprise; zero if none
	Rating         Rating    // of the final reply; "" if not rated yet
	Redone         bool      // reopened for redo (重办) at least once
	Steps          []Step
}
