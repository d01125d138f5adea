package rates

import (
	"math"
	"testing"
	"time"

	"qifu/internal/fault"
)

// The expected rows of the fixture for March, with w = 0.8. A<n>s<m> is step m
// of appeal n, counted from 1.

// dept7: signs A1s3 A2s4 A6s3 A9s3 A10s3, assist A3s4, handles A1s4 A2s5 A7s3;
// leads the replies of A1 A2 A7 in March (A6 unreplied, A10 April's).
var dept7 = Row{Key: "7",
	Appeals:     6,                                           // A1 A2 A3 A6 A9 A10 (A7 came in February)
	ResponseDue: 5, ResponseInTime: 2, ResponseRate: 2.0 / 5, // A1s3 and A10s3 of 5 signs; A2s4 A6s3 A9s3 late
	Resolved: 2, Replied: 3, ResolutionRate: 2.0 / 3, // A1 A7 solved of A1 A2 A7
	Satisfied: 1, Basic: 1, Unsatisfied: 1, Rated: 3, // A1, A2, A7
	SatisfactionRate: (1 + 0.8*1) / 3.0,            // 1.8 / 3 = 0.6
	OnTimeReplies:    3, Handled: 3, OnTimeRate: 1, // A1s4 A2s5 A7s3 all by Due
	Dispatches: 5, Returns: 1, ReturnRate: 1.0 / 5, // A9s3 returned
	Redone: 0, RedoRate: 0,
	Overdue:          4,                    // A2s4, A3s4 (assist), A6s3 (open), A9s3
	AvgHandlingHours: (40 + 48 + 24) / 3.0, // 37.33
}

// dept12: signs A2s3 (returned by Due) A3s3 A5s3 A8s3 (due at To: April's)
// A9s4, handles A3s5 A3s6 A5s4 (A8s4 A9s5 open, due in April); leads the
// replies of A3 A5.
var dept12 = Row{Key: "12",
	Appeals:     5,                                     // A2 A3 A5 A8 A9
	ResponseDue: 4, ResponseInTime: 4, ResponseRate: 1, // A2s3 A3s3 A5s3 A9s4; the return counts as a response
	Resolved: 1, Replied: 2, ResolutionRate: 1.0 / 2, // A3 solved; A5 unsolvable
	Basic: 1, NotRated: 1, Rated: 1, // A3 basic; A5 not rated, outside the rate
	SatisfactionRate: 0.8 / 1,
	OnTimeReplies:    2, Handled: 3, OnTimeRate: 2.0 / 3, // A3s6, the redo, late
	Dispatches: 5, Returns: 1, ReturnRate: 1.0 / 5, // 5 signs started in March, A2s3 returned
	Redone: 1, RedoRate: 1.0 / 1, // A3
	// A3, redone, was first rated 不满意: its basic is no part of the first rating.
	FirstUnsatisfied: 1, FirstSatisfactionRate: 0,
	Overdue:          1,                    // A3s6
	AvgHandlingHours: (40 + 32 + 56) / 3.0, // 42.67
}

// commA: A1 A2 A3 A7 A9 (A7's February steps outside).
var commARow = Row{Key: commA,
	Appeals:     4,                                             // A1 A2 A3 A9; A7 came in February
	ResponseDue: 10, ResponseInTime: 7, ResponseRate: 7.0 / 10, // accepts A1 A2 A3 A9 + signs A1s3 A2s3 A2s4 A3s3 A9s3 A9s4; A2s1 A2s4 A9s3 late
	Resolved: 3, Replied: 4, ResolutionRate: 3.0 / 4, // A1 A3 A7 solved; A2 explained
	Satisfied: 1, Basic: 2, Unsatisfied: 1, Rated: 4, // A1; A2 A3; A7
	SatisfactionRate: (1 + 0.8*2) / 4.0,                  // 2.6 / 4 = 0.65
	OnTimeReplies:    4, Handled: 5, OnTimeRate: 4.0 / 5, // A1s4 A2s5 A3s5 A3s6 A7s3; A3s6 late
	Dispatches: 6, Returns: 2, ReturnRate: 2.0 / 6, // A2s3 A9s3 returned
	Redone: 1, RedoRate: 1.0 / 4, // A3
	FirstSatisfied: 1, FirstBasic: 1, FirstUnsatisfied: 2, FirstSatisfactionRate: (1 + 0.8*1) / 4.0, // A3 first unsatisfied
	Overdue:          5,                              // A2s1 A2s4 A3s4 A3s6 A9s3
	AvgHandlingHours: (40 + 48 + 40 + 32 + 24) / 5.0, // 36.8
}

