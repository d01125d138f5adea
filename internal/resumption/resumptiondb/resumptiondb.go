// Package resumptiondb keeps checklists, resumption and status reports
// (清单 · 复工复产 · 运行监测) on the store's engine: the module's campaigns
// on the shared audiences and forms (this file), the status reports with
// their idempotent submission and the stalled suppliers (reports.go), the
// rates over the frozen list (rates.go), on-site checks and their findings
// followed to closure (checks.go), restart applications (restarts.go), the
// electricity file and its cross-check (power.go), the exceptions leaders
// see first, the to-dos and the enterprise's timeline (work.go). Every
// change is one transaction with its audit entry and notices. The rules
// are package resumption's.
package resumptiondb

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/audience"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/resumption"
	"qifu/internal/store"
)

// Store is the module's part of the store.
type Store struct {
	engine  *store.Store
	appeals *appealdb.Store
}

// New builds the module's store on the engine; a finding that needs a
// department's action is raised through appeals.
func New(engine *store.Store, appeals *appealdb.Store) *Store {
	engine.Register(store.Module{Name: "resumption"})
	return &Store{engine: engine, appeals: appeals}
}

// Now is the store's time.
func (s *Store) Now() time.Time { return s.engine.Now() }

// The kinds of campaign; a campaign's module in the shared campaigns is
// its kind.
const (
	KindChecklist  = "checklist"
	KindMonitoring = formdb.Monitoring
)

// Campaign is a campaign of the module: the shared campaign (its frozen
// list, due day, progress) and the module's settings.
type Campaign struct {
	audiencedb.Campaign
	Kind      string
	Checklist string // a checklist campaign's checklist
	Schedule  string // a monitoring campaign's
	Restart   string // "", resumption.RestartApproval, resumption.RestartFiling
	Threshold int    // employees at or above which the command approves
	// LowPower and HighPower are the cross-check's thresholds, in
	// hundredths of a per cent of the baseline.
	LowPower, HighPower int
	RetainUntil         string
	PurgedAt            time.Time
	Settings            int64 // the version of the module's settings
}

// List is the campaign's checklist (the zero checklist for a monitoring one).
func (c Campaign) List() resumption.Checklist {
	cl, _ := resumption.TemplateOf(c.Checklist)
	return cl
}

// Period is the period of the schedule now falls in.
func (c Campaign) Period(now time.Time) string { return resumption.PeriodOf(c.Schedule, now) }

// Input starts a campaign.
type Input struct {
	Kind        string
	Checklist   string
	Title       string
	Due         string
	Audience    audience.Definition
	Schedule    string
	Restart     string
	Threshold   int
	LowPower    int
	HighPower   int
	RetainUntil string
}

func (in *Input) check(now time.Time) error {
	f := fault.Fields{}
	switch in.Kind {
	case KindChecklist:
		if _, ok := resumption.TemplateOf(in.Checklist); !ok {
			f.Add("checklist", "请选择清单", "choose a checklist")
		}
		switch in.Restart {
		case "", resumption.RestartApproval, resumption.RestartFiling:
		default:
			f.Add("restart", "复工申报方式不正确", "unknown way of restart applications")
		}
		if in.Threshold < 0 || in.Threshold > 100000 {
			f.Add("threshold", "审批人数门槛应为 0–100000", "the threshold is 0–100000")
		}
		in.Schedule = ""
	case KindMonitoring:
		switch in.Schedule {
		case resumption.Daily, resumption.Weekly, resumption.Monthly:
		default:
			f.Add("schedule", "请选择报送周期", "choose a schedule")
		}
		in.Checklist, in.Restart, in.Threshold = "", "", 0
	default:
		f.Add("kind", "请选择清单检查或运行监测", "choose a checklist or monitoring")
	}
	if in.LowPower == 0 {
		in.LowPower = 3000
	}
	if in.HighPower == 0 {
		in.HighPower = 7000
	}
	if in.LowPower < 0 || in.LowPower > 10000 || in.HighPower < in.LowPower || in.HighPower > 20000 {
		f.Add("low_power", "用电比对阈值应为 0–100%，且“未复工”阈值不低于“已复工”阈值", "the thresholds are 0–100%, the high one not below the low one")
	}
	if in.RetainUntil != "" {
		d, err := time.ParseInLocation(time.DateOnly, in.RetainUntil, calendar.Shanghai)
		if err != nil || d.Before(now.In(calendar.Shanghai).Truncate(24*time.Hour)) || d.After(now.AddDate(2, 0, 0)) {
			f.Add("retain_until", "健康人数的保存期限应为今天起两年内的日期", "keep health counts until a day within two years")
		}
	} else if in.Kind == KindMonitoring {
		in.RetainUntil = now.In(calendar.Shanghai).AddDate(0, 3, 0).Format(time.DateOnly)
	}
	return f.Err()
}

