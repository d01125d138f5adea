package appealdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb/fold"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
)

const appealColumns = `a.id, a.number, a.channel, a.type, a.category, a.standard_code, a.title, a.content, a.urgency,
	a.enterprise_id, e.credit_code, e.name, a.contact, a.phone, a.confidential, a.grid_code, a.state,
	COALESCE(a.case_id, 0), COALESCE(a.lead_department, 0), a.result, a.reply, a.rating, a.rating_note,
	a.redo_count, a.urge_count, a.raised_by, a.created_at, a.updated_at, a.closed_at, a.version,
	a.community_code, a.street_code, a.district_code, a.city_code, COALESCE(a.about_department, 0), a.source_ref, a.standard_version`

const appealFrom = ` FROM appeals a JOIN enterprises e ON e.id = a.enterprise_id`

// appealRow is an appeal with the place codes the policy needs.
type appealRow struct {
	appeal.Appeal
	place place.Ancestry
}

func scanAppeal(sc interface{ Scan(...any) error }) (appealRow, error) {
	var r appealRow
	a := &r.Appeal
	var created, updated, closed int64
	err := sc.Scan(&a.ID, &a.Number, &a.Channel, &a.Type, &a.Category, &a.StandardCode, &a.Title, &a.Content, &a.Urgency,
		&a.EnterpriseID, &a.CreditCode, &a.Enterprise, &a.Contact, &a.Phone, &a.Confidential, &a.GridCode, &a.State,
		&a.CaseID, &a.LeadID, &a.Result, &a.Reply, &a.Rating, &a.RatingNote,
		&a.RedoCount, &a.UrgeCount, &a.RaisedBy, &created, &updated, &closed, &a.Version,
		&r.place.Community, &r.place.Street, &r.place.District, &r.place.City, &a.About, &a.SourceRef, &a.StandardVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fault.ErrNotFound
	}
	r.place.Grid = a.GridCode
	a.CreatedAt, a.UpdatedAt = time.UnixMilli(created), time.UnixMilli(updated)
	a.ClosedAt = store.Millis(closed)
	return r, err
}

// appealScopeSQL turns an access filter into a condition on appeals a.
func appealScopeSQL(f access.Filter) (string, []any) {
	switch f.Reach {
	case access.All:
		return "1 = 1", nil
	case access.Region:
		return fold.AppealLevelColumn[f.Level] + " = ?", []any{f.Code}
	case access.Own:
		return "a.enterprise_id = ?", []any{f.EnterpriseID}
	case access.Assigned:
		return "(a.enterprise_id IN (SELECT enterprise_id FROM assignments WHERE user_id = ?) OR a.raised_by = ?)", []any{f.UserID, f.UserID}
	case access.Dispatched:
		return "a.id IN (SELECT appeal_id FROM appeal_dispatches WHERE department_id = ?)", []any{f.DepartmentID}
	}
	return "1 = 0", nil
}

// parties works out the actor's relations to an appeal, and whether the
// actor may see it at all.
func (h db) parties(ctx context.Context, actor access.Actor, r appealRow) ([]appeal.Party, bool, error) {
	t := access.Target{Place: r.place, EnterpriseID: r.EnterpriseID}
	switch actor.Role {
	case access.RoleCadre, access.RoleService:
		// A cadre's assignment list; a connected system has none: it sees
		// what it raised.
		var n int
		if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM assignments WHERE user_id = ? AND enterprise_id = ?",
			actor.UserID, r.EnterpriseID), &n); err != nil {
			return nil, false, err
		}
		t.Assigned = n > 0 || r.RaisedBy == actor.UserID
	case access.RoleDepartment:
		t.Dispatched = false
	}
	var parties []appeal.Party
	if actor.Role == access.RoleDepartment && actor.DepartmentID != 0 {
		rows, err := h.Query(ctx, "SELECT role, active FROM appeal_dispatches WHERE appeal_id = ? AND department_id = ?",
			r.ID, actor.DepartmentID)
		if err != nil {
			return nil, false, err
		}
		for rows.Next() {
			var role string
			var active bool
			if err := rows.Scan(&role, &active); err != nil {
				rows.Close()
				return nil, false, err
			}
			t.Dispatched = true
			if active {
				parties = append(parties, appeal.Party(role))
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, false, err
		}
	}
	if !access.Allows(actor, access.AppealRead, t) {
		return nil, false, nil
	}
	switch actor.Role {
	case access.RoleEnterprise:
		parties = append(parties, appeal.PartyEnterprise)
	case access.RoleGridWorker, access.RoleCommunityStaff:
		parties = append(parties, appeal.PartyCommunity)
	case access.RoleStreetLeader, access.RoleDistrictLeader, access.RoleCityLeader:
		parties = append(parties, appeal.PartyLeader)
	}
	if r.RaisedBy == actor.UserID && actor.Role != access.RoleEnterprise {
		parties = append(parties, appeal.PartyRaiser)
	}
	return parties, true, nil
}

