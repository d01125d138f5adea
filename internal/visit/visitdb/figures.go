package visitdb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/visit"
)

// The coverage of a region (三个全覆盖) and the figures of its visits, per
// region one level down, per recorder and per unit. Every count is an
// aggregate over the records in the actor's reach, computed when asked, so
// it is exact whatever ran concurrently.

// Coverage is how far a region's enterprises are covered.
type Coverage struct {
	Code, Name     string
	Enterprises    int
	WithGridWorker int // in a grid with an active grid worker
	KeyEnterprises int
	KeyWithCadre   int // with an active cadre assigned
	Projects       int // key projects
	ProjectsCadre  int // with an active cadre
	Visited        int // visited in the period
	Unvisited      int // nobody visited in visit.Unvisited days
	TooOften       int // visited visit.TooOftenVisits times by visit.TooOftenUnits units or more in visit.TooOftenDays days
}

// Period is a span of visit days, both ends included (YYYY-MM-DD).
type Period struct{ From, To string }

// Check refuses a period that is not one.
func (p Period) Check() error {
	from, err1 := time.Parse("2006-01-02", p.From)
	to, err2 := time.Parse("2006-01-02", p.To)
	if err1 != nil || err2 != nil || to.Before(from) || to.Sub(from) > 3*366*24*time.Hour {
		return fault.Fields{"from": {Zh: "请选择起止日期（不超过三年）", En: "choose the first and last day (at most three years)"}}.Err()
	}
	return nil
}

// enterpriseLevelColumn is the column of enterprises e holding each level's code.
var enterpriseLevelColumn = map[place.Level]string{
	place.City: "e.city_code", place.District: "e.district_code", place.Street: "e.street_code",
	place.Community: "e.community_code", place.Grid: "e.grid_code",
}

// under is the region a query covers: the one asked, or the actor's own
// (for one with no region, such as an administrator, the first city).
func (s *Store) under(ctx context.Context, actor access.Actor, region string) (string, place.Level, bool) {
	if region == "" {
		region = actor.RegionCode
	}
	if region == "" {
		_ = store.Scan(s.engine.Reader().Row(ctx, "SELECT code FROM regions WHERE level = ? ORDER BY code LIMIT 1", int(place.City)), &region)
	}
	l := place.LevelOf(region)
	if region == "" || l == 0 {
		return "", 0, false
	}
	return region, l, true
}

// CoverageOf returns the coverage of a region in the actor's reach (its own
// by default) over period p, in total and per region one level down.
func (s *Store) CoverageOf(ctx context.Context, actor access.Actor, region string, p Period) (total Coverage, list []Coverage, err error) {
	err = s.analytic(ctx, func(h store.DB) error {
		total, list, err = s.coverageOf(ctx, h, actor, region, p)
		return err
	})
	return total, list, err
}

