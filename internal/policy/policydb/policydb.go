// Package policydb keeps precise push (精准推送) on the store's engine: the
// policies and their benefits (this file and benefits.go), the enterprises'
// profiles the evaluator reads (profiles.go), the dry run, its sign-off and
// the publication that tells each qualifying enterprise privately
// (publish.go), the enterprise's check-up and the re-evaluation of changed
// enterprises (checkup.go), applications and 免申即享 claims with their
// public notice, payment export and hand-over (claims.go, notices.go), the
// blacklist (blacklist.go), the innovation resources (resources.go), the
// to-dos (todo.go) and the funnel (figures.go). Every change is one
// transaction with its audit entry and notices. The rules are package
// policy's.
package policydb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/store"
)

// Store is precise push's part of the store.
type Store struct {
	engine *store.Store
	// compiled holds each benefit's conditions compiled once per version.
	mu       sync.Mutex
	compiled map[int64]compiledBenefit
	// force are the benefits in force, read again when forceKey changes.
	force    []ruled
	forceKey string
	// cache holds every enterprise's profile for evaluations over all.
	cache profileCache
}

type compiledBenefit struct {
	version int
	c       *policy.Compiled
}

// New builds precise push's store on the engine.
func New(engine *store.Store) *Store {
	engine.Register(store.Module{Name: "policy"})
	return &Store{engine: engine, compiled: map[int64]compiledBenefit{}}
}

// Now is the store's time.
func (s *Store) Now() time.Time { return s.engine.Now() }

// today is the day in the district's zone.
func (s *Store) today() string { return policy.Today(s.engine.Now()) }

// compile returns a benefit's compiled conditions, compiling them once per
// version.
func (s *Store) compile(b policy.Benefit) (*policy.Compiled, error) {
	s.mu.Lock()
	c, ok := s.compiled[b.ID]
	s.mu.Unlock()
	if ok && c.version == b.Version {
		return c.c, nil
	}
	cc, err := policy.Compile(b.Conditions)
	if err != nil {
		return nil, fmt.Errorf("benefit %d: %w", b.ID, err)
	}
	s.mu.Lock()
	s.compiled[b.ID] = compiledBenefit{version: b.Version, c: cc}
	s.mu.Unlock()
	return cc, nil
}

const policyColumns = `p.id, p.title, p.issuer, p.doc_no, p.family, p.department_id, d.name, d.name_en, p.published, p.in_force,
	p.until_day, p.body, p.state, p.version`

func scanPolicy(sc store.Scanner) (policy.Policy, error) {
	var p policy.Policy
	err := sc.Scan(&p.ID, &p.Title, &p.Issuer, &p.DocNo, &p.Family, &p.DepartmentID, &p.Department, &p.DepartmentEn, &p.Published, &p.InForce,
		&p.Until, &p.Text, &p.State, &p.Version)
	return p, store.ScanErr(err)
}

// manageScope is the condition on a department column that the actor may
// manage: its own department's, or every one for an administrator.
func manageScope(actor access.Actor, col string) (string, []any) {
	f := access.FilterFor(actor, access.PolicyManage)
	switch f.Reach {
	case access.All:
		return "1 = 1", nil
	case access.Dispatched:
		return col + " = ?", []any{f.DepartmentID}
	}
	return "1 = 0", nil
}

// policyVisible: published policies are everyone's; drafts their keepers'.
func policyVisible(actor access.Actor) (string, []any) {
	cond, args := manageScope(actor, "p.department_id")
	return "(p.state <> 'draft' OR " + cond + ")", args
}

// PolicyQuery selects policies.
type PolicyQuery struct {
	Family string
	State  string
	Text   string
	Page   store.Page
}

