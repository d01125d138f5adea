package audiencedb

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
)

// Progress is how a region's members stand: sent (the frozen members),
// seen (their page opened by the enterprise), answered, overdue (not
// answered after the due day).
type Progress struct {
	Code, Name                    string
	Sent, Seen, Answered, Overdue int
}

// Rate is the share answered, in per cent.
func (p Progress) Rate() float64 {
	if p.Sent == 0 {
		return 0
	}
	return float64(p.Answered) * 100 / float64(p.Sent)
}

// ProgressBy returns a campaign's progress per region of a level (street,
// community or grid) in the actor's reach, by code, and the total.
func (s *Store) ProgressBy(ctx context.Context, actor access.Actor, id int64, level place.Level) ([]Progress, Progress, error) {
	h := s.engine.Reader()
	now := s.engine.Now()
	c, err := campaign(ctx, h, actor, id, now)
	if err != nil {
		return nil, Progress{}, err
	}
	col, ok := levelColumn[level]
	if !ok || level < place.Street {
		col = levelColumn[place.Street]
	}
	cond, args := memberScope(actor, access.CampaignRead)
	late := 0
	if c.Late(now) {
		late = 1
	}
	rows, err := store.Collect(ctx, h, func(sc store.Scanner) (Progress, error) {
		var p Progress
		return p, sc.Scan(&p.Code, &p.Name, &p.Sent, &p.Seen, &p.Answered, &p.Overdue)
	}, `SELECT `+col+`, COALESCE(MIN(r.name), `+col+`), COUNT(*),
			SUM(CASE WHEN m.seen_at > 0 OR m.answered_at > 0 THEN 1 ELSE 0 END),
			SUM(CASE WHEN m.answered_at > 0 THEN 1 ELSE 0 END),
			SUM(CASE WHEN m.answered_at = 0 AND ? = 1 THEN 1 ELSE 0 END)
		FROM campaign_members m LEFT JOIN regions r ON r.code = `+col+`
		WHERE m.campaign_id = ? AND m.removed_at = 0 AND `+cond+` GROUP BY `+col+` ORDER BY `+col,
		append([]any{late, id}, args...)...)
	if err != nil {
		return nil, Progress{}, fmt.Errorf("campaign progress: %w", err)
	}
	var total Progress
	for _, p := range rows {
		total.Sent += p.Sent
		total.Seen += p.Seen
		total.Answered += p.Answered
		total.Overdue += p.Overdue
	}
	return rows, total, nil
}

// Member is an enterprise of a campaign's list.
type Member struct {
	EnterpriseID       int64
	Name, CreditCode   string
	GridCode, GridName string
	CommunityName      string
	AddedAt            time.Time
	AddedReason        string // "" for the frozen list
	RemovedAt          time.Time
	RemovedReason      string
	SeenAt, AnsweredAt time.Time
}

// The filters of a member list.
const (
	MembersAll        = ""
	MembersUnanswered = "unanswered"
	MembersAnswered   = "answered"
	MembersRemoved    = "removed"
)

// MemberQuery selects members in a list.
type MemberQuery struct {
	State  string // a Members… filter
	Region string // a region code under the reader's
	Page   store.Page
}

const memberColumns = `m.enterprise_id, e.name, e.credit_code, m.grid_code, COALESCE(g.name, m.grid_code), COALESCE(cm.name, m.community_code),
	m.added_at, m.added_reason, m.removed_at, m.removed_reason, m.seen_at, m.answered_at`

func scanMember(sc store.Scanner) (Member, error) {
	var m Member
	dest, done := memberDest(&m)
	err := sc.Scan(dest...)
	done()
	return m, err
}

// memberDest are the scan destinations of memberColumns into m, and what
// to do once scanned.
func memberDest(m *Member) ([]any, func()) {
	var added, removed, seen, answered int64
	return []any{&m.EnterpriseID, &m.Name, &m.CreditCode, &m.GridCode, &m.GridName, &m.CommunityName,
			&added, &m.AddedReason, &removed, &m.RemovedReason, &seen, &answered}, func() {
			m.AddedAt, m.RemovedAt, m.SeenAt, m.AnsweredAt = store.Millis(added), store.Millis(removed), store.Millis(seen), store.Millis(answered)
		}
}

