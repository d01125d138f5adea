package visitdb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/visit"
)

// Department service days (部门服务日): held by a community or street
// (serviceday.run), seen by those who read visits in its region and by its
// enterprises, which register the problems they will bring.

// dayScope is the condition on service days d the actor may see.
func dayScope(actor access.Actor) (string, []any) {
	f := access.FilterFor(actor, access.VisitRead)
	switch f.Reach {
	case access.All:
		return "1 = 1", nil
	case access.Region:
		// A day held in the actor's region, or above it (a street's day for its communities).
		return "(d.region_code LIKE ? OR ? LIKE d.region_code || '%')", []any{place.Prefix(f.Code) + "%", f.Code}
	case access.Own:
		return `(d.region_code IN (SELECT community_code FROM enterprises WHERE id = ?) OR
			d.region_code IN (SELECT street_code FROM enterprises WHERE id = ?))`, []any{f.EnterpriseID, f.EnterpriseID}
	case access.Assigned:
		return `(d.region_code IN (SELECT e.community_code FROM enterprises e JOIN assignments a ON a.enterprise_id = e.id WHERE a.user_id = ?) OR
			d.region_code IN (SELECT e.street_code FROM enterprises e JOIN assignments a ON a.enterprise_id = e.id WHERE a.user_id = ?))`,
			[]any{f.UserID, f.UserID}
	}
	return "1 = 0", nil
}

const dayColumns = `d.id, d.region_code, COALESCE(r.name, ''), d.title, d.held_on, d.place, d.departments, d.providers, d.note,
	d.created_at, d.version`

const dayFrom = " FROM service_days d LEFT JOIN regions r ON r.code = d.region_code"

func scanDay(sc store.Scanner) (visit.Day, error) {
	var d visit.Day
	var depts, provs string
	var created int64
	err := sc.Scan(&d.ID, &d.RegionCode, &d.Region, &d.Title, &d.On, &d.Place, &depts, &provs, &d.Note, &created, &d.Version)
	_ = json.Unmarshal([]byte(depts), &d.Departments)
	_ = json.Unmarshal([]byte(provs), &d.Providers)
	d.CreatedAt = store.Millis(created)
	return d, err
}

