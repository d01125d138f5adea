package appealdb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb/fold"
	"qifu/internal/dossier"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
)

// The queues of the pages: what each kind of user works from.
const (
	QueueAll      = ""         // everything in scope, newest first
	QueueTriage   = "triage"   // the community's open appeals: to accept, to decide, returned; by time left
	QueueToSign   = "to_sign"  // the department's dispatches waiting for its signature, by time left
	QueueInHand   = "in_hand"  // the department's signed dispatches and joint parts, by time left
	QueueOverdue  = "overdue"  // open appeals with a step past its deadline (the department's own, for department staff)
	QueueToRate   = "to_rate"  // the enterprise's replied appeals waiting for its rating
	QueueTracking = "tracking" // the enterprise's or raiser's open appeals
)

// AppealQuery selects appeals in a list.
type AppealQuery struct {
	Queue      string
	State      appeal.State
	Category   string
	Region     string // any region code
	Department int64  // appeals ever dispatched to this department
	Enterprise int64  // the appeals of this enterprise
	Text       string // part of the title or the number, or the enterprise's name
	SourceRef  string // the reference a connected system raised it with
	From, To   time.Time
	store.Page
}

// AppealRow is one line of an appeal list.
type AppealRow struct {
	ID         int64
	Number     string
	Title      string
	Type       appeal.Type
	Category   string
	Urgency    appeal.Urgency
	State      appeal.State
	Enterprise string
	Lead       string
	CreatedAt  time.Time
	Due        time.Time     // the nearest deadline of an open step (of the actor's department, in its queues)
	Colour     appeal.Colour // of that step: green, yellow, red; "" when nothing is open
	UrgeCount  int
	Version    int64
}

// appealSelection is a list query compiled to SQL.
type appealSelection struct {
	where    string
	args     []any
	stepCond string // narrows the clocks that give a row its deadline and colour
	stepArgs []any
	order    string
	empty    bool // the query can select nothing
	byName   bool // the text filter reads the enterprise's name
}

// countFrom is what a count reads: the appeals alone, unless a filter
// needs the enterprise (every appeal has one, so the join adds no rows).
func (sel appealSelection) countFrom() string {
	if sel.byName {
		return appealFrom
	}
	return " FROM appeals a"
}

// newestFirst is the order of the lists that are not work queues.
const newestFirst = "a.created_at DESC, a.id DESC"

