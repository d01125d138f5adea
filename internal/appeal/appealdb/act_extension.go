package appealdb

import (
	"context"
	"time"

	"qifu/internal/appeal"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// The steps of Act about time: a department asks for a later deadline and
// the community decides.

func (s *step) requestExtension(ctx context.Context) error {
	now := s.clk.now
	d, err := s.myDispatch(ctx)
	if err != nil {
		return err
	}
	if !s.c.Due.After(d.Due) {
		return fault.Fields{"due": {Zh: "申请的期限须晚于当前期限", En: "the proposed deadline must be later than the current one"}}.Err()
	}
	if !now.Before(d.Due) {
		return fault.New(fault.Invalid, "too_late", "已超过办理期限，不能再申请延期", "the deadline has passed: an extension must be asked for before it")
	}
	var pending int
	if err := store.Scan(s.tx.db().Row(ctx, "SELECT COUNT(*) FROM appeal_extensions WHERE appeal_id = ? AND status = ?",
		s.a.ID, string(appeal.ExtensionPending)), &pending); err != nil {
		return err
	}
	if pending > 0 {
		return fault.New(fault.Conflict, "extension_pending", "已有待审批的延期申请", "an extension request is already waiting for a decision")
	}
	s.dept = d.DepartmentID
	s.detail = map[string]any{"proposed_due": s.c.Due.UnixMilli(), "due": d.Due.UnixMilli()}
	if err := s.exec(ctx, `INSERT INTO appeal_extensions (appeal_id, dispatch_id, requested_by, requested_at, reason, proposed_due)
		VALUES (?, ?, ?, ?, ?, ?)`, s.a.ID, d.ID, s.actor.UserID, now.UnixMilli(), s.c.Note, s.c.Due.UnixMilli()); err != nil {
		return err
	}
	return s.tx.notifyCommunity(ctx, now, s.a.ID, "extension", "延期申请待审批："+s.a.Title)
}

func (s *step) decideExtension(ctx context.Context) error {
	now := s.clk.now
	var dispatchID, proposed, dept int64
	err := store.Scan(s.tx.db().Row(ctx, `SELECT x.dispatch_id, x.proposed_due, p.department_id FROM appeal_extensions x
		JOIN appeal_dispatches p ON p.id = x.dispatch_id WHERE x.id = ? AND x.appeal_id = ? AND x.status = ?`,
		s.c.ExtensionID, s.a.ID, string(appeal.ExtensionPending)), &dispatchID, &proposed, &dept)
	if fault.Is(err, fault.NotFound) {
		return fault.Fields{"extension_id": {Zh: "没有待审批的该项延期申请", En: "no such pending extension request"}}.Err()
	}
	if err != nil {
		return err
	}
	status := appeal.ExtensionRefused
	if s.c.Approve {
		status = appeal.ExtensionApproved
	}
	s.dept = dept
	s.detail = map[string]any{"extension": s.c.ExtensionID, "decision": status}
	if err := s.exec(ctx, `UPDATE appeal_extensions SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?`,
		string(status), s.actor.UserID, now.UnixMilli(), s.c.Note, s.c.ExtensionID); err != nil {
		return err
	}
	if s.c.Approve {
		due := time.UnixMilli(proposed)
		if err := s.exec(ctx, "UPDATE appeal_dispatches SET due_at = ? WHERE id = ?", proposed, dispatchID); err != nil {
			return err
		}
		var stepID, started int64
		if err := store.Scan(s.tx.db().Row(ctx, "SELECT id, started_at FROM appeal_steps WHERE dispatch_id = ? AND step = ? AND done_at = 0",
			dispatchID, string(appeal.StepHandle)), &stepID, &started); err != nil {
			return err
		}
		warn := s.clk.warnAt(time.UnixMilli(started), due)
		alert, level := warn, 0
		if !now.Before(warn) {
			alert, level = due, 1 // the warning of the new deadline is already past: next is overdue
		}
		if err := s.exec(ctx, "UPDATE appeal_steps SET due_at = ?, warn_at = ?, alert_at = ?, alert_level = ? WHERE id = ?",
			proposed, warn.UnixMilli(), alert.UnixMilli(), level, stepID); err != nil {
			return err
		}
		if err := s.tx.syncNextDue(ctx, s.a.ID); err != nil {
			return err
		}
	}
	title := "延期申请未获批准：" + s.a.Title
	if s.c.Approve {
		title = "延期申请已批准：" + s.a.Title
	}
	return s.tx.notifyDepartment(ctx, now, s.a.ID, dept, "extension", title)
}
