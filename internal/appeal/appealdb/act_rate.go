package appealdb

import (
	"context"
	"time"

	"qifu/internal/appeal"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// The steps of Act that end an appeal or take it further: the enterprise's
// rating or the community's return visit (with the redo), and joint
// handling (组团破难).

// rate records the enterprise's verdict, or the community's return visit on
// its behalf, and closes the appeal, sends it back for redo or to joint handling.
func (s *step) rate(ctx context.Context) error {
	now := s.clk.now
	channel := "self"
	if s.c.Action == appeal.ReturnVisit {
		channel = s.c.Via
	}
	maxRedo, err := s.tx.db().maxRedo(ctx)
	if err != nil {
		return err
	}
	s.to = appeal.AfterRating(s.c.Rating, s.a.RedoCount, maxRedo)
	s.detail = map[string]any{"rating": s.c.Rating, "via": channel}
	if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, s.actor.UserID, appeal.StepRate); err != nil {
		return err
	}
	if err := s.settleNotices(ctx, "reply"); err != nil {
		return err
	}
	if err := s.exec(ctx, "UPDATE appeals SET rating = ?, rating_note = ?, rating_channel = ? WHERE id = ?",
		string(s.c.Rating), s.c.Note, channel, s.a.ID); err != nil {
		return err
	}
	switch s.to {
	case appeal.Handling: // redo (重办) by the lead department
		s.detail["redo"] = s.a.RedoCount + 1
		if err := s.exec(ctx, "UPDATE appeals SET redo_count = redo_count + 1, rating = '', result = '' WHERE id = ?", s.a.ID); err != nil {
			return err
		}
		lead := s.a.LeadID
		var did int64
		err := store.Scan(s.tx.db().Row(ctx, `SELECT id FROM appeal_dispatches WHERE appeal_id = ? AND role = 'lead' AND active = TRUE
			ORDER BY id DESC LIMIT 1`, s.a.ID), &did)
		due := s.clk.due(appeal.StepHandle, now)
		switch {
		case fault.Is(err, fault.NotFound) && lead != 0:
			// Solved by the community or through a merged case: the lead takes it up directly.
			if err := store.Scan(s.tx.db().Row(ctx, `INSERT INTO appeal_dispatches (appeal_id, department_id, role, status, due_at, signed_at,
				created_at, created_by) VALUES (?, ?, 'lead', ?, ?, ?, ?, ?) RETURNING id`,
				s.a.ID, lead, string(appeal.DispatchSigned), due.UnixMilli(), now.UnixMilli(), now.UnixMilli(), s.actor.UserID), &did); err != nil {
				return err
			}
		case fault.Is(err, fault.NotFound):
			// The community solved it alone: it goes back to the community to dispatch.
			s.to = appeal.Accepted
			if _, err := s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepTriage, 0, 0, time.Time{}); err != nil {
				return err
			}
			return s.tx.notifyCommunity(ctx, now, s.a.ID, "redo", "企业不满意，需重办："+s.a.Title)
		case err != nil:
			return err
		default:
			if err := s.exec(ctx, "UPDATE appeal_dispatches SET status = ?, due_at = ? WHERE id = ?",
				string(appeal.DispatchSigned), due.UnixMilli(), did); err != nil {
				return err
			}
		}
		if _, err := s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepHandle, did, lead, due); err != nil {
			return err
		}
		if err := s.tx.notifyDepartment(ctx, now, s.a.ID, lead, "redo", "企业不满意，需重办："+s.a.Title); err != nil {
			return err
		}
		return s.tx.notifyCommunity(ctx, now, s.a.ID, "redo", "企业不满意，已转部门重办："+s.a.Title)
	case appeal.Joint:
		if err := s.tx.notifyLeaders(ctx, now, s.a.ID, "street", "joint", "重办后仍不满意，请组织组团破难："+s.a.Title); err != nil {
			return err
		}
		return s.tx.notifyCommunity(ctx, now, s.a.ID, "joint", "重办后仍不满意，转组团破难："+s.a.Title)
	}
	return nil
}

// raiseJoint convenes joint problem-solving (组团破难): each named department
// must report in and do its part before the case can close.
func (s *step) raiseJoint(ctx context.Context) error {
	now := s.clk.now
	due := s.c.Due
	if due.IsZero() {
		due = s.clk.due(appeal.StepJoint, now)
	}
	if err := appeal.CheckParties(s.a, "departments", s.c.Departments...); err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, d := range s.c.Departments {
		if seen[d] {
			continue
		}
		seen[d] = true
		if _, err := s.inDistrict(ctx, d); fault.Is(err, fault.NotFound) {
			return fault.Fields{"departments": {Zh: "所选部门不属于本辖区的服务联盟", En: "a department does not serve the appeal's district"}}.Err()
		} else if err != nil {
			return err
		}
		var existing int
		if err := store.Scan(s.tx.db().Row(ctx, `SELECT COUNT(*) FROM appeal_dispatches WHERE appeal_id = ? AND department_id = ?
			AND role = 'joint' AND active = TRUE`, s.a.ID, d), &existing); err != nil {
			return err
		}
		if existing > 0 {
			continue
		}
		did, err := s.insertDispatch(ctx, d, appeal.PartyJoint, due, 0)
		if err != nil {
			return err
		}
		if _, err := s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepJoint, did, d, due); err != nil {
			return err
		}
		if err := s.tx.notifyDepartment(ctx, now, s.a.ID, d, "joint", "组团破难：请报到并办理："+s.a.Title); err != nil {
			return err
		}
	}
	// Joint handling supersedes the clocks of the ordinary steps.
	if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, 0, appeal.StepTriage, appeal.StepSign, appeal.StepHandle, appeal.StepAssist, appeal.StepRate); err != nil {
		return err
	}
	s.detail = map[string]any{"departments": s.c.Departments, "due": due.UnixMilli()}
	return nil
}

// settleNotices marks read the appeal's unread notices of kind, for every
// user: what they asked for is done (the "please rate" notices once the
// appeal is rated), and a notice left waiting would ask again.
func (s *step) settleNotices(ctx context.Context, kind string) error {
	return s.exec(ctx, "UPDATE inbox SET read_at = ? WHERE appeal_id = ? AND kind = ? AND read_at = 0",
		s.clk.now.UnixMilli(), s.a.ID, kind)
}
