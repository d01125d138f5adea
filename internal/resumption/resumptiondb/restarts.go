package resumptiondb

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/resumption"
	"qifu/internal/store"
)

// A restart application (复工申报) belongs to a checklist campaign with the
// restart procedure: the checklist the enterprise filled is its prevention
// plan. The table of steps is resumption.RestartSteps.

// Restart is an application as kept.
type Restart struct {
	ID, CampaignID, EnterpriseID int64
	Campaign, Enterprise         string
	Street                       string
	State                        string
	Employees                    int
	Pledge                       string
	Counts                       resumption.Counts
	Approver                     string
	Reason                       string
	CreatedAt, UpdatedAt         time.Time
	Version                      int64
	Steps                        []Step
}

// Step is one step an application went through.
type Step struct {
	N                             int
	Action, State, ByName, Reason string
	At                            time.Time
}

// RestartInput is an application.
type RestartInput struct {
	CampaignID, EnterpriseID int64
	Pledge                   string
	Counts                   resumption.Counts
}

const restartColumns = `a.id, a.campaign_id, a.enterprise_id, c.title, e.name, COALESCE(st.name, e.street_code), a.state, a.employees, a.pledge,
	a.isolating, a.returned, a.planning, a.on_site, a.approver, a.reason, a.created_at, a.updated_at, a.version`

const restartFrom = ` FROM resumption_restarts a JOIN campaigns c ON c.id = a.campaign_id JOIN enterprises e ON e.id = a.enterprise_id
	LEFT JOIN regions st ON st.code = e.street_code`

func scanRestart(sc store.Scanner) (Restart, error) {
	var r Restart
	var created, updated int64
	err := sc.Scan(&r.ID, &r.CampaignID, &r.EnterpriseID, &r.Campaign, &r.Enterprise, &r.Street, &r.State, &r.Employees, &r.Pledge,
		&r.Counts.Isolating, &r.Counts.Returned, &r.Counts.Planning, &r.Counts.OnSite, &r.Approver, &r.Reason, &created, &updated, &r.Version)
	r.CreatedAt, r.UpdatedAt = store.Millis(created), store.Millis(updated)
	return r, store.ScanErr(err)
}

// MinPledge is the shortest pledge accepted.
const MinPledge = 10

