package formdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/dossier"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/fault"
	"qifu/internal/form"
	"qifu/internal/store"
)

// The states of a submission.
const (
	Draft     = "draft"
	Submitted = "submitted"
)

// CorrectFor is how long after submitting an answer may be corrected when
// the campaign's due day is nearer: corrections are taken until the later
// of the two, and never once the campaign is closed.
const CorrectFor = 7 * 24 * time.Hour

// Submission is an enterprise's answers to a campaign's form.
type Submission struct {
	ID           int64
	CampaignID   int64
	EnterpriseID int64
	FormID       int64
	FormVersion  int
	State        string
	Answers      form.Answers
	// Channel is who filled it on which side: "enterprise.web" (its own
	// account on the site or phone), "staff.web" (staff on its behalf),
	// "enterprise.api", "staff.api".
	Channel     string
	ByName      string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt time.Time
	Corrections int
	Version     int64
	// CorrectUntil is when corrections end, as Submit leaves it (zero: none).
	CorrectUntil time.Time
}

// CorrectableUntil is when corrections of s to campaign c end (zero: none).
func CorrectableUntil(c audiencedb.Campaign, s Submission) time.Time {
	if c.State != audiencedb.Running || s.State != Submitted {
		return time.Time{}
	}
	until := s.SubmittedAt.Add(CorrectFor)
	if due := c.DueEnd(); due.After(until) {
		until = due
	}
	return until
}

// Entry is one submitted state of a submission, in its history.
type Entry struct {
	N       int
	Answers form.Answers
	Channel string
	ByName  string
	At      time.Time
}

const submissionColumns = `s.id, s.campaign_id, s.enterprise_id, s.form_id, s.form_version, s.state, s.answers, s.channel,
	s.by_name, s.created_at, s.updated_at, s.submitted_at, s.corrections, s.version`

func scanSubmission(sc store.Scanner) (Submission, error) {
	var s Submission
	var answers string
	var created, updated, submitted int64
	if err := sc.Scan(&s.ID, &s.CampaignID, &s.EnterpriseID, &s.FormID, &s.FormVersion, &s.State, &answers, &s.Channel,
		&s.ByName, &created, &updated, &submitted, &s.Corrections, &s.Version); err != nil {
		return s, err
	}
	s.CreatedAt, s.UpdatedAt, s.SubmittedAt = store.Millis(created), store.Millis(updated), store.Millis(submitted)
	return s, json.Unmarshal([]byte(answers), &s.Answers)
}

// submission reads the submission of an enterprise to a campaign, if any.
func submission(ctx context.Context, h store.DB, campaignID, enterpriseID int64) (Submission, bool, error) {
	list, err := store.Collect(ctx, h, scanSubmission, "SELECT "+submissionColumns+
		" FROM form_submissions s WHERE s.campaign_id = ? AND s.enterprise_id = ?", campaignID, enterpriseID)
	if err != nil || len(list) == 0 {
		return Submission{}, false, err
	}
	return list[0], true, nil
}

// Fill is what filling a campaign's form for an enterprise needs.
type Fill struct {
	Sent       audiencedb.Sent
	Definition form.Definition
	Submission Submission // ID 0 when nothing was saved yet
	Has        bool
	// Known are the enterprise's current facts of the kinds the form asks
	// ("report once", 最多报一次): the page prefills them.
	Known          []dossier.Fact
	CorrectUntil   time.Time // zero when it may not be corrected (any more)
	History        []Entry
	EnterpriseName string
	Files          map[int64]FileInfo // uploaded for this member
}

