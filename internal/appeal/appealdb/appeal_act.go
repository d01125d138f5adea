package appealdb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// Command is one step someone takes on an appeal, with what the step needs.
type Command struct {
	Action  appeal.Action
	Version int64 // the version the actor saw; a stale one answers 409

	Note   string // the note, reply, reason, instruction or supplied information
	Public bool   // a progress note the enterprise may see

	Lead    int64     // dispatch: the lead department
	Assists []int64   // dispatch: assisting departments
	Due     time.Time // dispatch: the lead's deadline (zero: from the limits); extension: the proposed deadline

	Result appeal.Result // reply, resolve
	Rating appeal.Rating // rate, return visit, confirm
	Via    string        // return visit: "phone", "visit" or "sms"

	CaseID      int64   // merge: the appeal this one joins
	ExtensionID int64   // decide extension
	Approve     bool    // decide extension
	Departments []int64 // raise joint: the departments that must report in
}

func need(f fault.Fields, field, value, zh, en string, max int) {
	if n := utf8.RuneCountInString(strings.TrimSpace(value)); n == 0 || n > max {
		f.Add(field, zh, en)
	}
}

// Act takes one step on an appeal: it checks the actor's relation to the
// appeal against the lifecycle table, the appeal's version, and the step's
// own rules, and then, in one transaction, changes the appeal, its
// dispatches and clocks, appends to its timeline and to the audit log, and
// notifies whoever must act next.
func (s *Store) Act(ctx context.Context, actor access.Actor, id int64, c Command) (appeal.Appeal, error) {
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

// step is one Act in progress.
type step struct {
	tx      *Tx
	actor   access.Actor
	a       appeal.Appeal
	c       Command
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
	now := s.clk.now
	switch s.c.Action {
	case appeal.Accept:
		s.to, s.public = appeal.Accepted, true
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, s.actor.UserID, appeal.StepAccept); err != nil {
			return err
		}
		_, err := s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepTriage, 0, 0, time.Time{})
		return err

	case appeal.RequestInfo:
		f := fault.Fields{}
		need(f, "note", s.c.Note, "请说明需要企业补充的内容", "say what the enterprise must supply", appeal.MaxNote)
		if err := f.Err(); err != nil {
			return err
		}
		s.to, s.public = appeal.AwaitingInfo, true
		if err := s.tx.pauseSteps(ctx, s.clk, s.a.ID); err != nil {
			return err
		}
		return s.tx.notifyEnterprise(ctx, now, s.a.ID, "info", "请补充诉求材料："+s.a.Title)

	case appeal.SupplyInfo:
		f := fault.Fields{}
		need(f, "note", s.c.Note, "请填写补充的内容", "write what you supply", appeal.MaxContent)
		if err := f.Err(); err != nil {
			return err
		}
		s.to, s.public = appeal.Accepted, true
		if err := s.tx.resumeSteps(ctx, s.clk, s.a.ID); err != nil {
			return err
		}
		return s.tx.notifyCommunity(ctx, now, s.a.ID, "info", "企业已补充材料："+s.a.Title)

	case appeal.Resolve:
		if err := s.checkReply(); err != nil {
			return err
		}
		s.to, s.public = appeal.Replied, true
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, s.actor.UserID, appeal.StepTriage); err != nil {
			return err
		}
		return s.replied(ctx, s.a.ID, 0)

	case appeal.Merge:
		return s.merge(ctx)

	case appeal.Dispatch:
		return s.dispatch(ctx)

	case appeal.Sign:
		d, err := s.myDispatch(ctx, "pending", appeal.PartyLead, appeal.PartyAssist)
		if err != nil {
			return err
		}
		s.dept, s.public = d.DepartmentID, true
		if err := s.exec(ctx, "UPDATE appeal_dispatches SET status = 'signed', signed_at = ?, signed_by = ? WHERE id = ?",
			now.UnixMilli(), s.actor.UserID, d.ID); err != nil {
			return err
		}
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, d.ID, s.actor.UserID, appeal.StepSign); err != nil {
			return err
		}
		if d.Role == appeal.PartyLead {
			s.to = appeal.Handling
			_, err = s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepHandle, d.ID, d.DepartmentID, d.Due)
			return err
		}
		_, err = s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepAssist, d.ID, d.DepartmentID, d.Due)
		return err

	case appeal.Return:
		f := fault.Fields{}
		need(f, "note", s.c.Note, "请说明退单理由和依据", "give the reason and basis for returning it", appeal.MaxNote)
		if err := f.Err(); err != nil {
			return err
		}
		d, err := s.myDispatch(ctx, "pending", appeal.PartyLead, appeal.PartyAssist)
		if err != nil {
			return err
		}
		s.dept = d.DepartmentID
		if err := s.exec(ctx, "UPDATE appeal_dispatches SET status = 'returned', active = FALSE, reason = ? WHERE id = ?", s.c.Note, d.ID); err != nil {
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
				status = CASE WHEN status IN ('pending', 'signed') THEN 'withdrawn' ELSE status END
				WHERE appeal_id = ? AND role IN ('lead', 'assist') AND active = TRUE`, s.a.ID); err != nil {
				return err
			}
			if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, 0, appeal.StepSign, appeal.StepAssist); err != nil {
				return err
			}
			if err := s.exec(ctx, "UPDATE appeals SET lead_department = NULL WHERE id = ?", s.a.ID); err != nil {
				return err
			}
			s.to = appeal.Accepted
			if _, err := s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepTriage, 0, 0, time.Time{}); err != nil {
				return err
			}
		}
		return s.tx.notifyCommunity(ctx, now, s.a.ID, "return", "部门退单："+s.a.Title)

	case appeal.Note:
		f := fault.Fields{}
		need(f, "note", s.c.Note, "请填写进展情况（不超过 1000 字）", "write a note of up to 1,000 characters", appeal.MaxNote)
		if err := f.Err(); err != nil {
			return err
		}
		s.public = s.c.Public
		if s.actor.Role == access.RoleDepartment {
			s.dept = s.actor.DepartmentID
		}
		return nil

	case appeal.Urge:
		if utf8.RuneCountInString(s.c.Note) > appeal.MaxNote {
			return fault.Fields{"note": {Zh: "催办说明不超过 1000 字", En: "at most 1,000 characters"}}.Err()
		}
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
		f := fault.Fields{}
		need(f, "note", s.c.Note, "请填写协办意见", "write the assisting department's answer", appeal.MaxContent)
		if err := f.Err(); err != nil {
			return err
		}
		d, err := s.myDispatch(ctx, "signed", appeal.PartyAssist)
		if err != nil {
			return err
		}
		s.dept = d.DepartmentID
		if err := s.exec(ctx, "UPDATE appeal_dispatches SET status = 'answered', answer = ?, answered_at = ? WHERE id = ?",
			s.c.Note, now.UnixMilli(), d.ID); err != nil {
			return err
		}
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, d.ID, s.actor.UserID, appeal.StepAssist); err != nil {
			return err
		}
		return s.tx.notifyDepartment(ctx, now, s.a.ID, s.a.LeadID, "assist", "协办部门已答复："+s.a.Title)

	case appeal.Reply:
		if err := s.checkReply(); err != nil {
			return err
		}
		d, err := s.myDispatch(ctx, "signed", appeal.PartyLead)
		if err != nil {
			return err
		}
		var waiting int
		if err := store.Scan(s.tx.db().Row(ctx, `SELECT COUNT(*) FROM appeal_dispatches WHERE appeal_id = ? AND role = 'assist'
			AND active = TRUE AND status IN ('pending', 'signed')`, s.a.ID), &waiting); err != nil {
			return err
		}
		if waiting > 0 {
			return fault.New(fault.Invalid, "assists_pending", "协办部门尚未全部答复，请催办后再答复企业",
				"not every assisting department has answered; urge them before replying")
		}
		s.to, s.dept, s.public = appeal.Replied, d.DepartmentID, true
		if err := s.exec(ctx, "UPDATE appeal_dispatches SET status = 'answered', answer = ?, answered_at = ? WHERE id = ?",
			s.c.Note, now.UnixMilli(), d.ID); err != nil {
			return err
		}
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, d.ID, s.actor.UserID, appeal.StepHandle); err != nil {
			return err
		}
		return s.replied(ctx, s.a.ID, d.DepartmentID)

	case appeal.Rate, appeal.ReturnVisit:
		return s.rate(ctx)

	case appeal.ExpireRating:
		s.to, s.public = appeal.Closed, true
		if err := s.exec(ctx, "UPDATE appeals SET rating = ? WHERE id = ?", string(appeal.NotRated), s.a.ID); err != nil {
			return err
		}
		return s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, 0, appeal.StepRate)

	case appeal.RaiseJoint:
		return s.raiseJoint(ctx)

	case appeal.JointCheckIn:
		d, err := s.myDispatch(ctx, "pending", appeal.PartyJoint)
		if err != nil {
			return err
		}
		s.dept, s.public = d.DepartmentID, true
		return s.exec(ctx, "UPDATE appeal_dispatches SET status = 'checked_in', signed_at = ?, signed_by = ? WHERE id = ?",
			now.UnixMilli(), s.actor.UserID, d.ID)

	case appeal.JointPart:
		f := fault.Fields{}
		need(f, "note", s.c.Note, "请填写本部门承担部分的办理结果", "write what your department did", appeal.MaxContent)
		if err := f.Err(); err != nil {
			return err
		}
		d, err := s.myDispatch(ctx, "checked_in", appeal.PartyJoint)
		if err != nil {
			return err
		}
		s.dept, s.public = d.DepartmentID, true
		if err := s.exec(ctx, "UPDATE appeal_dispatches SET status = 'done', answer = ?, answered_at = ? WHERE id = ?",
			s.c.Note, now.UnixMilli(), d.ID); err != nil {
			return err
		}
		if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, d.ID, s.actor.UserID, appeal.StepJoint); err != nil {
			return err
		}
		return s.tx.notifyCommunity(ctx, now, s.a.ID, "joint", "组团部门已完成其负责部分："+s.a.Title)

	case appeal.Confirm:
		var named, open int
		if err := store.Scan(s.tx.db().Row(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status <> 'done' THEN 1 ELSE 0 END), 0)
			FROM appeal_dispatches WHERE appeal_id = ? AND role = 'joint' AND active = TRUE`, s.a.ID), &named, &open); err != nil {
			return err
		}
		if named == 0 || open > 0 {
			return fault.New(fault.Invalid, "joint_open", "组团部门尚未全部完成，事不完、人不撤",
				"not every department of the joint handling has done its part")
		}
		if s.c.Rating != "" && !s.c.Rating.Valid() {
			return fault.Fields{"rating": {Zh: "评价须为满意、基本满意或不满意", En: "choose a rating"}}.Err()
		}
		s.to, s.public = appeal.Closed, true
		if s.c.Rating != "" {
			return s.exec(ctx, "UPDATE appeals SET rating = ?, rating_note = ? WHERE id = ?", string(s.c.Rating), s.c.Note, s.a.ID)
		}
		return nil
	}
	return nil
}