// selection compiles q for actor at now.
func (q AppealQuery) selection(actor access.Actor, now int64) (appealSelection, error) {
	var sel appealSelection
	if !access.May(actor.Role, access.AppealRead) {
		return sel, access.ErrForbidden
	}
	filter := access.FilterFor(actor, access.AppealRead)
	scope, args := appealScopeSQL(filter)
	w := []string{scope}
	stepCond, stepArgs := "", []any{}
	order := newestFirst
	dept := actor.DepartmentID
	switch q.Queue {
	case QueueAll:
	case QueueTriage:
		// Open by both conditions: the first lets a leader's region start
		// from its open appeals (appeals_open_*) instead of every one of the
		// store's in these states (appeals_state), then each one's region.
		w = append(w, "a.state NOT IN ('closed', 'merged')", "a.state IN ('submitted', 'accepted', 'awaiting_info')")
		// The kept deadline (appeals.next_due): a community's or a grid's
		// page is read from its own index in order, not its whole backlog
		// sorted.
		order = "a.next_due, a.id"
	case QueueToSign, QueueInHand:
		if actor.Role != access.RoleDepartment || dept == 0 {
			return appealSelection{empty: true}, nil
		}
		// The statuses are written into the statement, not bound: SQLite
		// plans the lookup of the department's index by the values
		// themselves (a bound pair of the in-hand queue took twice as long
		// over a city's dispatches).
		// An office's staff take the dispatches to their office and those
		// to the department as a whole; the department's own staff, all.
		officeCond, officeArgs := "", []any(nil)
		if actor.OfficeID != 0 {
			officeCond, officeArgs = " AND office_id IN (0, ?)", []any{actor.OfficeID}
		}
		status := quoted(appeal.DispatchPending)
		if q.Queue == QueueInHand {
			status = quoted(appeal.DispatchSigned, appeal.DispatchCheckedIn)
		}
		// The queue's dispatches are the department's own, so they are within
		// its scope (every appeal ever dispatched to it): the queue's own
		// condition replaces the scope's, which would make the store read
		// all of those first.
		w[0] = "a.id IN (SELECT appeal_id FROM appeal_dispatches WHERE department_id = ? AND active = TRUE AND status IN (" +
			status + ")" + officeCond + ")"
		args = append([]any{dept}, officeArgs...)
		stepCond, stepArgs = " AND st.department_id = ?", []any{dept}
		order = "next_due, a.id"
	case QueueOverdue:
		switch {
		case actor.Role == access.RoleDepartment:
			// The department's own overdue steps, from its steps by deadline.
			w = append(w, "a.id IN (SELECT appeal_id FROM appeal_steps WHERE done_at = 0 AND paused_at = 0 AND due_at < ? AND department_id = ?)")
			args = append(args, now, dept)
			stepCond, stepArgs = " AND st.department_id = ?", []any{dept}
		case filter.Reach == access.Region || q.Region != "":
			// A region's: from its open appeals (appeals_open_*, or the
			// community's and grid's own indexes), each asked for an overdue
			// open step (appeal_steps_open), instead of every overdue step of
			// the store, which on a province is every region's stuck work. A
			// closed or merged appeal has no open step.
			w = append(w, "a.state NOT IN ('closed', 'merged')",
				"EXISTS (SELECT 1 FROM appeal_steps st WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0 AND st.due_at < ?)")
			args = append(args, now)
		default:
			// The whole store's: its overdue steps are the queue.
			w = append(w, "a.id IN (SELECT appeal_id FROM appeal_steps WHERE done_at = 0 AND paused_at = 0 AND due_at < ?)")
			args = append(args, now)
		}
		order = "next_due, a.id"
	case QueueToRate:
		w = append(w, "a.state = 'replied'")
		order = "next_due, a.id"
	case QueueTracking:
		w = append(w, "a.state NOT IN ('closed', 'merged')")
	default:
		return sel, fault.Fields{"queue": {Zh: "未知的列表", En: "unknown queue"}}.Err()
	}
	if q.State != "" {
		w = append(w, "a.state = ?")
		args = append(args, string(q.State))
	}
	if q.Category != "" {
		w = append(w, "(a.category = ? OR a.category LIKE ?)")
		args = append(args, q.Category, store.EscapeLike(q.Category)+".%")
	}
	if q.SourceRef != "" {
		w = append(w, "a.source_ref = ?")
		args = append(args, q.SourceRef)
	}
	if q.Enterprise != 0 {
		w = append(w, "a.enterprise_id = ?")
		args = append(args, q.Enterprise)
	}
	if q.Department != 0 {
		w = append(w, "a.id IN (SELECT appeal_id FROM appeal_dispatches WHERE department_id = ?)")
		args = append(args, q.Department)
	}
	if q.Region != "" {
		l := place.LevelOf(q.Region)
		if l == 0 {
			return appealSelection{empty: true}, nil
		}
		w = append(w, fold.AppealLevelColumn[l]+" = ?")
		args = append(args, q.Region)
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		like := "%" + store.EscapeLike(store.LowerASCII(t)) + "%"
		w = append(w, `(LOWER(a.title) LIKE ? ESCAPE '\' OR a.number LIKE ? ESCAPE '\' OR LOWER(e.name) LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like)
	}
	if !q.From.IsZero() {
		w = append(w, "a.created_at >= ?")
		args = append(args, q.From.UnixMilli())
	}
	if !q.To.IsZero() {
		w = append(w, "a.created_at < ?")
		args = append(args, q.To.UnixMilli())
	}
	return appealSelection{where: strings.Join(w, " AND "), args: args, stepCond: stepCond, stepArgs: stepArgs, order: order,
		byName: strings.TrimSpace(q.Text) != ""}, nil
}

// CountAppeals counts the appeals in the actor's scope that q selects, up
// to CountCap+1 ("more than CountCap").
func (s *Store) CountAppeals(ctx context.Context, actor access.Actor, q AppealQuery) (int, error) {
	sel, err := q.selection(actor, s.now().UnixMilli())
	if err != nil || sel.empty {
		return 0, err
	}
	return sel.count(ctx, s.reader().DB)
}

// CountCap is where a list's count stops: a count past it is CountCap+1,
// "more than CountCap" (the pages say 10,000+). A queue with a crisis's
// backlog costs its page, not a count of the whole backlog.
const CountCap = 10_000

// count counts the selection's appeals up to CountCap+1.
func (sel appealSelection) count(ctx context.Context, h store.DB) (int, error) {
	var total int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM (SELECT 1"+sel.countFrom()+" WHERE "+sel.where+" LIMIT ?) c",
		append(slices.Clip(sel.args), CountCap+1)...), &total); err != nil {
		return 0, fmt.Errorf("count appeals: %w", err)
	}
	return total, nil
}

// Appeals lists the appeals in the actor's scope that q selects, and how
// many there are, up to CountCap+1 ("more than CountCap").
func (s *Store) Appeals(ctx context.Context, actor access.Actor, q AppealQuery) ([]AppealRow, int, error) {
	now := s.now().UnixMilli()
	sel, err := q.selection(actor, now)
	if err != nil || sel.empty {
		return nil, 0, err
	}
	total, err := sel.count(ctx, s.reader().DB)
	if err != nil {
		return nil, 0, err
	}
	limit, offset := q.Page.Bounds()
	var out []AppealRow
	err = s.eachAppealRow(ctx, sel, now, limit, offset, func(r AppealRow) error {
		out = append(out, r)
		return nil
	})
	return out, total, err
}

// MaxExport bounds an export of appeals.
const MaxExport = 100000

// ExportAppeals calls fn with every appeal q selects in the actor's scope,
// in the list's order, up to MaxExport; the export is audited.
func (s *Store) ExportAppeals(ctx context.Context, actor access.Actor, q AppealQuery, fn func(AppealRow) error) error {
	now := s.now().UnixMilli()
	sel, err := q.selection(actor, now)
	if err != nil || sel.empty {
		return err
	}
	n := 0
	if err := s.eachAppealRow(ctx, sel, now, MaxExport, 0, func(r AppealRow) error { n++; return fn(r) }); err != nil {
		return err
	}
	s.engine.RecordOrLog(ctx, actor, "appeal.export", "appeals", "ok", map[string]any{"queue": q.Queue, "rows": n, "region": q.Region})
	return nil
}

// NoDeadline stands for "no open deadline" where one is sorted by: after
// every real one (the appeals.next_due of an appeal without an open step).
const NoDeadline = 1 << 62

// rowsSQL is the statement of a page of the selection's rows, with its
// arguments: each row's nearest open deadline and its warning time come from
// the index of open steps alone (migration 0018), which a closed appeal is
// not in; a paused step has none.
func (sel appealSelection) rowsSQL(limit, offset int) (string, []any) {
	query := `SELECT a.id, a.number, a.title, a.type, a.category, a.urgency, a.state, e.name, COALESCE(d.name, ''),
		a.created_at, a.urge_count, a.version,
		COALESCE((SELECT MIN(st.due_at) FROM appeal_steps st WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0` + sel.stepCond + `), ?) AS next_due,
		COALESCE((SELECT MIN(st.warn_at) FROM appeal_steps st WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0` + sel.stepCond + `), ?)
		` + appealFrom + ` LEFT JOIN departments d ON d.id = a.lead_department`
	if sel.order == newestFirst {
		// The page's appeals are chosen first, by their own columns, and only
		// theirs get their deadlines: a store works the columns out for every
		// row it sorts, which over a department's or a city's whole history
		// is most of the time.
		query += ` WHERE a.id IN (SELECT a.id` + sel.countFrom() + ` WHERE ` + sel.where + ` ORDER BY ` + newestFirst + ` LIMIT ? OFFSET ?)
		ORDER BY ` + newestFirst
	} else {
		query += ` WHERE ` + sel.where + ` ORDER BY ` + sel.order + ` LIMIT ? OFFSET ?`
	}
	var all []any
	all = append(all, sel.stepArgs...)
	all = append(all, NoDeadline)
	all = append(all, sel.stepArgs...)
	all = append(all, NoDeadline)
	all = append(all, sel.args...)
	all = append(all, limit, offset)
	return query, all
}

// eachAppealRow runs a compiled selection and calls fn for each row.
func (s *Store) eachAppealRow(ctx context.Context, sel appealSelection, now int64, limit, offset int, fn func(AppealRow) error) error {
	query, all := sel.rowsSQL(limit, offset)
	rows, err := s.reader().Query(ctx, query, all...)
	if err != nil {
		return fmt.Errorf("list appeals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r AppealRow
		var created, due, warn int64
		if err := rows.Scan(&r.ID, &r.Number, &r.Title, &r.Type, &r.Category, &r.Urgency, &r.State, &r.Enterprise, &r.Lead,
			&created, &r.UrgeCount, &r.Version, &due, &warn); err != nil {
			return err
		}
		r.CreatedAt = time.UnixMilli(created)
		if due != NoDeadline {
			r.Due = time.UnixMilli(due)
			r.Colour = colourOf(time.UnixMilli(now), time.UnixMilli(warn), r.Due)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// quoted lists statuses as SQL literals, for a condition the planner should
// see the values of. Only the package's own constants pass here.
func quoted(list ...appeal.DispatchStatus) string {
	q := make([]string, len(list))
	for i, st := range list {
		q[i] = "'" + string(st) + "'"
	}
	return strings.Join(q, ", ")
}

// Timeline is the appeal workflow's part of an enterprise's timeline (一企一档):
// its newest appeals the actor may read, each on the day it was raised,
// with its state now.
func (s *Store) Timeline(ctx context.Context, actor access.Actor, enterpriseID int64, limit int) ([]dossier.Entry, error) {
	if !access.May(actor.Role, access.AppealRead) {
		return nil, nil
	}
	rows, _, err := s.Appeals(ctx, actor, AppealQuery{Enterprise: enterpriseID, Page: store.Page{Size: limit}})
	if err != nil {
		return nil, err
	}
	out := make([]dossier.Entry, 0, len(rows))
	for _, r := range rows {
		out = append(out, dossier.Entry{At: r.CreatedAt, Module: "appeal", What: "tl.appeal", Status: "state." + string(r.State),
			Ref: r.Number, Title: r.Title, Href: fmt.Sprintf("/appeals/%d", r.ID)})
	}
	return out, nil
}
