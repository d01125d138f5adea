// Package audiencedb keeps the campaigns on the store's engine: a form's
// version sent to an audience (package audience), resolved over the
// enterprises in the sender's scope and frozen into members when it
// starts; each member's progress (seen, answered, overdue) per grid,
// community and street; the later additions and removals, each with its
// reason and audited; reminders to those who have not answered and to
// their grid workers. Its open work is in the to-do list (survey.fill for
// the enterprise, survey.chase for the grid worker) and its records in the
// enterprise's timeline.
package audiencedb

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/audience"
	"qifu/internal/calendar"
	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
)

// Store is the campaigns' part of the store.
type Store struct {
	engine *store.Store
}

// New builds the campaigns' store on the engine.
func New(engine *store.Store) *Store { return &Store{engine: engine} }

// The states of a campaign.
const (
	Running = "running"
	Closed  = "closed"
)

// Campaign is a form's version sent to an audience.
type Campaign struct {
	ID           int64
	Module       string // the module that sent it: "survey"
	Title        string
	FormID       int64
	FormVersion  int
	Audience     audience.Definition
	OwnerID      int64
	OwnerName    string
	RegionCode   string // the sender's region, when regional
	DepartmentID int64  // the sender's department, when a department's
	Due          string // YYYY-MM-DD, a working day
	State        string
	StartedAt    time.Time
	ClosedAt     time.Time
	RemindedAt   time.Time
	Version      int64
	// Counts of the members in the reader's scope.
	Members, Answered, Overdue int
}

// DueEnd is the end of the due day in Ningbo: a member not answered by then is overdue.
func (c Campaign) DueEnd() time.Time {
	d, err := time.ParseInLocation(time.DateOnly, c.Due, calendar.Shanghai)
	if err != nil {
		return time.Time{}
	}
	return d.AddDate(0, 0, 1)
}

// Late reports whether the campaign's members not answered are late at
// now: after the due day, and for a closed campaign when it was closed
// after it (its figures stand as they were).
func (c Campaign) Late(now time.Time) bool {
	if c.State == Closed {
		now = c.ClosedAt
	}
	return !now.Before(c.DueEnd())
}

const campaignColumns = `c.id, c.module, c.title, c.form_id, c.form_version, c.audience, c.owner_id, c.owner_name,
	c.region_code, c.department_id, c.due, c.state, c.started_at, c.closed_at, c.reminded_at, c.version`

func scanCampaign(sc store.Scanner) (Campaign, error) {
	var c Campaign
	dest, done := campaignDest(&c)
	if err := sc.Scan(dest...); err != nil {
		return c, err
	}
	return c, done()
}

// campaignDest are the scan destinations of campaignColumns into c, and
// what to do once scanned.
func campaignDest(c *Campaign) ([]any, func() error) {
	var def string
	var started, closed, reminded int64
	return []any{&c.ID, &c.Module, &c.Title, &c.FormID, &c.FormVersion, &def, &c.OwnerID, &c.OwnerName,
			&c.RegionCode, &c.DepartmentID, &c.Due, &c.State, &started, &closed, &reminded, &c.Version}, func() error {
			c.StartedAt, c.ClosedAt, c.RemindedAt = store.Millis(started), store.Millis(closed), store.Millis(reminded)
			return json.Unmarshal([]byte(def), &c.Audience)
		}
}

// MemberColumn is the column of campaign_members m holding a level's code.
func MemberColumn(l place.Level) string { return levelColumn[l] }

// levelColumn is the members' column of each level.
var levelColumn = map[place.Level]string{
	place.City: "m.city_code", place.District: "m.district_code", place.Street: "m.street_code",
	place.Community: "m.community_code", place.Grid: "m.grid_code",
}

// memberScope is the condition on members m that the actor may follow for
// action: a regional role its region's members, a cadre its assigned
// enterprises, an enterprise itself; a department and an administrator
// every member of the campaigns they may read.
func memberScope(actor access.Actor, action access.Action) (string, []any) {
	return MemberScope(actor, action)
}

