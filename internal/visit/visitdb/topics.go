package visitdb

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/visit"
)

// Common problems (共性问题): a topic sent up to a street (or raised to the
// district) with every enterprise whose problem was put under it; the
// street's or district's leaders answer it once for all of them.

const topicColumns = `t.id, t.title, t.detail, t.category, t.region_code, COALESCE(r.name, ''), t.state, t.answer,
	(SELECT COUNT(DISTINCT p.enterprise_id) FROM visit_problems p WHERE p.topic_id = t.id), t.raised_at, t.answered_at, t.version`

func scanTopic(sc store.Scanner) (visit.Topic, error) {
	var t visit.Topic
	var raised, answered int64
	err := sc.Scan(&t.ID, &t.Title, &t.Detail, &t.Category, &t.RegionCode, &t.Region, &t.State, &t.Answer, &t.Enterprises,
		&raised, &answered, &t.Version)
	t.RaisedAt, t.AnsweredAt = store.Millis(raised), store.Millis(answered)
	return t, err
}

const topicFrom = " FROM common_topics t LEFT JOIN regions r ON r.code = t.region_code"

// topicScope is the condition on topics t the actor may read: those sent to
// a region in its own (a street leader's street, the district's for the
// district), or concerning an enterprise it may read the visits of.
func topicScope(actor access.Actor) (string, []any) {
	switch access.ReachOf(actor.Role, access.VisitRead) {
	case access.All:
		return "1 = 1", nil
	case access.None:
		return "1 = 0", nil
	}
	cond, args := store.EnterpriseScope(actor, access.VisitRead)
	where := "t.id IN (SELECT p.topic_id FROM visit_problems p JOIN enterprises e ON e.id = p.enterprise_id WHERE p.topic_id <> 0 AND " + cond + ")"
	if access.ReachOf(actor.Role, access.VisitRead) == access.Region && actor.RegionCode != "" {
		where = "(t.region_code = ? OR " + where + ")"
		args = append([]any{actor.RegionCode}, args...)
	}
	return where, args
}

// Topics lists the common problems in the actor's reach (state: open,
// answered, or both), newest first.
func (s *Store) Topics(ctx context.Context, actor access.Actor, state string) ([]visit.Topic, error) {
	if !access.May(actor.Role, access.VisitRead) {
		return nil, access.ErrForbidden
	}
	cond, args := topicScope(actor)
	if state != "" {
		cond += " AND t.state = ?"
		args = append(args, state)
	}
	return store.Collect(ctx, s.engine.Reader(), scanTopic, "SELECT "+topicColumns+topicFrom+" WHERE "+cond+" ORDER BY t.state DESC, t.id DESC LIMIT 500", args...)
}

// Concerned is an enterprise a common problem concerns, with its problem.
type Concerned struct {
	EnterpriseID int64
	Enterprise   string
	VisitID      int64
	Text         string
	On           string
}

// Topic returns a common problem in the actor's reach with the enterprises
// it concerns (those the actor may see).
func (s *Store) Topic(ctx context.Context, actor access.Actor, id int64) (visit.Topic, []Concerned, error) {
	if !access.May(actor.Role, access.VisitRead) {
		return visit.Topic{}, nil, access.ErrForbidden
	}
	cond, args := topicScope(actor)
	list, err := store.Collect(ctx, s.engine.Reader(), scanTopic, "SELECT "+topicColumns+topicFrom+" WHERE t.id = ? AND "+cond, append([]any{id}, args...)...)
	if err != nil {
		return visit.Topic{}, nil, err
	}
	if len(list) == 0 {
		return visit.Topic{}, nil, fault.ErrNotFound
	}
	econd, eargs := store.EnterpriseScope(actor, access.VisitRead)
	if access.ReachOf(actor.Role, access.VisitRead) == access.Region && list[0].RegionCode != "" &&
		place.LevelOf(actor.RegionCode) <= place.LevelOf(list[0].RegionCode) {
		econd, eargs = "1 = 1", nil // the leaders it was sent to see every enterprise under it
	}
	concerned, err := store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (Concerned, error) {
		var c Concerned
		return c, sc.Scan(&c.EnterpriseID, &c.Enterprise, &c.VisitID, &c.Text, &c.On)
	}, `SELECT e.id, e.name, v.id, p.text, v.visited_on FROM visit_problems p JOIN visits v ON v.id = p.visit_id
		JOIN enterprises e ON e.id = p.enterprise_id WHERE p.topic_id = ? AND `+econd+` ORDER BY v.visited_on, p.id`,
		append([]any{id}, eargs...)...)
	return list[0], concerned, err
}

// AnswerTopic answers a common problem sent to the actor's region (a street
// leader's street, or under a district leader's district): the answer
// reaches every enterprise concerned. Stale → conflict. Audited.
func (s *Store) AnswerTopic(ctx context.Context, actor access.Actor, id int64, answer string, version int64) (visit.Topic, error) {
	t, _, err := s.Topic(ctx, actor, id)
	if err != nil {
		return t, err
	}
	if !access.Allows(actor, access.TopicAnswer, access.Target{Place: regionAncestry(t.RegionCode)}) {
		return t, access.ErrForbidden
	}
	answer = strings.TrimSpace(answer)
	if n := utf8.RuneCountInString(answer); n < 5 || n > 2000 {
		return t, fault.Fields{"answer": {Zh: "请写明答复（5 至 2000 字）", En: "write the answer (5 to 2,000 characters)"}}.Err()
	}
	if t.State != visit.TopicOpen {
		return t, fault.New(fault.Conflict, "already_answered", "这个共性问题已经答复", "this common problem was already answered")
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now().UnixMilli()
		res, err := tx.DB().Exec(ctx, `UPDATE common_topics SET state = ?, answer = ?, answered_by = ?, answered_at = ?, version = version + 1
			WHERE id = ? AND version = ? AND state = ?`, visit.TopicAnswered, answer, actor.UserID, now, id, version, visit.TopicOpen)
		if err != nil {
			return fmt.Errorf("answer topic: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.ErrConflict
		}
		t.State, t.Answer, t.AnsweredAt, t.Version = visit.TopicAnswered, answer, time.UnixMilli(now), version+1
		if err := tx.Notify(ctx, store.Recipients{Query: `SELECT DISTINCT u.id FROM users u JOIN visit_problems p ON p.enterprise_id = u.enterprise_id
			WHERE p.topic_id = ? AND u.disabled = FALSE`, Args: []any{id}}, "topic.answered", fmt.Sprintf("/topics/%d", id),
			"共性问题已答复："+t.Title); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "topic.answer", fmt.Sprintf("topic/%d", id), "ok", map[string]any{"enterprises": t.Enterprises})
	})
	return t, err
}

// regionAncestry is the ancestry of a region code, for the policy.
func regionAncestry(code string) place.Ancestry {
	var a place.Ancestry
	for _, c := range append([]string{code}, place.Above(code)...) {
		switch place.LevelOf(c) {
		case place.Grid:
			a.Grid = c
		case place.Community:
			a.Community = c
		case place.Street:
			a.Street = c
		case place.District:
			a.District = c
		case place.City:
			a.City = c
		}
	}
	return a
}