func (s *Store) coverageOf(ctx context.Context, h store.DB, actor access.Actor, region string, p Period) (Coverage, []Coverage, error) {
	var total Coverage
	if !access.May(actor.Role, access.VisitRead) {
		return total, nil, access.ErrForbidden
	}
	if err := p.Check(); err != nil {
		return total, nil, err
	}
	code, level, ok := s.under(ctx, actor, region)
	if !ok {
		return total, nil, fault.Fields{"region": {Zh: "请选择区域", En: "choose a region"}}.Err()
	}
	child := enterpriseLevelColumn[level]
	if level < place.Grid {
		child = enterpriseLevelColumn[level+1]
	}
	cond, args := store.EnterpriseScope(actor, access.VisitRead)
	where := cond + " AND " + enterpriseLevelColumn[level] + " = ?"
	args = append(args, code)
	today := s.engine.Now().In(calendar.Shanghai)
	since90 := today.AddDate(0, 0, -visit.Unvisited).Format("2006-01-02")
	sinceOften := today.AddDate(0, 0, -visit.TooOftenDays).Format("2006-01-02")
	rows := map[string]*Coverage{}
	get := func(c string) *Coverage {
		if rows[c] == nil {
			rows[c] = &Coverage{Code: c}
		}
		return rows[c]
	}
	rs, err := h.Query(ctx, `SELECT `+child+`, COUNT(*),
		SUM(CASE WHEN w.id IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN e.key_level <> '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN e.key_level <> '' AND EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id
			AND u.role = 'cadre' AND u.disabled = FALSE WHERE a.enterprise_id = e.id) THEN 1 ELSE 0 END),
		SUM(CASE WHEN l.visited_on IS NULL OR l.visited_on < ? THEN 0 WHEN l.visited_on <= ? THEN 1
			WHEN EXISTS (SELECT 1 FROM visits v WHERE v.enterprise_id = e.id AND v.visited_on >= ? AND v.visited_on <= ?
			AND v.rating <> 'not_visited') THEN 1 ELSE 0 END),
		SUM(CASE WHEN l.visited_on IS NULL OR l.visited_on < ? THEN 1 ELSE 0 END)
		FROM enterprises e LEFT JOIN regions g ON g.code = e.grid_code LEFT JOIN users w ON w.id = g.worker_id AND w.disabled = FALSE
		LEFT JOIN visit_last l ON l.enterprise_id = e.id
		WHERE `+where+` GROUP BY `+child, append([]any{p.From, p.To, p.From, p.To, since90}, args...)...)
	if err != nil {
		return total, nil, fmt.Errorf("coverage: %w", err)
	}
	for rs.Next() {
		var c Coverage
		if err := rs.Scan(&c.Code, &c.Enterprises, &c.WithGridWorker, &c.KeyEnterprises, &c.KeyWithCadre, &c.Visited, &c.Unvisited); err != nil {
			rs.Close()
			return total, nil, err
		}
		*get(c.Code) = c
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return total, nil, err
	}
	type pair struct {
		code string
		n, m int
	}
	projects, err := store.Collect(ctx, h, func(sc store.Scanner) (pair, error) {
		var x pair
		return x, sc.Scan(&x.code, &x.n, &x.m)
	}, `SELECT `+child+`, COUNT(*), SUM(CASE WHEN u.id IS NOT NULL THEN 1 ELSE 0 END)
		FROM key_projects kp JOIN enterprises e ON e.id = kp.enterprise_id
		LEFT JOIN users u ON u.id = kp.cadre_id AND u.role = 'cadre' AND u.disabled = FALSE WHERE `+where+` GROUP BY `+child, args...)
	if err != nil {
		return total, nil, fmt.Errorf("project coverage: %w", err)
	}
	for _, x := range projects {
		c := get(x.code)
		c.Projects, c.ProjectsCadre = x.n, x.m
	}
	often, err := store.Collect(ctx, h, func(sc store.Scanner) (pair, error) {
		var x pair
		return x, sc.Scan(&x.code, &x.n)
	}, `SELECT `+child+`, COUNT(*) FROM enterprises e WHERE `+where+` AND e.id IN (`+tooOften+`) GROUP BY `+child,
		append(args, sinceOften, visit.TooOftenVisits, visit.TooOftenUnits)...)
	if err != nil {
		return total, nil, fmt.Errorf("visited too often: %w", err)
	}
	for _, x := range often {
		get(x.code).TooOften = x.n
	}
	names, err := regionNames(ctx, h, rows)
	if err != nil {
		return total, nil, err
	}
	var list []Coverage
	for c, row := range rows {
		row.Name = names[c]
		list = append(list, *row)
		total.Enterprises += row.Enterprises
		total.WithGridWorker += row.WithGridWorker
		total.KeyEnterprises += row.KeyEnterprises
		total.KeyWithCadre += row.KeyWithCadre
		total.Projects += row.Projects
		total.ProjectsCadre += row.ProjectsCadre
		total.Visited += row.Visited
		total.Unvisited += row.Unvisited
		total.TooOften += row.TooOften
	}
	slices.SortFunc(list, func(a, b Coverage) int { return strings.Compare(a.Code, b.Code) })
	total.Code = code
	if n, err := regionNames(ctx, h, map[string]*Coverage{code: nil}); err == nil {
		total.Name = n[code]
	}
	return total, list, nil
}

// tooOften selects the enterprises visited since (first argument) at least
// (second) times by at least (third) units: those disturbed too often.
const tooOften = `SELECT v.enterprise_id FROM visits v JOIN visit_visitors vv ON vv.visit_id = v.id
	WHERE v.visited_on >= ? AND v.rating <> 'not_visited' GROUP BY v.enterprise_id
	HAVING COUNT(DISTINCT v.id) >= ? AND COUNT(DISTINCT vv.unit) >= ?`

func regionNames[T any](ctx context.Context, h store.DB, codes map[string]T) (map[string]string, error) {
	out := map[string]string{}
	for c := range codes {
		var name string
		if err := store.Scan(h.Row(ctx, "SELECT name FROM regions WHERE code = ?", c), &name); err != nil && !fault.Is(err, fault.NotFound) {
			return nil, err
		}
		out[c] = name
	}
	return out, nil
}

