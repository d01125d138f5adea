package pooldb

// The pool's escalations: a need no lender was proposed for within its
// hours, and a loan whose step passed its limit, are told once each to the
// staff who run the pool where the enterprises are (and, for a step an
// enterprise must take, to that enterprise). Every instance runs the job:
// each alert is claimed in the store first, so it is sent exactly once.

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/pool"
	"qifu/internal/store"
)

// RunAlerts raises the alerts that have come due, at most limit of each
// kind, and returns how many it raised.
func (s *Store) RunAlerts(ctx context.Context, limit int) (int, error) {
	now := s.engine.Now()
	r := s.engine.Reader()
	system := access.System("pool")
	raised := 0
	// Needs without a proposal past the proposal's limit.
	type needRow struct {
		id       int64
		borrower int64
		posted   int64
	}
	needs, err := store.Collect(ctx, r, func(sc store.Scanner) (needRow, error) {
		var n needRow
		return n, sc.Scan(&n.id, &n.borrower, &n.posted)
	}, `SELECT id, enterprise_id, posted_at FROM pool_needs WHERE status = 'open' AND alerted = FALSE AND taken < heads
		AND posted_at <= ? AND to_day >= ? ORDER BY posted_at LIMIT ?`, now.Add(-pool.StepOf("propose").Within).UnixMilli(), s.today(), limit)
	if err != nil {
		return 0, fmt.Errorf("needs to alert: %w", err)
	}
	for _, n := range needs {
		e, err := scanParty(r.Row(ctx, "SELECT "+partyColumns+" FROM enterprises e WHERE e.id = ?", n.borrower))
		if err != nil {
			return raised, err
		}
		ok, err := s.claim(ctx, "UPDATE pool_needs SET alerted = TRUE WHERE id = ? AND alerted = FALSE", []any{n.id}, func(tx *store.Tx) error {
			if err := tx.Notify(ctx, communityStaff(e), "pool.overdue", fmt.Sprintf("/pool/needs/%d", n.id),
				fmt.Sprintf("%s 的用工需求已超过 %d 小时未匹配出借企业", e.Name, int(pool.StepOf("propose").Within.Hours()))); err != nil {
				return err
			}
			return tx.Record(ctx, system, "pool.alert", fmt.Sprintf("pool_need/%d", n.id), "ok", map[string]any{"step": "propose"})
		})
		if err != nil {
			return raised, err
		}
		if ok {
			raised++
		}
	}
	// Loans whose step is past its limit, told once per step.
	loans, err := store.Collect(ctx, r, scanLoan, "SELECT "+loanColumns+loanFrom+` WHERE m.state IN ('proposed', 'chosen', 'active')
		ORDER BY m.id LIMIT ?`, 10*limit)
	if err != nil {
		return raised, fmt.Errorf("loans to alert: %w", err)
	}
	if err := s.fill(ctx, r, system, loans); err != nil {
		return raised, err
	}
	for _, m := range loans {
		id := m.ID
		if m.Step == "" || now.Before(m.StepDue) {
			continue
		}
		var alerted string
		if err := store.Scan(r.Row(ctx, "SELECT alerted FROM pool_matches WHERE id = ?", id), &alerted); err != nil {
			return raised, err
		}
		if alerted == m.Step {
			continue
		}
		lender, err := scanParty(r.Row(ctx, "SELECT "+partyColumns+" FROM enterprises e WHERE e.id = ?", m.LenderID))
		if err != nil {
			return raised, err
		}
		step := pool.StepOf(m.Step)
		ok, err := s.claim(ctx, "UPDATE pool_matches SET alerted = ? WHERE id = ? AND alerted <> ?", []any{m.Step, id, m.Step}, func(tx *store.Tx) error {
			title := fmt.Sprintf("%s → %s：“%s”已超过 %d 小时", m.Lender, m.Borrower, step.Zh, int(step.Within.Hours()))
			if err := tx.Notify(ctx, communityStaff(lender), "pool.overdue", fmt.Sprintf("/pool/loans/%d", id), title); err != nil {
				return err
			}
			for _, who := range []struct {
				party string
				id    int64
			}{{"lender", m.LenderID}, {"borrower", m.BorrowerID}} {
				if step.Who == who.party || step.Who == "both" {
					if err := tx.Notify(ctx, store.EnterpriseUsers(who.id), "pool.overdue", fmt.Sprintf("/pool/loans/%d", id), title); err != nil {
						return err
					}
				}
			}
			return tx.Record(ctx, system, "pool.alert", fmt.Sprintf("pool_loan/%d", id), "ok", map[string]any{"step": m.Step})
		})
		if err != nil {
			return raised, err
		}
		if ok {
			raised++
		}
	}
	return raised, nil
}

// claim runs the claiming statement and, when it claimed the row, then
// within the same transaction; it reports whether this caller claimed it.
func (s *Store) claim(ctx context.Context, q string, args []any, then func(tx *store.Tx) error) (bool, error) {
	claimed := false
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		res, err := tx.DB().Exec(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("claim alert: %w", err)
		}
		if affected(res) != 1 {
			return nil
		}
		claimed = true
		return then(tx)
	})
	return claimed, err
}

// AlertEvery is how often the alerts job runs.
const AlertEvery = time.Minute
