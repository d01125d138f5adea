package pooldb

// Needs for hands (用工需求) and job seekers without an employer (求职人员).

import (
	"context"
	"fmt"
	"slices"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/pool"
	"qifu/internal/store"
)

const needColumns = `n.id, n.enterprise_id, e.name, n.work_type, n.heads, n.taken, n.from_day, n.to_day, n.site, n.shift,
	n.daily_cost, n.certs, n.training, n.transport, n.lodging, n.needed_by, n.contact, n.phone, n.share_code, n.status,
	n.posted_at, n.first_on_site, n.version`

// needFrom reads needs n with their enterprises e.
const needFrom = "FROM pool_needs n JOIN enterprises e ON e.id = n.enterprise_id"

func scanNeed(sc store.Scanner) (pool.Need, error) {
	var n pool.Need
	var wt, certs string
	var posted, first int64
	err := sc.Scan(&n.ID, &n.EnterpriseID, &n.Enterprise, &wt, &n.Heads, &n.Taken, &n.From, &n.To, &n.Site, &n.Shift,
		&n.DailyCost, &certs, &n.Training, &n.Transport, &n.Lodging, &n.NeededBy, &n.Contact, &n.Phone, &n.Share, &n.Status,
		&posted, &first, &n.Version)
	n.WorkType, n.Certs = pool.WorkType(wt), unlist[string](certs)
	n.PostedAt, n.FirstOnSite = store.Millis(posted), store.Millis(first)
	return n, store.ScanErr(err)
}

// PostNeed posts an enterprise's need for hands: its own account, or staff
// for an enterprise in their reach. The community staff are told.
func (s *Store) PostNeed(ctx context.Context, actor access.Actor, n pool.Need) (pool.Need, error) {
	if !access.May(actor.Role, access.PoolPost) {
		return n, access.ErrForbidden
	}
	e, err := enterpriseFor(ctx, s.engine.Reader(), actor, access.PoolPost, n.EnterpriseID)
	if err != nil {
		return n, err
	}
	n.Normalize()
	if err := n.Check(s.today()); err != nil {
		return n, err
	}
	if n.Share, err = shareOf(e, n.Share); err != nil {
		return n, err
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now()
		n.Enterprise, n.Status, n.Version, n.Taken, n.PostedAt = e.Name, pool.NeedOpen, 1, 0, time.UnixMilli(now.UnixMilli())
		if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO pool_needs (enterprise_id, work_type, heads, from_day, to_day, site, shift,
			daily_cost, certs, training, transport, lodging, needed_by, contact, phone, share_code, status, posted_by, posted_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.ID, string(n.WorkType), n.Heads, n.From, n.To, n.Site, n.Shift, n.DailyCost, list(n.Certs), n.Training,
			n.Transport, n.Lodging, n.NeededBy, n.Contact, n.Phone, n.Share, n.Status, actor.UserID, now.UnixMilli()), &n.ID); err != nil {
			return fmt.Errorf("insert need: %w", err)
		}
		wt, _ := pool.Find(pool.WorkTypes, string(n.WorkType))
		if err := tx.Notify(ctx, communityStaff(e), "pool.need", fmt.Sprintf("/pool/needs/%d", n.ID),
			fmt.Sprintf("%s 需要%s %d 人，最迟 %s 到岗", e.Name, wt.Zh, n.Heads, n.NeededBy)); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "pool.need", fmt.Sprintf("pool_need/%d", n.ID), "ok", map[string]any{"heads": n.Heads, "work_type": n.WorkType})
	})
	return n, err
}

// NeedQuery selects needs.
type NeedQuery struct {
	Enterprise int64
	Status     string // "" every status
	Page       store.Page
}

// Needs lists the needs the actor may read, the most urgent open first.
func (s *Store) Needs(ctx context.Context, actor access.Actor, q NeedQuery) ([]pool.Need, int, error) {
	if !access.May(actor.Role, access.PoolRead) {
		return nil, 0, access.ErrForbidden
	}
	where, args := visible(actor, "n.share_code")
	if q.Enterprise != 0 {
		where += " AND n.enterprise_id = ?"
		args = append(args, q.Enterprise)
	}
	if q.Status != "" {
		where += " AND n.status = ?"
		args = append(args, q.Status)
	}
	if q.Status == pool.NeedOpen { // a need whose period is over is past filling
		where += " AND n.to_day >= ?"
		args = append(args, s.today())
	}
	return store.Paged(ctx, s.engine.Reader(), "needs", scanNeed, needColumns, needFrom, where, args,
		"CASE n.status WHEN 'open' THEN 0 ELSE 1 END, n.needed_by, n.id", q.Page)
}