// Members lists a campaign's members in the actor's reach, by grid and
// name, with the total.
func (s *Store) Members(ctx context.Context, actor access.Actor, id int64, q MemberQuery) ([]Member, int, error) {
	h := s.engine.Reader()
	if _, err := campaign(ctx, h, actor, id, s.engine.Now()); err != nil {
		return nil, 0, err
	}
	where, args := memberScope(actor, access.CampaignRead)
	where = "m.campaign_id = ? AND " + where
	args = append([]any{id}, args...)
	switch q.State {
	case MembersUnanswered:
		where += " AND m.removed_at = 0 AND m.answered_at = 0"
	case MembersAnswered:
		where += " AND m.removed_at = 0 AND m.answered_at > 0"
	case MembersRemoved:
		where += " AND m.removed_at > 0"
	default:
		where += " AND m.removed_at = 0"
	}
	if q.Region != "" {
		if l := place.LevelOf(q.Region); l != 0 {
			where += " AND " + levelColumn[l] + " = ?"
			args = append(args, q.Region)
		} else {
			where += " AND 1 = 0"
		}
	}
	var total int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM campaign_members m WHERE "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count members: %w", err)
	}
	limit, offset := q.Page.Bounds()
	list, err := store.Collect(ctx, h, scanMember, "SELECT "+memberColumns+` FROM campaign_members m
		JOIN enterprises e ON e.id = m.enterprise_id LEFT JOIN regions g ON g.code = m.grid_code
		LEFT JOIN regions cm ON cm.code = m.community_code
		WHERE `+where+" ORDER BY m.grid_code, e.name, m.enterprise_id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("members: %w", err)
	}
	return list, total, nil
}

