package calendar

import "time"

// Working time is the office hours of working days. Both Add and Between use
// one count: the working time elapsed from a fixed origin to an instant, made
// of whole working days before its date (counted arithmetically, so a long
// span costs no more than a short one) and the office hours already passed on
// its date. Between is the difference of two counts; Add finds the earliest
// instant whose count is the start's plus d. So Between(s, Add(s, d)) == d.

// Add returns the instant when d of working time has elapsed after start.
// Counting begins at start, or at the next office hours if start is outside
// them; when d runs out at the end of a span, the result is that end (17:30,
// not the next morning). d <= 0 returns start unchanged.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	n, off := c.locate(start)
	if c.isWorkday(n) {
		done := c.worked(off)
		if done+d <= c.day {
			return c.instant(n, c.reach(done+d))
		}
		d -= c.day - done
	}
	// d > 0 is left, counted from the start of day n+1: whole days, then the
	// part of a last day in (0, c.day].
	whole := (d - 1) / c.day
	last := c.nthWorkday(n+1, int64(whole))
	return c.instant(last, c.reach(d-whole*c.day))
}

// AddDays returns the deadline n working days after start: n × WorkdayLength()
// of working time, so Friday 15:00 + 1 is the next working day at 15:00 and a
// Saturday + 1 is the end of Monday's office hours. n <= 0 returns start.
func (c *Calendar) AddDays(start time.Time, n int) time.Time {
	return c.Add(start, time.Duration(n)*c.day)
}

// Between returns the working time elapsed from a to b (0 if b <= a).
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	na, offA := c.locate(a)
	nb, offB := c.locate(b)
	days := c.workdaysBefore(nb) - c.workdaysBefore(na)
	return time.Duration(days)*c.day + c.workedOn(nb, offB) - c.workedOn(na, offA)
}

// Used returns the fraction of its limit a step started at start with deadline
// due has used at now: Between(start, now) / Between(start, due). 1 or more
// means overdue. When the limit holds no working time (due <= start, say) it
// is 1 from due on and 0 before.
func (c *Calendar) Used(start, due, now time.Time) float64 {
	limit := c.Between(start, due)
	if limit == 0 {
		if now.Before(due) {
			return 0
		}
		return 1
	}
	return float64(c.Between(start, now)) / float64(limit)
}

// nthWorkday returns the working day on or after day from that has k working
// days between from and it.
func (c *Calendar) nthWorkday(from, k int64) int64 {
	base := c.workdaysBefore(from)
	enough := func(n int64) bool { return c.workdaysBefore(n+1)-base > k }
	lo, hi := from, from+k+k/2+7 // a normal week has 5 working days in 7
	for !enough(hi) {
		lo, hi = hi+1, hi+(hi-from)+7
	}
	for lo < hi { // the first day that is enough
		mid := lo + (hi-lo)/2
		if enough(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// locate returns the day number of t's date in the calendar's zone and t's
// wall-clock offset from midnight.
func (c *Calendar) locate(t time.Time) (n int64, off time.Duration) {
	t = t.In(c.loc)
	h, m, s := t.Clock()
	off = time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(s)*time.Second + time.Duration(t.Nanosecond())
	return dayNumber(t.Date()), off
}

// instant is the inverse of locate.
func (c *Calendar) instant(n int64, off time.Duration) time.Time {
	y, m, d := date(n)
	return time.Date(y, m, d, 0, 0, 0, int(off), c.loc)
}

// workedOn returns the working time on day n before the offset off.
func (c *Calendar) workedOn(n int64, off time.Duration) time.Duration {
	if !c.isWorkday(n) {
		return 0
	}
	return c.worked(off)
}

// worked returns the office hours of a working day before the offset off.
func (c *Calendar) worked(off time.Duration) time.Duration {
	var w time.Duration
	for _, s := range c.spans {
		w += min(max(off, s.start), s.end) - s.start
	}
	return w
}

// reach returns the earliest offset by which w of a working day's office hours
// have passed, for 0 < w <= c.day.
func (c *Calendar) reach(w time.Duration) time.Duration {
	for _, s := range c.spans {
		if l := s.end - s.start; w > l {
			w -= l
		} else {
			return s.start + w
		}
	}
	return c.spans[len(c.spans)-1].end // unreachable for w <= c.day
}