// ReportForm is the status report as a form of the form engine: what a
// monitoring campaign sends. Its answers are kept period by period as
// reports (resumption.Report), in one place for every department (一表通).
func ReportForm(title string) form.Definition {
	num := func(min, max float64) (*float64, *float64) { return &min, &max }
	minS, maxS := num(0, 200)
	minN, maxN := num(0, 1000000)
	return form.Definition{Zh: title, En: "Status report", Sections: []form.Section{{Zh: "运行情况", En: "How it stands", Questions: []form.Question{
		{Key: "resumed", Type: form.YesNo, Zh: "是否已复工", En: "Resumed?", Required: true},
		{Key: "since", Type: form.Date, Zh: "复工日期", En: "Resumed on", When: &form.Condition{Key: "resumed", Equals: "yes"}},
		{Key: "output_share", Type: form.Number, Zh: "产出占正常水平", En: "Output as a share of normal", Unit: "%", Min: minS, Max: maxS},
		{Key: "on_site", Type: form.Number, Zh: "在岗人数", En: "Workers on site", Unit: "人", Min: minN, Max: maxN},
		{Key: "workers", Type: form.Number, Zh: "职工总数", En: "Workers", Unit: "人", Min: minN, Max: maxN},
		{Key: "orders", Type: form.Text, Zh: "订单情况", En: "Orders"},
		{Key: "difficulties", Type: form.Text, Long: true, Zh: "困难和问题", En: "Difficulties"},
		{Key: "blocked_by", Type: form.Text, Zh: "因供应商停工受阻（统一社会信用代码）", En: "Held up by suppliers (credit codes)"},
	}}, {Zh: "员工健康（仅人数）", En: "Staff health (counts only)", Questions: []form.Question{
		{Key: "isolating", Type: form.Number, Zh: "隔离观察", En: "Isolating", Unit: "人", Min: minN, Max: maxN},
		{Key: "returned", Type: form.Number, Zh: "新增返岗", En: "Newly returned", Unit: "人", Min: minN, Max: maxN},
		{Key: "planning", Type: form.Number, Zh: "计划返岗", En: "Planning to return", Unit: "人", Min: minN, Max: maxN},
	}}}}
}

