package appeal

// What the enterprise sees of its appeal. It follows the appeal through the
// timeline's public lines (SeenByEnterprise), the reply and the clocks; what
// the administration writes to itself stays inside it: a dispatch's
// instruction, a return's reason, the assisting departments' answers to the
// lead (the enterprise has the lead's reply), requests for more time, and
// the names of the staff who acted. Of joint handling (组团破难) it sees
// what each named department reports it did: that is what it confirms.

// PartText is a text a department's part of an appeal carries.
type PartText int

// The texts of a part.
const (
	Instruction PartText = iota // the community's or leader's instruction to the department
	Reason                      // the department's reason for returning it
	Answer                      // the department's answer or report
)

// EnterpriseSees reports whether the enterprise sees the text t of a part
// with role role.
func EnterpriseSees(role Party, t PartText) bool {
	return t == Answer && role == PartyJoint
}

// EnterpriseSeesExtensions says whether the enterprise sees the requests for
// more time and their decisions: it does not; it sees the deadlines.
const EnterpriseSeesExtensions = false

// EnterpriseSeesStaffName reports whether the enterprise sees the name of
// the person who wrote a line of its timeline, by that person's role: its
// own people's, not the staff's.
func EnterpriseSeesStaffName(enterpriseUser bool) bool { return enterpriseUser }