// commB: A4 A5 A6 A8 A10 (A10's handling and reply in April).
var commBRow = Row{Key: commB,
	Appeals:     5,
	ResponseDue: 8, ResponseInTime: 7, ResponseRate: 7.0 / 8, // accepts A4 A5 A6 A8 A10 + signs A5s3 A6s3 A10s3; A6s3 open
	Resolved: 1, Replied: 2, ResolutionRate: 1.0 / 2, // A4 solved; A5 unsolvable
	Satisfied: 1, NotRated: 1, Rated: 1, // A4; A5 not rated
	SatisfactionRate: 1.0 / 1,
	OnTimeReplies:    1, Handled: 1, OnTimeRate: 1, // A5s4
	Dispatches: 4, Returns: 0, ReturnRate: 0, // A5s3 A6s3 A8s3 A10s3
	Redone: 0, RedoRate: 0.0 / 1,
	Overdue:          1,  // A6s3, open; A5s5 is the enterprise's rate step
	AvgHandlingHours: 56, // A5s4
}

// gridA1Row: A1 A2 A7.
var gridA1Row = Row{Key: gridA1,
	Appeals:     2,                                           // A1 A2; A7 came in February
	ResponseDue: 5, ResponseInTime: 3, ResponseRate: 3.0 / 5, // A1s1 A1s3 A2s1 A2s3 A2s4; A2s1 A2s4 late
	Resolved: 2, Replied: 3, ResolutionRate: 2.0 / 3,
	Satisfied: 1, Basic: 1, Unsatisfied: 1, Rated: 3,
	SatisfactionRate: (1 + 0.8) / 3.0,
	OnTimeReplies:    3, Handled: 3, OnTimeRate: 1, // A1s4 A2s5 A7s3
	Dispatches: 3, Returns: 1, ReturnRate: 1.0 / 3, // A1s3 A2s3 A2s4
	Overdue:          2, // A2s1 A2s4
	AvgHandlingHours: (40 + 48 + 24) / 3.0,
}

// gridA2Row: A3 A9.
var gridA2Row = Row{Key: gridA2,
	Appeals:     2,
	ResponseDue: 5, ResponseInTime: 4, ResponseRate: 4.0 / 5, // A3s1 A3s3 A9s1 A9s3 A9s4; A9s3 late
	Resolved: 1, Replied: 1, ResolutionRate: 1, // A3
	Basic: 1, Rated: 1, SatisfactionRate: 0.8,
	OnTimeReplies: 1, Handled: 2, OnTimeRate: 1.0 / 2, // A3s5 in time, A3s6 late
	Dispatches: 3, Returns: 1, ReturnRate: 1.0 / 3, // A3s3 A9s3 A9s4
	Redone: 1, RedoRate: 1,
	FirstUnsatisfied: 1, FirstSatisfactionRate: 0, // A3 first unsatisfied
	Overdue:          3,               // A3s4 A3s6 A9s3
	AvgHandlingHours: (40 + 32) / 2.0, // 36
}

// district: communities A and B added up.
var districtRow = Row{Key: district,
	Appeals:     9,                                               // all but A7
	ResponseDue: 18, ResponseInTime: 14, ResponseRate: 14.0 / 18, // 7 of 10 + 7 of 8
	Resolved: 4, Replied: 6, ResolutionRate: 4.0 / 6, // 3 of 4 + 1 of 2
	Satisfied: 2, Basic: 2, Unsatisfied: 1, NotRated: 1, Rated: 5,
	SatisfactionRate: (2 + 0.8*2) / 5.0, // 3.6 / 5 = 0.72
	OnTimeReplies:    5, Handled: 6, OnTimeRate: 5.0 / 6,
	Dispatches: 10, Returns: 2, ReturnRate: 2.0 / 10,
	Redone: 1, RedoRate: 1.0 / 5,
	FirstSatisfied: 2, FirstBasic: 1, FirstUnsatisfied: 2, FirstSatisfactionRate: (2 + 0.8*1) / 5.0, // A3 first unsatisfied
	Overdue:          6,                // 5 + 1
	AvgHandlingHours: (184 + 56) / 6.0, // 40
}

