package resumptiondb

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/resumption"
	"qifu/internal/store"
)

// The power company's file gives each enterprise's electricity use by
// month. A report that disagrees with it — resumed but using under the
// campaign's low threshold of the same month last year, or not resumed
// but using at least its high threshold — is flagged for a grid worker.

// PowerRow is one row of the power company's file.
type PowerRow struct {
	CreditCode string
	Month      string // "2026-11"
	KWh        int64
}

// RowError is a refused row of an import, numbered from 1.
type RowError struct {
	Row     int
	Message fault.Msg
}

// PowerResult is what an import did, or why it did nothing.
type PowerResult struct {
	Rows    int
	Errors  []RowError
	Flagged int
}

// MaxPowerRows bounds a file.
const MaxPowerRows = 200000

// ImportPower keeps the rows of a power company's file, all or none: a
// file with any refused row writes nothing and lists every refusal. Rows
// of enterprises out of the actor's reach are refused. The running
// monitoring campaigns of the enterprises are then cross-checked for the
// months imported, in the same transaction.
func (s *Store) ImportPower(ctx context.Context, actor access.Actor, rows []PowerRow) (PowerResult, error) {
	res := PowerResult{Rows: len(rows)}
	if !access.May(actor.Role, access.ResumeDecide) {
		return res, access.ErrForbidden
	}
	if len(rows) == 0 || len(rows) > MaxPowerRows {
		return res, fault.Fields{"rows": {Zh: fmt.Sprintf("文件应有 1 到 %d 行", MaxPowerRows), En: fmt.Sprintf("a file has 1 to %d rows", MaxPowerRows)}}.Err()
	}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		cond, args := store.EnterpriseScope(actor, access.ResumeDecide)
		ids := map[string]int64{}
		seen := map[string]int{}
		months := map[string]bool{}
		type kept struct {
			id    int64
			month string
			kwh   int64
		}
		var keep []kept
		for i, r := range rows {
			n := i + 1
			bad := func(zh, en string) {
				res.Errors = append(res.Errors, RowError{Row: n, Message: fault.Msg{Zh: zh, En: en}})
			}
			code := enterprise.NormalizeCreditCode(r.CreditCode)
			if enterprise.CheckCreditCode(code) != nil {
				bad("统一社会信用代码不正确", "the credit code is not valid")
				continue
			}
			if _, err := time.Parse("2006-01", r.Month); err != nil || len(r.Month) != 7 {
				bad("月份应为 2026-11 的格式", "give the month as 2026-11")
				continue
			}
			if r.KWh < 0 || r.KWh > 1e12 {
				bad("用电量应为 0 或正整数（千瓦时）", "the use is 0 or more kWh")
				continue
			}
			if first, dup := seen[code+r.Month]; dup {
				bad(fmt.Sprintf("与第 %d 行重复", first), fmt.Sprintf("repeats row %d", first))
				continue
			}
			seen[code+r.Month] = n
			id, ok := ids[code]
			if !ok {
				err := store.Scan(h.Row(ctx, "SELECT e.id FROM enterprises e WHERE e.credit_code = ? AND "+cond, append([]any{code}, args...)...), &id)
				if fault.Is(err, fault.NotFound) {
					bad("辖区内没有该企业", "no such enterprise in your reach")
					continue
				}
				if err != nil {
					return fmt.Errorf("power row: %w", err)
				}
				ids[code] = id
			}
			months[r.Month] = true
			keep = append(keep, kept{id, r.Month, r.KWh})
		}
		if len(res.Errors) > 0 {
			return nil
		}
		now := tx.Now().UnixMilli()
		for _, k := range keep {
			if _, err := h.Exec(ctx, `INSERT INTO resumption_power (enterprise_id, month, kwh, imported_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (enterprise_id, month) DO UPDATE SET kwh = excluded.kwh, imported_at = excluded.imported_at`,
				k.id, k.month, k.kwh, now); err != nil {
				return fmt.Errorf("keep power: %w", err)
			}
		}
		campaigns, err := store.Collect(ctx, h, store.Int64, `SELECT c.id FROM campaigns c JOIN resumption_campaigns r ON r.campaign_id = c.id
			WHERE c.state = 'running' AND r.kind = 'monitoring'`)
		if err != nil {
			return fmt.Errorf("campaigns to cross-check: %w", err)
		}
		for _, id := range campaigns {
			for m := range months {
				n, err := s.crossCheck(ctx, tx, actor, id, m)
				if err != nil {
					return err
				}
				res.Flagged += n
			}
		}
		return tx.Record(ctx, actor, "resumption.power_import", "power", "ok", map[string]any{"rows": len(rows), "flagged": res.Flagged})
	})
	if err != nil {
		return PowerResult{Rows: len(rows)}, err
	}
	return res, nil
}