// EachMember calls fn for every member of a campaign in the actor's reach
// (no paging), by grid and name: for an export.
func (s *Store) EachMember(ctx context.Context, actor access.Actor, id int64, fn func(Member) error) error {
	h := s.engine.Reader()
	if _, err := campaign(ctx, h, actor, id, s.engine.Now()); err != nil {
		return err
	}
	where, args := memberScope(actor, access.CampaignRead)
	rows, err := h.Query(ctx, "SELECT "+memberColumns+` FROM campaign_members m
		JOIN enterprises e ON e.id = m.enterprise_id LEFT JOIN regions g ON g.code = m.grid_code
		LEFT JOIN regions cm ON cm.code = m.community_code
		WHERE m.campaign_id = ? AND m.removed_at = 0 AND `+where+" ORDER BY m.grid_code, e.name, m.enterprise_id",
		append([]any{id}, args...)...)
	if err != nil {
		return fmt.Errorf("members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return fmt.Errorf("members: %w", err)
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// reason checks the reason of a change of the frozen list.
func reason(s string) (string, error) {
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n < 2 || n > 200 {
		return "", fault.Fields{"reason": {Zh: "请写明原因（2 到 200 个字）", En: "give the reason (2 to 200 characters)"}}.Err()
	}
	return s, nil
}

// runnable reads a running campaign the actor may run, at version (0: any).
func runnable(ctx context.Context, tx *store.Tx, actor access.Actor, id, version int64) (Campaign, error) {
	c, err := campaign(ctx, tx.DB(), actor, id, tx.Now())
	if err != nil {
		return c, err
	}
	if !mayRun(actor, c) {
		return c, access.ErrForbidden
	}
	if version != 0 && c.Version != version {
		return c, fault.ErrConflict
	}
	if c.State != Running {
		return c, fault.New(fault.Conflict, "campaign_closed", "该次发放已结束", "the campaign is closed")
	}
	return c, nil
}

// bump moves a campaign's version on, refusing a stale one.
func bump(ctx context.Context, tx *store.Tx, c Campaign, set string, args ...any) error {
	res, err := tx.DB().Exec(ctx, "UPDATE campaigns SET "+set+"version = version + 1 WHERE id = ? AND version = ?",
		append(args, c.ID, c.Version)...)
	if err != nil {
		return fmt.Errorf("campaign: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fault.ErrConflict
	}
	return nil
}

// AddMember adds an enterprise the actor may read to a running campaign's
// list after it was frozen, with the reason, audited; one removed before
// comes back.
func (s *Store) AddMember(ctx context.Context, actor access.Actor, id int64, creditCode, why string) error {
	why, err := reason(why)
	if err != nil {
		return err
	}
	return s.engine.WithTx(ctx, func(tx *store.Tx) error {
		c, err := runnable(ctx, tx, actor, id, 0)
		if err != nil {
			return err
		}
		h := tx.DB()
		code := enterprise.NormalizeCreditCode(creditCode)
		cond, args := store.EnterpriseScope(actor, access.EnterpriseRead)
		var e enterprise.Enterprise
		err = store.Scan(h.Row(ctx, `SELECT e.id, e.grid_code, e.community_code, e.street_code, e.district_code, e.city_code
			FROM enterprises e WHERE e.credit_code = ? AND `+cond, append([]any{code}, args...)...),
			&e.ID, &e.GridCode, &e.CommunityCode, &e.StreetCode, &e.DistrictCode, &e.CityCode)
		if fault.Is(err, fault.NotFound) {
			return fault.Fields{"credit_code": {Zh: "辖区内没有这个统一社会信用代码的企业", En: "no enterprise in your scope has this credit code"}}.Err()
		}
		if err != nil {
			return err
		}
		now := tx.Now().UnixMilli()
		var removed int64
		err = store.Scan(h.Row(ctx, "SELECT removed_at FROM campaign_members WHERE campaign_id = ? AND enterprise_id = ?", id, e.ID), &removed)
		switch {
		case err == nil && removed == 0:
			return fault.New(fault.Conflict, "already_member", "该企业已在名单中", "the enterprise is on the list already")
		case err == nil:
			_, err = h.Exec(ctx, `UPDATE campaign_members SET removed_at = 0, removed_reason = '', added_at = ?, added_reason = ?
				WHERE campaign_id = ? AND enterprise_id = ?`, now, why, id, e.ID)
		case fault.Is(err, fault.NotFound):
			_, err = h.Exec(ctx, `INSERT INTO campaign_members (campaign_id, enterprise_id, grid_code, community_code, street_code,
				district_code, city_code, added_at, added_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, e.ID, e.GridCode, e.CommunityCode, e.StreetCode, e.DistrictCode, e.CityCode, now, why)
		}
		if err != nil {
			return fmt.Errorf("add member: %w", err)
		}
		if err := bump(ctx, tx, c, ""); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "campaign.member.add", fmt.Sprintf("campaign/%d", id), "ok",
			map[string]any{"enterprise": e.ID, "reason": why})
	})
}

// RemoveMember takes an enterprise off a running campaign's list (closed
// down, moved away, not concerned), with the reason, audited: it leaves the
// denominator, its answer if any is kept.
func (s *Store) RemoveMember(ctx context.Context, actor access.Actor, id, enterpriseID int64, why string) error {
	why, err := reason(why)
	if err != nil {
		return err
	}
	return s.engine.WithTx(ctx, func(tx *store.Tx) error {
		c, err := runnable(ctx, tx, actor, id, 0)
		if err != nil {
			return err
		}
		cond, args := memberScope(actor, access.EnterpriseRead)
		if access.ReachOf(actor.Role, access.CampaignRun) == access.Dispatched {
			cond, args = "1 = 1", nil
		}
		res, err := tx.DB().Exec(ctx, `UPDATE campaign_members SET removed_at = ?, removed_reason = ?
			WHERE campaign_id = ? AND enterprise_id = ? AND removed_at = 0 AND enterprise_id IN
			(SELECT m.enterprise_id FROM campaign_members m WHERE m.campaign_id = ? AND `+cond+`)`,
			append([]any{tx.Now().UnixMilli(), why, id, enterpriseID, id}, args...)...)
		if err != nil {
			return fmt.Errorf("remove member: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.ErrNotFound
		}
		if err := bump(ctx, tx, c, ""); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "campaign.member.remove", fmt.Sprintf("campaign/%d", id), "ok",
			map[string]any{"enterprise": enterpriseID, "reason": why})
	})
}

// Close closes a running campaign at version: nothing more is answered or
// corrected, and its figures stand.
func (s *Store) Close(ctx context.Context, actor access.Actor, id, version int64) error {
	return s.engine.WithTx(ctx, func(tx *store.Tx) error {
		c, err := runnable(ctx, tx, actor, id, version)
		if err != nil {
			return err
		}
		if err := bump(ctx, tx, c, "state = ?, closed_at = ?, ", Closed, tx.Now().UnixMilli()); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "campaign.close", fmt.Sprintf("campaign/%d", id), "ok", nil)
	})
}

// RemindEvery is how often a campaign's reminders may go out.
const RemindEvery = 12 * time.Hour

// Reminded is who a reminder reached.
type Reminded struct{ Enterprises, GridWorkers int }

// Remind sends a notice to the accounts of every member in the actor's
// reach that has not answered, and one to each of their grid workers with
// how many of their grid's have not, in the transaction that records it;
// at most once every RemindEvery, so that enterprises are not pestered.
func (s *Store) Remind(ctx context.Context, actor access.Actor, id int64) (Reminded, error) {
	var out Reminded
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		c, err := runnable(ctx, tx, actor, id, 0)
		if err != nil {
			return err
		}
		now := tx.Now()
		if !c.RemindedAt.IsZero() && now.Sub(c.RemindedAt) < RemindEvery {
			return fault.New(fault.Conflict, "reminded_recently", "距上次提醒不足 12 小时，请稍后再提醒",
				"a reminder went out less than 12 hours ago; remind later")
		}
		h := tx.DB()
		cond, args := memberScope(actor, access.CampaignRead)
		title := fmt.Sprintf("请填报：%s（截止 %s）", c.Title, c.Due)
		res, err := h.Exec(ctx, `INSERT INTO inbox (user_id, at, kind, title, href)
			SELECT u.id, ?, 'survey.remind', ?, ? FROM campaign_members m JOIN users u ON u.enterprise_id = m.enterprise_id
			WHERE m.campaign_id = ? AND m.removed_at = 0 AND m.answered_at = 0 AND u.disabled = FALSE AND `+cond,
			append([]any{now.UnixMilli(), title, fmt.Sprintf("/surveys/%d", id), id}, args...)...)
		if err != nil {
			return fmt.Errorf("remind enterprises: %w", err)
		}
		n, _ := res.RowsAffected()
		out.Enterprises = int(n)
		res, err = h.Exec(ctx, `INSERT INTO inbox (user_id, at, kind, title, href)
			SELECT g.worker_id, ?, 'survey.chase', ? || CAST(COUNT(*) AS TEXT) || ' 家企业尚未填报', ?
			FROM campaign_members m JOIN regions g ON g.code = m.grid_code JOIN users u ON u.id = g.worker_id AND u.disabled = FALSE
			WHERE m.campaign_id = ? AND m.removed_at = 0 AND m.answered_at = 0 AND `+cond+` GROUP BY g.worker_id`,
			append([]any{now.UnixMilli(), c.Title + "：本网格 ", fmt.Sprintf("/campaigns/%d", id), id}, args...)...)
		if err != nil {
			return fmt.Errorf("remind grid workers: %w", err)
		}
		n, _ = res.RowsAffected()
		out.GridWorkers = int(n)
		if err := bump(ctx, tx, c, "reminded_at = ?, ", now.UnixMilli()); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "campaign.remind", fmt.Sprintf("campaign/%d", id), "ok",
			map[string]any{"enterprises": out.Enterprises, "grid_workers": out.GridWorkers})
	})
	return out, err
}
