package resumptiondb

// The module's part of every person's to-do list and of an enterprise's
// timeline, and the exceptions leaders see first: not reported, the
// electricity disagreeing, held up by a supplier, rectifications overdue —
// each the same records as a grid worker's or a department's to-dos.

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/dossier"
	"qifu/internal/fault"
	"qifu/internal/resumption"
	"qifu/internal/store"
	"qifu/internal/todo"
)

// TodoKinds are the kinds of work the module gives a role.
func (s *Store) TodoKinds(role access.Role) []string {
	switch role {
	case access.RoleEnterprise:
		return []string{"resumption.report", "resumption.finding"}
	case access.RoleGridWorker:
		return []string{"resumption.missing", "resumption.supplier", "resumption.power"}
	case access.RoleCommunityStaff:
		return []string{"resumption.late"}
	case access.RoleStreetLeader, access.RoleDistrictLeader:
		return []string{"resumption.restart"}
	case access.RoleDepartment:
		return []string{"resumption.rectify"}
	}
	return nil
}

func dueColour(deadline string, now time.Time) (time.Time, string) {
	f := Finding{Deadline: deadline, State: FindingOpen}
	d, err := time.ParseInLocation(time.DateOnly, deadline, calendar.Shanghai)
	if err != nil {
		return time.Time{}, ""
	}
	return d.Add(24*time.Hour - time.Second), f.Colour(now)
}

// periodEnd is the end of a campaign's current period (a day, a week, a
// month) and its colour: yellow on its last day, red past the due day.
func periodEnd(c Campaign, now time.Time) (time.Time, string) {
	t := now.In(calendar.Shanghai)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, calendar.Shanghai)
	var end time.Time
	switch c.Schedule {
	case resumption.Weekly:
		end = day.AddDate(0, 0, 8-int((day.Weekday()+6)%7+1))
	case resumption.Monthly:
		end = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, calendar.Shanghai)
	default:
		end = day.AddDate(0, 0, 1)
	}
	switch {
	case c.Late(now):
		return end, "red"
	case end.Sub(now) <= 24*time.Hour:
		return end, "yellow"
	}
	return end, "green"
}