// Need returns one need the actor may read.
func (s *Store) Need(ctx context.Context, actor access.Actor, id int64) (pool.Need, error) {
	if !access.May(actor.Role, access.PoolRead) {
		return pool.Need{}, access.ErrForbidden
	}
	return s.need(ctx, s.engine.Reader(), actor, id)
}

func (s *Store) need(ctx context.Context, h store.DB, actor access.Actor, id int64) (pool.Need, error) {
	where, args := visible(actor, "n.share_code")
	return scanNeed(h.Row(ctx, "SELECT "+needColumns+" "+needFrom+" WHERE n.id = ? AND "+where,
		append([]any{id}, args...)...))
}

// CloseNeed closes an open or filled need (the borrower's, or staff for it):
// loans not yet chosen are cancelled; loans under way go on.
func (s *Store) CloseNeed(ctx context.Context, actor access.Actor, id int64, version int) (pool.Need, error) {
	n, err := s.Need(ctx, actor, id)
	if err != nil {
		return n, err
	}
	if _, err := enterpriseFor(ctx, s.engine.Reader(), actor, access.PoolPost, n.EnterpriseID); err != nil {
		return n, access.ErrForbidden
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		res, err := h.Exec(ctx, "UPDATE pool_needs SET status = 'closed', version = version + 1 WHERE id = ? AND version = ? AND status <> 'closed'", id, version)
		if err != nil {
			return fmt.Errorf("close need: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		if _, err := h.Exec(ctx, "UPDATE pool_matches SET state = 'cancelled', ended_at = ?, end_reason = ?, version = version + 1 WHERE need_id = ? AND state = 'proposed'",
			tx.Now().UnixMilli(), "需求已关闭", id); err != nil {
			return fmt.Errorf("cancel proposals: %w", err)
		}
		n.Status, n.Version = pool.NeedClosed, version+1
		return tx.Record(ctx, actor, "pool.need.close", fmt.Sprintf("pool_need/%d", id), "ok", nil)
	})
	return n, err
}

// Seekers: people without an employer, kept as long as their purpose needs.

// SeekerRetention is how long a job seeker's record is kept after being
// placed or leaving the pool; an open record is kept a year.
const (
	SeekerRetention = 90
	SeekerOpenDays  = 365
)

const seekerColumns = `s.id, s.name, s.phone, s.work_types, s.from_day, s.wants, s.community_code, s.status, s.need_id, s.placed_at,
	s.retain_until, s.version, s.created_at`

func scanSeeker(sc store.Scanner) (pool.Seeker, error) {
	var p pool.Seeker
	var types string
	var placed, created int64
	err := sc.Scan(&p.ID, &p.Name, &p.Phone, &types, &p.From, &p.Wants, &p.CommunityCode, &p.Status, &p.NeedID, &placed,
		&p.RetainUntil, &p.Version, &created)
	p.WorkTypes, p.PlacedAt, p.CreatedAt = unlist[pool.WorkType](types), store.Millis(placed), store.Millis(created)
	return p, store.ScanErr(err)
}

// seekerScope is the condition on job seekers s the actor may take action on:
// staff whose region holds the seeker's community.
func seekerScope(actor access.Actor, action access.Action) (string, []any) {
	cond, args := seekerReach(actor, action)
	return "s.name <> '' AND " + cond, args // an erased job seeker is nobody's
}

func seekerReach(actor access.Actor, action access.Action) (string, []any) {
	f := access.FilterFor(actor, action)
	switch f.Reach {
	case access.All:
		return "1 = 1", nil
	case access.Region:
		col := map[place.Level]string{place.City: "s.city_code", place.District: "s.district_code", place.Street: "s.street_code",
			place.Community: "s.community_code", place.Grid: "s.community_code"}[f.Level]
		code := f.Code
		if f.Level == place.Grid {
			code = place.AncestryOf(f.Code).Community // a grid worker serves its community's seekers
		}
		return col + " = ?", []any{code}
	}
	return "1 = 0", nil
}

// AddSeeker registers a job seeker in a community of the actor's region
// (staff only: people come to the community's desk or its phone line).
func (s *Store) AddSeeker(ctx context.Context, actor access.Actor, p pool.Seeker) (pool.Seeker, error) {
	if actor.Role == access.RoleEnterprise || !access.May(actor.Role, access.PoolPost) {
		return p, access.ErrForbidden
	}
	p.Normalize()
	if err := p.Check(); err != nil {
		return p, err
	}
	a := place.AncestryOf(p.CommunityCode)
	if place.LevelOf(p.CommunityCode) != place.Community {
		return p, fault.Fields{"community_code": {Zh: "请选择社区", En: "choose a community"}}.Err()
	}
	if cond, args := seekerReach(actor, access.PoolPost); !matchesRegion(cond, args, a) {
		return p, fault.ErrNotFound
	}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now()
		p.Status, p.Version, p.CreatedAt = pool.SeekerOpen, 1, time.UnixMilli(now.UnixMilli())
		p.RetainUntil = dayOf(now.AddDate(0, 0, SeekerOpenDays))
		if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO pool_seekers (name, phone, work_types, from_day, wants, community_code,
			street_code, district_code, city_code, status, retain_until, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.Name, p.Phone, list(p.WorkTypes), p.From, p.Wants,
			a.Community, a.Street, a.District, a.City, p.Status, p.RetainUntil, actor.UserID, now.UnixMilli()), &p.ID); err != nil {
			return fmt.Errorf("insert seeker: %w", err)
		}
		return tx.Record(ctx, actor, "pool.seeker", fmt.Sprintf("pool_seeker/%d", p.ID), "ok", nil)
	})
	p.Phone = access.MaskPhone(p.Phone)
	return p, err
}