// checkReply checks a reply to the enterprise: a result, and a text that
// explains it (why, when it cannot be solved).
func (s *step) checkReply() error {
	f := fault.Fields{}
	if !s.c.Result.Valid() {
		f.Add("result", "请选择办理结果", "choose a result")
	}
	need(f, "note", s.c.Note, "请填写答复内容（不超过 2000 字）", "write the reply, up to 2,000 characters", appeal.MaxContent)
	if s.c.Result == appeal.Unsolvable && utf8.RuneCountInString(s.c.Note) < 10 {
		f.Add("note", "无法解决时须说明原因（至少 10 字）", "say why it cannot be solved (at least 10 characters)")
	}
	return f.Err()
}

// replied records a reply on the appeal and on the appeals merged into it,
// starts their rating clocks and tells their enterprises.
func (s *step) replied(ctx context.Context, id, dept int64) error {
	now := s.clk.now
	s.detail = map[string]any{"result": s.c.Result}
	merged, err := store.Collect(ctx, s.tx.db().DB, store.Int64,
		"SELECT id FROM appeals WHERE case_id = ? AND state = ?", id, string(appeal.Merged))
	if err != nil {
		return err
	}
	ids := append([]int64{id}, merged...)
	for _, m := range ids {
		if err := s.exec(ctx, `UPDATE appeals SET result = ?, reply = ?, replied_at = ?, lead_department = COALESCE(lead_department, ?)
			WHERE id = ?`, string(s.c.Result), s.c.Note, now.UnixMilli(), store.NullInt(dept), m); err != nil {
			return err
		}
		if m != id {
			if err := s.exec(ctx, "UPDATE appeals SET state = ?, version = version + 1, updated_at = ? WHERE id = ?",
				string(appeal.Replied), now.UnixMilli(), m); err != nil {
				return err
			}
			if err := s.tx.event(ctx, s.actor, m, string(appeal.Reply), appeal.Merged, appeal.Replied, dept, s.c.Note, s.detail, true); err != nil {
				return err
			}
		}
		if _, err := s.tx.openStep(ctx, s.clk, m, appeal.StepRate, 0, 0, time.Time{}); err != nil {
			return err
		}
		if err := s.tx.notifyEnterprise(ctx, now, m, "reply", "您的诉求已答复，请评价："+s.a.Title); err != nil {
			return err
		}
	}
	return nil
}