// Todo lists the actor's open work of a kind.
func (s *Store) Todo(ctx context.Context, actor access.Actor, kind string, limit int) ([]todo.Item, int, error) {
	h := s.engine.Reader()
	now := s.engine.Now()
	var items []todo.Item
	var err error
	findingItem := func(sc store.Scanner) (todo.Item, error) {
		var id int64
		var note, name, deadline string
		err := sc.Scan(&id, &note, &name, &deadline)
		due, colour := dueColour(deadline, now)
		return todo.Item{Kind: kind, Ref: fmt.Sprintf("F%d", id), Title: clip(note, 40), Enterprise: name,
			Href: fmt.Sprintf("/resumption/findings/%d", id), Due: due, Colour: colour}, err
	}
	switch kind {
	case "resumption.report":
		if actor.EnterpriseID == 0 {
			return nil, 0, nil
		}
		list, err := s.OfEnterprise(ctx, actor, actor.EnterpriseID)
		if err != nil {
			return nil, 0, err
		}
		for _, c := range list {
			if c.Kind != KindMonitoring {
				continue
			}
			var n int
			if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM resumption_reports WHERE campaign_id = ? AND enterprise_id = ? AND period = ?",
				c.ID, actor.EnterpriseID, c.Period(now)), &n); err != nil {
				return nil, 0, err
			}
			if n == 0 {
				due, colour := periodEnd(c, now)
				items = append(items, todo.Item{Kind: kind, Ref: fmt.Sprintf("C%d", c.ID), Title: c.Title + " · " + c.Period(now),
					Href: fmt.Sprintf("/resumption/campaigns/%d/report", c.ID), Due: due, Colour: colour})
			}
		}
	case "resumption.finding":
		if actor.EnterpriseID == 0 {
			return nil, 0, nil
		}
		items, err = store.Collect(ctx, h, findingItem, `SELECT f.id, f.note, e.name, f.deadline FROM resumption_findings f
			JOIN enterprises e ON e.id = f.enterprise_id WHERE f.enterprise_id = ? AND f.state = 'open' ORDER BY f.deadline, f.id`, actor.EnterpriseID)
	case "resumption.late":
		cond, args := store.EnterpriseScope(actor, access.ResumeCheck)
		items, err = store.Collect(ctx, h, findingItem, `SELECT f.id, f.note, e.name, f.deadline FROM resumption_findings f
			JOIN enterprises e ON e.id = f.enterprise_id WHERE f.state = 'open' AND f.deadline < ? AND `+cond+` ORDER BY f.deadline, f.id`,
			append([]any{now.In(calendar.Shanghai).Format(time.DateOnly)}, args...)...)
	case "resumption.rectify":
		if actor.DepartmentID == 0 {
			return nil, 0, nil
		}
		items, err = store.Collect(ctx, h, findingItem, `SELECT f.id, f.note, e.name, f.deadline FROM resumption_findings f
			JOIN enterprises e ON e.id = f.enterprise_id WHERE f.state = 'open' AND f.kind = 'rectification' AND f.department_id = ?
			ORDER BY f.deadline, f.id`, actor.DepartmentID)
	case "resumption.supplier":
		cond, args := store.EnterpriseScopeAs("s", actor, access.ResumeCheck)
		items, err = store.Collect(ctx, h, func(sc store.Scanner) (todo.Item, error) {
			var id int64
			var lead, sup string
			var at int64
			err := sc.Scan(&id, &lead, &sup, &at)
			return todo.Item{Kind: kind, Ref: fmt.Sprintf("S%d", id), Title: lead, Enterprise: sup,
				Href: fmt.Sprintf("/resumption/blocks/%d", id)}, err
		}, `SELECT b.id, l.name, s.name, b.created_at FROM resumption_blocks b JOIN enterprises l ON l.id = b.enterprise_id
			JOIN enterprises s ON s.id = b.supplier_id WHERE b.state = 'open' AND `+cond+" ORDER BY b.created_at, b.id", args...)
	case "resumption.power":
		cond, args := store.EnterpriseScope(actor, access.ResumeCheck)
		items, err = store.Collect(ctx, h, func(sc store.Scanner) (todo.Item, error) {
			var id int64
			var name, month string
			err := sc.Scan(&id, &name, &month)
			return todo.Item{Kind: kind, Ref: fmt.Sprintf("P%d", id), Title: month, Enterprise: name,
				Href: fmt.Sprintf("/resumption/flags/%d", id)}, err
		}, `SELECT MIN(f.id), e.name, f.month FROM resumption_flags f JOIN enterprises e ON e.id = f.enterprise_id
			WHERE f.state = 'open' AND `+cond+" GROUP BY f.enterprise_id, e.name, f.month ORDER BY f.month, MIN(f.id)", args...)
	case "resumption.missing":
		list, _, err := s.Campaigns(ctx, actor, CampaignQuery{Kind: KindMonitoring, State: "running", Page: store.Page{Size: 20}})
		if err != nil {
			return nil, 0, err
		}
		for _, c := range list {
			_, n, err := s.Members(ctx, actor, c.ID, MemberQuery{Missing: true, Page: store.Page{Size: 1}})
			if err != nil {
				return nil, 0, err
			}
			if n > 0 {
				due, colour := periodEnd(c, now)
				items = append(items, todo.Item{Kind: kind, Ref: fmt.Sprintf("C%d", c.ID), Title: fmt.Sprintf("%d × %s", n, c.Title),
					Href: fmt.Sprintf("/resumption/campaigns/%d/members?missing=1", c.ID), Due: due, Colour: colour})
			}
		}
	case "resumption.restart":
		cond, args := store.EnterpriseScope(actor, access.ResumeDecide)
		where := "a.state = 'applied'"
		switch actor.Role {
		case access.RoleStreetLeader:
			where = "(a.state = 'applied' OR (a.state = 'checked' AND a.approver = 'street'))"
		case access.RoleDistrictLeader:
			where = "a.state = 'checked' AND a.approver = 'command'"
		}
		items, err = store.Collect(ctx, h, func(sc store.Scanner) (todo.Item, error) {
			var id int64
			var name, title string
			err := sc.Scan(&id, &name, &title)
			return todo.Item{Kind: kind, Ref: fmt.Sprintf("R%d", id), Title: title, Enterprise: name,
				Href: fmt.Sprintf("/resumption/restarts/%d", id)}, err
		}, `SELECT a.id, e.name, c.title FROM resumption_restarts a JOIN enterprises e ON e.id = a.enterprise_id
			JOIN campaigns c ON c.id = a.campaign_id WHERE `+where+" AND "+cond+" ORDER BY a.updated_at, a.id", args...)
	default:
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("to-do %s: %w", kind, err)
	}
	todo.Sort(items)
	n := len(items)
	if len(items) > limit {
		items = items[:limit]
	}
	return items, n, nil
}

// Exceptions are what a leader sees first of a monitoring campaign, in
// the reader's reach: each count with its first records.
type Exceptions struct {
	Campaign    Campaign
	Period      string
	NotReported []Member
	Missing     int
	Flags       []Flag
	FlagCount   int
	Blocks      []Block
	BlockCount  int
	Late        []Finding
	LateCount   int
}

