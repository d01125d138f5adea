package policydb

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/store"
)

// 免申即享 in three steps: the data found the enterprises (matched claims),
// each confirmed it wants the benefit and gave its account, and the list
// of the confirmed is publicly noticed (公示) for the benefit's notice
// period; after it, the department approves the list as it stands (those
// objected to were taken off with a reason) and exports it for the payment
// system, then records the payment.

// Notice is a public notice of a 免申即享 list.
type Notice struct {
	ID         int64     `json:"id"`
	BenefitID  int64     `json:"benefit_id"`
	Benefit    string    `json:"benefit"`
	Opens      string    `json:"opens"`
	Closes     string    `json:"closes"`
	Entries    int       `json:"entries"`
	Amount     int64     `json:"amount"`
	ApprovedAt time.Time `json:"approved_at"`
	// Rows are the enterprises on the notice and their amounts: public.
	Rows []NoticeRow `json:"rows"`
}

// NoticeRow is one enterprise on a notice.
type NoticeRow struct {
	Enterprise string `json:"enterprise"`
	CreditCode string `json:"credit_code"`
	Amount     int64  `json:"amount"`
	State      string `json:"state"`
}

// Ended reports whether the notice period is over on day.
func (n Notice) Ended(day string) bool { return day > n.Closes }

// CreateNotice puts every confirmed claim of a 免申即享 benefit on a public
// notice from today for its notice period.
func (s *Store) CreateNotice(ctx context.Context, actor access.Actor, benefitID int64) (Notice, error) {
	var n Notice
	b, err := s.benefit(ctx, s.engine.Reader(), actor, benefitID)
	if err != nil {
		return n, err
	}
	if !MayReview(actor, b.DepartmentID) {
		return n, access.ErrForbidden
	}
	if b.Mode != policy.Auto {
		return n, fault.New(fault.Invalid, "policy_no_notice", "只有免申即享的政策需要公示名单", "only a benefit without application is noticed")
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now()
		day := now.In(calendar.Shanghai)
		n = Notice{BenefitID: b.ID, Benefit: b.Title, Opens: day.Format(time.DateOnly), Closes: day.AddDate(0, 0, b.NoticeDays-1).Format(time.DateOnly)}
		today := s.today()
		// a blacklisted enterprise's confirmation stays off the notice
		notBarred := ` AND enterprise_id NOT IN (SELECT enterprise_id FROM policy_blacklist WHERE from_day <= ? AND (until_day = '' OR until_day >= ?))`
		if err := store.Scan(tx.DB().Row(ctx, "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM policy_claims WHERE benefit_id = ? AND state = 'confirmed'"+notBarred,
			b.ID, today, today), &n.Entries, &n.Amount); err != nil {
			return err
		}
		if n.Entries == 0 {
			return fault.New(fault.Invalid, "policy_notice_empty", "没有已确认的企业可以公示", "no confirmed enterprise to notice")
		}
		if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO policy_notices (benefit_id, opens, closes, entries, amount, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, b.ID, n.Opens, n.Closes, n.Entries, n.Amount, actor.UserID, now.UnixMilli()), &n.ID); err != nil {
			return fmt.Errorf("insert notice: %w", err)
		}
		res, err := tx.DB().Exec(ctx, "UPDATE policy_claims SET state = 'noticed', notice_id = ?, updated_at = ?, version = version + 1 WHERE benefit_id = ? AND state = 'confirmed'"+notBarred,
			n.ID, now.UnixMilli(), b.ID, today, today)
		if err != nil {
			return fmt.Errorf("notice claims: %w", err)
		}
		if int(affected(res)) != n.Entries {
			return stale("名单在公示时有变化，请重试", "the list changed while noticing it; try again")
		}
		if err := tx.Notify(ctx, store.Recipients{Query: `SELECT u.id FROM users u JOIN policy_claims c ON c.enterprise_id = u.enterprise_id
			WHERE c.notice_id = ? AND u.disabled = FALSE`, Args: []any{n.ID}}, "policy.notice", fmt.Sprintf("/policy/notices/%d", n.ID),
			"《"+b.Title+"》名单公示至 "+n.Closes); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "policy.notice", fmt.Sprintf("policy_benefit/%d", b.ID), "ok",
			map[string]any{"notice": n.ID, "entries": n.Entries, "amount": n.Amount, "closes": n.Closes})
	})
	return n, err
}

// Notice returns a public notice with its list: enterprises' names and
// amounts are what a public notice shows, to everyone signed in.
func (s *Store) Notice(ctx context.Context, id int64) (Notice, error) {
	r := s.engine.Reader()
	var n Notice
	var approved int64
	if err := store.Scan(r.Row(ctx, `SELECT n.id, n.benefit_id, b.title, n.opens, n.closes, n.entries, n.amount, n.approved_at
		FROM policy_notices n JOIN policy_benefits b ON b.id = n.benefit_id WHERE n.id = ?`, id),
		&n.ID, &n.BenefitID, &n.Benefit, &n.Opens, &n.Closes, &n.Entries, &n.Amount, &approved); err != nil {
		return n, err
	}
	n.ApprovedAt = store.Millis(approved)
	rows, err := store.Collect(ctx, r, func(sc store.Scanner) (NoticeRow, error) {
		var row NoticeRow
		return row, sc.Scan(&row.Enterprise, &row.CreditCode, &row.Amount, &row.State)
	}, `SELECT e.name, e.credit_code, c.amount, c.state FROM policy_claims c JOIN enterprises e ON e.id = c.enterprise_id
		WHERE c.notice_id = ? ORDER BY e.name, c.id`, id)
	n.Rows = rows
	return n, err
}

