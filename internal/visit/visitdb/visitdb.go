// Package visitdb keeps the visits to enterprises (走访), their teams and
// problems, the common problems (共性问题) sent up to a street or the
// district, and the enterprises' confirmations and ratings, on the store's
// engine; and answers the visit plan, the coverage of a region (三个全覆盖,
// the 90-day list, the enterprises visited too often) and the figures.
// Recording a visit is one transaction — the visit, its team, its problems,
// a new common problem, the facts seen (dossierdb.RecordTx), the audit —
// after which the problems to raise become appeals through the appeal
// workflow, each with an idempotency key, so that a retry raises none twice.
// The rules are package visit's.
package visitdb

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/calendar"
	"qifu/internal/dossier"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/visit"
)

// Store is the visits' part of the store.
type Store struct {
	engine  *store.Store
	appeals *appealdb.Store
}

// New builds the visits' store on the engine; problems raised as appeals go
// through appeals.
func New(engine *store.Store, appeals *appealdb.Store) *Store {
	engine.Register(store.Module{Name: "visits", Files: "visit_photos"})
	return &Store{engine: engine, appeals: appeals}
}

// today is the day in the district's zone.
func (s *Store) today() string { return s.engine.Now().In(calendar.Shanghai).Format("2006-01-02") }

// target reads an enterprise the actor may take action on, or not found.
func target(ctx context.Context, h store.DB, actor access.Actor, action access.Action, id int64) (enterprise.Enterprise, error) {
	cond, args := store.EnterpriseScope(actor, action)
	var e enterprise.Enterprise
	var key string
	err := store.Scan(h.Row(ctx, `SELECT e.id, e.credit_code, e.name, e.contact, e.phone, e.grid_code, e.community_code, e.street_code,
		e.district_code, e.city_code, e.key_level FROM enterprises e WHERE e.id = ? AND `+cond, append([]any{id}, args...)...),
		&e.ID, &e.CreditCode, &e.Name, &e.Contact, &e.Phone, &e.GridCode, &e.CommunityCode, &e.StreetCode, &e.DistrictCode, &e.CityCode, &key)
	e.KeyLevel = enterprise.KeyLevel(key)
	return e, err
}

// appealInput is the appeal a problem raised on a visit becomes.
func appealInput(e enterprise.Enterprise, p visit.Problem) appeal.Input {
	title := []rune(p.Text)
	if len(title) > 30 {
		title = append(title[:29], '…')
	}
	in := appeal.Input{Channel: appeal.ChannelVisit, Type: appeal.TypeHelp, Category: p.Category, Title: string(title),
		Content: p.Text, CreditCode: e.CreditCode, Contact: e.Contact, Phone: e.Phone}
	in.Normalize()
	return in
}

