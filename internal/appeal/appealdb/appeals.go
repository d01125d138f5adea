package appealdb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
)

const appealColumns = `a.id, a.number, a.channel, a.type, a.category, a.standard_code, a.title, a.content, a.urgency,
	a.enterprise_id, e.credit_code, e.name, a.contact, a.phone, a.confidential, a.grid_code, a.state,
	COALESCE(a.case_id, 0), COALESCE(a.lead_department, 0), a.result, a.reply, a.rating, a.rating_note,
	a.redo_count, a.urge_count, a.raised_by, a.created_at, a.updated_at, a.closed_at, a.version,
	a.community_code, a.street_code, a.district_code, a.city_code`

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
		&r.place.Community, &r.place.Street, &r.place.District, &r.place.City)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fault.ErrNotFound
	}
	r.place.Grid = a.GridCode
	a.CreatedAt, a.UpdatedAt = time.UnixMilli(created), time.UnixMilli(updated)
	if closed != 0 {
		a.ClosedAt = time.UnixMilli(closed)
	}
	return r, err
}

// appealLevelColumn is the appeals column holding the code of each level.
var appealLevelColumn = map[place.Level]string{
	place.City: "a.city_code", place.District: "a.district_code", place.Street: "a.street_code",
	place.Community: "a.community_code", place.Grid: "a.grid_code",
}

// appealScopeSQL turns an access filter into a condition on appeals a.
func appealScopeSQL(f access.Filter) (string, []any) {
	switch f.Reach {
	case access.All:
		return "1 = 1", nil
	case access.Region:
		return appealLevelColumn[f.Level] + " = ?", []any{f.Code}
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
	case access.RoleCadre:
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
		rows, err := h.Query(ctx, "SELECT role, active FROM appeal_dispatches WHERE appeal_id = ? AND department_id = ?", r.ID, actor.DepartmentID)
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
	Status       string       // pending, signed, returned, withdrawn, answered, checked_in, done
	Instruction  string
	Due          time.Time
	SignedAt     time.Time
	Answer       string
	AnsweredAt   time.Time
	Reason       string
	Active       bool
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
	Status      string // pending, approved, refused
	DecidedAt   time.Time
	Note        string
}

// AppealView is one appeal as its page shows it to one actor.
type AppealView struct {
	appeal.Appeal
	Lead        string // lead department's name
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
	if actor.Role == access.RoleDepartment && v.Confidential {
		v.Contact, v.Phone = access.MaskName(v.Contact), access.MaskPhone(v.Phone)
	}
	if v.LeadID != 0 {
		_ = store.Scan(h.Row(ctx, "SELECT name FROM departments WHERE id = ?", v.LeadID), &v.Lead)
	}
	if v.Dispatches, err = h.dispatches(ctx, id); err != nil {
		return v, err
	}
	var pendingExtension int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM appeal_extensions WHERE appeal_id = ? AND status = 'pending'", id), &pendingExtension); err != nil {
		return v, err
	}
	v.Actions = refineActions(v.Actions, actor, v.Dispatches, pendingExtension > 0)
	if actor.Role == access.RoleEnterprise {
		// What departments tell each other stays inside the administration.
		for i := range v.Dispatches {
			v.Dispatches[i].Instruction, v.Dispatches[i].Reason, v.Dispatches[i].Answer = "", "", ""
		}
	}
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
	return v, rows.Err()
}