// CreateDay plans a service day in a community or street of the actor's
// region, and tells the enterprises there (their accounts' inboxes) so
// that they register the problems they will bring. Audited.
func (s *Store) CreateDay(ctx context.Context, actor access.Actor, d visit.Day) (visit.Day, error) {
	if !access.May(actor.Role, access.ServiceDayRun) {
		return d, access.ErrForbidden
	}
	if err := d.Check(s.today()); err != nil {
		return d, err
	}
	if d.RegionCode == "" {
		d.RegionCode = actor.RegionCode
	}
	l := place.LevelOf(d.RegionCode)
	if (l != place.Community && l != place.Street) || !access.Allows(actor, access.ServiceDayRun, access.Target{Place: place.AncestryOf(d.RegionCode)}) {
		return d, fault.Fields{"region_code": {Zh: "服务日须在您辖区内的社区或街道举办", En: "a service day is held in a community or street of your region"}}.Err()
	}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		f := fault.Fields{}
		for _, code := range d.Departments {
			var n int
			if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM departments WHERE code = ?", code), &n); err != nil {
				return err
			}
			if n == 0 {
				f.Add("departments", "部门不存在："+code, "no department "+code)
			}
		}
		for _, code := range d.Providers {
			var n int
			if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM service_providers WHERE code = ?", code), &n); err != nil {
				return err
			}
			if n == 0 {
				f.Add("providers", "服务机构不存在："+code, "no provider "+code)
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		now := tx.Now()
		depts, _ := json.Marshal(d.Departments)
		provs, _ := json.Marshal(orEmpty(d.Providers))
		d.CreatedAt, d.Version = time.UnixMilli(now.UnixMilli()), 1
		if err := store.Scan(h.Row(ctx, `INSERT INTO service_days (region_code, title, held_on, place, departments, providers, note, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, d.RegionCode, d.Title, d.On, d.Place, string(depts), string(provs), d.Note,
			actor.UserID, now.UnixMilli()), &d.ID); err != nil {
			return fmt.Errorf("insert service day: %w", err)
		}
		col := "e.community_code"
		if l == place.Street {
			col = "e.street_code"
		}
		if err := tx.Notify(ctx, store.Recipients{Query: `SELECT u.id FROM users u JOIN enterprises e ON e.id = u.enterprise_id
			WHERE ` + col + ` = ? AND u.disabled = FALSE`, Args: []any{d.RegionCode}}, "serviceday.invite",
			fmt.Sprintf("/service-days/%d", d.ID), fmt.Sprintf("部门服务日 %s：%s，欢迎登记要咨询的问题", d.On, d.Title)); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "serviceday.create", fmt.Sprintf("serviceday/%d", d.ID), "ok",
			map[string]any{"region": d.RegionCode, "on": d.On, "departments": d.Departments})
	})
	return d, err
}

func orEmpty(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// Days lists the service days the actor may see, the coming first, then
// the past, newest first; with their problems counted in the actor's reach.
func (s *Store) Days(ctx context.Context, actor access.Actor) ([]visit.Day, error) {
	if !access.May(actor.Role, access.VisitRead) {
		return nil, access.ErrForbidden
	}
	cond, args := dayScope(actor)
	list, err := store.Collect(ctx, s.engine.Reader(), scanDay, "SELECT "+dayColumns+dayFrom+" WHERE "+cond+
		" ORDER BY CASE WHEN d.held_on >= ? THEN 0 ELSE 1 END, CASE WHEN d.held_on >= ? THEN d.held_on END, d.held_on DESC, d.id DESC LIMIT 200",
		append(args, s.today(), s.today())...)
	if err != nil {
		return nil, fmt.Errorf("service days: %w", err)
	}
	pcond, pargs := store.EnterpriseScope(actor, access.VisitRead)
	for i := range list {
		if err := store.Scan(s.engine.Reader().Row(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN p.outcome = '' THEN 1 ELSE 0 END), 0)
			FROM service_day_problems p JOIN enterprises e ON e.id = p.enterprise_id WHERE p.day_id = ? AND `+pcond,
			append([]any{list[i].ID}, pargs...)...), &list[i].Problems, &list[i].Pending); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// Day returns a service day the actor may see, with the problems
// registered for it in the actor's reach (an enterprise its own).
func (s *Store) Day(ctx context.Context, actor access.Actor, id int64) (visit.Day, []visit.DayProblem, error) {
	if !access.May(actor.Role, access.VisitRead) {
		return visit.Day{}, nil, access.ErrForbidden
	}
	h := s.engine.Reader()
	cond, args := dayScope(actor)
	list, err := store.Collect(ctx, h, scanDay, "SELECT "+dayColumns+dayFrom+" WHERE d.id = ? AND "+cond, append([]any{id}, args...)...)
	if err != nil {
		return visit.Day{}, nil, err
	}
	if len(list) == 0 {
		return visit.Day{}, nil, fault.ErrNotFound
	}
	d := list[0]
	pcond, pargs := store.EnterpriseScope(actor, access.VisitRead)
	problems, err := store.Collect(ctx, h, scanDayProblem, "SELECT "+dayProblemColumns+` FROM service_day_problems p
		JOIN enterprises e ON e.id = p.enterprise_id WHERE p.day_id = ? AND `+pcond+" ORDER BY p.department, p.id", append([]any{id}, pargs...)...)
	for _, p := range problems {
		d.Problems++
		if p.Outcome == visit.DayPending {
			d.Pending++
		}
	}
	return d, problems, err
}

const dayProblemColumns = `p.id, p.day_id, p.enterprise_id, e.name, p.text, p.category, p.department, p.outcome, p.answer, p.appeal_id,
	p.registered_at, p.version`

func scanDayProblem(sc store.Scanner) (visit.DayProblem, error) {
	var p visit.DayProblem
	var outcome string
	var at int64
	err := sc.Scan(&p.ID, &p.DayID, &p.EnterpriseID, &p.Enterprise, &p.Text, &p.Category, &p.Department, &outcome, &p.Answer, &p.AppealID, &at, &p.Version)
	p.Outcome, p.RegisteredAt = visit.DayOutcome(outcome), store.Millis(at)
	return p, err
}

// Register registers a problem an enterprise will bring to a service day:
// its own account, or staff who may record visits to it on its behalf. The
// enterprise is in the day's community or street; the day is not past.
func (s *Store) Register(ctx context.Context, actor access.Actor, dayID int64, p visit.DayProblem) (visit.DayProblem, error) {
	d, _, err := s.Day(ctx, actor, dayID)
	if err != nil {
		return p, err
	}
	if actor.Role == access.RoleEnterprise {
		p.EnterpriseID = actor.EnterpriseID
	} else if !access.May(actor.Role, access.VisitRecord) {
		return p, access.ErrForbidden
	}
	if err := p.Check(d); err != nil {
		return p, err
	}
	if d.On < s.today() {
		return p, fault.New(fault.Conflict, "day_past", "这个服务日已经过去，不能再登记问题", "this service day is past: problems are no longer registered")
	}
	cats, err := s.appeals.Categories(ctx)
	if err != nil {
		return p, err
	}
	if _, ok := cats.Find(p.Category); !ok {
		return p, fault.Fields{"category": {Zh: "问题分类不存在", En: "no such category"}}.Err()
	}
	action := access.VisitRecord
	if actor.Role == access.RoleEnterprise {
		action = access.VisitRead
	}
	e, err := target(ctx, s.engine.Reader(), actor, action, p.EnterpriseID)
	if err != nil {
		return p, err
	}
	if e.CommunityCode != d.RegionCode && e.StreetCode != d.RegionCode {
		return p, fault.Fields{"enterprise_id": {Zh: "企业不在举办服务日的社区或街道", En: "the enterprise is not in the service day's community or street"}}.Err()
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now().UnixMilli()
		p.DayID, p.Enterprise, p.RegisteredAt, p.Version = dayID, e.Name, time.UnixMilli(now), 1
		if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO service_day_problems (day_id, enterprise_id, text, category, department, registered_by, registered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, dayID, e.ID, p.Text, p.Category, p.Department, actor.UserID, now), &p.ID); err != nil {
			return fmt.Errorf("register problem: %w", err)
		}
		return tx.Record(ctx, actor, "serviceday.register", fmt.Sprintf("serviceday/%d", dayID), "ok",
			map[string]any{"enterprise": e.ID, "department": p.Department})
	})
	return p, err
}

