package pooldb

// The pool's figures per region one level down and period. What a lender
// does (workers and teams offered, workers lent, days worked, early returns,
// complaints) counts in the lender's region; what a borrower does (needs,
// slots, hours to the first worker on site, amounts settled) in the
// borrower's; job seekers in their community. Every figure is an aggregate
// over the records in the actor's reach, computed when asked, so it is
// exact whatever ran concurrently.

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
)

// Figures are a region's figures over a period.
type Figures struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Lenders   int    `json:"lenders"`   // enterprises that offered workers in the period
	Borrowers int    `json:"borrowers"` // enterprises that posted needs in the period
	Offered   int    `json:"offered"`   // workers offered in the period
	Teams     int    `json:"teams"`     // teams offered in the period
	Lent      int    `json:"lent"`      // workers who started at a borrower in the period
	LentBy    int    `json:"lent_by"`   // enterprises whose workers started
	Seekers   int    `json:"seekers"`   // job seekers placed in the period
	Needs     int    `json:"needs"`     // needs posted in the period
	Slots     int    `json:"slots"`     // heads those needs asked for
	Filled    int    `json:"filled"`    // of them, filled by a worker on site or a seeker placed
	// HoursMedian and HoursP90 are the hours from posting to the first
	// worker on site of the needs posted in the period that have one; -1 none.
	HoursMedian float64 `json:"hours_median"`
	HoursP90    float64 `json:"hours_p90"`
	Days        int     `json:"days"`       // days worked (attendance) in the period
	Settled     int64   `json:"settled"`    // yuan on sheets of months in the period confirmed by both
	Early       int     `json:"early"`      // placements ended early in the period
	Complaints  int     `json:"complaints"` // workers' complaints in the period
	Rating      float64 `json:"rating"`     // mean stars of the ratings given in the period; -1 none
	Ratings     int     `json:"ratings"`
	hours       []float64
	stars       int
}

// Period is a span of days, both ends included (YYYY-MM-DD).
type Period struct{ From, To string }

func (p Period) check() error {
	from, err1 := time.Parse("2006-01-02", p.From)
	to, err2 := time.Parse("2006-01-02", p.To)
	if err1 != nil || err2 != nil || to.Before(from) || to.Sub(from) > 3*366*24*time.Hour {
		return fault.Fields{"from": {Zh: "请选择起止日期（不超过三年）", En: "choose the first and last day (at most three years)"}}.Err()
	}
	return nil
}

// millis are the period's bounds as the store keeps times.
func (p Period) millis() (int64, int64) {
	from, _ := time.ParseInLocation("2006-01-02", p.From, calendar.Shanghai)
	to, _ := time.ParseInLocation("2006-01-02", p.To, calendar.Shanghai)
	return from.UnixMilli(), to.AddDate(0, 0, 1).UnixMilli()
}

var levelColumn = map[place.Level]string{
	place.City: "e.city_code", place.District: "e.district_code", place.Street: "e.street_code",
	place.Community: "e.community_code", place.Grid: "e.grid_code",
}

