package rates

import (
	"slices"
	"time"
)

// Counts are the additive figures of one key: each is a number of facts, or
// a sum over them (Handling), and every fact has one time, so the Counts of
// consecutive periods add up to the Counts of the whole. The store keeps
// them per month and adds them up (see package store); Row has their meaning.
type Counts struct {
	Appeals                                 int
	ResponseDue, ResponseInTime             int
	Resolved, Replied                       int
	Satisfied, Basic, Unsatisfied, NotRated int
	Rated                                   int
	OnTimeReplies, Handled                  int
	Dispatches, Returns                     int
	Redone                                  int
	Overdue                                 int
	Handling                                time.Duration // Σ WorkingTime of the handle steps counted in Handled
	// RedoneSatisfied and RedoneBasic are the redone appeals counted in
	// Satisfied and Basic: rated 不满意 first, since a redo follows only
	// that (appeal.AfterRating). Row's first-rating figures come of them.
	RedoneSatisfied, RedoneBasic int
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.Appeals += o.Appeals
	c.ResponseDue += o.ResponseDue
	c.ResponseInTime += o.ResponseInTime
	c.Resolved += o.Resolved
	c.Replied += o.Replied
	c.Satisfied += o.Satisfied
	c.Basic += o.Basic
	c.Unsatisfied += o.Unsatisfied
	c.NotRated += o.NotRated
	c.Rated += o.Rated
	c.OnTimeReplies += o.OnTimeReplies
	c.Handled += o.Handled
	c.Dispatches += o.Dispatches
	c.Returns += o.Returns
	c.Redone += o.Redone
	c.Overdue += o.Overdue
	c.Handling += o.Handling
	c.RedoneSatisfied += o.RedoneSatisfied
	c.RedoneBasic += o.RedoneBasic
}

// Neg returns -c, which Add takes away.
func (c Counts) Neg() Counts {
	return Counts{Appeals: -c.Appeals, ResponseDue: -c.ResponseDue, ResponseInTime: -c.ResponseInTime,
		Resolved: -c.Resolved, Replied: -c.Replied, Satisfied: -c.Satisfied, Basic: -c.Basic,
		Unsatisfied: -c.Unsatisfied, NotRated: -c.NotRated, Rated: -c.Rated,
		OnTimeReplies: -c.OnTimeReplies, Handled: -c.Handled, Dispatches: -c.Dispatches, Returns: -c.Returns,
		Redone: -c.Redone, Overdue: -c.Overdue, Handling: -c.Handling,
		RedoneSatisfied: -c.RedoneSatisfied, RedoneBasic: -c.RedoneBasic}
}

// period is a half-open period [from, to).
type period struct{ from, to time.Time }

// has reports whether t is in the period; the zero time is in none.
func (p period) has(t time.Time) bool {
	return !t.IsZero() && !t.Before(p.from) && t.Before(p.to)
}

// fact is what one step or reply adds to the row of one key at one time:
// one to each count its flags name, and handling to Handling.
type fact[K comparable] struct {
	key      K
	at       time.Time
	flags    flags
	handling time.Duration
}

// flags name the counts a fact adds one to.
type flags uint32

const (
	fAppeals flags = 1 << iota
	fResponseDue
	fResponseInTime
	fResolved
	fReplied
	fSatisfied
	fBasic
	fUnsatisfied
	fNotRated
	fRated
	fOnTimeReply
	fHandled
	fDispatch
	fReturn
	fRedone
	fOverdue
	fRedoneSatisfied
	fRedoneBasic
)

// add adds one to each count f names, and handling to Handling.
func (c *Counts) add(f flags, handling time.Duration) {
	if f&fAppeals != 0 {
		c.Appeals++
	}
	if f&fResponseDue != 0 {
		c.ResponseDue++
	}
	if f&fResponseInTime != 0 {
		c.ResponseInTime++
	}
	if f&fResolved != 0 {
		c.Resolved++
	}
	if f&fReplied != 0 {
		c.Replied++
	}
	if f&fSatisfied != 0 {
		c.Satisfied++
	}
	if f&fBasic != 0 {
		c.Basic++
	}
	if f&fUnsatisfied != 0 {
		c.Unsatisfied++
	}
	if f&fNotRated != 0 {
		c.NotRated++
	}
	if f&fRated != 0 {
		c.Rated++
	}
	if f&fOnTimeReply != 0 {
		c.OnTimeReplies++
	}
	if f&fHandled != 0 {
		c.Handled++
	}
	if f&fDispatch != 0 {
		c.Dispatches++
	}
	if f&fReturn != 0 {
		c.Returns++
	}
	if f&fRedone != 0 {
		c.Redone++
	}
	if f&fOverdue != 0 {
		c.Overdue++
	}
	if f&fRedoneSatisfied != 0 {
		c.RedoneSatisfied++
	}
	if f&fRedoneBasic != 0 {
		c.RedoneBasic++
	}
	c.Handling += handling
}

// counts returns what the fact adds, as Counts.
func (f *fact[K]) counts() Counts {
	var c Counts
	c.add(f.flags, f.handling)
	return c
}

