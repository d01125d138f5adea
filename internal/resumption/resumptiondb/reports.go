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

// Report is an enterprise's status report of a period, as kept.
type Report struct {
	resumption.Report
	ID, CampaignID int64
	Enterprise     string
	Period         string
	Difficulties   string
	NoChange       bool
	Channel        string
	ByName         string
	At             time.Time
	Corrections    int
	Version        int64
}

// ReportInput is a report submitted, or "no change" since the last one.
type ReportInput struct {
	CampaignID, EnterpriseID int64
	Report                   resumption.Report
	Difficulties             string
	// NoChange repeats the enterprise's latest report for this period.
	NoChange bool
	// Key makes the submission idempotent: a retry with the same key
	// answers the report it made.
	Key string
	// Version is the version of this period's report being corrected (0
	// for the period's first).
	Version int64
}

// MaxKey bounds an idempotency key.
const MaxKey = 100

const reportColumns = `r.id, r.campaign_id, r.enterprise_id, e.name, r.period, r.resumed, r.since, r.output_share, r.on_site, r.workers,
	r.orders, r.difficulties, r.no_change, r.isolating, r.returned, r.planning, r.channel, r.by_name, r.at, r.corrections, r.version`

func scanReport(sc store.Scanner) (Report, error) {
	var r Report
	var at int64
	err := sc.Scan(&r.ID, &r.CampaignID, &r.EnterpriseID, &r.Enterprise, &r.Period, &r.Resumed, &r.Since, &r.OutputShare, &r.OnSite,
		&r.Workers, &r.Orders, &r.Difficulties, &r.NoChange, &r.Isolating, &r.Returned, &r.Planning, &r.Channel, &r.ByName, &at,
		&r.Corrections, &r.Version)
	r.At = store.Millis(at)
	r.Report.EnterpriseID = r.EnterpriseID
	return r, store.ScanErr(err)
}

func reportWhere(ctx context.Context, h store.DB, where string, args ...any) (Report, bool, error) {
	list, err := store.Collect(ctx, h, scanReport, "SELECT "+reportColumns+` FROM resumption_reports r
		JOIN enterprises e ON e.id = r.enterprise_id WHERE `+where, args...)
	if err != nil || len(list) == 0 {
		return Report{}, false, store.Wrap(err, "report")
	}
	return list[0], true, nil
}

// channel is who filled a report: the enterprise itself, or staff for it.
func channel(actor access.Actor) string {
	if actor.Role == access.RoleEnterprise {
		return "enterprise"
	}
	return "staff." + string(actor.Role)
}

// Prefill is what the report page shows: the campaign, the enterprise's
// report of this period if made, and its latest report to start from.
type Prefill struct {
	Campaign   Campaign
	Enterprise enterprise.Enterprise
	Period     string
	This       *Report // this period's report, if made
	Latest     *Report // the latest report before or in this period
}

// ReportPage reads what the report page of an enterprise needs, for an
// actor who may report for it.
func (s *Store) ReportPage(ctx context.Context, actor access.Actor, campaignID, enterpriseID int64) (Prefill, error) {
	h := s.engine.Reader()
	var p Prefill
	e, err := enterpriseFor(ctx, h, actor, enterpriseID, access.ResumeRead)
	if err != nil {
		return p, err
	}
	if err := onList(ctx, h, campaignID, enterpriseID); err != nil {
		return p, err
	}
	c, err := campaignOf(ctx, h, campaignID)
	if err != nil {
		return p, err
	}
	if c.Kind != KindMonitoring {
		return p, fault.ErrNotFound
	}
	p.Campaign, p.Enterprise, p.Period = c, e, c.Period(s.engine.Now())
	latest, ok, err := reportWhere(ctx, h, "r.campaign_id = ? AND r.enterprise_id = ? AND r.period <= ? ORDER BY r.period DESC LIMIT 1",
		campaignID, enterpriseID, p.Period)
	if err != nil {
		return p, err
	}
	if ok {
		p.Latest = &latest
		if latest.Period == p.Period {
			p.This = &latest
		}
	}
	return p, nil
}