// Start starts a campaign: the checklist (or the report form) saved as a
// form, sent to the audience frozen into the list, the members' weights
// frozen with it — in one transaction, audited.
func (s *Store) Start(ctx context.Context, actor access.Actor, in Input) (Campaign, error) {
	var c Campaign
	if !access.May(actor.Role, access.CampaignRun) || !access.May(actor.Role, access.ResumeRead) {
		return c, access.ErrForbidden
	}
	// The module's refusals and the shared campaign's (title, due day,
	// audience) are said together: a form refused once shows them all.
	invalid := in.check(s.engine.Now())
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		if invalid != nil {
			fields := fault.Fields{}
			if fe := fault.As(invalid); fe != nil {
				maps.Copy(fields, fe.Fields)
			}
			_, err := audiencedb.StartTx(ctx, tx, actor, audiencedb.Campaign{Module: in.Kind, Title: in.Title, Audience: in.Audience, Due: in.Due})
			if fe := fault.As(err); fe != nil {
				maps.Copy(fields, fe.Fields)
			}
			return fields.Err() // and nothing is kept
		}
		def := ReportForm(strings.TrimSpace(in.Title))
		if in.Kind == KindChecklist {
			cl, _ := resumption.TemplateOf(in.Checklist)
			def = cl.Form()
		}
		if def.Zh == "" {
			def.Zh = "运行情况报送"
		}
		f, err := formdb.CreateTx(ctx, tx, actor, def)
		if err != nil {
			return err
		}
		sc, err := audiencedb.StartTx(ctx, tx, actor, audiencedb.Campaign{Module: in.Kind, Title: in.Title, FormID: f.ID, FormVersion: 1,
			Audience: in.Audience, Due: in.Due})
		if err != nil {
			return err
		}
		h := tx.DB()
		if _, err := h.Exec(ctx, `INSERT INTO resumption_campaigns (campaign_id, kind, checklist, schedule, restart, threshold,
			low_power, high_power, retain_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, sc.ID, in.Kind, in.Checklist, in.Schedule,
			in.Restart, in.Threshold, in.LowPower, in.HighPower, in.RetainUntil); err != nil {
			return fmt.Errorf("start: %w", err)
		}
		if _, err := h.Exec(ctx, `INSERT INTO resumption_members (campaign_id, enterprise_id, normal_output, workers, industry, size)
			SELECT m.campaign_id, e.id, e.revenue, e.employees, e.industry, e.size
			FROM campaign_members m JOIN enterprises e ON e.id = m.enterprise_id WHERE m.campaign_id = ?`, sc.ID); err != nil {
			return fmt.Errorf("freeze weights: %w", err)
		}
		c = Campaign{Campaign: sc, Kind: in.Kind, Checklist: in.Checklist, Schedule: in.Schedule, Restart: in.Restart,
			Threshold: in.Threshold, LowPower: in.LowPower, HighPower: in.HighPower, RetainUntil: in.RetainUntil, Settings: 1}
		return tx.Record(ctx, actor, "resumption.start", fmt.Sprintf("campaign/%d", sc.ID), "ok",
			map[string]any{"kind": in.Kind, "checklist": in.Checklist, "schedule": in.Schedule, "restart": in.Restart,
				"threshold": in.Threshold, "members": sc.Members})
	})
	return c, err
}

// SetRestart switches a checklist campaign's restart procedure (a later
// phase moves from approval to filing with a pledge), or its threshold.
func (s *Store) SetRestart(ctx context.Context, actor access.Actor, id, settings int64, restart string, threshold int) (Campaign, error) {
	var c Campaign
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = campaign(ctx, tx.DB(), actor, id); err != nil {
			return err
		}
		if !audiencedb.MayRun(actor, c.Campaign) {
			return access.ErrForbidden
		}
		in := Input{Kind: c.Kind, Checklist: c.Checklist, Restart: restart, Threshold: threshold, LowPower: c.LowPower, HighPower: c.HighPower}
		if c.Kind != KindChecklist {
			return fault.New(fault.Conflict, "resumption_kind", "运行监测没有复工申报", "a monitoring campaign takes no restart applications")
		}
		if err := in.check(tx.Now()); err != nil {
			return err
		}
		res, err := tx.DB().Exec(ctx, `UPDATE resumption_campaigns SET restart = ?, threshold = ?, version = version + 1
			WHERE campaign_id = ? AND version = ?`, restart, threshold, id, settings)
		if err != nil {
			return fmt.Errorf("set restart: %w", err)
		}
		if store.Affected(res) != 1 {
			return fault.ErrConflict
		}
		c.Restart, c.Threshold, c.Settings = restart, threshold, settings+1
		return tx.Record(ctx, actor, "resumption.restart_mode", fmt.Sprintf("campaign/%d", id), "ok",
			map[string]any{"restart": restart, "threshold": threshold})
	})
	return c, err
}

const campaignColumns = `c.id, c.module, c.title, c.form_id, c.form_version, c.audience, c.owner_id, c.owner_name,
	c.region_code, c.department_id, c.due, c.state, c.started_at, c.closed_at, c.reminded_at, c.version,
	r.kind, r.checklist, r.schedule, r.restart, r.threshold, r.low_power, r.high_power, r.retain_until, r.purged_at, r.version`

func scanCampaign(sc store.Scanner) (Campaign, error) {
	var c Campaign
	var audienceJS string
	var started, closed, reminded, purged int64
	err := sc.Scan(&c.ID, &c.Module, &c.Title, &c.FormID, &c.FormVersion, &audienceJS, &c.OwnerID, &c.OwnerName,
		&c.RegionCode, &c.DepartmentID, &c.Due, &c.State, &started, &closed, &reminded, &c.Version,
		&c.Kind, &c.Checklist, &c.Schedule, &c.Restart, &c.Threshold, &c.LowPower, &c.HighPower, &c.RetainUntil, &purged, &c.Settings)
	if err != nil {
		return c, err
	}
	c.StartedAt, c.ClosedAt, c.RemindedAt, c.PurgedAt = store.Millis(started), store.Millis(closed), store.Millis(reminded), store.Millis(purged)
	return c, nil
}

// campaignScope is the condition on campaigns c the actor reads: those it
// sent, and those with a member in its reach.
func campaignScope(actor access.Actor) (string, []any) {
	f := access.FilterFor(actor, access.ResumeRead)
	switch f.Reach {
	case access.All:
		return "1 = 1", nil
	case access.None:
		return "1 = 0", nil
	}
	cond, args := audiencedb.MemberScope(actor, access.ResumeRead)
	return "(c.owner_id = ? OR EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = c.id AND m.removed_at = 0 AND " + cond + "))",
		append([]any{actor.UserID}, args...)
}

func campaign(ctx context.Context, h store.DB, actor access.Actor, id int64) (Campaign, error) {
	where, args := campaignScope(actor)
	list, err := store.Collect(ctx, h, scanCampaign, "SELECT "+campaignColumns+` FROM campaigns c
		JOIN resumption_campaigns r ON r.campaign_id = c.id WHERE c.id = ? AND `+where, append([]any{id}, args...)...)
	if err != nil {
		return Campaign{}, fmt.Errorf("campaign: %w", err)
	}
	if len(list) == 0 {
		return Campaign{}, fault.ErrNotFound
	}
	return list[0], nil
}

// Campaign reads a campaign the actor reads; one out of reach is not found.
func (s *Store) Campaign(ctx context.Context, actor access.Actor, id int64) (Campaign, error) {
	return campaign(ctx, s.engine.Reader(), actor, id)
}

// CampaignQuery selects campaigns.
type CampaignQuery struct {
	Kind  string
	State string
	Page  store.Page
}

// Campaigns lists the campaigns the actor reads, the running first, the
// newest first.
func (s *Store) Campaigns(ctx context.Context, actor access.Actor, q CampaignQuery) ([]Campaign, int, error) {
	where, args := campaignScope(actor)
	if q.Kind != "" {
		where += " AND r.kind = ?"
		args = append(args, q.Kind)
	}
	if q.State != "" {
		where += " AND c.state = ?"
		args = append(args, q.State)
	}
	return store.Paged(ctx, s.engine.Reader(), "campaigns", scanCampaign, campaignColumns,
		"FROM campaigns c JOIN resumption_campaigns r ON r.campaign_id = c.id", where, args,
		"CASE WHEN c.state = 'running' THEN 0 ELSE 1 END, c.started_at DESC, c.id DESC", q.Page)
}

// OfEnterprise lists the running campaigns an enterprise is on, for an
// actor who reads it.
func (s *Store) OfEnterprise(ctx context.Context, actor access.Actor, enterpriseID int64) ([]Campaign, error) {
	h := s.engine.Reader()
	if _, err := enterpriseFor(ctx, h, actor, enterpriseID, access.ResumeRead); err != nil {
		return nil, err
	}
	list, err := store.Collect(ctx, h, scanCampaign, "SELECT "+campaignColumns+` FROM campaigns c
		JOIN resumption_campaigns r ON r.campaign_id = c.id JOIN campaign_members m ON m.campaign_id = c.id
		WHERE m.enterprise_id = ? AND m.removed_at = 0 AND c.state = 'running' ORDER BY c.started_at DESC, c.id DESC LIMIT 50`, enterpriseID)
	return list, store.Wrap(err, "campaigns of an enterprise")
}

// enterpriseFor reads an enterprise the actor may take action on; one out
// of reach is not found, one seen but not acted on is forbidden.
func enterpriseFor(ctx context.Context, h store.DB, actor access.Actor, id int64, action access.Action) (enterprise.Enterprise, error) {
	e, err := h.EnterpriseByID(ctx, id)
	if err != nil {
		return e, err
	}
	t, err := h.TargetOf(ctx, actor, e)
	if err != nil {
		return e, err
	}
	return e, access.Check(actor, action, access.ResumeRead, t)
}

// onList checks that an enterprise is on a campaign's list (not taken off).
func onList(ctx context.Context, h store.DB, campaignID, enterpriseID int64) error {
	var n int
	if err := store.Scan(h.Row(ctx, `SELECT COUNT(*) FROM campaign_members WHERE campaign_id = ? AND enterprise_id = ? AND removed_at = 0`,
		campaignID, enterpriseID), &n); err != nil {
		return fmt.Errorf("on the list: %w", err)
	}
	if n == 0 {
		return fault.ErrNotFound
	}
	return nil
}

// campaignOf reads a campaign of the module without the reader's scope,
// for a use case that has checked the actor on the enterprise.
func campaignOf(ctx context.Context, h store.DB, id int64) (Campaign, error) {
	list, err := store.Collect(ctx, h, scanCampaign, "SELECT "+campaignColumns+` FROM campaigns c
		JOIN resumption_campaigns r ON r.campaign_id = c.id WHERE c.id = ?`, id)
	if err != nil {
		return Campaign{}, fmt.Errorf("campaign: %w", err)
	}
	if len(list) == 0 {
		return Campaign{}, fault.ErrNotFound
	}
	return list[0], nil
}
