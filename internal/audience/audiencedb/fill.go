package audiencedb

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/dossier"
	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/todo"
)

// A member's side: the campaigns an enterprise is sent, its to-dos, its timeline.

// Sent is a campaign as one of its members sees it.
type Sent struct {
	Campaign
	Member Member
}

// MayFill checks that actor may fill forms for enterprise id: its own
// account, or staff whose reach holds it; one out of reach is not found.
func MayFill(ctx context.Context, h store.DB, actor access.Actor, id int64) error {
	e, err := h.EnterpriseByID(ctx, id)
	if err != nil {
		return err
	}
	t, err := h.TargetOf(ctx, actor, e)
	if err != nil {
		return err
	}
	return access.Check(actor, access.FormFill, access.EnterpriseRead, t)
}

// MemberOf reads a campaign and one of its members for an actor who may
// fill for the enterprise; not found when it is not on the list (or was
// taken off it).
func MemberOf(ctx context.Context, h store.DB, actor access.Actor, campaignID, enterpriseID int64) (Sent, error) {
	if err := MayFill(ctx, h, actor, enterpriseID); err != nil {
		return Sent{}, err
	}
	list, err := store.Collect(ctx, h, scanSent, "SELECT "+campaignColumns+", "+memberColumns+` FROM campaigns c
		JOIN campaign_members m ON m.campaign_id = c.id JOIN enterprises e ON e.id = m.enterprise_id
		LEFT JOIN regions g ON g.code = m.grid_code LEFT JOIN regions cm ON cm.code = m.community_code
		WHERE c.id = ? AND m.enterprise_id = ? AND m.removed_at = 0`, campaignID, enterpriseID)
	if err != nil {
		return Sent{}, fmt.Errorf("campaign member: %w", err)
	}
	if len(list) == 0 {
		return Sent{}, fault.ErrNotFound
	}
	return list[0], nil
}

func scanSent(sc store.Scanner) (Sent, error) {
	var s Sent
	cd, cdone := campaignDest(&s.Campaign)
	md, mdone := memberDest(&s.Member)
	if err := sc.Scan(append(cd, md...)...); err != nil {
		return s, err
	}
	mdone()
	return s, cdone()
}

// Member reads a campaign and an enterprise's place on its list, for an
// actor who may fill for the enterprise.
func (s *Store) Member(ctx context.Context, actor access.Actor, campaignID, enterpriseID int64) (Sent, error) {
	return MemberOf(ctx, s.engine.Reader(), actor, campaignID, enterpriseID)
}

// OfEnterprise lists the campaigns an enterprise is on the list of, the
// running ones first and the nearest due first, for an actor who may fill
// for it.
func (s *Store) OfEnterprise(ctx context.Context, actor access.Actor, enterpriseID int64) ([]Sent, error) {
	h := s.engine.Reader()
	if err := MayFill(ctx, h, actor, enterpriseID); err != nil {
		return nil, err
	}
	list, err := store.Collect(ctx, h, scanSent, "SELECT "+campaignColumns+", "+memberColumns+` FROM campaigns c
		JOIN campaign_members m ON m.campaign_id = c.id JOIN enterprises e ON e.id = m.enterprise_id
		LEFT JOIN regions g ON g.code = m.grid_code LEFT JOIN regions cm ON cm.code = m.community_code
		WHERE m.enterprise_id = ? AND m.removed_at = 0
		ORDER BY CASE WHEN c.state = 'running' THEN 0 ELSE 1 END, c.due, c.id DESC LIMIT 200`, enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("campaigns of an enterprise: %w", err)
	}
	return list, nil
}

// Follows reports whether actor follows an enterprise on a campaign's
// list: the campaign is one it reads, and the enterprise in its reach.
func Follows(ctx context.Context, h store.DB, actor access.Actor, campaignID, enterpriseID int64, now time.Time) (bool, error) {
	if _, err := campaign(ctx, h, actor, campaignID, now); err != nil {
		if fault.Is(err, fault.NotFound) {
			return false, nil
		}
		return false, err
	}
	cond, args := memberScope(actor, access.CampaignRead)
	var n int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM campaign_members m WHERE m.campaign_id = ? AND m.enterprise_id = ? AND "+cond,
		append([]any{campaignID, enterpriseID}, args...)...), &n); err != nil {
		return false, err
	}
	return n > 0, nil
}

// Seen records that the enterprise itself opened its page of a campaign
// (staff opening it on its behalf is not the enterprise seeing it).
func (s *Store) Seen(ctx context.Context, actor access.Actor, campaignID, enterpriseID int64) error {
	if actor.Role != access.RoleEnterprise || actor.EnterpriseID != enterpriseID {
		return nil
	}
	_, err := s.engine.Writer().Exec(ctx, `UPDATE campaign_members SET seen_at = ?
		WHERE campaign_id = ? AND enterprise_id = ? AND seen_at = 0`, s.engine.Now().UnixMilli(), campaignID, enterpriseID)
	if err != nil {
		return fmt.Errorf("seen: %w", err)
	}
	return nil
}