// dayProblem reads a problem of a day the actor holds (serviceday.run). A
// role that reads no visit is refused whether the problem exists or not, as
// Day refuses it.
func (s *Store) dayProblem(ctx context.Context, actor access.Actor, id int64) (visit.Day, visit.DayProblem, enterprise.Enterprise, error) {
	var e enterprise.Enterprise
	if !access.May(actor.Role, access.VisitRead) {
		return visit.Day{}, visit.DayProblem{}, e, access.ErrForbidden
	}
	ps, err := store.Collect(ctx, s.engine.Reader(), scanDayProblem, "SELECT "+dayProblemColumns+
		" FROM service_day_problems p JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = ?", id)
	if err != nil {
		return visit.Day{}, visit.DayProblem{}, e, err
	}
	if len(ps) == 0 {
		return visit.Day{}, visit.DayProblem{}, e, fault.ErrNotFound
	}
	d, _, err := s.Day(ctx, actor, ps[0].DayID)
	if err != nil {
		return d, ps[0], e, err
	}
	if !access.Allows(actor, access.ServiceDayRun, access.Target{Place: place.AncestryOf(d.RegionCode)}) {
		return d, ps[0], e, access.ErrForbidden
	}
	e, err = target(ctx, s.engine.Reader(), actor, access.EnterpriseRead, ps[0].EnterpriseID)
	return d, ps[0], e, err
}

// AnswerDayProblem records the answer a department gave on the spot.
// Stale → conflict; once. Audited; the enterprise is told.
func (s *Store) AnswerDayProblem(ctx context.Context, actor access.Actor, id int64, answer string, version int64) (visit.DayProblem, error) {
	_, p, e, err := s.dayProblem(ctx, actor, id)
	if err != nil {
		return p, err
	}
	answer = strings.TrimSpace(answer)
	if n := utf8.RuneCountInString(answer); n < 2 || n > visit.MaxText {
		return p, fault.Fields{"answer": {Zh: "请写明现场答复（2 至 500 字）", En: "write the answer given (2 to 500 characters)"}}.Err()
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now().UnixMilli()
		res, err := tx.DB().Exec(ctx, `UPDATE service_day_problems SET outcome = ?, answer = ?, handled_by = ?, handled_at = ?, version = version + 1
			WHERE id = ? AND version = ? AND outcome = ''`, string(visit.DayAnswered), answer, actor.UserID, now, id, version)
		if err != nil {
			return fmt.Errorf("answer problem: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.ErrConflict
		}
		p.Outcome, p.Answer, p.Version = visit.DayAnswered, answer, version+1
		if err := tx.Notify(ctx, enterpriseUsers(e.ID), "serviceday.answered", fmt.Sprintf("/service-days/%d", p.DayID),
			"服务日问题已现场答复："+clip(p.Text, 30)); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "serviceday.answer", fmt.Sprintf("serviceday/%d", p.DayID), "ok", map[string]any{"problem": id})
	})
	return p, err
}

