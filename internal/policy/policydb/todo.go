package policydb

// Precise push's part of every person's to-do list: an enterprise's
// benefits to apply for or confirm and the materials asked of it; a grid
// worker's or cadre's enterprises that qualify and have not applied (a
// count per benefit, never a list pushed to a group); a department's
// applications to review on the working-day calendar, dry runs to sign
// off, lists to notice or approve, and resource requests to answer.

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/policy"
	"qifu/internal/store"
	"qifu/internal/todo"
)

// TodoKinds are the kinds of work precise push gives a role.
func (s *Store) TodoKinds(role access.Role) []string {
	switch role {
	case access.RoleEnterprise:
		return []string{"policy.apply", "policy.confirm", "policy.more"}
	case access.RoleGridWorker, access.RoleCadre:
		return []string{"policy.chase"}
	case access.RoleDepartment:
		return []string{"policy.review", "policy.sign", "policy.notice", "policy.request"}
	}
	return nil
}

// windowColour colours a benefit's closing day: red within 3 days, yellow within 10.
func windowColour(closes string, now time.Time) (time.Time, string) {
	due, err := time.ParseInLocation(time.DateOnly, closes, calendar.Shanghai)
	if err != nil {
		return time.Time{}, ""
	}
	due = due.Add(24*time.Hour - time.Second)
	switch left := due.Sub(now); {
	case left <= 3*24*time.Hour:
		return due, "red"
	case left <= 10*24*time.Hour:
		return due, "yellow"
	}
	return due, "green"
}