// Open reads what filling a campaign's form for an enterprise needs, for
// an actor who may fill for it; the enterprise's own opening is recorded
// as seen.
func (s *Store) Open(ctx context.Context, actor access.Actor, campaignID, enterpriseID int64) (Fill, error) {
	var f Fill
	h := s.engine.Reader()
	sent, err := audiencedb.MemberOf(ctx, h, actor, campaignID, enterpriseID)
	if err != nil {
		return f, err
	}
	f.Sent, f.EnterpriseName = sent, sent.Member.Name
	if f.Definition, err = Definition(ctx, h, sent.FormID, sent.FormVersion); err != nil {
		return f, err
	}
	if f.Submission, f.Has, err = submission(ctx, h, campaignID, enterpriseID); err != nil {
		return f, err
	}
	if f.Files, err = filesOf(ctx, h, campaignID, enterpriseID); err != nil {
		return f, err
	}
	if kinds := f.Definition.FactKinds(); len(kinds) > 0 {
		if f.Known, err = dossierdb.CurrentOf(ctx, h, enterpriseID, kinds); err != nil {
			return f, err
		}
	}
	if f.Has {
		f.CorrectUntil = CorrectableUntil(sent.Campaign, f.Submission)
		if f.History, err = history(ctx, h, f.Submission.ID); err != nil {
			return f, err
		}
	}
	return f, nil
}

// history reads a submission's submitted states, the newest first.
func history(ctx context.Context, h store.DB, id int64) ([]Entry, error) {
	return store.Collect(ctx, h, func(sc store.Scanner) (Entry, error) {
		var e Entry
		var answers string
		var at int64
		if err := sc.Scan(&e.N, &answers, &e.Channel, &e.ByName, &at); err != nil {
			return e, err
		}
		e.At = store.Millis(at)
		return e, json.Unmarshal([]byte(answers), &e.Answers)
	}, "SELECT n, answers, channel, by_name, at FROM form_submission_history WHERE submission_id = ? ORDER BY n DESC", id)
}

// Input is answers to save or submit.
type Input struct {
	CampaignID, EnterpriseID int64
	Answers                  form.Answers
	// Medium is "web" or "api"; the channel adds who filled it.
	Medium string
	// Key makes a submit idempotent: a retry with the same key answers
	// the submission it made.
	Key string
	// Version is the submission's version the filler saw (0: none yet);
	// a stale one is refused.
	Version int64
}

// channel is the channel of a submission by actor through medium.
func channel(actor access.Actor, medium string) string {
	if medium != "api" {
		medium = "web"
	}
	if actor.Role == access.RoleEnterprise {
		return "enterprise." + medium
	}
	return "staff." + medium
}

// Monitoring is the module of a campaign of status reports (package
// resumption): its reports are period by period, not one submission.
const Monitoring = "monitoring"

// MaxKey bounds an idempotency key.
const MaxKey = 100

// prepare reads what a save or a submit needs in its transaction and
// checks the actor, the campaign's state and the version.
func prepare(ctx context.Context, tx *store.Tx, actor access.Actor, in Input) (audiencedb.Sent, form.Definition, Submission, bool, error) {
	h := tx.DB()
	var def form.Definition
	sent, err := audiencedb.MemberOf(ctx, h, actor, in.CampaignID, in.EnterpriseID)
	if err != nil {
		return sent, def, Submission{}, false, err
	}
	if sent.Module == Monitoring {
		return sent, def, Submission{}, false, fault.New(fault.Conflict, "campaign_reports", "运行监测按期报送，请在“运行情况报送”页填报", "a monitoring campaign is reported period by period on its report page")
	}
	if sent.State != audiencedb.Running {
		return sent, def, Submission{}, false, fault.New(fault.Conflict, "campaign_closed", "该次填报已结束，不能再提交或更正", "the campaign is closed; nothing more is submitted or corrected")
	}
	if def, err = Definition(ctx, h, sent.FormID, sent.FormVersion); err != nil {
		return sent, def, Submission{}, false, err
	}
	sub, has, err := submission(ctx, h, in.CampaignID, in.EnterpriseID)
	return sent, def, sub, has, err
}