// Listed is an enterprise of a coverage list.
type Listed struct {
	ID       int64
	Name     string
	Grid     string
	KeyLevel string
	LastOn   string // its last visit, "" never
	Units    int    // units that visited it lately (the too-often list)
}

// The coverage lists.
const (
	ListUnvisited    = "unvisited"      // nobody visited in 90 days
	ListTooOften     = "too_often"      // visited by several units in a month
	ListNoGridWorker = "no_grid_worker" // in a grid without an active grid worker
	ListKeyNoCadre   = "key_no_cadre"   // key enterprises without an active cadre
)

// Lists are the coverage lists in the page's order.
var Lists = []string{ListUnvisited, ListTooOften, ListKeyNoCadre, ListNoGridWorker}

// List returns a coverage list under a region in the actor's reach, and
// its length; at most the page's size.
func (s *Store) List(ctx context.Context, actor access.Actor, region, list string, page store.Page) ([]Listed, int, error) {
	if !access.May(actor.Role, access.VisitRead) {
		return nil, 0, access.ErrForbidden
	}
	code, level, ok := s.under(ctx, actor, region)
	if !ok {
		return nil, 0, fault.Fields{"region": {Zh: "请选择区域", En: "choose a region"}}.Err()
	}
	cond, args := store.EnterpriseScope(actor, access.VisitRead)
	where := cond + " AND " + enterpriseLevelColumn[level] + " = ?"
	args = append(args, code)
	today := s.engine.Now().In(calendar.Shanghai)
	sinceOften := today.AddDate(0, 0, -visit.TooOftenDays).Format("2006-01-02")
	units := "0"
	switch list {
	case ListUnvisited:
		where += " AND (l.visited_on IS NULL OR l.visited_on < ?)"
		args = append(args, today.AddDate(0, 0, -visit.Unvisited).Format("2006-01-02"))
	case ListTooOften:
		units = `(SELECT COUNT(DISTINCT vv.unit) FROM visits v JOIN visit_visitors vv ON vv.visit_id = v.id
			WHERE v.enterprise_id = e.id AND v.visited_on >= '` + sinceOften + `' AND v.rating <> 'not_visited')`
		where += " AND e.id IN (" + tooOften + ")"
		args = append(args, sinceOften, visit.TooOftenVisits, visit.TooOftenUnits)
	case ListNoGridWorker:
		where += " AND NOT EXISTS (SELECT 1 FROM regions g JOIN users w ON w.id = g.worker_id AND w.disabled = FALSE WHERE g.code = e.grid_code)"
	case ListKeyNoCadre:
		where += ` AND e.key_level <> '' AND NOT EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id
			AND u.role = 'cadre' AND u.disabled = FALSE WHERE a.enterprise_id = e.id)`
	default:
		return nil, 0, fault.Fields{"list": {Zh: "没有这个名单", En: "no such list"}}.Err()
	}
	from := " FROM enterprises e LEFT JOIN visit_last l ON l.enterprise_id = e.id WHERE " + where
	h := s.engine.Reader()
	var total int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*)"+from, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("coverage list: %w", err)
	}
	limit, offset := page.Bounds()
	out, err := store.Collect(ctx, h, func(sc store.Scanner) (Listed, error) {
		var x Listed
		return x, sc.Scan(&x.ID, &x.Name, &x.Grid, &x.KeyLevel, &x.LastOn, &x.Units)
	}, "SELECT e.id, e.name, e.grid_code, e.key_level, COALESCE(l.visited_on, ''), "+units+from+
		" ORDER BY COALESCE(l.visited_on, ''), e.id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, err
}

// Figures are the counts of visits and their problems of one row: a
// region, a recorder or a unit. Problems collected are those recorded on
// visits in the period; solved are those solved on the spot, those raised as
// appeals since closed (办结), and those put under a common problem since
// answered. Ratings count the enterprises' answers to the period's visits.
type Figures struct {
	Key, Name      string
	Visits         int // made: not those the enterprise says nobody made
	Enterprises    int // distinct enterprises visited
	Problems       int // collected
	SolvedOnSpot   int
	Raised         int // became appeals
	RaisedClosed   int // of them, closed
	Common         int // put under common problems
	CommonAnswered int
	Confirmed      int // visits the enterprise confirmed
	Satisfied      int
	Basic          int
	Unsatisfied    int
	NotVisited     int // the enterprise said nobody came
}