// MemberScope is the condition on campaign_members m that actor may take
// action on, by the place each member had when the list was frozen: for a
// module's query over a campaign's members.
func MemberScope(actor access.Actor, action access.Action) (string, []any) {
	f := access.FilterFor(actor, action)
	switch f.Reach {
	case access.All, access.Dispatched:
		return "1 = 1", nil
	case access.Region:
		return levelColumn[f.Level] + " = ?", []any{f.Code}
	case access.Own:
		return "m.enterprise_id = ?", []any{f.EnterpriseID}
	case access.Assigned:
		return "m.enterprise_id IN (SELECT enterprise_id FROM assignments WHERE user_id = ?)", []any{f.UserID}
	}
	return "1 = 0", nil
}

// campaignScope is the condition on campaigns c that the actor may read:
// a department its own; any other role those with a member in its reach,
// and the ones it sent.
func campaignScope(actor access.Actor) (string, []any) {
	f := access.FilterFor(actor, access.CampaignRead)
	switch f.Reach {
	case access.All:
		return "1 = 1", nil
	case access.Dispatched:
		return "c.department_id = ?", []any{f.DepartmentID}
	case access.None:
		return "1 = 0", nil
	}
	cond, args := memberScope(actor, access.CampaignRead)
	own := "c.owner_id = ?"
	args = append([]any{actor.UserID}, args...)
	if f.Reach == access.Region {
		// And those sent from the actor's region or below it, whatever their members.
		own = "(c.owner_id = ? OR (c.department_id = 0 AND c.region_code LIKE ? ESCAPE '\\'))"
		args = append([]any{actor.UserID, store.EscapeLike(place.Prefix(f.Code)) + "%"}, args[1:]...)
	}
	return "(" + own + " OR EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = c.id AND m.removed_at = 0 AND " + cond + "))", args
}

// mayRun reports whether actor may run campaign c (change its members,
// remind, close): its sender, one whose region holds the sender's, the
// sender's department, an administrator.
func mayRun(actor access.Actor, c Campaign) bool {
	if c.OwnerID == actor.UserID && access.May(actor.Role, access.CampaignRun) {
		return true
	}
	switch access.ReachOf(actor.Role, access.CampaignRun) {
	case access.All:
		return true
	case access.Dispatched:
		return actor.DepartmentID != 0 && c.DepartmentID == actor.DepartmentID
	case access.Region:
		return c.DepartmentID == 0 && actor.RegionCode != "" &&
			(c.RegionCode == actor.RegionCode || slices.Contains(place.Above(c.RegionCode), actor.RegionCode))
	}
	return false
}

// campaign reads a campaign the actor may read, with its counts in the
// actor's reach; one out of scope is not found.
func campaign(ctx context.Context, h store.DB, actor access.Actor, id int64, now time.Time) (Campaign, error) {
	where, args := campaignScope(actor)
	c, err := store.Collect(ctx, h, scanCampaign, "SELECT "+campaignColumns+" FROM campaigns c WHERE c.id = ? AND "+where,
		append([]any{id}, args...)...)
	if err != nil {
		return Campaign{}, fmt.Errorf("campaign: %w", err)
	}
	if len(c) == 0 {
		return Campaign{}, fault.ErrNotFound
	}
	if err := counts(ctx, h, actor, c, now); err != nil {
		return Campaign{}, err
	}
	return c[0], nil
}

// counts fills in the campaigns' member counts in the actor's reach.
func counts(ctx context.Context, h store.DB, actor access.Actor, list []Campaign, now time.Time) error {
	if len(list) == 0 {
		return nil
	}
	cond, args := memberScope(actor, access.CampaignRead)
	ids := make([]any, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	type row struct {
		id                int64
		members, answered int
	}
	rows, err := store.Collect(ctx, h, func(sc store.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.id, &r.members, &r.answered)
	}, `SELECT m.campaign_id, COUNT(*), SUM(CASE WHEN m.answered_at > 0 THEN 1 ELSE 0 END) FROM campaign_members m
		WHERE m.campaign_id IN (`+store.Placeholders(len(ids))+`) AND m.removed_at = 0 AND `+cond+` GROUP BY m.campaign_id`,
		append(ids, args...)...)
	if err != nil {
		return fmt.Errorf("campaign counts: %w", err)
	}
	for i := range list {
		c := &list[i]
		for _, r := range rows {
			if r.id == c.ID {
				c.Members, c.Answered = r.members, r.answered
			}
		}
		if c.Late(now) {
			c.Overdue = c.Members - c.Answered
		}
	}
	return nil
}

