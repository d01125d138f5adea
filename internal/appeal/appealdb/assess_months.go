package appealdb

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/place"
	"qifu/internal/rates"
	"qifu/internal/store"
)

// The assessment of a district's year reads tens of thousands of appeals and
// their steps when computed from the facts. So the figures are kept, added
// up: in assess_months, one row per dimension, month, street and key, and in
// assess_days, one per dimension, day, district and key, each holding the
// rates.Counts of that month's or day's facts of the appeals there. Every
// count adds up over periods and over appeals (see rates.Counts), so the
// figures of a period are the sum of the rows of its whole months, of its
// whole days before and after them, and of the rest — the day still running,
// or a period that does not start at midnight — computed from the facts of
// the few appeals that have one then (assess_appeal_days says which).
//
// The rows are kept by folding. A transaction that changes an appeal (every
// Act and every creation: whatever writes its timeline) queues the appeal in
// assess_pending, an append that no other writer waits for. Folding takes
// the queue in batches: for each appeal it works out the contribution the
// appeal now makes (its facts by day, rates.Facts), takes away the one it
// made when last folded (kept in assess_folded) and adds the difference. So
// an appeal's figures follow whatever changed it — a late rating, a redo, a
// due date moved by a pause — and one folded by mistake is merely folded
// again. One folder runs at a time (PostgreSQL: an advisory lock; SQLite has
// one writer anyway), so the kept rows are never contended: the writers that
// serve people only append to the queue.
//
// Every instance folds every few seconds (cmd/qifu), and an assessment that
// reads the kept rows folds the queue first, so its figures are exact as of
// the time it ran; if the queue is long (after a bulk load, or a migration),
// or the scope is a community's or a grid's (small), the assessment is
// computed from the facts instead. A change to the calendar queues the
// appeals whose handling time it changes.

// foldBatch is the number of queued appeals one folding transaction takes.
const foldBatch = 500

// foldInline is the longest queue an assessment folds before it reads the
// months; beyond it, the assessment is computed from the facts.
const foldInline = 5000

// foldLock is the PostgreSQL advisory lock folding holds.
const foldLock = 7_204_101

// day is a Shanghai calendar day, counted from 1970-01-01.
type day int

func dayOf(t time.Time) day {
	return day((t.UnixMilli() + shanghaiOffsetMS) / dayMS)
}

// start returns the first instant of the day.
func (d day) start() time.Time {
	return time.UnixMilli(int64(d)*dayMS - shanghaiOffsetMS).In(calendar.Shanghai)
}

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
	partDepartment = 'd' // a department's row; key is the department's id
	partHandler    = 'h' // a handler's row; key is the user's id
	partRegions    = 'r' // the rows of the appeal's grid, community, street and district; no key
)

// contribution is what one appeal adds to the kept rows: its counts by day
// and row, and where it is (the keys of its region rows, and the street and
// district whose rows they are).
type contribution struct {
	grid, community, street, district string
	parts                             []part
	// The overview's count: the day it was received, its top-level
	// category and its state.
	received        day
	category, state string
}

type part struct {
	partKey
	c rates.Counts
}

// partKey names a part: its day, its kind and the key of its row.
type partKey struct {
	day  day
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
		received: dayOf(a.Received), category: category, state: state}
	at := map[partKey]int{} // index in k.parts
	add := func(kind byte, key string, t time.Time, c rates.Counts) {
		pk := partKey{day: dayOf(t), kind: kind, key: key}
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

// countsColumns are the columns of assess_months that hold rates.Counts, in
// the order of vector.
const countsColumns = `appeals, response_due, response_in_time, resolved, replied, satisfied, basic, unsatisfied,
	not_rated, rated, on_time_replies, handled, dispatches, returns, redone, overdue, handling_ms`

const nCounts = 17

// countsColumnNames are countsColumns one by one.
var countsColumnNames = strings.Split(strings.Join(strings.Fields(countsColumns), ""), ",")

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
		b = binary.AppendUvarint(b, uint64(p.day))
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
	k.received = day(next())
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
		p.day = day(next())
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
	day             day
	category, state string
}

