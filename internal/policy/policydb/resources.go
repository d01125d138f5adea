package policydb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/store"
)

// Innovation resources (创新资源服务清单): the lists a department keeps of
// laboratories, equipment, expert pools, service providers and incubators,
// recommended to an enterprise by its industry, its tags and the
// technology bottlenecks it reported; an enterprise requests one, and the
// keeping department answers with the provider's reply.

const resourceColumns = `r.id, r.kind, r.name, r.provider, r.summary, r.industries, r.tags, r.contact, r.phone, r.terms, r.department_id, r.version`

func scanResource(sc store.Scanner) (policy.Resource, error) {
	var r policy.Resource
	var inds, tags string
	err := sc.Scan(&r.ID, &r.Kind, &r.Name, &r.Provider, &r.Summary, &inds, &tags, &r.Contact, &r.Phone, &r.Terms, &r.DepartmentID, &r.Version)
	r.Industries, r.Tags = unlist(inds), unlist(tags)
	return r, store.ScanErr(err)
}

// SaveResource adds a resource (ID 0) to the actor's department's list or
// updates one at its version.
func (s *Store) SaveResource(ctx context.Context, actor access.Actor, r policy.Resource) (policy.Resource, error) {
	if r.DepartmentID == 0 {
		r.DepartmentID = actor.DepartmentID
	}
	if !MayManageDepartment(actor, r.DepartmentID) {
		return r, access.ErrForbidden
	}
	if err := departmentExists(ctx, s.engine.Reader(), r.DepartmentID); err != nil {
		return r, err
	}
	r.Name, r.Provider, r.Contact, r.Phone = strings.TrimSpace(r.Name), strings.TrimSpace(r.Provider), strings.TrimSpace(r.Contact), strings.TrimSpace(r.Phone)
	if err := r.Check(); err != nil {
		return r, err
	}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now().UnixMilli()
		if r.ID == 0 {
			r.Version = 1
			if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO policy_resources (kind, name, provider, summary, industries, tags, contact, phone,
				terms, department_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				r.Kind, r.Name, r.Provider, r.Summary, list(r.Industries), list(r.Tags), r.Contact, r.Phone, r.Terms, r.DepartmentID,
				actor.UserID, now), &r.ID); err != nil {
				return fmt.Errorf("insert resource: %w", err)
			}
			return tx.Record(ctx, actor, "policy.resource.create", fmt.Sprintf("policy_resource/%d", r.ID), "ok", map[string]any{"name": r.Name})
		}
		var dept int64
		if err := store.Scan(tx.DB().Row(ctx, "SELECT department_id FROM policy_resources WHERE id = ?", r.ID), &dept); err != nil {
			return err
		}
		if dept != r.DepartmentID {
			return fault.Fields{"department_id": {Zh: "资源不能移到另一部门的清单", En: "a resource stays on its department's list"}}.Err()
		}
		res, err := tx.DB().Exec(ctx, `UPDATE policy_resources SET kind = ?, name = ?, provider = ?, summary = ?, industries = ?, tags = ?,
			contact = ?, phone = ?, terms = ?, version = version + 1 WHERE id = ? AND version = ? AND department_id = ?`,
			r.Kind, r.Name, r.Provider, r.Summary, list(r.Industries), list(r.Tags), r.Contact, r.Phone, r.Terms, r.ID, r.Version, r.DepartmentID)
		if err != nil {
			return fmt.Errorf("update resource: %w", err)
		}
		if affected(res) == 0 {
			return stale("该资源已被他人修改，请刷新后重试", "the resource changed meanwhile; reload")
		}
		r.Version++
		return tx.Record(ctx, actor, "policy.resource.update", fmt.Sprintf("policy_resource/%d", r.ID), "ok", map[string]any{"name": r.Name})
	})
	return r, err
}

// ResourceQuery selects resources.
type ResourceQuery struct {
	Kind     string
	Industry string
	Text     string
	Page     store.Page
}

