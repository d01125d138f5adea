package store

import (
	"context"
	"fmt"
	"math"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/calendar"
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
	rows, err := s.reader().query(ctx, `SELECT id, appeal_id, step, COALESCE(department_id, 0), due_at, alert_level
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
	cal, err := s.Calendar(ctx)
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
			raised = 0
			for _, d := range batch {
				ok, err := tx.raiseAlert(ctx, cal, now, d)
				if err != nil {
					return err
				}
				if ok {
					raised++
				}
			}
			return nil
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
	_, err := s.Act(ctx, access.System("scheduler"), d.appealID, Command{Action: appeal.ExpireRating})
	return err
}

// raiseAlert claims and raises the next alert of one step in the transaction.
func (tx *Tx) raiseAlert(ctx context.Context, cal *calendar.Calendar, now time.Time, d dueStep) (bool, error) {
	level := d.level + 1
	due := time.UnixMilli(d.due)
	var next int64
	switch level {
	case alertWarn:
		next = d.due
	case alertOverdue:
		next = cal.AddDays(due, 1).UnixMilli()
	case alertStreet:
		next = cal.AddDays(due, 3).UnixMilli()
	default:
		next = never
	}
	if d.step == appeal.StepRate {
		next = d.due // the next look at a rating step expires it
	}
	res, err := tx.db().exec(ctx, `UPDATE appeal_steps SET alert_level = ?, alert_at = ?
		WHERE id = ? AND alert_level = ? AND done_at = 0 AND paused_at = 0`, level, next, d.id, d.level)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil // another instance raised it, or the step moved on
	}
	var title, number string
	if err := scan(tx.db().row(ctx, "SELECT title, number FROM appeals WHERE id = ?", d.appealID), &title, &number); err != nil {
		return false, err
	}
	kind := map[int64]string{alertWarn: "warning", alertOverdue: "overdue", alertStreet: "escalate_street", alertDistrict: "escalate_district"}[level]
	label := map[int64]string{alertWarn: "即将超期", alertOverdue: "已超期", alertStreet: "超期升级至街道", alertDistrict: "超期升级至区"}[level]
	msg := label + "（" + stepName[d.step] + "）：" + title
	switch {
	case d.step == appeal.StepRate:
		err = tx.notifyEnterprise(ctx, now, d.appealID, kind, "请尽快评价："+title)
	case level == alertWarn && d.dept != 0:
		err = tx.notify(ctx, now, d.appealID, kind, msg, `u.role = ? AND u.department_id = ? AND (u.id IN
				(SELECT signed_by FROM appeal_dispatches WHERE appeal_id = ? AND department_id = ? AND signed_by IS NOT NULL)
				OR NOT EXISTS (SELECT 1 FROM appeal_dispatches WHERE appeal_id = ? AND department_id = ? AND signed_by IS NOT NULL))`,
			string(access.RoleDepartment), d.dept, d.appealID, d.dept, d.appealID, d.dept)
	case level == alertWarn:
		err = tx.notifyCommunity(ctx, now, d.appealID, kind, msg)
	case level == alertOverdue:
		if d.dept != 0 {
			if err := tx.notifyDepartment(ctx, now, d.appealID, d.dept, kind, msg); err != nil {
				return false, err
			}
		}
		err = tx.notifyCommunity(ctx, now, d.appealID, kind, msg)
	case level == alertStreet:
		err = tx.notifyLeaders(ctx, now, d.appealID, "street", kind, msg)
	default:
		err = tx.notifyLeaders(ctx, now, d.appealID, "district", kind, msg)
	}
	if err != nil {
		return false, err
	}
	sys := access.System("scheduler")
	detail := map[string]any{"step": d.step, "level": level, "due": d.due, "department": d.dept}
	if err := tx.event(ctx, sys, d.appealID, "alert."+kind, "", "", d.dept, msg, detail, false); err != nil {
		return false, err
	}
	return true, tx.record(ctx, sys, "appeal.alert", "appeal/"+number, kind, detail)
}

// stepName names the steps in alerts.
var stepName = map[appeal.Step]string{
	appeal.StepAccept: "受理", appeal.StepTriage: "研判派单", appeal.StepSign: "签收", appeal.StepHandle: "办理",
	appeal.StepAssist: "协办答复", appeal.StepRate: "评价", appeal.StepJoint: "组团破难",
}