// appendFacts appends the facts of a to buf, attributed by stepKey and
// appealKey, and marks the earliest fact of each key as the one that counts
// the appeal (Counts.Appeals).
func appendFacts[K comparable](buf []fact[K], a *Appeal,
	stepKey func(*Appeal, *Step) (K, bool), appealKey func(*Appeal) (K, bool)) []fact[K] {
	start := len(buf)
	for j := range a.Steps {
		s := &a.Steps[j]
		switch s.Kind {
		case StepAccept, StepTriage, StepSign, StepHandle, StepAssist:
		default:
			continue
		}
		dispatched := s.Kind == StepSign && !s.Started.IsZero()
		handled := s.Kind == StepHandle && !s.Done.IsZero()
		if s.Due.IsZero() && !dispatched && !handled {
			continue
		}
		k, ok := stepKey(a, s)
		if !ok {
			continue
		}
		if !s.Due.IsZero() { // came due
			var f flags
			late := s.Done.IsZero() || s.Done.After(s.Due)
			if late {
				f |= fOverdue
			}
			if s.Kind == StepAccept || s.Kind == StepSign {
				f |= fResponseDue
				if !late {
					f |= fResponseInTime
				}
			}
			buf = append(buf, fact[K]{key: k, at: s.Due, flags: f})
		}
		if dispatched {
			f := fDispatch
			if s.Returned {
				f |= fReturn
			}
			buf = append(buf, fact[K]{key: k, at: s.Started, flags: f})
		}
		if handled {
			f := fHandled
			if s.Due.IsZero() || !s.Done.After(s.Due) {
				f |= fOnTimeReply
			}
			buf = append(buf, fact[K]{key: k, at: s.Done, flags: f, handling: s.WorkingTime})
		}
	}
	if !a.Replied.IsZero() {
		if k, ok := appealKey(a); ok {
			f := fReplied
			if a.Result == ResultSolved {
				f |= fResolved
			}
			rated := true
			switch a.Rating {
			case RatingSatisfied:
				f |= fSatisfied
			case RatingBasic:
				f |= fBasic
			case RatingUnsatisfied:
				f |= fUnsatisfied
			case RatingNotRated:
				f |= fNotRated
				rated = false
			default:
				rated = false
			}
			if rated {
				f |= fRated
				if a.Redone {
					f |= fRedone
					switch a.Rating {
					case RatingSatisfied:
						f |= fRedoneSatisfied
					case RatingBasic:
						f |= fRedoneBasic
					}
				}
			}
			buf = append(buf, fact[K]{key: k, at: a.Replied, flags: f})
		}
	}
	// The earliest fact of each key counts the appeal; an appeal has few
	// facts and fewer keys, so plain scans.
	facts := buf[start:]
	for i := range facts {
		seen := false
		for j := range i {
			if facts[j].key == facts[i].key {
				seen = true
				break
			}
		}
		if seen {
			continue
		}
		first := i
		for j := i + 1; j < len(facts); j++ {
			if facts[j].key == facts[i].key && facts[j].at.Before(facts[first].at) {
				first = j
			}
		}
		facts[first].flags |= fAppeals
	}
	return buf
}

// tally adds the facts of appeals in the period to counts, by the keys that
// stepKey and appealKey give, formatted by format.
func tally[K comparable](counts map[string]*Counts, appeals []Appeal, p period,
	stepKey func(*Appeal, *Step) (K, bool), appealKey func(*Appeal) (K, bool), format func(K) string) {
	byKey := map[K]*Counts{}
	var buf []fact[K]
	var lastKey K    // the key last looked up: the facts of an appeal often share it
	var last *Counts // its counts
	for i := range appeals {
		buf = appendFacts(buf[:0], &appeals[i], stepKey, appealKey)
		for j := range buf {
			f := &buf[j]
			if !p.has(f.at) {
				continue
			}
			if last != nil && f.key == lastKey {
				last.add(f.flags, f.handling)
				continue
			}
			c, ok := byKey[f.key]
			if !ok {
				s := format(f.key)
				if c, ok = counts[s]; !ok {
					c = new(Counts)
					counts[s] = c
				}
				byKey[f.key] = c
			}
			lastKey, last = f.key, c
			c.add(f.flags, f.handling)
		}
	}
}

// rows returns the rows of counts with w the weight of 基本满意: one per
// key with anything counted, sorted by key.
func rows(counts map[string]*Counts, w float64) []Row {
	out := make([]Row, 0, len(counts))
	for key, c := range counts {
		if *c == (Counts{}) {
			continue
		}
		r := Row{Key: key, Appeals: c.Appeals,
			ResponseDue: c.ResponseDue, ResponseInTime: c.ResponseInTime,
			Resolved: c.Resolved, Replied: c.Replied,
			Satisfied: c.Satisfied, Basic: c.Basic, Unsatisfied: c.Unsatisfied, NotRated: c.NotRated, Rated: c.Rated,
			OnTimeReplies: c.OnTimeReplies, Handled: c.Handled,
			Dispatches: c.Dispatches, Returns: c.Returns, Redone: c.Redone, Overdue: c.Overdue}
		r.ResponseRate = ratio(float64(r.ResponseInTime), r.ResponseDue)
		r.ResolutionRate = ratio(float64(r.Resolved), r.Replied)
		r.SatisfactionRate = ratio(float64(r.Satisfied)+w*float64(r.Basic), r.Rated)
		r.OnTimeRate = ratio(float64(r.OnTimeReplies), r.Handled)
		r.ReturnRate = ratio(float64(r.Returns), r.Dispatches)
		r.RedoRate = ratio(float64(r.Redone), r.Rated)
		r.FirstSatisfied = c.Satisfied - c.RedoneSatisfied
		r.FirstBasic = c.Basic - c.RedoneBasic
		r.FirstUnsatisfied = c.Unsatisfied + c.RedoneSatisfied + c.RedoneBasic
		r.FirstSatisfactionRate = ratio(float64(r.FirstSatisfied)+w*float64(r.FirstBasic), r.Rated)
		r.AvgHandlingHours = ratio(c.Handling.Hours(), r.Handled)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Row) int { return compareKeys(a.Key, b.Key) })
	return out
}

// ratio returns num ÷ den, or 0 when den is 0 (a rate of no data: the
// pages, the API and the export say so, by the denominator).
func ratio(num float64, den int) float64 {
	if den == 0 {
		return 0
	}
	return num / float64(den)
}