// refineActions narrows the actions the lifecycle table allows to those the
// actor's own part allows now: a department signs or returns only a dispatch
// waiting for it, answers only one it has signed; an extension is decided
// only when one is pending and asked for only when none is.
func refineActions(actions []appeal.Action, actor access.Actor, ds []Dispatch, pendingExtension bool) []appeal.Action {
	mine := func(role appeal.Party, status ...string) bool {
		for _, d := range ds {
			if d.Active && d.DepartmentID == actor.DepartmentID && d.Role == role && slices.Contains(status, d.Status) {
				return true
			}
		}
		return false
	}
	var out []appeal.Action
	for _, a := range actions {
		ok := true
		switch a {
		case appeal.Sign, appeal.Return:
			ok = mine(appeal.PartyLead, "pending") || mine(appeal.PartyAssist, "pending")
		case appeal.AssistReply:
			ok = mine(appeal.PartyAssist, "signed")
		case appeal.Reply:
			ok = mine(appeal.PartyLead, "signed")
		case appeal.RequestExtension:
			ok = mine(appeal.PartyLead, "signed") && !pendingExtension
		case appeal.DecideExtension:
			ok = pendingExtension
		case appeal.JointCheckIn:
			ok = mine(appeal.PartyJoint, "pending")
		case appeal.JointPart:
			ok = mine(appeal.PartyJoint, "checked_in")
		}
		if ok {
			out = append(out, a)
		}
	}
	return out
}

func (h db) dispatches(ctx context.Context, appealID int64) ([]Dispatch, error) {
	rows, err := h.Query(ctx, `SELECT p.id, p.department_id, d.name, p.role, p.status, p.instruction, p.due_at, p.signed_at,
		p.answer, p.answered_at, p.reason, p.active
		FROM appeal_dispatches p JOIN departments d ON d.id = p.department_id WHERE p.appeal_id = ? ORDER BY p.id`, appealID)
	if err != nil {
		return nil, fmt.Errorf("read dispatches: %w", err)
	}
	defer rows.Close()
	var out []Dispatch
	for rows.Next() {
		var d Dispatch
		var due, signed, answered int64
		if err := rows.Scan(&d.ID, &d.DepartmentID, &d.Department, &d.Role, &d.Status, &d.Instruction, &due, &signed,
			&d.Answer, &answered, &d.Reason, &d.Active); err != nil {
			return nil, err
		}
		d.Due, d.SignedAt, d.AnsweredAt = time.UnixMilli(due), msTime(signed), msTime(answered)
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
		c.Started, c.Due, c.Done, c.Paused = time.UnixMilli(started), time.UnixMilli(due), msTime(done), paused != 0
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
		if publicOnly && e.Role != access.RoleEnterprise {
			e.ActorName = "" // staff names stay inside the administration
		}
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
		x.RequestedAt, x.ProposedDue, x.DecidedAt = time.UnixMilli(req), time.UnixMilli(due), msTime(dec)
		out = append(out, x)
	}
	return out, rows.Err()
}

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// Categories returns the category tree.
func (s *Store) Categories(ctx context.Context) (appeal.Categories, error) {
	return s.reader().categories(ctx)
}

func (h db) categories(ctx context.Context) (appeal.Categories, error) {
	rows, err := h.Query(ctx, "SELECT code, parent, name, name_en, departments FROM appeal_categories ORDER BY position")
	if err != nil {
		return nil, fmt.Errorf("read categories: %w", err)
	}
	defer rows.Close()
	var out appeal.Categories
	for rows.Next() {
		var c appeal.Category
		var depts string
		if err := rows.Scan(&c.Code, &c.Parent, &c.Name, &c.NameEn, &depts); err != nil {
			return nil, err
		}
		if depts != "" {
			c.Departments = strings.Split(depts, ",")
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// seedCategories writes the default category tree into an empty table.
func (t *Tx) seedCategories(ctx context.Context) error {
	var n int
	if err := store.Scan(t.db().Row(ctx, "SELECT COUNT(*) FROM appeal_categories"), &n); err != nil || n > 0 {
		return err
	}
	for i, c := range appeal.DefaultCategories() {
		if _, err := t.db().Exec(ctx, `INSERT INTO appeal_categories (code, parent, name, name_en, departments, position)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`, c.Code, c.Parent, c.Name, c.NameEn, strings.Join(c.Departments, ","), i); err != nil {
			return fmt.Errorf("seed categories: %w", err)
		}
	}
	return nil
}

// SeedCategories writes the default category tree when the store has none.
func (s *Store) SeedCategories(ctx context.Context) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.seedCategories(ctx); err != nil {
			return err
		}
		return tx.seedStandards(ctx)
	})
}