// merge joins the appeal to an open appeal of the same community (并案).
func (s *step) merge(ctx context.Context) error {
	if s.c.CaseID == 0 || s.c.CaseID == s.a.ID {
		return fault.Fields{"case_id": {Zh: "请选择要并入的诉求", En: "choose the appeal to merge into"}}.Err()
	}
	var state, community string
	var caseOf int64
	err := store.Scan(s.tx.db().Row(ctx, "SELECT state, community_code, COALESCE(case_id, 0) FROM appeals WHERE id = ?", s.c.CaseID),
		&state, &community, &caseOf)
	var own string
	if err == nil {
		err = store.Scan(s.tx.db().Row(ctx, "SELECT community_code FROM appeals WHERE id = ?", s.a.ID), &own)
	}
	if fault.Is(err, fault.NotFound) || err == nil && community != own {
		return fault.Fields{"case_id": {Zh: "只能并入本社区的诉求", En: "you can only merge into an appeal of the same community"}}.Err()
	}
	if err != nil {
		return err
	}
	if !appeal.State(state).Open() || appeal.State(state) == appeal.Replied || caseOf != 0 {
		return fault.Fields{"case_id": {Zh: "只能并入尚在办理中的主诉求", En: "you can only merge into an appeal still being handled"}}.Err()
	}
	var children int
	if err := store.Scan(s.tx.db().Row(ctx, "SELECT COUNT(*) FROM appeals WHERE case_id = ?", s.a.ID), &children); err != nil {
		return err
	}
	if children > 0 {
		return fault.Fields{"case_id": {Zh: "此诉求已有并入的诉求，不能再并入其他诉求", En: "other appeals are merged into this one"}}.Err()
	}
	s.to, s.public = appeal.Merged, true
	s.detail = map[string]any{"case": s.c.CaseID}
	if err := s.exec(ctx, "UPDATE appeals SET case_id = ? WHERE id = ?", s.c.CaseID, s.a.ID); err != nil {
		return err
	}
	if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, s.actor.UserID, appeal.StepAccept, appeal.StepTriage); err != nil {
		return err
	}
	return s.tx.event(ctx, s.actor, s.c.CaseID, "merged_in", appeal.State(state), appeal.State(state), 0,
		fmt.Sprintf("并入诉求 %s", s.a.Number), map[string]any{"appeal": s.a.ID}, false)
}

