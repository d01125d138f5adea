package fold

import (
	"encoding/binary"
	"errors"
	"strings"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/rates"
)

// A contribution is what one appeal adds to the kept figures: its facts by
// day, as rows of counts, encoded compactly in assess_folded so that the
// next fold can take it away again.

// DayMS is a day in milliseconds; ShanghaiOffsetMS is Shanghai's offset
// from UTC (calendar.Shanghai: UTC+8 all year).
const (
	DayMS            = 24 * 60 * 60 * 1000
	ShanghaiOffsetMS = 8 * 60 * 60 * 1000
)

// Day is a Shanghai calendar day, counted from 1970-01-01.
type Day int

func DayOf(t time.Time) Day {
	return Day((t.UnixMilli() + ShanghaiOffsetMS) / DayMS)
}

// Start returns the first instant of the day.
func (d Day) Start() time.Time {
	return time.UnixMilli(int64(d)*DayMS - ShanghaiOffsetMS).In(calendar.Shanghai)
}

// Month is a Shanghai calendar month: year × 12 + month − 1.
type Month int

func MonthOf(t time.Time) Month {
	t = t.In(calendar.Shanghai)
	return Month(t.Year()*12 + int(t.Month()) - 1)
}

// Start returns the first instant of the month.
func (m Month) Start() time.Time {
	return time.Date(int(m)/12, time.Month(int(m)%12+1), 1, 0, 0, 0, 0, calendar.Shanghai)
}

// contribution is what one appeal adds to the kept rows: its counts by day
// and row, and where it is (the keys of its region rows, and the street and
// district whose rows they are).
type contribution struct {
	grid, community, street, district string
	parts                             []part
	// The overview's count: the day it was received, its top-level
	// category and its state.
	received        Day
	category, state string
}

// The kinds of part of a contribution.
const (
	partDepartment = 'd' // a department's row; key is the department's id
	partHandler    = 'h' // a handler's row; key is the user's id
	partRegions    = 'r' // the rows of the appeal's grid, community, street and district; no key
)

type part struct {
	partKey
	c rates.Counts
}

// partKey names a part: its day, its kind and the key of its row.
type partKey struct {
	Day  Day
	kind byte
	key  string
}

// contributionOf works out the contribution of an appeal from its facts,
// its category and its state.
func contributionOf(a *rates.Appeal, category, state string) (contribution, error) {
	if top, _, ok := strings.Cut(category, "."); ok {
		category = top
	}
	k := contribution{grid: a.Grid, community: a.Community, street: a.Street, district: a.District,
		received: DayOf(a.Received), category: category, state: state}
	at := map[partKey]int{} // index in k.parts
	add := func(kind byte, key string, t time.Time, c rates.Counts) {
		pk := partKey{Day: DayOf(t), kind: kind, key: key}
		i, ok := at[pk]
		if !ok {
			i = len(k.parts)
			at[pk] = i
			k.parts = append(k.parts, part{partKey: pk})
		}
		k.parts[i].c.Add(c)
	}
	for _, dim := range [...]rates.Dimension{rates.Department, rates.Handler} {
		kind := byte(partDepartment)
		if dim == rates.Handler {
			kind = partHandler
		}
		if err := rates.Facts(a, dim, func(key string, t time.Time, c rates.Counts) { add(kind, key, t, c) }); err != nil {
			return k, err
		}
	}
	rates.RegionFacts(a, func(t time.Time, c rates.Counts) { add(partRegions, "", t, c) })
	return k, nil
}

// CountsColumns are the columns of assess_months that hold rates.Counts, in
// the order of vector.
const CountsColumns = `appeals, response_due, response_in_time, resolved, replied, satisfied, basic, unsatisfied,
	not_rated, rated, on_time_replies, handled, dispatches, returns, redone, overdue, handling_ms,
	redone_satisfied, redone_basic`

// NCounts is the number of CountsColumns.
const NCounts = 19

// countsColumnNames are CountsColumns one by one.
var countsColumnNames = strings.Split(strings.Join(strings.Fields(CountsColumns), ""), ",")

// vector returns the counts in the order of CountsColumns, Handling in ms.
func vector(c rates.Counts) [NCounts]int64 {
	return [NCounts]int64{int64(c.Appeals), int64(c.ResponseDue), int64(c.ResponseInTime), int64(c.Resolved),
		int64(c.Replied), int64(c.Satisfied), int64(c.Basic), int64(c.Unsatisfied), int64(c.NotRated),
		int64(c.Rated), int64(c.OnTimeReplies), int64(c.Handled), int64(c.Dispatches), int64(c.Returns),
		int64(c.Redone), int64(c.Overdue), c.Handling.Milliseconds(), int64(c.RedoneSatisfied), int64(c.RedoneBasic)}
}

// countsOf is the inverse of vector.
func countsOf(v [NCounts]int64) rates.Counts {
	return rates.Counts{Appeals: int(v[0]), ResponseDue: int(v[1]), ResponseInTime: int(v[2]), Resolved: int(v[3]),
		Replied: int(v[4]), Satisfied: int(v[5]), Basic: int(v[6]), Unsatisfied: int(v[7]), NotRated: int(v[8]),
		Rated: int(v[9]), OnTimeReplies: int(v[10]), Handled: int(v[11]), Dispatches: int(v[12]), Returns: int(v[13]),
		Redone: int(v[14]), Overdue: int(v[15]), Handling: time.Duration(v[16]) * time.Millisecond,
		RedoneSatisfied: int(v[17]), RedoneBasic: int(v[18])}
}

