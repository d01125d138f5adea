package resumptiondb

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/resumption"
	"qifu/internal/store"
)

// The rates are counted by the database over the members in the reader's
// reach, each with its latest report up to the period asked (the formulas
// are package resumption's, which also recomputes them in the tests):
// a member without a report counts in every denominator and is listed.

// RateQuery selects the rates of a campaign.
type RateQuery struct {
	// Day is the day the rates are as of (YYYY-MM-DD; "" for today).
	Day string
	// By breaks the rates down: "district", "street", "community", "grid",
	// "industry", "size" ("" for none).
	By string
	// Region narrows the members to those under a region code.
	Region string
}

// RateRow is the rates of one part of the breakdown.
type RateRow struct {
	Key, Name, NameEn string
	Rates             resumption.Rates
}

// Breakdowns are the ways the rates break down.
var Breakdowns = []string{"district", "street", "community", "grid", "industry", "size"}

var byColumn = map[string]string{
	"district": "m.district_code", "street": "m.street_code", "community": "m.community_code", "grid": "m.grid_code",
	"industry": "COALESCE(w.industry, we.industry)", "size": "COALESCE(w.size, we.size)",
}

// latestJoin joins each member's latest report up to a period, and the
// weights of its rates: those frozen with the list (w) or, for an
// enterprise added to the list after it was frozen, its record's (we). Its
// two arguments are the campaign and the period. The one difference of
// the stores is here, each given the plan it runs fastest (BENCHMARKS.md
// §13): SQLite probes each member's latest period through the reports'
// unique index; PostgreSQL finds them once for the campaign, grouped.
func (s *Store) latestJoin() string {
	latest := `r.period = (SELECT MAX(x.period) FROM resumption_reports x
			WHERE x.campaign_id = ? AND x.enterprise_id = m.enterprise_id AND x.period <= ?)`
	grouped := ""
	if s.engine.Postgres() {
		grouped = `LEFT JOIN (SELECT x.enterprise_id, MAX(x.period) AS period FROM resumption_reports x
		WHERE x.campaign_id = ? AND x.period <= ? GROUP BY x.enterprise_id) l ON l.enterprise_id = m.enterprise_id`
		latest = "r.period = l.period"
	}
	return ` FROM campaign_members m JOIN enterprises we ON we.id = m.enterprise_id
	LEFT JOIN resumption_members w ON w.campaign_id = m.campaign_id AND w.enterprise_id = m.enterprise_id ` + grouped + `
	LEFT JOIN resumption_reports r ON r.campaign_id = m.campaign_id AND r.enterprise_id = m.enterprise_id AND ` + latest
}

func scanRates(dest *resumption.Rates) []any {
	return []any{&dest.Members, &dest.Reported, &dest.Resumed, &dest.Producing, &dest.Output, &dest.Normal, &dest.OnSite, &dest.Workers}
}

// periodAsOf is the campaign's period a day falls in, checked.
func periodAsOf(c Campaign, day string, now time.Time) (string, error) {
	if day == "" {
		return c.Period(now), nil
	}
	d, err := time.ParseInLocation(time.DateOnly, day, calendar.Shanghai)
	if err != nil {
		return "", fault.Fields{"day": {Zh: "日期格式应为 2026-03-31", En: "give the day as 2026-03-31"}}.Err()
	}
	return c.Period(d.Add(12 * time.Hour)), nil
}

// membersWhere is the condition on a campaign's members m in the actor's
// reach under a region.
func membersWhere(actor access.Actor, campaignID int64, region string) (string, []any) {
	cond, args := audiencedb.MemberScope(actor, access.ResumeRead)
	where := "m.campaign_id = ? AND m.removed_at = 0 AND " + cond
	args = append([]any{campaignID}, args...)
	if region != "" {
		if l := place.LevelOf(region); l != 0 {
			where += " AND " + audiencedb.MemberColumn(l) + " = ?"
			args = append(args, region)
		} else {
			where += " AND 1 = 0"
		}
	}
	return where, args
}