// appealFor reads an appeal for actor with the actor's parties to it;
// fault.ErrNotFound when it does not exist or the actor may not see it.
func (h db) appealFor(ctx context.Context, actor access.Actor, id int64) (appealRow, []appeal.Party, error) {
	r, err := scanAppeal(h.Row(ctx, "SELECT "+appealColumns+appealFrom+" WHERE a.id = ?", id))
	if err != nil {
		return r, nil, err
	}
	parties, ok, err := h.parties(ctx, actor, r)
	if err == nil && !ok {
		err = fault.ErrNotFound
	}
	return r, parties, err
}

// Dispatch is one department's part in an appeal.
type Dispatch struct {
	ID           int64
	DepartmentID int64
	Department   string
	Role         appeal.Party // lead, assist or joint
	Status       appeal.DispatchStatus
	Instruction  string
	Due          time.Time
	SignedAt     time.Time
	Answer       string
	AnsweredAt   time.Time
	Reason       string
	Active       bool
	// OfficeID and Office are the department's office it went straight to (0, "": the department).
	OfficeID int64
	Office   string
}

// Event is one line of an appeal's timeline.
type Event struct {
	ID           int64
	At           time.Time
	ActorID      int64
	ActorName    string
	Role         access.Role
	Action       string
	From, To     appeal.State
	DepartmentID int64
	Department   string
	Note         string
	Detail       string
	Public       bool
}

// Extension is a request to move a dispatch's deadline.
type Extension struct {
	ID          int64
	DispatchID  int64
	RequestedAt time.Time
	Reason      string
	ProposedDue time.Time
	Status      appeal.ExtensionStatus
	DecidedAt   time.Time
	Note        string
}

// AppealView is one appeal as its page shows it to one actor.
type AppealView struct {
	appeal.Appeal
	Lead        string // lead department's name
	AboutName   string // a complaint's: the name of the department it is about
	Parties     []appeal.Party
	Actions     []appeal.Action
	Dispatches  []Dispatch
	Steps       []StepClock
	Events      []Event
	Extensions  []Extension
	Merged      []appeal.Appeal // appeals merged into this one
	Attachments []Attachment
}

