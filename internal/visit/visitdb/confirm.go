package visitdb

// The enterprise's answer to a visit: its confirmation and rating, or the
// community's record of it from a return call.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/visit"
)

// Confirm records the enterprise's answer to a visit to it: confirmed with
// a rating, or that nobody came. Once only; stale → conflict. Audited.
func (s *Store) Confirm(ctx context.Context, actor access.Actor, id int64, fb visit.Feedback, note string, version int64) (visit.Visit, error) {
	v, err := s.Visit(ctx, actor, id)
	if err != nil {
		return v, err
	}
	via, err := s.confirmVia(ctx, actor, v)
	if err != nil {
		return v, err
	}
	note = strings.TrimSpace(note)
	f := fault.Fields{}
	switch {
	case fb == "" || !slices.Contains(visit.Feedbacks, fb):
		f.Add("feedback", "请选择评价", "choose your answer")
	case (fb == visit.Unsatisfied || fb == visit.NotVisited) && len([]rune(note)) < 2:
		f.Add("note", "请简要说明原因", "say why, briefly")
	}
	if len([]rune(note)) > visit.MaxText {
		f.Add("note", "说明最多 500 字", "at most 500 characters")
	}
	if err := f.Err(); err != nil {
		return v, err
	}
	if !v.ConfirmedAt.IsZero() {
		return v, fault.New(fault.Conflict, "already_confirmed", "这次走访已经确认过了", "this visit was already answered")
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now().UnixMilli()
		res, err := tx.DB().Exec(ctx, `UPDATE visits SET confirmed_at = ?, rating = ?, rating_note = ?, rating_via = ?, version = version + 1
			WHERE id = ? AND version = ? AND confirmed_at = 0`, now, string(fb), note, via, id, version)
		if err != nil {
			return fmt.Errorf("confirm visit: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.ErrConflict
		}
		v.ConfirmedAt, v.Feedback, v.FeedbackNote, v.FeedbackVia, v.Version = time.UnixMilli(now), fb, note, via, version+1
		if fb == visit.NotVisited {
			// A visit nobody made is no one's last visit: the plan and the 90-day list count from the one before.
			if _, err := tx.DB().Exec(ctx, "DELETE FROM visit_last WHERE enterprise_id = ?", v.EnterpriseID); err != nil {
				return fmt.Errorf("last visit: %w", err)
			}
			if _, err := tx.DB().Exec(ctx, `INSERT INTO visit_last (enterprise_id, visit_id, visited_on)
				SELECT enterprise_id, id, visited_on FROM visits WHERE enterprise_id = ? AND rating <> 'not_visited'
				ORDER BY visited_on DESC, id DESC LIMIT 1`, v.EnterpriseID); err != nil {
				return fmt.Errorf("last visit: %w", err)
			}
		}
		if fb == visit.NotVisited || fb == visit.Unsatisfied {
			if err := tx.Notify(ctx, store.Recipients{Query: "SELECT id FROM users WHERE id = ?", Args: []any{v.RecordedBy}}, "visit.feedback",
				fmt.Sprintf("/visits/%d", id), "企业对 "+v.On+" 的走访反馈："+note); err != nil {
				return err
			}
		}
		return tx.Record(ctx, actor, "visit.confirm", fmt.Sprintf("visit/%d", id), "ok", map[string]any{"feedback": fb, "via": via})
	})
	return v, err
}

// MayAnswer reports whether the actor may answer for the enterprise a
// visit still waiting for its answer, and how ("" itself, "phone" from a
// return call).
func (s *Store) MayAnswer(ctx context.Context, actor access.Actor, v visit.Visit) (string, bool) {
	if !v.ConfirmedAt.IsZero() {
		return "", false
	}
	via, err := s.confirmVia(ctx, actor, v)
	return via, err == nil
}

// confirmVia is how the actor may answer for the enterprise visited: its
// own account answers itself (""); the community's staff record what the
// enterprise said on their return call ("phone", 回访) — for an enterprise
// that has no account, and never for a visit they made or went on.
func (s *Store) confirmVia(ctx context.Context, actor access.Actor, v visit.Visit) (string, error) {
	if actor.Role == access.RoleEnterprise {
		if !access.Allows(actor, access.VisitConfirm, access.Target{EnterpriseID: v.EnterpriseID}) {
			return "", access.ErrForbidden
		}
		return "", nil
	}
	if !access.May(actor.Role, access.VisitConfirm) {
		return "", access.ErrForbidden
	}
	if _, err := target(ctx, s.engine.Reader(), actor, access.VisitConfirm, v.EnterpriseID); err != nil {
		return "", access.ErrForbidden
	}
	if v.RecordedBy == actor.UserID || slices.ContainsFunc(v.Visitors, func(p visit.Visitor) bool { return p.UserID == actor.UserID }) {
		return "", fault.New(fault.Forbidden, "own_visit", "不能为自己参与的走访记录企业评价", "you cannot answer for a visit you made")
	}
	var accounts int
	if err := store.Scan(s.engine.Reader().Row(ctx, "SELECT COUNT(*) FROM users WHERE enterprise_id = ? AND disabled = FALSE", v.EnterpriseID), &accounts); err != nil {
		return "", err
	}
	if accounts > 0 {
		return "", fault.New(fault.Forbidden, "enterprise_answers", "该企业有自己的账号，请由企业在手机上确认评价", "the enterprise has an account: it answers itself")
	}
	return "phone", nil
}
