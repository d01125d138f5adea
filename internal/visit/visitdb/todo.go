package visitdb

import (
	"context"
	"fmt"
	"slices"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/todo"
	"qifu/internal/visit"
)

// The visits' part of every person's to-do list and of the enterprises'
// timelines.

// ConfirmWithin is how long an enterprise is asked to confirm a visit.
const ConfirmWithin = 7 * 24 * time.Hour

// PlanAhead is how far ahead the visit plan lists visits coming due.
const PlanAhead = 14 * 24 * time.Hour

// TodoKinds are the kinds of work the visits give a role: an enterprise
// confirms visits to it; a cadre's plan lists its enterprises due a visit;
// a street's or district's leaders answer the common problems sent to them.
func (s *Store) TodoKinds(role access.Role) []string {
	switch role {
	case access.RoleEnterprise:
		return []string{"visit.confirm"}
	case access.RoleCadre:
		return []string{"visit.due"}
	case access.RoleStreetLeader, access.RoleDistrictLeader:
		return []string{"topic.answer"}
	case access.RoleCommunityStaff:
		return []string{"serviceday.pending"}
	}
	return nil
}

// Todo lists the actor's open work of a kind, nearest due first.
func (s *Store) Todo(ctx context.Context, actor access.Actor, kind string, limit int) ([]todo.Item, int, error) {
	now := s.engine.Now()
	var items []todo.Item
	var err error
	switch {
	case kind == "visit.confirm" && actor.Role == access.RoleEnterprise && actor.EnterpriseID != 0:
		items, err = s.toConfirm(ctx, actor, now)
	case kind == "visit.due" && actor.Role == access.RoleCadre:
		items, err = s.plan(ctx, actor, now)
	case kind == "topic.answer" && actor.RegionCode != "":
		items, err = s.toAnswer(ctx, actor, now)
	case kind == "serviceday.pending" && access.May(actor.Role, access.ServiceDayRun):
		items, err = s.dayPending(ctx, actor, now)
	default:
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	todo.Sort(items) // ties broken by kind and reference, so that pages agree
	return items[:min(len(items), limit)], len(items), nil
}

func (s *Store) toConfirm(ctx context.Context, actor access.Actor, now time.Time) ([]todo.Item, error) {
	type row struct {
		id      int64
		on      string
		kind    string
		created int64
	}
	rows, err := store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.id, &r.on, &r.kind, &r.created)
	}, `SELECT id, visited_on, kind, created_at FROM visits WHERE enterprise_id = ? AND confirmed_at = 0 AND created_at >= ?
		ORDER BY created_at`, actor.EnterpriseID, now.Add(-4*ConfirmWithin).UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("visits to confirm: %w", err)
	}
	var out []todo.Item
	for _, r := range rows {
		due := store.Millis(r.created).Add(ConfirmWithin)
		out = append(out, todo.Item{Kind: "visit.confirm", Ref: Ref(r.id), Title: r.on, Href: fmt.Sprintf("/visits/%d", r.id),
			Due: due, Colour: colour(now, due, 2*24*time.Hour)})
	}
	return out, nil
}

// plan lists the cadre's enterprises due a visit within PlanAhead, by the
// plan's weeks for their key level, counted from their last visit by
// anyone (or from when the cadre took them on).
func (s *Store) plan(ctx context.Context, actor access.Actor, now time.Time) ([]todo.Item, error) {
	type row struct {
		id          int64
		name, level string
		last        string
		started     int64
	}
	rows, err := store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.id, &r.name, &r.level, &r.last, &r.started)
	}, `SELECT e.id, e.name, e.key_level, COALESCE(l.visited_on, ''), a.started_at FROM assignments a
		JOIN enterprises e ON e.id = a.enterprise_id LEFT JOIN visit_last l ON l.enterprise_id = e.id WHERE a.user_id = ?`, actor.UserID)
	if err != nil {
		return nil, fmt.Errorf("visit plan: %w", err)
	}
	var out []todo.Item
	for _, r := range rows {
		from := store.Millis(r.started).In(calendar.Shanghai)
		if r.last != "" {
			if t, err := time.ParseInLocation("2006-01-02", r.last, calendar.Shanghai); err == nil {
				from = t
			}
		}
		due := visit.DueAfter(enterprise.KeyLevel(r.level), from)
		if due.Sub(now) > PlanAhead {
			continue
		}
		out = append(out, todo.Item{Kind: "visit.due", Ref: fmt.Sprintf("E%d", r.id), Title: r.name, Enterprise: r.name,
			Href: fmt.Sprintf("/visits/new?enterprise=%d", r.id), Due: due, Colour: colour(now, due, 7*24*time.Hour)})
	}
	slices.SortFunc(out, func(a, b todo.Item) int { return a.Due.Compare(b.Due) })
	return out, nil
}

