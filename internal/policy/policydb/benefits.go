package policydb

import (
	"context"
	"encoding/json"
	"fmt"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/store"
)

const benefitColumns = `b.id, b.policy_id, p.title, p.department_id, b.title, b.kind, b.summary, b.conditions, b.amount, b.department_id, d.name, d.name_en,
	b.budget, b.opens, b.closes, b.mode, b.materials, b.review_days, b.notice_days, b.platform, b.stack_group, b.stack,
	b.state, b.version, b.edited_by, b.published_at`

const benefitFrom = ` FROM policy_benefits b JOIN policies p ON p.id = b.policy_id JOIN departments d ON d.id = b.department_id`

func scanBenefit(sc store.Scanner) (policy.Benefit, error) {
	var b policy.Benefit
	var conds, amount, mats string
	var published int64
	err := sc.Scan(&b.ID, &b.PolicyID, &b.Policy, &b.PolicyDepartmentID, &b.Title, &b.Kind, &b.Summary, &conds, &amount, &b.DepartmentID, &b.Department, &b.DepartmentEn,
		&b.Budget, &b.Opens, &b.Closes, &b.Mode, &mats, &b.ReviewDays, &b.NoticeDays, &b.Platform, &b.StackGroup, &b.Stack,
		&b.State, &b.Version, &b.EditedBy, &published)
	if err != nil {
		return b, store.ScanErr(err)
	}
	if err := json.Unmarshal([]byte(conds), &b.Conditions); err != nil {
		return b, fmt.Errorf("benefit %d conditions: %w", b.ID, err)
	}
	if err := json.Unmarshal([]byte(amount), &b.Amount); err != nil {
		return b, fmt.Errorf("benefit %d amount: %w", b.ID, err)
	}
	if err := json.Unmarshal([]byte(mats), &b.Materials); err != nil {
		return b, fmt.Errorf("benefit %d materials: %w", b.ID, err)
	}
	b.PublishedAt = store.Millis(published)
	return b, nil
}

// benefitVisible: published (and closed) benefits are everyone's; drafts
// those of the departments that keep their policy or grant them.
func benefitVisible(actor access.Actor) (string, []any) {
	c1, a1 := manageScope(actor, "p.department_id")
	c2, a2 := manageScope(actor, "b.department_id")
	return "(b.state <> 'draft' OR " + c1 + " OR " + c2 + ")", append(a1, a2...)
}

func (s *Store) benefitsOf(ctx context.Context, h store.DB, actor access.Actor, policyID int64) ([]policy.Benefit, error) {
	where, args := benefitVisible(actor)
	return store.Collect(ctx, h, scanBenefit, "SELECT "+benefitColumns+benefitFrom+" WHERE b.policy_id = ? AND "+where+" ORDER BY b.id",
		append([]any{policyID}, args...)...)
}

// Benefit returns a benefit the actor may read.
func (s *Store) Benefit(ctx context.Context, actor access.Actor, id int64) (policy.Benefit, error) {
	return s.benefit(ctx, s.engine.Reader(), actor, id)
}

func (s *Store) benefit(ctx context.Context, h store.DB, actor access.Actor, id int64) (policy.Benefit, error) {
	where, args := benefitVisible(actor)
	return scanBenefit(h.Row(ctx, "SELECT "+benefitColumns+benefitFrom+" WHERE b.id = ? AND "+where, append([]any{id}, args...)...))
}

// BenefitQuery selects benefits.
type BenefitQuery struct {
	State      string // "" every state; "open": published with the window not yet closed
	Department int64  // the granting department
	Mode       policy.Mode
	Page       store.Page
}

