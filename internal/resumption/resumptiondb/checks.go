package resumptiondb

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/resumption"
	"qifu/internal/store"
)

// Powers to inspect are kept per department and matter (行政检查权): only a
// department holding one may order a rectification of the matter.

// Power is a department's power to inspect a matter, as kept.
type Power struct {
	DepartmentID int64
	Department   string
	DepartmentEn string
	Matter       string
	Basis        string
}

// Powers lists the powers to inspect.
func (s *Store) Powers(ctx context.Context) ([]Power, error) {
	list, err := store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (Power, error) {
		var p Power
		err := sc.Scan(&p.DepartmentID, &p.Department, &p.DepartmentEn, &p.Matter, &p.Basis)
		return p, err
	}, `SELECT p.department_id, d.name, d.name_en, p.matter, p.basis FROM resumption_powers p JOIN departments d ON d.id = p.department_id
		ORDER BY d.name, p.matter`)
	return list, store.Wrap(err, "powers")
}

// SetPower grants (basis given) or withdraws (basis empty) a department's
// power to inspect a matter; an administrator keeps them.
func (s *Store) SetPower(ctx context.Context, actor access.Actor, departmentID int64, matter, basis string) error {
	if access.ReachOf(actor.Role, access.DepartmentManage) != access.All {
		return access.ErrForbidden
	}
	basis = strings.TrimSpace(basis)
	if _, ok := resumption.Matters[matter]; !ok {
		return fault.Fields{"matter": {Zh: "请选择检查事项", En: "choose a matter"}}.Err()
	}
	if utf8.RuneCountInString(basis) > 200 {
		return fault.Fields{"basis": {Zh: "法律依据不超过 200 字", En: "the basis is at most 200 characters"}}.Err()
	}
	return s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		var n int
		if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM departments WHERE id = ?", departmentID), &n); err != nil {
			return err
		}
		if n == 0 {
			return fault.Fields{"department": {Zh: "请选择部门", En: "choose a department"}}.Err()
		}
		if _, err := h.Exec(ctx, "DELETE FROM resumption_powers WHERE department_id = ? AND matter = ?", departmentID, matter); err != nil {
			return fmt.Errorf("set power: %w", err)
		}
		if basis != "" {
			if _, err := h.Exec(ctx, "INSERT INTO resumption_powers (department_id, matter, basis) VALUES (?, ?, ?)", departmentID, matter, basis); err != nil {
				return fmt.Errorf("set power: %w", err)
			}
		}
		return tx.Record(ctx, actor, "resumption.power", fmt.Sprintf("department/%d", departmentID), "ok",
			map[string]any{"matter": matter, "basis": basis})
	})
}

func powersOf(ctx context.Context, h store.DB, departmentID int64) ([]resumption.Power, error) {
	return store.Collect(ctx, h, func(sc store.Scanner) (resumption.Power, error) {
		var p resumption.Power
		var id int64
		err := sc.Scan(&id, &p.Matter, &p.Basis)
		p.Department = strconv.FormatInt(id, 10)
		return p, err
	}, "SELECT department_id, matter, basis FROM resumption_powers WHERE department_id = ?", departmentID)
}

// MayOrder lists the matters the actor's department may order rectified.
func (s *Store) MayOrder(ctx context.Context, actor access.Actor) ([]resumption.Power, error) {
	if actor.Role != access.RoleDepartment || actor.DepartmentID == 0 {
		return nil, nil
	}
	return powersOf(ctx, s.engine.Reader(), actor.DepartmentID)
}

// FindingInput is one finding of a check.
type FindingInput struct {
	Kind     resumption.FindingKind
	ItemKey  string
	Note     string
	Matter   string
	Basis    string
	Deadline string // YYYY-MM-DD
	Consent  bool
}

// CheckInput is an on-site check of a checklist at an enterprise.
type CheckInput struct {
	EnterpriseID int64
	CampaignID   int64 // the campaign it belongs to, if any
	Checklist    string
	Results      map[string]resumption.Result
	Findings     []FindingInput
}