// lastYear is the same month a year before ("2025-11" of "2026-11").
func lastYear(month string) string {
	y, _ := strconv.Atoi(month[:4])
	return fmt.Sprintf("%04d%s", y-1, month[4:])
}

// monthEnd is the last period of a schedule in a month: the month itself,
// its last day, or the week of its last day.
func monthEnd(c Campaign, month string) string {
	t, _ := time.ParseInLocation("2006-01", month, calendar.Shanghai)
	return c.Period(t.AddDate(0, 1, 0).Add(-12 * time.Hour))
}

// crossCheck flags the members of a campaign in the actor's reach (as one
// who decides) whose latest report up to the month's end disagrees with
// their use of the month; open flags that now
// agree are cleared, flags already checked stay. It tells the grid workers
// of what it newly flagged and answers how many.
func (s *Store) crossCheck(ctx context.Context, tx *store.Tx, actor access.Actor, campaignID int64, month string) (int, error) {
	h := tx.DB()
	c, err := campaignOf(ctx, h, campaignID)
	if err != nil {
		return 0, err
	}
	cond, args := audiencedb.MemberScope(actor, access.ResumeDecide)
	type row struct {
		id       int64
		resumed  bool
		use      int64
		baseline int64
	}
	list, err := store.Collect(ctx, h, func(sc store.Scanner) (row, error) {
		var r row
		err := sc.Scan(&r.id, &r.resumed, &r.use, &r.baseline)
		return r, err
	}, `SELECT m.enterprise_id, r.resumed, p.kwh, COALESCE(b.kwh, 0)`+s.latestJoin()+`
		JOIN resumption_power p ON p.enterprise_id = m.enterprise_id AND p.month = ?
		LEFT JOIN resumption_power b ON b.enterprise_id = m.enterprise_id AND b.month = ?
		WHERE m.campaign_id = ? AND m.removed_at = 0 AND r.id IS NOT NULL AND `+cond, append([]any{campaignID, monthEnd(c, month), month, lastYear(month), campaignID}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("cross-check: %w", err)
	}
	now := tx.Now().UnixMilli()
	n := 0
	for _, r := range list {
		mm := resumption.CrossCheck(r.resumed, r.use, r.baseline, c.LowPower, c.HighPower)
		if mm == resumption.NoMismatch || mm == resumption.NoBaseline {
			if _, err := h.Exec(ctx, "DELETE FROM resumption_flags WHERE campaign_id = ? AND enterprise_id = ? AND month = ? AND state = 'open'",
				campaignID, r.id, month); err != nil {
				return n, fmt.Errorf("clear flag: %w", err)
			}
			continue
		}
		ids, err := store.Collect(ctx, h, store.Int64, `INSERT INTO resumption_flags (campaign_id, enterprise_id, month, mismatch, resumed, kwh,
			baseline, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)
			ON CONFLICT (campaign_id, enterprise_id, month) DO NOTHING RETURNING id`,
			campaignID, r.id, month, string(mm), r.resumed, r.use, r.baseline, now)
		if err != nil {
			return n, fmt.Errorf("flag: %w", err)
		}
		if len(ids) == 0 {
			if _, err := h.Exec(ctx, `UPDATE resumption_flags SET mismatch = ?, resumed = ?, kwh = ?, baseline = ?, version = version + 1
				WHERE campaign_id = ? AND enterprise_id = ? AND month = ? AND state = 'open'`, string(mm), r.resumed, r.use, r.baseline,
				campaignID, r.id, month); err != nil {
				return n, fmt.Errorf("flag: %w", err)
			}
			continue
		}
		n++
		// One enterprise's month is one check for its grid worker, however
		// many campaigns it reports to: told of the first flag only.
		var others int
		if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM resumption_flags WHERE enterprise_id = ? AND month = ? AND id <> ?",
			r.id, month, ids[0]), &others); err != nil {
			return n, fmt.Errorf("flags of the month: %w", err)
		}
		if others > 0 {
			continue
		}
		if err := tx.Notify(ctx, store.Recipients{Query: `SELECT u.id FROM users u JOIN enterprises e ON e.id = ?
			WHERE u.role = 'grid_worker' AND u.region_code = e.grid_code AND u.disabled = FALSE`, Args: []any{r.id}},
			"resumption.power", fmt.Sprintf("/resumption/flags/%d", ids[0]), "用电与报送不符，请核实："+month); err != nil {
			return n, err
		}
	}
	return n, nil
}