// Solved is the problems solved by the definition above.
func (f Figures) Solved() int { return f.SolvedOnSpot + f.RaisedClosed + f.CommonAnswered }

// SolvedRate is solved ÷ collected in percent; -1 with none collected.
func (f Figures) SolvedRate() float64 {
	if f.Problems == 0 {
		return -1
	}
	return float64(f.Solved()) * 100 / float64(f.Problems)
}

// SatisfiedRate is (satisfied + basically satisfied) ÷ rated in percent; -1 with none rated.
func (f Figures) SatisfiedRate() float64 {
	rated := f.Satisfied + f.Basic + f.Unsatisfied
	if rated == 0 {
		return -1
	}
	return float64(f.Satisfied+f.Basic) * 100 / float64(rated)
}

// By is what figures are grouped by.
const (
	ByRegion   = "region"
	ByRecorder = "recorder"
	ByUnit     = "unit"
)

// FiguresOf returns the figures of the visits under a region in the actor's
// reach in period p, in total and grouped by (region one level down,
// recorder or unit).
func (s *Store) FiguresOf(ctx context.Context, actor access.Actor, region string, p Period, by string) (total Figures, list []Figures, err error) {
	err = s.analytic(ctx, func(h store.DB) error {
		total, list, err = s.figuresOf(ctx, h, actor, region, p, by)
		return err
	})
	return total, list, err
}