// Record records a visit to an enterprise in the actor's reach, then raises
// its problems marked as appeals. A non-empty key makes it idempotent per
// recorder: a retry returns the visit first recorded (and raises what is
// still to raise). If raising an appeal fails the visit stays recorded and
// the error says so; RaisePending raises the rest.
func (s *Store) Record(ctx context.Context, actor access.Actor, v visit.Visit, key string) (visit.Visit, error) {
	if !access.May(actor.Role, access.VisitRecord) {
		return v, access.ErrForbidden
	}
	if len(key) > 100 {
		return v, fault.Fields{"idempotency_key": {Zh: "幂等键过长", En: "the idempotency key is too long"}}.Err()
	}
	if key != "" {
		var id int64
		err := store.Scan(s.engine.Reader().Row(ctx, "SELECT id FROM visits WHERE recorded_by = ? AND idem_key = ?", actor.UserID, key), &id)
		if err == nil {
			return s.raisePending(ctx, actor, id)
		} else if !fault.Is(err, fault.NotFound) {
			return v, err
		}
	}
	if err := v.Check(s.today()); err != nil {
		return v, err
	}
	cats, err := s.appeals.Categories(ctx)
	if err != nil {
		return v, err
	}
	e, err := target(ctx, s.engine.Reader(), actor, access.VisitRecord, v.EnterpriseID)
	if err != nil {
		return v, err
	}
	f := fault.Fields{}
	for i, p := range v.Problems {
		if _, ok := cats.Find(p.Category); !ok {
			f.Add(fmt.Sprintf("problems.%d.category", i), "问题分类不存在", "no such category")
		} else if p.Outcome == visit.Raised {
			// Checked before anything is recorded: what the appeal needs of the enterprise.
			if err := appealInput(e, p).Validate(cats); err != nil {
				if fe := fault.As(err); fe != nil {
					for field := range fe.Fields {
						if field == "contact" || field == "phone" {
							f.Add(fmt.Sprintf("problems.%d.outcome", i), "企业缺少联系人或手机号，请先补全企业信息再转为诉求",
								"the enterprise has no contact or mobile number: complete its record before raising an appeal")
							break
						}
					}
				}
			}
		}
	}
	if err := checkPhotos(v.Photos, 0); err != nil {
		f["photos"] = fault.As(err).Fields["photos"]
	}
	if err := f.Err(); err != nil {
		return v, err
	}
	v.Enterprise, v.RecordedBy, v.Recorder = e.Name, actor.UserID, actor.Name
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		now := tx.Now()
		v.CreatedAt, v.Version = time.UnixMilli(now.UnixMilli()), 1
		situation, _ := json.Marshal(v.Situation)
		if err := store.Scan(h.Row(ctx, `INSERT INTO visits (enterprise_id, grid_code, community_code, street_code, district_code, city_code,
			kind, visited_on, recorded_by, units, no_change, note, situation, problems, created_at, idem_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.ID, e.GridCode, e.CommunityCode, e.StreetCode, e.DistrictCode, e.CityCode, string(v.Kind), v.On, actor.UserID,
			v.Units, v.NoChange, v.Note, string(situation), len(v.Problems), now.UnixMilli(), key), &v.ID); err != nil {
			return fmt.Errorf("insert visit: %w", err)
		}
		for i, p := range v.Visitors {
			if _, err := h.Exec(ctx, "INSERT INTO visit_visitors (visit_id, position, user_id, name, unit) VALUES (?, ?, ?, ?, ?)",
				v.ID, i, p.UserID, p.Name, p.Unit); err != nil {
				return fmt.Errorf("insert visitor: %w", err)
			}
		}
		for i := range v.Problems {
			p := &v.Problems[i]
			if p.Outcome == visit.Common {
				if err := s.topicFor(ctx, tx, actor, e, p); err != nil {
					if fe := fault.As(err); fe != nil && fe.Kind == fault.Invalid && fe.Fields == nil {
						return fault.Fields{fmt.Sprintf("problems.%d.topic_id", i): fe.Message}.Err()
					}
					return err
				}
			}
			if err := store.Scan(h.Row(ctx, `INSERT INTO visit_problems (visit_id, enterprise_id, position, text, category, outcome, action, topic_id)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, v.ID, e.ID, i, p.Text, p.Category, string(p.Outcome), p.Action, p.TopicID), &p.ID); err != nil {
				return fmt.Errorf("insert problem: %w", err)
			}
		}
		if err := insertPhotos(ctx, tx, actor, v.ID, v.Photos); err != nil {
			return err
		}
		if _, err := h.Exec(ctx, `INSERT INTO visit_last (enterprise_id, visit_id, visited_on) VALUES (?, ?, ?)
			ON CONFLICT (enterprise_id) DO UPDATE SET visit_id = excluded.visit_id, visited_on = excluded.visited_on
			WHERE excluded.visited_on >= visit_last.visited_on`, e.ID, v.ID, v.On); err != nil {
			return fmt.Errorf("last visit: %w", err)
		}
		if err := s.recordFacts(ctx, tx, actor, e.ID, v); err != nil {
			return err
		}
		if err := tx.Notify(ctx, enterpriseUsers(e.ID), "visit.confirm", "/visits/"+strconv.FormatInt(v.ID, 10),
			"请确认 "+v.On+" 的走访并评价"); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "visit.record", fmt.Sprintf("visit/%d", v.ID), "ok",
			map[string]any{"enterprise": e.ID, "kind": v.Kind, "on": v.On, "units": v.Units, "problems": len(v.Problems)})
	})
	if err != nil {
		v.ID = 0 // rolled back
		if key != "" && fault.Is(err, fault.Conflict) {
			var id int64
			if store.Scan(s.engine.Reader().Row(ctx, "SELECT id FROM visits WHERE recorded_by = ? AND idem_key = ?", actor.UserID, key), &id) == nil {
				return s.raisePending(ctx, actor, id) // a concurrent retry recorded it first
			}
		}
		return v, err
	}
	return s.raisePending(ctx, actor, v.ID)
}