// CrossCheck runs the cross-check of a campaign for a month again, for
// staff who decide in its region (the import runs it by itself).
func (s *Store) CrossCheck(ctx context.Context, actor access.Actor, campaignID int64, month string) (int, error) {
	if _, err := time.Parse("2006-01", month); err != nil || len(month) != 7 {
		return 0, fault.Fields{"month": {Zh: "月份应为 2026-11 的格式", En: "give the month as 2026-11"}}.Err()
	}
	var n int
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		c, err := campaign(ctx, tx.DB(), actor, campaignID)
		if err != nil {
			return err
		}
		if c.Kind != KindMonitoring {
			return fault.ErrNotFound
		}
		if !access.May(actor.Role, access.ResumeDecide) {
			return access.ErrForbidden
		}
		if n, err = s.crossCheck(ctx, tx, actor, campaignID, month); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "resumption.cross_check", fmt.Sprintf("campaign/%d", campaignID), "ok", map[string]any{"month": month, "flagged": n})
	})
	return n, err
}

// Flag is a report the electricity disagrees with.
type Flag struct {
	ID, CampaignID, EnterpriseID int64
	Campaign, Enterprise, Grid   string
	Month                        string
	Mismatch                     resumption.Mismatch
	Resumed                      bool
	KWh, Baseline                int64
	State, Answer, CheckedBy     string
	CheckedAt, CreatedAt         time.Time
	Version                      int64
}

// Ratio is the use over the baseline in per cent.
func (f Flag) Ratio() float64 {
	if f.Baseline == 0 {
		return 0
	}
	return float64(f.KWh) * 100 / float64(f.Baseline)
}

const flagColumns = `f.id, f.campaign_id, f.enterprise_id, c.title, e.name, COALESCE(g.name, e.grid_code), f.month, f.mismatch, f.resumed,
	f.kwh, f.baseline, f.state, f.answer, f.checked_by, f.checked_at, f.created_at, f.version`

const flagFrom = ` FROM resumption_flags f JOIN campaigns c ON c.id = f.campaign_id JOIN enterprises e ON e.id = f.enterprise_id
	LEFT JOIN regions g ON g.code = e.grid_code`