// Notices lists a benefit's notices.
func (s *Store) Notices(ctx context.Context, benefitID int64) ([]Notice, error) {
	return store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (Notice, error) {
		var n Notice
		var approved int64
		err := sc.Scan(&n.ID, &n.BenefitID, &n.Opens, &n.Closes, &n.Entries, &n.Amount, &approved)
		n.ApprovedAt = store.Millis(approved)
		return n, err
	}, "SELECT id, benefit_id, opens, closes, entries, amount, approved_at FROM policy_notices WHERE benefit_id = ? ORDER BY id DESC", benefitID)
}

// ApproveNotice approves a notice's list once its period is over: every
// claim still on it is approved at its amount, within the budget.
func (s *Store) ApproveNotice(ctx context.Context, actor access.Actor, id int64) (Notice, error) {
	n, err := s.Notice(ctx, id)
	if err != nil {
		return n, err
	}
	b, err := s.benefit(ctx, s.engine.Reader(), actor, n.BenefitID)
	if err != nil {
		return n, err
	}
	if !MayReview(actor, b.DepartmentID) {
		return n, access.ErrForbidden
	}
	if !n.Ended(s.today()) {
		return n, fault.New(fault.Invalid, "policy_notice_open", "公示期至 "+n.Closes+"，期满后方可核准", "the notice runs until "+n.Closes)
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var total int64
		if err := store.Scan(tx.DB().Row(ctx, "SELECT COALESCE(SUM(amount), 0) FROM policy_claims WHERE notice_id = ? AND state = 'noticed'", id), &total); err != nil {
			return err
		}
		if err := s.withinBudget(ctx, tx.DB(), b, total); err != nil {
			return err
		}
		now := tx.Now().UnixMilli()
		res, err := tx.DB().Exec(ctx, "UPDATE policy_notices SET approved_by = ?, approved_at = ? WHERE id = ? AND approved_at = 0", actor.UserID, now, id)
		if err != nil {
			return err
		}
		if affected(res) == 0 {
			return stale("该名单已核准", "the list was approved already")
		}
		if _, err := tx.DB().Exec(ctx, `UPDATE policy_claims SET state = 'approved', granted = amount, decided_at = ?, updated_at = ?, version = version + 1
			WHERE notice_id = ? AND state = 'noticed'`, now, now, id); err != nil {
			return fmt.Errorf("approve notice: %w", err)
		}
		if err := tx.Notify(ctx, store.Recipients{Query: `SELECT u.id FROM users u JOIN policy_claims c ON c.enterprise_id = u.enterprise_id
			WHERE c.notice_id = ? AND c.state = 'approved' AND u.disabled = FALSE`, Args: []any{id}}, "policy.claim", fmt.Sprintf("/policy/notices/%d", id),
			"《"+b.Title+"》已核准，待拨付"); err != nil {
			return err
		}
		n.ApprovedAt = time.UnixMilli(now)
		return tx.Record(ctx, actor, "policy.notice.approve", fmt.Sprintf("policy_notice/%d", id), "ok", map[string]any{"amount": total})
	})
	if err != nil {
		return n, err
	}
	return s.Notice(ctx, id)
}

// PayRow is a claim as the payment system or the official platform reads it.
type PayRow struct {
	ClaimID    int64  `json:"claim_id"`
	Enterprise string `json:"enterprise"`
	CreditCode string `json:"credit_code"`
	Bank       string `json:"bank"`
	Account    string `json:"account"`
	Amount     int64  `json:"amount"`
	State      string `json:"state"`
	Ref        string `json:"ref"`
}

// PayList lists a benefit's claims of a state with what the payment system
// needs (the full account): the granting department's, audited.
func (s *Store) PayList(ctx context.Context, actor access.Actor, benefitID int64, state string) ([]PayRow, error) {
	b, err := s.benefit(ctx, s.engine.Reader(), actor, benefitID)
	if err != nil {
		return nil, err
	}
	if !MayReview(actor, b.DepartmentID) {
		return nil, fault.ErrNotFound
	}
	rows, err := store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (PayRow, error) {
		var p PayRow
		return p, sc.Scan(&p.ClaimID, &p.Enterprise, &p.CreditCode, &p.Bank, &p.Account, &p.Amount, &p.State, &p.Ref)
	}, `SELECT c.id, e.name, e.credit_code, c.bank, c.account, CASE WHEN c.granted > 0 THEN c.granted ELSE c.amount END, c.state, c.platform_ref
		FROM policy_claims c JOIN enterprises e ON e.id = c.enterprise_id WHERE c.benefit_id = ? AND c.state = ? ORDER BY c.id`, benefitID, state)
	if err != nil {
		return nil, err
	}
	return rows, s.engine.Record(ctx, actor, "policy.export", fmt.Sprintf("policy_benefit/%d", benefitID), "ok", map[string]any{"state": state, "rows": len(rows)})
}

// PayAll records the payment of every approved claim of a benefit (the
// payment system's run), returning how many.
func (s *Store) PayAll(ctx context.Context, actor access.Actor, benefitID int64) (int, error) {
	b, err := s.benefit(ctx, s.engine.Reader(), actor, benefitID)
	if err != nil {
		return 0, err
	}
	if !MayReview(actor, b.DepartmentID) {
		return 0, access.ErrForbidden
	}
	var n int
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now().UnixMilli()
		res, err := tx.DB().Exec(ctx, "UPDATE policy_claims SET state = 'paid', paid_at = ?, updated_at = ?, version = version + 1 WHERE benefit_id = ? AND state = 'approved'",
			now, now, benefitID)
		if err != nil {
			return fmt.Errorf("pay: %w", err)
		}
		n = int(affected(res))
		return tx.Record(ctx, actor, "policy.pay", fmt.Sprintf("policy_benefit/%d", benefitID), "ok", map[string]any{"claims": n})
	})
	return n, err
}
