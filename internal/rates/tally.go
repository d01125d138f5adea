package rates

import (
	"slices"
	"time"
)

// period is a half-open period [from, to).
type period struct{ from, to time.Time }

// has reports whether t is in the period; the zero time is in none.
func (p period) has(t time.Time) bool {
	return !t.IsZero() && !t.Before(p.from) && t.Before(p.to)
}

// counter is the running sums of one key.
type counter struct {
	Row
	handling time.Duration // Σ WorkingTime of the handle steps done in the period
	seen     int           // 1 + index of the last appeal counted in Appeals
}

// compute tallies appeals by the keys that stepKey and appealKey give, and
// returns the rows sorted by key.
func compute[K comparable](appeals []Appeal, p period, w float64,
	stepKey func(*Appeal, *Step) (K, bool), appealKey func(*Appeal) (K, bool),
	format func(K) string) []Row {

	index := make(map[K]int)
	var keys []K
	var counters []counter
	last := -1 // the index of the last key looked up: steps of an appeal often share it
	at := func(k K, seq int) *counter {
		if last < 0 || keys[last] != k {
			i, ok := index[k]
			if !ok {
				i = len(counters)
				index[k] = i
				keys = append(keys, k)
				counters = append(counters, counter{})
			}
			last = i
		}
		c := &counters[last]
		if c.seen != seq {
			c.seen = seq
			c.Appeals++
		}
		return c
	}

	for i := range appeals {
		a, seq := &appeals[i], i+1
		for j := range a.Steps {
			s := &a.Steps[j]
			switch s.Kind {
			case StepAccept, StepTriage, StepSign, StepHandle, StepAssist:
			default:
				continue
			}
			due := p.has(s.Due)
			dispatched := s.Kind == StepSign && p.has(s.Started)
			handled := s.Kind == StepHandle && p.has(s.Done)
			if !due && !dispatched && !handled {
				continue
			}
			k, ok := stepKey(a, s)
			if !ok {
				continue
			}
			c := at(k, seq)
			if due {
				late := s.Done.IsZero() || s.Done.After(s.Due)
				if late {
					c.Overdue++
				}
				if s.Kind == StepAccept || s.Kind == StepSign {
					c.ResponseDue++
					if !late {
						c.ResponseInTime++
					}
				}
			}
			if dispatched {
				c.Dispatches++
				if s.Returned {
					c.Returns++
				}
			}
			if handled {
				c.Handled++
				if s.Due.IsZero() || !s.Done.After(s.Due) {
					c.OnTimeReplies++
				}
				c.handling += s.WorkingTime
			}
		}
		if !p.has(a.Replied) {
			continue
		}
		k, ok := appealKey(a)
		if !ok {
			continue
		}
		c := at(k, seq)
		c.Replied++
		if a.Result == ResultSolved {
			c.Resolved++
		}
		rated := true
		switch a.Rating {
		case RatingSatisfied:
			c.Satisfied++
		case RatingBasic:
			c.Basic++
		case RatingUnsatisfied:
			c.Unsatisfied++
		case RatingNotRated:
			c.NotRated++
			rated = false
		default:
			rated = false
		}
		if rated {
			c.Rated++
			if a.Redone {
				c.Redone++
			}
		}
	}

	rows := make([]Row, len(counters))
	for i := range counters {
		c := &counters[i]
		r := c.Row
		r.Key = format(keys[i])
		r.ResponseRate = ratio(float64(r.ResponseInTime), r.ResponseDue)
		r.ResolutionRate = ratio(float64(r.Resolved), r.Replied)
		r.SatisfactionRate = ratio(float64(r.Satisfied)+w*float64(r.Basic), r.Rated)
		r.OnTimeRate = ratio(float64(r.OnTimeReplies), r.Handled)
		r.ReturnRate = ratio(float64(r.Returns), r.Dispatches)
		r.RedoRate = ratio(float64(r.Redone), r.Rated)
		r.AvgHandlingHours = ratio(c.handling.Hours(), r.Handled)
		rows[i] = r
	}
	slices.SortFunc(rows, func(a, b Row) int { return compareKeys(a.Key, b.Key) })
	return rows
}

// ratio returns num ÷ den, or 0 when den is 0.
func ratio(num float64, den int) float64 {
	if den == 0 {
		return 0
	}
	return num / float64(den)
}
