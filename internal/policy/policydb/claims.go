package policydb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/store"
)

// Claims are an enterprise's way to a benefit: an application reviewed by
// the granting department on the working-day calendar, or a 免申即享 match
// the enterprise confirms with its bank account, which then goes through a
// public notice to approval and payment. The states and who moves them
// are policy.Transitions.

const claimColumns = `c.id, c.benefit_id, b.title, c.enterprise_id, e.name, c.mode, c.state, c.materials, c.amount, c.granted,
	c.bank, c.account, c.note, c.platform_ref, c.notice_id, c.due_at, c.claw_back, c.created_at, c.updated_at, c.version, b.department_id`

const claimFrom = ` FROM policy_claims c JOIN policy_benefits b ON b.id = c.benefit_id JOIN enterprises e ON e.id = c.enterprise_id`

// scanClaim reads a claim with its benefit's granting department.
func scanClaim(sc store.Scanner) (policy.Claim, error) {
	var c policy.Claim
	var mats string
	var due, created, updated, dept int64
	if err := sc.Scan(&c.ID, &c.BenefitID, &c.Benefit, &c.EnterpriseID, &c.Enterprise, &c.Mode, &c.State, &mats, &c.Amount, &c.Granted,
		&c.Bank, &c.Account, &c.Note, &c.PlatformRef, &c.NoticeID, &due, &c.ClawBack, &created, &updated, &c.Version, &dept); err != nil {
		return c, store.ScanErr(err)
	}
	if err := json.Unmarshal([]byte(mats), &c.Materials); err != nil {
		return c, fmt.Errorf("claim %d materials: %w", c.ID, err)
	}
	c.Due, c.CreatedAt, c.UpdatedAt = store.Millis(due), store.Millis(created), store.Millis(updated)
	c.DepartmentID = dept
	return c, nil
}

// claimScope is the condition on claims c (with benefits b and enterprises
// e) the actor may read: of the enterprises in its reach, or — for a
// department — of the benefits it grants.
func claimScope(actor access.Actor) (string, []any) {
	f := access.FilterFor(actor, access.PolicyRead)
	if f.Reach == access.Dispatched {
		return "b.department_id = ?", []any{f.DepartmentID}
	}
	return store.EnterpriseScope(actor, access.PolicyRead)
}

// mask hides a claim's bank account from all but the enterprise and the
// granting department.
func mask(actor access.Actor, c *policy.Claim) {
	if !own(actor, c.EnterpriseID) && !MayReview(actor, c.DepartmentID) {
		c.Account = policy.MaskAccount(c.Account)
	}
}

// ClaimQuery selects claims.
type ClaimQuery struct {
	Benefit    int64
	Enterprise int64
	State      string
	NoticeID   int64
	Page       store.Page
}