// matchesRegion evaluates a seeker scope condition for a place, in Go.
func matchesRegion(cond string, args []any, a place.Ancestry) bool {
	switch {
	case cond == "1 = 1":
		return true
	case len(args) != 1:
		return false
	}
	code := args[0].(string)
	return code == a.City || code == a.District || code == a.Street || code == a.Community
}

// SeekerQuery selects job seekers.
type SeekerQuery struct {
	WorkType string
	Status   string
	Page     store.Page
}

// Seekers lists the job seekers of the actor's region, phones masked.
func (s *Store) Seekers(ctx context.Context, actor access.Actor, q SeekerQuery) ([]pool.Seeker, int, error) {
	if actor.Role == access.RoleEnterprise || !access.May(actor.Role, access.PoolRead) {
		return nil, 0, access.ErrForbidden
	}
	where, args := seekerScope(actor, access.PoolRead)
	if q.WorkType != "" {
		if _, ok := pool.Find(pool.WorkTypes, q.WorkType); !ok {
			return nil, 0, fault.Fields{"work_type": {Zh: "工种不在列表中", En: "no such work type"}}.Err()
		}
		where += " AND s.work_types LIKE ?"
		args = append(args, "%,"+q.WorkType+",%")
	}
	if q.Status != "" {
		where += " AND s.status = ?"
		args = append(args, q.Status)
	}
	out, total, err := store.Paged(ctx, s.engine.Reader(), "seekers", scanSeeker, seekerColumns, "FROM pool_seekers s", where, args,
		"s.status, s.from_day, s.id", q.Page)
	for i := range out {
		out[i].Phone = access.MaskPhone(out[i].Phone)
	}
	return out, total, err
}

// PlaceSeeker records a job seeker hired directly by a need's enterprise:
// the seeker takes one of the need's slots (the last one has one winner)
// and the enterprise is told the person's name and phone.
func (s *Store) PlaceSeeker(ctx context.Context, actor access.Actor, seekerID, needID int64, version int) (pool.Seeker, error) {
	if !access.May(actor.Role, access.PoolMatch) {
		return pool.Seeker{}, access.ErrForbidden
	}
	cond, args := seekerScope(actor, access.PoolMatch)
	p, err := scanSeeker(s.engine.Reader().Row(ctx, "SELECT "+seekerColumns+" FROM pool_seekers s WHERE s.id = ? AND "+cond, append([]any{seekerID}, args...)...))
	if err != nil {
		return p, err
	}
	n, err := s.Need(ctx, actor, needID)
	if err != nil {
		return p, err
	}
	if !slices.Contains(p.WorkTypes, n.WorkType) || p.From > n.To {
		return p, fault.New(fault.Invalid, "pool_no_fit", "求职人员的工种或可到岗日期与需求不符", "the job seeker's work types or start do not fit the need")
	}
	e, err := enterpriseFor(ctx, s.engine.Reader(), access.System("pool"), access.PoolRead, n.EnterpriseID)
	if err != nil {
		return p, err
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		now := tx.Now()
		res, err := h.Exec(ctx, `UPDATE pool_seekers SET status = 'placed', need_id = ?, placed_at = ?, retain_until = ?, version = version + 1
			WHERE id = ? AND version = ? AND status = 'open'`, needID, now.UnixMilli(), dayOf(now.AddDate(0, 0, SeekerRetention)), seekerID, version)
		if err != nil {
			return fmt.Errorf("place seeker: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		if err := s.take(ctx, h, needID, 1); err != nil {
			return err
		}
		if err := tx.Notify(ctx, store.EnterpriseUsers(e.ID), "pool.seeker", fmt.Sprintf("/pool/needs/%d", needID),
			fmt.Sprintf("社区推荐求职人员 %s（%s）直接招用", p.Name, p.Phone)); err != nil {
			return err
		}
		p.Status, p.NeedID, p.PlacedAt, p.Version = pool.SeekerPlaced, needID, time.UnixMilli(now.UnixMilli()), version+1
		return tx.Record(ctx, actor, "pool.seeker.place", fmt.Sprintf("pool_seeker/%d", seekerID), "ok", map[string]any{"need": needID})
	})
	p.Phone = access.MaskPhone(p.Phone)
	return p, err
}