// Campaign reads a campaign the actor may read, with its counts in the actor's reach.
func (s *Store) Campaign(ctx context.Context, actor access.Actor, id int64) (Campaign, error) {
	return campaign(ctx, s.engine.Reader(), actor, id, s.engine.Now())
}

// MayRun reports whether actor may run c (as read through Campaign).
func MayRun(actor access.Actor, c Campaign) bool { return mayRun(actor, c) }

// CampaignQuery selects campaigns in a list.
type CampaignQuery struct {
	State  string // "running", "closed" or ""
	Module string
	Page   store.Page
}

// Campaigns lists the campaigns the actor may read, the newest first, with the total.
func (s *Store) Campaigns(ctx context.Context, actor access.Actor, q CampaignQuery) ([]Campaign, int, error) {
	h := s.engine.Reader()
	where, args := campaignScope(actor)
	if q.State != "" {
		where += " AND c.state = ?"
		args = append(args, q.State)
	}
	if q.Module != "" {
		where += " AND c.module = ?"
		args = append(args, q.Module)
	}
	var total int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM campaigns c WHERE "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count campaigns: %w", err)
	}
	limit, offset := q.Page.Bounds()
	list, err := store.Collect(ctx, h, scanCampaign, "SELECT "+campaignColumns+" FROM campaigns c WHERE "+where+
		" ORDER BY c.started_at DESC, c.id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("campaigns: %w", err)
	}
	return list, total, counts(ctx, h, actor, list, s.engine.Now())
}

// Resolution is an audience resolved over the enterprises in a scope.
type Resolution struct {
	IDs     []int64        // the members, by ID
	in      map[int64]bool // the same, as a set
	Unknown int            // left out because a fact was missing or not authoritative
	Names   []string       // the first members' names, for a preview
}

// MaxMembers bounds a campaign's members.
const MaxMembers = 500_000

// resolve resolves def over the enterprises the actor may read: the
// registry's lines in SQL and Go (audience.Definition.Registry), then the
// facts' conditions over the current facts of the kinds they name.
func resolve(ctx context.Context, h store.DB, actor access.Actor, def audience.Definition) (Resolution, error) {
	res := Resolution{in: map[int64]bool{}}
	cond, args := store.EnterpriseScope(actor, access.EnterpriseRead)
	if len(def.Regions) > 0 {
		var any []string
		for _, code := range def.Regions {
			any = append(any, "e."+strings.TrimPrefix(levelColumn[place.LevelOf(code)], "m.")+" = ?")
			args = append(args, code)
		}
		cond += " AND (" + strings.Join(any, " OR ") + ")"
	}
	rows, err := h.Query(ctx, `SELECT e.id, e.credit_code, e.name, e.grid_code, e.community_code, e.street_code, e.district_code,
		e.city_code, e.industry, e.size, e.key_level, e.foreign_trade, e.tags FROM enterprises e WHERE `+cond+` ORDER BY e.id`, args...)
	if err != nil {
		return res, fmt.Errorf("resolve audience: %w", err)
	}
	defer rows.Close()
	var names = map[int64]string{}
	for rows.Next() {
		var e enterprise.Enterprise
		var tags string
		if err := rows.Scan(&e.ID, &e.CreditCode, &e.Name, &e.GridCode, &e.CommunityCode, &e.StreetCode, &e.DistrictCode,
			&e.CityCode, &e.Industry, &e.Size, &e.KeyLevel, &e.ForeignTrade, &tags); err != nil {
			return res, fmt.Errorf("resolve audience: %w", err)
		}
		if tags != "" {
			e.Tags = strings.Split(tags, ",")
		}
		if !def.Registry(e) {
			continue
		}
		res.IDs = append(res.IDs, e.ID)
		res.in[e.ID] = true
		if len(names) < 20 {
			names[e.ID] = e.Name
		}
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("resolve audience: %w", err)
	}
	rows.Close()
	if len(def.Facts) > 0 && len(res.IDs) > 0 {
		if err := res.judgeFacts(ctx, h, def); err != nil {
			return res, err
		}
	}
	for _, id := range res.IDs {
		if n, ok := names[id]; ok {
			res.Names = append(res.Names, n)
		}
	}
	return res, nil
}