// ApplyRestart applies for a restart (or files with a pledge, in a
// campaign's later phase), or applies again after a refusal or withdrawal:
// the pledge, the returning staff by class, and the campaign's checklist
// submitted as the prevention plan.
func (s *Store) ApplyRestart(ctx context.Context, actor access.Actor, in RestartInput) (Restart, error) {
	var out Restart
	in.Pledge = strings.TrimSpace(in.Pledge)
	if n := utf8.RuneCountInString(in.Pledge); n < MinPledge || n > 1000 {
		return out, fault.Fields{"pledge": {Zh: fmt.Sprintf("请填写复工承诺（%d–1000 字）", MinPledge), En: fmt.Sprintf("write the pledge (%d–1000 characters)", MinPledge)}}.Err()
	}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		e, err := enterpriseFor(ctx, h, actor, in.EnterpriseID, access.ResumeReport)
		if err != nil {
			return err
		}
		if err := onList(ctx, h, in.CampaignID, in.EnterpriseID); err != nil {
			return err
		}
		c, err := campaignOf(ctx, h, in.CampaignID)
		if err != nil {
			return err
		}
		if c.Kind != KindChecklist || c.Restart == "" {
			return fault.New(fault.Conflict, "resumption_no_restart", "本次检查不受理复工申报", "this campaign takes no restart applications")
		}
		if c.State != audiencedb.Running {
			return fault.New(fault.Conflict, "campaign_closed", "该次申报已结束", "the campaign is closed")
		}
		if err := in.Counts.Check(e.Employees); err != nil {
			return err
		}
		var submitted int
		if err := store.Scan(h.Row(ctx, `SELECT COUNT(*) FROM form_submissions WHERE campaign_id = ? AND enterprise_id = ? AND state = 'submitted'`,
			in.CampaignID, in.EnterpriseID), &submitted); err != nil {
			return err
		}
		if submitted == 0 {
			return fault.New(fault.Invalid, "resumption_no_plan", "请先填报“"+c.Title+"”（防控方案），再申请复工",
				"fill in “"+c.Title+"” (the prevention plan) before applying")
		}
		state, action := resumption.Applied, "apply"
		if c.Restart == resumption.RestartFiling {
			state, action = resumption.Filed, "file"
		}
		approver := resumption.Approver(e.Employees, c.Threshold)
		now := tx.Now().UnixMilli()
		old, has, err := restartWhere(ctx, h, "a.campaign_id = ? AND a.enterprise_id = ?", in.CampaignID, in.EnterpriseID)
		if err != nil {
			return err
		}
		var id int64
		if has {
			if old.State != resumption.Refused && old.State != resumption.Withdrawn {
				return fault.New(fault.Conflict, "resumption_applied", "已提交申报，正在办理", "an application is already in hand")
			}
			action = "reapply"
			res, err := h.Exec(ctx, `UPDATE resumption_restarts SET state = ?, employees = ?, pledge = ?, isolating = ?, returned = ?, planning = ?,
				on_site = ?, approver = ?, reason = '', updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
				state, e.Employees, in.Pledge, in.Counts.Isolating, in.Counts.Returned, in.Counts.Planning, in.Counts.OnSite, approver, now,
				old.ID, old.Version)
			if err != nil {
				return fmt.Errorf("reapply: %w", err)
			}
			if store.Affected(res) != 1 {
				return fault.ErrConflict
			}
			id = old.ID
		} else {
			rows, err := store.Collect(ctx, h, store.Int64, `INSERT INTO resumption_restarts (campaign_id, enterprise_id, state, employees, pledge,
				isolating, returned, planning, on_site, approver, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (campaign_id, enterprise_id) DO NOTHING RETURNING id`,
				in.CampaignID, in.EnterpriseID, state, e.Employees, in.Pledge, in.Counts.Isolating, in.Counts.Returned, in.Counts.Planning,
				in.Counts.OnSite, approver, now, now)
			if err != nil {
				return fmt.Errorf("apply: %w", err)
			}
			if len(rows) == 0 {
				return fault.New(fault.Conflict, "resumption_applied", "已提交申报，正在办理", "an application is already in hand")
			}
			id = rows[0]
		}
		if err := step(ctx, tx, actor, id, action, state, ""); err != nil {
			return err
		}
		if state == resumption.Applied {
			if err := notifyStreet(ctx, tx, e, id, "复工申报待现场核查："+e.Name); err != nil {
				return err
			}
		}
		if out, err = readRestart(ctx, h, id); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "resumption.restart_"+action, fmt.Sprintf("restart/%d", id), "ok",
			map[string]any{"campaign": in.CampaignID, "state": state, "employees": e.Employees, "approver": approver, "counts": in.Counts})
	})
	return out, err
}

func step(ctx context.Context, tx *store.Tx, actor access.Actor, id int64, action, state, reason string) error {
	_, err := tx.DB().Exec(ctx, `INSERT INTO resumption_restart_steps (restart_id, n, action, state, by_name, reason, at)
		SELECT ?, COALESCE(MAX(n), 0) + 1, ?, ?, ?, ?, ? FROM resumption_restart_steps WHERE restart_id = ?`,
		id, action, state, actor.Name, reason, tx.Now().UnixMilli(), id)
	return store.Wrap(err, "restart step")
}

// notifyStreet tells the street leaders of the enterprise's street.
func notifyStreet(ctx context.Context, tx *store.Tx, e enterprise.Enterprise, id int64, title string) error {
	return tx.Notify(ctx, store.Recipients{Query: "SELECT id FROM users WHERE role = 'street_leader' AND region_code = ? AND disabled = FALSE",
		Args: []any{e.StreetCode}}, "resumption.restart", fmt.Sprintf("/resumption/restarts/%d", id), title)
}

func restartWhere(ctx context.Context, h store.DB, where string, args ...any) (Restart, bool, error) {
	list, err := store.Collect(ctx, h, scanRestart, "SELECT "+restartColumns+restartFrom+" WHERE "+where, args...)
	if err != nil || len(list) == 0 {
		return Restart{}, false, store.Wrap(err, "restart")
	}
	return list[0], true, nil
}

func readRestart(ctx context.Context, h store.DB, id int64) (Restart, error) {
	r, ok, err := restartWhere(ctx, h, "a.id = ?", id)
	if err != nil {
		return r, err
	}
	if !ok {
		return r, fault.ErrNotFound
	}
	r.Steps, err = store.Collect(ctx, h, func(sc store.Scanner) (Step, error) {
		var st Step
		var at int64
		err := sc.Scan(&st.N, &st.Action, &st.State, &st.ByName, &st.Reason, &at)
		st.At = store.Millis(at)
		return st, err
	}, "SELECT n, action, state, by_name, reason, at FROM resumption_restart_steps WHERE restart_id = ? ORDER BY n", id)
	return r, store.Wrap(err, "restart steps")
}

// Restart reads an application the actor reads.
func (s *Store) Restart(ctx context.Context, actor access.Actor, id int64) (Restart, error) {
	h := s.engine.Reader()
	cond, args := store.EnterpriseScope(actor, access.ResumeRead)
	r, ok, err := restartWhere(ctx, h, "a.id = ? AND "+cond, append([]any{id}, args...)...)
	if err != nil {
		return r, err
	}
	if !ok {
		return r, fault.ErrNotFound
	}
	return readRestart(ctx, h, id)
}

// RestartOf reads an enterprise's application in a campaign, if any.
func (s *Store) RestartOf(ctx context.Context, actor access.Actor, campaignID, enterpriseID int64) (Restart, bool, error) {
	h := s.engine.Reader()
	if _, err := enterpriseFor(ctx, h, actor, enterpriseID, access.ResumeRead); err != nil {
		return Restart{}, false, err
	}
	r, ok, err := restartWhere(ctx, h, "a.campaign_id = ? AND a.enterprise_id = ?", campaignID, enterpriseID)
	if err != nil || !ok {
		return r, ok, err
	}
	r, err = readRestart(ctx, h, r.ID)
	return r, true, err
}

// RestartQuery selects applications.
type RestartQuery struct {
	CampaignID int64
	State      string
	Page       store.Page
}

// Restarts lists the applications the actor reads, those waiting first.
func (s *Store) Restarts(ctx context.Context, actor access.Actor, q RestartQuery) ([]Restart, int, error) {
	where, args := store.EnterpriseScope(actor, access.ResumeRead)
	if q.CampaignID != 0 {
		where += " AND a.campaign_id = ?"
		args = append(args, q.CampaignID)
	}
	if q.State != "" {
		where += " AND a.state = ?"
		args = append(args, q.State)
	}
	return store.Paged(ctx, s.engine.Reader(), "restarts", scanRestart, restartColumns, restartFrom, where, args,
		"CASE a.state WHEN 'applied' THEN 0 WHEN 'checked' THEN 1 ELSE 2 END, a.updated_at, a.id", q.Page)
}

// partyOf is the party actor takes a step of an application of e as: the
// street's staff in the enterprise's street, the command at the district,
// the applicant (the enterprise, or staff for it); an administrator is the
// party the step needs.
func partyOf(actor access.Actor, t access.Target, needed string) string {
	if access.ReachOf(actor.Role, access.ResumeDecide) == access.All {
		return needed
	}
	switch {
	case actor.Role == access.RoleStreetLeader && access.Allows(actor, access.ResumeDecide, t):
		return resumption.StreetRole
	case actor.Role == access.RoleDistrictLeader && access.Allows(actor, access.ResumeDecide, t):
		return resumption.Command
	case access.Allows(actor, access.ResumeReport, t):
		return resumption.Applicant
	}
	return ""
}

// NeededParty is who takes action on an application next.
func NeededParty(r Restart, action string, threshold int) string {
	for _, st := range resumption.RestartSteps {
		if st.Action == action {
			if st.By == "approver" {
				return resumption.Approver(r.Employees, threshold)
			}
			return st.By
		}
	}
	return ""
}

// ActRestart takes a step of an application (check, approve, refuse,
// withdraw) at its version, by the table: the state moves, the step is
// kept with its reason, the enterprise is told.
func (s *Store) ActRestart(ctx context.Context, actor access.Actor, id, version int64, action, reason string) (Restart, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 500 {
		return Restart{}, fault.Fields{"reason": {Zh: "原因不超过 500 字", En: "the reason is at most 500 characters"}}.Err()
	}
	if action == "reapply" {
		return Restart{}, fault.New(fault.Invalid, "resumption_action", "请重新填写申报", "apply again with the form")
	}
	var out Restart
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		cond, args := store.EnterpriseScope(actor, access.ResumeRead)
		r, ok, err := restartWhere(ctx, h, "a.id = ? AND "+cond, append([]any{id}, args...)...)
		if err != nil {
			return err
		}
		if !ok {
			return fault.ErrNotFound
		}
		if r.Version != version {
			return fault.ErrConflict
		}
		c, err := campaignOf(ctx, h, r.CampaignID)
		if err != nil {
			return err
		}
		e, err := h.EnterpriseByID(ctx, r.EnterpriseID)
		if err != nil {
			return err
		}
		t, err := h.TargetOf(ctx, actor, e)
		if err != nil {
			return err
		}
		party := partyOf(actor, t, NeededParty(r, action, c.Threshold))
		if party == "" {
			return access.ErrForbidden
		}
		to, err := resumption.Take(resumption.Restart{State: r.State, Employees: r.Employees}, action, party, c.Threshold, reason)
		if err != nil {
			return err
		}
		res, err := h.Exec(ctx, `UPDATE resumption_restarts SET state = ?, reason = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, to, reason, tx.Now().UnixMilli(), id, version)
		if err != nil {
			return fmt.Errorf("restart step: %w", err)
		}
		if store.Affected(res) != 1 {
			return fault.ErrConflict
		}
		if err := step(ctx, tx, actor, id, action, to, reason); err != nil {
			return err
		}
		words := map[string]string{resumption.Checked: "已现场核查，待审批", resumption.Approved: "复工申报已批准",
			resumption.Refused: "复工申报未获批准：" + reason, resumption.Withdrawn: "复工申报已撤回"}
		if err := tx.Notify(ctx, store.EnterpriseUsers(r.EnterpriseID), "resumption.restart", fmt.Sprintf("/resumption/restarts/%d", id),
			words[to]); err != nil {
			return err
		}
		if to == resumption.Checked && resumption.Approver(r.Employees, c.Threshold) == resumption.Command {
			if err := tx.Notify(ctx, store.Recipients{Query: "SELECT id FROM users WHERE role = 'district_leader' AND region_code = ? AND disabled = FALSE",
				Args: []any{e.DistrictCode}}, "resumption.restart", fmt.Sprintf("/resumption/restarts/%d", id), "复工申报待指挥部审批："+e.Name); err != nil {
				return err
			}
		}
		if out, err = readRestart(ctx, h, id); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "resumption.restart_"+action, fmt.Sprintf("restart/%d", id), "ok",
			map[string]any{"from": r.State, "to": to, "party": party, "reason": reason})
	})
	return out, err
}
