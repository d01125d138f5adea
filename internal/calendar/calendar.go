// Package calendar is qifu's working-day calendar (工作日历): the official
// Chinese calendar of weekends, public holidays (法定节假日) and make-up
// working days (调休上班), with office hours, in one time zone. Time limits on
// appeals count working time on it.
//
// The weekly pattern is Monday–Friday; a Calendar holds only the exceptions
// to it. Official ships the State Council's notices; admins add later years
// (and local changes) as further exceptions.
package calendar

import (
	"fmt"
	"slices"
	"time"

	"qifu/internal/fault"
)

// Kind of a day that differs from the weekly pattern.
type Kind string

// The kinds.
const (
	Holiday Kind = "holiday" // 法定节假日/休息日: no office hours, whatever the weekday
	Workday Kind = "workday" // 调休上班: a working day, whatever the weekday (usually a weekend day)
)

// Day is one exception to the weekly pattern.
type Day struct {
	Date string // "2026-10-01"
	Kind Kind
	Name string // the festival it belongs to, e.g. "国庆节"
}

// Span is one stretch of office hours, in minutes after midnight, [Start, End).
type Span struct{ Start, End int }

// DefaultHours are Ningbo's office hours: 09:00–12:00 and 13:30–17:30.
var DefaultHours = []Span{{9 * 60, 12 * 60}, {13*60 + 30, 17*60 + 30}}

// Shanghai is China Standard Time (Asia/Shanghai). China has kept UTC+8 without
// daylight saving since 1991, so a fixed zone is exact and does not depend on
// the host's time-zone database.
var Shanghai = time.FixedZone("CST", 8*60*60)

// Option changes a default of New.
type Option func(*Calendar)

// WithHours sets the office hours: ascending, non-overlapping spans within a day.
func WithHours(spans ...Span) Option {
	return func(c *Calendar) { c.hours = slices.Clone(spans) }
}

// WithLocation sets the time zone in which dates and office hours are read.
func WithLocation(loc *time.Location) Option {
	return func(c *Calendar) { c.loc = loc }
}

// Calendar answers working-time questions in one time zone with office hours.
// It is immutable and safe for concurrent use.
type Calendar struct {
	loc   *time.Location
	hours []Span
	spans []span        // hours as offsets from midnight
	day   time.Duration // working time in one working day

	// The exceptions, by day number (days since 1970-01-01), ascending.
	dates []int64
	kinds []Kind  // kinds[i] is the kind of dates[i]
	shift []int64 // shift[i]: working days that dates[:i] add to the weekly pattern
}

type span struct{ start, end time.Duration }

// New builds a calendar from exceptions; a later entry for the same date wins,
// so admin edits appended to Official() override it.
func New(days []Day, opts ...Option) (*Calendar, error) {
	c := &Calendar{loc: Shanghai, hours: slices.Clone(DefaultHours)}
	for _, o := range opts {
		o(c)
	}
	if c.loc == nil {
		return nil, fault.New(fault.Invalid, "calendar_location", "未设置时区", "no time zone")
	}
	if err := c.setHours(); err != nil {
		return nil, err
	}

	byDate := make(map[int64]Kind, len(days))
	for _, d := range days {
		t, err := time.Parse(time.DateOnly, d.Date)
		if err != nil {
			e := fault.New(fault.Invalid, "calendar_date",
				fmt.Sprintf("日期 %q 无效，应为 YYYY-MM-DD 格式的真实日期", d.Date),
				fmt.Sprintf("invalid date %q: want a real date as YYYY-MM-DD", d.Date))
			e.Err = err
			return nil, e
		}
		if d.Kind != Holiday && d.Kind != Workday {
			return nil, fault.New(fault.Invalid, "calendar_kind",
				fmt.Sprintf("%s 的类型 %q 无效，应为 %q 或 %q", d.Date, d.Kind, Holiday, Workday),
				fmt.Sprintf("invalid kind %q for %s: want %q or %q", d.Kind, d.Date, Holiday, Workday))
		}
		byDate[dayNumber(t.Date())] = d.Kind
	}

	for n := range byDate {
		c.dates = append(c.dates, n)
	}
	slices.Sort(c.dates)
	c.kinds = make([]Kind, len(c.dates))
	c.shift = make([]int64, len(c.dates)+1)
	for i, n := range c.dates {
		k := byDate[n]
		c.kinds[i] = k
		c.shift[i+1] = c.shift[i]
		switch weekend := isWeekend(n); {
		case k == Workday && weekend:
			c.shift[i+1]++
		case k == Holiday && !weekend:
			c.shift[i+1]--
		}
	}
	return c, nil
}

// setHours checks c.hours and derives the spans and the working-day length.
func (c *Calendar) setHours() error {
	if len(c.hours) == 0 {
		return fault.New(fault.Invalid, "calendar_hours", "未设置办公时间", "no office hours")
	}
	prev := 0
	for _, h := range c.hours {
		if h.Start < prev || h.Start >= h.End || h.End > 24*60 {
			return fault.New(fault.Invalid, "calendar_hours",
				fmt.Sprintf("办公时间 %s 无效：各时段须在一天之内、按时间先后排列且互不重叠", hoursText(c.hours)),
				fmt.Sprintf("invalid office hours %s: spans must lie within a day, ascending and not overlapping", hoursText(c.hours)))
		}
		s := span{time.Duration(h.Start) * time.Minute, time.Duration(h.End) * time.Minute}
		c.spans = append(c.spans, s)
		c.day += s.end - s.start
		prev = h.End
	}
	return nil
}

func hoursText(hours []Span) string {
	s := ""
	for i, h := range hours {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%02d:%02d–%02d:%02d", h.Start/60, h.Start%60, h.End/60, h.End%60)
	}
	return s
}

// IsWorkday reports whether the date of t, in the calendar's zone, is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	n, _ := c.locate(t)
	return c.isWorkday(n)
}

// WorkdayLength returns the office hours of one working day (7h by default).
func (c *Calendar) WorkdayLength() time.Duration { return c.day }

func (c *Calendar) isWorkday(n int64) bool {
	if i, ok := slices.BinarySearch(c.dates, n); ok {
		return c.kinds[i] == Workday
	}
	return !isWeekend(n)
}

// workdaysBefore counts the working days before day n, from an arbitrary
// origin: workdaysBefore(b) - workdaysBefore(a) is the number in [a, b).
func (c *Calendar) workdaysBefore(n int64) int64 {
	m := n + 3 // day -3, 1969-12-29, was a Monday
	weekdays := 5*floorDiv(m, 7) + min(floorMod(m, 7), 5)
	i, _ := slices.BinarySearch(c.dates, n) // exceptions before n
	return weekdays + c.shift[i]
}

// dayNumber returns the days since 1970-01-01 of the date y-m-d.
func dayNumber(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / (24 * 60 * 60)
}

// date returns the date of day number n.
func date(n int64) (int, time.Month, int) {
	return time.Unix(n*24*60*60, 0).UTC().Date()
}

func isWeekend(n int64) bool {
	wd := time.Weekday(floorMod(n+4, 7)) // 1970-01-01 was a Thursday
	return wd == time.Saturday || wd == time.Sunday
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }
