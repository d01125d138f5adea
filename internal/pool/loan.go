package pool

import (
	"time"

	"qifu/internal/fault"
)

// Loan is a loan (a match): a lender proposed for a need, the workers it chose, the
// agreement both sealed, the training, and each worker's placement.
type Loan struct {
	ID         int64       `json:"id"`
	NeedID     int64       `json:"need_id"`
	LenderID   int64       `json:"lender_id"`
	Lender     string      `json:"lender"`
	BorrowerID int64       `json:"borrower_id"`
	Borrower   string      `json:"borrower"`
	Heads      int         `json:"heads"` // slots reserved on the need
	State      string      `json:"state"`
	Reasons    []fault.Msg `json:"reasons"` // why the matcher proposed this lender
	ProposedAt time.Time   `json:"proposed_at"`
	ProposedBy int64       `json:"proposed_by"` // the staff member who proposed it
	ChosenAt   time.Time   `json:"chosen_at,omitzero"`
	// LenderSeal and BorrowerSeal are how each sealed: "scan" (an uploaded
	// sealed scan) or "eseal" (an e-seal's reference); "" not yet.
	LenderSeal       string      `json:"lender_seal"`
	LenderSealedAt   time.Time   `json:"lender_sealed_at,omitzero"`
	BorrowerSeal     string      `json:"borrower_seal"`
	BorrowerSealedAt time.Time   `json:"borrower_sealed_at,omitzero"`
	Compensation     string      `json:"compensation"` // what the two agreed on injury compensation
	TrainedAt        time.Time   `json:"trained_at,omitzero"`
	TrainingNote     string      `json:"training_note"`
	FirstOnSite      time.Time   `json:"first_on_site,omitzero"`
	EndedAt          time.Time   `json:"ended_at,omitzero"`
	EndReason        string      `json:"end_reason"`
	Need             Need        `json:"need"`
	Placements       []Placement `json:"placements"`
	Version          int         `json:"version"`
	// Step is the step the loan waits on, with its deadline and colour
	// ("" when it waits on none).
	Step    string    `json:"step"`
	StepDue time.Time `json:"step_due,omitzero"`
	Colour  string    `json:"colour"`
}

// Placement is one worker on a loan.
type Placement struct {
	ID          int64     `json:"id"`
	MatchID     int64     `json:"match_id"`
	WorkerID    int64     `json:"worker_id"`
	Worker      string    `json:"worker"`
	Phone       string    `json:"phone"` // masked but for the lender and, once consented, the borrower
	State       string    `json:"state"`
	From        string    `json:"from"`
	To          string    `json:"to"`
	ChosenAt    time.Time `json:"chosen_at"`
	ConsentedAt time.Time `json:"consented_at,omitzero"`
	AnsweredAt  time.Time `json:"answered_at,omitzero"` // consent given, declined or withdrawn
	CoverRef    string    `json:"cover_ref"`
	CoverUntil  string    `json:"cover_until"`
	// ExtTo is a new last day the enterprises agreed, awaiting the worker's consent.
	ExtTo     string    `json:"ext_to,omitempty"`
	StartedAt time.Time `json:"started_at,omitzero"`
	EndedAt   time.Time `json:"ended_at,omitzero"`
	EndReason string    `json:"end_reason"`
	EndedBy   string    `json:"ended_by"` // lender, borrower, worker, community, rule
	Days      int       `json:"days"`     // days worked, from attendance
	Rating    int       `json:"rating"`   // the worker's, 1–5; 0 not yet
	Version   int       `json:"version"`
}

// MayCompensate reports whether a party ("lender" or "borrower") may still
// set what the two agree on injury compensation: it is part of the
// agreement, so not once a worker consented to it or the other party sealed it.
func MayCompensate(m Loan, party string) bool {
	other := m.BorrowerSeal
	if party == "borrower" {
		other = m.LenderSeal
	}
	if other != "" {
		return false
	}
	for _, p := range m.Placements {
		if !p.ConsentedAt.IsZero() {
			return false
		}
	}
	return true
}

// Sealed reports whether both enterprises sealed.
func (m Loan) Sealed() bool { return m.LenderSeal != "" && m.BorrowerSeal != "" }

// Waiting works out the step a loan waits on at now: its code, when its
// clock started (the previous step done) and its deadline.
func (m Loan) Waiting() (step string, since, due time.Time) {
	at := func(code string, t time.Time) (string, time.Time, time.Time) {
		return code, t, t.Add(StepOf(code).Within)
	}
	if m.State == MatchProposed {
		return at("choose", m.ProposedAt)
	}
	if m.State != MatchChosen && m.State != MatchActive {
		return "", time.Time{}, time.Time{}
	}
	done := m.ChosenAt
	awaiting, consented := false, false
	for _, p := range m.Placements {
		switch p.State {
		case PlaceChosen:
			awaiting = true
		case PlaceConsented:
			consented = true
		}
		if p.AnsweredAt.After(done) {
			done = p.AnsweredAt
		}
	}
	switch {
	case awaiting:
		return at("consent", m.ChosenAt)
	case !consented:
		return "", time.Time{}, time.Time{} // nobody left to start
	case !m.Sealed():
		return at("seal", done)
	}
	done = later(done, m.LenderSealedAt, m.BorrowerSealedAt)
	if m.TrainedAt.IsZero() {
		return at("training", done)
	}
	return at("start", later(done, m.TrainedAt))
}

func later(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// Hours is the hours from a need's posting to its first worker on site, -1
// when nobody is on site yet.
func Hours(n Need) float64 {
	if n.FirstOnSite.IsZero() {
		return -1
	}
	return n.FirstOnSite.Sub(n.PostedAt).Hours()
}