// judgeFacts keeps the members whose current facts meet the conditions.
func (res *Resolution) judgeFacts(ctx context.Context, h store.DB, def audience.Definition) error {
	var kinds []any
	for _, c := range def.Facts {
		if !slices.Contains(kinds, any(c.Kind)) {
			kinds = append(kinds, c.Kind)
		}
	}
	facts := map[int64][]dossier.Fact{}
	rows, err := h.Query(ctx, `SELECT id, enterprise_id, kind, period, num, source, recorded_at FROM enterprise_facts
		WHERE kind IN (`+store.Placeholders(len(kinds))+`)`, kinds...)
	if err != nil {
		return fmt.Errorf("audience facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f dossier.Fact
		var source string
		var at int64
		if err := rows.Scan(&f.ID, &f.EnterpriseID, &f.Kind, &f.Period, &f.Num, &source, &at); err != nil {
			return fmt.Errorf("audience facts: %w", err)
		}
		if !res.in[f.EnterpriseID] {
			continue
		}
		f.Source, f.RecordedAt = dossier.Source(source), store.Millis(at)
		facts[f.EnterpriseID] = append(facts[f.EnterpriseID], f)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("audience facts: %w", err)
	}
	kept := res.IDs[:0]
	for _, id := range res.IDs {
		switch def.FactsMet(dossier.Current(facts[id])) {
		case audience.In:
			kept = append(kept, id)
		case audience.Unknown:
			res.Unknown++
		}
	}
	res.IDs = kept
	return nil
}

// Preview resolves an audience for an actor who may send campaigns,
// without freezing it: how many enterprises it holds, how many are left
// out for a missing fact, and the first names.
func (s *Store) Preview(ctx context.Context, actor access.Actor, def audience.Definition) (Resolution, error) {
	if !access.May(actor.Role, access.CampaignRun) {
		return Resolution{}, access.ErrForbidden
	}
	def, err := def.Check(s.engine.Now().In(calendar.Shanghai))
	if err != nil {
		return Resolution{}, err
	}
	return resolve(ctx, s.engine.Reader(), actor, def)
}

// Start starts a campaign: checks it, resolves its audience over the
// enterprises in the sender's scope and freezes the members, in one
// transaction, audited.
func (s *Store) Start(ctx context.Context, actor access.Actor, c Campaign) (Campaign, error) {
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		c, err = StartTx(ctx, tx, actor, c)
		return err
	})
	return c, err
}