// toAnswer lists the open common problems sent to the actor's region.
func (s *Store) toAnswer(ctx context.Context, actor access.Actor, now time.Time) ([]todo.Item, error) {
	if !access.May(actor.Role, access.TopicAnswer) {
		return nil, nil
	}
	cols, cargs := topicColumns(actor)
	topics, err := store.Collect(ctx, s.engine.Reader(), scanTopic, "SELECT "+cols+topicFrom+
		" WHERE t.state = ? AND t.region_code = ? ORDER BY t.raised_at", append(cargs, visit.TopicOpen, actor.RegionCode)...)
	if err != nil {
		return nil, fmt.Errorf("topics to answer: %w", err)
	}
	var out []todo.Item
	for _, t := range topics {
		due := t.RaisedAt.Add(TopicWithin)
		out = append(out, todo.Item{Kind: "topic.answer", Ref: fmt.Sprintf("T%d", t.ID), Title: t.Title,
			Href: fmt.Sprintf("/topics/%d", t.ID), Due: due, Colour: colour(now, due, 3*24*time.Hour)})
	}
	return out, nil
}

// TopicWithin is how long a street or district has to answer a common problem.
const TopicWithin = 15 * 24 * time.Hour

// colour is a deadline's colour at now: red once past, yellow within warn.
func colour(now, due time.Time, warn time.Duration) string {
	switch {
	case !now.Before(due):
		return "red"
	case due.Sub(now) <= warn:
		return "yellow"
	}
	return "green"
}

// Ref is a visit's reference in lists: "V12".
func Ref(id int64) string { return fmt.Sprintf("V%d", id) }

// Timeline is the visits' part of an enterprise's timeline: the visits to
// it, for those who may read them.
func (s *Store) Timeline(ctx context.Context, actor access.Actor, enterpriseID int64, limit int) ([]dossier.Entry, error) {
	if !access.May(actor.Role, access.VisitRead) {
		return nil, nil
	}
	list, _, err := s.Visits(ctx, actor, VisitQuery{EnterpriseID: enterpriseID, Page: store.Page{Size: limit}})
	if err != nil {
		return nil, err
	}
	var out []dossier.Entry
	for _, v := range list {
		title := v.Recorder
		if v.Units > 1 {
			title = fmt.Sprintf("%s 等 %d 个单位", v.Recorder, v.Units)
		}
		at := v.CreatedAt
		if day, err := time.ParseInLocation("2006-01-02", v.On, calendar.Shanghai); err == nil && day.Before(at) {
			at = day.Add(12 * time.Hour) // a visit recorded later stands on its day
		}
		out = append(out, dossier.Entry{At: at, Module: "visit", What: "tl.visit." + string(v.Kind), Title: title,
			Href: fmt.Sprintf("/visits/%d", v.ID)})
	}
	return out, nil
}

// dayPending lists the service days held in the actor's region (today or
// before) with problems neither answered nor raised: each is due the day
// after the service day. A day held above the region (a street's, for a
// community's staff) is seen, not run: its problems are not the actor's to
// handle.
func (s *Store) dayPending(ctx context.Context, actor access.Actor, now time.Time) ([]todo.Item, error) {
	days, err := s.Days(ctx, actor)
	if err != nil {
		return nil, err
	}
	today := s.today()
	var out []todo.Item
	for _, d := range days {
		if d.On > today || d.Pending == 0 || !access.Allows(actor, access.ServiceDayRun, access.Target{Place: place.AncestryOf(d.RegionCode)}) {
			continue
		}
		day, err := time.ParseInLocation("2006-01-02", d.On, calendar.Shanghai)
		if err != nil {
			continue
		}
		due := day.AddDate(0, 0, 2)
		out = append(out, todo.Item{Kind: "serviceday.pending", Ref: fmt.Sprintf("D%d", d.ID), Title: fmt.Sprintf("%s（%d）", d.Title, d.Pending),
			Href: fmt.Sprintf("/service-days/%d", d.ID), Due: due, Colour: colour(now, due, 24*time.Hour)})
	}
	slices.SortFunc(out, func(a, b todo.Item) int { return a.Due.Compare(b.Due) })
	return out, nil
}