// Check is a check as kept.
type Check struct {
	ID, CampaignID, EnterpriseID int64
	Enterprise                   string
	Checklist                    string
	Kind                         string // advice | inspection
	Department, DepartmentEn     string
	Results                      map[string]resumption.Result
	Points, Of                   int
	ByName                       string
	At                           time.Time
}

// The kinds of check.
const (
	Advice     = "advice"     // a community's or grid worker's, with the enterprise's consent
	Inspection = "inspection" // a department's staff's
)

// RecordCheck records an on-site check and its findings in one
// transaction: a community's or grid worker's is advice whose findings are
// improvements agreed with the enterprise; a department's staff's is an
// inspection whose findings may order a rectification where the department
// holds the power to inspect the matter. The enterprise is told.
func (s *Store) RecordCheck(ctx context.Context, actor access.Actor, in CheckInput) (Check, []Finding, error) {
	var c Check
	var out []Finding
	cl, ok := resumption.TemplateOf(in.Checklist)
	if !ok {
		return c, nil, fault.Fields{"checklist": {Zh: "请选择清单", En: "choose a checklist"}}.Err()
	}
	if err := cl.CheckResults(in.Results); err != nil {
		return c, nil, err
	}
	if len(in.Findings) > 50 {
		return c, nil, fault.Fields{"findings": {Zh: "一次最多记录 50 项发现", En: "at most 50 findings a check"}}.Err()
	}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		e, err := enterpriseFor(ctx, h, actor, in.EnterpriseID, access.ResumeCheck)
		if err != nil {
			return err
		}
		if in.CampaignID != 0 {
			if err := onList(ctx, h, in.CampaignID, in.EnterpriseID); err != nil {
				return fault.Fields{"campaign": {Zh: "该企业不在这次检查的名单上", En: "the enterprise is not on the campaign's list"}}.Err()
			}
		}
		by := resumption.Checker{Staff: actor.Role != access.RoleDepartment && actor.Role != access.RoleEnterprise}
		var powers []resumption.Power
		kind := Advice
		if actor.Role == access.RoleDepartment {
			kind, by.Department = Inspection, strconv.FormatInt(actor.DepartmentID, 10)
			if powers, err = powersOf(ctx, h, actor.DepartmentID); err != nil {
				return err
			}
		}
		now := tx.Now()
		today := now.In(calendar.Shanghai).Format(time.DateOnly)
		fields := fault.Fields{}
		findings := make([]resumption.Finding, len(in.Findings))
		for i, fi := range in.Findings {
			f := resumption.Finding{Kind: fi.Kind, ItemKey: fi.ItemKey, Note: strings.TrimSpace(fi.Note), Matter: fi.Matter,
				Basis: strings.TrimSpace(fi.Basis), Consent: fi.Consent}
			if f.Matter == "" {
				f.Matter = cl.Matter
			}
			if fi.ItemKey != "" {
				if _, ok := cl.Item(fi.ItemKey); !ok {
					fields.Add(fmt.Sprintf("findings[%d].item", i), "清单中没有这一项", "the checklist has no such item")
				}
			}
			d, derr := time.ParseInLocation(time.DateOnly, fi.Deadline, calendar.Shanghai)
			if derr != nil || fi.Deadline < today || d.After(now.AddDate(1, 0, 0)) {
				fields.Add(fmt.Sprintf("findings[%d].deadline", i), "请填写完成期限：今天起一年内的日期", "give a deadline within a year from today")
			}
			f.Deadline = d.Add(24 * time.Hour)
			if err := resumption.CheckFinding(f, by, powers, now); err != nil {
				fe := fault.As(err)
				if fe == nil || len(fe.Fields) == 0 {
					return err // not the checker's to record: the law's refusal, whole
				}
				for k, m := range fe.Fields {
					fields[fmt.Sprintf("findings[%d].%s", i, k)] = m
				}
			}
			if f.Kind == resumption.Rectification && utf8.RuneCountInString(f.Basis) > 200 {
				fields.Add(fmt.Sprintf("findings[%d].basis", i), "法律依据不超过 200 字", "the basis is at most 200 characters")
			}
			findings[i] = f
		}
		if err := fields.Err(); err != nil {
			return err
		}
		score := cl.ScoreOf(in.Results)
		js, _ := json.Marshal(in.Results)
		c = Check{CampaignID: in.CampaignID, EnterpriseID: e.ID, Enterprise: e.Name, Checklist: cl.Key, Kind: kind, Results: in.Results,
			Points: score.Points, Of: score.Of, ByName: actor.Name, At: time.UnixMilli(now.UnixMilli())}
		if err := store.Scan(h.Row(ctx, `INSERT INTO resumption_checks (campaign_id, enterprise_id, checklist, kind, department_id, results,
			points, of_points, by_id, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.CampaignID, c.EnterpriseID,
			c.Checklist, kind, actor.DepartmentID*boolInt(kind == Inspection), string(js), c.Points, c.Of, actor.UserID, actor.Name,
			now.UnixMilli()), &c.ID); err != nil {
			return fmt.Errorf("record check: %w", err)
		}
		for i, f := range findings {
			dept := int64(0)
			if f.Kind == resumption.Rectification {
				dept = actor.DepartmentID
			}
			fd := Finding{CheckID: c.ID, EnterpriseID: e.ID, Enterprise: e.Name, Kind: f.Kind, ItemKey: f.ItemKey, Note: f.Note,
				Matter: f.Matter, Basis: f.Basis, DepartmentID: dept, Deadline: in.Findings[i].Deadline, State: FindingOpen,
				CreatedAt: c.At, Version: 1}
			if f.Kind == resumption.Improvement {
				fd.Basis = ""
			}
			if err := store.Scan(h.Row(ctx, `INSERT INTO resumption_findings (check_id, enterprise_id, kind, item_key, note, matter, basis,
				department_id, deadline, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, fd.CheckID, fd.EnterpriseID,
				string(fd.Kind), fd.ItemKey, fd.Note, fd.Matter, fd.Basis, fd.DepartmentID, fd.Deadline, fd.State, now.UnixMilli()), &fd.ID); err != nil {
				return fmt.Errorf("record finding: %w", err)
			}
			out = append(out, fd)
		}
		title := fmt.Sprintf("%s：%d/%d 分", cl.Zh, c.Points, c.Of)
		if len(out) > 0 {
			title += fmt.Sprintf("，%d 项待改进或整改", len(out))
		}
		if err := tx.Notify(ctx, store.EnterpriseUsers(e.ID), "resumption.check", fmt.Sprintf("/resumption/enterprises/%d", e.ID), title); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "resumption.check", fmt.Sprintf("enterprise/%d", e.ID), "ok",
			map[string]any{"check": c.ID, "kind": kind, "checklist": cl.Key, "points": c.Points, "of": c.Of, "findings": len(out)})
	})
	return c, out, err
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// The states of a finding.
const (
	FindingOpen   = "open"
	FindingClosed = "closed"
)