// Rates counts a monitoring campaign's rates as of a day over the members
// in the actor's reach, in total and broken down. The non-reporters are
// counted (Members − Reported), not listed here: Members lists them.
func (s *Store) Rates(ctx context.Context, actor access.Actor, campaignID int64, q RateQuery) (resumption.Rates, []RateRow, error) {
	var total resumption.Rates
	h := s.engine.Reader()
	c, err := campaign(ctx, h, actor, campaignID)
	if err != nil {
		return total, nil, err
	}
	if c.Kind != KindMonitoring {
		return total, nil, fault.ErrNotFound
	}
	period, err := periodAsOf(c, q.Day, s.engine.Now())
	if err != nil {
		return total, nil, err
	}
	where, args := membersWhere(actor, campaignID, q.Region)
	args = append([]any{campaignID, period}, args...)
	// One snapshot: the total and its parts count the same reports.
	var rows []RateRow
	err = s.engine.Snapshot(ctx, func(h store.DB) error {
		if err := store.Scan(h.Row(ctx, "SELECT "+sumsOrZero+s.latestJoin()+" WHERE "+where, args...), scanRates(&total)...); err != nil {
			return fmt.Errorf("rates: %w", err)
		}
		col, ok := byColumn[q.By]
		if !ok {
			return nil
		}
		rows, err = store.Collect(ctx, h, func(sc store.Scanner) (RateRow, error) {
			var r RateRow
			err := sc.Scan(append([]any{&r.Key}, scanRates(&r.Rates)...)...)
			return r, err
		}, "SELECT "+col+", "+sumsOrZero+s.latestJoin()+" WHERE "+where+" GROUP BY "+col+" ORDER BY "+col, args...)
		return err
	})
	if err != nil {
		return total, nil, store.Wrap(err, "rates")
	}
	if err := s.nameRows(ctx, actor, q.By, rows); err != nil {
		return total, nil, err
	}
	return total, rows, nil
}

// sumsOrZero are the sums, 0 over no members.
var sumsOrZero = `COUNT(*), COUNT(r.id),
	CAST(COALESCE(SUM(CASE WHEN r.resumed THEN 1 ELSE 0 END), 0) AS BIGINT),
	CAST(COALESCE(SUM(CASE WHEN r.resumed AND r.output_share > 0 THEN 1 ELSE 0 END), 0) AS BIGINT),
	CAST(COALESCE(SUM(CASE WHEN r.resumed THEN COALESCE(w.normal_output, we.revenue) * r.output_share / 10000 ELSE 0 END), 0) AS BIGINT),
	CAST(COALESCE(SUM(COALESCE(w.normal_output, we.revenue)), 0) AS BIGINT),
	CAST(COALESCE(SUM(CASE WHEN r.resumed THEN r.on_site ELSE 0 END), 0) AS BIGINT),
	CAST(COALESCE(SUM(CASE WHEN r.workers > 0 THEN r.workers ELSE COALESCE(w.workers, we.employees) END), 0) AS BIGINT)`

// nameRows names the parts of a breakdown.
func (s *Store) nameRows(ctx context.Context, actor access.Actor, by string, rows []RateRow) error {
	switch by {
	case "industry":
		for i := range rows {
			if d, ok := enterprise.DivisionByCode(rows[i].Key); ok {
				rows[i].Name, rows[i].NameEn = d.Zh, d.En
			}
		}
	case "size":
		for i := range rows {
			rows[i].Name, rows[i].NameEn = enterprise.SizeClass(rows[i].Key).Zh(), enterprise.SizeClass(rows[i].Key).En()
		}
	case "":
	default:
		if !access.May(actor.Role, access.RegionRead) {
			break // an enterprise reads its own part, named by its code
		}
		codes := make([]string, len(rows))
		for i, r := range rows {
			codes[i] = r.Key
		}
		names, err := s.engine.RegionNames(ctx, actor, codes)
		if err != nil {
			return err
		}
		for i := range rows {
			rows[i].Name = names[rows[i].Key]
		}
	}
	for i := range rows {
		if rows[i].Name == "" {
			rows[i].Name = rows[i].Key
		}
		if rows[i].NameEn == "" {
			rows[i].NameEn = rows[i].Name
		}
	}
	return nil
}

// DayRates are the rates of a day.
type DayRates struct {
	Day   string
	Rates resumption.Rates
}