// addTo adds the contribution, times sign (1 or −1), to the rows of delta
// and of overview.
func (k contribution) addTo(delta map[keptRow]*rates.Counts, overview map[overviewRow]int, sign int) {
	city := cityOf(k.district)
	overview[overviewRow{k.district, city, k.received, k.category, k.state}] += sign
	put := func(dim rates.Dimension, d day, key string, c rates.Counts) {
		if sign < 0 {
			c = c.Neg()
		}
		for _, r := range [...]keptRow{
			{dim: dim, at: int(monthOf(d.start())), city: city, district: k.district, street: k.street, key: key},
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
			put(rates.Department, p.day, p.key, p.c)
		case partHandler:
			put(rates.Handler, p.day, p.key, p.c)
		case partRegions:
			for _, r := range [...]struct {
				dim  rates.Dimension
				code string
			}{{rates.Grid, k.grid}, {rates.Community, k.community}, {rates.Street, k.street}, {rates.District, k.district}} {
				if r.code != "" {
					put(r.dim, p.day, r.code, p.c)
				}
			}
		}
	}
}

// appealDay is one row of assess_appeal_days.
type appealDay struct {
	district string
	day      day
	appeal   int64
}

// addDays adds sign to the count in set of each day on which the
// contribution of appeal id has a fact.
func (k contribution) addDays(set map[appealDay]int, id int64, sign int) {
	seen := map[day]bool{}
	for _, p := range k.parts {
		if !seen[p.day] {
			seen[p.day] = true
			set[appealDay{k.district, p.day, id}] += sign
		}
	}
}

// FoldAssessment folds the queued appeals into the kept rows, batch after
// batch, until the queue is empty or limit appeals (0: no limit) are folded;
// it returns how many queue entries it took. If another fold is running (on
// another instance, or for a leader's page) it leaves the queue to that one
// and returns 0: the servers call it every few seconds.
func (s *Store) FoldAssessment(ctx context.Context, limit int) (int, error) {
	return s.fold(ctx, limit, false)
}

// fold folds as FoldAssessment does; with wait, it waits for a fold running
// elsewhere to end, and then folds what is left.
func (s *Store) fold(ctx context.Context, limit int, wait bool) (int, error) {
	total := 0
	for limit <= 0 || total < limit {
		n, err := s.foldBatch(ctx, wait)
		total += n
		if err != nil || n < foldBatch {
			return total, err
		}
	}
	return total, nil
}

// foldBatch folds one batch of the queue. On PostgreSQL the whole batch is
// one transaction under the advisory lock. On SQLite, whose one writer the
// people's requests wait for, the batch is read from the read pool first
// and only written in a transaction: an appeal changed meanwhile was queued
// again, after the entries this batch takes, and is folded again by the
// next batch; and one folder runs at a time in the process (s.folding),
// the only process writing an SQLite store.
func (s *Store) foldBatch(ctx context.Context, wait bool) (int, error) {
	if s.engine.Postgres() {
		var n int
		err := s.WithTx(ctx, func(tx *Tx) error {
			h := tx.db()
			if wait {
				if _, err := h.Exec(ctx, "SELECT pg_advisory_xact_lock(?)", foldLock); err != nil {
					return fmt.Errorf("fold lock: %w", err)
				}
			} else {
				var got bool
				if err := store.Scan(h.Row(ctx, "SELECT pg_try_advisory_xact_lock(?)", foldLock), &got); err != nil {
					return fmt.Errorf("fold lock: %w", err)
				}
				if !got {
					return nil // another is folding
				}
			}
			f, err := s.readFold(ctx, h)
			if err != nil {
				return err
			}
			n = len(f.taken)
			return f.write(ctx, h)
		})
		return n, err
	}
	if wait {
		s.folding.Lock()
	} else if !s.folding.TryLock() {
		return 0, nil // another is folding
	}
	defer s.folding.Unlock()
	f, err := s.readFold(ctx, s.reader())
	if err != nil || len(f.taken) == 0 {
		return 0, err
	}
	return len(f.taken), s.WithTx(ctx, func(tx *Tx) error { return f.write(ctx, tx.db()) })
}

// fold is one batch of the queue, read and worked out, to be written.
type fold struct {
	taken    []any // the queue entries taken
	gone     []any // appeals no longer there
	fresh    [][]any
	delta    map[keptRow]*rates.Counts
	overview map[overviewRow]int
	days     map[appealDay]int // > 0: a day to add, < 0: one to remove
}

