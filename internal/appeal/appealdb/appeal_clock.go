package appealdb

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/appeal"
	"qifu/internal/calendar"
	"qifu/internal/store"
)

// limitsOf returns the time limits of an appeal from the administrators'
// rules and the defaults.
func (h db) limitsOf(ctx context.Context, a appeal.Appeal) (appeal.Limits, error) {
	rows, err := h.Query(ctx, "SELECT category, type, urgency, step, n, days FROM appeal_limit_rules")
	if err != nil {
		return nil, fmt.Errorf("read limit rules: %w", err)
	}
	defer rows.Close()
	var rules []appeal.LimitRule
	for rows.Next() {
		var r appeal.LimitRule
		if err := rows.Scan(&r.Category, &r.Type, &r.Urgency, &r.Step, &r.Span.N, &r.Span.Days); err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	limits := appeal.LimitsFor(rules, a.Category, a.Type, a.Urgency)
	if a.StandardCode != "" {
		// The service standard's promise is the handling limit, unless the
		// appeal's urgency asks for less.
		st, ok, err := h.standardAt(ctx, a.StandardCode, a.StandardVersion)
		if err != nil {
			return nil, err
		}
		if ok && (a.Urgency == appeal.Normal || st.Handle.Duration(8*time.Hour) < limits[appeal.StepHandle].Duration(8*time.Hour)) {
			limits[appeal.StepHandle] = st.Handle
		}
	}
	return limits, nil
}

// clock is what a transaction needs to run the appeal's step clocks.
type clock struct {
	cal    *calendar.Calendar
	now    time.Time
	limits appeal.Limits
}

// due returns the deadline of step started at start.
func (c clock) due(step appeal.Step, start time.Time) time.Time {
	return c.cal.Add(start, c.limits[step].Duration(c.cal.WorkdayLength()))
}

// warnAt returns when a step from start to due turns yellow.
func (c clock) warnAt(start, due time.Time) time.Time {
	total := c.cal.Between(start, due)
	return c.cal.Add(start, time.Duration(float64(total)*appeal.Warn))
}

// openStep starts the clock of a step. A zero due takes the step's limit.
func (t *Tx) openStep(ctx context.Context, c clock, appealID int64, step appeal.Step, dispatchID, deptID int64, due time.Time) (time.Time, error) {
	if due.IsZero() {
		due = c.due(step, c.now)
	}
	warn := c.warnAt(c.now, due)
	_, err := t.db().Exec(ctx, `INSERT INTO appeal_steps (appeal_id, step, dispatch_id, department_id, started_at, due_at, warn_at, alert_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, appealID, string(step), store.NullInt(dispatchID), store.NullInt(deptID),
		c.now.UnixMilli(), due.UnixMilli(), warn.UnixMilli(), warn.UnixMilli())
	if err != nil {
		return due, fmt.Errorf("open step %s: %w", step, err)
	}
	return due, t.syncNextDue(ctx, appealID)
}

// syncNextDue keeps an appeal's nearest open deadline (appeals.next_due,
// what the triage queue sorts by) after its clocks changed.
func (t *Tx) syncNextDue(ctx context.Context, appealID int64) error {
	if _, err := t.db().Exec(ctx, `UPDATE appeals SET next_due = COALESCE((SELECT MIN(st.due_at) FROM appeal_steps st
		WHERE st.appeal_id = ? AND st.done_at = 0 AND st.paused_at = 0), ?) WHERE id = ?`, appealID, NoDeadline, appealID); err != nil {
		return fmt.Errorf("next deadline: %w", err)
	}
	return nil
}

// closeSteps stops the open clocks of an appeal's steps of the given kinds,
// of one dispatch when dispatchID is not 0.
func (t *Tx) closeSteps(ctx context.Context, c clock, appealID, dispatchID, by int64, steps ...appeal.Step) error {
	for _, st := range steps {
		q := "UPDATE appeal_steps SET done_at = ?, done_by = ? WHERE appeal_id = ? AND step = ? AND done_at = 0"
		args := []any{c.now.UnixMilli(), store.NullInt(by), appealID, string(st)}
		if dispatchID != 0 {
			q += " AND dispatch_id = ?"
			args = append(args, dispatchID)
		}
		if _, err := t.db().Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("close step %s: %w", st, err)
		}
	}
	return t.syncNextDue(ctx, appealID)
}

// pauseSteps stops the clocks of an appeal's open steps while it waits for
// the enterprise, keeping the working time each had left.
func (t *Tx) pauseSteps(ctx context.Context, c clock, appealID int64) error {
	type open struct{ id, due int64 }
	list, err := store.Collect(ctx, t.db().DB, func(sc store.Scanner) (o open, err error) {
		return o, sc.Scan(&o.id, &o.due)
	}, "SELECT id, due_at FROM appeal_steps WHERE appeal_id = ? AND done_at = 0 AND paused_at = 0", appealID)
	if err != nil {
		return err
	}
	for _, o := range list {
		left := c.cal.Between(c.now, time.UnixMilli(o.due))
		if _, err := t.db().Exec(ctx, "UPDATE appeal_steps SET paused_at = ?, remaining_ms = ? WHERE id = ?",
			c.now.UnixMilli(), left.Milliseconds(), o.id); err != nil {
			return fmt.Errorf("pause step: %w", err)
		}
	}
	return t.syncNextDue(ctx, appealID)
}

// resumeSteps restarts paused clocks: each deadline moves by the working time
// the appeal spent waiting.
func (t *Tx) resumeSteps(ctx context.Context, c clock, appealID int64) error {
	type paused struct{ id, start, due, warn, at, left, level int64 }
	list, err := store.Collect(ctx, t.db().DB, func(sc store.Scanner) (p paused, err error) {
		return p, sc.Scan(&p.id, &p.start, &p.due, &p.warn, &p.at, &p.left, &p.level)
	}, `SELECT id, started_at, due_at, warn_at, paused_at, remaining_ms, alert_level
		FROM appeal_steps WHERE appeal_id = ? AND done_at = 0 AND paused_at <> 0`, appealID)
	if err != nil {
		return err
	}
	for _, p := range list {
		due := c.cal.Add(c.now, time.Duration(p.left)*time.Millisecond)
		warn := time.UnixMilli(p.warn)
		if p.warn > p.at {
			warn = c.cal.Add(c.now, c.cal.Between(time.UnixMilli(p.at), time.UnixMilli(p.warn)))
		}
		alert := warn
		if p.level > 0 {
			alert = due
		}
		if _, err := t.db().Exec(ctx, `UPDATE appeal_steps SET paused_at = 0, remaining_ms = 0, due_at = ?, warn_at = ?, alert_at = ?
			WHERE id = ?`, due.UnixMilli(), warn.UnixMilli(), alert.UnixMilli(), p.id); err != nil {
			return fmt.Errorf("resume step: %w", err)
		}
	}
	return t.syncNextDue(ctx, appealID)
}

// StepClock is the clock of one step as lists and pages show it.
type StepClock struct {
	ID           int64
	Step         appeal.Step
	DepartmentID int64
	Department   string
	Started      time.Time
	Due          time.Time
	Done         time.Time
	Paused       bool
	AlertLevel   int
	Colour       appeal.Colour // of an open step; "" when done
	Used         float64       // share of the limit used
}

// colourOf returns the colour of an open step at now.
func colourOf(now, warn, due time.Time) appeal.Colour {
	switch {
	case !now.Before(due):
		return appeal.Red
	case !now.Before(warn):
		return appeal.Yellow
	}
	return appeal.Green
}
