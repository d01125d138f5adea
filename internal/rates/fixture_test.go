package rates

import "time"

// The fixture: ten appeals of March 2026 over two departments (7 and 12) and
// two communities (A and B, one street each, in one district), with two
// returns, a redo, a not-rated reply, an overdue open step, and steps and
// replies outside the period. Every time is at noon unless noted, so a step
// done on the day of its Due is done by Due.

var cst = time.FixedZone("CST", 8*3600)

// march is the period of the fixture, midnight to midnight.
var march = Options{
	From: time.Date(2026, 3, 1, 0, 0, 0, 0, cst),
	To:   time.Date(2026, 4, 1, 0, 0, 0, 0, cst),
}

func day(month time.Month, d int) time.Time { return time.Date(2026, month, d, 12, 0, 0, 0, cst) }

func mar(d int) time.Time { return day(3, d) }

const (
	deptA = 7  // 主办 of A1, A2, A6, A7, A10; assists on A3
	deptB = 12 // 主办 of A3, A5, A8, A9

	staffA = 101 // community A's staff
	staffB = 102 // community B's staff
	clerk1 = 201 // department 7
	clerk2 = 202 // department 7
	clerk3 = 301 // department 12

	commA, gridA1, gridA2, streetA = "330206001001", "330206001001001", "330206001001002", "330206001"
	commB, gridB1, streetB         = "330206002001", "330206002001001", "330206002"
	district                       = "330206"
)

func hours(h int) time.Duration { return time.Duration(h) * time.Hour }

func inA(a Appeal, grid string) Appeal {
	a.Community, a.Grid, a.Street, a.District = commA, grid, streetA, district
	return a
}

func inB(a Appeal) Appeal {
	a.Community, a.Grid, a.Street, a.District = commB, gridB1, streetB, district
	return a
}