// Todo lists the actor's open work of a kind.
func (s *Store) Todo(ctx context.Context, actor access.Actor, kind string, limit int) ([]todo.Item, int, error) {
	r := s.engine.Reader()
	now := s.engine.Now()
	day := s.today()
	var items []todo.Item
	switch {
	case kind == "policy.apply" && actor.EnterpriseID != 0:
		rows, err := store.Collect(ctx, r, func(sc store.Scanner) (todo.Item, error) {
			var id int64
			var title, closes string
			err := sc.Scan(&id, &title, &closes)
			due, colour := windowColour(closes, now)
			return todo.Item{Kind: kind, Ref: fmt.Sprintf("B%d", id), Title: title, Href: fmt.Sprintf("/policy/benefits/%d", id), Due: due, Colour: colour}, err
		}, `SELECT b.id, b.title, b.closes FROM policy_pushes p JOIN policy_benefits b ON b.id = p.benefit_id
			WHERE p.enterprise_id = ? AND b.state = 'published' AND b.mode = 'apply' AND b.opens <= ? AND b.closes >= ?
			AND NOT EXISTS (SELECT 1 FROM policy_claims c WHERE c.benefit_id = b.id AND c.enterprise_id = p.enterprise_id)
			ORDER BY b.closes`, actor.EnterpriseID, day, day)
		if err != nil {
			return nil, 0, err
		}
		items = rows
	case (kind == "policy.confirm" || kind == "policy.more") && actor.EnterpriseID != 0:
		state := policy.Matched
		if kind == "policy.more" {
			state = policy.More
		}
		rows, err := store.Collect(ctx, r, func(sc store.Scanner) (todo.Item, error) {
			var id int64
			var title, closes string
			err := sc.Scan(&id, &title, &closes)
			due, colour := windowColour(closes, now)
			return todo.Item{Kind: kind, Ref: fmt.Sprintf("C%d", id), Title: title, Href: fmt.Sprintf("/policy/claims/%d", id), Due: due, Colour: colour}, err
		}, `SELECT c.id, b.title, b.closes FROM policy_claims c JOIN policy_benefits b ON b.id = c.benefit_id
			WHERE c.enterprise_id = ? AND c.state = ? AND b.state = 'published' AND b.closes >= ? ORDER BY b.closes`, actor.EnterpriseID, state, day)
		if err != nil {
			return nil, 0, err
		}
		items = rows
	case kind == "policy.chase" && access.May(actor.Role, access.PolicyRead):
		cond, args := store.EnterpriseScope(actor, access.PolicyRead)
		rows, err := store.Collect(ctx, r, func(sc store.Scanner) (todo.Item, error) {
			var id int64
			var n int
			var title, closes string
			err := sc.Scan(&id, &title, &closes, &n)
			due, colour := windowColour(closes, now)
			// Titles hold no words of the UI: the list names the kind.
			return todo.Item{Kind: kind, Ref: fmt.Sprintf("%d", n), Title: fmt.Sprintf("%d × %s", n, title),
				Href: fmt.Sprintf("/policy/benefits/%d/enterprises", id), Due: due, Colour: colour}, err
		}, `SELECT b.id, b.title, b.closes, COUNT(*) FROM policy_pushes p JOIN policy_benefits b ON b.id = p.benefit_id
			JOIN enterprises e ON e.id = p.enterprise_id
			WHERE p.verdict = 'met' AND b.state = 'published' AND b.opens <= ? AND b.closes >= ? AND `+cond+`
			AND NOT EXISTS (SELECT 1 FROM policy_claims c WHERE c.benefit_id = b.id AND c.enterprise_id = p.enterprise_id AND c.state <> 'matched')
			GROUP BY b.id, b.title, b.closes ORDER BY b.closes`, append([]any{day, day}, args...)...)
		if err != nil {
			return nil, 0, err
		}
		items = rows
	case kind == "policy.review" && actor.DepartmentID != 0:
		cal, err := s.engine.Calendar(ctx)
		if err != nil {
			return nil, 0, err
		}
		claims, err := store.Collect(ctx, r, scanClaim, "SELECT "+claimColumns+claimFrom+
			" WHERE b.department_id = ? AND c.state = 'submitted' ORDER BY c.due_at, c.id", actor.DepartmentID)
		if err != nil {
			return nil, 0, err
		}
		for _, c := range claims {
			colour := "green"
			switch used := cal.Used(c.UpdatedAt, c.Due, now); {
			case used >= 1:
				colour = "red"
			case used >= 0.75:
				colour = "yellow"
			}
			items = append(items, todo.Item{Kind: kind, Ref: fmt.Sprintf("C%d", c.ID), Title: c.Benefit, Enterprise: c.Enterprise,
				Href: fmt.Sprintf("/policy/claims/%d", c.ID), Due: c.Due, Colour: colour})
		}
	case kind == "policy.sign" && actor.DepartmentID != 0:
		rows, err := store.Collect(ctx, r, func(sc store.Scanner) (todo.Item, error) {
			var id int64
			var title string
			err := sc.Scan(&id, &title)
			return todo.Item{Kind: kind, Ref: fmt.Sprintf("B%d", id), Title: title, Href: fmt.Sprintf("/policy/benefits/%d", id)}, err
		}, `SELECT b.id, b.title FROM policy_benefits b JOIN policies p ON p.id = b.policy_id
			WHERE b.state = 'draft' AND p.department_id = ? AND b.edited_by <> ?
			AND EXISTS (SELECT 1 FROM policy_dryruns r WHERE r.benefit_id = b.id AND r.benefit_version = b.version AND r.signed_by = 0)
			AND NOT EXISTS (SELECT 1 FROM policy_dryruns r WHERE r.benefit_id = b.id AND r.benefit_version = b.version AND r.signed_by <> 0)
			ORDER BY b.id`, actor.DepartmentID, actor.UserID)
		if err != nil {
			return nil, 0, err
		}
		items = rows
	case kind == "policy.notice" && actor.DepartmentID != 0:
		rows, err := store.Collect(ctx, r, func(sc store.Scanner) (todo.Item, error) {
			var id int64
			var title string
			var n int
			err := sc.Scan(&id, &title, &n)
			return todo.Item{Kind: kind, Ref: fmt.Sprintf("%d", n), Title: fmt.Sprintf("%d × %s", n, title), Href: fmt.Sprintf("/policy/benefits/%d", id)}, err
		}, `SELECT b.id, b.title, COUNT(*) FROM policy_claims c JOIN policy_benefits b ON b.id = c.benefit_id
			LEFT JOIN policy_notices n ON n.id = c.notice_id
			WHERE b.department_id = ? AND (c.state = 'confirmed' OR (c.state = 'noticed' AND n.closes < ? AND n.approved_at = 0))
			GROUP BY b.id, b.title ORDER BY b.id`, actor.DepartmentID, day)
		if err != nil {
			return nil, 0, err
		}
		items = rows
	case kind == "policy.request" && actor.DepartmentID != 0:
		rows, err := store.Collect(ctx, r, func(sc store.Scanner) (todo.Item, error) {
			var id int64
			var title, ent string
			var at int64
			err := sc.Scan(&id, &title, &ent, &at)
			return todo.Item{Kind: kind, Ref: fmt.Sprintf("R%d", id), Title: title, Enterprise: ent, Href: fmt.Sprintf("/policy/requests/%d", id),
				Due: time.UnixMilli(at).Add(5 * 24 * time.Hour)}, err
		}, `SELECT q.id, r.name, e.name, q.created_at FROM policy_requests q JOIN policy_resources r ON r.id = q.resource_id
			JOIN enterprises e ON e.id = q.enterprise_id WHERE r.department_id = ? AND q.state = 'open' ORDER BY q.id`, actor.DepartmentID)
		if err != nil {
			return nil, 0, err
		}
		items = rows
	}
	todo.Sort(items)
	n := len(items)
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	return items, n, nil
}
