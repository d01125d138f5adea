package appealdb

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal/appealdb/fold"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/pgtest"
	"qifu/internal/rates"
	"qifu/internal/store"
)

// TestAssessmentRecomputed checks that the assessment — the whole months
// from the figures folded into assess_months as the history went on, the
// rest from the appeals with something in the period — gives exactly the
// figures of a recomputation over every appeal and every step in the store,
// for several periods, dimensions and scopes of a replayed demo history, on
// both stores; again after a change to the calendar changes handling times
// after the fact; and that the months folded step by step are the months
// folded afresh from every appeal at once.
func TestAssessmentRecomputed(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			end := time.Date(2026, 6, 30, 18, 0, 0, 0, calendar.Shanghai)
			s, d, setNow := demoStore(t, kind, end)
			// Folded at the end of every simulated day, as the server folds
			// every few seconds: an appeal is folded again as it goes on.
			plans, moves := demo.History(d, 3, end, 300)
			day, folds := "", 0
			foldDaily := func(at time.Time) {
				setNow(at)
				if d := at.Format(time.DateOnly); d != day {
					day = d
					n, err := s.FoldAssessment(ctx, 0)
					if err != nil {
						t.Fatal(err)
					}
					folds += n
				}
			}
			if _, err := s.ReplayHistory(ctx, plans, moves, foldDaily); err != nil {
				t.Fatal(err)
			}
			setNow(end)

			admin := access.System("test")
			leader, err := s.engine.Actor(ctx, userID(t, s, "district_leader"))
			if err != nil {
				t.Fatal(err)
			}
			street, err := s.engine.Actor(ctx, userID(t, s, "street_leader"))
			if err != nil {
				t.Fatal(err)
			}
			dept, err := s.engine.Actor(ctx, userID(t, s, "dept_tax"))
			if err != nil {
				t.Fatal(err)
			}
			// compare checks every combination and returns the recomputed
			// figures, by combination.
			compare := func() map[string][]rates.Row {
				// Every appeal and its steps, read without any filter.
				all, err := s.everyAppealFacts(ctx, end)
				if err != nil {
					t.Fatal(err)
				}
				wants := map[string][]rates.Row{}
				for _, days := range []int{7, 30, 45, 120} {
					for _, offset := range []int{0, 20, 60} {
						to := end.AddDate(0, 0, -offset)
						from := to.AddDate(0, 0, -days)
						for _, dim := range []rates.Dimension{rates.Department, rates.Street, rates.Community, rates.Handler} {
							for _, who := range []access.Actor{admin, leader, street, dept} {
								got, err := s.Assessment(ctx, who, AssessmentQuery{Dimension: dim, From: from, To: to})
								if err != nil {
									t.Fatal(err)
								}
								var mine []rates.Appeal
								for _, a := range all {
									if who.Role == access.RoleAdmin || who.Role == access.RoleDepartment || who.RegionCode == a.District || who.RegionCode == a.Street {
										mine = append(mine, a)
									}
								}
								want, err := rates.Compute(mine, dim, rates.Options{From: from, To: to})
								if err != nil {
									t.Fatal(err)
								}
								if who.Role == access.RoleDepartment { // its own row, of the appeals dispatched to it
									var own []rates.Row
									for _, r := range want {
										if dim == rates.Department && r.Key == fmt.Sprint(who.DepartmentID) {
											own = append(own, r)
										}
									}
									want = own
								}
								if (len(got) > 0 || len(want) > 0) && !reflect.DeepEqual(got, want) {
									t.Errorf("%s by %s, %s to %s: the assessment differs from the recomputation:\n got %+v\nwant %+v",
										who.Name, dim, from.Format(time.DateOnly), to.Format(time.DateOnly), got, want)
								}
								wants[fmt.Sprint(who.Name, dim, from, to)] = want
							}
						}
					}
				}
				checkOverviews(t, s, setNow, []access.Actor{admin, leader, street}, end)
				t.Logf("%d assessments equal their recomputation over all %d appeals (%d queued appeals folded)", len(wants), len(all), folds)
				return wants
			}
			before := compare()
			var pending, months int
			if err := store.Scan(s.engine.Reader().Row(ctx, "SELECT (SELECT COUNT(*) FROM assess_pending), (SELECT COUNT(*) FROM assess_months)"), &pending, &months); err != nil {
				t.Fatal(err)
			}
			if pending != 0 || months == 0 || folds == 0 {
				t.Fatalf("%d appeals queued, %d rows of months, %d folded: the months were not used", pending, months, folds)
			}

			// A working day of April becomes a holiday after the fact: the
			// handling times of the steps over it change.
			if err := s.engine.SetCalendarDay(ctx, admin, calendar.Day{Date: "2026-04-15", Kind: calendar.Holiday, Name: "测试"}); err != nil {
				t.Fatal(err)
			}
			after := compare()
			if reflect.DeepEqual(before, after) {
				t.Error("the holiday changed no figure: the test shows nothing")
			}

			// With a long queue (after a bulk load), an assessment is computed
			// from the facts and leaves the queue to the folding in the
			// background.
			for pending <= fold.Inline {
				if _, err := s.engine.Writer().Exec(ctx, "INSERT INTO assess_pending (appeal_id) SELECT id FROM appeals"); err != nil {
					t.Fatal(err)
				}
				if err := store.Scan(s.engine.Reader().Row(ctx, "SELECT COUNT(*) FROM assess_pending"), &pending); err != nil {
					t.Fatal(err)
				}
			}
			from, to := end.AddDate(0, 0, -120), end
			got, err := s.Assessment(ctx, leader, AssessmentQuery{Dimension: rates.Department, From: from, To: to})
			if want := after[fmt.Sprint(leader.Name, rates.Department, from, to)]; err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("with %d queued: %+v, %v; want %+v", pending, got, err, want)
			}
			var still int
			if err := store.Scan(s.engine.Reader().Row(ctx, "SELECT COUNT(*) FROM assess_pending"), &still); err != nil || still != pending {
				t.Errorf("the assessment folded a long queue: %d queued, was %d (%v)", still, pending, err)
			}

			// Folded afresh from every appeal at once, the kept rows are the same.
			s.checkFoldedAfresh(t)
		})
	}
}