func fixture() []Appeal {
	return []Appeal{
		// A1: everything in time; solved, satisfied.
		inA(Appeal{ID: 1, Received: mar(2), LeadDepartment: deptA,
			Result: ResultSolved, Replied: mar(9), Rating: RatingSatisfied,
			Steps: []Step{
				{Kind: StepAccept, HandlerID: staffA, Started: mar(2), Due: mar(3), Done: mar(2)},
				{Kind: StepTriage, HandlerID: staffA, Started: mar(2), Due: mar(4), Done: mar(3)},
				{Kind: StepSign, DepartmentID: deptA, HandlerID: clerk1, Started: mar(3), Due: mar(4), Done: mar(3)},
				{Kind: StepHandle, DepartmentID: deptA, HandlerID: clerk1, Started: mar(3), Due: mar(10), Done: mar(9), WorkingTime: hours(40)},
			}}, gridA1),
		// A2: accepted late; department 12 returns it in time; department 7
		// signs late, handles in time; explained, basic.
		inA(Appeal{ID: 2, Received: mar(5), LeadDepartment: deptA,
			Result: ResultExplained, Replied: mar(18), Rating: RatingBasic,
			Steps: []Step{
				{Kind: StepAccept, HandlerID: staffA, Started: mar(5), Due: mar(6), Done: mar(7)},
				{Kind: StepTriage, HandlerID: staffA, Started: mar(7), Due: mar(8), Done: mar(7)},
				{Kind: StepSign, DepartmentID: deptB, HandlerID: clerk3, Started: mar(7), Due: mar(8), Done: mar(8), Returned: true},
				{Kind: StepSign, DepartmentID: deptA, HandlerID: clerk2, Started: mar(8), Due: mar(9), Done: mar(10)},
				{Kind: StepHandle, DepartmentID: deptA, HandlerID: clerk2, Started: mar(10), Due: mar(20), Done: mar(18), WorkingTime: hours(48)},
			}}, gridA1),
		// A3: department 7 assists late; department 12 handles in time, is
		// rated unsatisfied, redoes it late; solved, basic.
		inA(Appeal{ID: 3, Received: mar(10), LeadDepartment: deptB,
			Result: ResultSolved, Replied: mar(25), Rating: RatingBasic, Redone: true,
			Steps: []Step{
				{Kind: StepAccept, HandlerID: staffA, Started: mar(10), Due: mar(11), Done: mar(10)},
				{Kind: StepTriage, HandlerID: staffA, Started: mar(10), Due: mar(12), Done: mar(11)},
				{Kind: StepSign, DepartmentID: deptB, HandlerID: clerk3, Started: mar(11), Due: mar(12), Done: mar(11)},
				{Kind: StepAssist, DepartmentID: deptA, HandlerID: clerk1, Started: mar(11), Due: mar(15), Done: mar(16)},
				{Kind: StepHandle, DepartmentID: deptB, HandlerID: clerk3, Started: mar(11), Due: mar(18), Done: mar(18), WorkingTime: hours(40)},
				{Kind: StepHandle, DepartmentID: deptB, HandlerID: clerk3, Started: mar(19), Due: mar(24), Done: mar(25), WorkingTime: hours(32)},
			}}, gridA2),
		// A4: the community answers itself (no department); solved, satisfied.
		inB(Appeal{ID: 4, Received: mar(12),
			Result: ResultSolved, Replied: mar(13), Rating: RatingSatisfied,
			Steps: []Step{
				{Kind: StepAccept, HandlerID: staffB, Started: mar(12), Due: mar(13), Done: mar(12)},
				{Kind: StepTriage, HandlerID: staffB, Started: mar(12), Due: mar(14), Done: mar(13)},
			}}),
		// A5: accepted at its Due exactly; unsolvable; the enterprise does not
		// rate, and its open, overdue rate step counts nowhere.
		inB(Appeal{ID: 5, Received: mar(15), LeadDepartment: deptB,
			Result: ResultUnsolvable, Replied: mar(26), Rating: RatingNotRated,
			Steps: []Step{
				{Kind: StepAccept, HandlerID: staffB, Started: mar(15), Due: mar(16), Done: mar(16)},
				{Kind: StepTriage, HandlerID: staffB, Started: mar(16), Due: mar(17), Done: mar(16)},
				{Kind: StepSign, DepartmentID: deptB, HandlerID: clerk3, Started: mar(16), Due: mar(17), Done: mar(17)},
				{Kind: StepHandle, DepartmentID: deptB, HandlerID: clerk3, Started: mar(17), Due: mar(27), Done: mar(26), WorkingTime: hours(56)},
				{Kind: StepRate, Started: mar(26), Due: mar(29)},
			}}),
		// A6: nobody at department 7 has signed: open and overdue at To.
		inB(Appeal{ID: 6, Received: mar(20), LeadDepartment: deptA,
			Steps: []Step{
				{Kind: StepAccept, HandlerID: staffB, Started: mar(20), Due: mar(21), Done: mar(20)},
				{Kind: StepTriage, HandlerID: staffB, Started: mar(20), Due: mar(22), Done: mar(21)},
				{Kind: StepSign, DepartmentID: deptA, Started: mar(21), Due: mar(22)},
			}}),
		// A7: received and signed in February; handled and replied in March;
		// solved, unsatisfied.
		inA(Appeal{ID: 7, Received: day(2, 20), LeadDepartment: deptA,
			Result: ResultSolved, Replied: mar(2), Rating: RatingUnsatisfied,
			Steps: []Step{
				{Kind: StepAccept, HandlerID: staffA, Started: day(2, 20), Due: day(2, 21), Done: day(2, 20)},
				{Kind: StepSign, DepartmentID: deptA, HandlerID: clerk1, Started: day(2, 21), Due: day(2, 22), Done: day(2, 21)},
				{Kind: StepHandle, DepartmentID: deptA, HandlerID: clerk1, Started: day(2, 21), Due: mar(3), Done: mar(2), WorkingTime: hours(24)},
			}}, gridA1),
		// A8: dispatched in March, sign due at To exactly (April's), handle
		// open and due in April.
		inB(Appeal{ID: 8, Received: mar(28), LeadDepartment: deptB,
			Steps: []Step{
				{Kind: StepAccept, HandlerID: staffB, Started: mar(28), Due: mar(29), Done: mar(28)},
				{Kind: StepTriage, HandlerID: staffB, Started: mar(28), Due: mar(30), Done: mar(29)},
				{Kind: StepSign, DepartmentID: deptB, HandlerID: clerk3, Started: mar(30), Due: march.To, Done: mar(31)},
				{Kind: StepHandle, DepartmentID: deptB, HandlerID: clerk3, Started: mar(31), Due: day(4, 10)},
			}}),
		// A9: department 7 returns it late; department 12 signs in time;
		// handle open, due in April.
		inA(Appeal{ID: 9, Received: mar(25), LeadDepartment: deptB,
			Steps: []Step{
				{Kind: StepAccept, HandlerID: staffA, Started: mar(25), Due: mar(26), Done: mar(25)},
				{Kind: StepTriage, HandlerID: staffA, Started: mar(25), Due: mar(27), Done: mar(26)},
				{Kind: StepSign, DepartmentID: deptA, HandlerID: clerk1, Started: mar(26), Due: mar(27), Done: mar(28), Returned: true},
				{Kind: StepSign, DepartmentID: deptB, HandlerID: clerk3, Started: mar(28), Due: mar(29), Done: mar(29)},
				{Kind: StepHandle, DepartmentID: deptB, HandlerID: clerk3, Started: mar(29), Due: day(4, 8)},
			}}, gridA2),
		// A10: accepted, triaged and signed in March; handled and replied in
		// April (solved, satisfied: April's).
		inB(Appeal{ID: 10, Received: mar(3), LeadDepartment: deptA,
			Result: ResultSolved, Replied: day(4, 1), Rating: RatingSatisfied,
			Steps: []Step{
				{Kind: StepAccept, HandlerID: staffB, Started: mar(3), Due: mar(4), Done: mar(3)},
				{Kind: StepTriage, HandlerID: staffB, Started: mar(3), Due: mar(5), Done: mar(4)},
				{Kind: StepSign, DepartmentID: deptA, HandlerID: clerk2, Started: mar(4), Due: mar(5), Done: mar(4)},
				{Kind: StepHandle, DepartmentID: deptA, HandlerID: clerk2, Started: mar(5), Due: day(4, 2), Done: day(4, 1), WorkingTime: hours(100)},
			}}),
	}
}