// Finding is a finding as kept.
type Finding struct {
	ID, CheckID, EnterpriseID int64
	Enterprise                string
	Kind                      resumption.FindingKind
	Checklist                 string // the checklist of the check that found it
	ItemKey, Note             string
	Matter, Basis             string
	DepartmentID              int64
	Department, DepartmentEn  string
	Deadline                  string
	State                     string
	ClosedAt                  time.Time
	ClosedBy, RecheckNote     string
	AppealID                  int64
	EscalatedAt               time.Time
	CreatedAt                 time.Time
	Version                   int64
}

// Late reports whether an open finding is past its deadline at now.
func (f Finding) Late(now time.Time) bool {
	return f.State == FindingOpen && f.Deadline < now.In(calendar.Shanghai).Format(time.DateOnly)
}

// Colour is the deadline's colour: red when past, yellow on its last two
// days, green before; "" when closed.
func (f Finding) Colour(now time.Time) string {
	if f.State != FindingOpen {
		return ""
	}
	today := now.In(calendar.Shanghai)
	switch {
	case f.Deadline < today.Format(time.DateOnly):
		return "red"
	case f.Deadline <= today.AddDate(0, 0, 2).Format(time.DateOnly):
		return "yellow"
	}
	return "green"
}

const findingColumns = `f.id, f.check_id, f.enterprise_id, e.name, f.kind, k.checklist, f.item_key, f.note, f.matter, f.basis, f.department_id,
	COALESCE(d.name, ''), COALESCE(d.name_en, ''), f.deadline, f.state, f.closed_at, f.closed_by, f.recheck_note, f.appeal_id, f.escalated_at, f.created_at, f.version`