// Appeal returns one appeal with its dispatches, clocks and timeline, as the
// actor may see it: the enterprise sees only the public events; a
// confidential appeal's contact is masked for departments.
func (s *Store) Appeal(ctx context.Context, actor access.Actor, id int64) (AppealView, error) {
	h := s.reader()
	r, parties, err := h.appealFor(ctx, actor, id)
	if err != nil {
		return AppealView{}, err
	}
	v := AppealView{Appeal: r.Appeal, Parties: parties, Actions: appeal.Available(r.State, parties)}
	// The contact's phone is personal information: a role without the
	// right to see it in full (leaders, departments) sees it masked, as it
	// sees the enterprise's; a confidential appeal's contact is masked for
	// departments by name too.
	if !access.May(actor.Role, access.PersonalView) {
		v.Phone = access.MaskPhone(v.Phone)
	}
	if actor.Role == access.RoleDepartment && v.Confidential {
		v.Contact = access.MaskName(v.Contact)
	}
	if v.LeadID != 0 {
		_ = store.Scan(h.Row(ctx, "SELECT name FROM departments WHERE id = ?", v.LeadID), &v.Lead)
	}
	if v.About != 0 {
		_ = store.Scan(h.Row(ctx, "SELECT name FROM departments WHERE id = ?", v.About), &v.AboutName)
	}
	if v.Dispatches, err = h.dispatches(ctx, id); err != nil {
		return v, err
	}
	var pendingExtension int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM appeal_extensions WHERE appeal_id = ? AND status = ?",
		id, string(appeal.ExtensionPending)), &pendingExtension); err != nil {
		return v, err
	}
	parts := make([]appeal.Part, len(v.Dispatches))
	for i, d := range v.Dispatches {
		parts[i] = appeal.Part{Department: d.DepartmentID, Role: d.Role, Status: d.Status, Active: d.Active}
	}
	v.Actions = appeal.Refine(v.Actions, actor.DepartmentID, parts, pendingExtension > 0)
	cal, err := s.engine.Calendar(ctx)
	if err != nil {
		return v, err
	}
	if v.Steps, err = h.steps(ctx, cal, s.now(), id); err != nil {
		return v, err
	}
	public := actor.Role == access.RoleEnterprise
	if v.Events, err = h.events(ctx, id, public); err != nil {
		return v, err
	}
	if !public {
		if v.Extensions, err = h.extensions(ctx, id); err != nil {
			return v, err
		}
	}
	if v.Attachments, err = h.attachments(ctx, id); err != nil {
		return v, err
	}
	rows, err := h.Query(ctx, "SELECT "+appealColumns+appealFrom+" WHERE a.case_id = ? ORDER BY a.id", id)
	if err != nil {
		return v, err
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanAppeal(rows)
		if err != nil {
			return v, err
		}
		if public && m.EnterpriseID != actor.EnterpriseID {
			continue
		}
		v.Merged = append(v.Merged, m.Appeal)
	}
	if err := rows.Err(); err != nil {
		return v, err
	}
	if public {
		v = v.ForEnterprise()
	}
	return v, nil
}

// ForEnterprise is the view as its enterprise sees it, by package appeal's
// rule (EnterpriseSees): the store answers an enterprise's user with it, and
// it is the one place that leaves out what the administration writes to
// itself. The timeline's lines are already the public ones.
func (v AppealView) ForEnterprise() AppealView {
	ds := make([]Dispatch, len(v.Dispatches))
	for i, d := range v.Dispatches {
		if !appeal.EnterpriseSees(d.Role, appeal.Instruction) {
			d.Instruction = ""
		}
		if !appeal.EnterpriseSees(d.Role, appeal.Reason) {
			d.Reason = ""
		}
		if !appeal.EnterpriseSees(d.Role, appeal.Answer) {
			d.Answer = ""
		}
		ds[i] = d
	}
	v.Dispatches = ds
	if !appeal.EnterpriseSeesExtensions {
		v.Extensions = nil
	}
	es := make([]Event, len(v.Events))
	for i, e := range v.Events {
		if !appeal.EnterpriseSeesStaffName(e.Role == access.RoleEnterprise) {
			e.ActorName = ""
		}
		// Who acted, by account, and the step's internal details (the
		// departments named, deadlines set) stay inside too.
		e.ActorID, e.Detail = 0, ""
		es[i] = e
	}
	v.Events = es
	return v
}

