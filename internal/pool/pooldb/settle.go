package pooldb

// The monthly settlement sheet of a loan: built from the borrower's
// attendance, confirmed by the borrower (it settles the total to the
// lender) and by the lender (it paid each worker the whole amount, no fee).

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/store"
)

const sheetColumns = "id, match_id, month, lines, total, borrower_confirmed_at, lender_confirmed_at, version"

func scanSheet(sc store.Scanner) (pool.Sheet, error) {
	var sh pool.Sheet
	var lines string
	var b, l int64
	err := sc.Scan(&sh.ID, &sh.MatchID, &sh.Month, &lines, &sh.Total, &b, &l, &sh.Version)
	_ = json.Unmarshal([]byte(lines), &sh.Lines)
	sh.BorrowerConfirmed, sh.LenderConfirmed = store.Millis(b), store.Millis(l)
	return sh, store.ScanErr(err)
}

// Sheets lists a loan's settlement sheets, the newest month first.
func (s *Store) Sheets(ctx context.Context, actor access.Actor, id int64) ([]pool.Sheet, error) {
	if _, err := s.Loan(ctx, actor, id); err != nil {
		return nil, err
	}
	return store.Collect(ctx, s.engine.Reader(), scanSheet, "SELECT "+sheetColumns+" FROM pool_sheets WHERE match_id = ? ORDER BY month DESC", id)
}

// MakeSheet builds (or, while neither has confirmed it, builds again) a
// loan's sheet of a month from the attendance recorded: each worker's days
// × the agreed daily cost. The borrower's, or staff for it.
func (s *Store) MakeSheet(ctx context.Context, actor access.Actor, id int64, month string) (pool.Sheet, error) {
	m, err := s.asParty(ctx, actor, id, "borrower")
	if err != nil {
		return pool.Sheet{}, err
	}
	if !pool.ValidMonth(month) || month > s.today()[:7] {
		return pool.Sheet{}, fault.Fields{"month": {Zh: "请选择不晚于本月的月份（年-月）", En: "choose a month up to this one (YYYY-MM)"}}.Err()
	}
	var sh pool.Sheet
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		type row struct {
			id   int64
			name string
			days int
		}
		rows, err := store.Collect(ctx, h, func(sc store.Scanner) (row, error) {
			var r row
			return r, sc.Scan(&r.id, &r.name, &r.days)
		}, `SELECT p.id, w.name, COUNT(a.day) FROM pool_placements p JOIN pool_workers w ON w.id = p.worker_id
			JOIN pool_attendance a ON a.placement_id = p.id AND a.day LIKE ?
			WHERE p.match_id = ? GROUP BY p.id, w.name ORDER BY p.id`, month+"-%", id)
		if err != nil {
			return fmt.Errorf("attendance of the month: %w", err)
		}
		if len(rows) == 0 {
			return fault.New(fault.Invalid, "pool_no_attendance", month+" 没有考勤记录，无法结算", "no attendance recorded in "+month)
		}
		days, names, order := map[int64]int{}, map[int64]string{}, []int64{}
		for _, r := range rows {
			days[r.id], names[r.id] = r.days, r.name
			order = append(order, r.id)
		}
		lines := pool.Build(m.Need.DailyCost, days, names, order)
		now := tx.Now().UnixMilli()
		old, err := scanSheet(h.Row(ctx, "SELECT "+sheetColumns+" FROM pool_sheets WHERE match_id = ? AND month = ?", id, month))
		switch {
		case err == nil && (!old.BorrowerConfirmed.IsZero() || !old.LenderConfirmed.IsZero()):
			return stale("该月结算单已确认，不能重新生成", "the month's sheet is confirmed: it cannot be built again")
		case err == nil:
			res, err := h.Exec(ctx, `UPDATE pool_sheets SET lines = ?, total = ?, version = version + 1
				WHERE id = ? AND version = ? AND borrower_confirmed_at = 0 AND lender_confirmed_at = 0`, mustJSON(lines), pool.Total(lines), old.ID, old.Version)
			if err != nil {
				return fmt.Errorf("rebuild sheet: %w", err)
			}
			if affected(res) != 1 {
				return stale("该月结算单已确认，不能重新生成", "the month's sheet is confirmed: it cannot be built again")
			}
		case fault.Is(err, fault.NotFound):
			if _, err := h.Exec(ctx, `INSERT INTO pool_sheets (match_id, month, lines, total, created_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (match_id, month) DO NOTHING`, id, month, mustJSON(lines), pool.Total(lines), now); err != nil {
				return fmt.Errorf("insert sheet: %w", err)
			}
		default:
			return err
		}
		if sh, err = scanSheet(h.Row(ctx, "SELECT "+sheetColumns+" FROM pool_sheets WHERE match_id = ? AND month = ?", id, month)); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "pool.sheet", fmt.Sprintf("pool_loan/%d", id), "ok", map[string]any{"month": month, "total": sh.Total})
	})
	return sh, err
}

