package rates

import (
	"cmp"
	"slices"

	"qifu/internal/fault"
)

// Measure is a rate rows are ranked by.
type Measure string

// The measures of the leaders' rankings.
const (
	Response     Measure = "response"     // ResponseRate, ties by ResponseDue
	Resolution   Measure = "resolution"   // ResolutionRate, ties by Replied
	Satisfaction Measure = "satisfaction" // SatisfactionRate, ties by Rated
)

// rateEpsilon is how close two rates must be to tie: float rounding can part
// equal fractions (2/6 and 1/3, or weighted sums) by about 1e-16, while
// distinct fractions with denominators below a million differ by more.
const rateEpsilon = 1e-12

// Rank returns a copy of rows in ranking order by the measure: the higher
// rate first; between equal rates, the larger denominator (more counted);
// then by Key, as Compute orders them. A row with a zero denominator has rate
// 0 and so comes after every row that has one. It fails with an Invalid error
// for an unknown measure.
func Rank(rows []Row, by Measure) ([]Row, error) {
	var of func(Row) (rate float64, den int)
	switch by {
	case Response:
		of = func(r Row) (float64, int) { return r.ResponseRate, r.ResponseDue }
	case Resolution:
		of = func(r Row) (float64, int) { return r.ResolutionRate, r.Replied }
	case Satisfaction:
		of = func(r Row) (float64, int) { return r.SatisfactionRate, r.Rated }
	default:
		return nil, fault.New(fault.Invalid, "rates_measure",
			"未知的排名指标："+string(by), "unknown ranking measure: "+string(by))
	}
	ranked := slices.Clone(rows)
	slices.SortFunc(ranked, func(a, b Row) int {
		ra, da := of(a)
		rb, db := of(b)
		if ra-rb > rateEpsilon || rb-ra > rateEpsilon {
			return cmp.Compare(rb, ra)
		}
		if da != db {
			return cmp.Compare(db, da)
		}
		return compareKeys(a.Key, b.Key)
	})
	return ranked, nil
}