func scanFlag(sc store.Scanner) (Flag, error) {
	var f Flag
	var mm string
	var checked, created int64
	err := sc.Scan(&f.ID, &f.CampaignID, &f.EnterpriseID, &f.Campaign, &f.Enterprise, &f.Grid, &f.Month, &mm, &f.Resumed, &f.KWh, &f.Baseline,
		&f.State, &f.Answer, &f.CheckedBy, &checked, &created, &f.Version)
	f.Mismatch, f.CheckedAt, f.CreatedAt = resumption.Mismatch(mm), store.Millis(checked), store.Millis(created)
	return f, store.ScanErr(err)
}

// FlagQuery selects flags.
type FlagQuery struct {
	CampaignID int64
	State      string
	Page       store.Page
}

// Flags lists the flags the actor reads, the open first.
func (s *Store) Flags(ctx context.Context, actor access.Actor, q FlagQuery) ([]Flag, int, error) {
	where, args := store.EnterpriseScope(actor, access.ResumeRead)
	if q.CampaignID != 0 {
		where += " AND f.campaign_id = ?"
		args = append(args, q.CampaignID)
	}
	if q.State != "" {
		where += " AND f.state = ?"
		args = append(args, q.State)
	}
	return store.Paged(ctx, s.engine.Reader(), "flags", scanFlag, flagColumns, flagFrom, where, args,
		"CASE WHEN f.state = 'open' THEN 0 ELSE 1 END, f.month DESC, f.id", q.Page)
}

// Flag reads a flag the actor reads.
func (s *Store) Flag(ctx context.Context, actor access.Actor, id int64) (Flag, error) {
	where, args := store.EnterpriseScope(actor, access.ResumeRead)
	list, err := store.Collect(ctx, s.engine.Reader(), scanFlag, "SELECT "+flagColumns+flagFrom+" WHERE f.id = ? AND "+where, append([]any{id}, args...)...)
	if err != nil {
		return Flag{}, fmt.Errorf("flag: %w", err)
	}
	if len(list) == 0 {
		return Flag{}, fault.ErrNotFound
	}
	return list[0], nil
}

// CheckFlag records what the grid worker found (the report corrected, the
// plant idle for a reason, another meter…), closing the flag and the open
// flags of the same enterprise and month in other campaigns: one visit
// answers them all.
func (s *Store) CheckFlag(ctx context.Context, actor access.Actor, id, version int64, answer string) (Flag, error) {
	answer = strings.TrimSpace(answer)
	if n := utf8.RuneCountInString(answer); n == 0 || n > 500 {
		return Flag{}, fault.Fields{"answer": {Zh: "请写明核实情况，不超过 500 字", En: "say what was found, at most 500 characters"}}.Err()
	}
	f, err := s.Flag(ctx, actor, id)
	if err != nil {
		return f, err
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := enterpriseFor(ctx, tx.DB(), actor, f.EnterpriseID, access.ResumeCheck); err != nil {
			return err
		}
		now := tx.Now().UnixMilli()
		res, err := tx.DB().Exec(ctx, `UPDATE resumption_flags SET state = 'checked', answer = ?, checked_by = ?, checked_at = ?, version = version + 1
			WHERE id = ? AND version = ? AND state = 'open'`, answer, actor.Name, now, id, version)
		if err != nil {
			return fmt.Errorf("check flag: %w", err)
		}
		if store.Affected(res) != 1 {
			return fault.ErrConflict
		}
		if _, err := tx.DB().Exec(ctx, `UPDATE resumption_flags SET state = 'checked', answer = ?, checked_by = ?, checked_at = ?, version = version + 1
			WHERE enterprise_id = ? AND month = ? AND state = 'open'`, answer, actor.Name, now, f.EnterpriseID, f.Month); err != nil {
			return fmt.Errorf("check flags of the month: %w", err)
		}
		f.State, f.Answer, f.CheckedBy, f.CheckedAt, f.Version = "checked", answer, actor.Name, time.UnixMilli(now), version+1
		return tx.Record(ctx, actor, "resumption.flag_check", fmt.Sprintf("flag/%d", id), "ok", map[string]any{"answer": answer})
	})
	return f, err
}