// The handlers. 101 and 102 take accept and triage steps; they own no
// replied appeal but A4, which 102 answered without a department.
var (
	staffARow = Row{Key: "101",
		Appeals:     4,                                           // A1 A2 A3 A9 (A7's accept in February)
		ResponseDue: 4, ResponseInTime: 3, ResponseRate: 3.0 / 4, // accepts; A2s1 late
		Overdue: 1, // A2s1
	}
	staffBRow = Row{Key: "102",
		Appeals:     5,                                     // A4 A5 A6 A8 A10
		ResponseDue: 5, ResponseInTime: 5, ResponseRate: 1, // accepts, A5s1 at its Due exactly
		Resolved: 1, Replied: 1, ResolutionRate: 1, // A4, by its triage step's handler
		Satisfied: 1, Rated: 1, SatisfactionRate: 1,
	}
	clerk1Row = Row{Key: "201",
		Appeals:     3,                                           // A1 A3 A9; A7 came in February
		ResponseDue: 2, ResponseInTime: 1, ResponseRate: 1.0 / 2, // A1s3; A9s3 returned late
		Resolved: 2, Replied: 2, ResolutionRate: 1, // A1 A7
		Satisfied: 1, Unsatisfied: 1, Rated: 2, SatisfactionRate: 1.0 / 2,
		OnTimeReplies: 2, Handled: 2, OnTimeRate: 1, // A1s4 A7s3
		Dispatches: 2, Returns: 1, ReturnRate: 1.0 / 2, // A1s3 A9s3
		Overdue:          2,               // A3s4 A9s3
		AvgHandlingHours: (40 + 24) / 2.0, // 32
	}
	clerk2Row = Row{Key: "202",
		Appeals:     2,                                           // A2 A10
		ResponseDue: 2, ResponseInTime: 1, ResponseRate: 1.0 / 2, // A10s3; A2s4 late
		Resolved: 0, Replied: 1, ResolutionRate: 0, // A2 explained
		Basic: 1, Rated: 1, SatisfactionRate: 0.8,
		OnTimeReplies: 1, Handled: 1, OnTimeRate: 1, // A2s5
		Dispatches:       2,  // A2s4 A10s3
		Overdue:          1,  // A2s4
		AvgHandlingHours: 48, // A2s5
	}
)

func withKey(r Row, key string) Row { r.Key = key; return r }

func TestComputeDimensions(t *testing.T) {
	tests := []struct {
		dim  Dimension
		want []Row
	}{
		{Department, []Row{dept7, dept12}}, // 7 before 12: ids in numeric order
		{Community, []Row{commARow, commBRow}},
		{Grid, []Row{gridA1Row, gridA2Row, withKey(commBRow, gridB1)}},
		{Street, []Row{withKey(commARow, streetA), withKey(commBRow, streetB)}},
		{District, []Row{districtRow}},
		// 301 is department 12's only clerk; A6s3, taken by nobody, is in no row.
		{Handler, []Row{staffARow, staffBRow, clerk1Row, clerk2Row, withKey(dept12, "301")}},
	}
	for _, tt := range tests {
		t.Run(string(tt.dim), func(t *testing.T) {
			got, err := Compute(fixture(), tt.dim, march)
			if err != nil {
				t.Fatal(err)
			}
			checkRows(t, got, tt.want)
		})
	}
}

func TestComputeBasicWeight(t *testing.T) {
	tests := []struct {
		name   string
		weight *float64
		want   map[string]float64 // SatisfactionRate by community
	}{
		{"default 0.8", nil, map[string]float64{commA: (1 + 0.8*2) / 4.0, commB: 1}},
		{"1.0", new(1.0), map[string]float64{commA: (1 + 2) / 4.0, commB: 1}},     // 0.75
		{"0.5", new(0.5), map[string]float64{commA: (1 + 0.5*2) / 4.0, commB: 1}}, // 0.5
		{"0", new(0.0), map[string]float64{commA: 1 / 4.0, commB: 1}},             // 0.25
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := march
			opt.BasicWeight = tt.weight
			rows, err := Compute(fixture(), Community, opt)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if !near(r.SatisfactionRate, tt.want[r.Key]) {
					t.Errorf("%s: SatisfactionRate = %v, want %v", r.Key, r.SatisfactionRate, tt.want[r.Key])
				}
				if r.RedoRate != map[string]float64{commA: 0.25, commB: 0}[r.Key] {
					t.Errorf("%s: RedoRate = %v changed with the weight", r.Key, r.RedoRate)
				}
			}
		})
	}
}

