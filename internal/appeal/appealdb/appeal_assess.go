package appealdb

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb/fold"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/rates"
	"qifu/internal/store"
)

// AssessmentQuery selects the figures of the three rates.
type AssessmentQuery struct {
	Dimension   rates.Dimension
	Region      string // any region code in the actor's scope; empty for the whole scope
	From, To    time.Time
	BasicWeight *float64 // weight of 基本满意; nil for rates.DefaultBasicWeight
}

// Assessment computes the assessment figures (响应率, 解决率, 满意率 and the
// others, defined in package rates) of the appeals in the actor's scope for
// a period, from the appeals' step clocks and replies. Department staff see
// their own department's row only.
func (s *Store) Assessment(ctx context.Context, actor access.Actor, q AssessmentQuery) ([]rates.Row, error) {
	rows, _, err := s.AssessmentAsOf(ctx, actor, q)
	return rows, err
}

// AssessmentAsOf is Assessment with the time the figures were computed at:
// with Options.FiguresTTL set, figures computed less than that long ago for
// the same scope and query are answered again (see figures.go).
func (s *Store) AssessmentAsOf(ctx context.Context, actor access.Actor, q AssessmentQuery) ([]rates.Row, time.Time, error) {
	if !access.May(actor.Role, access.AppealAssess) {
		return nil, time.Time{}, access.ErrForbidden
	}
	now := s.now()
	// A period ending now is a new query every time: not worth keeping.
	keep := s.figuresTTL > 0 && !q.To.IsZero()
	if q.To.IsZero() {
		q.To = now
	}
	if !q.To.After(q.From) {
		return nil, time.Time{}, fault.Fields{"to": {Zh: "结束日期须晚于开始日期", En: "the end must be after the start"}}.Err()
	}
	if !keep {
		rows, err := s.assess(ctx, actor, q)
		return rows, now, err
	}
	// Computed for whoever asks meanwhile: one who gives up does not stop it.
	shared := func() ([]rates.Row, error) { return s.assess(context.WithoutCancel(ctx), actor, q) }
	return s.assessments.get(ctx, assessKey(actor, q), now, s.figuresTTL, shared, slices.Clone[[]rates.Row])
}