// Claims lists the claims the actor may read, the nearest due first.
func (s *Store) Claims(ctx context.Context, actor access.Actor, q ClaimQuery) ([]policy.Claim, int, error) {
	if !access.May(actor.Role, access.PolicyRead) {
		return nil, 0, access.ErrForbidden
	}
	where, args := claimScope(actor)
	for _, f := range []struct {
		on  bool
		sql string
		v   any
	}{{q.Benefit != 0, "c.benefit_id = ?", q.Benefit}, {q.Enterprise != 0, "c.enterprise_id = ?", q.Enterprise},
		{q.State != "", "c.state = ?", q.State}, {q.NoticeID != 0, "c.notice_id = ?", q.NoticeID}} {
		if f.on {
			where += " AND " + f.sql
			args = append(args, f.v)
		}
	}
	r := s.engine.Reader()
	var total int
	if err := store.Scan(r.Row(ctx, "SELECT COUNT(*)"+claimFrom+" WHERE "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count claims: %w", err)
	}
	limit, offset := q.Page.Bounds()
	out, err := store.Collect(ctx, r, scanClaim, "SELECT "+claimColumns+claimFrom+" WHERE "+where+
		" ORDER BY CASE WHEN c.due_at = 0 THEN 1 ELSE 0 END, c.due_at, c.id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	for i := range out {
		mask(actor, &out[i])
	}
	return out, total, wrap(err, "list claims")
}

// Claim returns a claim the actor may read.
func (s *Store) Claim(ctx context.Context, actor access.Actor, id int64) (policy.Claim, error) {
	c, err := s.claim(ctx, s.engine.Reader(), actor, id)
	if err == nil {
		mask(actor, &c)
	}
	return c, err
}

func (s *Store) claim(ctx context.Context, h store.DB, actor access.Actor, id int64) (policy.Claim, error) {
	if !access.May(actor.Role, access.PolicyRead) && !access.May(actor.Role, access.PolicyReview) {
		return policy.Claim{}, fault.ErrNotFound
	}
	where, args := claimScope(actor)
	return scanClaim(h.Row(ctx, "SELECT "+claimColumns+claimFrom+" WHERE c.id = ? AND "+where, append([]any{id}, args...)...))
}

// channel is how a claim was made: the enterprise itself or staff for it.
func channel(actor access.Actor) string {
	if actor.Role == access.RoleEnterprise {
		return "enterprise.web"
	}
	return "staff.web"
}

// Apply applies for a benefit for an enterprise, within its window, with
// the listed materials: refused when the enterprise does not qualify, is
// blacklisted, already holds a benefit of its group that does not stack,
// or already has an open claim of the benefit.
func (s *Store) Apply(ctx context.Context, actor access.Actor, benefitID, enterpriseID int64, materials []policy.Material) (policy.Claim, error) {
	r := s.engine.Reader()
	if err := s.mayRead(ctx, r, actor, access.PolicyClaim, enterpriseID); err != nil {
		return policy.Claim{}, err
	}
	b, err := s.benefit(ctx, r, actor, benefitID)
	if err != nil {
		return policy.Claim{}, err
	}
	if b.Mode != policy.Apply {
		return policy.Claim{}, fault.New(fault.Invalid, "policy_no_application", "该政策免申即享，无需申请，请在确认后等待公示", "this benefit needs no application: confirm it")
	}
	if !b.OpenOn(s.today()) {
		return policy.Claim{}, fault.New(fault.Invalid, "policy_window_closed", "不在申报期内（"+b.Opens+" 至 "+b.Closes+"）", "outside the window ("+b.Opens+" to "+b.Closes+")")
	}
	if err := policy.CheckMaterials(b.Materials, materials); err != nil {
		return policy.Claim{}, err
	}
	p, amount, err := s.eligible(ctx, r, b, enterpriseID)
	if err != nil {
		return policy.Claim{}, err
	}
	cal, err := s.engine.Calendar(ctx)
	if err != nil {
		return policy.Claim{}, err
	}
	var c policy.Claim
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		if err := s.notStacked(ctx, tx, b, enterpriseID); err != nil {
			return err
		}
		now := tx.Now()
		due := cal.AddDays(now, b.ReviewDays)
		c = policy.Claim{BenefitID: b.ID, Benefit: b.Title, EnterpriseID: enterpriseID, Enterprise: p.Name, Mode: policy.Apply, State: policy.Submitted,
			Materials: materials, Amount: amount, Due: time.UnixMilli(due.UnixMilli()), Version: 1, DepartmentID: b.DepartmentID,
			CreatedAt: time.UnixMilli(now.UnixMilli()), UpdatedAt: time.UnixMilli(now.UnixMilli())}
		err := store.Scan(tx.DB().Row(ctx, `INSERT INTO policy_claims (benefit_id, enterprise_id, mode, state, materials, amount, due_at,
			channel, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			b.ID, enterpriseID, string(policy.Apply), policy.Submitted, mustJSON(materials), amount, due.UnixMilli(),
			channel(actor), actor.UserID, now.UnixMilli(), now.UnixMilli()), &c.ID)
		if fault.Is(err, fault.Conflict) {
			return fault.New(fault.Conflict, "policy_claim_exists", "该企业已申请此项政策", "the enterprise has applied for this benefit already")
		}
		if err != nil {
			return fmt.Errorf("insert claim: %w", err)
		}
		if err := tx.Notify(ctx, departmentStaff(b.DepartmentID), "policy.review", fmt.Sprintf("/policy/claims/%d", c.ID),
			c.Enterprise+" 申请《"+b.Title+"》"); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "policy.apply", fmt.Sprintf("policy_claim/%d", c.ID), "ok",
			map[string]any{"benefit": b.ID, "enterprise": enterpriseID, "amount": amount, "channel": channel(actor)})
	})
	return c, err
}

// eligible evaluates a benefit for an enterprise about to claim it: its
// profile and the amount when it qualifies or may qualify (the review
// settles a maybe), an error naming what fails otherwise.
func (s *Store) eligible(ctx context.Context, h store.DB, b policy.Benefit, enterpriseID int64) (policy.Profile, int64, error) {
	barred, err := s.barred(ctx, h, []int64{enterpriseID})
	if err != nil {
		return policy.Profile{}, 0, err
	}
	if _, ok := barred[enterpriseID]; ok {
		return policy.Profile{}, 0, errBarred
	}
	c, err := s.compile(b)
	if err != nil {
		return policy.Profile{}, 0, err
	}
	p, err := profileOf(ctx, h, enterpriseID)
	if err != nil {
		return p, 0, err
	}
	outs, v := c.Explain(&p)
	if v == policy.NotMet {
		var zh, en []string
		for _, o := range outs {
			if o.Verdict == policy.NotMet {
				zh, en = append(zh, o.Why.Zh), append(en, o.Why.En)
			}
		}
		return p, 0, fault.New(fault.Invalid, "policy_not_eligible", "不符合条件："+strings.Join(zh, "；"), "does not qualify: "+strings.Join(en, "; "))
	}
	amount, _ := b.Amount.Of(&p)
	return p, amount, nil
}

// errBarred refuses a blacklisted enterprise's claim; the reason is for staff.
var errBarred = fault.New(fault.Invalid, "policy_not_eligible", "该企业目前不能享受政策扶持，请联系服务专员了解原因", "the enterprise cannot receive benefits at present; ask its cadre why")

// notStacked refuses a claim of a benefit whose group does not stack when
// the enterprise holds another of the group. It takes the enterprise's row
// first, so that two claims of one group at once are taken one after the
// other (on PostgreSQL; SQLite has one writer).
func (s *Store) notStacked(ctx context.Context, tx *store.Tx, b policy.Benefit, enterpriseID int64) error {
	if b.StackGroup == "" || b.Stack == policy.Stackable {
		return nil
	}
	if _, err := tx.DB().Exec(ctx, "UPDATE enterprises SET updated_at = updated_at WHERE id = ?", enterpriseID); err != nil {
		return fmt.Errorf("take the enterprise: %w", err)
	}
	h := tx.DB()
	var title string
	err := store.Scan(h.Row(ctx, `SELECT o.title FROM policy_claims c JOIN policy_benefits o ON o.id = c.benefit_id
		WHERE c.enterprise_id = ? AND o.stack_group = ? AND o.id <> ? AND c.state IN (`+openStates+`) LIMIT 1`,
		enterpriseID, b.StackGroup, b.ID), &title)
	if fault.Is(err, fault.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return fault.New(fault.Invalid, "policy_not_stackable", "与已申请或享受的《"+title+"》不可重复享受", "not enjoyed together with "+title+", which the enterprise holds")
}

// Confirm is an enterprise's yes to a 免申即享 benefit, with the bank account
// to pay it to.
func (s *Store) Confirm(ctx context.Context, actor access.Actor, claimID int64, version int, bank, account string) (policy.Claim, error) {
	account = strings.ReplaceAll(account, " ", "")
	if err := policy.CheckAccount(bank, account); err != nil {
		return policy.Claim{}, err
	}
	return s.move(ctx, actor, claimID, version, "confirm", func(tx *store.Tx, c *policy.Claim, b policy.Benefit) (string, []any, error) {
		if !b.OpenOn(s.today()) {
			return "", nil, fault.New(fault.Invalid, "policy_window_closed", "已过确认期限（"+b.Closes+"）", "the window closed on "+b.Closes)
		}
		if barred, err := s.barred(ctx, tx.DB(), []int64{c.EnterpriseID}); err != nil {
			return "", nil, err
		} else if _, ok := barred[c.EnterpriseID]; ok {
			return "", nil, errBarred
		}
		if err := s.notStacked(ctx, tx, b, c.EnterpriseID); err != nil {
			return "", nil, err
		}
		c.Bank, c.Account = strings.TrimSpace(bank), account
		return "bank = ?, account = ?", []any{c.Bank, c.Account}, nil
	})
}

// Step is a step of a claim other than applying and confirming.
type Step struct {
	Action    string
	Note      string            // what more is needed, why refused, the objection, the clawback's reason
	Granted   int64             // approve: the amount granted, yuan (0: the amount worked out)
	Materials []policy.Material // resubmit
	Ref       string            // hand_over, or a platform's decision: its reference
	ClawBack  int64             // claw_back: yuan recovered
}

// Act takes a step of a claim at its version.
func (s *Store) Act(ctx context.Context, actor access.Actor, claimID int64, version int, st Step) (policy.Claim, error) {
	st.Note, st.Ref = strings.TrimSpace(st.Note), strings.TrimSpace(st.Ref)
	if len([]rune(st.Note)) > 500 || len([]rune(st.Ref)) > 60 {
		return policy.Claim{}, fault.Fields{"note": {Zh: "说明不能超过 500 字，平台编号不能超过 60 字", En: "the note is at most 500 characters, the reference 60"}}.Err()
	}
	if st.Action == "confirm" {
		return policy.Claim{}, fault.New(fault.Invalid, "policy_claim_action", "确认须填写开户银行和账号", "confirm with the bank account")
	}
	return s.move(ctx, actor, claimID, version, st.Action, func(tx *store.Tx, c *policy.Claim, b policy.Benefit) (string, []any, error) {
		switch st.Action {
		case "resubmit":
			if err := policy.CheckMaterials(b.Materials, st.Materials); err != nil {
				return "", nil, err
			}
			cal, err := s.engine.Calendar(ctx)
			if err != nil {
				return "", nil, err
			}
			c.Materials, c.Due = st.Materials, cal.AddDays(tx.Now(), b.ReviewDays)
			return "materials = ?, due_at = ?", []any{mustJSON(st.Materials), c.Due.UnixMilli()}, nil
		case "ask_more", "refuse", "object":
			c.Note = st.Note
			if st.Ref != "" {
				c.PlatformRef = st.Ref
			}
			return "note = ?, platform_ref = ?", []any{c.Note, c.PlatformRef}, nil
		case "hand_over":
			if b.Platform == "" {
				return "", nil, fault.New(fault.Invalid, "policy_no_platform", "该政策在企服内审核，不转申报平台", "this benefit is reviewed in qifu")
			}
			c.PlatformRef = st.Ref
			return "platform_ref = ?", []any{c.PlatformRef}, nil
		case "approve":
			g := st.Granted
			if g == 0 {
				g = c.Amount
			}
			if g < 0 || (c.Amount > 0 && g > c.Amount*10) {
				return "", nil, fault.Fields{"granted": {Zh: "核准金额超出合理范围", En: "the amount granted is out of range"}}.Err()
			}
			if err := s.withinBudget(ctx, tx.DB(), b, g); err != nil {
				return "", nil, err
			}
			c.Granted, c.Note = g, st.Note
			if st.Ref != "" {
				c.PlatformRef = st.Ref
			}
			return "granted = ?, note = ?, platform_ref = ?, decided_at = ?", []any{g, c.Note, c.PlatformRef, tx.Now().UnixMilli()}, nil
		case "pay":
			return "paid_at = ?", []any{tx.Now().UnixMilli()}, nil
		case "claw_back":
			if st.ClawBack <= 0 || st.ClawBack > c.Granted {
				return "", nil, fault.Fields{"claw_back": {Zh: "追回金额须大于 0 且不超过核准金额", En: "the amount recovered is above 0 and at most the amount granted"}}.Err()
			}
			c.ClawBack, c.Note = st.ClawBack, st.Note
			return "claw_back = ?, note = ?", []any{st.ClawBack, st.Note}, nil
		}
		return "", nil, nil
	})
}

// withinBudget refuses a grant past the benefit's budget. It takes the
// benefit's row first, so that two grants at once are summed one after
// the other.
func (s *Store) withinBudget(ctx context.Context, h store.DB, b policy.Benefit, more int64) error {
	if b.Budget == 0 {
		return nil
	}
	if _, err := h.Exec(ctx, "UPDATE policy_benefits SET version = version WHERE id = ?", b.ID); err != nil {
		return fmt.Errorf("take the benefit: %w", err)
	}
	var used int64
	if err := store.Scan(h.Row(ctx, "SELECT COALESCE(SUM(granted - claw_back), 0) FROM policy_claims WHERE benefit_id = ? AND state IN ('approved', 'paid', 'clawed_back')",
		b.ID), &used); err != nil {
		return err
	}
	if used+more > b.Budget {
		return fault.New(fault.Invalid, "policy_budget", "超出该政策预算（剩余 "+policy.Wan(b.Budget-used, "zh")+"）",
			"past the benefit's budget ("+policy.Wan(b.Budget-used, "en")+" left)")
	}
	return nil
}

// move takes a row of policy.Transitions for a claim: the actor's party,
// the state, the reason the row needs, then set (the step's own columns),
// at the version, with the audit entry and the notice to the other party.
func (s *Store) move(ctx context.Context, actor access.Actor, claimID int64, version int, action string,
	set func(*store.Tx, *policy.Claim, policy.Benefit) (string, []any, error)) (policy.Claim, error) {
	var c policy.Claim
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = s.claim(ctx, tx.DB(), actor, claimID); err != nil {
			return err
		}
		b, err := scanBenefit(tx.DB().Row(ctx, "SELECT "+benefitColumns+benefitFrom+" WHERE b.id = ?", c.BenefitID))
		if err != nil {
			return err
		}
		t, err := policy.Step(action, c.Mode, c.State)
		if err != nil {
			return err
		}
		switch t.By {
		case policy.ByEnterprise:
			if err := s.mayRead(ctx, tx.DB(), actor, access.PolicyClaim, c.EnterpriseID); err != nil {
				return access.ErrForbidden
			}
		case policy.ByDepartment:
			if !MayReview(actor, b.DepartmentID) {
				return access.ErrForbidden
			}
		}
		if c.Version != version {
			return stale("该申请已有新的进展，请刷新后重试", "the claim moved on meanwhile; reload")
		}
		cols, args, err := set(tx, &c, b)
		if err != nil {
			return err
		}
		if t.Reason && c.Note == "" {
			return fault.Fields{"note": {Zh: "请填写原因或需补充的内容", En: "the reason is required"}}.Err()
		}
		now := tx.Now().UnixMilli()
		q := "UPDATE policy_claims SET state = ?, updated_at = ?, version = version + 1"
		if cols != "" {
			q += ", " + cols
		}
		q += " WHERE id = ? AND version = ? AND state = ?"
		res, err := tx.DB().Exec(ctx, q, append(append([]any{t.To, now}, args...), c.ID, version, c.State)...)
		if err != nil {
			return fmt.Errorf("claim %s: %w", action, err)
		}
		if affected(res) == 0 {
			return stale("该申请已有新的进展，请刷新后重试", "the claim moved on meanwhile; reload")
		}
		from := c.State
		c.State, c.Version, c.UpdatedAt = t.To, version+1, time.UnixMilli(now)
		title := "《" + b.Title + "》" + policy.StateName(t.To).Zh
		if t.By == policy.ByDepartment {
			if err := tx.Notify(ctx, store.EnterpriseUsers(c.EnterpriseID), "policy.claim", fmt.Sprintf("/policy/claims/%d", c.ID), title); err != nil {
				return err
			}
		} else if t.To == policy.Submitted || t.To == policy.Confirmed {
			if err := tx.Notify(ctx, departmentStaff(b.DepartmentID), "policy.review", fmt.Sprintf("/policy/claims/%d", c.ID), c.Enterprise+" "+title); err != nil {
				return err
			}
		}
		return tx.Record(ctx, actor, "policy.claim."+action, fmt.Sprintf("policy_claim/%d", c.ID), "ok",
			map[string]any{"from": from, "to": t.To, "note": c.Note, "granted": c.Granted, "ref": c.PlatformRef})
	})
	if err == nil {
		mask(actor, &c)
	}
	return c, err
}