func TestComputeEmpty(t *testing.T) {
	for _, appeals := range [][]Appeal{nil, {}} {
		rows, err := Compute(appeals, Department, march)
		if err != nil || len(rows) != 0 {
			t.Errorf("Compute(%v) = %v, %v; want no rows", appeals, rows, err)
		}
	}
	// Appeals with nothing in the period give no rows either.
	rows, err := Compute(fixture(), District, Options{From: day(5, 1), To: day(6, 1)})
	if err != nil || len(rows) != 0 {
		t.Errorf("May: %v, %v; want no rows", rows, err)
	}
}

func TestComputeZeroDenominators(t *testing.T) {
	// A reply not rated, with no steps: every rate but the resolution rate
	// has nothing to count and is 0, its denominator 0.
	appeals := []Appeal{{ID: 1, Community: commA, Result: ResultExplained,
		Replied: mar(5), Rating: RatingNotRated, Redone: true}}
	rows, err := Compute(appeals, Community, march)
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, rows, []Row{{Key: commA, Appeals: 1, Replied: 1, NotRated: 1}})

	// A reply with no rating yet is in none of the four rating counts.
	appeals[0].Rating = ""
	rows, _ = Compute(appeals, Community, march)
	checkRows(t, rows, []Row{{Key: commA, Appeals: 1, Replied: 1}})
}

func TestComputePeriodEdges(t *testing.T) {
	from, to := march.From, march.To
	tests := []struct {
		name string
		step Step
		want Row // of community A, "" Key if no row
	}{
		{"due at From", Step{Kind: StepAccept, Due: from, Done: from},
			Row{Appeals: 1, ResponseDue: 1, ResponseInTime: 1, ResponseRate: 1}},
		{"due at To", Step{Kind: StepAccept, Due: to, Done: from}, Row{}},
		{"done a nanosecond late", Step{Kind: StepAccept, Due: mar(5), Done: mar(5).Add(1)},
			Row{Appeals: 1, ResponseDue: 1, Overdue: 1}},
		{"open, due just before To", Step{Kind: StepSign, Started: to.Add(-2), Due: to.Add(-1)},
			Row{Appeals: 1, ResponseDue: 1, Dispatches: 1, Overdue: 1}},
		{"no Due", Step{Kind: StepHandle, Done: mar(5), WorkingTime: 90 * time.Minute},
			Row{Appeals: 1, OnTimeReplies: 1, Handled: 1, OnTimeRate: 1, AvgHandlingHours: 1.5}},
		{"handled in March, due in April, late", Step{Kind: StepHandle, Due: day(4, 3), Done: day(4, 4)}, Row{}},
		{"returned in time", Step{Kind: StepSign, Started: mar(4), Due: mar(5), Done: mar(5), Returned: true},
			Row{Appeals: 1, ResponseDue: 1, ResponseInTime: 1, ResponseRate: 1, Dispatches: 1, Returns: 1, ReturnRate: 1}},
		{"assist and triage count only when late", Step{Kind: StepAssist, Due: mar(5), Done: mar(5)},
			Row{Appeals: 1}},
		{"rate step", Step{Kind: StepRate, Due: mar(5)}, Row{}},
		{"unknown kind", Step{Kind: "visit", Due: mar(5)}, Row{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			appeals := []Appeal{{Community: commA, Steps: []Step{tt.step}}}
			var want []Row
			if tt.want != (Row{}) {
				tt.want.Key = commA
				want = []Row{tt.want}
			}
			rows, err := Compute(appeals, Community, Options{From: from, To: to})
			if err != nil {
				t.Fatal(err)
			}
			checkRows(t, rows, want)
		})
	}
}

func TestComputeZeroFrom(t *testing.T) {
	// A zero From is the start of time; zero times are still in no period.
	appeals := []Appeal{{Community: commA, Steps: []Step{
		{Kind: StepAccept, Due: day(1, 5), Done: day(1, 5)},
		{Kind: StepAccept}, // no Due, never done
	}}}
	rows, err := Compute(appeals, Community, Options{To: march.To})
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, rows, []Row{{Key: commA, Appeals: 1, ResponseDue: 1, ResponseInTime: 1, ResponseRate: 1}})
}