// take takes k slots of an open need, or fails with a conflict when fewer
// are left: of two takers of the last slot, one wins.
func (s *Store) take(ctx context.Context, h store.DB, needID int64, k int) error {
	res, err := h.Exec(ctx, `UPDATE pool_needs SET taken = taken + ?, status = CASE WHEN taken + ? >= heads THEN 'filled' ELSE status END,
		version = version + 1 WHERE id = ? AND status = 'open' AND taken + ? <= heads`, k, k, needID, k)
	if err != nil {
		return fmt.Errorf("take slots: %w", err)
	}
	if affected(res) != 1 {
		return stale("该需求剩余名额不足，请刷新后重试", "the need has fewer slots left: reload and try again")
	}
	return nil
}

// release gives k slots back to a need (a proposal declined, a worker not
// going): a filled need opens again.
func (s *Store) release(ctx context.Context, h store.DB, needID int64, k int) error {
	if k <= 0 {
		return nil
	}
	_, err := h.Exec(ctx, `UPDATE pool_needs SET taken = CASE WHEN taken >= ? THEN taken - ? ELSE 0 END,
		status = CASE WHEN status = 'filled' THEN 'open' ELSE status END, version = version + 1 WHERE id = ?`, k, k, needID)
	return wrap(err, "release slots")
}

// WithdrawSeeker takes a job seeker out of the pool (found work elsewhere,
// asked to leave); the record is deleted after SeekerRetention days.
func (s *Store) WithdrawSeeker(ctx context.Context, actor access.Actor, id int64, version int) error {
	if actor.Role == access.RoleEnterprise || !access.May(actor.Role, access.PoolPost) {
		return access.ErrForbidden
	}
	cond, args := seekerScope(actor, access.PoolPost)
	var n int
	if err := store.Scan(s.engine.Reader().Row(ctx, "SELECT COUNT(*) FROM pool_seekers s WHERE s.id = ? AND "+cond, append([]any{id}, args...)...), &n); err != nil {
		return err
	}
	if n == 0 {
		return fault.ErrNotFound
	}
	return s.engine.WithTx(ctx, func(tx *store.Tx) error {
		res, err := tx.DB().Exec(ctx, `UPDATE pool_seekers AS s SET status = 'withdrawn', retain_until = ?, version = version + 1
			WHERE id = ? AND version = ? AND status = 'open' AND `+cond,
			append([]any{dayOf(tx.Now().AddDate(0, 0, SeekerRetention)), id, version}, args...)...)
		if err != nil {
			return fmt.Errorf("withdraw seeker: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		return tx.Record(ctx, actor, "pool.seeker.withdraw", fmt.Sprintf("pool_seeker/%d", id), "ok", nil)
	})
}

// WorkerRetention is how long a worker's phone and ID number are kept after
// the worker left the pool: the two years wage payment records are kept
// (工资支付暂行规定), the loans' settlements naming them.
const WorkerRetention = 2 * 366 * 24 * time.Hour

// Purge erases the job seekers whose retention date has passed and
// the phone and ID number of the workers out of the pool for longer than
// WorkerRetention, and returns how many records it changed (a scheduled
// job; several instances may run it at once).
func (s *Store) Purge(ctx context.Context) (int64, error) {
	var n int64
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		// A job seeker's name and phone go; the row stays, so that the
		// figures of the periods it was placed in do not change.
		res, err := tx.DB().Exec(ctx, `UPDATE pool_seekers SET name = '', phone = '',
			status = CASE WHEN status = 'open' THEN 'withdrawn' ELSE status END WHERE retain_until < ? AND name <> ''`, dayOf(tx.Now()))
		if err != nil {
			return fmt.Errorf("purge seekers: %w", err)
		}
		seekers := affected(res)
		res, err = tx.DB().Exec(ctx, `UPDATE pool_workers SET phone = '', id_number = '', certs = '[]'
			WHERE status = 'withdrawn' AND withdrawn_at <> 0 AND withdrawn_at < ? AND (phone <> '' OR id_number <> '')`,
			tx.Now().Add(-WorkerRetention).UnixMilli())
		if err != nil {
			return fmt.Errorf("erase workers: %w", err)
		}
		workers := affected(res)
		if n = seekers + workers; n == 0 {
			return nil
		}
		return tx.Record(ctx, access.System("pool"), "pool.purge", "pool", "ok", map[string]any{"seekers": seekers, "workers": workers})
	})
	return n, err
}