func (h db) dispatches(ctx context.Context, appealID int64) ([]Dispatch, error) {
	rows, err := h.Query(ctx, `SELECT p.id, p.department_id, d.name, p.role, p.status, p.instruction, p.due_at, p.signed_at,
		p.answer, p.answered_at, p.reason, p.active, p.office_id, COALESCE(o.name, '')
		FROM appeal_dispatches p JOIN departments d ON d.id = p.department_id
		LEFT JOIN department_offices o ON o.id = p.office_id WHERE p.appeal_id = ? ORDER BY p.id`, appealID)
	if err != nil {
		return nil, fmt.Errorf("read dispatches: %w", err)
	}
	defer rows.Close()
	var out []Dispatch
	for rows.Next() {
		var d Dispatch
		var due, signed, answered int64
		if err := rows.Scan(&d.ID, &d.DepartmentID, &d.Department, &d.Role, &d.Status, &d.Instruction, &due, &signed,
			&d.Answer, &answered, &d.Reason, &d.Active, &d.OfficeID, &d.Office); err != nil {
			return nil, err
		}
		d.Due, d.SignedAt, d.AnsweredAt = time.UnixMilli(due), store.Millis(signed), store.Millis(answered)
		out = append(out, d)
	}
	return out, rows.Err()
}

func (h db) steps(ctx context.Context, cal *calendar.Calendar, now time.Time, appealID int64) ([]StepClock, error) {
	rows, err := h.Query(ctx, `SELECT st.id, st.step, COALESCE(st.department_id, 0), COALESCE(d.name, ''), st.started_at, st.due_at,
		st.warn_at, st.done_at, st.paused_at, st.alert_level
		FROM appeal_steps st LEFT JOIN departments d ON d.id = st.department_id WHERE st.appeal_id = ? ORDER BY st.id`, appealID)
	if err != nil {
		return nil, fmt.Errorf("read steps: %w", err)
	}
	defer rows.Close()
	var out []StepClock
	for rows.Next() {
		var c StepClock
		var started, due, warn, done, paused int64
		if err := rows.Scan(&c.ID, &c.Step, &c.DepartmentID, &c.Department, &started, &due, &warn, &done, &paused, &c.AlertLevel); err != nil {
			return nil, err
		}
		c.Started, c.Due, c.Done, c.Paused = time.UnixMilli(started), time.UnixMilli(due), store.Millis(done), paused != 0
		end := now
		if done != 0 {
			end = c.Done
		}
		c.Used = cal.Used(c.Started, c.Due, end)
		if done == 0 && !c.Paused {
			c.Colour = colourOf(now, time.UnixMilli(warn), c.Due)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (h db) events(ctx context.Context, appealID int64, publicOnly bool) ([]Event, error) {
	q := `SELECT v.id, v.at, v.actor_id, v.actor_name, v.role, v.action, v.from_state, v.to_state, COALESCE(v.department_id, 0),
		COALESCE(d.name, ''), v.note, v.detail, v.public
		FROM appeal_events v LEFT JOIN departments d ON d.id = v.department_id WHERE v.appeal_id = ?`
	if publicOnly {
		q += " AND v.public = TRUE"
	}
	rows, err := h.Query(ctx, q+" ORDER BY v.id", appealID)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &e.Role, &e.Action, &e.From, &e.To, &e.DepartmentID,
			&e.Department, &e.Note, &e.Detail, &e.Public); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (h db) extensions(ctx context.Context, appealID int64) ([]Extension, error) {
	rows, err := h.Query(ctx, `SELECT id, dispatch_id, requested_at, reason, proposed_due, status, decided_at, decision_note
		FROM appeal_extensions WHERE appeal_id = ? ORDER BY id`, appealID)
	if err != nil {
		return nil, fmt.Errorf("read extensions: %w", err)
	}
	defer rows.Close()
	var out []Extension
	for rows.Next() {
		var x Extension
		var req, due, dec int64
		if err := rows.Scan(&x.ID, &x.DispatchID, &req, &x.Reason, &due, &x.Status, &dec, &x.Note); err != nil {
			return nil, err
		}
		x.RequestedAt, x.ProposedDue, x.DecidedAt = time.UnixMilli(req), time.UnixMilli(due), store.Millis(dec)
		out = append(out, x)
	}
	return out, rows.Err()
}
