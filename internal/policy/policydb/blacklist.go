package policydb

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/store"
)

// The credit blacklist (失信名单) a department imports bars an enterprise
// from every benefit while in force. Staff see the reason; the enterprise
// sees that it does not qualify at present and whom to ask.

// BlacklistRow is one row of an imported blacklist, with its line.
type BlacklistRow struct {
	Line       int
	CreditCode string
	Reason     string
	From       string
	Until      string
}

// MaxBlacklist bounds one import.
const MaxBlacklist = 20_000

// ImportBlacklist records a department's blacklist: every row checked and
// every enterprise known, or nothing recorded and the problem of each row.
func (s *Store) ImportBlacklist(ctx context.Context, actor access.Actor, ref string, rows []BlacklistRow) (map[int]fault.Msg, error) {
	if !access.May(actor.Role, access.PolicyManage) {
		return nil, access.ErrForbidden
	}
	if len(rows) == 0 {
		return nil, fault.New(fault.Invalid, "empty_import", "名单中没有数据行", "the list has no rows")
	}
	if len([]rune(ref)) > 60 {
		return nil, fault.Fields{"ref": {Zh: "文号不能超过 60 字", En: "the reference is at most 60 characters"}}.Err()
	}
	if len(rows) > MaxBlacklist {
		return nil, fault.New(fault.Invalid, "too_many_rows", fmt.Sprintf("一次最多导入 %d 行", MaxBlacklist), fmt.Sprintf("at most %d rows at once", MaxBlacklist))
	}
	// the rows as recorded: trimmed, the credit codes in capitals
	clean := make([]BlacklistRow, len(rows))
	for i, r := range rows {
		clean[i] = BlacklistRow{Line: r.Line, CreditCode: strings.ToUpper(strings.TrimSpace(r.CreditCode)), Reason: strings.TrimSpace(r.Reason),
			From: strings.TrimSpace(r.From), Until: strings.TrimSpace(r.Until)}
	}
	problems := map[int]fault.Msg{}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		ids := map[string]int64{}
		for _, r := range clean {
			b := policy.Barring{CreditCode: r.CreditCode, Reason: r.Reason, From: r.From, Until: r.Until}
			if err := b.Check(); err != nil {
				fields := fault.As(err).Fields
				keys := slices.Sorted(maps.Keys(fields)) // the same message for the same row, every time
				problems[r.Line] = fields[keys[0]]
				continue
			}
			if _, ok := ids[r.CreditCode]; ok {
				continue
			}
			var id int64
			err := store.Scan(tx.DB().Row(ctx, "SELECT id FROM enterprises WHERE credit_code = ?", r.CreditCode), &id)
			if fault.Is(err, fault.NotFound) {
				problems[r.Line] = fault.Msg{Zh: "没有这个信用代码的企业", En: "no enterprise of this credit code"}
				continue
			}
			if err != nil {
				return err
			}
			ids[r.CreditCode] = id
		}
		if len(problems) > 0 {
			return nil
		}
		now := tx.Now().UnixMilli()
		for _, r := range clean {
			if _, err := tx.DB().Exec(ctx, `INSERT INTO policy_blacklist (enterprise_id, reason, department_id, from_day, until_day, ref, created_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, ids[r.CreditCode], r.Reason, actor.DepartmentID, r.From, r.Until, ref, actor.UserID, now); err != nil {
				return fmt.Errorf("insert barring: %w", err)
			}
		}
		return tx.Record(ctx, actor, "policy.blacklist", "policy_blacklist", "ok", map[string]any{"rows": len(rows), "ref": ref})
	})
	if err != nil {
		return nil, err
	}
	return problems, nil
}

// barred maps the enterprises barred today to the reason (all, or those
// of ids).
func (s *Store) barred(ctx context.Context, h store.DB, ids []int64) (map[int64]string, error) {
	day := s.today()
	q := "SELECT enterprise_id, reason FROM policy_blacklist WHERE from_day <= ? AND (until_day = '' OR until_day >= ?)"
	args := []any{day, day}
	if ids != nil {
		if len(ids) == 0 {
			return map[int64]string{}, nil
		}
		q += " AND enterprise_id IN (" + store.Placeholders(len(ids)) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := h.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("blacklist: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var reason string
		if err := rows.Scan(&id, &reason); err != nil {
			return nil, err
		}
		out[id] = reason
	}
	return out, rows.Err()
}