// readFold takes a batch of the queue and works out what to write.
func (s *Store) readFold(ctx context.Context, h db) (fold, error) {
	f := fold{delta: map[keptRow]*rates.Counts{}, overview: map[overviewRow]int{}, days: map[appealDay]int{}}
	rows, err := h.Query(ctx, "SELECT id, appeal_id FROM assess_pending ORDER BY id LIMIT ?", foldBatch)
	if err != nil {
		return f, fmt.Errorf("read fold queue: %w", err)
	}
	seen := map[int64]bool{}
	var ids []any
	for rows.Next() {
		var entry, id int64
		if err := rows.Scan(&entry, &id); err != nil {
			rows.Close()
			return f, err
		}
		f.taken = append(f.taken, entry)
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return f, err
	}
	// The calendar as it is now, not as cached: what is folded stays.
	cal, err := h.Calendar(ctx)
	if err != nil {
		return f, err
	}
	facts, err := factsWhere(ctx, h, cal, "a.id IN ("+store.Placeholders(len(ids))+")", ids, s.now())
	if err != nil {
		return f, err
	}
	// The category and the state, for the overview.
	kinds, err := h.Query(ctx, "SELECT id, category, state FROM appeals WHERE id IN ("+store.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return f, fmt.Errorf("read appeals to fold: %w", err)
	}
	type label struct{ category, state string }
	labels := map[int64]label{}
	for kinds.Next() {
		var id int64
		var x label
		if err := kinds.Scan(&id, &x.category, &x.state); err != nil {
			kinds.Close()
			return f, err
		}
		labels[id] = x
	}
	kinds.Close()
	if err := kinds.Err(); err != nil {
		return f, err
	}
	for i := range facts {
		delete(seen, facts[i].ID)
		x := labels[facts[i].ID]
		k, err := contributionOf(&facts[i], x.category, x.state)
		if err != nil {
			return f, fmt.Errorf("appeal %d: %w", facts[i].ID, err)
		}
		k.addTo(f.delta, f.overview, 1)
		k.addDays(f.days, facts[i].ID, 1)
		f.fresh = append(f.fresh, []any{facts[i].ID, k.encode()})
	}
	for id := range seen {
		f.gone = append(f.gone, id)
	}
	old, err := h.Query(ctx, "SELECT appeal_id, facts FROM assess_folded WHERE appeal_id IN ("+store.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return f, fmt.Errorf("read folded: %w", err)
	}
	defer old.Close()
	for old.Next() {
		var id int64
		var b []byte
		if err := old.Scan(&id, &b); err != nil {
			return f, err
		}
		k, err := decodeContribution(b)
		if err != nil {
			return f, fmt.Errorf("appeal %d: %w", id, err)
		}
		k.addTo(f.delta, f.overview, -1)
		k.addDays(f.days, id, -1)
	}
	return f, old.Err()
}

// write writes a batch worked out by readFold, and removes its entries
// from the queue.
func (f fold) write(ctx context.Context, h db) error {
	if len(f.taken) == 0 {
		return nil
	}
	if err := h.addKept(ctx, f.delta); err != nil {
		return err
	}
	if err := h.moveAppealDays(ctx, f.days); err != nil {
		return err
	}
	if err := h.addOverview(ctx, f.overview); err != nil {
		return err
	}
	if len(f.gone) > 0 { // appeals no longer there: their contribution is taken away
		if _, err := h.Exec(ctx, "DELETE FROM assess_folded WHERE appeal_id IN ("+store.Placeholders(len(f.gone))+")", f.gone...); err != nil {
			return fmt.Errorf("forget folded: %w", err)
		}
	}
	if err := h.execRows(ctx, "INSERT INTO assess_folded (appeal_id, facts) VALUES ",
		" ON CONFLICT (appeal_id) DO UPDATE SET facts = excluded.facts", f.fresh); err != nil {
		return fmt.Errorf("write folded: %w", err)
	}
	if _, err := h.Exec(ctx, "DELETE FROM assess_pending WHERE id IN ("+store.Placeholders(len(f.taken))+")", f.taken...); err != nil {
		return fmt.Errorf("take fold queue: %w", err)
	}
	return nil
}

// rowsPerStatement bounds the rows of one multi-row statement of the fold.
const rowsPerStatement = 200

// execRows runs head + VALUES tuples of rows + tail for the rows, a few
// hundred to a statement; every row has the same number of values.
func (h db) execRows(ctx context.Context, head, tail string, rows [][]any) error {
	for batch := range slices.Chunk(rows, rowsPerStatement) {
		tuple := "(?" + strings.Repeat(", ?", len(batch[0])-1) + ")"
		args := make([]any, 0, len(batch)*len(batch[0]))
		for _, r := range batch {
			args = append(args, r...)
		}
		if _, err := h.Exec(ctx, head+store.Tuples(tuple, len(batch))+tail, args...); err != nil {
			return err
		}
	}
	return nil
}

