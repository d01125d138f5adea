package rates

import (
	"testing"
	"time"
)

var allDimensions = []Dimension{Department, Handler, Community, Grid, Street, District}

// TestCountsAddUp holds Counts to their promise: the counts of consecutive
// periods add up to the counts of the whole, for every dimension, however
// the whole is cut — at midnight, at noon (where the fixture's times are)
// or at odd instants.
func TestCountsAddUp(t *testing.T) {
	appeals := append(fixture(), synthetic(3000)...)
	from, to := time.Date(2026, 2, 1, 0, 0, 0, 0, cst), time.Date(2026, 9, 1, 0, 0, 0, 0, cst)
	cuts := [][]time.Time{
		{march.From, march.To},               // months
		{mar(10), mar(20), day(4, 1).Add(1)}, // at noon, and just after
		{day(2, 27).Add(17*time.Minute + 3*time.Second), day(6, 30).Add(-time.Millisecond)},
	}
	for _, dim := range allDimensions {
		whole := map[string]*Counts{}
		if err := Tally(whole, appeals, dim, from, to); err != nil {
			t.Fatal(err)
		}
		for _, cut := range cuts {
			parts := map[string]*Counts{}
			edges := append(append([]time.Time{from}, cut...), to)
			for i := 1; i < len(edges); i++ {
				if err := Tally(parts, appeals, dim, edges[i-1], edges[i]); err != nil {
					t.Fatal(err)
				}
			}
			equalCounts(t, string(dim), parts, whole)
		}
	}
}

// TestFactsMatchTally checks that the facts Facts and RegionFacts give,
// added up over a period, are what Tally counts.
func TestFactsMatchTally(t *testing.T) {
	appeals := append(fixture(), synthetic(2000)...)
	for _, dim := range allDimensions {
		for _, p := range []Options{march, {From: day(1, 1), To: day(7, 1)}} {
			want := map[string]*Counts{}
			if err := Tally(want, appeals, dim, p.From, p.To); err != nil {
				t.Fatal(err)
			}
			got := map[string]*Counts{}
			in := period{p.From, p.To}
			for i := range appeals {
				if err := Facts(&appeals[i], dim, func(key string, at time.Time, c Counts) {
					if in.has(at) {
						addTo(got, key, c)
					}
				}); err != nil {
					t.Fatal(err)
				}
			}
			equalCounts(t, string(dim), got, want)
			if dim == Department || dim == Handler {
				continue
			}
			regions := map[string]*Counts{}
			for i := range appeals {
				code, _ := regionCode(dim)(&appeals[i])
				RegionFacts(&appeals[i], func(at time.Time, c Counts) {
					if in.has(at) {
						addTo(regions, code, c)
					}
				})
			}
			equalCounts(t, string(dim)+" by RegionFacts", regions, want)
		}
	}
	if err := Facts(&appeals[0], "enterprise", func(string, time.Time, Counts) {}); err == nil {
		t.Error("Facts took an unknown dimension")
	}
}

// TestAppealsFirstFact pins down which period counts an appeal in a row:
// the one of its earliest fact there, whatever order the steps come in.
func TestAppealsFirstFact(t *testing.T) {
	a := Appeal{Community: commA, LeadDepartment: deptA, Replied: day(4, 20), Result: ResultSolved,
		Steps: []Step{
			{Kind: StepHandle, DepartmentID: deptA, Started: day(3, 30), Due: day(4, 10), Done: day(4, 20)},
			{Kind: StepSign, DepartmentID: deptA, Started: day(3, 29), Due: day(3, 30), Done: day(3, 29)},
			{Kind: StepAccept, Started: day(3, 1), Due: day(3, 2), Done: day(3, 1)},
		}}
	for _, tt := range []struct {
		dim   Dimension
		month time.Month // the month that counts the appeal
	}{{Department, 3}, {Community, 3}} {
		for m := time.Month(2); m <= 5; m++ {
			counts := map[string]*Counts{}
			if err := Tally(counts, []Appeal{a}, tt.dim, day(m, 1).Add(-12*time.Hour), day(m+1, 1).Add(-12*time.Hour)); err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, c := range counts {
				n += c.Appeals
			}
			if want := map[bool]int{true: 1}[m == tt.month]; n != want {
				t.Errorf("%s, month %d: Appeals = %d, want %d", tt.dim, m, n, want)
			}
		}
	}
}

func TestCountsNeg(t *testing.T) {
	c := Counts{Appeals: 1, ResponseDue: 2, ResponseInTime: 3, Resolved: 4, Replied: 5, Satisfied: 6, Basic: 7,
		Unsatisfied: 8, NotRated: 9, Rated: 10, OnTimeReplies: 11, Handled: 12, Dispatches: 13, Returns: 14,
		Redone: 15, Overdue: 16, Handling: 17, RedoneSatisfied: 18, RedoneBasic: 19}
	d := c
	d.Add(c.Neg())
	if d != (Counts{}) {
		t.Errorf("c + -c = %+v, want zero", d)
	}
}

func addTo(m map[string]*Counts, key string, c Counts) {
	if m[key] == nil {
		m[key] = new(Counts)
	}
	m[key].Add(c)
}

func equalCounts(t *testing.T, name string, got, want map[string]*Counts) {
	t.Helper()
	for k, w := range want {
		g := got[k]
		if g == nil {
			g = new(Counts)
		}
		if *g != *w {
			t.Errorf("%s %s:\n got %+v\nwant %+v", name, k, *g, *w)
		}
	}
	for k, g := range got {
		if want[k] == nil && *g != (Counts{}) {
			t.Errorf("%s %s: %+v, want none", name, k, *g)
		}
	}
}