// SubmitReport keeps an enterprise's report of the current period, or
// corrects it (with its version), in one transaction with its audit entry,
// the stalled suppliers it names (each a to-do of the supplier's grid
// worker) and the member's answer on the campaign's list. A retry with the
// same key answers the same report and changes nothing (replayed).
func (s *Store) SubmitReport(ctx context.Context, actor access.Actor, in ReportInput) (out Report, replayed bool, err error) {
	in.Key = strings.TrimSpace(in.Key)
	if len(in.Key) > MaxKey {
		return out, false, fault.Fields{"idempotency_key": {Zh: "幂等键过长", En: "the idempotency key is too long"}}.Err()
	}
	if utf8.RuneCountInString(in.Difficulties) > 1000 || utf8.RuneCountInString(in.Report.Orders) > 200 {
		return out, false, fault.Fields{"difficulties": {Zh: "困难和问题不超过 1000 字，订单情况不超过 200 字", En: "difficulties at most 1000 characters, orders 200"}}.Err()
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		out, replayed, err = submitTx(ctx, tx, actor, in)
		return err
	})
	return out, replayed, err
}

func submitTx(ctx context.Context, tx *store.Tx, actor access.Actor, in ReportInput) (Report, bool, error) {
	h := tx.DB()
	e, err := enterpriseFor(ctx, h, actor, in.EnterpriseID, access.ResumeReport)
	if err != nil {
		return Report{}, false, err
	}
	if err := onList(ctx, h, in.CampaignID, in.EnterpriseID); err != nil {
		return Report{}, false, err
	}
	byKey := func() (Report, bool, error) {
		if in.Key == "" {
			return Report{}, false, nil
		}
		return reportWhere(ctx, h, "r.campaign_id = ? AND r.enterprise_id = ? AND r.idem_key = ?", in.CampaignID, in.EnterpriseID, in.Key)
	}
	if r, ok, err := byKey(); err != nil || ok {
		return r, ok, err
	}
	c, err := campaignOf(ctx, h, in.CampaignID)
	if err != nil {
		return Report{}, false, err
	}
	if c.Kind != KindMonitoring {
		return Report{}, false, fault.ErrNotFound
	}
	if c.State != audiencedb.Running {
		return Report{}, false, fault.New(fault.Conflict, "campaign_closed", "该次监测已结束，不能再报送", "the campaign is closed; no more reports")
	}
	now := tx.Now()
	period := c.Period(now)
	this, has, err := reportWhere(ctx, h, "r.campaign_id = ? AND r.enterprise_id = ? AND r.period = ?", in.CampaignID, in.EnterpriseID, period)
	if err != nil {
		return Report{}, false, err
	}
	rep := in.Report
	if in.NoChange {
		latest, ok, err := reportWhere(ctx, h, "r.campaign_id = ? AND r.enterprise_id = ? AND r.period <= ? ORDER BY r.period DESC LIMIT 1",
			in.CampaignID, in.EnterpriseID, period)
		if err != nil {
			return Report{}, false, err
		}
		if !ok {
			return Report{}, false, fault.New(fault.Invalid, "resumption_no_earlier", "还没有报送过，请先完整填写一次", "nothing reported yet: fill the report once in full")
		}
		if has {
			return this, true, nil // this period is reported: "no change" changes nothing
		}
		rep = latest.Report
		rep.BlockedBy = nil
		in.Difficulties = latest.Difficulties
	}
	if has && in.Version != this.Version {
		// The same submission may have been kept since its key was looked up.
		if r, ok, err := byKey(); err != nil || ok {
			return r, ok, err
		}
		return Report{}, false, fault.New(fault.Conflict, "resumption_reported",
			fmt.Sprintf("本期（%s）已报送，如需更正请在最新版本上修改", period),
			fmt.Sprintf("this period (%s) is reported; correct the latest version", period))
	}
	if !has && in.Version != 0 {
		return Report{}, false, fault.ErrConflict
	}
	if rep.Workers == 0 {
		rep.Workers = e.Employees
	}
	if err := rep.Check(now); err != nil {
		return Report{}, false, err
	}
	suppliers, err := supplierIDs(ctx, h, rep.BlockedBy, e.ID)
	if err != nil {
		return Report{}, false, err
	}
	at := now.UnixMilli()
	ch := channel(actor)
	var id int64
	if has {
		res, err := h.Exec(ctx, `UPDATE resumption_reports SET resumed = ?, since = ?, output_share = ?, on_site = ?, workers = ?,
			orders = ?, difficulties = ?, no_change = ?, isolating = ?, returned = ?, planning = ?, channel = ?, by_id = ?, by_name = ?,
			at = ?, idem_key = ?, corrections = corrections + 1, version = version + 1 WHERE id = ? AND version = ?`,
			rep.Resumed, rep.Since, rep.OutputShare, rep.OnSite, rep.Workers, rep.Orders, in.Difficulties, in.NoChange,
			rep.Isolating, rep.Returned, rep.Planning, ch, actor.UserID, actor.Name, at, in.Key, this.ID, this.Version)
		if err != nil {
			return Report{}, false, fmt.Errorf("correct report: %w", err)
		}
		if store.Affected(res) != 1 {
			return Report{}, false, fault.ErrConflict
		}
		id = this.ID
	} else {
		rows, err := store.Collect(ctx, h, store.Int64, `INSERT INTO resumption_reports (campaign_id, enterprise_id, period, resumed, since,
			output_share, on_site, workers, orders, difficulties, no_change, isolating, returned, planning, channel, by_id, by_name, at, idem_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (campaign_id, enterprise_id, period) DO NOTHING RETURNING id`,
			in.CampaignID, in.EnterpriseID, period, rep.Resumed, rep.Since, rep.OutputShare, rep.OnSite, rep.Workers, rep.Orders,
			in.Difficulties, in.NoChange, rep.Isolating, rep.Returned, rep.Planning, ch, actor.UserID, actor.Name, at, in.Key)
		if err != nil {
			return Report{}, false, fmt.Errorf("report: %w", err)
		}
		if len(rows) == 0 {
			// A report of the same period made meanwhile: the same key's
			// is this one's, any other wins.
			if r, ok, err := reportWhere(ctx, h, "r.campaign_id = ? AND r.enterprise_id = ? AND r.period = ?", in.CampaignID, in.EnterpriseID, period); err == nil && ok && in.Key != "" && r.Version == 1 {
				var key string
				if store.Scan(h.Row(ctx, "SELECT idem_key FROM resumption_reports WHERE id = ?", r.ID), &key) == nil && key == in.Key {
					return r, true, nil
				}
			}
			return Report{}, false, fault.New(fault.Conflict, "resumption_reported", "本期已由他人报送，请刷新后查看", "this period was reported meanwhile; reload")
		}
		id = rows[0]
		if err := audiencedb.AnsweredTx(ctx, tx, in.CampaignID, in.EnterpriseID); err != nil {
			return Report{}, false, err
		}
	}
	for _, sup := range suppliers {
		if err := block(ctx, tx, c, e, sup); err != nil {
			return Report{}, false, err
		}
	}
	out, _, err := reportWhere(ctx, h, "r.id = ?", id)
	if err != nil {
		return out, false, err
	}
	out.BlockedBy = rep.BlockedBy
	action := "resumption.report"
	if has {
		action = "resumption.report_correct"
	}
	return out, false, tx.Record(ctx, actor, action, fmt.Sprintf("campaign/%d/enterprise/%d", in.CampaignID, in.EnterpriseID), "ok",
		map[string]any{"period": period, "resumed": rep.Resumed, "output_share": rep.OutputShare, "on_site": rep.OnSite,
			"workers": rep.Workers, "no_change": in.NoChange, "suppliers": len(suppliers)})
}