// addKept adds delta to the kept rows, creating those missing.
func (h db) addKept(ctx context.Context, delta map[keptRow]*rates.Counts) error {
	for _, daily := range []bool{false, true} {
		table, head := "assess_months", "dim, month, city_code, district_code, street_code, key"
		if daily {
			table, head = "assess_days", "dim, day, city_code, district_code, key"
		}
		sets := make([]string, nCounts)
		for i, c := range countsColumnNames {
			sets[i] = c + " = " + table + "." + c + " + excluded." + c
		}
		var rows [][]any
		for r, c := range delta {
			if r.daily != daily || *c == (rates.Counts{}) {
				continue
			}
			row := []any{string(r.dim), r.at, r.city, r.district}
			if !daily {
				row = append(row, r.street)
			}
			row = append(row, r.key)
			for _, x := range vector(*c) {
				row = append(row, x)
			}
			rows = append(rows, row)
		}
		if err := h.execRows(ctx, "INSERT INTO "+table+" ("+head+", "+countsColumns+") VALUES ",
			" ON CONFLICT ("+head+") DO UPDATE SET "+strings.Join(sets, ", "), rows); err != nil {
			return fmt.Errorf("add to %s: %w", table, err)
		}
	}
	return nil
}

// addOverview adds the counts of delta to assess_overview.
func (h db) addOverview(ctx context.Context, delta map[overviewRow]int) error {
	var rows [][]any
	for r, d := range delta {
		if d != 0 {
			rows = append(rows, []any{r.district, r.city, int(r.day), r.category, r.state, d})
		}
	}
	if err := h.execRows(ctx, "INSERT INTO assess_overview (district_code, city_code, day, category, state, n) VALUES ",
		" ON CONFLICT (district_code, day, city_code, category, state) DO UPDATE SET n = assess_overview.n + excluded.n", rows); err != nil {
		return fmt.Errorf("add to assess_overview: %w", err)
	}
	return nil
}

// moveAppealDays adds to assess_appeal_days the days with a count above 0
// and removes those below.
func (h db) moveAppealDays(ctx context.Context, days map[appealDay]int) error {
	var add, remove [][]any
	for d, n := range days {
		switch {
		case n > 0:
			add = append(add, []any{d.district, int(d.day), d.appeal})
		case n < 0:
			remove = append(remove, []any{d.district, int(d.day), d.appeal})
		}
	}
	for batch := range slices.Chunk(remove, rowsPerStatement) {
		var args []any
		for _, r := range batch {
			args = append(args, r...)
		}
		if _, err := h.Exec(ctx, "DELETE FROM assess_appeal_days WHERE (district_code, day, appeal_id) IN (VALUES "+
			store.Tuples("(CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS BIGINT))", len(batch))+")", args...); err != nil {
			return fmt.Errorf("remove appeal days: %w", err)
		}
	}
	if err := h.execRows(ctx, "INSERT INTO assess_appeal_days (district_code, day, appeal_id) VALUES ", " ON CONFLICT DO NOTHING", add); err != nil {
		return fmt.Errorf("add appeal days: %w", err)
	}
	return nil
}

// keptScope is the reach of an actor for assessment, narrowed to a region,
// as kept rows can answer it: the region code whose rows count ("" for all),
// and the department whose rows alone the actor sees (0 for any); ok is
// false when kept rows cannot answer (a community's or a grid's scope: small
// enough to compute from the facts; or a region outside the actor's).
func keptScope(actor access.Actor, region string) (code string, dept int64, ok bool) {
	f := access.FilterFor(actor, access.AppealAssess)
	code = region
	switch f.Reach {
	case access.All:
	case access.Dispatched:
		// A department sees its own row only, and every fact counted in it
		// is of an appeal dispatched to it.
		dept = f.DepartmentID
	case access.Region:
		switch {
		case region == "":
			code = f.Code
		case strings.HasPrefix(region, place.Prefix(f.Code)) && place.LevelOf(region) >= f.Level:
		default:
			return "", 0, false
		}
	default:
		return "", 0, false
	}
	switch place.LevelOf(code) {
	case place.City, place.District, place.Street:
		return code, dept, true
	case 0:
		return code, dept, code == ""
	}
	return "", 0, false
}