// Benefits lists the benefits the actor may read.
func (s *Store) Benefits(ctx context.Context, actor access.Actor, q BenefitQuery) ([]policy.Benefit, int, error) {
	where, args := benefitVisible(actor)
	switch q.State {
	case "":
	case "open":
		where += " AND b.state = 'published' AND b.closes >= ?"
		args = append(args, s.today())
	default:
		where += " AND b.state = ?"
		args = append(args, q.State)
	}
	if q.Department != 0 {
		where += " AND b.department_id = ?"
		args = append(args, q.Department)
	}
	if q.Mode != "" {
		where += " AND b.mode = ?"
		args = append(args, string(q.Mode))
	}
	r := s.engine.Reader()
	var total int
	if err := store.Scan(r.Row(ctx, "SELECT COUNT(*)"+benefitFrom+" WHERE "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count benefits: %w", err)
	}
	limit, offset := q.Page.Bounds()
	out, err := store.Collect(ctx, r, scanBenefit, "SELECT "+benefitColumns+benefitFrom+" WHERE "+where+
		" ORDER BY CASE b.state WHEN 'draft' THEN 0 WHEN 'published' THEN 1 ELSE 2 END, b.closes, b.id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, wrap(err, "list benefits")
}

// inForce are the published benefits whose policy is in force and whose
// window has not closed on day: those a check-up lists and a changed
// enterprise is evaluated against.
func (s *Store) inForce(ctx context.Context, h store.DB, day string) ([]policy.Benefit, error) {
	return store.Collect(ctx, h, scanBenefit, "SELECT "+benefitColumns+benefitFrom+`
		WHERE b.state = 'published' AND p.state = 'published' AND b.closes >= ? AND p.in_force <= ?
		AND (p.until_day = '' OR p.until_day >= ?) ORDER BY b.id`, day, day, day)
}

// SaveBenefit creates a draft benefit of a policy (ID 0) or updates a
// draft at its version. Its conditions are type-checked here, each
// refusal at its place; a published benefit is not edited (a change of
// rules is a new benefit, so that what enterprises were told stays true).
func (s *Store) SaveBenefit(ctx context.Context, actor access.Actor, b policy.Benefit) (policy.Benefit, error) {
	if !access.May(actor.Role, access.PolicyManage) {
		return b, access.ErrForbidden
	}
	b.Normalize()
	if _, err := b.Check(); err != nil {
		return b, err
	}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		p, err := s.policy(ctx, tx.DB(), actor, b.PolicyID)
		if err != nil {
			return err
		}
		if !MayManageDepartment(actor, p.DepartmentID) {
			return access.ErrForbidden
		}
		b.PolicyDepartmentID = p.DepartmentID
		if p.State == policy.Retracted {
			return fault.New(fault.Conflict, "policy_state", "政策已废止，不能再添加兑现事项", "the policy was withdrawn")
		}
		var dept int
		if err := store.Scan(tx.DB().Row(ctx, "SELECT COUNT(*) FROM departments WHERE id = ?", b.DepartmentID), &dept); err != nil || dept == 0 {
			return fault.Fields{"department_id": {Zh: "兑现部门不存在", En: "no such department"}}.Err()
		}
		if err := s.checkRegions(ctx, tx.DB(), b); err != nil {
			return err
		}
		if err := s.checkGroup(ctx, tx.DB(), b); err != nil {
			return err
		}
		now := tx.Now().UnixMilli()
		conds, amount, mats := mustJSON(b.Conditions), mustJSON(b.Amount), mustJSON(nonNil(b.Materials))
		if b.ID == 0 {
			b.State, b.Version, b.EditedBy = policy.Draft, 1, actor.UserID
			if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO policy_benefits (policy_id, title, kind, summary, conditions, amount,
				department_id, budget, opens, closes, mode, materials, review_days, notice_days, platform, stack_group, stack, state,
				edited_by, edited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				b.PolicyID, b.Title, string(b.Kind), b.Summary, conds, amount, b.DepartmentID, b.Budget, b.Opens, b.Closes,
				string(b.Mode), mats, b.ReviewDays, b.NoticeDays, b.Platform, b.StackGroup, string(b.Stack), b.State,
				actor.UserID, now), &b.ID); err != nil {
				return fmt.Errorf("insert benefit: %w", err)
			}
			return tx.Record(ctx, actor, "policy.benefit.create", fmt.Sprintf("policy_benefit/%d", b.ID), "ok", map[string]any{"title": b.Title, "conditions": b.Conditions})
		}
		var policyID int64
		if err := store.Scan(tx.DB().Row(ctx, "SELECT policy_id FROM policy_benefits WHERE id = ?", b.ID), &policyID); err != nil {
			return err
		}
		if policyID != b.PolicyID {
			return fault.Fields{"policy_id": {Zh: "兑现事项不能移到另一份政策", En: "a benefit stays with its policy"}}.Err()
		}
		res, err := tx.DB().Exec(ctx, `UPDATE policy_benefits SET title = ?, kind = ?, summary = ?, conditions = ?, amount = ?,
			department_id = ?, budget = ?, opens = ?, closes = ?, mode = ?, materials = ?, review_days = ?, notice_days = ?,
			platform = ?, stack_group = ?, stack = ?, edited_by = ?, edited_at = ?, version = version + 1
			WHERE id = ? AND policy_id = ? AND version = ? AND state = 'draft'`,
			b.Title, string(b.Kind), b.Summary, conds, amount, b.DepartmentID, b.Budget, b.Opens, b.Closes, string(b.Mode), mats,
			b.ReviewDays, b.NoticeDays, b.Platform, b.StackGroup, string(b.Stack), actor.UserID, now, b.ID, b.PolicyID, b.Version)
		if err != nil {
			return fmt.Errorf("update benefit: %w", err)
		}
		if affected(res) == 0 {
			return stale("该事项已被他人修改或已发布，请刷新后重试", "the benefit changed or was published meanwhile; reload")
		}
		b.State, b.Version, b.EditedBy = policy.Draft, b.Version+1, actor.UserID
		return tx.Record(ctx, actor, "policy.benefit.update", fmt.Sprintf("policy_benefit/%d", b.ID), "ok", map[string]any{"title": b.Title, "conditions": b.Conditions})
	})
	return b, err
}