// supplierIDs finds the suppliers named by their credit codes.
func supplierIDs(ctx context.Context, h store.DB, codes []string, self int64) ([]int64, error) {
	var out []int64
	seen := map[string]bool{}
	for i, raw := range codes {
		code := enterprise.NormalizeCreditCode(raw)
		if code == "" || seen[code] {
			continue
		}
		seen[code] = true
		at := fmt.Sprintf("blocked_by[%d]", i)
		if err := enterprise.CheckCreditCode(code); err != nil {
			return nil, fault.Fields{at: {Zh: "统一社会信用代码“" + raw + "”不正确", En: "the credit code “" + raw + "” is not valid"}}.Err()
		}
		var id int64
		err := store.Scan(h.Row(ctx, "SELECT id FROM enterprises WHERE credit_code = ?", code), &id)
		if fault.Is(err, fault.NotFound) {
			return nil, fault.Fields{at: {Zh: "未找到统一社会信用代码为 " + code + " 的企业，请核对", En: "no enterprise has the credit code " + code}}.Err()
		}
		if err != nil {
			return nil, fmt.Errorf("supplier: %w", err)
		}
		if id == self {
			return nil, fault.Fields{at: {Zh: "不能填写本企业", En: "not the enterprise itself"}}.Err()
		}
		out = append(out, id)
	}
	return out, nil
}