const findingFrom = ` FROM resumption_findings f JOIN enterprises e ON e.id = f.enterprise_id JOIN resumption_checks k ON k.id = f.check_id
	LEFT JOIN departments d ON d.id = f.department_id`

func scanFinding(sc store.Scanner) (Finding, error) {
	var f Finding
	var kind string
	var closed, escalated, created int64
	err := sc.Scan(&f.ID, &f.CheckID, &f.EnterpriseID, &f.Enterprise, &kind, &f.Checklist, &f.ItemKey, &f.Note, &f.Matter, &f.Basis, &f.DepartmentID,
		&f.Department, &f.DepartmentEn, &f.Deadline, &f.State, &closed, &f.ClosedBy, &f.RecheckNote, &f.AppealID, &escalated, &created, &f.Version)
	f.Kind = resumption.FindingKind(kind)
	f.ClosedAt, f.EscalatedAt, f.CreatedAt = store.Millis(closed), store.Millis(escalated), store.Millis(created)
	return f, store.ScanErr(err)
}

// findingScope: a finding is read by whoever reads its enterprise in the
// module, and by the department that ordered it.
func findingScope(actor access.Actor) (string, []any) {
	cond, args := store.EnterpriseScope(actor, access.ResumeRead)
	if actor.Role == access.RoleDepartment && actor.DepartmentID != 0 {
		return "(" + cond + " OR f.department_id = ?)", append(args, actor.DepartmentID)
	}
	return cond, args
}

// FindingQuery selects findings.
type FindingQuery struct {
	EnterpriseID int64
	State        string
	Kind         string
	Late         bool
	Page         store.Page
}

// Findings lists the findings the actor reads, the open and nearest
// deadline first.
func (s *Store) Findings(ctx context.Context, actor access.Actor, q FindingQuery) ([]Finding, int, error) {
	where, args := findingScope(actor)
	if q.EnterpriseID != 0 {
		where += " AND f.enterprise_id = ?"
		args = append(args, q.EnterpriseID)
	}
	if q.State != "" {
		where += " AND f.state = ?"
		args = append(args, q.State)
	}
	if q.Kind != "" {
		where += " AND f.kind = ?"
		args = append(args, q.Kind)
	}
	if q.Late {
		where += " AND f.state = 'open' AND f.deadline < ?"
		args = append(args, s.engine.Now().In(calendar.Shanghai).Format(time.DateOnly))
	}
	return store.Paged(ctx, s.engine.Reader(), "findings", scanFinding, findingColumns, findingFrom, where, args,
		"CASE WHEN f.state = 'open' THEN 0 ELSE 1 END, f.deadline, f.id", q.Page)
}

// Finding reads a finding the actor reads.
func (s *Store) Finding(ctx context.Context, actor access.Actor, id int64) (Finding, error) {
	return finding(ctx, s.engine.Reader(), actor, id)
}

func finding(ctx context.Context, h store.DB, actor access.Actor, id int64) (Finding, error) {
	where, args := findingScope(actor)
	list, err := store.Collect(ctx, h, scanFinding, "SELECT "+findingColumns+findingFrom+" WHERE f.id = ? AND "+where, append([]any{id}, args...)...)
	if err != nil {
		return Finding{}, fmt.Errorf("finding: %w", err)
	}
	if len(list) == 0 {
		return Finding{}, fault.ErrNotFound
	}
	return list[0], nil
}