// inDistrict checks that a department serves the appeal's place.
func (s *step) inDistrict(ctx context.Context, deptID int64) (string, error) {
	var name string
	err := store.Scan(s.tx.db().Row(ctx, `SELECT d.name FROM departments d JOIN appeals a ON a.id = ?
		WHERE d.id = ? AND d.region_code IN (a.city_code, a.district_code, a.street_code)`, s.a.ID, deptID), &name)
	return name, err
}

// dispatch blows the whistle (吹哨): one lead department and any assisting ones.
func (s *step) dispatch(ctx context.Context) error {
	now := s.clk.now
	f := fault.Fields{}
	if s.c.Lead == 0 {
		f.Add("lead", "请选择主办部门", "choose the lead department")
	}
	seen := map[int64]bool{s.c.Lead: true}
	for _, d := range s.c.Assists {
		if seen[d] {
			f.Add("assists", "协办部门不能重复，也不能与主办部门相同", "assisting departments must differ from each other and from the lead")
		}
		seen[d] = true
	}
	if len(s.c.Assists) > 10 {
		f.Add("assists", "协办部门不超过 10 个", "at most 10 assisting departments")
	}
	if !s.c.Due.IsZero() && !s.c.Due.After(now) {
		f.Add("due", "办理期限须晚于现在", "the deadline must be in the future")
	}
	if utf8.RuneCountInString(s.c.Note) > appeal.MaxNote {
		f.Add("note", "派单说明不超过 1000 字", "the instruction is at most 1,000 characters")
	}
	if err := f.Err(); err != nil {
		return err
	}
	for _, d := range append([]int64{s.c.Lead}, s.c.Assists...) {
		if _, err := s.inDistrict(ctx, d); fault.Is(err, fault.NotFound) {
			field := "assists"
			if d == s.c.Lead {
				field = "lead"
			}
			return fault.Fields{field: {Zh: "该部门不属于本辖区的服务联盟", En: "this department does not serve the appeal's district"}}.Err()
		} else if err != nil {
			return err
		}
	}
	due := s.c.Due
	if due.IsZero() {
		due = s.clk.due(appeal.StepHandle, now)
	}
	assistDue := s.clk.due(appeal.StepAssist, now)
	if assistDue.After(due) {
		assistDue = due
	}
	s.to, s.public, s.dept = appeal.Dispatched, true, s.c.Lead
	s.detail = map[string]any{"lead": s.c.Lead, "assists": s.c.Assists, "due": due.UnixMilli()}
	if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, s.actor.UserID, appeal.StepTriage); err != nil {
		return err
	}
	if err := s.exec(ctx, "UPDATE appeals SET lead_department = ? WHERE id = ?", s.c.Lead, s.a.ID); err != nil {
		return err
	}
	for i, d := range append([]int64{s.c.Lead}, s.c.Assists...) {
		role, dd := "lead", due
		if i > 0 {
			role, dd = "assist", assistDue
		}
		var did int64
		if err := store.Scan(s.tx.db().Row(ctx, `INSERT INTO appeal_dispatches (appeal_id, department_id, role, status, instruction, due_at, created_at, created_by)
			VALUES (?, ?, ?, 'pending', ?, ?, ?, ?) RETURNING id`, s.a.ID, d, role, s.c.Note, dd.UnixMilli(), now.UnixMilli(), s.actor.UserID), &did); err != nil {
			return fmt.Errorf("insert dispatch: %w", err)
		}
		if _, err := s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepSign, did, d, time.Time{}); err != nil {
			return err
		}
		kind := "主办"
		if i > 0 {
			kind = "协办"
		}
		if err := s.tx.notifyDepartment(ctx, now, s.a.ID, d, "dispatch", "新派单（"+kind+"）待签收："+s.a.Title); err != nil {
			return err
		}
	}
	return nil
}