// keptWhere is the condition on kept rows for a scope; ok is false when the
// rows cannot tell it (a street's, in assess_days).
func keptWhere(code string, dept int64, daily bool) (where string, args []any, ok bool) {
	if dept != 0 {
		where, args = " AND key = ?", []any{strconv.FormatInt(dept, 10)}
	}
	switch place.LevelOf(code) {
	case place.City:
		return where + " AND city_code = ?", append(args, code), true
	case place.District:
		return where + " AND district_code = ?", append(args, code), true
	case place.Street:
		return where + " AND street_code = ?", append(args, code), !daily
	}
	return where, args, code == ""
}

// addKeptCounts adds to counts the kept rows in dimension dim of the months
// (assess_months) or days (daily: assess_days) [from, to) in the scope.
func (h db) addKeptCounts(ctx context.Context, daily bool, dim rates.Dimension, from, to int, code string, dept int64, counts map[string]*rates.Counts) error {
	where, args, ok := keptWhere(code, dept, daily)
	if !ok {
		return fmt.Errorf("kept rows cannot count the scope of %q", code)
	}
	table, at := "assess_months", "month"
	if daily {
		table, at = "assess_days", "day"
	}
	sums := make([]string, nCounts)
	for i, c := range countsColumnNames {
		sums[i] = "SUM(" + c + ")"
	}
	rows, err := h.Query(ctx, "SELECT key, "+strings.Join(sums, ", ")+" FROM "+table+" WHERE dim = ? AND "+at+" >= ? AND "+at+" < ?"+
		where+" GROUP BY key", append([]any{string(dim), from, to}, args...)...)
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
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

// keptOverview passes the rows of assess_overview of the days [from, to)
// in the scope of code (a city's, a district's or "" for all) to add.
func (h db) keptOverview(ctx context.Context, code string, from, to day, add func(day, string, string, int)) error {
	q, args := "SELECT day, category, state, SUM(n) FROM assess_overview WHERE day >= ? AND day < ?", []any{int(from), int(to)}
	switch place.LevelOf(code) {
	case place.City:
		q, args = q+" AND city_code = ?", append(args, code)
	case place.District:
		q, args = q+" AND district_code = ?", append(args, code)
	}
	rows, err := h.Query(ctx, q+" GROUP BY day, category, state", args...)
	if err != nil {
		return fmt.Errorf("read assess_overview: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d, n int
		var category, state string
		if err := rows.Scan(&d, &category, &state, &n); err != nil {
			return err
		}
		if n != 0 {
			add(day(d), category, state, n)
		}
	}
	return rows.Err()
}

// candidateWhere is the condition on appeals a that have a fact on a day of
// [from, to], in the scope of code (kept-rows scopes only).
func candidateWhere(code string, from, to day) (string, []any) {
	where := "a.id IN (SELECT appeal_id FROM assess_appeal_days WHERE day >= ? AND day <= ?"
	args := []any{int(from), int(to)}
	if place.LevelOf(code) >= place.District {
		where += " AND district_code = ?"
		args = append(args, code[:6])
	}
	where += ")"
	if l := place.LevelOf(code); l != 0 {
		where += " AND " + appealLevelColumn[l] + " = ?"
		args = append(args, code)
	}
	return where, args
}

// foldForRead folds the queue for an assessment about to read kept rows;
// false if the queue is too long to fold now.
func (s *Store) foldForRead(ctx context.Context) (bool, error) {
	var n int
	if err := store.Scan(s.reader().Row(ctx, "SELECT COUNT(*) FROM assess_pending"), &n); err != nil {
		return false, err
	}
	if n > foldInline {
		return false, nil
	}
	if n == 0 {
		return true, nil
	}
	_, err := s.fold(ctx, n, true)
	return err == nil, err
}

// queueTouched queues the appeals the transaction changed for folding.
func (t *Tx) queueTouched(ctx context.Context) error {
	rows := make([][]any, 0, len(t.touched))
	for id := range t.touched {
		rows = append(rows, []any{id})
	}
	if err := t.db().execRows(ctx, "INSERT INTO assess_pending (appeal_id) VALUES ", "", rows); err != nil {
		return fmt.Errorf("queue for folding: %w", err)
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
	if _, err := t.db().Exec(ctx, `INSERT INTO assess_pending (appeal_id) SELECT DISTINCT appeal_id FROM appeal_steps
		WHERE step = 'handle' AND done_at > ? AND started_at < ?`, day.UnixMilli(), day.AddDate(0, 0, 1).UnixMilli()); err != nil {
		return fmt.Errorf("queue for folding: %w", err)
	}
	return nil
}
