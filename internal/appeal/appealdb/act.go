package appealdb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// Act takes one step on an appeal: it checks the actor's relation to the
// appeal against the lifecycle table, the appeal's version, and the step's
// own rules, and then, in one transaction, changes the appeal, its
// dispatches and clocks, appends to its timeline and to the audit log, and
// notifies whoever must act next.
func (s *Store) Act(ctx context.Context, actor access.Actor, id int64, c appeal.Command) (appeal.Appeal, error) {
	c.Note = strings.TrimSpace(c.Note)
	if _, ok := appeal.Find(c.Action); !ok {
		return appeal.Appeal{}, fault.New(fault.Invalid, "unknown_action", "未知操作", "unknown action")
	}
	system := strings.HasPrefix(actor.Name, "system:") && actor.UserID == 0
	if c.Version <= 0 && !system {
		return appeal.Appeal{}, fault.Fields{"version": {Zh: "缺少版本号，请刷新后重试", En: "the version you saw is required"}}.Err()
	}
	cal, err := s.engine.Calendar(ctx)
	if err != nil {
		return appeal.Appeal{}, err
	}
	var out appeal.Appeal
	err = s.WithTx(ctx, func(tx *Tx) error {
		h := tx.db()
		r, err := scanAppeal(h.Row(ctx, "SELECT "+appealColumns+appealFrom+" WHERE a.id = ?", id))
		if err != nil {
			return err
		}
		parties, ok, err := h.parties(ctx, actor, r)
		if err != nil {
			return err
		}
		if system {
			ok, parties = true, []appeal.Party{appeal.PartySystem}
		}
		if !ok {
			return fault.ErrNotFound
		}
		if c.Version != 0 && c.Version != r.Version {
			return fault.ErrConflict
		}
		// Claim the version first: of several people acting on the same
		// version, exactly one gets past this statement, and holds the row
		// until it commits; the others answer 409 whatever they would have
		// done. What follows reads the appeal as it is under that claim.
		now := s.now()
		res, err := h.Exec(ctx, "UPDATE appeals SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
			now.UnixMilli(), id, r.Version)
		if err != nil {
			return fmt.Errorf("claim appeal: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.ErrConflict
		}
		if !system {
			if parties, _, err = h.parties(ctx, actor, r); err != nil {
				return err
			}
		}
		limits, err := h.limitsOf(ctx, r.Appeal)
		if err != nil {
			return err
		}
		st := &step{tx: tx, actor: actor, a: r.Appeal, c: c, clk: clock{cal: cal, now: now, limits: limits}, parties: parties, to: r.State}
		if err := st.run(ctx); err != nil {
			return err
		}
		if err := appeal.Check(c.Action, r.State, st.to, parties); err != nil {
			return err
		}
		if _, err := h.Exec(ctx, "UPDATE appeals SET state = ? WHERE id = ?", string(st.to), id); err != nil {
			return fmt.Errorf("update appeal: %w", err)
		}
		if st.to == appeal.Closed && r.State != appeal.Closed {
			if _, err := h.Exec(ctx, "UPDATE appeals SET closed_at = ? WHERE id = ?", now.UnixMilli(), id); err != nil {
				return err
			}
		}
		if err := tx.event(ctx, actor, id, string(c.Action), r.State, st.to, st.dept, st.eventNote(), st.detail, st.public); err != nil {
			return err
		}
		if err := tx.Record(ctx, actor, "appeal."+string(c.Action), "appeal/"+r.Number, "ok", st.detail); err != nil {
			return err
		}
		out = r.Appeal
		out.State, out.Version, out.UpdatedAt = st.to, r.Version+1, time.UnixMilli(now.UnixMilli())
		return nil
	})
	return out, err
}

// errLeadersOnly refuses joint handling to a leader above the district.
var errLeadersOnly = fault.New(fault.Forbidden, "leaders_only", "组团破难由街道或区领导发起", "joint handling is convened by a street or district leader")

// step is one Act in progress.
type step struct {
	tx      *Tx
	actor   access.Actor
	a       appeal.Appeal
	c       appeal.Command
	clk     clock
	parties []appeal.Party
	to      appeal.State // the state the appeal ends in
	dept    int64        // the department acting or concerned, for the timeline
	public  bool         // the enterprise sees this line of the timeline
	detail  map[string]any
}

// eventNote is the note on the timeline. A dispatch's or a joint handling's
// instruction is for the departments: it stays on their dispatch rows, not
// on the line the enterprise sees.
func (s *step) eventNote() string {
	if s.c.Action == appeal.Dispatch || s.c.Action == appeal.RaiseJoint {
		return ""
	}
	return s.c.Note
}

func (s *step) exec(ctx context.Context, q string, args ...any) error {
	_, err := s.tx.db().Exec(ctx, q, args...)
	return err
}

// run applies the rules and the changes of the command's action.
func (s *step) run(ctx context.Context) error {
	// The lifecycle table is checked first for who and from where, so that
	// the action's own rules only run on a step the actor may take.
	if err := appeal.Allowed(s.c.Action, s.a.State, s.parties); err != nil {
		return err
	}
	if s.c.Action == appeal.RaiseJoint && s.actor.Role != access.RoleStreetLeader && s.actor.Role != access.RoleDistrictLeader {
		return errLeadersOnly
	}
	now := s.clk.now
	if err := s.c.Check(now); err != nil {
		return err
	}
	// The table's outcome; the steps whose outcome depends on what the
	// store finds (a signature, a return, a rating) decide it below.
	s.to, s.public = appeal.Next(s.c.Action, s.a.State, ""), appeal.SeenByEnterprise(s.c)
	switch s.c.Action {
	case appeal.Accept:
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, s.actor.UserID, appeal.StepAccept); err != nil {
			return err
		}
		_, err := s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepTriage, 0, 0, time.Time{})
		return err

	case appeal.RequestInfo:
		if err := s.tx.pauseSteps(ctx, s.clk, s.a.ID); err != nil {
			return err
		}
		return s.tx.notifyEnterprise(ctx, now, s.a.ID, "info", "请补充诉求材料："+s.a.Title)

	case appeal.SupplyInfo:
		if err := s.tx.resumeSteps(ctx, s.clk, s.a.ID); err != nil {
			return err
		}
		return s.tx.notifyCommunity(ctx, now, s.a.ID, "info", "企业已补充材料："+s.a.Title)

	case appeal.Resolve:
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, s.actor.UserID, appeal.StepTriage); err != nil {
			return err
		}
		return s.replied(ctx, s.a.ID, 0)

	case appeal.Merge:
		return s.merge(ctx)

	case appeal.Dispatch:
		return s.dispatch(ctx)

	case appeal.Sign:
		d, err := s.myDispatch(ctx)
		if err != nil {
			return err
		}
		s.dept, s.to = d.DepartmentID, appeal.Next(s.c.Action, s.a.State, d.Role)
		if err := s.exec(ctx, "UPDATE appeal_dispatches SET status = ?, signed_at = ?, signed_by = ? WHERE id = ?",
			string(appeal.DispatchSigned), now.UnixMilli(), s.actor.UserID, d.ID); err != nil {
			return err
		}
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, d.ID, s.actor.UserID, appeal.StepSign); err != nil {
			return err
		}
		if d.Role == appeal.PartyLead {
			_, err = s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepHandle, d.ID, d.DepartmentID, d.Due)
			return err
		}
		_, err = s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepAssist, d.ID, d.DepartmentID, d.Due)
		return err

	case appeal.Return:
		d, err := s.myDispatch(ctx)
		if err != nil {
			return err
		}
		s.dept, s.to = d.DepartmentID, appeal.Next(s.c.Action, s.a.State, d.Role)
		if err := s.exec(ctx, "UPDATE appeal_dispatches SET status = ?, active = FALSE, reason = ? WHERE id = ?",
			string(appeal.DispatchReturned), s.c.Note, d.ID); err != nil {
			return err
		}
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, d.ID, s.actor.UserID, appeal.StepSign); err != nil {
			return err
		}
		if err := s.exec(ctx, "UPDATE appeals SET return_count = return_count + 1 WHERE id = ?", s.a.ID); err != nil {
			return err
		}
		if d.Role == appeal.PartyLead {
			// The whole dispatch goes back to the community, which re-dispatches or arbitrates.
			if err := s.exec(ctx, `UPDATE appeal_dispatches SET active = FALSE,
				status = CASE WHEN status IN (?, ?) THEN ? ELSE status END
				WHERE appeal_id = ? AND role IN ('lead', 'assist') AND active = TRUE`,
				string(appeal.DispatchPending), string(appeal.DispatchSigned), string(appeal.DispatchWithdrawn), s.a.ID); err != nil {
				return err
			}
			if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, 0, appeal.StepSign, appeal.StepAssist); err != nil {
				return err
			}
			if err := s.exec(ctx, "UPDATE appeals SET lead_department = NULL WHERE id = ?", s.a.ID); err != nil {
				return err
			}
			if _, err := s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepTriage, 0, 0, time.Time{}); err != nil {
				return err
			}
		}
		return s.tx.notifyCommunity(ctx, now, s.a.ID, "return", "部门退单："+s.a.Title)

	case appeal.Note:
		if s.actor.Role == access.RoleDepartment {
			s.dept = s.actor.DepartmentID
		}
		return nil

	case appeal.Urge:
		if err := s.exec(ctx, "UPDATE appeals SET urge_count = urge_count + 1 WHERE id = ?", s.a.ID); err != nil {
			return err
		}
		s.detail = map[string]any{"count": s.a.UrgeCount + 1}
		return s.notifyHandlers(ctx, "urge", "催办："+s.a.Title)

	case appeal.RequestExtension:
		return s.requestExtension(ctx)

	case appeal.DecideExtension:
		return s.decideExtension(ctx)

	case appeal.AssistReply:
		d, err := s.myDispatch(ctx)
		if err != nil {
			return err
		}
		s.dept = d.DepartmentID
		if err := s.exec(ctx, "UPDATE appeal_dispatches SET status = ?, answer = ?, answered_at = ? WHERE id = ?",
			string(appeal.DispatchAnswered), s.c.Note, now.UnixMilli(), d.ID); err != nil {
			return err
		}
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, d.ID, s.actor.UserID, appeal.StepAssist); err != nil {
			return err
		}
		return s.tx.notifyDepartment(ctx, now, s.a.ID, s.a.LeadID, "assist", "协办部门已答复："+s.a.Title)

	case appeal.Reply:
		d, err := s.myDispatch(ctx)
		if err != nil {
			return err
		}
		var waiting int
		if err := store.Scan(s.tx.db().Row(ctx, `SELECT COUNT(*) FROM appeal_dispatches WHERE appeal_id = ? AND role = 'assist'
			AND active = TRUE AND status IN (?, ?)`, s.a.ID, string(appeal.DispatchPending), string(appeal.DispatchSigned)), &waiting); err != nil {
			return err
		}
		if waiting > 0 {
			return fault.New(fault.Invalid, "assists_pending", "协办部门尚未全部答复，请催办后再答复企业",
				"not every assisting department has answered; urge them before replying")
		}
		s.dept = d.DepartmentID
		if err := s.exec(ctx, "UPDATE appeal_dispatches SET status = ?, answer = ?, answered_at = ? WHERE id = ?",
			string(appeal.DispatchAnswered), s.c.Note, now.UnixMilli(), d.ID); err != nil {
			return err
		}
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, d.ID, s.actor.UserID, appeal.StepHandle); err != nil {
			return err
		}
		return s.replied(ctx, s.a.ID, d.DepartmentID)

	case appeal.Rate, appeal.ReturnVisit:
		return s.rate(ctx)

	case appeal.ExpireRating:
		if err := s.settleNotices(ctx, "reply"); err != nil {
			return err
		}
		if err := s.exec(ctx, "UPDATE appeals SET rating = ? WHERE id = ?", string(appeal.NotRated), s.a.ID); err != nil {
			return err
		}
		return s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, 0, appeal.StepRate)

	case appeal.RaiseJoint:
		return s.raiseJoint(ctx)

	case appeal.JointCheckIn:
		d, err := s.myDispatch(ctx)
		if err != nil {
			return err
		}
		s.dept = d.DepartmentID
		return s.exec(ctx, "UPDATE appeal_dispatches SET status = ?, signed_at = ?, signed_by = ? WHERE id = ?",
			string(appeal.DispatchCheckedIn), now.UnixMilli(), s.actor.UserID, d.ID)

	case appeal.JointPart:
		d, err := s.myDispatch(ctx)
		if err != nil {
			return err
		}
		s.dept = d.DepartmentID
		if err := s.exec(ctx, "UPDATE appeal_dispatches SET status = ?, answer = ?, answered_at = ? WHERE id = ?",
			string(appeal.DispatchDone), s.c.Note, now.UnixMilli(), d.ID); err != nil {
			return err
		}
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, d.ID, s.actor.UserID, appeal.StepJoint); err != nil {
			return err
		}
		return s.tx.notifyCommunity(ctx, now, s.a.ID, "joint", "组团部门已完成其负责部分："+s.a.Title)

	case appeal.Confirm:
		var named, open int
		if err := store.Scan(s.tx.db().Row(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status <> ? THEN 1 ELSE 0 END), 0)
			FROM appeal_dispatches WHERE appeal_id = ? AND role = 'joint' AND active = TRUE`,
			string(appeal.DispatchDone), s.a.ID), &named, &open); err != nil {
			return err
		}
		if named == 0 || open > 0 {
			return fault.New(fault.Invalid, "joint_open", "组团部门尚未全部完成，事不完、人不撤",
				"not every department of the joint handling has done its part")
		}
		if s.c.Rating != "" {
			return s.exec(ctx, "UPDATE appeals SET rating = ?, rating_note = ? WHERE id = ?", string(s.c.Rating), s.c.Note, s.a.ID)
		}
		return nil
	}
	return nil
}
