package fold

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/place"
	"qifu/internal/rates"
	"qifu/internal/store"
)

// Reading the kept figures: the rows of an actor's scope and a period, and
// the queue that tells a read whether they are current.

// keptScope is the reach of an actor for assessment, narrowed to a region,
// as kept rows can answer it: the region code whose rows count ("" for all),
// and the department whose rows alone the actor sees (0 for any); ok is
// false when kept rows cannot answer (a community's or a grid's scope: small
// enough to compute from the facts; or a region outside the actor's).
func Scope(actor access.Actor, region string) (code string, dept int64, ok bool) {
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
func Where(code string, dept int64, daily bool) (where string, args []any, ok bool) {
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
func AddCounts(ctx context.Context, h store.DB, daily bool, dim rates.Dimension, from, to int, code string, dept int64, counts map[string]*rates.Counts) error {
	where, args, ok := Where(code, dept, daily)
	if !ok {
		return fmt.Errorf("kept rows cannot count the scope of %q", code)
	}
	table, at := "assess_months", "month"
	if daily {
		table, at = "assess_days", "day"
	}
	sums := make([]string, NCounts)
	for i, c := range countsColumnNames {
		sums[i] = "SUM(" + c + ")"
	}
	rows, err := h.Query(ctx, "SELECT key, "+strings.Join(sums, ", ")+" FROM "+table+" WHERE dim = ? AND "+at+" >= ? AND "+at+" < ?"+
		where+" GROUP BY key", append([]any{string(dim), from, to}, args...)...)
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	var v [NCounts]int64
	dest := make([]any, 1+NCounts)
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
func Overview(ctx context.Context, h store.DB, code string, from, to Day, add func(Day, string, string, int)) error {
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
			add(Day(d), category, state, n)
		}
	}
	return rows.Err()
}

// candidateWhere is the condition on appeals a that have a fact on a day of
// [from, to], in the scope of code (kept-rows scopes only).
func CandidateWhere(code string, from, to Day) (string, []any) {
	where := "a.id IN (SELECT appeal_id FROM assess_appeal_days WHERE day >= ? AND day <= ?"
	args := []any{int(from), int(to)}
	if place.LevelOf(code) >= place.District {
		where += " AND district_code = ?"
		args = append(args, code[:6])
	}
	where += ")"
	if l := place.LevelOf(code); l != 0 {
		where += " AND " + AppealLevelColumn[l] + " = ?"
		args = append(args, code)
	}
	return where, args
}

// ForRead folds the queue for an assessment about to read kept rows;
// false if the queue is too long to fold now.
func (s *Folder) ForRead(ctx context.Context) (bool, error) {
	var n int
	if err := store.Scan(s.engine.Reader().Row(ctx, "SELECT COUNT(*) FROM assess_pending"), &n); err != nil {
		return false, err
	}
	if n > Inline {
		return false, nil
	}
	if n == 0 {
		return true, nil
	}
	_, err := s.fold(ctx, n, true)
	return err == nil, err
}

// Queue queues the appeals a transaction changed for folding, in that
// transaction: an append no other writer waits for.
func Queue(ctx context.Context, tx *store.Tx, touched map[int64]bool) error {
	rows := make([][]any, 0, len(touched))
	for id := range touched {
		rows = append(rows, []any{id})
	}
	if err := execRows(ctx, tx.DB(), "INSERT INTO assess_pending (appeal_id) VALUES ", "", rows); err != nil {
		return fmt.Errorf("queue for folding: %w", err)
	}
	return nil
}

// QueueCalendarDay queues for folding the appeals whose handling time a
// change to the working-day calendar on date (YYYY-MM-DD) changes: those
// with a handle step done after the day began and started before it ended.
// (Deadlines already set stay as they are.)
func QueueCalendarDay(ctx context.Context, tx *store.Tx, date string) error {
	day, err := time.ParseInLocation(time.DateOnly, date, calendar.Shanghai)
	if err != nil {
		return fmt.Errorf("calendar day %q: %w", date, err)
	}
	if _, err := tx.DB().Exec(ctx, `INSERT INTO assess_pending (appeal_id) SELECT DISTINCT appeal_id FROM appeal_steps
		WHERE step = 'handle' AND done_at > ? AND started_at < ?`, day.UnixMilli(), day.AddDate(0, 0, 1).UnixMilli()); err != nil {
		return fmt.Errorf("queue for folding: %w", err)
	}
	return nil
}
