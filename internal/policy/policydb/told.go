package policydb

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/policy"
	"qifu/internal/store"
)

// MayManage reports whether the actor keeps a benefit (its policy's department).
func (s *Store) MayManage(ctx context.Context, actor access.Actor, b policy.Benefit) bool {
	return mayManageBenefit(actor, b)
}

// Told is an enterprise told of a benefit, with its claim.
type Told struct {
	EnterpriseID int64     `json:"enterprise_id"`
	Enterprise   string    `json:"enterprise"`
	Grid         string    `json:"grid"`
	Verdict      string    `json:"verdict"`
	Amount       int64     `json:"amount"`
	ToldAt       time.Time `json:"told_at"`
	Read         bool      `json:"read"`
	ClaimID      int64     `json:"claim_id"`
	ClaimState   string    `json:"claim_state"`
}

// ToldOf lists the enterprises of the actor's reach told of a benefit,
// those that qualify and have not claimed first: the grid worker's list.
func (s *Store) ToldOf(ctx context.Context, actor access.Actor, benefitID int64, page store.Page) ([]Told, int, error) {
	if !access.May(actor.Role, access.PolicyRead) {
		return nil, 0, access.ErrForbidden
	}
	if _, err := s.benefit(ctx, s.engine.Reader(), actor, benefitID); err != nil {
		return nil, 0, err
	}
	cond, args := store.EnterpriseScope(actor, access.PolicyRead)
	if access.FilterFor(actor, access.PolicyRead).Reach == access.Dispatched {
		cond, args = "b.department_id = ?", []any{actor.DepartmentID}
	}
	where := "p.benefit_id = ? AND " + cond
	args = append([]any{benefitID}, args...)
	from := ` FROM policy_pushes p JOIN enterprises e ON e.id = p.enterprise_id JOIN policy_benefits b ON b.id = p.benefit_id
		LEFT JOIN policy_claims c ON c.benefit_id = p.benefit_id AND c.enterprise_id = p.enterprise_id AND c.state IN (` + openStates + `)`
	r := s.engine.Reader()
	var total int
	if err := store.Scan(r.Row(ctx, "SELECT COUNT(*)"+from+" WHERE "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count told: %w", err)
	}
	limit, offset := page.Bounds()
	out, err := store.Collect(ctx, r, func(sc store.Scanner) (Told, error) {
		var t Told
		var told, read int64
		err := sc.Scan(&t.EnterpriseID, &t.Enterprise, &t.Grid, &t.Verdict, &t.Amount, &told, &read, &t.ClaimID, &t.ClaimState)
		t.ToldAt, t.Read = store.Millis(told), read != 0
		return t, err
	}, `SELECT e.id, e.name, p.grid_code, p.verdict, p.amount, p.told_at, p.read_at, COALESCE(c.id, 0), COALESCE(c.state, '')`+from+
		" WHERE "+where+` ORDER BY CASE WHEN c.id IS NULL OR c.state = 'matched' THEN 0 ELSE 1 END, CASE p.verdict WHEN 'met' THEN 0 ELSE 1 END, e.name, e.id
		LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	return out, total, wrap(err, "list told")
}

// Ask is an enterprise's "ask my cadre" about a benefit from its
// check-up: its assigned cadres and its grid worker get the question in
// their inbox. It returns how many were asked.
func (s *Store) Ask(ctx context.Context, actor access.Actor, enterpriseID, benefitID int64) (int, error) {
	if err := s.mayRead(ctx, s.engine.Reader(), actor, access.PolicyClaim, enterpriseID); err != nil {
		return 0, err
	}
	b, err := s.benefit(ctx, s.engine.Reader(), actor, benefitID)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var name, grid string
		if err := store.Scan(tx.DB().Row(ctx, "SELECT name, grid_code FROM enterprises WHERE id = ?", enterpriseID), &name, &grid); err != nil {
			return err
		}
		to := store.Recipients{Query: `SELECT user_id AS id FROM assignments WHERE enterprise_id = ?
			UNION SELECT id FROM users WHERE role = ? AND region_code = ? AND disabled = FALSE`,
			Args: []any{enterpriseID, string(access.RoleGridWorker), grid}}
		if err := store.Scan(tx.DB().Row(ctx, "SELECT COUNT(*) FROM ("+to.Query+") r", to.Args...), &n); err != nil {
			return err
		}
		if err := tx.Notify(ctx, to, "policy.ask", fmt.Sprintf("/policy/checkup?enterprise=%d", enterpriseID),
			name+" 询问能否享受《"+b.Title+"》"); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "policy.ask", fmt.Sprintf("enterprise/%d", enterpriseID), "ok", map[string]any{"benefit": benefitID, "asked": n})
	})
	return n, err
}