// assess computes an assessment, at most len(s.assessing) at once: the
// whole months of the period from assess_months (see fold.go), the
// rest from the facts. The period ends now at the latest: a step due later
// today is not late yet.
func (s *Store) assess(ctx context.Context, actor access.Actor, q AssessmentQuery) ([]rates.Row, error) {
	if err := q.Dimension.Check(); err != nil {
		return nil, err
	}
	select {
	case s.assessing <- struct{}{}:
		defer func() { <-s.assessing }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if end := s.now().Add(time.Millisecond); q.To.After(end) { // times are kept to the millisecond
		q.To = end
	}
	counts := map[string]*rates.Counts{}
	if q.To.After(q.From) {
		if err := s.assessCounts(ctx, actor, q, counts); err != nil {
			return nil, err
		}
	}
	rows, err := rates.RowsOf(counts, q.BasicWeight)
	if err != nil {
		return nil, err
	}
	if actor.Role == access.RoleDepartment {
		own := strconv.FormatInt(actor.DepartmentID, 10)
		kept := rows[:0]
		for _, r := range rows {
			if q.Dimension == rates.Department && r.Key == own {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	return rows, nil
}

// assessCounts adds the counts of the query's period to counts. In a scope
// the kept rows can count (see fold.go), with the queue folded: the
// whole months from assess_months, the whole days before and after them
// from assess_days (a street's from its appeals with a fact on those days),
// and the rest — today, which is still running, and any part of a day at
// the ends — from the facts of the appeals with a fact then. Otherwise all
// of it from the facts.
func (s *Store) assessCounts(ctx context.Context, actor access.Actor, q AssessmentQuery, counts map[string]*rates.Counts) error {
	code, dept, ok := fold.Scope(actor, q.Region)
	if ok {
		folded, err := s.folder.ForRead(ctx)
		if err != nil {
			return err
		}
		ok = folded
	}
	if !ok {
		list, err := s.assessmentFacts(ctx, actor, q)
		if err != nil {
			return err
		}
		return rates.Tally(counts, list, q.Dimension, q.From, q.To)
	}
	h := s.reader()
	// byFacts counts [from, to) from the facts of the appeals with one then.
	byFacts := func(from, to time.Time) error {
		if !from.Before(to) {
			return nil
		}
		where, args := fold.CandidateWhere(code, fold.DayOf(from), fold.DayOf(to.Add(-time.Millisecond)))
		if dept != 0 {
			where += " AND a.id IN (SELECT appeal_id FROM appeal_dispatches WHERE department_id = ?)"
			args = append(args, dept)
		}
		cal, err := s.engine.Calendar(ctx)
		if err != nil {
			return err
		}
		list, err := fold.Facts(ctx, h.DB, cal, where, args, to)
		if err != nil {
			return err
		}
		return rates.Tally(counts, list, q.Dimension, from, to)
	}
	// byDays counts the whole days [from, to).
	byDays := func(from, to fold.Day) error {
		if from >= to {
			return nil
		}
		if _, _, ok := fold.Where(code, dept, true); ok {
			return fold.AddCounts(ctx, h.DB, true, q.Dimension, int(from), int(to), code, dept, counts)
		}
		return byFacts(from.Start(), to.Start())
	}
	// The settled whole days [first, last): today is still running.
	first, last := fold.DayOf(q.From), min(fold.DayOf(q.To), fold.DayOf(s.now()))
	if first.Start().Before(q.From) {
		first++
	}
	if first >= last {
		return byFacts(q.From, q.To)
	}
	if err := byFacts(q.From, first.Start()); err != nil {
		return err
	}
	if err := byFacts(last.Start(), q.To); err != nil {
		return err
	}
	// The whole months [m1, m2) of the whole days.
	m1, m2 := fold.MonthOf(first.Start()), fold.MonthOf(last.Start())
	if m1.Start().Before(first.Start()) {
		m1++
	}
	if m1 >= m2 {
		return byDays(first, last)
	}
	if err := fold.AddCounts(ctx, h.DB, false, q.Dimension, int(m1), int(m2), code, dept, counts); err != nil {
		return err
	}
	if err := byDays(first, fold.DayOf(m1.Start())); err != nil {
		return err
	}
	return byDays(fold.DayOf(m2.Start()), last)
}

// assessScope is the condition on appeals a of the actor's reach for
// assessment, narrowed to a region; ok is false when the region is no code.
func assessScope(actor access.Actor, region string) (where string, args []any, ok bool) {
	where, args = appealScopeSQL(access.FilterFor(actor, access.AppealAssess))
	if region != "" {
		l := place.LevelOf(region)
		if l == 0 {
			return "", nil, false
		}
		where += " AND " + fold.AppealLevelColumn[l] + " = ?"
		args = append(args, region)
	}
	return where, args, true
}

// assessmentFacts loads the appeals with anything in the period: a step
// started, due or done in it, or a reply in it.
func (s *Store) assessmentFacts(ctx context.Context, actor access.Actor, q AssessmentQuery) ([]rates.Appeal, error) {
	where, args, ok := assessScope(actor, q.Region)
	if !ok {
		return nil, nil
	}
	from, to := q.From.UnixMilli(), q.To.UnixMilli()
	// An appeal has something in the period when its reply is in it, or
	// one of its steps is due, started or done in it. Steps start after the
	// appeal is created and are done by the time it closes, so an appeal
	// closed before the period can only have a step due in it: for those,
	// one look into the index of steps by appeal and deadline.
	where += ` AND a.created_at < ? AND (
		((a.closed_at = 0 OR a.closed_at >= ?) AND ((a.replied_at >= ? AND a.replied_at < ?) OR EXISTS (SELECT 1 FROM appeal_steps st
			WHERE st.appeal_id = a.id AND ((st.due_at >= ? AND st.due_at < ?) OR (st.started_at >= ? AND st.started_at < ?)
				OR (st.done_at >= ? AND st.done_at < ?)))))
		OR (a.closed_at > 0 AND a.closed_at < ? AND EXISTS (SELECT 1 FROM appeal_steps st
			WHERE st.appeal_id = a.id AND st.due_at >= ? AND st.due_at < ?)))`
	args = append(args, to, from, from, to, from, to, from, to, from, to, from, from, to)
	cal, err := s.engine.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	return fold.Facts(ctx, s.engine.Reader(), cal, where, args, q.To)
}

// OverviewQuery selects a leader's overview.
type OverviewQuery struct {
	Region   string
	From, To time.Time
}

// Count is one bar of a chart.
type Count struct {
	Key, Label string
	LabelEn    string // the label in English, where the record has one (a department's name)
	N          int
}

// Overview is what a leader sees at a glance: volumes, states and what is stuck.
type Overview struct {
	AsOf                time.Time // when the figures were computed
	ByDay               []Count   // appeals received per day (Key "2026-11-30")
	ByCategory          []Count   // per top-level category
	ByState             []Count   // appeals received in the period by their state now
	OverdueByDepartment []Count   // open steps past their deadline, per department (now, whatever the period)
	Received            int
	Open, Overdue       int
	Closed              int
}

// Overview counts the appeals in the actor's scope received in the period.
// With Options.FiguresTTL set, an overview computed less than that long ago
// for the same scope and query is answered again (see figures.go).
func (s *Store) Overview(ctx context.Context, actor access.Actor, q OverviewQuery) (Overview, error) {
	if !access.May(actor.Role, access.AppealAssess) {
		return Overview{}, access.ErrForbidden
	}
	now := s.now()
	keep := s.figuresTTL > 0 && !q.To.IsZero() // as for the assessment
	if q.To.IsZero() {
		q.To = now
	}
	if !keep {
		return s.overview(ctx, actor, q, now)
	}
	shared := func() (Overview, error) { return s.overview(context.WithoutCancel(ctx), actor, q, now) }
	o, _, err := s.overviews.get(ctx, overviewKey(actor, q), now, s.figuresTTL, shared, Overview.clone)
	return o, err
}

// clone copies an overview, its lists too.
func (o Overview) clone() Overview {
	o.ByDay, o.ByCategory = slices.Clone(o.ByDay), slices.Clone(o.ByCategory)
	o.ByState, o.OverdueByDepartment = slices.Clone(o.ByState), slices.Clone(o.OverdueByDepartment)
	return o
}

// overview computes an overview as of now.
func (s *Store) overview(ctx context.Context, actor access.Actor, q OverviewQuery, now time.Time) (Overview, error) {
	o := Overview{AsOf: now}
	where, args, ok := assessScope(actor, q.Region)
	if !ok {
		return o, nil
	}
	h := s.reader()
	cats, err := h.categories(ctx)
	if err != nil {
		return o, err
	}
	top := map[string]appeal.Category{}
	for _, c := range cats {
		if c.Parent == "" {
			top[c.Code] = c
		}
	}
	days, byCat, byState := map[string]int{}, map[string]int{}, map[string]int{}
	add := func(d fold.Day, cat, state string, n int) {
		o.Received += n
		days[d.Start().Format(time.DateOnly)] += n
		if top, _, ok := strings.Cut(cat, "."); ok {
			cat = top
		}
		byCat[cat] += n
		byState[state] += n
		switch appeal.State(state) {
		case appeal.Closed, appeal.Merged:
			o.Closed += n
		default:
			o.Open += n
		}
	}
	// count counts the appeals received in [from, to): the database counts
	// by day, category and state; days are Shanghai's, numbered from the
	// epoch (China keeps UTC+8 all year).
	count := func(from, to time.Time) error {
		if !from.Before(to) {
			return nil
		}
		rows, err := h.Query(ctx, "SELECT (a.created_at + "+strconv.Itoa(fold.ShanghaiOffsetMS)+") / "+strconv.Itoa(fold.DayMS)+
			", a.category, a.state, COUNT(*) FROM appeals a WHERE "+where+
			" AND a.created_at >= ? AND a.created_at < ? GROUP BY 1, 2, 3", append(args, from.UnixMilli(), to.UnixMilli())...)
		if err != nil {
			return fmt.Errorf("overview: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var d int64
			var cat, state string
			var n int
			if err := rows.Scan(&d, &cat, &state, &n); err != nil {
				return err
			}
			add(fold.Day(d), cat, state, n)
		}
		return rows.Err()
	}
	// A city's or a district's whole days from assess_overview (see
	// fold.go), once the queue is folded; the rest from the appeals.
	code, dept, kept := fold.Scope(actor, q.Region)
	kept = kept && dept == 0 && place.LevelOf(code) != place.Street
	if kept {
		var err error
		if kept, err = s.folder.ForRead(ctx); err != nil {
			return o, err
		}
	}
	first, last := fold.DayOf(q.From), fold.DayOf(q.To)
	if first.Start().Before(q.From) {
		first++
	}
	if !kept || first >= last {
		if err := count(q.From, q.To); err != nil {
			return o, err
		}
	} else {
		if err := count(q.From, first.Start()); err != nil {
			return o, err
		}
		if err := count(last.Start(), q.To); err != nil {
			return o, err
		}
		if err := fold.Overview(ctx, h.DB, code, first, last, add); err != nil {
			return o, err
		}
	}
	// Every day the period touches, the first too when it starts after midnight.
	for d := fold.DayOf(q.From); d.Start().Before(q.To) && len(o.ByDay) < 400; d++ {
		k := d.Start().Format(time.DateOnly)
		o.ByDay = append(o.ByDay, Count{Key: k, Label: k, N: days[k]})
	}
	for code, n := range byCat {
		o.ByCategory = append(o.ByCategory, Count{Key: code, Label: top[code].Name, N: n})
	}
	sort.Slice(o.ByCategory, func(i, j int) bool {
		a, b := o.ByCategory[i], o.ByCategory[j]
		return a.N > b.N || a.N == b.N && a.Key < b.Key
	})
	for _, st := range appeal.States {
		if n := byState[string(st)]; n > 0 {
			o.ByState = append(o.ByState, Count{Key: string(st), N: n})
		}
	}
	// The overdue steps of the scope's open appeals: a closed appeal has no
	// open step, and naming only open ones lets the store start from the
	// region's open appeals (appeals_open_*) instead of every appeal of it.
	drows, err := h.Query(ctx, `SELECT st.department_id, d.name, d.name_en, COUNT(*) FROM appeal_steps st
		JOIN departments d ON d.id = st.department_id JOIN appeals a ON a.id = st.appeal_id
		WHERE st.done_at = 0 AND st.paused_at = 0 AND st.due_at < ? AND a.state NOT IN ('closed', 'merged') AND `+where+`
		GROUP BY st.department_id, d.name, d.name_en ORDER BY COUNT(*) DESC, d.name`, append([]any{now.UnixMilli()}, args...)...)
	if err != nil {
		return o, fmt.Errorf("overview overdue: %w", err)
	}
	defer drows.Close()
	for drows.Next() {
		var c Count
		var id int64
		if err := drows.Scan(&id, &c.Label, &c.LabelEn, &c.N); err != nil {
			return o, err
		}
		c.Key = strconv.FormatInt(id, 10)
		o.OverdueByDepartment = append(o.OverdueByDepartment, c)
	}
	if err := drows.Err(); err != nil {
		return o, err
	}
	// The overdue figure links to the overdue queue: it is that queue's
	// count, the appeals with an open step past its deadline, the
	// community's own steps (accepting, deciding, the rating) included.
	sel, err := AppealQuery{Queue: QueueOverdue, Region: q.Region}.selection(actor, now.UnixMilli())
	if err != nil || sel.empty {
		return o, err
	}
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*)"+sel.countFrom()+" WHERE "+sel.where, sel.args...), &o.Overdue); err != nil {
		return o, fmt.Errorf("overview overdue: %w", err)
	}
	return o, nil
}