// checkRegions refuses region conditions naming codes qifu does not know.
func (s *Store) checkRegions(ctx context.Context, h store.DB, b policy.Benefit) error {
	c, err := policy.Compile(b.Conditions)
	if err != nil {
		return err
	}
	for _, code := range c.Regions() {
		var n int
		if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM regions WHERE code = ?", code), &n); err != nil {
			return err
		}
		if n == 0 {
			return fault.Fields{"conditions": {Zh: "区域代码“" + code + "”不存在", En: "no region " + code}}.Err()
		}
	}
	return nil
}

// checkGroup refuses a stacking rule that differs from its group's.
func (s *Store) checkGroup(ctx context.Context, h store.DB, b policy.Benefit) error {
	if b.StackGroup == "" {
		return nil
	}
	rules, err := store.Collect(ctx, h, func(sc store.Scanner) (string, error) {
		var r string
		return r, sc.Scan(&r)
	}, "SELECT DISTINCT stack FROM policy_benefits WHERE stack_group = ? AND id <> ? AND state <> 'withdrawn'", b.StackGroup, b.ID)
	if err != nil {
		return err
	}
	for _, r := range rules {
		if r != string(b.Stack) {
			return fault.Fields{"stack": {Zh: "同一互斥组的叠加规则须一致", En: "a group has one stacking rule"}}.Err()
		}
	}
	return nil
}

// CloseBenefit withdraws a benefit: no new claims; open ones stay with the
// department.
func (s *Store) CloseBenefit(ctx context.Context, actor access.Actor, id int64, version int) (policy.Benefit, error) {
	var b policy.Benefit
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if b, err = s.benefit(ctx, tx.DB(), actor, id); err != nil {
			return err
		}
		if !mayManageBenefit(actor, b) {
			return access.ErrForbidden
		}
		res, err := tx.DB().Exec(ctx, "UPDATE policy_benefits SET state = ?, version = version + 1 WHERE id = ? AND version = ? AND state <> ?",
			policy.Retracted, id, version, policy.Retracted)
		if err != nil {
			return fmt.Errorf("close benefit: %w", err)
		}
		if affected(res) == 0 {
			return stale("该事项已被他人修改，请刷新后重试", "the benefit changed meanwhile; reload")
		}
		b.State, b.Version = policy.Retracted, version+1
		return tx.Record(ctx, actor, "policy.benefit.close", fmt.Sprintf("policy_benefit/%d", id), "ok", nil)
	})
	return b, err
}

// mayManageBenefit: the benefit's policy is kept by the actor's department.
func mayManageBenefit(actor access.Actor, b policy.Benefit) bool {
	return MayManageDepartment(actor, b.PolicyDepartmentID)
}

// nonNil is s, or an empty slice for nil: JSON's [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
