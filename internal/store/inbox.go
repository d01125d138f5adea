package store

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
)

// The in-app inbox: every notification of the appeal workflow lands here,
// written in the same transaction as the change it announces, so a committed
// change is never without its notice and a rolled-back one never has one.

// recipients is a kind of recipient of an appeal's notice.
type recipients int

const (
	toCommunity       recipients = iota // the community's staff and the grid's worker
	toDepartment                        // all the department's staff
	toHandlers                          // the department's staff who signed for it, or all while none has
	toStreetLeaders                     // the leaders of the appeal's street
	toDistrictLeaders                   // the leaders of the appeal's district
	toEnterprise                        // the enterprise's users and whoever raised the appeal for it
)

var allRecipients = []recipients{toCommunity, toDepartment, toHandlers, toStreetLeaders, toDistrictLeaders, toEnterprise}

// recipientsOf is the condition on users u of each kind of recipient of the
// notice v (appeal_id, dept) of appeal a.
var recipientsOf = map[recipients]string{
	toCommunity: "(u.role = '" + string(access.RoleCommunityStaff) + "' AND u.region_code = a.community_code) OR (u.role = '" +
		string(access.RoleGridWorker) + "' AND u.region_code = a.grid_code)",
	toDepartment: "u.role = '" + string(access.RoleDepartment) + "' AND u.department_id = v.dept",
	toHandlers: "u.role = '" + string(access.RoleDepartment) + `' AND u.department_id = v.dept AND (u.id IN
		(SELECT signed_by FROM appeal_dispatches WHERE appeal_id = v.appeal_id AND department_id = v.dept AND signed_by IS NOT NULL)
		OR NOT EXISTS (SELECT 1 FROM appeal_dispatches WHERE appeal_id = v.appeal_id AND department_id = v.dept AND signed_by IS NOT NULL))`,
	toStreetLeaders:   "u.role = '" + string(access.RoleStreetLeader) + "' AND u.region_code = a.street_code",
	toDistrictLeaders: "u.role = '" + string(access.RoleDistrictLeader) + "' AND u.region_code = a.district_code",
	toEnterprise:      "u.enterprise_id = a.enterprise_id OR (u.id = a.raised_by AND u.role <> '" + string(access.RoleEnterprise) + "')",
}

// notice is one notice of an appeal to one kind of recipient; dept is the
// department for toDepartment and toHandlers.
type notice struct {
	appealID, dept int64
	kind, title    string
}

// notifyAll writes notices to one kind of recipient, with one statement.
func (t *Tx) notifyAll(ctx context.Context, now time.Time, to recipients, list []notice) error {
	if len(list) == 0 {
		return nil
	}
	args := make([]any, 0, 4*len(list)+1)
	for _, n := range list {
		args = append(args, n.appealID, n.dept, n.kind, n.title)
	}
	q := "WITH v (appeal_id, dept, kind, title) AS (VALUES " + tuples("(CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?)", len(list)) + `)
		INSERT INTO inbox (user_id, at, appeal_id, kind, title)
		SELECT u.id, ?, v.appeal_id, v.kind, v.title FROM v JOIN appeals a ON a.id = v.appeal_id
		JOIN users u ON u.disabled = FALSE AND (` + recipientsOf[to] + `)`
	if _, err := t.db().exec(ctx, q, append(args, now.UnixMilli())...); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// notifyCommunity notifies the community staff of the appeal's community and
// the grid worker of its grid, and the community's group robots.
func (t *Tx) notifyCommunity(ctx context.Context, now time.Time, appealID int64, kind, title string) error {
	if err := t.enqueueAll(ctx, now, []robotMessage{{appealID: appealID, kind: kind, text: title}}); err != nil {
		return err
	}
	return t.notifyAll(ctx, now, toCommunity, []notice{{appealID: appealID, kind: kind, title: title}})
}

// notifyEnterprise notifies the enterprise's users and whoever raised the appeal for it.
func (t *Tx) notifyEnterprise(ctx context.Context, now time.Time, appealID int64, kind, title string) error {
	return t.notifyAll(ctx, now, toEnterprise, []notice{{appealID: appealID, kind: kind, title: title}})
}

// notifyDepartment notifies the staff of a department, and its group robots.
func (t *Tx) notifyDepartment(ctx context.Context, now time.Time, appealID, deptID int64, kind, title string) error {
	if err := t.enqueueAll(ctx, now, []robotMessage{{appealID: appealID, dept: deptID, kind: kind, text: title}}); err != nil {
		return err
	}
	return t.notifyAll(ctx, now, toDepartment, []notice{{appealID: appealID, dept: deptID, kind: kind, title: title}})
}

// notifyLeaders notifies the leaders of the appeal's street (level "street")
// or district (level "district").
func (t *Tx) notifyLeaders(ctx context.Context, now time.Time, appealID int64, level, kind, title string) error {
	to := toStreetLeaders
	if level == "district" {
		to = toDistrictLeaders
	}
	return t.notifyAll(ctx, now, to, []notice{{appealID: appealID, kind: kind, title: title}})
}

// Notice is one line of a user's inbox.
type Notice struct {
	ID       int64
	At       time.Time
	AppealID int64
	Kind     string
	Title    string
	Read     bool
}

// Inbox returns the actor's newest notices and how many are unread.
func (s *Store) Inbox(ctx context.Context, actor access.Actor, page Page) ([]Notice, int, error) {
	h := s.reader()
	var unread int
	if err := scan(h.row(ctx, "SELECT COUNT(*) FROM inbox WHERE user_id = ? AND read_at = 0", actor.UserID), &unread); err != nil {
		return nil, 0, fmt.Errorf("count inbox: %w", err)
	}
	limit, offset := page.bounds()
	rows, err := h.query(ctx, `SELECT id, at, COALESCE(appeal_id, 0), kind, title, read_at FROM inbox WHERE user_id = ?
		ORDER BY id DESC LIMIT ? OFFSET ?`, actor.UserID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("read inbox: %w", err)
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		var n Notice
		var at, read int64
		if err := rows.Scan(&n.ID, &at, &n.AppealID, &n.Kind, &n.Title, &read); err != nil {
			return nil, 0, err
		}
		n.At, n.Read = time.UnixMilli(at), read != 0
		out = append(out, n)
	}
	return out, unread, rows.Err()
}

// MarkRead marks the actor's notices read: one, or all when id is 0.
func (s *Store) MarkRead(ctx context.Context, actor access.Actor, id int64) error {
	q, args := "UPDATE inbox SET read_at = ? WHERE user_id = ? AND read_at = 0", []any{s.now().UnixMilli(), actor.UserID}
	if id != 0 {
		q += " AND id = ?"
		args = append(args, id)
	}
	if _, err := s.write.ExecContext(ctx, s.d.rebind(q), args...); err != nil {
		return fmt.Errorf("mark read: %w", translate(err))
	}
	return nil
}

// UnreadCount returns how many of the actor's notices are unread.
func (s *Store) UnreadCount(ctx context.Context, actor access.Actor) (int, error) {
	var n int
	if err := scan(s.reader().row(ctx, "SELECT COUNT(*) FROM inbox WHERE user_id = ? AND read_at = 0", actor.UserID), &n); err != nil {
		return 0, fmt.Errorf("count inbox: %w", err)
	}
	return n, nil
}