// RaiseDayProblem raises a problem not answered on the spot as an appeal on
// the enterprise's behalf (channel visit), accepts it and dispatches it to
// the department it was registered for, in the district's alliance. Each
// step is the appeal workflow's own; a retry continues where it stopped.
// Raising takes a role that raises appeals; accepting and dispatching are
// the community's steps: raised by another (an administrator), the appeal
// waits in the community's queue.
func (s *Store) RaiseDayProblem(ctx context.Context, actor access.Actor, id int64) (visit.DayProblem, error) {
	d, p, e, err := s.dayProblem(ctx, actor, id)
	if err != nil {
		return p, err
	}
	if !access.May(actor.Role, access.AppealCreate) {
		return p, fault.New(fault.Forbidden, "forbidden", "转为诉求须由社区工作人员办理", "the community's staff raise problems as appeals")
	}
	if p.Outcome == visit.DayAnswered {
		return p, fault.New(fault.Conflict, "answered", "这个问题已现场答复", "this problem was answered on the spot")
	}
	var dept int64
	var deptName string
	if err := store.Scan(s.engine.Reader().Row(ctx, "SELECT id, name FROM departments WHERE code = ? AND region_code IN (?, ?, ?) ORDER BY id LIMIT 1",
		p.Department, e.DistrictCode, e.CityCode, e.StreetCode), &dept, &deptName); err != nil {
		if fault.Is(err, fault.NotFound) {
			return p, fault.Fields{"department": {Zh: "企业所在区没有这个部门", En: "the enterprise's district has no such department"}}.Err()
		}
		return p, err
	}
	if p.AppealID == 0 {
		in := appeal.Input{Channel: appeal.ChannelVisit, Type: appeal.TypeHelp, Category: p.Category, Title: DayAppealTitle(d.Title, p.Text),
			Content: p.Text, CreditCode: e.CreditCode, Contact: e.Contact, Phone: e.Phone}
		a, _, err := s.appeals.CreateAppeal(ctx, actor, in, fmt.Sprintf("serviceday:%d", id))
		if err != nil {
			return p, err
		}
		res, err := s.engine.Writer().Exec(ctx, `UPDATE service_day_problems SET outcome = ?, appeal_id = ?, handled_by = ?, handled_at = ?,
			version = version + 1 WHERE id = ? AND outcome <> ?`, string(visit.DayRaised), a.ID, actor.UserID, s.engine.Now().UnixMilli(), id, string(visit.DayAnswered))
		if err != nil {
			return p, fmt.Errorf("link appeal: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return p, fault.ErrConflict
		}
		p.Outcome, p.AppealID, p.Version = visit.DayRaised, a.ID, p.Version+1
	}
	v, err := s.appeals.Appeal(ctx, actor, p.AppealID)
	if err != nil {
		return p, err
	}
	if v.State == appeal.Submitted {
		a, err := s.appeals.Act(ctx, actor, p.AppealID, appeal.Command{Action: appeal.Accept, Version: v.Version})
		if fault.Is(err, fault.Forbidden) {
			return p, nil // not the actor's step: the community triages it
		}
		if err != nil {
			return p, fmt.Errorf("accept: %w", err)
		}
		v.Appeal = a
	}
	if v.State == appeal.Accepted {
		if _, err := s.appeals.Act(ctx, actor, p.AppealID, appeal.Command{Action: appeal.Dispatch, Version: v.Version, Lead: dept,
			Note: DispatchNote(deptName)}); err != nil {
			return p, fmt.Errorf("dispatch: %w", err)
		}
	}
	return p, nil
}

// DispatchNote is the instruction a service-day problem is dispatched with.
func DispatchNote(department string) string {
	return "部门服务日登记的问题，请" + department + "办理"
}

// DayAppealTitle is the title of the appeal a service day's problem becomes.
func DayAppealTitle(day, problem string) string { return clip(day+"："+problem, appeal.MaxTitle) }

// clip cuts s to n characters.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