// myDispatch returns the actor's department's active dispatch on the appeal
// in the given status and one of the roles.
func (s *step) myDispatch(ctx context.Context, status string, roles ...appeal.Party) (Dispatch, error) {
	var d Dispatch
	var due int64
	rows, err := s.tx.db().Query(ctx, `SELECT id, department_id, role, status, due_at FROM appeal_dispatches
		WHERE appeal_id = ? AND department_id = ? AND active = TRUE ORDER BY id`, s.a.ID, s.actor.DepartmentID)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var x Dispatch
		if err := rows.Scan(&x.ID, &x.DepartmentID, &x.Role, &x.Status, &due); err != nil {
			return d, err
		}
		x.Due = time.UnixMilli(due)
		if slices.Contains(roles, x.Role) {
			if x.Status == status {
				return x, nil
			}
			d = x
		}
	}
	if err := rows.Err(); err != nil {
		return d, err
	}
	if d.ID != 0 {
		return d, appeal.ErrWrongState // the department's part is not at this step
	}
	return d, appeal.ErrNotYours
}

// notifyHandlers notifies whoever holds the appeal now: the community while
// it is being triaged, the departments once dispatched.
func (s *step) notifyHandlers(ctx context.Context, kind, title string) error {
	now := s.clk.now
	switch s.a.State {
	case appeal.Submitted, appeal.Accepted:
		return s.tx.notifyCommunity(ctx, now, s.a.ID, kind, title)
	}
	depts, err := store.Collect(ctx, s.tx.db().DB, store.Int64, `SELECT DISTINCT department_id FROM appeal_dispatches
		WHERE appeal_id = ? AND active = TRUE AND status IN ('pending', 'signed', 'checked_in')`, s.a.ID)
	if err != nil {
		return err
	}
	for _, d := range depts {
		if err := s.tx.notifyDepartment(ctx, now, s.a.ID, d, kind, title); err != nil {
			return err
		}
	}
	return nil
}

