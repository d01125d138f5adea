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

// topicColumns are a topic's columns, for scanTopic, with the enterprises it
// concerns counted among those the actor may read the visits of (no count
// tells of records out of reach); its arguments come before the query's.
func topicColumns(actor access.Actor) (string, []any) {
	cond, args := store.EnterpriseScope(actor, access.VisitRead)
	return `t.id, t.title, t.detail, t.category, t.region_code, COALESCE(r.name, ''), t.state, t.answer,
	(SELECT COUNT(*) FROM (SELECT p.enterprise_id FROM visit_problems p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.topic_id = t.id AND ` + cond + `
		UNION SELECT c.enterprise_id FROM common_topic_reports c JOIN enterprises e ON e.id = c.enterprise_id
		WHERE c.topic_id = t.id AND ` + cond + `) x), t.raised_at, t.answered_at, t.version`, append(append([]any{}, args...), args...)
}

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
	where := "(t.id IN (SELECT p.topic_id FROM visit_problems p JOIN enterprises e ON e.id = p.enterprise_id WHERE p.topic_id <> 0 AND " + cond +
		") OR t.id IN (SELECT c.topic_id FROM common_topic_reports c JOIN enterprises e ON e.id = c.enterprise_id WHERE " + cond + "))"
	args = append(args, args...)
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
	cols, cargs := topicColumns(actor)
	return store.Collect(ctx, s.engine.Reader(), scanTopic, "SELECT "+cols+topicFrom+" WHERE "+cond+" ORDER BY t.state DESC, t.id DESC LIMIT 500",
		append(cargs, args...)...)
}

// Concerned is an enterprise a common problem concerns, with its problem:
// found on a visit (VisitID), or reported from another record (Ref).
type Concerned struct {
	EnterpriseID int64
	Enterprise   string
	VisitID      int64
	Ref          string
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
	cols, cargs := topicColumns(actor)
	list, err := store.Collect(ctx, s.engine.Reader(), scanTopic, "SELECT "+cols+topicFrom+" WHERE t.id = ? AND "+cond,
		append(append(cargs, id), args...)...)
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
		return c, sc.Scan(&c.EnterpriseID, &c.Enterprise, &c.VisitID, &c.Ref, &c.Text, &c.On)
	}, `SELECT e.id, e.name, v.id, '', p.text, v.visited_on FROM visit_problems p JOIN visits v ON v.id = p.visit_id
		JOIN enterprises e ON e.id = p.enterprise_id WHERE p.topic_id = ? AND `+econd+`
		UNION ALL SELECT e.id, e.name, 0, c.ref, c.text, '' FROM common_topic_reports c JOIN enterprises e ON e.id = c.enterprise_id
		WHERE c.topic_id = ? AND `+econd+` ORDER BY 6, 1`,
		append(append(append([]any{id}, eargs...), id), eargs...)...)
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
	if !access.Allows(actor, access.TopicAnswer, access.Target{Place: place.AncestryOf(t.RegionCode)}) {
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
		if err := tx.Notify(ctx, store.Recipients{Query: `SELECT u.id FROM users u WHERE u.disabled = FALSE AND u.enterprise_id IN
			(SELECT enterprise_id FROM visit_problems WHERE topic_id = ? UNION SELECT enterprise_id FROM common_topic_reports WHERE topic_id = ?)`,
			Args: []any{id, id}}, "topic.answered", fmt.Sprintf("/topics/%d", id),
			"共性问题已答复："+t.Title); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "topic.answer", fmt.Sprintf("topic/%d", id), "ok", map[string]any{"enterprises": t.Enterprises})
	})
	return t, err
}

// Report is an enterprise's problem put under a common problem from a
// record other than a visit (a survey's answer: Ref "campaign:3").
type Report struct {
	EnterpriseID int64
	TopicID      int64  // an open topic of the enterprise's street or district
	Title        string // or a new one's title, sent to its street
	Text         string
	Category     string
	Ref          string
}