// Policies lists the policies the actor may read, the newest first.
func (s *Store) Policies(ctx context.Context, actor access.Actor, q PolicyQuery) ([]policy.Policy, int, error) {
	where, args := policyVisible(actor)
	if q.Family != "" {
		where += " AND p.family = ?"
		args = append(args, q.Family)
	}
	if q.State != "" {
		where += " AND p.state = ?"
		args = append(args, q.State)
	}
	if q.Text != "" {
		where += " AND (p.title LIKE ? ESCAPE '\\' OR p.doc_no LIKE ? ESCAPE '\\')"
		like := "%" + store.EscapeLike(q.Text) + "%"
		args = append(args, like, like)
	}
	r := s.engine.Reader()
	var total int
	if err := store.Scan(r.Row(ctx, "SELECT COUNT(*) FROM policies p WHERE "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count policies: %w", err)
	}
	limit, offset := q.Page.Bounds()
	list, err := store.Collect(ctx, r, scanPolicy, "SELECT "+policyColumns+` FROM policies p JOIN departments d ON d.id = p.department_id
		WHERE `+where+" ORDER BY p.published DESC, p.id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return list, total, wrap(err, "list policies")
}

// Families are the policy families with published policies, for a filter.
func (s *Store) Families(ctx context.Context) ([]string, error) {
	return store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (string, error) {
		var f string
		return f, sc.Scan(&f)
	}, "SELECT DISTINCT family FROM policies WHERE state = 'published' AND family <> '' ORDER BY family")
}

// Policy returns a policy the actor may read, with its benefits.
func (s *Store) Policy(ctx context.Context, actor access.Actor, id int64) (policy.Policy, error) {
	p, err := s.policy(ctx, s.engine.Reader(), actor, id)
	if err != nil {
		return p, err
	}
	p.Benefits, err = s.benefitsOf(ctx, s.engine.Reader(), actor, id)
	return p, err
}

func (s *Store) policy(ctx context.Context, h store.DB, actor access.Actor, id int64) (policy.Policy, error) {
	where, args := policyVisible(actor)
	return scanPolicy(h.Row(ctx, "SELECT "+policyColumns+` FROM policies p JOIN departments d ON d.id = p.department_id
		WHERE p.id = ? AND `+where, append([]any{id}, args...)...))
}

// SavePolicy creates a policy (ID 0) as a draft, or updates one at its
// version. A published policy's text may still be corrected; its state
// changes only through Publish and Withdraw.
func (s *Store) SavePolicy(ctx context.Context, actor access.Actor, p policy.Policy) (policy.Policy, error) {
	if !access.May(actor.Role, access.PolicyManage) {
		return p, access.ErrForbidden
	}
	p.Normalize()
	if p.ID == 0 && p.DepartmentID == 0 {
		p.DepartmentID = actor.DepartmentID
	}
	if err := p.Check(); err != nil {
		return p, err
	}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now().UnixMilli()
		if p.ID == 0 {
			if !MayManageDepartment(actor, p.DepartmentID) {
				return fault.Fields{"department_id": {Zh: "只能为本部门发布政策", En: "a policy of your own department only"}}.Err()
			}
			if err := departmentExists(ctx, tx.DB(), p.DepartmentID); err != nil {
				return err
			}
			p.State, p.Version = policy.Draft, 1
			if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO policies (title, issuer, doc_no, family, department_id, published, in_force,
				until_day, body, state, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				p.Title, p.Issuer, p.DocNo, p.Family, p.DepartmentID, p.Published, p.InForce, p.Until, p.Text, p.State,
				actor.UserID, now, now), &p.ID); err != nil {
				return fmt.Errorf("insert policy: %w", err)
			}
			return tx.Record(ctx, actor, "policy.create", fmt.Sprintf("policy/%d", p.ID), "ok", map[string]any{"title": p.Title})
		}
		old, err := s.policy(ctx, tx.DB(), actor, p.ID)
		if err != nil {
			return err
		}
		if !MayManageDepartment(actor, old.DepartmentID) {
			return access.ErrForbidden // it is visible: published
		}
		if p.DepartmentID == 0 {
			p.DepartmentID = old.DepartmentID
		}
		if !MayManageDepartment(actor, p.DepartmentID) {
			return fault.Fields{"department_id": {Zh: "只能为本部门发布政策", En: "a policy of your own department only"}}.Err()
		}
		if err := departmentExists(ctx, tx.DB(), p.DepartmentID); err != nil {
			return err
		}
		res, err := tx.DB().Exec(ctx, `UPDATE policies SET title = ?, issuer = ?, doc_no = ?, family = ?, department_id = ?, published = ?,
			in_force = ?, until_day = ?, body = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
			p.Title, p.Issuer, p.DocNo, p.Family, p.DepartmentID, p.Published, p.InForce, p.Until, p.Text, now, p.ID, p.Version)
		if err != nil {
			return fmt.Errorf("update policy: %w", err)
		}
		if affected(res) == 0 {
			return stale("该政策已被他人修改，请刷新后重试", "the policy changed meanwhile; reload and try again")
		}
		p.State, p.Version = old.State, p.Version+1
		return tx.Record(ctx, actor, "policy.update", fmt.Sprintf("policy/%d", p.ID), "ok", map[string]any{"title": p.Title})
	})
	return p, err
}

// departmentExists refuses a department qifu does not know.
func departmentExists(ctx context.Context, h store.DB, id int64) error {
	var n int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM departments WHERE id = ?", id), &n); err != nil {
		return err
	}
	if n == 0 {
		return fault.Fields{"department_id": {Zh: "请选择部门", En: "choose the department"}}.Err()
	}
	return nil
}

// PublishPolicy makes a draft policy public: its page is everyone's and
// the group robots announce its title and number — never who qualifies.
func (s *Store) PublishPolicy(ctx context.Context, actor access.Actor, id int64, version int) (policy.Policy, error) {
	return s.setPolicyState(ctx, actor, id, version, policy.Draft, policy.Published)
}

// WithdrawPolicy withdraws a published policy and closes its benefits.
func (s *Store) WithdrawPolicy(ctx context.Context, actor access.Actor, id int64, version int) (policy.Policy, error) {
	return s.setPolicyState(ctx, actor, id, version, policy.Published, policy.Retracted)
}

func (s *Store) setPolicyState(ctx context.Context, actor access.Actor, id int64, version int, from, to string) (policy.Policy, error) {
	if !access.May(actor.Role, access.PolicyManage) {
		return policy.Policy{}, access.ErrForbidden
	}
	var p policy.Policy
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = s.policy(ctx, tx.DB(), actor, id); err != nil {
			return err
		}
		if !MayManageDepartment(actor, p.DepartmentID) {
			return access.ErrForbidden
		}
		if p.State != from {
			return fault.New(fault.Conflict, "policy_state", "该政策当前状态不能执行此操作", "the policy is not in a state for this")
		}
		res, err := tx.DB().Exec(ctx, "UPDATE policies SET state = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ? AND state = ?",
			to, tx.Now().UnixMilli(), id, version, from)
		if err != nil {
			return fmt.Errorf("policy state: %w", err)
		}
		if affected(res) == 0 {
			return stale("该政策已被他人修改，请刷新后重试", "the policy changed meanwhile; reload and try again")
		}
		p.State, p.Version = to, version+1
		if to == policy.Retracted {
			if _, err := tx.DB().Exec(ctx, "UPDATE policy_benefits SET state = ?, version = version + 1 WHERE policy_id = ? AND state <> ?",
				policy.Retracted, id, policy.Retracted); err != nil {
				return fmt.Errorf("close benefits: %w", err)
			}
		} else if err := announce(ctx, tx, p); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "policy."+to, fmt.Sprintf("policy/%d", id), "ok", map[string]any{"title": p.Title})
	})
	return p, err
}

// announce puts a published policy's title in the outbox of every group
// robot of a region and of its department: the policy is public, so it
// may go to groups; who qualifies and how much never does.
func announce(ctx context.Context, tx *store.Tx, p policy.Policy) error {
	text := "【企服】新政策发布：《" + p.Title + "》"
	if p.DocNo != "" {
		text += "（" + p.DocNo + "）"
	}
	text += "，请在企服“政策”中查看是否可享。"
	now := tx.Now().UnixMilli()
	_, err := tx.DB().Exec(ctx, `INSERT INTO outbox (webhook_id, kind, text, created_at, next_at)
		SELECT w.id, 'policy.published', ?, ?, ? FROM webhooks w WHERE w.enabled = TRUE
		AND (w.scope_kind = 'region' OR (w.scope_kind = 'department' AND w.scope = ?))`, text, now, now, fmt.Sprint(p.DepartmentID))
	if err != nil {
		return fmt.Errorf("announce policy: %w", err)
	}
	return nil
}

// MayManageDepartment reports whether the actor keeps the policies,
// benefits, blacklist and resource lists of a department (the pages ask it
// to decide what to offer).
func MayManageDepartment(actor access.Actor, departmentID int64) bool {
	f := access.FilterFor(actor, access.PolicyManage)
	return f.Reach == access.All || (f.Reach == access.Dispatched && f.DepartmentID == departmentID)
}

// MayReview reports whether the actor reviews the claims of the benefits
// a department grants.
func MayReview(actor access.Actor, departmentID int64) bool {
	f := access.FilterFor(actor, access.PolicyReview)
	return f.Reach == access.All || (f.Reach == access.Dispatched && f.DepartmentID == departmentID)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain data of this package's types
	}
	return string(b)
}

// stale is the conflict of a change that lost its race.
func stale(zh, en string) error {
	return fault.New(fault.Conflict, "policy_stale", zh, en)
}

func wrap(err error, what string) error {
	if err == nil || fault.As(err) != nil {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// affected is the number of rows a statement changed.
func affected(res interface{ RowsAffected() (int64, error) }) int64 {
	n, _ := res.RowsAffected()
	return n
}

// list joins words as the SQL keeps them: ",a,b,".
func list(words []string) string {
	return "," + strings.Join(words, ",") + ","
}

// unlist reads words kept by list.
func unlist(s string) []string {
	var out []string
	for _, w := range strings.Split(strings.Trim(s, ","), ",") {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// own reports whether the actor is the enterprise's own account.
func own(actor access.Actor, enterpriseID int64) bool {
	return actor.Role == access.RoleEnterprise && actor.EnterpriseID != 0 && actor.EnterpriseID == enterpriseID
}

// departmentStaff are the staff of a department, for a notice.
func departmentStaff(id int64) store.Recipients {
	return store.Recipients{Query: "SELECT id FROM users WHERE role = ? AND department_id = ? AND disabled = FALSE",
		Args: []any{string(access.RoleDepartment), id}}
}
