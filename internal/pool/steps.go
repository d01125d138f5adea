package pool

import "time"

// The way from a need to the first worker on site, each step a to-do with a
// time limit in calendar hours (the promise is to a shipping date, not to an
// office): its clock starts when the step before it is done.

// Step is one step of a loan.
type Step struct {
	Code   string
	Within time.Duration
	Who    string // who acts: "community", "lender", "worker", "both", "borrower"
	Zh, En string
}

// Steps are the steps in order.
var Steps = []Step{
	{"propose", 24 * time.Hour, "community", "社区提出匹配建议", "the community proposes a lender"},
	{"choose", 24 * time.Hour, "lender", "出借企业选定员工", "the lender chooses its workers"},
	{"consent", 24 * time.Hour, "worker", "员工本人确认同意", "each worker consents"},
	{"seal", 24 * time.Hour, "both", "双方企业盖章", "both enterprises seal the agreement"},
	{"training", 48 * time.Hour, "borrower", "借入企业岗前培训", "the borrower trains the workers"},
	{"start", 24 * time.Hour, "borrower", "员工到岗", "the workers start on site"},
}

// StepOf returns the step of code.
func StepOf(code string) Step {
	for _, s := range Steps {
		if s.Code == code {
			return s
		}
	}
	return Step{Code: code}
}

// Colour is a step's deadline colour at now: red when past, yellow in its
// last quarter, green before.
func Colour(started time.Time, within time.Duration, now time.Time) string {
	due := started.Add(within)
	switch {
	case !now.Before(due):
		return "red"
	case due.Sub(now) <= within/4:
		return "yellow"
	}
	return "green"
}

// Loan (match) states.
const (
	MatchProposed  = "proposed" // the community proposed the lender; it chooses workers
	MatchChosen    = "chosen"   // workers chosen: consent, seals, training follow
	MatchActive    = "active"   // at least one worker on site
	MatchEnded     = "ended"    // every worker returned
	MatchDeclined  = "declined" // the lender declined the proposal
	MatchCancelled = "cancelled"
)

// Placement (one worker on a loan) states.
const (
	PlaceChosen    = "chosen"    // chosen by the lender; the worker's consent awaited
	PlaceConsented = "consented" // consented: seals, training, cover, then start
	PlaceDeclined  = "declined"  // the worker said no
	PlaceOnSite    = "on_site"   // at the borrower's
	PlaceReturned  = "returned"  // back with the lender at the end
	PlaceEarly     = "early"     // returned early, with a reason
	PlaceWithdrawn = "withdrawn" // the worker withdrew consent
)

// Live reports whether a placement still holds its worker and its slot.
func Live(state string) bool {
	return state == PlaceChosen || state == PlaceConsented || state == PlaceOnSite
}
