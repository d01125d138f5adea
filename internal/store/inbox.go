package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"qifu/internal/access"
)

// The in-app inbox: every notification of the appeal workflow lands here,
// written in the same transaction as the change it announces, so a committed
// change is never without its notice and a rolled-back one never has one.

// notify sends a notice to the users chosen by where (a condition on users u).
func (t *Tx) notify(ctx context.Context, now time.Time, appealID int64, kind, title, where string, args ...any) error {
	q := `INSERT INTO inbox (user_id, at, appeal_id, kind, title)
		SELECT u.id, ?, ?, ?, ? FROM users u WHERE u.disabled = FALSE AND (` + where + `)`
	if _, err := t.db().exec(ctx, q, append([]any{now.UnixMilli(), appealID, kind, title}, args...)...); err != nil {
		return fmt.Errorf("notify %s: %w", kind, err)
	}
	return nil
}

// notifyCommunity notifies the community staff of the appeal's community and
// the grid worker of its grid.
func (t *Tx) notifyCommunity(ctx context.Context, now time.Time, appealID int64, kind, title string) error {
	var community string
	if err := scan(t.db().row(ctx, "SELECT community_code FROM appeals WHERE id = ?", appealID), &community); err != nil {
		return err
	}
	if err := t.enqueue(ctx, now, appealID, kind, "【企服】"+title, "region", community); err != nil {
		return err
	}
	return t.notify(ctx, now, appealID, kind, title, `(u.role = ? AND u.region_code = (SELECT community_code FROM appeals WHERE id = ?))
		OR (u.role = ? AND u.region_code = (SELECT grid_code FROM appeals WHERE id = ?))`,
		string(access.RoleCommunityStaff), appealID, string(access.RoleGridWorker), appealID)
}

// notifyEnterprise notifies the enterprise's users and whoever raised the appeal for it.
func (t *Tx) notifyEnterprise(ctx context.Context, now time.Time, appealID int64, kind, title string) error {
	return t.notify(ctx, now, appealID, kind, title, `u.enterprise_id = (SELECT enterprise_id FROM appeals WHERE id = ?)
		OR (u.id = (SELECT raised_by FROM appeals WHERE id = ?) AND u.role <> ?)`, appealID, appealID, string(access.RoleEnterprise))
}

// notifyDepartment notifies the staff of a department.
func (t *Tx) notifyDepartment(ctx context.Context, now time.Time, appealID, deptID int64, kind, title string) error {
	if err := t.enqueue(ctx, now, appealID, kind, "【企服】"+title, "department", strconv.FormatInt(deptID, 10)); err != nil {
		return err
	}
	return t.notify(ctx, now, appealID, kind, title, "u.role = ? AND u.department_id = ?", string(access.RoleDepartment), deptID)
}

// notifyLeaders notifies the leaders of the appeal's street (level "street")
// or district (level "district").
func (t *Tx) notifyLeaders(ctx context.Context, now time.Time, appealID int64, level, kind, title string) error {
	role, col := access.RoleStreetLeader, "street_code"
	if level == "district" {
		role, col = access.RoleDistrictLeader, "district_code"
	}
	return t.notify(ctx, now, appealID, kind, title, "u.role = ? AND u.region_code = (SELECT "+col+" FROM appeals WHERE id = ?)",
		string(role), appealID)
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