// Resources lists the resources; the lists are public to everyone signed in.
func (s *Store) Resources(ctx context.Context, q ResourceQuery) ([]policy.Resource, int, error) {
	where, args := "1 = 1", []any{}
	if q.Kind != "" {
		where += " AND r.kind = ?"
		args = append(args, q.Kind)
	}
	if q.Industry != "" {
		where += " AND r.industries LIKE ?"
		args = append(args, "%,"+store.EscapeLike(q.Industry)+",%")
	}
	if q.Text != "" {
		like := "%" + store.EscapeLike(q.Text) + "%"
		where += " AND (r.name LIKE ? ESCAPE '\\' OR r.provider LIKE ? ESCAPE '\\' OR r.tags LIKE ? ESCAPE '\\')"
		args = append(args, like, like, like)
	}
	r := s.engine.Reader()
	var total int
	if err := store.Scan(r.Row(ctx, "SELECT COUNT(*) FROM policy_resources r WHERE "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count resources: %w", err)
	}
	limit, offset := q.Page.Bounds()
	out, err := store.Collect(ctx, r, scanResource, "SELECT "+resourceColumns+" FROM policy_resources r WHERE "+where+" ORDER BY r.kind, r.id LIMIT ? OFFSET ?",
		append(args, limit, offset)...)
	return out, total, wrap(err, "list resources")
}

// Resource returns one resource.
func (s *Store) Resource(ctx context.Context, id int64) (policy.Resource, error) {
	return scanResource(s.engine.Reader().Row(ctx, "SELECT "+resourceColumns+" FROM policy_resources r WHERE r.id = ?", id))
}

// Match is a resource recommended to an enterprise, with why.
type Match struct {
	Resource policy.Resource `json:"resource"`
	Fit      policy.Fit      `json:"fit"`
}

// Recommend lists the resources that fit an enterprise the actor may read,
// the best first.
func (s *Store) Recommend(ctx context.Context, actor access.Actor, enterpriseID int64, limit int) ([]Match, error) {
	r := s.engine.Reader()
	if err := s.mayRead(ctx, r, actor, access.PolicyRead, enterpriseID); err != nil {
		return nil, err
	}
	all, err := store.Collect(ctx, r, scanResource, "SELECT "+resourceColumns+" FROM policy_resources r ORDER BY r.id")
	if err != nil {
		return nil, err
	}
	return s.recommend(ctx, r, all, enterpriseID, limit)
}

func (s *Store) recommend(ctx context.Context, h store.DB, all []policy.Resource, enterpriseID int64, limit int) ([]Match, error) {
	var industry, tags string
	if err := store.Scan(h.Row(ctx, "SELECT industry, tags FROM enterprises WHERE id = ?", enterpriseID), &industry, &tags); err != nil {
		return nil, err
	}
	needs, err := store.Collect(ctx, h, func(sc store.Scanner) (string, error) {
		var t string
		return t, sc.Scan(&t)
	}, "SELECT txt FROM enterprise_facts WHERE enterprise_id = ? AND kind = 'bottleneck' ORDER BY period DESC LIMIT 10", enterpriseID)
	if err != nil {
		return nil, err
	}
	var tagList []string
	if tags != "" {
		tagList = strings.Split(tags, ",")
	}
	var out []Match
	for _, res := range all {
		if f := policy.FitOf(res, industry, tagList, needs); f.Score > 0 {
			out = append(out, Match{Resource: res, Fit: f})
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int { return b.Fit.Score - a.Fit.Score })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Digest tells every enterprise with an account of the resources that fit
// it best, in one notice each; it returns how many were told.
func (s *Store) Digest(ctx context.Context, actor access.Actor) (int, error) {
	if !access.May(actor.Role, access.PolicyManage) {
		return 0, access.ErrForbidden
	}
	r := s.engine.Reader()
	all, err := store.Collect(ctx, r, scanResource, "SELECT "+resourceColumns+" FROM policy_resources r ORDER BY r.id")
	if err != nil {
		return 0, err
	}
	ids, err := store.Collect(ctx, r, store.Int64, "SELECT DISTINCT enterprise_id FROM users WHERE enterprise_id IS NOT NULL AND disabled = FALSE ORDER BY enterprise_id")
	if err != nil {
		return 0, err
	}
	told := 0
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		told = 0
		for _, id := range ids {
			m, err := s.recommend(ctx, tx.DB(), all, id, 5)
			if err != nil {
				return err
			}
			if len(m) == 0 {
				continue
			}
			if err := tx.Notify(ctx, store.EnterpriseUsers(id), "policy.digest", "/policy/resources/mine",
				fmt.Sprintf("为您推荐 %d 项创新资源：%s 等", len(m), m[0].Resource.Name)); err != nil {
				return err
			}
			told++
		}
		return tx.Record(ctx, actor, "policy.digest", "policy_resources", "ok", map[string]any{"told": told})
	})
	return told, err
}

// Request is an enterprise's request for a resource.
type Request struct {
	ID           int64     `json:"id"`
	ResourceID   int64     `json:"resource_id"`
	Resource     string    `json:"resource"`
	DepartmentID int64     `json:"department_id"`
	EnterpriseID int64     `json:"enterprise_id"`
	Enterprise   string    `json:"enterprise"`
	Body         string    `json:"body"`
	State        string    `json:"state"` // open, answered
	Answer       string    `json:"answer"`
	CreatedAt    time.Time `json:"created_at"`
	AnsweredAt   time.Time `json:"answered_at"`
	Version      int       `json:"version"`
}

const requestColumns = `q.id, q.resource_id, r.name, r.department_id, q.enterprise_id, e.name, q.body, q.state, q.answer, q.created_at, q.answered_at, q.version`

const requestFrom = ` FROM policy_requests q JOIN policy_resources r ON r.id = q.resource_id JOIN enterprises e ON e.id = q.enterprise_id`

func scanRequest(sc store.Scanner) (Request, error) {
	var q Request
	var created, answered int64
	err := sc.Scan(&q.ID, &q.ResourceID, &q.Resource, &q.DepartmentID, &q.EnterpriseID, &q.Enterprise, &q.Body, &q.State, &q.Answer,
		&created, &answered, &q.Version)
	q.CreatedAt, q.AnsweredAt = store.Millis(created), store.Millis(answered)
	return q, store.ScanErr(err)
}

// requestScope: the enterprises in the actor's reach, or for a department
// the requests on its lists.
func requestScope(actor access.Actor) (string, []any) {
	if f := access.FilterFor(actor, access.PolicyManage); f.Reach == access.Dispatched {
		return "r.department_id = ?", []any{f.DepartmentID}
	}
	return store.EnterpriseScope(actor, access.PolicyRead)
}

// RequestResource records an enterprise's request and tells the keeping department.
func (s *Store) RequestResource(ctx context.Context, actor access.Actor, resourceID, enterpriseID int64, body string) (Request, error) {
	body = strings.TrimSpace(body)
	if body == "" || len([]rune(body)) > 1000 {
		return Request{}, fault.Fields{"body": {Zh: "请写明需求，不超过 1000 字", En: "describe the need, at most 1000 characters"}}.Err()
	}
	if err := s.mayRead(ctx, s.engine.Reader(), actor, access.PolicyClaim, enterpriseID); err != nil {
		return Request{}, err
	}
	res, err := s.Resource(ctx, resourceID)
	if err != nil {
		return Request{}, err
	}
	var q Request
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now().UnixMilli()
		var id int64
		if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO policy_requests (resource_id, enterprise_id, body, state, created_by, created_at)
			VALUES (?, ?, ?, 'open', ?, ?) RETURNING id`, resourceID, enterpriseID, body, actor.UserID, now), &id); err != nil {
			return fmt.Errorf("insert request: %w", err)
		}
		var err error
		if q, err = scanRequest(tx.DB().Row(ctx, "SELECT "+requestColumns+requestFrom+" WHERE q.id = ?", id)); err != nil {
			return err
		}
		if err := tx.Notify(ctx, departmentStaff(res.DepartmentID), "policy.request", fmt.Sprintf("/policy/requests/%d", id),
			q.Enterprise+" 申请使用："+res.Name); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "policy.request", fmt.Sprintf("policy_request/%d", id), "ok", map[string]any{"resource": resourceID})
	})
	return q, err
}

// Requests lists the requests the actor may read, the open first.
func (s *Store) Requests(ctx context.Context, actor access.Actor, state string, page store.Page) ([]Request, int, error) {
	if !access.May(actor.Role, access.PolicyRead) && !access.May(actor.Role, access.PolicyManage) {
		return nil, 0, access.ErrForbidden
	}
	where, args := requestScope(actor)
	if state != "" {
		where += " AND q.state = ?"
		args = append(args, state)
	}
	r := s.engine.Reader()
	var total int
	if err := store.Scan(r.Row(ctx, "SELECT COUNT(*)"+requestFrom+" WHERE "+where, args...), &total); err != nil {
		return nil, 0, err
	}
	limit, offset := page.Bounds()
	out, err := store.Collect(ctx, r, scanRequest, "SELECT "+requestColumns+requestFrom+" WHERE "+where+
		" ORDER BY CASE q.state WHEN 'open' THEN 0 ELSE 1 END, q.id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, err
}

// RequestOf returns one request the actor may read.
func (s *Store) RequestOf(ctx context.Context, actor access.Actor, id int64) (Request, error) {
	where, args := requestScope(actor)
	return scanRequest(s.engine.Reader().Row(ctx, "SELECT "+requestColumns+requestFrom+" WHERE q.id = ? AND "+where, append([]any{id}, args...)...))
}

// Answer records the provider's answer to a request, by the keeping department.
func (s *Store) Answer(ctx context.Context, actor access.Actor, id int64, version int, answer string) (Request, error) {
	answer = strings.TrimSpace(answer)
	if answer == "" || len([]rune(answer)) > 1000 {
		return Request{}, fault.Fields{"answer": {Zh: "请填写答复，不超过 1000 字", En: "the answer, at most 1000 characters"}}.Err()
	}
	q, err := s.RequestOf(ctx, actor, id)
	if err != nil {
		return q, err
	}
	if !MayManageDepartment(actor, q.DepartmentID) {
		return q, access.ErrForbidden
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now().UnixMilli()
		res, err := tx.DB().Exec(ctx, "UPDATE policy_requests SET state = 'answered', answer = ?, answered_by = ?, answered_at = ?, version = version + 1 WHERE id = ? AND version = ? AND state = 'open'",
			answer, actor.UserID, now, id, version)
		if err != nil {
			return err
		}
		if affected(res) == 0 {
			return stale("该需求已被答复，请刷新", "the request was answered meanwhile; reload")
		}
		q.State, q.Answer, q.AnsweredAt, q.Version = "answered", answer, time.UnixMilli(now), version+1
		if err := tx.Notify(ctx, store.EnterpriseUsers(q.EnterpriseID), "policy.request", fmt.Sprintf("/policy/requests/%d", id), q.Resource+" 已答复"); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "policy.answer", fmt.Sprintf("policy_request/%d", id), "ok", nil)
	})
	return q, err
}
