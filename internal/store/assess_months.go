package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/place"
	"qifu/internal/rates"
)

// The assessment of a district's year reads tens of thousands of appeals and
// their steps when computed from the facts. So the figures of whole months
// are kept, added up, in assess_months: one row per dimension, month, street
// and key, holding the rates.Counts of that month's facts of the street's
// appeals. Every count adds up over periods and over appeals (see
// rates.Counts), so the figures of a period are the sum of the rows of its
// whole months, plus the part months at its ends computed from the facts.
//
// The rows are kept by folding. A transaction that changes an appeal (every
// Act and every creation: whatever writes its timeline) queues the appeal in
// assess_pending, an append that no other writer waits for. Folding takes
// the queue in batches: for each appeal it works out the contribution the
// appeal now makes to assess_months (its facts by month, rates.Facts), takes
// away the one it made when last folded (kept in assess_folded) and adds the
// difference. So an appeal's figures follow whatever changed it — a late
// rating, a redo, a due date moved by a pause — and one folded by mistake is
// merely folded again. One folder runs at a time (PostgreSQL: an advisory
// lock; SQLite has one writer anyway), so the months' rows are never
// contended: the writers that serve people only append to the queue.
//
// Every instance folds every few seconds (cmd/qifu), and an assessment that
// reads the months folds the queue first, so its figures are exact as of the
// time it ran; if the queue is long (after a bulk load, or a migration), the
// assessment is computed from the facts instead, as before. A change to the
// calendar queues the appeals whose handling time it changes.

// foldBatch is the number of queued appeals one folding transaction takes.
const foldBatch = 500

// foldInline is the longest queue an assessment folds before it reads the
// months; beyond it, the assessment is computed from the facts.
const foldInline = 5000

// foldLock is the PostgreSQL advisory lock folding holds.
const foldLock = 7_204_101

// month is a Shanghai calendar month: year × 12 + month − 1.
type month int

func monthOf(t time.Time) month {
	t = t.In(calendar.Shanghai)
	return month(t.Year()*12 + int(t.Month()) - 1)
}

// start returns the first instant of the month.
func (m month) start() time.Time {
	return time.Date(int(m)/12, time.Month(int(m)%12+1), 1, 0, 0, 0, 0, calendar.Shanghai)
}

// The kinds of part of a contribution.
const (
	partDepartment = 'd' // a department's row; id is the department
	partHandler    = 'h' // a handler's row; id is the user
	partRegions    = 'r' // the rows of the appeal's grid, community, street and district
)

// contribution is what one appeal adds to assess_months: its counts by
// month and row, and where it is (the keys of its region rows, and the
// street whose rows they are).
type contribution struct {
	grid, community, street, district string
	parts                             []part
}

type part struct {
	month month
	kind  byte
	id    int64
	c     rates.Counts
}

// contributionOf works out the contribution of an appeal from its facts.
func contributionOf(a *rates.Appeal) (contribution, error) {
	k := contribution{grid: a.Grid, community: a.Community, street: a.Street, district: a.District}
	at := map[part]int{} // index in k.parts by month, kind and id
	add := func(kind byte, id int64, t time.Time, c rates.Counts) {
		key := part{month: monthOf(t), kind: kind, id: id}
		i, ok := at[key]
		if !ok {
			i = len(k.parts)
			at[key] = i
			k.parts = append(k.parts, key)
		}
		k.parts[i].c.Add(c)
	}
	for _, dim := range [...]rates.Dimension{rates.Department, rates.Handler} {
		kind := byte(partDepartment)
		if dim == rates.Handler {
			kind = partHandler
		}
		var bad error
		if err := rates.Facts(a, dim, func(key string, t time.Time, c rates.Counts) {
			id, err := strconv.ParseInt(key, 10, 64)
			if err != nil {
				bad = err
			}
			add(kind, id, t, c)
		}); err != nil {
			return k, err
		}
		if bad != nil {
			return k, bad
		}
	}
	rates.RegionFacts(a, func(t time.Time, c rates.Counts) { add(partRegions, 0, t, c) })
	return k, nil
}

// countsColumns are the columns of assess_months that hold rates.Counts, in
// the order of vector.
const countsColumns = `appeals, response_due, response_in_time, resolved, replied, satisfied, basic, unsatisfied,
	not_rated, rated, on_time_replies, handled, dispatches, returns, redone, overdue, handling_ms`

const nCounts = 17