// Exceptions reads a monitoring campaign's exceptions.
func (s *Store) Exceptions(ctx context.Context, actor access.Actor, campaignID int64) (Exceptions, error) {
	var x Exceptions
	c, err := s.Campaign(ctx, actor, campaignID)
	if err != nil {
		return x, err
	}
	if c.Kind != KindMonitoring {
		return x, fault.ErrNotFound
	}
	x.Campaign, x.Period = c, c.Period(s.engine.Now())
	first := store.Page{Size: 10}
	if x.NotReported, x.Missing, err = s.Members(ctx, actor, campaignID, MemberQuery{Missing: true, Page: first}); err != nil {
		return x, err
	}
	if x.Flags, x.FlagCount, err = s.Flags(ctx, actor, FlagQuery{CampaignID: campaignID, State: "open", Page: first}); err != nil {
		return x, err
	}
	if x.Blocks, x.BlockCount, err = s.Blocks(ctx, actor, BlockQuery{CampaignID: campaignID, State: "open", Page: first}); err != nil {
		return x, err
	}
	// The overdue rectifications and improvements of the members'
	// enterprises found since the campaign started.
	where, args := findingScope(actor)
	where += ` AND f.state = 'open' AND f.deadline < ? AND f.created_at >= ? AND f.enterprise_id IN
		(SELECT enterprise_id FROM campaign_members WHERE campaign_id = ? AND removed_at = 0)`
	args = append(args, s.engine.Now().In(calendar.Shanghai).Format(time.DateOnly), c.StartedAt.UnixMilli(), campaignID)
	h := s.engine.Reader()
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*)"+findingFrom+" WHERE "+where, args...), &x.LateCount); err != nil {
		return x, fmt.Errorf("late findings: %w", err)
	}
	x.Late, err = store.Collect(ctx, h, scanFinding, "SELECT "+findingColumns+findingFrom+" WHERE "+where+" ORDER BY f.deadline, f.id LIMIT 10", args...)
	return x, store.Wrap(err, "late findings")
}

// Timeline is the module's part of an enterprise's timeline: its reports'
// latest state, checks, findings and restart applications.
func (s *Store) Timeline(ctx context.Context, actor access.Actor, enterpriseID int64, limit int) ([]dossier.Entry, error) {
	h := s.engine.Reader()
	e, err := h.EnterpriseByID(ctx, enterpriseID)
	if err != nil {
		return nil, err
	}
	t, err := h.TargetOf(ctx, actor, e)
	if err != nil {
		return nil, err
	}
	if !access.Allows(actor, access.ResumeRead, t) {
		return nil, nil
	}
	type row struct {
		at          int64
		what, title string
		ref, href   string
	}
	scan := func(sc store.Scanner) (row, error) {
		var r row
		err := sc.Scan(&r.at, &r.what, &r.title, &r.ref, &r.href)
		return r, err
	}
	q := `SELECT MAX(r.at), 'tl.resumption.report', c.title, 'C' || CAST(c.id AS TEXT), '/resumption/campaigns/' || CAST(c.id AS TEXT) || '/report'
		FROM resumption_reports r JOIN campaigns c ON c.id = r.campaign_id WHERE r.enterprise_id = ? GROUP BY c.id, c.title
		UNION ALL SELECT k.at, 'tl.resumption.check', k.checklist, 'K' || CAST(k.id AS TEXT), '/resumption/enterprises/' || CAST(k.enterprise_id AS TEXT)
		FROM resumption_checks k WHERE k.enterprise_id = ?
		UNION ALL SELECT f.created_at, 'tl.resumption.finding', f.note, 'F' || CAST(f.id AS TEXT), '/resumption/findings/' || CAST(f.id AS TEXT)
		FROM resumption_findings f WHERE f.enterprise_id = ?
		UNION ALL SELECT a.updated_at, 'tl.resumption.restart', a.state, 'R' || CAST(a.id AS TEXT), '/resumption/restarts/' || CAST(a.id AS TEXT)
		FROM resumption_restarts a WHERE a.enterprise_id = ?
		ORDER BY 1 DESC LIMIT ?`
	rows, err := store.Collect(ctx, h, scan, q, enterpriseID, enterpriseID, enterpriseID, enterpriseID, limit)
	if err != nil {
		return nil, fmt.Errorf("resumption timeline: %w", err)
	}
	out := make([]dossier.Entry, len(rows))
	for i, r := range rows {
		out[i] = dossier.Entry{At: store.Millis(r.at), Module: "resumption", What: r.what, Ref: r.ref, Title: clip(r.title, 40), Href: r.href}
	}
	return out, nil
}
