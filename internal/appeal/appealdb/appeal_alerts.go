package appealdb

import (
	"context"
	"fmt"
	"math"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/calendar"
	"qifu/internal/store"
)

// The alert ladder of a timed step. When a step's alert time comes, the
// scheduler raises the next alert of the ladder, exactly once: the claim is
// a conditional UPDATE of the step's alert level, so that of several
// instances running the scheduler on one database only one raises it.
//
//	level 0 → 1  at 80% of the limit (yellow): a warning to the handler
//	level 1 → 2  at the deadline (red): overdue, to the handler and the community;
//	             for a department's step, to all the department's staff (its head among them)
//	level 2 → 3  one working day overdue: escalated to the street's leaders
//	level 3 → 4  three working days overdue: escalated to the district's leaders
//
// A rating step is different: the enterprise is reminded at 80%, and at the
// deadline the appeal closes as not rated (never counted as satisfied).
const (
	alertWarn = iota + 1
	alertOverdue
	alertStreet
	alertDistrict
)

// never is the alert time of a step whose ladder is done.
const never = math.MaxInt64

type dueStep struct {
	id, appealID, dept, due, level int64
	step                           appeal.Step
}

// RunAlerts raises the alerts that have come due, at most limit of them, and
// returns how many it raised. A step several alerts behind (say, after a
// stop of every instance) gets each of them, in order. Run it every minute or
// so on every instance.
func (s *Store) RunAlerts(ctx context.Context, limit int) (int, error) {
	total := 0
	for total < limit {
		n, err := s.runAlerts(ctx, limit-total)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
	return total, nil
}

func (s *Store) runAlerts(ctx context.Context, limit int) (int, error) {
	now := s.now()
	rows, err := s.reader().Query(ctx, `SELECT id, appeal_id, step, COALESCE(department_id, 0), due_at, alert_level
		FROM appeal_steps WHERE done_at = 0 AND paused_at = 0 AND alert_at <= ? ORDER BY alert_at LIMIT ?`, now.UnixMilli(), limit)
	if err != nil {
		return 0, fmt.Errorf("find due alerts: %w", err)
	}
	var list []dueStep
	for rows.Next() {
		var d dueStep
		if err := rows.Scan(&d.id, &d.appealID, &d.step, &d.dept, &d.due, &d.level); err != nil {
			rows.Close()
			return 0, err
		}
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	cal, err := s.engine.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	var batch []dueStep
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		raised := 0
		err := s.WithTx(ctx, func(tx *Tx) error {
			var err error
			raised, err = tx.raiseAlerts(ctx, cal, now, batch)
			return err
		})
		if err == nil {
			n += raised
		}
		batch = batch[:0]
		return err
	}
	for _, d := range list {
		if d.step == appeal.StepRate && d.level >= alertWarn {
			if err := s.expireRating(ctx, d); err != nil {
				s.log.Warn("expire rating", "appeal", d.appealID, "err", err)
				continue
			}
			n++
			continue
		}
		if batch = append(batch, d); len(batch) == alertBatch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	return n, flush()
}

// alertBatch is how many alerts one transaction raises: one commit (and one
// sync) for many, rather than one each.
const alertBatch = 200

// expireRating closes an appeal whose rating window has passed.
func (s *Store) expireRating(ctx context.Context, d dueStep) error {
	_, err := s.Act(ctx, access.System("scheduler"), d.appealID, appeal.Command{Action: appeal.ExpireRating})
	return err
}

// raiseAlerts claims and raises the next alert of each step of a batch, in
// the transaction, with a few statements for the whole batch rather than a
// few for each alert: one claims them all, one reads their appeals, one per
// kind of recipient writes the notices, one the group robots' messages, one
// the timeline. It returns how many it raised.
func (tx *Tx) raiseAlerts(ctx context.Context, cal *calendar.Calendar, now time.Time, batch []dueStep) (int, error) {
	claimed, err := tx.claimAlerts(ctx, cal, batch)
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	about, err := tx.alertAppeals(ctx, claimed)
	if err != nil {
		return 0, err
	}
	notices := map[recipients][]notice{}
	var robots []robotMessage
	var events []eventRow
	sys := access.System("scheduler")
	for _, d := range claimed {
		a := about[d.appealID]
		level := d.level + 1
		kind, label := alertKinds[level], alertLabels[level]
		msg := label + "（" + stepName[d.step] + "）：" + a.title
		tell := func(to recipients, title string) {
			notices[to] = append(notices[to], notice{appealID: d.appealID, dept: d.dept, kind: kind, title: title})
		}
		community := func() {
			robots = append(robots, robotMessage{appealID: d.appealID, kind: kind, text: msg})
			tell(toCommunity, msg)
		}
		switch {
		case d.step == appeal.StepRate:
			tell(toEnterprise, "请尽快评价："+a.title)
		case level == alertWarn && d.dept != 0:
			tell(toHandlers, msg)
		case level == alertWarn:
			community()
		case level == alertOverdue:
			if d.dept != 0 {
				robots = append(robots, robotMessage{appealID: d.appealID, dept: d.dept, kind: kind, text: msg})
				tell(toDepartment, msg)
			}
			community()
		case level == alertStreet:
			tell(toStreetLeaders, msg)
		default:
			tell(toDistrictLeaders, msg)
		}
		detail := map[string]any{"step": d.step, "level": level, "due": d.due, "department": d.dept}
		events = append(events, eventRow{appealID: d.appealID, action: "alert." + kind, deptID: d.dept, note: msg, detail: detail})
		if err := tx.Record(ctx, sys, "appeal.alert", "appeal/"+a.number, kind, detail); err != nil {
			return 0, err
		}
	}
	for _, to := range allRecipients {
		if err := tx.notifyAll(ctx, now, to, notices[to]); err != nil {
			return 0, err
		}
	}
	if err := tx.enqueueAll(ctx, now, robots); err != nil {
		return 0, err
	}
	if err := tx.events(ctx, sys, events, false); err != nil {
		return 0, err
	}
	return len(claimed), nil
}

// alertKinds and alertLabels name the rungs of the ladder.
var (
	alertKinds  = map[int64]string{alertWarn: "warning", alertOverdue: "overdue", alertStreet: "escalate_street", alertDistrict: "escalate_district"}
	alertLabels = map[int64]string{alertWarn: "即将超期", alertOverdue: "已超期", alertStreet: "超期升级至街道", alertDistrict: "超期升级至区"}
)

// claimAlerts moves each step of the batch one rung up its ladder, if it is
// still where the batch found it (open, running, at the same level), and
// returns the steps it moved: of several instances, only one claims a rung.
func (tx *Tx) claimAlerts(ctx context.Context, cal *calendar.Calendar, batch []dueStep) ([]dueStep, error) {
	args := make([]any, 0, 3*len(batch))
	for _, d := range batch {
		args = append(args, d.id, d.level, nextAlert(cal, d))
	}
	// Written with IN rather than UPDATE … FROM v: with the join, SQLite
	// would walk the index of every open step and look each up in v.
	rows, err := tx.db().Query(ctx, "WITH v (id, level, next) AS (VALUES "+
		store.Tuples("(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))", len(batch))+`)
		UPDATE appeal_steps SET alert_level = alert_level + 1,
		alert_at = (SELECT v.next FROM v WHERE v.id = appeal_steps.id)
		WHERE id IN (SELECT v.id FROM v) AND alert_level = (SELECT v.level FROM v WHERE v.id = appeal_steps.id)
		AND done_at = 0 AND paused_at = 0 RETURNING id`, args...)
	if err != nil {
		return nil, fmt.Errorf("claim alerts: %w", err)
	}
	defer rows.Close()
	ok := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ok[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var claimed []dueStep
	for _, d := range batch {
		if ok[d.id] {
			claimed = append(claimed, d)
		}
	}
	return claimed, nil
}

// nextAlert is when the step's next rung comes, once this one is raised.
func nextAlert(cal *calendar.Calendar, d dueStep) int64 {
	if d.step == appeal.StepRate {
		return d.due // the next look at a rating step expires it
	}
	due := time.UnixMilli(d.due)
	switch d.level + 1 {
	case alertWarn:
		return d.due
	case alertOverdue:
		return cal.AddDays(due, 1).UnixMilli()
	case alertStreet:
		return cal.AddDays(due, 3).UnixMilli()
	}
	return never
}

// alertAppeal is what an alert says of its appeal.
type alertAppeal struct {
	title, number string
}

// alertAppeals reads the appeals of the claimed steps.
func (tx *Tx) alertAppeals(ctx context.Context, claimed []dueStep) (map[int64]alertAppeal, error) {
	seen := map[int64]bool{}
	var ids []any
	for _, d := range claimed {
		if !seen[d.appealID] {
			seen[d.appealID] = true
			ids = append(ids, d.appealID)
		}
	}
	rows, err := tx.db().Query(ctx, "SELECT id, title, number FROM appeals WHERE id IN ("+store.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return nil, fmt.Errorf("alert appeals: %w", err)
	}
	defer rows.Close()
	out := map[int64]alertAppeal{}
	for rows.Next() {
		var id int64
		var a alertAppeal
		if err := rows.Scan(&id, &a.title, &a.number); err != nil {
			return nil, err
		}
		out[id] = a
	}
	return out, rows.Err()
}

// stepName names the steps in alerts.
var stepName = map[appeal.Step]string{
	appeal.StepAccept: "受理", appeal.StepTriage: "研判派单", appeal.StepSign: "签收", appeal.StepHandle: "办理",
	appeal.StepAssist: "协办答复", appeal.StepRate: "评价", appeal.StepJoint: "组团破难",
}
