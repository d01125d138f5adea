package rates

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// synthetic returns n appeals of 2026 spread over 23 departments, 12
// communities of 4 grids each and about 250 handlers: accept, triage, a sign
// (one in ten returned and signed again), an assist in three, a handle (one
// in twenty redone) and the enterprise's rate step.
func synthetic(n int) []Appeal {
	rng := rand.New(rand.NewPCG(1, 2))
	year := time.Date(2026, 1, 1, 0, 0, 0, 0, cst)
	hour := func(h int) time.Duration { return time.Duration(h) * time.Hour }
	late := func(t time.Time, due time.Duration) time.Time { // done by Due four times in five
		if rng.IntN(5) == 0 {
			return t.Add(due + hour(1+rng.IntN(48)))
		}
		return t.Add(hour(rng.IntN(int(due / time.Hour))))
	}
	ratings := []Rating{RatingSatisfied, RatingSatisfied, RatingSatisfied, RatingBasic, RatingUnsatisfied, RatingNotRated}
	results := []Result{ResultSolved, ResultSolved, ResultSolved, ResultExplained, ResultUnsolvable}
	appeals := make([]Appeal, n)
	for i := range appeals {
		comm := rng.IntN(12)
		code := "3302060" + strconv.Itoa(10+comm/3) + "0" + strconv.Itoa(10+comm)
		a := &appeals[i]
		*a = Appeal{ID: int64(i + 1), Received: year.Add(time.Duration(rng.Int64N(int64(360 * 24 * time.Hour)))),
			District: "330206", Street: code[:9], Community: code, Grid: code + "00" + strconv.Itoa(1+rng.IntN(4)),
			LeadDepartment: int64(1 + rng.IntN(23))}
		staff, clerk := int64(1000+comm), 2000+10*a.LeadDepartment+int64(rng.IntN(10))
		t := a.Received
		steps := make([]Step, 0, 8)
		add := func(kind StepKind, dept, handler int64, limit time.Duration) {
			s := Step{AppealID: a.ID, Kind: kind, DepartmentID: dept, HandlerID: handler, Started: t, Due: t.Add(limit)}
			s.Done = late(t, limit)
			s.WorkingTime = s.Done.Sub(s.Started) / 3
			t = s.Done
			steps = append(steps, s)
		}
		add(StepAccept, 0, staff, hour(24))
		add(StepTriage, 0, staff, hour(48))
		if rng.IntN(10) == 0 {
			other := int64(1 + rng.IntN(23))
			add(StepSign, other, 2000+10*other, hour(24))
			steps[len(steps)-1].Returned = true
		}
		add(StepSign, a.LeadDepartment, clerk, hour(24))
		if rng.IntN(3) == 0 {
			other := int64(1 + rng.IntN(23))
			add(StepAssist, other, 2000+10*other, hour(72))
		}
		add(StepHandle, a.LeadDepartment, clerk, hour(240))
		if rng.IntN(20) == 0 {
			a.Redone = true
			add(StepHandle, a.LeadDepartment, clerk, hour(120))
		}
		a.Replied, a.Result, a.Rating = t, results[rng.IntN(len(results))], ratings[rng.IntN(len(ratings))]
		steps = append(steps, Step{AppealID: a.ID, Kind: StepRate, Started: t, Due: t.Add(hour(72)), Done: t.Add(hour(5))})
		a.Steps = steps
	}
	return appeals
}

func BenchmarkCompute(b *testing.B) {
	appeals := synthetic(100_000)
	opt := Options{From: time.Date(2026, 1, 1, 0, 0, 0, 0, cst), To: time.Date(2027, 1, 1, 0, 0, 0, 0, cst)}
	for _, dim := range []Dimension{Department, Community, Grid, Handler} {
		b.Run(string(dim), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compute(appeals, dim, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRank(b *testing.B) {
	rows, err := Compute(synthetic(100_000), Handler, Options{To: time.Date(2027, 1, 1, 0, 0, 0, 0, cst)})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Rank(rows, Satisfaction); err != nil {
			b.Fatal(err)
		}
	}
}