func (s *Store) figuresOf(ctx context.Context, h store.DB, actor access.Actor, region string, p Period, by string) (Figures, []Figures, error) {
	var total Figures
	if !access.May(actor.Role, access.VisitRead) {
		return total, nil, access.ErrForbidden
	}
	if err := p.Check(); err != nil {
		return total, nil, err
	}
	code, level, ok := s.under(ctx, actor, region)
	if !ok {
		return total, nil, fault.Fields{"region": {Zh: "请选择区域", En: "choose a region"}}.Err()
	}
	var key, join string
	switch by {
	case ByRegion, "":
		key = visitLevelColumn[level]
		if level < place.Grid {
			key = visitLevelColumn[level+1]
		}
	case ByRecorder:
		key = "CAST(v.recorded_by AS TEXT)"
	case ByUnit:
		key, join = "vv.unit", " JOIN visit_visitors vv ON vv.visit_id = v.id"
	default:
		return total, nil, fault.Fields{"by": {Zh: "分组方式须为区域、记录人或单位", En: "group by region, recorder or unit"}}.Err()
	}
	cond, args := store.EnterpriseScope(actor, access.VisitRead)
	where := cond + " AND " + visitLevelColumn[level] + " = ? AND v.visited_on >= ? AND v.visited_on <= ?"
	args = append(args, code, p.From, p.To)
	// A unit's figures count each visit once however many of its people went.
	visits := "(SELECT DISTINCT v.*, " + key + " AS k FROM visits v JOIN enterprises e ON e.id = v.enterprise_id" + join + " WHERE " + where + ")"
	rows := map[string]*Figures{}
	// A visit the enterprise says nobody made counts in NotVisited only.
	rs, err := h.Query(ctx, `SELECT x.k, SUM(CASE WHEN x.rating <> 'not_visited' THEN 1 ELSE 0 END),
		COUNT(DISTINCT CASE WHEN x.rating <> 'not_visited' THEN x.enterprise_id END),
		SUM(CASE WHEN x.confirmed_at > 0 AND x.rating <> 'not_visited' THEN 1 ELSE 0 END),
		SUM(CASE WHEN x.rating = 'satisfied' THEN 1 ELSE 0 END), SUM(CASE WHEN x.rating = 'basic' THEN 1 ELSE 0 END),
		SUM(CASE WHEN x.rating = 'unsatisfied' THEN 1 ELSE 0 END), SUM(CASE WHEN x.rating = 'not_visited' THEN 1 ELSE 0 END)
		FROM `+visits+` x GROUP BY x.k`, args...)
	if err != nil {
		return total, nil, fmt.Errorf("visit figures: %w", err)
	}
	for rs.Next() {
		var f Figures
		if err := rs.Scan(&f.Key, &f.Visits, &f.Enterprises, &f.Confirmed, &f.Satisfied, &f.Basic, &f.Unsatisfied, &f.NotVisited); err != nil {
			rs.Close()
			return total, nil, err
		}
		rows[f.Key] = &f
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return total, nil, err
	}
	rs, err = h.Query(ctx, `SELECT x.k, COUNT(*), SUM(CASE WHEN p.outcome = 'solved' THEN 1 ELSE 0 END),
		SUM(CASE WHEN p.outcome = 'appeal' THEN 1 ELSE 0 END), SUM(CASE WHEN p.outcome = 'appeal' AND a.state = 'closed' THEN 1 ELSE 0 END),
		SUM(CASE WHEN p.outcome = 'common' THEN 1 ELSE 0 END), SUM(CASE WHEN p.outcome = 'common' AND t.state = 'answered' THEN 1 ELSE 0 END)
		FROM `+visits+` x JOIN visit_problems p ON p.visit_id = x.id LEFT JOIN appeals a ON a.id = p.appeal_id
		LEFT JOIN common_topics t ON t.id = p.topic_id WHERE x.rating <> 'not_visited' GROUP BY x.k`, args...)
	if err != nil {
		return total, nil, fmt.Errorf("problem figures: %w", err)
	}
	for rs.Next() {
		var k string
		var f Figures
		if err := rs.Scan(&k, &f.Problems, &f.SolvedOnSpot, &f.Raised, &f.RaisedClosed, &f.Common, &f.CommonAnswered); err != nil {
			rs.Close()
			return total, nil, err
		}
		if rows[k] == nil {
			rows[k] = &Figures{Key: k}
		}
		r := rows[k]
		r.Problems, r.SolvedOnSpot, r.Raised, r.RaisedClosed, r.Common, r.CommonAnswered = f.Problems, f.SolvedOnSpot, f.Raised, f.RaisedClosed, f.Common, f.CommonAnswered
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return total, nil, err
	}
	// The total counts each visit once (a unit's rows overlap on joint visits).
	if by == ByUnit {
		t, _, err := s.figuresOf(ctx, h, actor, region, p, ByRegion)
		if err != nil {
			return total, nil, err
		}
		total = t
	}
	var list []Figures
	for _, r := range rows {
		list = append(list, *r)
		if by != ByUnit {
			total.Visits += r.Visits
			total.Problems += r.Problems
			total.SolvedOnSpot += r.SolvedOnSpot
			total.Raised += r.Raised
			total.RaisedClosed += r.RaisedClosed
			total.Common += r.Common
			total.CommonAnswered += r.CommonAnswered
			total.Confirmed += r.Confirmed
			total.Satisfied += r.Satisfied
			total.Basic += r.Basic
			total.Unsatisfied += r.Unsatisfied
			total.NotVisited += r.NotVisited
		}
	}
	if by != ByUnit {
		// Distinct enterprises over the whole region, not summed.
		if err := store.Scan(h.Row(ctx, "SELECT COUNT(DISTINCT v.enterprise_id) FROM visits v JOIN enterprises e ON e.id = v.enterprise_id WHERE "+where+
			" AND v.rating <> 'not_visited'", args...),
			&total.Enterprises); err != nil {
			return total, nil, err
		}
	}
	if err := s.name(ctx, h, by, level, list); err != nil {
		return total, nil, err
	}
	slices.SortFunc(list, func(a, b Figures) int {
		if by == ByRegion || by == "" {
			return strings.Compare(a.Key, b.Key)
		}
		return b.Visits - a.Visits
	})
	total.Key = code
	return total, list, nil
}

// name names the rows of figures: regions, recorders; a unit is its own name.
func (s *Store) name(ctx context.Context, h store.DB, by string, level place.Level, list []Figures) error {
	for i := range list {
		f := &list[i]
		switch by {
		case ByRecorder:
			if err := store.Scan(h.Row(ctx, "SELECT name FROM users WHERE CAST(id AS TEXT) = ?", f.Key), &f.Name); err != nil && !fault.Is(err, fault.NotFound) {
				return err
			}
		case ByUnit:
			f.Name = f.Key
		default:
			if err := store.Scan(h.Row(ctx, "SELECT name FROM regions WHERE code = ?", f.Key), &f.Name); err != nil && !fault.Is(err, fault.NotFound) {
				return err
			}
		}
	}
	return nil
}