// block records a supplier holding up a lead firm (once while open) and
// tells the grid workers of the supplier's grid.
func block(ctx context.Context, tx *store.Tx, c Campaign, lead enterprise.Enterprise, supplierID int64) error {
	h := tx.DB()
	rows, err := store.Collect(ctx, h, store.Int64, `INSERT INTO resumption_blocks (campaign_id, enterprise_id, supplier_id, state, created_at)
		VALUES (?, ?, ?, 'open', ?) ON CONFLICT (campaign_id, enterprise_id, supplier_id) WHERE state = 'open' DO NOTHING RETURNING id`,
		c.ID, lead.ID, supplierID, tx.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("block: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Notify(ctx, store.Recipients{Query: `SELECT u.id FROM users u JOIN enterprises s ON s.id = ?
		WHERE u.role = 'grid_worker' AND u.region_code = s.grid_code AND u.disabled = FALSE`, Args: []any{supplierID}},
		"resumption.supplier", fmt.Sprintf("/resumption/blocks/%d", rows[0]), "“"+lead.Name+"”因贵网格企业停工受阻，请协助复工")
}

// Block is a supplier holding up a lead firm.
type Block struct {
	ID, CampaignID         int64
	Campaign               string
	LeadID                 int64
	Lead                   string
	SupplierID             int64
	Supplier, SupplierGrid string
	State, Answer          string
	CreatedAt, ResolvedAt  time.Time
	ResolvedBy             string
	Version                int64
}

const blockColumns = `b.id, b.campaign_id, c.title, b.enterprise_id, l.name, b.supplier_id, s.name, COALESCE(g.name, s.grid_code),
	b.state, b.answer, b.created_at, b.resolved_at, b.resolved_by, b.version`

const blockFrom = ` FROM resumption_blocks b JOIN campaigns c ON c.id = b.campaign_id JOIN enterprises l ON l.id = b.enterprise_id
	JOIN enterprises s ON s.id = b.supplier_id LEFT JOIN regions g ON g.code = s.grid_code`

func scanBlock(sc store.Scanner) (Block, error) {
	var b Block
	var created, resolved int64
	err := sc.Scan(&b.ID, &b.CampaignID, &b.Campaign, &b.LeadID, &b.Lead, &b.SupplierID, &b.Supplier, &b.SupplierGrid,
		&b.State, &b.Answer, &created, &resolved, &b.ResolvedBy, &b.Version)
	b.CreatedAt, b.ResolvedAt = store.Millis(created), store.Millis(resolved)
	return b, store.ScanErr(err)
}

// blockScope: a block is read by those who read the lead firm or the
// supplier (the supplier's grid worker, wherever the lead is).
func blockScope(actor access.Actor) (string, []any) {
	cl, la := store.EnterpriseScopeAs("l", actor, access.ResumeRead)
	cs, sa := store.EnterpriseScopeAs("s", actor, access.ResumeRead)
	return "(" + cl + " OR " + cs + ")", append(la, sa...)
}

// BlockQuery selects blocks.
type BlockQuery struct {
	CampaignID int64
	LeadID     int64 // the firm held up
	State      string
	Page       store.Page
}

// Blocks lists the blocks the actor reads, the open first.
func (s *Store) Blocks(ctx context.Context, actor access.Actor, q BlockQuery) ([]Block, int, error) {
	where, args := blockScope(actor)
	if q.CampaignID != 0 {
		where += " AND b.campaign_id = ?"
		args = append(args, q.CampaignID)
	}
	if q.LeadID != 0 {
		where += " AND b.enterprise_id = ?"
		args = append(args, q.LeadID)
	}
	if q.State != "" {
		where += " AND b.state = ?"
		args = append(args, q.State)
	}
	return store.Paged(ctx, s.engine.Reader(), "blocks", scanBlock, blockColumns, blockFrom, where, args,
		"CASE WHEN b.state = 'open' THEN 0 ELSE 1 END, b.created_at DESC, b.id DESC", q.Page)
}

// Block reads a block the actor reads.
func (s *Store) Block(ctx context.Context, actor access.Actor, id int64) (Block, error) {
	where, args := blockScope(actor)
	list, err := store.Collect(ctx, s.engine.Reader(), scanBlock, "SELECT "+blockColumns+blockFrom+" WHERE b.id = ? AND "+where, append([]any{id}, args...)...)
	if err != nil {
		return Block{}, fmt.Errorf("block: %w", err)
	}
	if len(list) == 0 {
		return Block{}, fault.ErrNotFound
	}
	return list[0], nil
}

// ResolveBlock records what the supplier's grid worker (or the lead's
// staff) did: the supplier restarted, or why it cannot; the lead firm is told.
func (s *Store) ResolveBlock(ctx context.Context, actor access.Actor, id, version int64, answer string) (Block, error) {
	answer = strings.TrimSpace(answer)
	if n := utf8.RuneCountInString(answer); n == 0 || n > 500 {
		return Block{}, fault.Fields{"answer": {Zh: "请写明处理结果，不超过 500 字", En: "say what was done, at most 500 characters"}}.Err()
	}
	b, err := s.Block(ctx, actor, id)
	if err != nil {
		return b, err
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		sup, err := h.EnterpriseByID(ctx, b.SupplierID)
		if err != nil {
			return err
		}
		lead, err := h.EnterpriseByID(ctx, b.LeadID)
		if err != nil {
			return err
		}
		ts, err := h.TargetOf(ctx, actor, sup)
		if err != nil {
			return err
		}
		tl, err := h.TargetOf(ctx, actor, lead)
		if err != nil {
			return err
		}
		if !access.Allows(actor, access.ResumeCheck, ts) && !access.Allows(actor, access.ResumeCheck, tl) {
			return access.ErrForbidden
		}
		res, err := h.Exec(ctx, `UPDATE resumption_blocks SET state = 'resolved', answer = ?, resolved_at = ?, resolved_by = ?, version = version + 1
			WHERE id = ? AND version = ? AND state = 'open'`, answer, tx.Now().UnixMilli(), actor.Name, id, version)
		if err != nil {
			return fmt.Errorf("resolve block: %w", err)
		}
		if store.Affected(res) != 1 {
			return fault.ErrConflict
		}
		b.State, b.Answer, b.ResolvedBy, b.ResolvedAt, b.Version = "resolved", answer, actor.Name, time.UnixMilli(tx.Now().UnixMilli()), version+1
		if err := tx.Notify(ctx, store.EnterpriseUsers(b.LeadID), "resumption.supplier", fmt.Sprintf("/resumption/blocks/%d", id),
			"供应商“"+b.Supplier+"”："+answer); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "resumption.block_resolve", fmt.Sprintf("block/%d", id), "ok", map[string]any{"answer": answer})
	})
	return b, err
}

// Reports lists the reports of a campaign's members in the actor's reach
// for a period ("" for the latest period reported), the newest first.
func (s *Store) Reports(ctx context.Context, actor access.Actor, campaignID int64, period string, page store.Page) ([]Report, int, error) {
	h := s.engine.Reader()
	if _, err := campaign(ctx, h, actor, campaignID); err != nil {
		return nil, 0, err
	}
	cond, args := audiencedb.MemberScope(actor, access.ResumeRead)
	where := "r.campaign_id = ? AND " + cond
	args = append([]any{campaignID}, args...)
	if period != "" {
		where += " AND r.period = ?"
		args = append(args, period)
	}
	return store.Paged(ctx, h, "reports", scanReport, reportColumns, `FROM resumption_reports r JOIN enterprises e ON e.id = r.enterprise_id
		JOIN campaign_members m ON m.campaign_id = r.campaign_id AND m.enterprise_id = r.enterprise_id AND m.removed_at = 0`, where, args,
		"r.period DESC, r.at DESC, r.id DESC", page)
}

// PurgeHealth erases the health counts of campaigns past their retention
// day (personal information kept only as long as its purpose needs), once
// each; it answers how many reports it erased. The scheduler runs it.
func (s *Store) PurgeHealth(ctx context.Context) (int64, error) {
	today := resumption.PeriodOf(resumption.Daily, s.engine.Now())
	var erased int64
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		ids, err := store.Collect(ctx, tx.DB(), store.Int64, `SELECT campaign_id FROM resumption_campaigns
			WHERE retain_until <> '' AND retain_until < ? AND purged_at = 0`, today)
		if err != nil {
			return fmt.Errorf("campaigns to purge: %w", err)
		}
		for _, id := range ids {
			res, err := tx.DB().Exec(ctx, `UPDATE resumption_reports SET isolating = 0, returned = 0, planning = 0 WHERE campaign_id = ?`, id)
			if err != nil {
				return fmt.Errorf("purge health: %w", err)
			}
			erased += store.Affected(res)
			if _, err := tx.DB().Exec(ctx, `UPDATE resumption_restarts SET isolating = 0, returned = 0, planning = 0 WHERE campaign_id = ?`, id); err != nil {
				return fmt.Errorf("purge health: %w", err)
			}
			if _, err := tx.DB().Exec(ctx, "UPDATE resumption_campaigns SET purged_at = ? WHERE campaign_id = ?", tx.Now().UnixMilli(), id); err != nil {
				return fmt.Errorf("purge health: %w", err)
			}
			if err := tx.Record(ctx, access.System("retention"), "resumption.health_purge", fmt.Sprintf("campaign/%d", id), "ok", nil); err != nil {
				return err
			}
		}
		return nil
	})
	return erased, err
}