// Payment is the lender's statement of what one worker was paid.
type Payment struct {
	PlacementID int64 `json:"placement_id"`
	Paid        int   `json:"paid"`
	Fee         int   `json:"fee"`
}

// ConfirmSheet is one party's confirmation of a month's sheet: the
// borrower that it settles the total to the lender; the lender, stating
// what each worker was paid, that it paid every worker the whole amount
// and kept no fee (refused otherwise). Once per party; stale → conflict.
func (s *Store) ConfirmSheet(ctx context.Context, actor access.Actor, id int64, month, partyName string, paid []Payment, version int) (pool.Sheet, error) {
	if partyName != "lender" && partyName != "borrower" {
		return pool.Sheet{}, fault.Fields{"party": {Zh: "请选择出借方或借入方", En: "lender or borrower"}}.Err()
	}
	if _, err := s.asParty(ctx, actor, id, partyName); err != nil {
		return pool.Sheet{}, err
	}
	var sh pool.Sheet
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		var err error
		if sh, err = scanSheet(h.Row(ctx, "SELECT "+sheetColumns+" FROM pool_sheets WHERE match_id = ? AND month = ?", id, month)); err != nil {
			return err
		}
		if sh.Version != version {
			return fault.ErrConflict
		}
		now := tx.Now().UnixMilli()
		col := "borrower_confirmed_at"
		if partyName == "lender" {
			col = "lender_confirmed_at"
			by := map[int64]Payment{}
			for _, p := range paid {
				by[p.PlacementID] = p
			}
			for i := range sh.Lines {
				p, ok := by[sh.Lines[i].PlacementID]
				if !ok {
					return fault.Fields{"paid": {Zh: "请填写每名员工的实发工资", En: "state what each worker was paid"}}.Err()
				}
				sh.Lines[i].Paid, sh.Lines[i].Fee = p.Paid, p.Fee
			}
			if err := pool.CheckPaid(sh.Lines); err != nil {
				return err
			}
		}
		res, err := h.Exec(ctx, "UPDATE pool_sheets SET "+col+" = ?, lines = ?, version = version + 1 WHERE id = ? AND version = ? AND "+col+" = 0",
			now, mustJSON(sh.Lines), sh.ID, version)
		if err != nil {
			return fmt.Errorf("confirm sheet: %w", err)
		}
		if affected(res) != 1 {
			return stale("已经确认过了", "already confirmed")
		}
		if partyName == "lender" {
			sh.LenderConfirmed = time.UnixMilli(now)
		} else {
			sh.BorrowerConfirmed = time.UnixMilli(now)
		}
		sh.Version++
		word := map[string]string{"lender": "出借方已确认足额发放工资", "borrower": "借入方已确认结算"}[partyName]
		if err := s.tellParties(ctx, tx, id, fmt.Sprintf("%s 结算单（%d 元）：%s", month, sh.Total, word)); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "pool.sheet.confirm", fmt.Sprintf("pool_loan/%d", id), "ok", map[string]any{"month": month, "party": partyName})
	})
	return sh, err
}