// AnsweredTx records, in the transaction of a submission, that a member
// answered (the first time only).
func AnsweredTx(ctx context.Context, tx *store.Tx, campaignID, enterpriseID int64) error {
	_, err := tx.DB().Exec(ctx, `UPDATE campaign_members SET answered_at = ?
		WHERE campaign_id = ? AND enterprise_id = ? AND answered_at = 0`, tx.Now().UnixMilli(), campaignID, enterpriseID)
	if err != nil {
		return fmt.Errorf("answered: %w", err)
	}
	return nil
}

// The to-do list's part: an enterprise's forms to fill, a grid worker's
// grids with enterprises that have not answered.

// TodoKinds are the kinds of work campaigns give a role.
func (s *Store) TodoKinds(role access.Role) []string {
	switch role {
	case access.RoleEnterprise:
		return []string{"survey.fill"}
	case access.RoleGridWorker:
		return []string{"survey.chase"}
	}
	return nil
}

// Todo lists the actor's open work of a kind, nearest due first. A
// monitoring campaign's reports are period by period: its module lists
// what is due of them.
func (s *Store) Todo(ctx context.Context, actor access.Actor, kind string, limit int) ([]todo.Item, int, error) {
	h := s.engine.Reader()
	now := s.engine.Now()
	var q string
	var args []any
	switch {
	case kind == "survey.fill" && actor.Role == access.RoleEnterprise && actor.EnterpriseID != 0:
		q = `SELECT c.id, c.title, c.due, 0 FROM campaigns c JOIN campaign_members m ON m.campaign_id = c.id
			WHERE m.enterprise_id = ? AND m.removed_at = 0 AND m.answered_at = 0 AND c.state = 'running' AND c.module <> 'monitoring'`
		args = []any{actor.EnterpriseID}
	case kind == "survey.chase" && actor.Role == access.RoleGridWorker:
		cond, cargs := memberScope(actor, access.CampaignRead)
		q = `SELECT c.id, c.title, c.due, COUNT(*) FROM campaigns c JOIN campaign_members m ON m.campaign_id = c.id
			WHERE c.state = 'running' AND c.module <> 'monitoring' AND m.removed_at = 0 AND m.answered_at = 0 AND ` + cond + ` GROUP BY c.id, c.title, c.due`
		args = cargs
	default:
		return nil, 0, nil
	}
	type row struct {
		id      int64
		title   string
		due     string
		waiting int // the grid's members yet to answer, for a chase
	}
	rows, err := store.Collect(ctx, h, func(sc store.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.id, &r.title, &r.due, &r.waiting)
	}, q+" ORDER BY c.due, c.id", args...)
	if err != nil {
		return nil, 0, fmt.Errorf("survey to-dos: %w", err)
	}
	var items []todo.Item
	for _, r := range rows[:min(len(rows), limit)] {
		c := Campaign{Due: r.due, State: Running}
		it := todo.Item{Kind: kind, Ref: Ref(r.id), Title: r.title, Due: c.DueEnd(), Colour: colour(c, now),
			Href: fmt.Sprintf("/surveys/%d", r.id)}
		if kind == "survey.chase" {
			it.Href = fmt.Sprintf("/campaigns/%d?members=unanswered", r.id)
		}
		items = append(items, it)
	}
	return items, len(rows), nil
}

// Ref is a campaign's reference in lists: "C12".
func Ref(id int64) string { return fmt.Sprintf("C%d", id) }

// colour is a campaign's deadline colour at now: red once the due day is
// over, yellow on the due day and the day before, green before that.
func colour(c Campaign, now time.Time) string {
	end := c.DueEnd()
	switch {
	case !now.Before(end):
		return "red"
	case end.Sub(now) <= 48*time.Hour:
		return "yellow"
	}
	return "green"
}

// Colour is a campaign's deadline colour at now.
func Colour(c Campaign, now time.Time) string { return colour(c, now) }

// Timeline is the campaigns' part of an enterprise's timeline: each form
// it was sent, and its answer.
func (s *Store) Timeline(ctx context.Context, actor access.Actor, enterpriseID int64, limit int) ([]dossier.Entry, error) {
	type row struct {
		id              int64
		title           string
		added, answered int64
	}
	// The campaigns the actor follows, or fills for the enterprise.
	if !access.May(actor.Role, access.CampaignRead) && !access.May(actor.Role, access.FormFill) {
		return nil, nil
	}
	scope, args := campaignScope(actor)
	if fill := MayFill(ctx, s.engine.Reader(), actor, enterpriseID); fill == nil {
		scope, args = "1 = 1", nil
	}
	rows, err := store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.id, &r.title, &r.added, &r.answered)
	}, `SELECT c.id, c.title, m.added_at, m.answered_at FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id
		WHERE m.enterprise_id = ? AND m.removed_at = 0 AND `+scope+` ORDER BY m.added_at DESC LIMIT ?`,
		append(append([]any{enterpriseID}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("survey timeline: %w", err)
	}
	var out []dossier.Entry
	for _, r := range rows {
		href := fmt.Sprintf("/surveys/%d?enterprise=%d", r.id, enterpriseID)
		if r.answered > 0 {
			out = append(out, dossier.Entry{At: store.Millis(r.answered), Module: "survey", What: "tl.survey.answered", Title: r.title, Href: href})
		}
		out = append(out, dossier.Entry{At: store.Millis(r.added), Module: "survey", What: "tl.survey.sent", Title: r.title, Href: href})
	}
	return out, nil
}