func (s *step) requestExtension(ctx context.Context) error {
	now := s.clk.now
	d, err := s.myDispatch(ctx, "signed", appeal.PartyLead)
	if err != nil {
		return err
	}
	f := fault.Fields{}
	need(f, "note", s.c.Note, "请说明延期理由", "give the reason for the extension", appeal.MaxNote)
	if !s.c.Due.After(d.Due) {
		f.Add("due", "申请的期限须晚于当前期限", "the proposed deadline must be later than the current one")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if !now.Before(d.Due) {
		return fault.New(fault.Invalid, "too_late", "已超过办理期限，不能再申请延期", "the deadline has passed: an extension must be asked for before it")
	}
	var pending int
	if err := store.Scan(s.tx.db().Row(ctx, "SELECT COUNT(*) FROM appeal_extensions WHERE appeal_id = ? AND status = 'pending'", s.a.ID), &pending); err != nil {
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
		JOIN appeal_dispatches p ON p.id = x.dispatch_id WHERE x.id = ? AND x.appeal_id = ? AND x.status = 'pending'`,
		s.c.ExtensionID, s.a.ID), &dispatchID, &proposed, &dept)
	if fault.Is(err, fault.NotFound) {
		return fault.Fields{"extension_id": {Zh: "没有待审批的该项延期申请", En: "no such pending extension request"}}.Err()
	}
	if err != nil {
		return err
	}
	status := "refused"
	if s.c.Approve {
		status = "approved"
	}
	s.dept = dept
	s.detail = map[string]any{"extension": s.c.ExtensionID, "decision": status}
	if err := s.exec(ctx, `UPDATE appeal_extensions SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?`,
		status, s.actor.UserID, now.UnixMilli(), s.c.Note, s.c.ExtensionID); err != nil {
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
	}
	title := "延期申请未获批准：" + s.a.Title
	if s.c.Approve {
		title = "延期申请已批准：" + s.a.Title
	}
	return s.tx.notifyDepartment(ctx, now, s.a.ID, dept, "extension", title)
}

// rate records the enterprise's verdict, or the community's return visit on
// its behalf, and closes the appeal, sends it back for redo or to joint handling.
func (s *step) rate(ctx context.Context) error {
	now := s.clk.now
	f := fault.Fields{}
	if !s.c.Rating.Valid() {
		f.Add("rating", "请选择满意、基本满意或不满意", "choose satisfied, basically satisfied or unsatisfied")
	}
	if s.c.Rating == appeal.Unsatisfied {
		need(f, "note", s.c.Note, "不满意时请说明原因", "say why you are not satisfied", appeal.MaxNote)
	}
	channel := "self"
	if s.c.Action == appeal.ReturnVisit {
		if !slices.Contains([]string{"phone", "visit", "sms"}, s.c.Via) {
			f.Add("via", "请选择回访方式：电话、上门或短信", "choose how the return visit was made: phone, visit or sms")
		}
		channel = s.c.Via
	}
	if utf8.RuneCountInString(s.c.Note) > appeal.MaxNote {
		f.Add("note", "评价说明不超过 1000 字", "at most 1,000 characters")
	}
	if err := f.Err(); err != nil {
		return err
	}
	maxRedo, err := s.tx.db().maxRedo(ctx)
	if err != nil {
		return err
	}
	s.to, s.public = appeal.AfterRating(s.c.Rating, s.a.RedoCount, maxRedo), true
	s.detail = map[string]any{"rating": s.c.Rating, "via": channel}
	if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, s.actor.UserID, appeal.StepRate); err != nil {
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
				created_at, created_by) VALUES (?, ?, 'lead', 'signed', ?, ?, ?, ?) RETURNING id`,
				s.a.ID, lead, due.UnixMilli(), now.UnixMilli(), now.UnixMilli(), s.actor.UserID), &did); err != nil {
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
			if err := s.exec(ctx, "UPDATE appeal_dispatches SET status = 'signed', due_at = ? WHERE id = ?", due.UnixMilli(), did); err != nil {
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
	if s.actor.Role != access.RoleStreetLeader && s.actor.Role != access.RoleDistrictLeader {
		return fault.New(fault.Forbidden, "leaders_only", "组团破难由街道或区领导发起", "joint handling is convened by a street or district leader")
	}
	f := fault.Fields{}
	if len(s.c.Departments) == 0 || len(s.c.Departments) > 12 {
		f.Add("departments", "请选择 1 至 12 个组团部门", "name 1 to 12 departments")
	}
	if utf8.RuneCountInString(s.c.Note) > appeal.MaxNote {
		f.Add("note", "说明不超过 1000 字", "at most 1,000 characters")
	}
	if !s.c.Due.IsZero() && !s.c.Due.After(now) {
		f.Add("due", "期限须晚于现在", "the deadline must be in the future")
	}
	if err := f.Err(); err != nil {
		return err
	}
	due := s.c.Due
	if due.IsZero() {
		due = s.clk.due(appeal.StepJoint, now)
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
		var did int64
		if err := store.Scan(s.tx.db().Row(ctx, `INSERT INTO appeal_dispatches (appeal_id, department_id, role, status, instruction, due_at, created_at, created_by)
			VALUES (?, ?, 'joint', 'pending', ?, ?, ?, ?) RETURNING id`, s.a.ID, d, s.c.Note, due.UnixMilli(), now.UnixMilli(), s.actor.UserID), &did); err != nil {
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
	s.to, s.public = appeal.Joint, true
	s.detail = map[string]any{"departments": s.c.Departments, "due": due.UnixMilli()}
	return nil
}