// contributionVersion is the first byte of an encoded contribution.
const contributionVersion = 1

// encode writes the contribution compactly: its four codes, the overview's
// day, category and state, then each part as day, kind, key and the counts
// that are not zero, flagged in a mask.
// (Counts of one appeal are never negative.)
func (k contribution) encode() []byte {
	b := []byte{contributionVersion}
	b = binary.AppendUvarint(b, uint64(k.received))
	for _, s := range [...]string{k.grid, k.community, k.street, k.district, k.category, k.state} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(k.parts)))
	for _, p := range k.parts {
		b = binary.AppendUvarint(b, uint64(p.Day))
		b = append(b, p.kind)
		b = binary.AppendUvarint(b, uint64(len(p.key)))
		b = append(b, p.key...)
		v := vector(p.c)
		var mask uint64
		for i, x := range v {
			if x != 0 {
				mask |= 1 << i
			}
		}
		b = binary.AppendUvarint(b, mask)
		for _, x := range v {
			if x != 0 {
				b = binary.AppendUvarint(b, uint64(x))
			}
		}
	}
	return b
}

var errContribution = errors.New("assess_folded: malformed contribution")

// decodeContribution reads what encode wrote.
func decodeContribution(b []byte) (contribution, error) {
	var k contribution
	if len(b) == 0 || b[0] != contributionVersion {
		return k, errContribution
	}
	b = b[1:]
	bad := false
	next := func() uint64 {
		x, n := binary.Uvarint(b)
		if n <= 0 {
			bad = true
			return 0
		}
		b = b[n:]
		return x
	}
	k.received = Day(next())
	for _, s := range [...]*string{&k.grid, &k.community, &k.street, &k.district, &k.category, &k.state} {
		n := next()
		if bad || uint64(len(b)) < n {
			return k, errContribution
		}
		*s, b = string(b[:n]), b[n:]
	}
	n := next()
	if bad || n > uint64(len(b)) {
		return k, errContribution
	}
	k.parts = make([]part, 0, n)
	for range n {
		var p part
		p.Day = Day(next())
		if bad || len(b) == 0 {
			return k, errContribution
		}
		p.kind, b = b[0], b[1:]
		n := next()
		if bad || uint64(len(b)) < n {
			return k, errContribution
		}
		p.key, b = string(b[:n]), b[n:]
		mask := next()
		var v [NCounts]int64
		for i := range v {
			if mask&(1<<i) != 0 {
				v[i] = int64(next())
			}
		}
		p.c = countsOf(v)
		k.parts = append(k.parts, p)
	}
	if bad || len(b) != 0 {
		return k, errContribution
	}
	return k, nil
}

// keptRow names one row of assess_months (daily false: at is a month) or
// of assess_days (daily: at is a day, and street is empty).
type keptRow struct {
	daily                  bool
	dim                    rates.Dimension
	at                     int
	city, district, street string
	key                    string
}

// cityOf returns the city of a district code: GB/T 2260 districts share
// their city's first four digits.
func cityOf(district string) string {
	if len(district) < 4 {
		return ""
	}
	return district[:4] + "00"
}

// overviewRow names one row of assess_overview.
type overviewRow struct {
	district, city  string
	Day             Day
	category, state string
}

// addTo adds the contribution, times sign (1 or −1), to the rows of delta
// and of overview.
func (k contribution) addTo(delta map[keptRow]*rates.Counts, overview map[overviewRow]int, sign int) {
	city := cityOf(k.district)
	overview[overviewRow{k.district, city, k.received, k.category, k.state}] += sign
	put := func(dim rates.Dimension, d Day, key string, c rates.Counts) {
		if sign < 0 {
			c = c.Neg()
		}
		for _, r := range [...]keptRow{
			{dim: dim, at: int(MonthOf(d.Start())), city: city, district: k.district, street: k.street, key: key},
			{daily: true, dim: dim, at: int(d), city: city, district: k.district, key: key},
		} {
			sum := delta[r]
			if sum == nil {
				sum = new(rates.Counts)
				delta[r] = sum
			}
			sum.Add(c)
		}
	}
	for _, p := range k.parts {
		switch p.kind {
		case partDepartment:
			put(rates.Department, p.Day, p.key, p.c)
		case partHandler:
			put(rates.Handler, p.Day, p.key, p.c)
		case partRegions:
			for _, r := range [...]struct {
				dim  rates.Dimension
				code string
			}{{rates.Grid, k.grid}, {rates.Community, k.community}, {rates.Street, k.street}, {rates.District, k.district}} {
				if r.code != "" {
					put(r.dim, p.Day, r.code, p.c)
				}
			}
		}
	}
}

// appealDay is one row of assess_appeal_days.
type appealDay struct {
	district string
	Day      Day
	appeal   int64
}

// addDays adds sign to the count in set of each day on which the
// contribution of appeal id has a fact.
func (k contribution) addDays(set map[appealDay]int, id int64, sign int) {
	seen := map[Day]bool{}
	for _, p := range k.parts {
		if !seen[p.Day] {
			seen[p.Day] = true
			set[appealDay{k.district, p.Day, id}] += sign
		}
	}
}