// ErrIdempotencyMismatch is the error for a reused idempotency key with a different body.
var ErrIdempotencyMismatch = fault.New(fault.Conflict, "idempotency_mismatch",
	"该幂等键已用于另一份不同的诉求", "this idempotency key was used for a different appeal")

// CreateAppeal raises an appeal for an enterprise in the actor's scope. A
// non-empty key makes the call idempotent per user: a retry with the same key
// and input returns the appeal first created (and replayed = true); the same
// key with a different input is refused.
func (s *Store) CreateAppeal(ctx context.Context, actor access.Actor, in appeal.Input, key string) (a appeal.Appeal, replayed bool, err error) {
	if !access.May(actor.Role, access.AppealCreate) {
		return a, false, access.ErrForbidden
	}
	in.Normalize()
	switch actor.Role {
	case access.RoleEnterprise:
		if in.Channel != appeal.ChannelAPI {
			in.Channel = appeal.ChannelWeb
		}
	case access.RoleCadre, access.RoleGridWorker, access.RoleCommunityStaff:
		// Entered on the enterprise's behalf: met on a visit unless it came by phone or to a desk.
		if in.Channel != appeal.ChannelHotline && in.Channel != appeal.ChannelWalkIn {
			in.Channel = appeal.ChannelVisit
		}
	}
	if len(key) > 100 {
		return a, false, fault.Fields{"idempotency_key": {Zh: "幂等键过长", En: "the idempotency key is too long"}}.Err()
	}
	body, _ := json.Marshal(in)
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	if key != "" {
		if a, found, err := s.replay(ctx, actor, key, hash); found || err != nil {
			return a, found, err
		}
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		return a, false, err
	}
	if in.StandardCode != "" {
		// An appeal under a service standard falls under its category unless told otherwise.
		stds, err := s.Standards(ctx)
		if err != nil {
			return a, false, err
		}
		st, ok := stds.Find(in.StandardCode)
		if !ok {
			return a, false, fault.Fields{"standard_code": {Zh: "服务标准不存在", En: "no such service standard"}}.Err()
		}
		if in.Category == "" {
			in.Category = st.Category
		}
	}
	if err := in.Validate(cats); err != nil {
		return a, false, err
	}
	cal, err := s.engine.Calendar(ctx)
	if err != nil {
		return a, false, err
	}
	now := s.now()
	var number string
	if s.engine.Postgres() {
		if number, err = s.takeNumber(ctx, now); err != nil {
			return a, false, err
		}
	}
	err = s.WithTx(ctx, func(tx *Tx) error {
		h := tx.db()
		var e enterprise.Enterprise
		err := store.Scan(h.Row(ctx, `SELECT id, name, grid_code, community_code, street_code, district_code, city_code
			FROM enterprises WHERE credit_code = ?`, in.CreditCode),
			&e.ID, &e.Name, &e.GridCode, &e.CommunityCode, &e.StreetCode, &e.DistrictCode, &e.CityCode)
		if fault.Is(err, fault.NotFound) {
			return fault.Fields{"credit_code": {Zh: "未找到该信用代码的企业", En: "no enterprise has this credit code"}}.Err()
		}
		if err != nil {
			return err
		}
		t, err := h.TargetOf(ctx, actor, e)
		if err != nil {
			return err
		}
		if !access.Allows(actor, access.AppealCreate, t) {
			return fault.Fields{"credit_code": {Zh: "未找到该信用代码的企业", En: "no enterprise has this credit code"}}.Err()
		}
		if !s.engine.Postgres() {
			if number, err = tx.takeNumber(ctx, now); err != nil {
				return err
			}
		}
		a = appeal.Appeal{Number: number, Channel: in.Channel, Type: in.Type, Category: in.Category, StandardCode: in.StandardCode,
			Title: in.Title, Content: in.Content, Urgency: in.Urgency, EnterpriseID: e.ID, CreditCode: in.CreditCode,
			Enterprise: e.Name, Contact: in.Contact, Phone: in.Phone, Confidential: in.Confidential, GridCode: e.GridCode,
			State: appeal.Submitted, RaisedBy: actor.UserID, CreatedAt: time.UnixMilli(now.UnixMilli()), Version: 1}
		a.UpdatedAt = a.CreatedAt
		if err := store.Scan(h.Row(ctx, `INSERT INTO appeals (number, channel, type, category, standard_code, title, content, urgency,
			enterprise_id, contact, phone, confidential, grid_code, community_code, street_code, district_code, city_code,
			state, raised_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.Number, string(a.Channel), string(a.Type), a.Category, a.StandardCode, a.Title, a.Content, string(a.Urgency),
			e.ID, a.Contact, a.Phone, a.Confidential, e.GridCode, e.CommunityCode, e.StreetCode, e.DistrictCode, e.CityCode,
			string(a.State), actor.UserID, now.UnixMilli(), now.UnixMilli()), &a.ID); err != nil {
			return fmt.Errorf("insert appeal: %w", err)
		}
		if key != "" {
			if _, err := h.Exec(ctx, `INSERT INTO appeal_idempotency (user_id, key, body_hash, appeal_id, created_at)
				VALUES (?, ?, ?, ?, ?)`, actor.UserID, key, hash, a.ID, now.UnixMilli()); err != nil {
				return fmt.Errorf("idempotency key: %w", err)
			}
		}
		limits, err := h.limitsOf(ctx, a)
		if err != nil {
			return err
		}
		c := clock{cal: cal, now: now, limits: limits}
		if _, err := tx.openStep(ctx, c, a.ID, appeal.StepAccept, 0, 0, time.Time{}); err != nil {
			return err
		}
		if err := tx.event(ctx, actor, a.ID, "create", "", appeal.Submitted, 0, "", nil, true); err != nil {
			return err
		}
		if err := tx.notifyCommunity(ctx, now, a.ID, "new", "新诉求待受理："+a.Title); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "appeal.create", "appeal/"+a.Number, "ok",
			map[string]any{"enterprise": e.ID, "channel": a.Channel, "type": a.Type, "category": a.Category})
	})
	if key != "" && fault.Is(err, fault.Conflict) && fault.As(err).Code == "duplicate" {
		// Another request with the same key committed first: answer as it did.
		if a, found, rerr := s.replay(ctx, actor, key, hash); found || rerr != nil {
			return a, found, rerr
		}
	}
	return a, false, err
}

// replay returns the appeal an idempotency key already created.
func (s *Store) replay(ctx context.Context, actor access.Actor, key, hash string) (appeal.Appeal, bool, error) {
	var stored string
	var id int64
	err := store.Scan(s.reader().Row(ctx, "SELECT body_hash, appeal_id FROM appeal_idempotency WHERE user_id = ? AND key = ?",
		actor.UserID, key), &stored, &id)
	if fault.Is(err, fault.NotFound) {
		return appeal.Appeal{}, false, nil
	}
	if err != nil {
		return appeal.Appeal{}, false, err
	}
	if stored != hash {
		return appeal.Appeal{}, false, ErrIdempotencyMismatch
	}
	v, err := s.Appeal(ctx, actor, id)
	return v.Appeal, err == nil, err
}

// numberZone is the zone appeal numbers are dated in.
var numberZone = calendar.Shanghai

// Appeal numbers are readable and dated, e.g. "SQ20261130-0001". SQLite has
// one writer and counts each day's numbers in a row of appeal_counters, in
// the creating transaction: no gaps. On PostgreSQL that row would be locked
// until the creating transaction's commit, and every creation of the day
// would wait for the one before it (dialect.numbersApart). There a number
// is a value of the sequence appeal_numbers less the day's base (the value
// before the day's first number, in appeal_number_bases), taken before the
// creating transaction: nobody waits, none is given twice, and a creation
// that fails leaves a gap.

// takeNumber takes the next appeal number of the day from the sequence (PostgreSQL).
func (s *Store) takeNumber(ctx context.Context, now time.Time) (string, error) {
	day := now.In(numberZone).Format("20060102")
	h := db{s.engine.Writer()}
	for range 3 {
		var v int64
		if err := store.Scan(h.Row(ctx, "SELECT nextval('appeal_numbers')"), &v); err != nil {
			return "", fmt.Errorf("appeal number: %w", err)
		}
		base, err := s.numberBase(ctx, h, day, v-1)
		if err != nil {
			return "", err
		}
		if v > base {
			return fmt.Sprintf("SQ%s-%04d", day, v-base), nil
		}
		// Taken before another instance set the day's base, just after
		// midnight: this value is below the day's numbers; take another.
	}
	return "", fmt.Errorf("appeal number: no value above the base of %s", day)
}

// numberBases remembers the bases of the days met (PostgreSQL).
type numberBases struct {
	mu   sync.Mutex
	base map[string]int64
}

// numberBase returns the day's base, setting it to candidate if the day has
// none yet. A day's base is set once, for every instance, and committed
// before any number uses it.
func (s *Store) numberBase(ctx context.Context, h db, day string, candidate int64) (int64, error) {
	s.bases.mu.Lock()
	defer s.bases.mu.Unlock()
	if b, ok := s.bases.base[day]; ok {
		return b, nil
	}
	var b int64
	if err := store.Scan(h.Row(ctx, `INSERT INTO appeal_number_bases (day, base) VALUES (?, ?)
		ON CONFLICT (day) DO UPDATE SET base = appeal_number_bases.base RETURNING base`, day, candidate), &b); err != nil {
		return 0, fmt.Errorf("appeal number base: %w", err)
	}
	if s.bases.base == nil || len(s.bases.base) > 7 {
		s.bases.base = map[string]int64{}
	}
	s.bases.base[day] = b
	return b, nil
}

// takeNumber takes the next appeal number of the day from the day's counter (SQLite).
func (t *Tx) takeNumber(ctx context.Context, now time.Time) (string, error) {
	day := now.In(numberZone).Format("20060102")
	var n int
	if err := store.Scan(t.db().Row(ctx, `INSERT INTO appeal_counters (day, n) VALUES (?, 1)
		ON CONFLICT (day) DO UPDATE SET n = appeal_counters.n + 1 RETURNING n`, day), &n); err != nil {
		return "", fmt.Errorf("appeal number: %w", err)
	}
	return fmt.Sprintf("SQ%s-%04d", day, n), nil
}

// event appends a line to an appeal's timeline.
func (t *Tx) event(ctx context.Context, actor access.Actor, appealID int64, action string, from, to appeal.State,
	deptID int64, note string, detail any, public bool) error {
	t.touch(appealID) // what writes an appeal's timeline may change its assessment figures
	return t.events(ctx, actor, []eventRow{{appealID: appealID, action: action, from: from, to: to, deptID: deptID,
		note: note, detail: detail}}, public)
}

// eventRow is one line of an appeal's timeline.
type eventRow struct {
	appealID, deptID int64
	action           string
	from, to         appeal.State
	note             string
	detail           any // JSON-encoded; nil for none
}

// eventRows bounds the lines of one INSERT.
const eventRows = 200

// events appends lines to the timelines of appeals, by one actor at once.
func (t *Tx) events(ctx context.Context, actor access.Actor, list []eventRow, public bool) error {
	at := t.s.now().UnixMilli()
	for batch := range slices.Chunk(list, eventRows) {
		args := make([]any, 0, 12*len(batch))
		for _, e := range batch {
			d := ""
			if e.detail != nil {
				b, err := json.Marshal(e.detail)
				if err != nil {
					return err
				}
				d = string(b)
			}
			args = append(args, e.appealID, at, actor.UserID, actor.Name, string(actor.Role), e.action, string(e.from), string(e.to),
				store.NullInt(e.deptID), e.note, d, public)
		}
		if _, err := t.db().Exec(ctx, `INSERT INTO appeal_events (appeal_id, at, actor_id, actor_name, role, action,
			from_state, to_state, department_id, note, detail, public) VALUES `+
			store.Tuples("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", len(batch)), args...); err != nil {
			return fmt.Errorf("appeal event: %w", err)
		}
	}
	return nil
}