// StartTx starts a campaign in a module's transaction; the module has
// checked that the form's version is its to send.
func StartTx(ctx context.Context, tx *store.Tx, actor access.Actor, c Campaign) (Campaign, error) {
	if !access.May(actor.Role, access.CampaignRun) {
		return c, access.ErrForbidden
	}
	h := tx.DB()
	now := tx.Now()
	f := fault.Fields{}
	c.Title = strings.TrimSpace(c.Title)
	if n := utf8.RuneCountInString(c.Title); n == 0 || n > 100 {
		f.Add("title", "标题须为 1 到 100 个字", "a title has 1 to 100 characters")
	}
	cal, err := h.Calendar(ctx)
	if err != nil {
		return c, err
	}
	if msg := checkDue(c.Due, now, cal); msg != nil {
		f["due"] = *msg
	}
	def, err := c.Audience.Check(now.In(calendar.Shanghai))
	if err != nil {
		if fe := fault.As(err); fe != nil {
			for k, m := range fe.Fields {
				f["audience."+k] = m
			}
		}
	}
	if err := f.Err(); err != nil {
		return c, err
	}
	c.Audience = def
	res, err := resolve(ctx, h, actor, def)
	if err != nil {
		return c, err
	}
	if len(res.IDs) == 0 {
		return c, fault.Fields{"audience": {Zh: "没有符合条件的企业，请放宽条件", En: "no enterprise meets the audience; widen it"}}.Err()
	}
	if len(res.IDs) > MaxMembers {
		return c, fault.Fields{"audience": {Zh: fmt.Sprintf("对象不能超过 %d 家", MaxMembers), En: fmt.Sprintf("at most %d enterprises", MaxMembers)}}.Err()
	}
	if c.Module == "" {
		c.Module = "survey"
	}
	c.OwnerID, c.OwnerName, c.State, c.StartedAt, c.Version = actor.UserID, actor.Name, Running, time.UnixMilli(now.UnixMilli()), 1
	if access.ReachOf(actor.Role, access.CampaignRun) == access.Dispatched {
		c.DepartmentID = actor.DepartmentID
	} else {
		c.RegionCode = actor.RegionCode
	}
	js, err := json.Marshal(def)
	if err != nil {
		return c, err
	}
	if err := store.Scan(h.Row(ctx, `INSERT INTO campaigns (module, title, form_id, form_version, audience, owner_id, owner_name,
		region_code, department_id, due, state, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.Module, c.Title, c.FormID, c.FormVersion, string(js), c.OwnerID, c.OwnerName, c.RegionCode, c.DepartmentID,
		c.Due, c.State, now.UnixMilli()), &c.ID); err != nil {
		return c, fmt.Errorf("start campaign: %w", err)
	}
	// The members with their places as the registry holds them now, read
	// by the database itself: a few statements of ids each.
	for batch := range slices.Chunk(res.IDs, 5000) {
		args := make([]any, 0, len(batch)+2)
		args = append(args, c.ID, now.UnixMilli())
		for _, id := range batch {
			args = append(args, id)
		}
		if _, err := h.Exec(ctx, `INSERT INTO campaign_members (campaign_id, enterprise_id, grid_code, community_code,
			street_code, district_code, city_code, added_at)
			SELECT CAST(? AS BIGINT), e.id, e.grid_code, e.community_code, e.street_code, e.district_code, e.city_code, CAST(? AS BIGINT)
			FROM enterprises e WHERE e.id IN (`+store.Placeholders(len(batch))+`)`, args...); err != nil {
			return c, fmt.Errorf("freeze members: %w", err)
		}
	}
	c.Members = len(res.IDs)
	return c, tx.Record(ctx, actor, "campaign.start", fmt.Sprintf("campaign/%d", c.ID), "ok",
		map[string]any{"title": c.Title, "form": c.FormID, "form_version": c.FormVersion, "due": c.Due,
			"members": len(res.IDs), "unknown": res.Unknown, "audience": def})
}

// checkDue checks a due date: a working day, from today to a year ahead.
func checkDue(due string, now time.Time, cal *calendar.Calendar) *fault.Msg {
	d, err := time.ParseInLocation(time.DateOnly, due, calendar.Shanghai)
	today := now.In(calendar.Shanghai).Format(time.DateOnly)
	switch {
	case err != nil:
		return &fault.Msg{Zh: "请按 2026-03-31 的格式填写截止日期", En: "give the due date as 2026-03-31"}
	case due < today:
		return &fault.Msg{Zh: "截止日期不能早于今天", En: "the due date is before today"}
	case d.After(now.AddDate(1, 0, 0)):
		return &fault.Msg{Zh: "截止日期不能晚于一年后", En: "the due date is more than a year ahead"}
	case !cal.IsWorkday(d.Add(12 * time.Hour)):
		next := d
		for i := 0; i < 30 && !cal.IsWorkday(next.Add(12*time.Hour)); i++ {
			next = next.AddDate(0, 0, 1)
		}
		return &fault.Msg{Zh: "截止日期须是工作日（节假日与调休按日历），下一个工作日是 " + next.Format(time.DateOnly),
			En: "the due date is not a working day (by the holiday calendar); the next is " + next.Format(time.DateOnly)}
	}
	return nil
}
