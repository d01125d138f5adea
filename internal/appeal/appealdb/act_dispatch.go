package appealdb

import (
	"context"
	"fmt"
	"slices"
	"time"

	"qifu/internal/appeal"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// The steps of Act that send an appeal on: merging it into another, the
// community's dispatch (吹哨) to departments, and the departments' replies.

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
	if s.c.CaseID == s.a.ID {
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
	if err := appeal.CheckParties(s.a, "lead", s.c.Lead); err != nil {
		return err
	}
	if err := appeal.CheckParties(s.a, "assists", s.c.Assists...); err != nil {
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
	s.dept = s.c.Lead
	s.detail = map[string]any{"lead": s.c.Lead, "assists": s.c.Assists, "offices": s.c.Offices, "due": due.UnixMilli()}
	if err := s.tx.closeSteps(ctx, s.clk, s.a.ID, 0, s.actor.UserID, appeal.StepTriage); err != nil {
		return err
	}
	if err := s.exec(ctx, "UPDATE appeals SET lead_department = ? WHERE id = ?", s.c.Lead, s.a.ID); err != nil {
		return err
	}
	offices, err := s.officesOf(ctx)
	if err != nil {
		return err
	}
	for i, d := range append([]int64{s.c.Lead}, s.c.Assists...) {
		role, dd := appeal.PartyLead, due
		if i > 0 {
			role, dd = appeal.PartyAssist, assistDue
		}
		did, err := s.insertDispatch(ctx, d, role, dd, offices[d])
		if err != nil {
			return err
		}
		if _, err := s.tx.openStep(ctx, s.clk, s.a.ID, appeal.StepSign, did, d, time.Time{}); err != nil {
			return err
		}
		kind := "主办"
		if i > 0 {
			kind = "协办"
		}
		if err := s.tx.notifyOffice(ctx, now, s.a.ID, d, offices[d], "dispatch", "新派单（"+kind+"）待签收："+s.a.Title); err != nil {
			return err
		}
	}
	return nil
}

// officesOf reads the offices a dispatch goes to, by department: each must
// be of the lead or of an assisting department, one of each at most.
func (s *step) officesOf(ctx context.Context) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(s.c.Offices) == 0 {
		return out, nil
	}
	args := make([]any, len(s.c.Offices))
	for i, o := range s.c.Offices {
		args[i] = o
	}
	type row struct{ id, dept int64 }
	rows, err := store.Collect(ctx, s.tx.db().DB, func(sc store.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.id, &r.dept)
	}, "SELECT id, department_id FROM department_offices WHERE id IN ("+store.Placeholders(len(args))+")", args...)
	if err != nil {
		return nil, fmt.Errorf("dispatch offices: %w", err)
	}
	named := map[int64]bool{s.c.Lead: true}
	for _, d := range s.c.Assists {
		named[d] = true
	}
	for _, r := range rows {
		if !named[r.dept] || out[r.dept] != 0 {
			break
		}
		out[r.dept] = r.id
	}
	if len(out) != len(s.c.Offices) {
		return nil, fault.Fields{"offices": {Zh: "分支机构须属于所派的部门，每个部门至多一个", En: "each office is of a department dispatched to, one of each at most"}}.Err()
	}
	return out, nil
}

// insertDispatch gives a department (or one of its offices) its part of
// the appeal, with the step's instruction, waiting for it to sign or
// report in by due.
func (s *step) insertDispatch(ctx context.Context, dept int64, role appeal.Party, due time.Time, office int64) (int64, error) {
	var id int64
	err := store.Scan(s.tx.db().Row(ctx, `INSERT INTO appeal_dispatches
			(appeal_id, department_id, role, status, instruction, due_at, created_at, created_by, office_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.a.ID, dept, string(role), string(appeal.DispatchPending), s.c.Note,
		due.UnixMilli(), s.clk.now.UnixMilli(), s.actor.UserID, office), &id)
	if err != nil {
		return 0, fmt.Errorf("insert dispatch: %w", err)
	}
	return id, nil
}

// myDispatch returns the actor's department's active dispatch on the appeal
// in the given status and one of the roles.
func (s *step) myDispatch(ctx context.Context) (Dispatch, error) {
	need := appeal.NeedsOf[s.c.Action]
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
		if slices.Contains(need.Roles, x.Role) {
			if x.Status == need.Status {
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
		WHERE appeal_id = ? AND active = TRUE AND status IN (?, ?, ?)`, s.a.ID,
		string(appeal.DispatchPending), string(appeal.DispatchSigned), string(appeal.DispatchCheckedIn))
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