// FiguresOf returns the figures of a region in the actor's reach (its own
// by default) over a period, in total and per region one level down.
func (s *Store) FiguresOf(ctx context.Context, actor access.Actor, region string, p Period) (Figures, []Figures, error) {
	if !access.May(actor.Role, access.PoolRead) {
		return Figures{}, nil, access.ErrForbidden
	}
	if err := p.check(); err != nil {
		return Figures{}, nil, err
	}
	r := s.engine.Reader()
	if region == "" {
		region = actor.RegionCode
	}
	if region == "" {
		_ = store.Scan(r.Row(ctx, "SELECT code FROM regions WHERE level = ? ORDER BY code LIMIT 1", int(place.City)), &region)
	}
	level := place.LevelOf(region)
	if level == 0 {
		return Figures{}, nil, fault.Fields{"region": {Zh: "请选择区域", En: "choose a region"}}.Err()
	}
	child := levelColumn[level]
	if level < place.Grid {
		child = levelColumn[level+1]
	}
	cond, args := store.EnterpriseScope(actor, access.PoolRead)
	where := cond + " AND " + levelColumn[level] + " = ?"
	args = append(args, region)
	from, to := p.millis()
	rows := map[string]*Figures{}
	get := func(c string) *Figures {
		if rows[c] == nil {
			rows[c] = &Figures{Code: c}
		}
		return rows[c]
	}
	type count struct {
		code string
		n    int64
	}
	each := func(q string, qargs []any, set func(*Figures, int64)) error {
		out, err := store.Collect(ctx, r, func(sc store.Scanner) (count, error) {
			var c count
			return c, sc.Scan(&c.code, &c.n)
		}, q, qargs...)
		if err != nil {
			return fmt.Errorf("pool figures: %w", err)
		}
		for _, c := range out {
			set(get(c.code), c.n)
		}
		return nil
	}
	at := func(extra ...any) []any { return append(append([]any{}, extra...), args...) }
	queries := []struct {
		q    string
		args []any
		set  func(*Figures, int64)
	}{
		{`SELECT ` + child + `, COUNT(DISTINCT w.enterprise_id) FROM pool_workers w JOIN enterprises e ON e.id = w.enterprise_id
			WHERE w.created_at >= ? AND w.created_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.Lenders = int(n) }},
		{`SELECT ` + child + `, COUNT(*) FROM pool_workers w JOIN enterprises e ON e.id = w.enterprise_id
			WHERE w.created_at >= ? AND w.created_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.Offered = int(n) }},
		{`SELECT ` + child + `, COUNT(*) FROM pool_teams t JOIN enterprises e ON e.id = t.enterprise_id
			WHERE t.created_at >= ? AND t.created_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.Teams = int(n) }},
		{`SELECT ` + child + `, COUNT(DISTINCT n.enterprise_id) FROM pool_needs n JOIN enterprises e ON e.id = n.enterprise_id
			WHERE n.posted_at >= ? AND n.posted_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.Borrowers = int(n) }},
		{`SELECT ` + child + `, COUNT(*) FROM pool_needs n JOIN enterprises e ON e.id = n.enterprise_id
			WHERE n.posted_at >= ? AND n.posted_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.Needs = int(n) }},
		{`SELECT ` + child + `, COALESCE(SUM(n.heads), 0) FROM pool_needs n JOIN enterprises e ON e.id = n.enterprise_id
			WHERE n.posted_at >= ? AND n.posted_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.Slots = int(n) }},
		{`SELECT ` + child + `, COUNT(*) FROM pool_placements p JOIN pool_matches m ON m.id = p.match_id JOIN pool_needs n ON n.id = m.need_id
			JOIN enterprises e ON e.id = n.enterprise_id WHERE p.started_at <> 0 AND n.posted_at >= ? AND n.posted_at < ? AND ` + where + ` GROUP BY ` + child,
			at(from, to), func(f *Figures, n int64) { f.Filled += int(n) }},
		{`SELECT ` + child + `, COUNT(*) FROM pool_seekers s JOIN pool_needs n ON n.id = s.need_id JOIN enterprises e ON e.id = n.enterprise_id
			WHERE s.status = 'placed' AND n.posted_at >= ? AND n.posted_at < ? AND ` + where + ` GROUP BY ` + child,
			at(from, to), func(f *Figures, n int64) { f.Filled += int(n) }},
		{`SELECT ` + child + `, COUNT(*) FROM pool_seekers s JOIN pool_needs n ON n.id = s.need_id JOIN enterprises e ON e.id = n.enterprise_id
			WHERE s.status = 'placed' AND s.placed_at >= ? AND s.placed_at < ? AND ` + where + ` GROUP BY ` + child,
			at(from, to), func(f *Figures, n int64) { f.Seekers = int(n) }},
		{`SELECT ` + child + `, COUNT(*) FROM pool_placements p JOIN pool_matches m ON m.id = p.match_id JOIN enterprises e ON e.id = m.lender_id
			WHERE p.started_at >= ? AND p.started_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.Lent = int(n) }},
		{`SELECT ` + child + `, COUNT(DISTINCT m.lender_id) FROM pool_placements p JOIN pool_matches m ON m.id = p.match_id JOIN enterprises e ON e.id = m.lender_id
			WHERE p.started_at >= ? AND p.started_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.LentBy = int(n) }},
		{`SELECT ` + child + `, COUNT(*) FROM pool_attendance a JOIN pool_placements p ON p.id = a.placement_id JOIN pool_matches m ON m.id = p.match_id
			JOIN enterprises e ON e.id = m.lender_id WHERE a.day >= ? AND a.day <= ? AND ` + where + ` GROUP BY ` + child,
			at(p.From, p.To), func(f *Figures, n int64) { f.Days = int(n) }},
		{`SELECT ` + child + `, COALESCE(SUM(sh.total), 0) FROM pool_sheets sh JOIN pool_matches m ON m.id = sh.match_id JOIN enterprises e ON e.id = m.borrower_id
			WHERE sh.month >= ? AND sh.month <= ? AND sh.lender_confirmed_at <> 0 AND sh.borrower_confirmed_at <> 0 AND ` + where + ` GROUP BY ` + child,
			at(p.From[:7], p.To[:7]), func(f *Figures, n int64) { f.Settled = n }},
		{`SELECT ` + child + `, COUNT(*) FROM pool_placements p JOIN pool_matches m ON m.id = p.match_id JOIN enterprises e ON e.id = m.lender_id
			WHERE (p.state = 'early' OR (p.state = 'withdrawn' AND p.started_at <> 0)) AND p.ended_at >= ? AND p.ended_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.Early = int(n) }},
		{`SELECT ` + child + `, COUNT(*) FROM pool_complaints c JOIN pool_placements p ON p.id = c.placement_id JOIN pool_matches m ON m.id = p.match_id
			JOIN enterprises e ON e.id = m.lender_id WHERE c.created_at >= ? AND c.created_at < ? AND ` + where + ` GROUP BY ` + child,
			at(from, to), func(f *Figures, n int64) { f.Complaints = int(n) }},
		{`SELECT ` + child + `, COUNT(*) FROM pool_ratings t JOIN pool_matches m ON m.id = t.match_id JOIN enterprises e ON e.id = m.borrower_id
			WHERE t.rated_at >= ? AND t.rated_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.Ratings += int(n) }},
		{`SELECT ` + child + `, COALESCE(SUM(t.stars), 0) FROM pool_ratings t JOIN pool_matches m ON m.id = t.match_id JOIN enterprises e ON e.id = m.borrower_id
			WHERE t.rated_at >= ? AND t.rated_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.stars += int(n) }},
		{`SELECT ` + child + `, COUNT(*) FROM pool_placements p JOIN pool_matches m ON m.id = p.match_id JOIN enterprises e ON e.id = m.borrower_id
			WHERE p.rating > 0 AND p.ended_at >= ? AND p.ended_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.Ratings += int(n) }},
		{`SELECT ` + child + `, COALESCE(SUM(p.rating), 0) FROM pool_placements p JOIN pool_matches m ON m.id = p.match_id JOIN enterprises e ON e.id = m.borrower_id
			WHERE p.rating > 0 AND p.ended_at >= ? AND p.ended_at < ? AND ` + where + ` GROUP BY ` + child, at(from, to), func(f *Figures, n int64) { f.stars += int(n) }},
	}
	for _, q := range queries {
		if err := each(q.q, q.args, q.set); err != nil {
			return Figures{}, nil, err
		}
	}
	type hours struct {
		code        string
		posted, sat int64
	}
	hs, err := store.Collect(ctx, r, func(sc store.Scanner) (hours, error) {
		var h hours
		return h, sc.Scan(&h.code, &h.posted, &h.sat)
	}, `SELECT `+child+`, n.posted_at, n.first_on_site FROM pool_needs n JOIN enterprises e ON e.id = n.enterprise_id
		WHERE n.first_on_site <> 0 AND n.posted_at >= ? AND n.posted_at < ? AND `+where, at(from, to)...)
	if err != nil {
		return Figures{}, nil, fmt.Errorf("hours to site: %w", err)
	}
	total := Figures{Code: region}
	for _, h := range hs {
		x := float64(h.sat-h.posted) / float64(time.Hour/time.Millisecond)
		get(h.code).hours = append(get(h.code).hours, x)
		total.hours = append(total.hours, x)
	}
	codes := []string{region}
	for c := range rows {
		codes = append(codes, c)
	}
	// The names of the regions the figures are of: the actor's reach was
	// checked on the records, and a region's name is no secret.
	names, err := s.engine.RegionNames(ctx, access.System("pool"), codes)
	if err != nil {
		return Figures{}, nil, err
	}
	var list []Figures
	for c, f := range rows {
		f.Name = names[c]
		f.finish()
		list = append(list, *f)
		total.add(*f)
	}
	total.Name = names[region]
	total.finish()
	slices.SortFunc(list, func(a, b Figures) int { return strings.Compare(a.Code, b.Code) })
	return total, list, nil
}

func (f *Figures) add(g Figures) {
	f.Lenders += g.Lenders
	f.Borrowers += g.Borrowers
	f.Offered += g.Offered
	f.Teams += g.Teams
	f.Lent += g.Lent
	f.LentBy += g.LentBy
	f.Seekers += g.Seekers
	f.Needs += g.Needs
	f.Slots += g.Slots
	f.Filled += g.Filled
	f.Days += g.Days
	f.Settled += g.Settled
	f.Early += g.Early
	f.Complaints += g.Complaints
	f.Ratings += g.Ratings
	f.stars += g.stars
}

// finish works out the quantiles and the mean rating.
func (f *Figures) finish() {
	f.HoursMedian, f.HoursP90 = Quantile(f.hours, 0.5), Quantile(f.hours, 0.9)
	f.Rating = -1
	if f.Ratings > 0 {
		f.Rating = math.Round(float64(f.stars)/float64(f.Ratings)*10) / 10
	}
}

// Quantile is the q-quantile of xs by the nearest rank (the smallest value
// with at least q of the values at or below it), rounded to 0.1; -1 when
// xs is empty.
func Quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return -1
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return math.Round(s[max(0, min(i, len(s)-1))]*10) / 10
}