// Series counts a daily campaign's rates for each day from its start to
// the day asked (at most the last 60 days), over the actor's reach.
func (s *Store) Series(ctx context.Context, actor access.Actor, campaignID int64, region string) ([]DayRates, error) {
	h := s.engine.Reader()
	c, err := campaign(ctx, h, actor, campaignID)
	if err != nil {
		return nil, err
	}
	if c.Kind != KindMonitoring || c.Schedule != resumption.Daily {
		return nil, nil
	}
	end := s.engine.Now()
	if c.State != "running" && !c.ClosedAt.IsZero() {
		end = c.ClosedAt
	}
	first := c.StartedAt.In(calendar.Shanghai)
	if end.Sub(first) > 60*24*time.Hour {
		first = end.In(calendar.Shanghai).AddDate(0, 0, -59)
	}
	// Day by day from the first day's midnight: the last day counts
	// whatever the hour the campaign started.
	first = time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, calendar.Shanghai)
	where, args := membersWhere(actor, campaignID, region)
	var out []DayRates
	for d := first; !d.After(end); d = d.AddDate(0, 0, 1) {
		day := d.In(calendar.Shanghai).Format(time.DateOnly)
		var r resumption.Rates
		if err := store.Scan(h.Row(ctx, "SELECT "+sumsOrZero+s.latestJoin()+" WHERE "+where, append([]any{campaignID, day}, args...)...), scanRates(&r)...); err != nil {
			return nil, fmt.Errorf("series: %w", err)
		}
		out = append(out, DayRates{Day: day, Rates: r})
	}
	return out, nil
}

// Member is a member of a campaign's list with its latest report.
type Member struct {
	EnterpriseID  int64
	Name          string
	CreditCode    string
	Grid          string
	GridCode      string
	NormalOutput  int64
	Workers       int
	Latest        string // the latest period reported, "" for none
	Resumed       bool
	OutputShare   int
	OnSite        int
	ReportWorkers int
}

// MemberQuery selects members.
type MemberQuery struct {
	Day    string
	Region string
	// Missing: only those that have not reported this period.
	Missing bool
	Page    store.Page
}

// Members lists a monitoring campaign's members in the actor's reach with
// their latest report up to the period; Missing lists those that have not
// reported the period (the non-reporters, counted and listed).
func (s *Store) Members(ctx context.Context, actor access.Actor, campaignID int64, q MemberQuery) ([]Member, int, error) {
	h := s.engine.Reader()
	c, err := campaign(ctx, h, actor, campaignID)
	if err != nil {
		return nil, 0, err
	}
	if c.Kind != KindMonitoring {
		return nil, 0, fault.ErrNotFound
	}
	period, err := periodAsOf(c, q.Day, s.engine.Now())
	if err != nil {
		return nil, 0, err
	}
	where, args := membersWhere(actor, campaignID, q.Region)
	args = append([]any{campaignID, period}, args...)
	if q.Missing {
		where += " AND (r.id IS NULL OR r.period <> ?)"
		args = append(args, period)
	}
	var total int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*)"+s.latestJoin()+" WHERE "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count members: %w", err)
	}
	limit, offset := q.Page.Bounds()
	list, err := store.Collect(ctx, h, func(sc store.Scanner) (Member, error) {
		var m Member
		err := sc.Scan(&m.EnterpriseID, &m.Name, &m.CreditCode, &m.Grid, &m.GridCode, &m.NormalOutput, &m.Workers, &m.Latest,
			&m.Resumed, &m.OutputShare, &m.OnSite, &m.ReportWorkers)
		return m, err
	}, `SELECT m.enterprise_id, e.name, e.credit_code, COALESCE(g.name, m.grid_code), m.grid_code,
		COALESCE(w.normal_output, we.revenue), COALESCE(w.workers, we.employees), COALESCE(r.period, ''), COALESCE(r.resumed, FALSE), COALESCE(r.output_share, 0), COALESCE(r.on_site, 0), COALESCE(r.workers, 0)`+
		s.latestJoin()+` JOIN enterprises e ON e.id = m.enterprise_id LEFT JOIN regions g ON g.code = m.grid_code
		WHERE `+where+" ORDER BY m.grid_code, e.name, m.enterprise_id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return list, total, store.Wrap(err, "list members")
}