// demoStore opens a store of the kind ("sqlite" or "postgres") with the
// demo district loaded and a clock at end, which setNow moves.
func demoStore(t *testing.T, kind string, end time.Time) (s *Store, d demo.Dataset, setNow func(time.Time)) {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "q.db")
	if kind == "postgres" {
		dsn = pgtest.DSN(t)
	}
	ctx := context.Background()
	var mu sync.Mutex
	now := end
	s = openModule(t, dsn, func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	d = demo.Generate(1)
	if err := s.engine.LoadDemo(ctx, d); err != nil {
		t.Fatal(err)
	}
	return s, d, func(at time.Time) { mu.Lock(); now = at; mu.Unlock() }
}

// checkFoldedAfresh checks that the kept rows are those folded afresh
// from every appeal at once, and leaves the afresh ones.
func (s *Store) checkFoldedAfresh(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	kept := append(append(s.monthRows(t), s.appealDays(t)...), s.overviewRows(t)...)
	for _, q := range []string{"DELETE FROM assess_months", "DELETE FROM assess_days", "DELETE FROM assess_appeal_days",
		"DELETE FROM assess_overview", "DELETE FROM assess_folded", "INSERT INTO assess_pending (appeal_id) SELECT id FROM appeals"} {
		if _, err := s.engine.Writer().Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.FoldAssessment(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if afresh := append(append(s.monthRows(t), s.appealDays(t)...), s.overviewRows(t)...); !reflect.DeepEqual(kept, afresh) {
		t.Errorf("the rows folded as appeals changed (%d) differ from those folded afresh from every appeal (%d)", len(kept), len(afresh))
	}
}

// checkOverviews checks the overviews of the actors for several periods
// ending by end — the whole days of a city or a district from
// assess_overview, the rest from the appeals — against counts of the
// appeals, by day, category and state, and of the overdue steps by
// department, made here.
func checkOverviews(t *testing.T, s *Store, setNow func(time.Time), actors []access.Actor, end time.Time) {
	t.Helper()
	ctx := context.Background()
	type appealRow struct {
		created          time.Time
		category, state  string
		district, street string
	}
	rows, err := s.engine.Reader().Query(ctx, "SELECT created_at, category, state, district_code, street_code FROM appeals")
	if err != nil {
		t.Fatal(err)
	}
	var all []appealRow
	for rows.Next() {
		var r appealRow
		var ms int64
		if err := rows.Scan(&ms, &r.category, &r.state, &r.district, &r.street); err != nil {
			t.Fatal(err)
		}
		r.created = time.UnixMilli(ms)
		if top, _, ok := strings.Cut(r.category, "."); ok {
			r.category = top
		}
		all = append(all, r)
	}
	rows.Close()
	// The departments' open steps with their appeal's region, read without
	// the overview's conditions (a step of a closed appeal, if there were
	// one, would show here and not in the overview). The overviews are
	// taken at the middle deadline, so that some are overdue and some not.
	type stepRow struct {
		dept             string
		due              int64
		district, street string
	}
	var open []stepRow
	rows, err = s.engine.Reader().Query(ctx, `SELECT st.department_id, st.due_at, a.district_code, a.street_code FROM appeal_steps st
		JOIN appeals a ON a.id = st.appeal_id WHERE st.department_id IS NOT NULL AND st.done_at = 0 AND st.paused_at = 0`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r stepRow
		if err := rows.Scan(&r.dept, &r.due, &r.district, &r.street); err != nil {
			t.Fatal(err)
		}
		open = append(open, r)
	}
	rows.Close()
	if len(open) < 2 {
		t.Fatalf("%d open steps of departments at the end of the history: the overview's overdue counts are not checked", len(open))
	}
	slices.SortFunc(open, func(a, b stepRow) int { return cmp.Compare(a.due, b.due) })
	now := open[len(open)/2].due
	if now == open[0].due {
		now++
	}
	setNow(time.UnixMilli(now))
	defer setNow(end)
	// The overdue figure is the overdue queue's count: the open appeals
	// with an open step past its deadline, whoever's step it is.
	type overdueAppeal struct{ district, street string }
	var overdue []overdueAppeal
	orows, err := s.engine.Reader().Query(ctx, `SELECT DISTINCT a.id, a.district_code, a.street_code FROM appeal_steps st
		JOIN appeals a ON a.id = st.appeal_id WHERE st.done_at = 0 AND st.paused_at = 0 AND st.due_at < ?
		AND a.state NOT IN ('closed', 'merged')`, now)
	if err != nil {
		t.Fatal(err)
	}
	for orows.Next() {
		var id int64
		var o overdueAppeal
		if err := orows.Scan(&id, &o.district, &o.street); err != nil {
			t.Fatal(err)
		}
		overdue = append(overdue, o)
	}
	orows.Close()
	if err := orows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, days := range []int{7, 45, 120} {
		for _, offset := range []int{0, 20} {
			to := end.AddDate(0, 0, -offset)
			from := to.AddDate(0, 0, -days)
			for _, who := range actors {
				o, err := s.Overview(ctx, who, OverviewQuery{From: from, To: to})
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]int{"received": o.Received, "open": o.Open, "closed": o.Closed, "overdue": o.Overdue}
				for _, c := range o.OverdueByDepartment {
					got["overdue department "+c.Key] = c.N
				}
				for _, c := range o.ByDay {
					if c.N > 0 {
						got["day "+c.Key] = c.N
					}
				}
				for _, c := range o.ByCategory {
					got["category "+c.Key] = c.N
				}
				for _, c := range o.ByState {
					got["state "+c.Key] = c.N
				}
				want := map[string]int{"received": 0, "open": 0, "closed": 0, "overdue": 0}
				for _, st := range open {
					if st.due < now && (who.Role == access.RoleAdmin || who.RegionCode == st.district || who.RegionCode == st.street) {
						want["overdue department "+st.dept]++
					}
				}
				for _, o := range overdue {
					if who.Role == access.RoleAdmin || who.RegionCode == o.district || who.RegionCode == o.street {
						want["overdue"]++
					}
				}
				for _, a := range all {
					if a.created.Before(from) || !a.created.Before(to) ||
						who.Role != access.RoleAdmin && who.RegionCode != a.district && who.RegionCode != a.street {
						continue
					}
					want["received"]++
					if a.state == "closed" || a.state == "merged" {
						want["closed"]++
					} else {
						want["open"]++
					}
					want["day "+a.created.In(calendar.Shanghai).Format(time.DateOnly)]++
					want["category "+a.category]++
					want["state "+a.state]++
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s's overview, %s to %s:\n got %v\nwant %v", who.Name, from.Format(time.DateOnly), to.Format(time.DateOnly), got, want)
				}
			}
		}
	}
}

// appealDays returns the rows of assess_appeal_days, as text.
func (s *Store) appealDays(t *testing.T) []string {
	t.Helper()
	rows, err := s.reader().Query(context.Background(), "SELECT district_code, day, appeal_id FROM assess_appeal_days ORDER BY 1, 2, 3")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var district string
		var d, id int64
		if err := rows.Scan(&district, &d, &id); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(district, d, id))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// overviewRows returns the rows of assess_overview that count anything, as text.
func (s *Store) overviewRows(t *testing.T) []string {
	t.Helper()
	rows, err := s.reader().Query(context.Background(), "SELECT district_code, day, city_code, category, state, n FROM assess_overview WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var district, city, category, state string
		var d, n int64
		if err := rows.Scan(&district, &d, &city, &category, &state, &n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(district, d, city, category, state, n))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// monthRows returns the rows of assess_months and assess_days that count
// anything, as text.
func (s *Store) monthRows(t *testing.T) []string {
	t.Helper()
	rows, err := s.reader().Query(context.Background(), "SELECT dim, month, city_code, district_code, street_code, key, "+fold.CountsColumns+
		" FROM assess_months UNION ALL SELECT dim, day, city_code, district_code, 'day', key, "+fold.CountsColumns+
		" FROM assess_days ORDER BY 1, 2, 3, 4, 5, 6")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var dim, city, district, street, key string
		var m int
		var v [fold.NCounts]int64
		dest := []any{&dim, &m, &city, &district, &street, &key}
		for i := range v {
			dest = append(dest, &v[i])
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		if v != ([fold.NCounts]int64{}) {
			out = append(out, fmt.Sprint(dim, m, city, district, street, key, v))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// everyAppealFacts reads every appeal and its steps as the assessment does.
func (s *Store) everyAppealFacts(ctx context.Context, end time.Time) ([]rates.Appeal, error) {
	cal, err := s.engine.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	return fold.Facts(ctx, s.engine.Reader(), cal, "1 = 1", nil, end)
}

func userID(t *testing.T, s *Store, username string) int64 {
	t.Helper()
	u, err := s.engine.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(fmt.Errorf("user %s: %w", username, err))
	}
	return u.ID
}

// TestFoldConcurrent folds over and over while a history is replayed — on
// SQLite reading each batch outside the writer, while appeals change under
// it — and then checks that the kept rows are those folded afresh from
// every appeal at once: a change made while a batch was read is folded by
// a later batch.
func TestFoldConcurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("a long run (12-17 s): left out of -short")
	}
	t.Parallel()
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			end := time.Date(2026, 6, 30, 18, 0, 0, 0, calendar.Shanghai)
			s, d, setNow := demoStore(t, kind, end)
			stop := make(chan struct{})
			var folders sync.WaitGroup
			var batchesMu sync.Mutex
			var batches int
			for range 2 { // two folders, as two instances (or the background and a leader's page)
				folders.Go(func() {
					for {
						select {
						case <-stop:
							return
						default:
						}
						n, err := s.FoldAssessment(ctx, 0)
						if err != nil {
							t.Error(err)
							return
						}
						batchesMu.Lock()
						batches += n
						batchesMu.Unlock()
					}
				})
			}
			plans, moves := demo.History(d, 2, end, 150)
			_, err := s.ReplayHistory(ctx, plans, moves, setNow)
			close(stop)
			folders.Wait()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.FoldAssessment(ctx, 0); err != nil {
				t.Fatal(err)
			}
			t.Logf("%d queue entries folded while the history went on", batches)
			s.checkFoldedAfresh(t)
		})
	}
}