// DepartmentFigures are a department's part in the problems found under a
// region in a period: the visits' problems raised as appeals it leads (and
// of them closed), and the problems registered for it at service days
// (answered on the spot, raised as appeals).
type DepartmentFigures struct {
	Code, Name, NameEn string
	Raised             int // visit problems raised as appeals it leads
	RaisedClosed       int
	DayProblems        int // registered for it at service days
	DayAnswered        int
	DayRaised          int
}

// DepartmentFiguresOf returns the departments' figures under a region in
// the actor's reach over period p (visit days; service days held in it).
func (s *Store) DepartmentFiguresOf(ctx context.Context, actor access.Actor, region string, p Period) ([]DepartmentFigures, error) {
	if !access.May(actor.Role, access.VisitRead) {
		return nil, access.ErrForbidden
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	code, level, ok := s.under(ctx, actor, region)
	if !ok {
		return nil, fault.Fields{"region": {Zh: "请选择区域", En: "choose a region"}}.Err()
	}
	cond, args := store.EnterpriseScope(actor, access.VisitRead)
	h := s.engine.Reader()
	rows := map[string]*DepartmentFigures{}
	get := func(c string) *DepartmentFigures {
		if rows[c] == nil {
			rows[c] = &DepartmentFigures{Code: c}
		}
		return rows[c]
	}
	type triple struct {
		code    string
		a, b, c int
	}
	raised, err := store.Collect(ctx, h, func(sc store.Scanner) (triple, error) {
		var t triple
		return t, sc.Scan(&t.code, &t.a, &t.b)
	}, `SELECT d.code, COUNT(*), SUM(CASE WHEN a.state = 'closed' THEN 1 ELSE 0 END)
		FROM visit_problems p JOIN visits v ON v.id = p.visit_id JOIN enterprises e ON e.id = v.enterprise_id
		JOIN appeals a ON a.id = p.appeal_id JOIN departments d ON d.id = a.lead_department
		WHERE `+cond+` AND `+visitLevelColumn[level]+` = ? AND v.visited_on >= ? AND v.visited_on <= ? AND v.rating <> 'not_visited'
		GROUP BY d.code`, append(args, code, p.From, p.To)...)
	if err != nil {
		return nil, fmt.Errorf("department figures: %w", err)
	}
	for _, t := range raised {
		r := get(t.code)
		r.Raised, r.RaisedClosed = t.a, t.b
	}
	days, err := store.Collect(ctx, h, func(sc store.Scanner) (triple, error) {
		var t triple
		return t, sc.Scan(&t.code, &t.a, &t.b, &t.c)
	}, `SELECT q.department, COUNT(*), SUM(CASE WHEN q.outcome = 'answered' THEN 1 ELSE 0 END), SUM(CASE WHEN q.outcome = 'appeal' THEN 1 ELSE 0 END)
		FROM service_day_problems q JOIN service_days sd ON sd.id = q.day_id JOIN enterprises e ON e.id = q.enterprise_id
		WHERE `+cond+` AND `+enterpriseLevelColumn[level]+` = ? AND sd.held_on >= ? AND sd.held_on <= ? GROUP BY q.department`,
		append(args, code, p.From, p.To)...)
	if err != nil {
		return nil, fmt.Errorf("service-day figures: %w", err)
	}
	for _, t := range days {
		r := get(t.code)
		r.DayProblems, r.DayAnswered, r.DayRaised = t.a, t.b, t.c
	}
	var out []DepartmentFigures
	for c, r := range rows {
		if err := store.Scan(h.Row(ctx, "SELECT name, name_en FROM departments WHERE code = ? ORDER BY id LIMIT 1", c), &r.Name, &r.NameEn); err != nil && !fault.Is(err, fault.NotFound) {
			return nil, err
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b DepartmentFigures) int {
		return (b.Raised + b.DayProblems) - (a.Raised + a.DayProblems)
	})
	return out, nil
}

// analytic runs fn on one consistent read of the store for a figure over
// many rows. On PostgreSQL its just-in-time compilation is off there: the
// planner's estimate of these aggregates (a probe per enterprise) passes the
// JIT threshold, and compiling cost 0.4 s of a city's 0.46 s coverage
// (BENCHMARKS, scenario 10) while the rows themselves take 60 ms.
func (s *Store) analytic(ctx context.Context, fn func(h store.DB) error) error {
	return s.engine.Snapshot(ctx, func(h store.DB) error {
		if s.engine.Postgres() {
			if _, err := h.Exec(ctx, "SET LOCAL jit = off"); err != nil {
				return fmt.Errorf("jit off: %w", err)
			}
		}
		return fn(h)
	})
}