// MayClose reports whether actor may close f after a re-check: an
// improvement by staff who check the enterprise; a rectification only by
// the department that ordered it (or an administrator).
func (s *Store) MayClose(ctx context.Context, actor access.Actor, f Finding) bool {
	if f.State != FindingOpen {
		return false
	}
	if access.ReachOf(actor.Role, access.ResumeCheck) == access.All {
		return true
	}
	if f.Kind == resumption.Rectification {
		return actor.Role == access.RoleDepartment && actor.DepartmentID == f.DepartmentID
	}
	e, err := s.engine.Reader().EnterpriseByID(ctx, f.EnterpriseID)
	if err != nil {
		return false
	}
	t, err := s.engine.Reader().TargetOf(ctx, actor, e)
	return err == nil && actor.Role != access.RoleDepartment && access.Allows(actor, access.ResumeCheck, t)
}

// CloseFinding closes a finding after a re-check, with what was seen; the
// enterprise is told.
func (s *Store) CloseFinding(ctx context.Context, actor access.Actor, id, version int64, note string) (Finding, error) {
	note = strings.TrimSpace(note)
	if n := utf8.RuneCountInString(note); n == 0 || n > 500 {
		return Finding{}, fault.Fields{"note": {Zh: "请写明复查情况，不超过 500 字", En: "say what the re-check found, at most 500 characters"}}.Err()
	}
	var f Finding
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if f, err = finding(ctx, tx.DB(), actor, id); err != nil {
			return err
		}
		if f.State != FindingOpen {
			return fault.New(fault.Conflict, "resumption_closed", "该事项已销号", "the finding is closed already")
		}
		if !s.MayClose(ctx, actor, f) {
			if f.Kind == resumption.Rectification {
				return fault.New(fault.Forbidden, "resumption_not_inspector", "整改事项由下达整改的部门复查销号", "a rectification is closed by the department that ordered it")
			}
			return access.ErrForbidden
		}
		now := tx.Now().UnixMilli()
		res, err := tx.DB().Exec(ctx, `UPDATE resumption_findings SET state = 'closed', closed_at = ?, closed_by = ?, recheck_note = ?,
			version = version + 1 WHERE id = ? AND version = ? AND state = 'open'`, now, actor.Name, note, id, version)
		if err != nil {
			return fmt.Errorf("close finding: %w", err)
		}
		if store.Affected(res) != 1 {
			return fault.ErrConflict
		}
		f.State, f.ClosedAt, f.ClosedBy, f.RecheckNote, f.Version = FindingClosed, time.UnixMilli(now), actor.Name, note, version+1
		if err := tx.Notify(ctx, store.EnterpriseUsers(f.EnterpriseID), "resumption.finding", fmt.Sprintf("/resumption/findings/%d", id),
			"已复查销号："+clip(f.Note, 30)); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "resumption.finding_close", fmt.Sprintf("finding/%d", id), "ok", map[string]any{"note": note})
	})
	return f, err
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// RaiseAppeal raises an open finding that needs a department's action (a
// permit, a supply, a dispute) as an appeal of its enterprise, in one
// step; the finding keeps the appeal's number. Raising it again answers
// the same appeal.
func (s *Store) RaiseAppeal(ctx context.Context, actor access.Actor, id int64, category string) (Finding, error) {
	f, err := s.Finding(ctx, actor, id)
	if err != nil {
		return f, err
	}
	h := s.engine.Reader()
	e, err := h.EnterpriseByID(ctx, f.EnterpriseID)
	if err != nil {
		return f, err
	}
	t, err := h.TargetOf(ctx, actor, e)
	if err != nil {
		return f, err
	}
	if !access.Allows(actor, access.AppealCreate, t) {
		return f, access.ErrForbidden
	}
	if f.AppealID != 0 {
		return f, nil
	}
	if f.State != FindingOpen {
		return f, fault.New(fault.Conflict, "resumption_closed", "该事项已销号", "the finding is closed already")
	}
	// The enterprise raises its own on the web; staff for it, as on a visit.
	channel := appeal.ChannelVisit
	if actor.Role == access.RoleEnterprise {
		channel = appeal.ChannelWeb
	}
	in := appeal.Input{Channel: channel, Type: appeal.TypeHelp, Category: category, Title: clip(f.Note, 30),
		Content: "检查发现：" + f.Note, CreditCode: e.CreditCode, Contact: e.Contact, Phone: e.Phone}
	in.Normalize()
	a, _, err := s.appeals.CreateAppeal(ctx, actor, in, fmt.Sprintf("finding:%d", id))
	if err != nil {
		return f, err
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.DB().Exec(ctx, "UPDATE resumption_findings SET appeal_id = ?, version = version + 1 WHERE id = ? AND appeal_id = 0", a.ID, id); err != nil {
			return fmt.Errorf("finding's appeal: %w", err)
		}
		return tx.Record(ctx, actor, "resumption.finding_appeal", fmt.Sprintf("finding/%d", id), "ok", map[string]any{"appeal": a.ID})
	})
	if err != nil {
		return f, err
	}
	return s.Finding(ctx, actor, id)
}