// ReportCommon puts an enterprise in the actor's reach (one it may record
// visits to) under a common problem, as a visit's problem would be. Audited.
func (s *Store) ReportCommon(ctx context.Context, actor access.Actor, in Report) (visit.Topic, error) {
	if !access.May(actor.Role, access.VisitRecord) {
		return visit.Topic{}, access.ErrForbidden
	}
	p := visit.Problem{Text: in.Text, Category: in.Category, Outcome: visit.Common, TopicID: in.TopicID, TopicTitle: in.Title}
	check := visit.Visit{Kind: visit.Routine, Visitors: []visit.Visitor{{Name: "-", Unit: "-"}}, Problems: []visit.Problem{p}, NoChange: true}
	if err := check.Check(s.today()); err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Fields == nil {
			return visit.Topic{}, err
		}
		f := fault.Fields{}
		for k, m := range fe.Fields {
			f[strings.TrimPrefix(k, "problems.0.")] = m
		}
		return visit.Topic{}, f.Err()
	}
	p = check.Problems[0]
	in.Ref = strings.TrimSpace(in.Ref)
	if len(in.Ref) > 100 {
		return visit.Topic{}, fault.Fields{"ref": {Zh: "来源过长", En: "the reference is too long"}}.Err()
	}
	cats, err := s.appeals.Categories(ctx)
	if err != nil {
		return visit.Topic{}, err
	}
	if _, ok := cats.Find(p.Category); !ok {
		return visit.Topic{}, fault.Fields{"category": {Zh: "问题分类不存在", En: "no such category"}}.Err()
	}
	e, err := target(ctx, s.engine.Reader(), actor, access.VisitRecord, in.EnterpriseID)
	if err != nil {
		return visit.Topic{}, err
	}
	var id int64
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		if err := s.topicFor(ctx, tx, actor, e, &p); err != nil {
			if fe := fault.As(err); fe != nil && fe.Kind == fault.Invalid && fe.Fields == nil {
				return fault.Fields{"topic_id": fe.Message}.Err()
			}
			return err
		}
		id = p.TopicID
		if _, err := tx.DB().Exec(ctx, `INSERT INTO common_topic_reports (topic_id, enterprise_id, text, ref, raised_by, raised_at)
			VALUES (?, ?, ?, ?, ?, ?)`, id, e.ID, p.Text, in.Ref, actor.UserID, tx.Now().UnixMilli()); err != nil {
			return fmt.Errorf("report common problem: %w", err)
		}
		return tx.Record(ctx, actor, "topic.report", fmt.Sprintf("topic/%d", id), "ok", map[string]any{"enterprise": e.ID, "ref": in.Ref})
	})
	if err != nil {
		return visit.Topic{}, err
	}
	t, _, err := s.Topic(ctx, actor, id)
	return t, err
}

// MayEscalate reports whether the actor may send a topic up to the
// district: the leaders of the street it was sent to (or an administrator).
func MayEscalate(actor access.Actor, t visit.Topic) bool {
	return place.LevelOf(t.RegionCode) == place.Street && (actor.Role == access.RoleAdmin || actor.RegionCode == t.RegionCode) &&
		access.Allows(actor, access.TopicAnswer, access.Target{Place: place.AncestryOf(t.RegionCode)})
}

// EscalateTopic sends an open common problem of a street up to its
// district, when the street cannot answer it alone (a district-wide
// shortage, a policy the district carries out): the district's leaders
// answer it from then on, and have it in their to-dos. The actor answers
// for the topic's street. Stale → conflict. Audited.
func (s *Store) EscalateTopic(ctx context.Context, actor access.Actor, id int64, reason string, version int64) (visit.Topic, error) {
	t, _, err := s.Topic(ctx, actor, id)
	if err != nil {
		return t, err
	}
	if !MayEscalate(actor, t) {
		return t, access.ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 5 || n > 500 {
		return t, fault.Fields{"reason": {Zh: "请说明为什么需要区里协调（5 至 500 字）", En: "say why the district must take it up (5 to 500 characters)"}}.Err()
	}
	if t.State != visit.TopicOpen {
		return t, fault.New(fault.Conflict, "already_answered", "这个共性问题已经答复", "this common problem was already answered")
	}
	district := place.AncestryOf(t.RegionCode).District
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		res, err := tx.DB().Exec(ctx, `UPDATE common_topics SET region_code = ?, level = ?, detail = detail || ?, version = version + 1
			WHERE id = ? AND version = ? AND state = ?`, district, int(place.District), "\n【提请区级协调】"+reason, id, version, visit.TopicOpen)
		if err != nil {
			return fmt.Errorf("escalate topic: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.ErrConflict
		}
		t.RegionCode, t.Version = district, version+1
		if err := tx.Notify(ctx, regionLeaders(district), "topic.new", fmt.Sprintf("/topics/%d", id), "街道提请区级协调的共性问题："+t.Title); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "topic.escalate", fmt.Sprintf("topic/%d", id), "ok", map[string]any{"district": district, "reason": reason})
	})
	return t, err
}
