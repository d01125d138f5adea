package appeal

import "slices"

// DispatchStatus is where one department's part of an appeal stands.
type DispatchStatus string

// The statuses of a dispatch.
const (
	DispatchPending   DispatchStatus = "pending"    // waiting for the department to sign (签收) or report in (报到)
	DispatchSigned    DispatchStatus = "signed"     // signed for: the department is handling it
	DispatchAnswered  DispatchStatus = "answered"   // answered: the lead replied, or an assisting department answered the lead
	DispatchReturned  DispatchStatus = "returned"   // returned to the community (退单)
	DispatchWithdrawn DispatchStatus = "withdrawn"  // withdrawn when the lead returned the whole dispatch
	DispatchCheckedIn DispatchStatus = "checked_in" // joint handling: the department has reported in
	DispatchDone      DispatchStatus = "done"       // joint handling: the department's part is done
)

// Waiting lists the statuses of a part still to be done.
var Waiting = []DispatchStatus{DispatchPending, DispatchSigned, DispatchCheckedIn}

// ExtensionStatus is where a request for a later deadline stands.
type ExtensionStatus string

// The statuses of an extension request.
const (
	ExtensionPending  ExtensionStatus = "pending"  // waiting for the community's or a leader's decision
	ExtensionApproved ExtensionStatus = "approved" // the deadline moved
	ExtensionRefused  ExtensionStatus = "refused"  // the deadline stays
)

// Part is one department's part of an appeal, as the choice of its actions
// needs it.
type Part struct {
	Department int64
	Role       Party // lead, assist or joint
	Status     DispatchStatus
	Active     bool
}

// NeedsOf is the status a department's part must be in for it to take an
// action, for the actions taken on a department's own part.
var NeedsOf = map[Action]struct {
	Roles  []Party
	Status DispatchStatus
}{
	Sign:             {[]Party{PartyLead, PartyAssist}, DispatchPending},
	Return:           {[]Party{PartyLead, PartyAssist}, DispatchPending},
	AssistReply:      {[]Party{PartyAssist}, DispatchSigned},
	Reply:            {[]Party{PartyLead}, DispatchSigned},
	RequestExtension: {[]Party{PartyLead}, DispatchSigned},
	JointCheckIn:     {[]Party{PartyJoint}, DispatchPending},
	JointPart:        {[]Party{PartyJoint}, DispatchCheckedIn},
}

// Refine narrows the actions the lifecycle table allows an actor of
// department dept to those its own part allows now: a department signs or
// returns only a dispatch waiting for it, answers only one it has signed;
// an extension is decided only while one is pending, and asked for only
// while none is.
func Refine(actions []Action, dept int64, parts []Part, pendingExtension bool) []Action {
	mine := func(a Action) bool {
		need := NeedsOf[a]
		return slices.ContainsFunc(parts, func(p Part) bool {
			return p.Active && p.Department == dept && p.Status == need.Status && slices.Contains(need.Roles, p.Role)
		})
	}
	var out []Action
	for _, a := range actions {
		ok := true
		switch {
		case a == DecideExtension:
			ok = pendingExtension
		case a == RequestExtension:
			ok = mine(a) && !pendingExtension
		default:
			if _, own := NeedsOf[a]; own {
				ok = mine(a)
			}
		}
		if ok {
			out = append(out, a)
		}
	}
	return out
}