// recordFacts records the situation seen as facts of the enterprise's file,
// those that differ from what the file holds, with the visitors' source.
func (s *Store) recordFacts(ctx context.Context, tx *store.Tx, actor access.Actor, id int64, v visit.Visit) error {
	if v.NoChange {
		return nil
	}
	current, err := dossierdb.CurrentOf(ctx, tx.DB(), id, []string{"operation", "orders", "employees"})
	if err != nil {
		return err
	}
	var facts []dossier.Fact
	add := func(kind string, num int64, text string) {
		if last, ok := dossier.Latest(current, kind); ok && last.Num == num && last.Text == text {
			return // as on file: reported once
		}
		facts = append(facts, dossier.Fact{EnterpriseID: id, Kind: kind, Period: v.On, Num: num, Text: text,
			Source: dossier.Staff, Ref: fmt.Sprintf("visit:%d", v.ID)})
	}
	if v.Situation.Operation != "" {
		add("operation", 0, v.Situation.Operation)
	}
	if v.Situation.Orders != "" {
		add("orders", 0, v.Situation.Orders)
	}
	if v.Situation.Employees > 0 {
		add("employees", int64(v.Situation.Employees), "")
	}
	if len(facts) == 0 {
		return nil
	}
	_, err = dossierdb.RecordTx(ctx, tx, actor, facts)
	return err
}