// SaveDraft keeps answers not yet submitted: values that are wrong are
// refused with their messages, missing ones are not. A submitted answer has
// no draft: it is corrected by submitting again.
func (s *Store) SaveDraft(ctx context.Context, actor access.Actor, in Input) (Submission, error) {
	var out Submission
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		sent, def, sub, has, err := prepare(ctx, tx, actor, in)
		if err != nil {
			return err
		}
		if has && sub.State == Submitted {
			return fault.New(fault.Conflict, "already_submitted", "已经提交，如需更正请直接修改后再次提交", "already submitted; correct it by submitting again")
		}
		if has && in.Version != sub.Version {
			return fault.ErrConflict
		}
		now := tx.Now()
		clean, err := form.Clean(def, in.Answers, now.In(calendar.Shanghai), false)
		if err == nil {
			err = checkFiles(ctx, tx.DB(), in.CampaignID, in.EnterpriseID, def, clean)
		}
		if err != nil {
			return err
		}
		js, err := encode(clean)
		if err != nil {
			return err
		}
		ch := channel(actor, in.Medium)
		if has {
			var res sql.Result
			res, err = tx.DB().Exec(ctx, `UPDATE form_submissions SET answers = ?, channel = ?, by_id = ?, by_name = ?, updated_at = ?,
				version = version + 1 WHERE id = ? AND version = ? AND state = ?`, js, ch, actor.UserID, actor.Name, now.UnixMilli(),
				sub.ID, sub.Version, Draft)
			if err == nil {
				err = oneRow(res)
			}
			sub.Version++
		} else {
			sub = Submission{CampaignID: in.CampaignID, EnterpriseID: in.EnterpriseID, FormID: sent.FormID, FormVersion: sent.FormVersion,
				State: Draft, CreatedAt: now, Version: 1}
			err = store.Scan(tx.DB().Row(ctx, `INSERT INTO form_submissions (campaign_id, enterprise_id, form_id, form_version, state,
				answers, channel, by_id, by_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				in.CampaignID, in.EnterpriseID, sent.FormID, sent.FormVersion, Draft, js, ch, actor.UserID, actor.Name,
				now.UnixMilli(), now.UnixMilli()), &sub.ID)
		}
		if err != nil {
			return fmt.Errorf("save draft: %w", err)
		}
		sub.Answers, sub.Channel, sub.ByName, sub.UpdatedAt = clean, ch, actor.Name, now
		out = sub
		return tx.Record(ctx, actor, "form.draft", fmt.Sprintf("campaign/%d/enterprise/%d", in.CampaignID, in.EnterpriseID), "ok", nil)
	})
	return out, err
}

// encode writes answers as stored, bounded.
func encode(a form.Answers) (string, error) {
	js, err := json.Marshal(a)
	if err != nil {
		return "", err
	}
	if len(js) > form.MaxAnswersBytes {
		return "", fault.New(fault.Invalid, "answers_too_large", "答卷内容过多", "the answers are too large")
	}
	return string(js), nil
}

// Submit submits an enterprise's answers to a campaign's form, validated
// in full: the first time, or again as a correction within the window (at
// the submission's version). A retry with the key of the submit that made
// the current state answers it again (replayed). In one transaction: the
// submission and its history entry, the member answered, the facts the
// answers state (only those that say something new: a value confirmed as
// it stands is not recorded twice), the audit.
func (s *Store) Submit(ctx context.Context, actor access.Actor, in Input) (sub Submission, replayed bool, err error) {
	if len(in.Key) > MaxKey {
		return sub, false, fault.New(fault.Invalid, "idempotency_key", "幂等键过长", "the idempotency key is too long")
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		sub, replayed, err = submitTx(ctx, tx, actor, in)
		return err
	})
	if err != nil && in.Key != "" && fault.Is(err, fault.Conflict) {
		// Two retries of one submit raced: the loser answers the winner's.
		if got, has, rerr := submission(ctx, s.engine.Reader(), in.CampaignID, in.EnterpriseID); rerr == nil && has &&
			got.State == Submitted && lastKey(ctx, s.engine.Reader(), got.ID) == in.Key {
			if sent, err := audiencedb.MemberOf(ctx, s.engine.Reader(), actor, in.CampaignID, in.EnterpriseID); err == nil {
				got.CorrectUntil = CorrectableUntil(sent.Campaign, got)
			}
			return got, true, nil
		}
	}
	return sub, replayed, err
}

// lastKey is the idempotency key of a submission's current state.
func lastKey(ctx context.Context, h store.DB, id int64) string {
	var key string
	if err := store.Scan(h.Row(ctx, "SELECT idem_key FROM form_submissions WHERE id = ?", id), &key); err != nil {
		return ""
	}
	return key
}

func submitTx(ctx context.Context, tx *store.Tx, actor access.Actor, in Input) (Submission, bool, error) {
	sent, def, sub, has, err := prepare(ctx, tx, actor, in)
	if err != nil {
		return sub, false, err
	}
	h := tx.DB()
	if has && sub.State == Submitted && in.Key != "" && lastKey(ctx, h, sub.ID) == in.Key {
		sub.CorrectUntil = CorrectableUntil(sent.Campaign, sub)
		return sub, true, nil
	}
	now := tx.Now()
	local := now.In(calendar.Shanghai)
	correcting := has && sub.State == Submitted
	if has && in.Version != sub.Version {
		if correcting && in.Version == 0 {
			return sub, false, fault.New(fault.Conflict, "already_submitted", "已经提交过；如需更正，请打开已提交的答卷修改", "already submitted; open the answers to correct them")
		}
		return sub, false, fault.ErrConflict
	}
	if correcting {
		if until := CorrectableUntil(sent.Campaign, sub); !now.Before(until) {
			return sub, false, fault.New(fault.Conflict, "correction_closed", "更正期已过（截止 "+until.In(calendar.Shanghai).Format("2006-01-02 15:04")+"）",
				"the time for corrections is over")
		}
	}
	clean, err := form.Clean(def, in.Answers, local, true)
	if err == nil {
		err = checkFiles(ctx, h, in.CampaignID, in.EnterpriseID, def, clean)
	}
	if err != nil {
		return sub, false, err
	}
	js, err := encode(clean)
	if err != nil {
		return sub, false, err
	}
	ch := channel(actor, in.Medium)
	var res sql.Result
	switch {
	case correcting:
		sub.Corrections++
		res, err = h.Exec(ctx, `UPDATE form_submissions SET answers = ?, channel = ?, by_id = ?, by_name = ?, updated_at = ?,
			corrections = corrections + 1, idem_key = ?, version = version + 1 WHERE id = ? AND version = ? AND state = ?`,
			js, ch, actor.UserID, actor.Name, now.UnixMilli(), in.Key, sub.ID, sub.Version, Submitted)
	case has:
		res, err = h.Exec(ctx, `UPDATE form_submissions SET state = ?, answers = ?, channel = ?, by_id = ?, by_name = ?, updated_at = ?,
			submitted_at = ?, idem_key = ?, version = version + 1 WHERE id = ? AND version = ? AND state = ?`,
			Submitted, js, ch, actor.UserID, actor.Name, now.UnixMilli(), now.UnixMilli(), in.Key, sub.ID, sub.Version, Draft)
		sub.SubmittedAt = now
	default:
		sub = Submission{CampaignID: in.CampaignID, EnterpriseID: in.EnterpriseID, FormID: sent.FormID, FormVersion: sent.FormVersion,
			CreatedAt: now, SubmittedAt: now}
		err = store.Scan(h.Row(ctx, `INSERT INTO form_submissions (campaign_id, enterprise_id, form_id, form_version, state,
			answers, channel, by_id, by_name, created_at, updated_at, submitted_at, idem_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.CampaignID, in.EnterpriseID, sent.FormID, sent.FormVersion, Submitted, js, ch, actor.UserID, actor.Name,
			now.UnixMilli(), now.UnixMilli(), now.UnixMilli(), in.Key), &sub.ID)
	}
	if err == nil && res != nil {
		err = oneRow(res)
	}
	if err != nil {
		return sub, false, fmt.Errorf("submit: %w", err)
	}
	sub.State, sub.Answers, sub.Channel, sub.ByName, sub.UpdatedAt, sub.Version = Submitted, clean, ch, actor.Name, now, sub.Version+1
	if _, err := h.Exec(ctx, `INSERT INTO form_submission_history (submission_id, n, answers, channel, by_id, by_name, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, sub.ID, sub.Corrections+1, js, ch, actor.UserID, actor.Name, now.UnixMilli()); err != nil {
		return sub, false, fmt.Errorf("submit history: %w", err)
	}
	if err := audiencedb.AnsweredTx(ctx, tx, in.CampaignID, in.EnterpriseID); err != nil {
		return sub, false, err
	}
	if err := recordFacts(ctx, tx, actor, def, clean, sub); err != nil {
		return sub, false, err
	}
	sub.CorrectUntil = CorrectableUntil(sent.Campaign, sub)
	action := "form.submit"
	if correcting {
		action = "form.correct"
	}
	return sub, false, tx.Record(ctx, actor, action, fmt.Sprintf("campaign/%d/enterprise/%d", in.CampaignID, in.EnterpriseID), "ok",
		map[string]any{"submission": sub.ID, "channel": ch, "form_version": sub.FormVersion})
}

// recordFacts records the facts the answers state that the file does not
// hold already as their kind and period's current value: a value confirmed
// as it stands is not recorded twice, a correction is a new fact.
func recordFacts(ctx context.Context, tx *store.Tx, actor access.Actor, def form.Definition, answers form.Answers, sub Submission) error {
	now := tx.Now().In(calendar.Shanghai)
	facts, err := form.Facts(def, answers, sub.EnterpriseID, now, fmt.Sprintf("survey:%d/submission:%d", sub.CampaignID, sub.ID))
	if err != nil || len(facts) == 0 {
		return err
	}
	current, err := dossierdb.CurrentOf(ctx, tx.DB(), sub.EnterpriseID, def.FactKinds())
	if err != nil {
		return err
	}
	var fresh []dossier.Fact
	for _, f := range facts {
		stands := slices.ContainsFunc(current, func(c dossier.Fact) bool {
			return c.Kind == f.Kind && c.Period == f.Period && c.Num == f.Num && c.Text == f.Text
		})
		if stands {
			continue
		}
		fresh = append(fresh, f)
	}
	if len(fresh) == 0 {
		return nil
	}
	_, err = dossierdb.RecordTx(ctx, tx, actor, fresh)
	return err
}

// Answer is a member with its submission, for an export.
type Answer struct {
	Member     audiencedb.Member
	Submission *Submission        // nil when it has not answered
	Files      map[int64]FileInfo // the campaign's files, by ID
}

// EachAnswer calls fn for every member of a campaign in the actor's reach,
// by grid and name, with its submitted answers; drafts are not answers.
func (s *Store) EachAnswer(ctx context.Context, members *audiencedb.Store, actor access.Actor, campaignID int64, fn func(Answer) error) error {
	subs := map[int64]*Submission{}
	err := func() error {
		rows, err := s.engine.Reader().Query(ctx, "SELECT "+submissionColumns+
			" FROM form_submissions s WHERE s.campaign_id = ? AND s.state = ?", campaignID, Submitted)
		if err != nil {
			return fmt.Errorf("answers: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			sub, err := scanSubmission(rows)
			if err != nil {
				return fmt.Errorf("answers: %w", err)
			}
			subs[sub.EnterpriseID] = &sub
		}
		return rows.Err()
	}()
	if err != nil {
		return err
	}
	files, err := filesOf(ctx, s.engine.Reader(), campaignID, 0)
	if err != nil {
		return err
	}
	return members.EachMember(ctx, actor, campaignID, func(m audiencedb.Member) error {
		return fn(Answer{Member: m, Submission: subs[m.EnterpriseID], Files: files})
	})
}

// oneRow refuses an update that changed no row: another change came first.
func oneRow(res sql.Result) error {
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fault.ErrConflict
	}
	return nil
}