// Escalate raises each finding past its deadline once: its enterprise's
// community staff and street leaders are told, and for a rectification the
// department that ordered it. It answers how many it escalated; the
// scheduler runs it, and an instance that loses the race escalates nothing.
func (s *Store) Escalate(ctx context.Context) (int, error) {
	today := s.engine.Now().In(calendar.Shanghai).Format(time.DateOnly)
	ids, err := store.Collect(ctx, s.engine.Reader(), store.Int64,
		"SELECT id FROM resumption_findings WHERE state = 'open' AND deadline < ? AND escalated_at = 0 ORDER BY id LIMIT 500", today)
	if err != nil {
		return 0, fmt.Errorf("late findings: %w", err)
	}
	n := 0
	for _, id := range ids {
		err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
			h := tx.DB()
			res, err := h.Exec(ctx, "UPDATE resumption_findings SET escalated_at = ? WHERE id = ? AND escalated_at = 0 AND state = 'open'", tx.Now().UnixMilli(), id)
			if err != nil {
				return fmt.Errorf("escalate: %w", err)
			}
			if store.Affected(res) != 1 {
				return nil
			}
			n++
			var note, name, community, street string
			var dept int64
			if err := store.Scan(h.Row(ctx, `SELECT f.note, e.name, e.community_code, e.street_code, f.department_id FROM resumption_findings f
				JOIN enterprises e ON e.id = f.enterprise_id WHERE f.id = ?`, id), &note, &name, &community, &street, &dept); err != nil {
				return err
			}
			title := "逾期未完成：" + name + " · " + clip(note, 24)
			href := fmt.Sprintf("/resumption/findings/%d", id)
			if err := tx.Notify(ctx, store.Recipients{Query: `SELECT id FROM users WHERE disabled = FALSE AND
				((role = 'community_staff' AND region_code = ?) OR (role = 'street_leader' AND region_code = ?) OR (role = 'department' AND department_id = ?))`,
				Args: []any{community, street, dept}}, "resumption.late", href, title); err != nil {
				return err
			}
			return tx.Record(ctx, access.System("escalation"), "resumption.finding_escalate", fmt.Sprintf("finding/%d", id), "ok", nil)
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Checks lists an enterprise's checks, the newest first.
func (s *Store) Checks(ctx context.Context, actor access.Actor, enterpriseID int64) ([]Check, error) {
	h := s.engine.Reader()
	if _, err := enterpriseFor(ctx, h, actor, enterpriseID, access.ResumeRead); err != nil {
		return nil, err
	}
	return store.Collect(ctx, h, func(sc store.Scanner) (Check, error) {
		var c Check
		var js string
		var at int64
		err := sc.Scan(&c.ID, &c.CampaignID, &c.EnterpriseID, &c.Enterprise, &c.Checklist, &c.Kind, &c.Department, &c.DepartmentEn, &js, &c.Points, &c.Of,
			&c.ByName, &at)
		if err == nil {
			err = json.Unmarshal([]byte(js), &c.Results)
		}
		c.At = store.Millis(at)
		return c, err
	}, `SELECT k.id, k.campaign_id, k.enterprise_id, e.name, k.checklist, k.kind, COALESCE(d.name, ''), COALESCE(d.name_en, ''), k.results, k.points, k.of_points,
		k.by_name, k.at FROM resumption_checks k JOIN enterprises e ON e.id = k.enterprise_id
		LEFT JOIN departments d ON d.id = k.department_id WHERE k.enterprise_id = ? ORDER BY k.at DESC, k.id DESC LIMIT 50`, enterpriseID)
}