// topicFor puts a common problem under its topic: an open one in the
// enterprise's street or district (p.TopicID), or a new one sent to its
// street (p.TopicTitle).
func (s *Store) topicFor(ctx context.Context, tx *store.Tx, actor access.Actor, e enterprise.Enterprise, p *visit.Problem) error {
	h := tx.DB()
	if p.TopicID != 0 {
		var state string
		err := store.Scan(h.Row(ctx, "SELECT state FROM common_topics WHERE id = ? AND region_code IN (?, ?)",
			p.TopicID, e.StreetCode, e.DistrictCode), &state)
		if fault.Is(err, fault.NotFound) || err == nil && state != visit.TopicOpen {
			return fault.New(fault.Invalid, "topic", "该共性问题不存在、已答复或不属于本企业所在街道和区", "no such open common problem for the enterprise's street or district")
		}
		return err
	}
	now := tx.Now().UnixMilli()
	if err := store.Scan(h.Row(ctx, `INSERT INTO common_topics (title, detail, category, region_code, level, state, raised_by, raised_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.TopicTitle, p.Text, p.Category, e.StreetCode, int(place.Street),
		visit.TopicOpen, actor.UserID, now), &p.TopicID); err != nil {
		return fmt.Errorf("insert topic: %w", err)
	}
	if err := tx.Notify(ctx, regionLeaders(e.StreetCode), "topic.new", fmt.Sprintf("/topics/%d", p.TopicID), "新的共性问题："+p.TopicTitle); err != nil {
		return err
	}
	return tx.Record(ctx, actor, "topic.raise", fmt.Sprintf("topic/%d", p.TopicID), "ok", map[string]any{"region": e.StreetCode, "title": p.TopicTitle})
}

// enterpriseUsers are the enterprise's own accounts, for a notice.
func enterpriseUsers(id int64) store.Recipients {
	return store.Recipients{Query: "SELECT id FROM users WHERE enterprise_id = ? AND disabled = FALSE", Args: []any{id}}
}

// regionLeaders are the leaders of a region, for a notice.
func regionLeaders(code string) store.Recipients {
	return store.Recipients{Query: "SELECT id FROM users WHERE region_code = ? AND role IN (?, ?) AND disabled = FALSE",
		Args: []any{code, string(access.RoleStreetLeader), string(access.RoleDistrictLeader)}}
}

// RaisePending raises the problems of a visit marked as appeals and not
// raised yet (after a failure), and returns the visit.
func (s *Store) RaisePending(ctx context.Context, actor access.Actor, id int64) (visit.Visit, error) {
	if !access.May(actor.Role, access.VisitRecord) {
		return visit.Visit{}, access.ErrForbidden
	}
	return s.raisePending(ctx, actor, id)
}

func (s *Store) raisePending(ctx context.Context, actor access.Actor, id int64) (visit.Visit, error) {
	v, err := s.Visit(ctx, actor, id)
	if err != nil {
		return v, err
	}
	var e enterprise.Enterprise
	for i := range v.Problems {
		p := &v.Problems[i]
		if p.Outcome != visit.Raised || p.AppealID != 0 {
			continue
		}
		if e.ID == 0 {
			if e, err = target(ctx, s.engine.Reader(), actor, access.VisitRecord, v.EnterpriseID); err != nil {
				return v, err
			}
		}
		a, _, err := s.appeals.CreateAppeal(ctx, actor, appealInput(e, *p), fmt.Sprintf("visit:%d:%d", v.ID, p.ID))
		if err != nil {
			return v, fmt.Errorf("raise the appeal of problem %d: %w", i+1, err)
		}
		if _, err := s.engine.Writer().Exec(ctx, "UPDATE visit_problems SET appeal_id = ? WHERE id = ? AND appeal_id = 0", a.ID, p.ID); err != nil {
			return v, fmt.Errorf("link appeal: %w", err)
		}
		p.AppealID = a.ID
	}
	return v, nil
}

// visitColumns are a visit's columns, for scanVisit.
const visitColumns = `v.id, v.enterprise_id, e.name, v.kind, v.visited_on, v.no_change, v.situation, v.note, v.recorded_by,
	COALESCE(u.name, ''), v.units, v.confirmed_at, v.rating, v.rating_note, v.rating_via, v.created_at, v.version`

const visitFrom = ` FROM visits v JOIN enterprises e ON e.id = v.enterprise_id LEFT JOIN users u ON u.id = v.recorded_by`

func scanVisit(sc store.Scanner) (visit.Visit, error) {
	var v visit.Visit
	var situation, feedback string
	var confirmed, created int64
	err := sc.Scan(&v.ID, &v.EnterpriseID, &v.Enterprise, &v.Kind, &v.On, &v.NoChange, &situation, &v.Note, &v.RecordedBy,
		&v.Recorder, &v.Units, &confirmed, &feedback, &v.FeedbackNote, &v.FeedbackVia, &created, &v.Version)
	if err != nil {
		return v, err
	}
	_ = json.Unmarshal([]byte(situation), &v.Situation)
	v.Feedback = visit.Feedback(feedback)
	v.ConfirmedAt, v.CreatedAt = store.Millis(confirmed), store.Millis(created)
	return v, nil
}

// Visit returns a visit in the actor's reach, with its team and problems.
func (s *Store) Visit(ctx context.Context, actor access.Actor, id int64) (visit.Visit, error) {
	h := s.engine.Reader()
	cond, args := store.EnterpriseScope(actor, access.VisitRead)
	list, err := store.Collect(ctx, h, scanVisit, "SELECT "+visitColumns+visitFrom+" WHERE v.id = ? AND "+cond, append([]any{id}, args...)...)
	if err != nil {
		return visit.Visit{}, err
	}
	if len(list) == 0 {
		return visit.Visit{}, fault.ErrNotFound
	}
	v := list[0]
	if v.Visitors, err = store.Collect(ctx, h, func(sc store.Scanner) (visit.Visitor, error) {
		var p visit.Visitor
		return p, sc.Scan(&p.UserID, &p.Name, &p.Unit)
	}, "SELECT user_id, name, unit FROM visit_visitors WHERE visit_id = ? ORDER BY position", id); err != nil {
		return v, err
	}
	v.Problems, err = store.Collect(ctx, h, func(sc store.Scanner) (visit.Problem, error) {
		var p visit.Problem
		var outcome string
		err := sc.Scan(&p.ID, &p.Text, &p.Category, &outcome, &p.Action, &p.AppealID, &p.TopicID, &p.TopicTitle)
		p.Outcome = visit.Outcome(outcome)
		return p, err
	}, `SELECT p.id, p.text, p.category, p.outcome, p.action, p.appeal_id, p.topic_id, COALESCE(t.title, '')
		FROM visit_problems p LEFT JOIN common_topics t ON t.id = p.topic_id WHERE p.visit_id = ? ORDER BY p.position`, id)
	if err != nil {
		return v, err
	}
	v.Photos, err = store.Collect(ctx, h, scanPhoto, "SELECT id, name, mime, size, sha256 FROM visit_photos WHERE visit_id = ? ORDER BY id", id)
	return v, err
}

// VisitQuery selects visits.
type VisitQuery struct {
	EnterpriseID int64  // one enterprise's
	Region       string // under a region
	Mine         bool   // those the actor recorded or went on
	Page         store.Page
}

// Visits lists visits in the actor's reach, newest first, and how many.
func (s *Store) Visits(ctx context.Context, actor access.Actor, q VisitQuery) ([]visit.Visit, int, error) {
	if !access.May(actor.Role, access.VisitRead) {
		return nil, 0, access.ErrForbidden
	}
	cond, args := store.EnterpriseScope(actor, access.VisitRead)
	where := []string{cond}
	if q.EnterpriseID != 0 {
		where, args = append(where, "v.enterprise_id = ?"), append(args, q.EnterpriseID)
	}
	if q.Region != "" {
		col, ok := visitLevelColumn[place.LevelOf(q.Region)]
		if !ok {
			return nil, 0, nil
		}
		where, args = append(where, col+" = ?"), append(args, q.Region)
	}
	if q.Mine {
		where = append(where, "(v.recorded_by = ? OR v.id IN (SELECT visit_id FROM visit_visitors WHERE user_id = ?))")
		args = append(args, actor.UserID, actor.UserID)
	}
	w := strings.Join(where, " AND ")
	var total int
	if err := store.Scan(s.engine.Reader().Row(ctx, "SELECT COUNT(*)"+visitFrom+" WHERE "+w, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count visits: %w", err)
	}
	limit, offset := q.Page.Bounds()
	list, err := store.Collect(ctx, s.engine.Reader(), scanVisit, "SELECT "+visitColumns+visitFrom+" WHERE "+w+
		" ORDER BY v.visited_on DESC, v.id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil || len(list) == 0 {
		return list, total, err
	}
	return list, total, s.teamsAndProblems(ctx, list)
}

// teamsAndProblems fills in the teams and problems of a page of visits,
// in two queries.
func (s *Store) teamsAndProblems(ctx context.Context, list []visit.Visit) error {
	at := map[int64]int{}
	ids := make([]any, len(list))
	for i := range list {
		at[list[i].ID] = i
		ids[i] = list[i].ID
		list[i].Visitors, list[i].Problems = []visit.Visitor{}, []visit.Problem{}
	}
	in := store.Placeholders(len(ids))
	h := s.engine.Reader()
	type member struct {
		visit int64
		v     visit.Visitor
	}
	team, err := store.Collect(ctx, h, func(sc store.Scanner) (member, error) {
		var m member
		return m, sc.Scan(&m.visit, &m.v.UserID, &m.v.Name, &m.v.Unit)
	}, "SELECT visit_id, user_id, name, unit FROM visit_visitors WHERE visit_id IN ("+in+") ORDER BY visit_id, position", ids...)
	if err != nil {
		return fmt.Errorf("visit teams: %w", err)
	}
	for _, m := range team {
		list[at[m.visit]].Visitors = append(list[at[m.visit]].Visitors, m.v)
	}
	type found struct {
		visit int64
		p     visit.Problem
	}
	problems, err := store.Collect(ctx, h, func(sc store.Scanner) (found, error) {
		var f found
		var outcome string
		err := sc.Scan(&f.visit, &f.p.ID, &f.p.Text, &f.p.Category, &outcome, &f.p.Action, &f.p.AppealID, &f.p.TopicID, &f.p.TopicTitle)
		f.p.Outcome = visit.Outcome(outcome)
		return f, err
	}, `SELECT p.visit_id, p.id, p.text, p.category, p.outcome, p.action, p.appeal_id, p.topic_id, COALESCE(t.title, '')
		FROM visit_problems p LEFT JOIN common_topics t ON t.id = p.topic_id WHERE p.visit_id IN (`+in+`) ORDER BY p.visit_id, p.position`, ids...)
	if err != nil {
		return fmt.Errorf("visit problems: %w", err)
	}
	for _, f := range problems {
		list[at[f.visit]].Problems = append(list[at[f.visit]].Problems, f.p)
	}
	return nil
}

// visitLevelColumn is the column of visits v holding each level's code.
var visitLevelColumn = map[place.Level]string{
	place.City: "v.city_code", place.District: "v.district_code", place.Street: "v.street_code",
	place.Community: "v.community_code", place.Grid: "v.grid_code",
}

// Prefill is what the form of a new visit to an enterprise starts from:
// the situation on file (the last visit's, or a department's), and the
// recorder's team and kind of its last visit.
type Prefill struct {
	Enterprise enterprise.Enterprise
	Situation  visit.Situation
	Facts      []dossier.Fact // the situation's facts with their source and age
	Visitors   []visit.Visitor
	Kind       visit.Kind
	LastOn     string // the enterprise's last visit, "" if none
	Topics     []visit.Topic
}

// PrefillFor returns the start of a new visit to an enterprise in the actor's reach.
func (s *Store) PrefillFor(ctx context.Context, actor access.Actor, enterpriseID int64) (Prefill, error) {
	var p Prefill
	if !access.May(actor.Role, access.VisitRecord) {
		return p, access.ErrForbidden
	}
	h := s.engine.Reader()
	e, err := target(ctx, h, actor, access.VisitRecord, enterpriseID)
	if err != nil {
		return p, err
	}
	p.Enterprise = e
	if p.Facts, err = dossierdb.CurrentOf(ctx, h, e.ID, []string{"operation", "orders", "employees"}); err != nil {
		return p, err
	}
	if f, ok := dossier.Latest(p.Facts, "operation"); ok {
		p.Situation.Operation = f.Text
	}
	if f, ok := dossier.Latest(p.Facts, "orders"); ok {
		p.Situation.Orders = f.Text
	}
	if f, ok := dossier.Latest(p.Facts, "employees"); ok {
		p.Situation.Employees = int(f.Num)
	}
	if err := store.Scan(h.Row(ctx, "SELECT visited_on FROM visit_last WHERE enterprise_id = ?", e.ID), &p.LastOn); err != nil && !fault.Is(err, fault.NotFound) {
		return p, err
	}
	var last int64
	var kind string
	err = store.Scan(h.Row(ctx, "SELECT id, kind FROM visits WHERE recorded_by = ? ORDER BY created_at DESC, id DESC LIMIT 1", actor.UserID), &last, &kind)
	switch {
	case err == nil:
		p.Kind = visit.Kind(kind)
		if p.Visitors, err = store.Collect(ctx, h, func(sc store.Scanner) (visit.Visitor, error) {
			var v visit.Visitor
			return v, sc.Scan(&v.UserID, &v.Name, &v.Unit)
		}, "SELECT user_id, name, unit FROM visit_visitors WHERE visit_id = ? ORDER BY position", last); err != nil {
			return p, err
		}
	case fault.Is(err, fault.NotFound):
		p.Kind = visit.Routine
		var unit string
		if err := store.Scan(h.Row(ctx, "SELECT home_unit FROM users WHERE id = ?", actor.UserID), &unit); err != nil {
			return p, err
		}
		if unit == "" {
			unit = "社区"
		}
		p.Visitors = []visit.Visitor{{UserID: actor.UserID, Name: actor.Name, Unit: unit}}
	default:
		return p, err
	}
	cols, cargs := topicColumns(actor)
	p.Topics, err = store.Collect(ctx, h, scanTopic, "SELECT "+cols+topicFrom+" WHERE t.state = ? AND t.region_code IN (?, ?) ORDER BY t.id DESC LIMIT 50",
		append(cargs, visit.TopicOpen, e.StreetCode, e.DistrictCode)...)
	return p, err
}