func TestComputeReplyHandler(t *testing.T) {
	tests := []struct {
		name  string
		steps []Step
		want  string // the key of the reply, "" for none
	}{
		{"last handle step", []Step{
			{Kind: StepHandle, HandlerID: 5, Started: mar(3)},
			{Kind: StepHandle, HandlerID: 6, Started: mar(8)},
			{Kind: StepHandle, HandlerID: 7, Started: mar(6)},
		}, "6"},
		{"handle step without a handler skipped", []Step{
			{Kind: StepTriage, HandlerID: 4, Started: mar(2)},
			{Kind: StepHandle, HandlerID: 5, Started: mar(3)},
			{Kind: StepHandle, Started: mar(8)},
		}, "5"},
		{"triage when no handle step", []Step{
			{Kind: StepAccept, HandlerID: 3, Started: mar(1)},
			{Kind: StepTriage, HandlerID: 4, Started: mar(2)},
		}, "4"},
		{"nobody", []Step{{Kind: StepAccept, HandlerID: 3, Started: mar(1)}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The steps have no Due and are not done: only the reply counts.
			appeals := []Appeal{{Result: ResultSolved, Replied: mar(10), Rating: RatingSatisfied, Steps: tt.steps}}
			rows, err := Compute(appeals, Handler, march)
			if err != nil {
				t.Fatal(err)
			}
			var want []Row
			if tt.want != "" {
				want = []Row{{Key: tt.want, Appeals: 1, Resolved: 1, Replied: 1, ResolutionRate: 1,
					Satisfied: 1, Rated: 1, SatisfactionRate: 1}}
			}
			checkRows(t, rows, want)
		})
	}
}

func TestComputeInvalid(t *testing.T) {
	tests := []struct {
		name string
		dim  Dimension
		opt  Options
	}{
		{"unknown dimension", "enterprise", march},
		{"empty dimension", "", march},
		{"To before From", Department, Options{From: march.To, To: march.From}},
		{"empty period", Department, Options{From: march.From, To: march.From}},
		{"no To", Department, Options{From: march.From}},
		{"weight above 1", Department, Options{From: march.From, To: march.To, BasicWeight: new(1.5)}},
		{"negative weight", Department, Options{From: march.From, To: march.To, BasicWeight: new(-0.1)}},
		{"NaN weight", Department, Options{From: march.From, To: march.To, BasicWeight: new(math.NaN())}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := Compute(fixture(), tt.dim, tt.opt)
			if !fault.Is(err, fault.Invalid) || rows != nil {
				t.Errorf("Compute = %v, %v; want an Invalid error", rows, err)
			}
		})
	}
}

// checkRows compares rows field by field, the rates to within 1e-9.
func checkRows(t *testing.T, got, want []Row) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d rows %+v\nwant %d rows %+v", len(got), got, len(want), want)
	}
	for i := range got {
		g, w := got[i], want[i]
		// A row that names no first ratings has none redone: the first
		// rating of each of its appeals is its final one.
		if w.Redone == 0 && w.FirstSatisfied+w.FirstBasic+w.FirstUnsatisfied == 0 {
			w.FirstSatisfied, w.FirstBasic, w.FirstUnsatisfied = w.Satisfied, w.Basic, w.Unsatisfied
			w.FirstSatisfactionRate = w.SatisfactionRate
		}
		for _, f := range []struct {
			name string
			g, w *float64
		}{
			{"ResponseRate", &g.ResponseRate, &w.ResponseRate},
			{"ResolutionRate", &g.ResolutionRate, &w.ResolutionRate},
			{"SatisfactionRate", &g.SatisfactionRate, &w.SatisfactionRate},
			{"FirstSatisfactionRate", &g.FirstSatisfactionRate, &w.FirstSatisfactionRate},
			{"OnTimeRate", &g.OnTimeRate, &w.OnTimeRate},
			{"ReturnRate", &g.ReturnRate, &w.ReturnRate},
			{"RedoRate", &g.RedoRate, &w.RedoRate},
			{"AvgHandlingHours", &g.AvgHandlingHours, &w.AvgHandlingHours},
		} {
			if !near(*f.g, *f.w) {
				t.Errorf("row %d (%s): %s = %v, want %v", i, w.Key, f.name, *f.g, *f.w)
			}
			*f.g, *f.w = 0, 0
		}
		if g != w {
			t.Errorf("row %d (%s):\n got %+v\nwant %+v", i, w.Key, g, w)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
