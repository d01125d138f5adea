package store

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
)

// The in-app inbox: every notification of a module lands here, written in
// the same transaction as the change it announces, so a committed change is
// never without its notice and a rolled-back one never has one. The modules
// write their notices themselves (their recipients are theirs to find); the
// engine reads a user's inbox.

// Notice is one line of a user's inbox.
type Notice struct {
	ID       int64
	At       time.Time
	AppealID int64
	Kind     string
	Title    string // in Chinese, as written with the change
	Read     bool
	// The appeal's number and title, for saying the notice in another
	// language: its kind's words, then the appeal.
	AppealNumber, AppealTitle string
	// Href is where a notice of another module leads ("/surveys/3").
	Href string
}

// Inbox returns the actor's newest notices and how many are unread.
func (s *Store) Inbox(ctx context.Context, actor access.Actor, page Page) ([]Notice, int, error) {
	h := s.Reader()
	var unread int
	if err := Scan(h.Row(ctx, "SELECT COUNT(*) FROM inbox WHERE user_id = ? AND read_at = 0", actor.UserID), &unread); err != nil {
		return nil, 0, fmt.Errorf("count inbox: %w", err)
	}
	limit, offset := page.Bounds()
	rows, err := h.Query(ctx, `SELECT n.id, n.at, COALESCE(n.appeal_id, 0), n.kind, n.title, n.read_at,
		COALESCE(a.number, ''), COALESCE(a.title, ''), n.href
		FROM inbox n LEFT JOIN appeals a ON a.id = n.appeal_id
		WHERE n.user_id = ? ORDER BY n.id DESC LIMIT ? OFFSET ?`, actor.UserID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("read inbox: %w", err)
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		var n Notice
		var at, read int64
		if err := rows.Scan(&n.ID, &at, &n.AppealID, &n.Kind, &n.Title, &read, &n.AppealNumber, &n.AppealTitle, &n.Href); err != nil {
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

// MarkAppealRead marks read the actor's unread notices about one appeal:
// opening the appeal is reading them. It writes only when there are any.
func (s *Store) MarkAppealRead(ctx context.Context, actor access.Actor, appealID int64) error {
	var one int
	err := Scan(s.Reader().Row(ctx, "SELECT 1 FROM inbox WHERE appeal_id = ? AND read_at = 0 AND user_id = ? LIMIT 1",
		appealID, actor.UserID), &one)
	if fault.Is(err, fault.NotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("unread notices of an appeal: %w", err)
	}
	q := "UPDATE inbox SET read_at = ? WHERE appeal_id = ? AND user_id = ? AND read_at = 0"
	if _, err := s.write.ExecContext(ctx, s.d.rebind(q), s.now().UnixMilli(), appealID, actor.UserID); err != nil {
		return fmt.Errorf("mark an appeal's notices read: %w", translate(err))
	}
	return nil
}

// UnreadCount returns how many of the actor's notices are unread.
func (s *Store) UnreadCount(ctx context.Context, actor access.Actor) (int, error) {
	var n int
	if err := Scan(s.Reader().Row(ctx, "SELECT COUNT(*) FROM inbox WHERE user_id = ? AND read_at = 0", actor.UserID), &n); err != nil {
		return 0, fmt.Errorf("count inbox: %w", err)
	}
	return n, nil
}

// Recipients are the users a notice goes to: a query selecting their ids as
// a column named id, with its arguments.
type Recipients struct {
	Query string
	Args  []any
}

// EnterpriseUsers are the enabled accounts of an enterprise.
func EnterpriseUsers(id int64) Recipients {
	return Recipients{Query: "SELECT id FROM users WHERE enterprise_id = ? AND disabled = FALSE", Args: []any{id}}
}

// NotifyEach writes a notice of a module's kind for each row of a query
// selecting the recipient (id), the notice's title and where it leads
// (href): notices of many records in one statement.
func (t *Tx) NotifyEach(ctx context.Context, kind, q string, args ...any) error {
	if _, err := t.DB().Exec(ctx, `INSERT INTO inbox (user_id, at, kind, title, href)
		SELECT r.id, ?, ?, r.title, r.href FROM (`+q+`) r`, append([]any{t.Now().UnixMilli(), kind}, args...)...); err != nil {
		return fmt.Errorf("notify %s: %w", kind, err)
	}
	return nil
}

// Notify writes a notice of a module to every recipient's inbox in the
// transaction: its kind ("visit.confirm"), where it leads, and its title
// (in Chinese, as written with the change).
func (t *Tx) Notify(ctx context.Context, to Recipients, kind, href, title string) error {
	args := append([]any{t.Now().UnixMilli(), kind, title, href}, to.Args...)
	if _, err := t.DB().Exec(ctx, `INSERT INTO inbox (user_id, at, kind, title, href)
		SELECT r.id, ?, ?, ?, ? FROM (`+to.Query+`) r`, args...); err != nil {
		return fmt.Errorf("notify %s: %w", kind, err)
	}
	return nil
}