// vector returns the counts in the order of countsColumns, Handling in ms.
func vector(c rates.Counts) [nCounts]int64 {
	return [nCounts]int64{int64(c.Appeals), int64(c.ResponseDue), int64(c.ResponseInTime), int64(c.Resolved),
		int64(c.Replied), int64(c.Satisfied), int64(c.Basic), int64(c.Unsatisfied), int64(c.NotRated),
		int64(c.Rated), int64(c.OnTimeReplies), int64(c.Handled), int64(c.Dispatches), int64(c.Returns),
		int64(c.Redone), int64(c.Overdue), c.Handling.Milliseconds()}
}

// countsOf is the inverse of vector.
func countsOf(v [nCounts]int64) rates.Counts {
	return rates.Counts{Appeals: int(v[0]), ResponseDue: int(v[1]), ResponseInTime: int(v[2]), Resolved: int(v[3]),
		Replied: int(v[4]), Satisfied: int(v[5]), Basic: int(v[6]), Unsatisfied: int(v[7]), NotRated: int(v[8]),
		Rated: int(v[9]), OnTimeReplies: int(v[10]), Handled: int(v[11]), Dispatches: int(v[12]), Returns: int(v[13]),
		Redone: int(v[14]), Overdue: int(v[15]), Handling: time.Duration(v[16]) * time.Millisecond}
}

// contributionVersion is the first byte of an encoded contribution.
const contributionVersion = 1

// encode writes the contribution compactly: its four codes, then each part
// as month, kind, id and the counts that are not zero, flagged in a mask.
// (Counts of one appeal are never negative.)
func (k contribution) encode() []byte {
	b := []byte{contributionVersion}
	for _, s := range [...]string{k.grid, k.community, k.street, k.district} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(k.parts)))
	for _, p := range k.parts {
		b = binary.AppendUvarint(b, uint64(p.month))
		b = append(b, p.kind)
		b = binary.AppendUvarint(b, uint64(p.id))
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
	for _, s := range [...]*string{&k.grid, &k.community, &k.street, &k.district} {
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
		p.month = month(next())
		if bad || len(b) == 0 {
			return k, errContribution
		}
		p.kind, b = b[0], b[1:]
		p.id = int64(next())
		mask := next()
		var v [nCounts]int64
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

// monthRow names one row of assess_months.
type monthRow struct {
	dim                    rates.Dimension
	month                  month
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

// addTo adds the contribution, times sign (1 or −1), to the rows of delta.
func (k contribution) addTo(delta map[monthRow]*rates.Counts, sign int) {
	city := cityOf(k.district)
	put := func(r monthRow, c rates.Counts) {
		r.city, r.district, r.street = city, k.district, k.street
		if sign < 0 {
			c = c.Neg()
		}
		d := delta[r]
		if d == nil {
			d = new(rates.Counts)
			delta[r] = d
		}
		d.Add(c)
	}
	for _, p := range k.parts {
		switch p.kind {
		case partDepartment:
			put(monthRow{dim: rates.Department, month: p.month, key: strconv.FormatInt(p.id, 10)}, p.c)
		case partHandler:
			put(monthRow{dim: rates.Handler, month: p.month, key: strconv.FormatInt(p.id, 10)}, p.c)
		case partRegions:
			for _, r := range [...]struct {
				dim  rates.Dimension
				code string
			}{{rates.Grid, k.grid}, {rates.Community, k.community}, {rates.Street, k.street}, {rates.District, k.district}} {
				if r.code != "" {
					put(monthRow{dim: r.dim, month: p.month, key: r.code}, p.c)
				}
			}
		}
	}
}

// FoldAssessment folds the queued appeals into assess_months, batch after
// batch, until the queue is empty or limit appeals (0: no limit) are folded;
// it returns how many queue entries it took.
func (s *Store) FoldAssessment(ctx context.Context, limit int) (int, error) {
	total := 0
	for limit <= 0 || total < limit {
		n, err := s.foldBatch(ctx)
		total += n
		if err != nil || n < foldBatch {
			return total, err
		}
	}
	return total, nil
}

// foldBatch folds one batch of the queue in one transaction.
func (s *Store) foldBatch(ctx context.Context) (int, error) {
	var n int
	err := s.WithTx(ctx, func(tx *Tx) error {
		h := tx.db()
		if s.d == postgresDialect {
			if _, err := h.exec(ctx, "SELECT pg_advisory_xact_lock(?)", foldLock); err != nil {
				return fmt.Errorf("fold lock: %w", err)
			}
		}
		rows, err := h.query(ctx, `DELETE FROM assess_pending WHERE id IN
			(SELECT id FROM assess_pending ORDER BY id LIMIT ?) RETURNING appeal_id`, foldBatch)
		if err != nil {
			return fmt.Errorf("take fold queue: %w", err)
		}
		seen := map[int64]bool{}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			n++
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		// The calendar as it is in this transaction, not as cached: what
		// is folded stays.
		days, err := h.calendarDays(ctx)
		if err != nil {
			return err
		}
		cal, err := calendar.New(append(calendar.Official(), days...))
		if err != nil {
			return fmt.Errorf("build calendar: %w", err)
		}
		facts, err := factsWhere(ctx, h, cal, "a.id IN ("+placeholders(len(ids))+")", ids, s.now())
		if err != nil {
			return err
		}
		delta := map[monthRow]*rates.Counts{}
		var fresh [][]any // the new contributions, (appeal_id, facts)
		for i := range facts {
			delete(seen, facts[i].ID)
			k, err := contributionOf(&facts[i])
			if err != nil {
				return fmt.Errorf("appeal %d: %w", facts[i].ID, err)
			}
			k.addTo(delta, 1)
			fresh = append(fresh, []any{facts[i].ID, k.encode()})
		}
		old, err := h.query(ctx, "SELECT appeal_id, facts FROM assess_folded WHERE appeal_id IN ("+placeholders(len(ids))+")", ids...)
		if err != nil {
			return fmt.Errorf("read folded: %w", err)
		}
		for old.Next() {
			var id int64
			var b []byte
			if err := old.Scan(&id, &b); err != nil {
				old.Close()
				return err
			}
			k, err := decodeContribution(b)
			if err != nil {
				old.Close()
				return fmt.Errorf("appeal %d: %w", id, err)
			}
			k.addTo(delta, -1)
		}
		old.Close()
		if err := old.Err(); err != nil {
			return err
		}
		if err := h.addMonths(ctx, delta); err != nil {
			return err
		}
		if len(seen) > 0 { // appeals no longer there: their contribution is taken away
			var gone []any
			for id := range seen {
				gone = append(gone, id)
			}
			if _, err := h.exec(ctx, "DELETE FROM assess_folded WHERE appeal_id IN ("+placeholders(len(gone))+")", gone...); err != nil {
				return fmt.Errorf("forget folded: %w", err)
			}
		}
		for rest := fresh; len(rest) > 0; {
			batch := rest[:min(len(rest), 200)]
			rest = rest[len(batch):]
			args := make([]any, 0, 2*len(batch))
			for _, r := range batch {
				args = append(args, r...)
			}
			if _, err := h.exec(ctx, "INSERT INTO assess_folded (appeal_id, facts) VALUES "+tuples("(?, ?)", len(batch))+
				" ON CONFLICT (appeal_id) DO UPDATE SET facts = excluded.facts", args...); err != nil {
				return fmt.Errorf("write folded: %w", err)
			}
		}
		return nil
	})
	return n, err
}

// monthRowsPerInsert bounds the rows of one upsert into assess_months.
const monthRowsPerInsert = 200

// addMonths adds delta to the rows of assess_months, creating those missing.
func (h db) addMonths(ctx context.Context, delta map[monthRow]*rates.Counts) error {
	cols := strings.Split(strings.Join(strings.Fields(countsColumns), ""), ",")
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = assess_months." + c + " + excluded." + c
	}
	tuple := "(?, ?, ?, ?, ?, ?" + strings.Repeat(", ?", nCounts) + ")"
	args := make([]any, 0, monthRowsPerInsert*(6+nCounts))
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := h.exec(ctx, "INSERT INTO assess_months (dim, month, city_code, district_code, street_code, key, "+countsColumns+
			") VALUES "+tuples(tuple, n)+" ON CONFLICT (dim, month, city_code, district_code, street_code, key) DO UPDATE SET "+
			strings.Join(sets, ", "), args...)
		args, n = args[:0], 0
		if err != nil {
			return fmt.Errorf("add to assess_months: %w", err)
		}
		return nil
	}
	for r, c := range delta {
		if *c == (rates.Counts{}) {
			continue
		}
		args = append(args, string(r.dim), int(r.month), r.city, r.district, r.street, r.key)
		for _, x := range vector(*c) {
			args = append(args, x)
		}
		if n++; n == monthRowsPerInsert {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// monthsScope is the condition on assess_months rows that stands for the
// reach of an actor for assessment, narrowed to a region; ok is false when
// the rows cannot answer (a community's or a grid's scope: small enough to
// compute from the facts) and when nothing is in reach (none is true).
func monthsScope(actor access.Actor, region string) (where string, args []any, ok bool) {
	f := access.FilterFor(actor, access.AppealAssess)
	code := region
	switch f.Reach {
	case access.All:
	case access.Dispatched:
		// A department sees its own row only, and every fact counted in it
		// is of an appeal dispatched to it.
		where, args = " AND key = ?", []any{strconv.FormatInt(f.DepartmentID, 10)}
	case access.Region:
		switch {
		case region == "":
			code = f.Code
		case strings.HasPrefix(region, place.Prefix(f.Code)) && place.LevelOf(region) >= f.Level:
		default:
			return "", nil, false // outside, or above, the actor's region: from the facts
		}
	default:
		return "", nil, false
	}
	if code == "" {
		return where, args, true
	}
	column := map[place.Level]string{place.City: "city_code", place.District: "district_code", place.Street: "street_code"}[place.LevelOf(code)]
	if column == "" {
		return "", nil, false
	}
	return where + " AND " + column + " = ?", append(args, code), true
}

// addMonthCounts adds the rows of the months [from, to) of assess_months
// in dimension dim that the condition where selects to counts.
func (h db) addMonthCounts(ctx context.Context, dim rates.Dimension, from, to month, where string, args []any, counts map[string]*rates.Counts) error {
	sums := make([]string, nCounts)
	for i, c := range strings.Split(strings.Join(strings.Fields(countsColumns), ""), ",") {
		sums[i] = "SUM(" + c + ")"
	}
	rows, err := h.query(ctx, "SELECT key, "+strings.Join(sums, ", ")+" FROM assess_months WHERE dim = ? AND month >= ? AND month < ?"+
		where+" GROUP BY key", append([]any{string(dim), int(from), int(to)}, args...)...)
	if err != nil {
		return fmt.Errorf("read assess_months: %w", err)
	}
	defer rows.Close()
	var v [nCounts]int64
	dest := make([]any, 1+nCounts)
	var key string
	dest[0] = &key
	for i := range v {
		dest[i+1] = &v[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		c := counts[key]
		if c == nil {
			c = new(rates.Counts)
			counts[key] = c
		}
		c.Add(countsOf(v))
	}
	return rows.Err()
}

// foldForRead folds the queue for an assessment about to read the months;
// false if the queue is too long to fold now.
func (s *Store) foldForRead(ctx context.Context) (bool, error) {
	var n int
	if err := scan(s.reader().row(ctx, "SELECT COUNT(*) FROM assess_pending"), &n); err != nil {
		return false, err
	}
	if n > foldInline {
		return false, nil
	}
	if n == 0 {
		return true, nil
	}
	_, err := s.FoldAssessment(ctx, n)
	return err == nil, err
}

// queueTouched queues the appeals the transaction changed for folding.
func (t *Tx) queueTouched(ctx context.Context) error {
	if len(t.touched) == 0 {
		return nil
	}
	args := make([]any, 0, len(t.touched))
	for id := range t.touched {
		args = append(args, id)
	}
	for rest := args; len(rest) > 0; {
		batch := rest[:min(len(rest), 500)]
		rest = rest[len(batch):]
		if _, err := t.db().exec(ctx, "INSERT INTO assess_pending (appeal_id) VALUES "+tuples("(?)", len(batch)), batch...); err != nil {
			return fmt.Errorf("queue for folding: %w", err)
		}
	}
	return nil
}

// queueCalendarDay queues for folding the appeals whose handling time a
// change to the working-day calendar on date (YYYY-MM-DD) changes: those
// with a handle step done after the day began and started before it ended.
// (Deadlines already set stay as they are.)
func (t *Tx) queueCalendarDay(ctx context.Context, date string) error {
	day, err := time.ParseInLocation(time.DateOnly, date, calendar.Shanghai)
	if err != nil {
		return fmt.Errorf("calendar day %q: %w", date, err)
	}
	if _, err := t.db().exec(ctx, `INSERT INTO assess_pending (appeal_id) SELECT DISTINCT appeal_id FROM appeal_steps
		WHERE step = 'handle' AND done_at > ? AND started_at < ?`, day.UnixMilli(), day.AddDate(0, 0, 1).UnixMilli()); err != nil {
		return fmt.Errorf("queue for folding: %w", err)
	}
	return nil
}
