package appealdb_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/calendar"
	"qifu/internal/rates"
	"qifu/internal/store/storetest"
)

// TestAssessment runs three appeals through the store and checks the figures
// of the two departments involved against counts made by hand.
func TestAssessment(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		dept := s.deptIDs(t)
		from := start.Add(-24 * time.Hour)

		// 1: tax signs in time, replies solved, rated satisfied.
		a1 := s.raise(t, "enterprise", "")
		s.act(t, "community", a1.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a1.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["tax"]})
		s.act(t, "dept_tax", a1.ID, appeal.Command{Action: appeal.Sign})
		s.act(t, "dept_tax", a1.ID, appeal.Command{Action: appeal.Reply, Result: appeal.Solved, Note: "已办理退税"})
		s.act(t, "enterprise", a1.ID, appeal.Command{Action: appeal.Rate, Rating: appeal.Satisfied})

		// 2: tax returns it in time; market signs two days late, explains, rated basic.
		a2 := s.raise(t, "enterprise", "")
		s.act(t, "community", a2.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a2.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["tax"]})
		s.act(t, "dept_tax", a2.ID, appeal.Command{Action: appeal.Return, Note: "不属于税务职责"})
		s.act(t, "community", a2.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["market"]})
		s.Clock.Advance(48 * time.Hour)
		s.act(t, "dept_market", a2.ID, appeal.Command{Action: appeal.Sign})
		s.act(t, "dept_market", a2.ID, appeal.Command{Action: appeal.Reply, Result: appeal.Explained, Note: "已说明许可办理流程"})
		s.act(t, "enterprise", a2.ID, appeal.Command{Action: appeal.Rate, Rating: appeal.Basic})

		// 3: the community answers itself; nobody rates it; it closes not rated.
		a3 := s.raise(t, "enterprise", "")
		s.act(t, "community", a3.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a3.ID, appeal.Command{Action: appeal.Resolve, Result: appeal.Solved, Note: "已现场解决"})
		s.Clock.Advance(14 * 24 * time.Hour)
		if _, err := s.RunAlerts(ctx, 1000); err != nil {
			t.Fatal(err)
		}

		rows, err := s.Assessment(ctx, s.As(t, "district_leader"), appealdb.AssessmentQuery{
			Dimension: rates.Department, From: from, To: s.Clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]rates.Row{}
		for _, r := range rows {
			got[r.Key] = r
		}
		tax, market := got[strconv.FormatInt(dept["tax"], 10)], got[strconv.FormatInt(dept["market"], 10)]
		// tax: two sign steps, both answered in time (a return by its deadline counts as a response);
		// one of two dispatches returned; one reply, solved, satisfied.
		if tax.ResponseDue != 2 || tax.ResponseInTime != 2 || tax.Dispatches != 2 || tax.Returns != 1 ||
			tax.Replied != 1 || tax.Resolved != 1 || tax.Satisfied != 1 || tax.SatisfactionRate != 1 {
			t.Errorf("tax: %+v", tax)
		}
		// market: one sign step, signed late (overdue); one reply, explained not solved; basic: 0.8.
		if market.ResponseDue != 1 || market.ResponseInTime != 0 || market.Overdue != 1 ||
			market.Replied != 1 || market.Resolved != 0 || market.Basic != 1 || market.SatisfactionRate != 0.8 {
			t.Errorf("market: %+v", market)
		}
		// The community's row: three replies, two solved; satisfied + 0.8 basic over two rated; one not rated.
		crows, err := s.Assessment(ctx, s.As(t, "district_leader"), appealdb.AssessmentQuery{
			Dimension: rates.Community, From: from, To: s.Clock.Now()})
		if err != nil || len(crows) != 1 {
			t.Fatalf("community rows %+v, %v", crows, err)
		}
		c := crows[0]
		if c.Replied != 3 || c.Resolved != 2 || c.Rated != 2 || c.NotRated != 1 || c.SatisfactionRate != 0.9 {
			t.Errorf("community: %+v", c)
		}
		// A department sees its own row only.
		own, err := s.Assessment(ctx, s.As(t, "dept_tax"), appealdb.AssessmentQuery{Dimension: rates.Department, From: from, To: s.Clock.Now()})
		if err != nil || len(own) != 1 || own[0].Key != strconv.FormatInt(dept["tax"], 10) {
			t.Errorf("tax's own view: %+v, %v", own, err)
		}

		o, err := s.Overview(ctx, s.As(t, "street_leader"), appealdb.OverviewQuery{From: from, To: s.Clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if o.Received != 3 || o.Closed != 3 || o.Open != 0 {
			t.Errorf("overview: %+v", o)
		}
		// The overview's day counts add up to the appeals received.
		sum := 0
		for _, d := range o.ByDay {
			sum += d.N
		}
		if sum != o.Received {
			t.Errorf("days add up to %d, received %d", sum, o.Received)
		}
	})
}

// TestOverviewDays raises appeals early in the morning and late at night in
// Shanghai, when the UTC date differs: each day's bar of the overview is the
// appeals listed as received that day in Shanghai.
func TestOverviewDays(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		from := s.Clock.Now()
		for _, at := range []string{"2026-03-03 07:30", "2026-03-03 23:30", "2026-03-04 00:10", "2026-03-05 12:00"} {
			tm, err := time.ParseInLocation("2006-01-02 15:04", at, calendar.Shanghai)
			if err != nil {
				t.Fatal(err)
			}
			s.Clock.Advance(tm.Sub(s.Clock.Now()))
			s.raise(t, "enterprise", "")
		}
		to := s.Clock.Now().Add(time.Minute)
		a := s.As(t, "street_leader")
		o, err := s.Overview(ctx, a, appealdb.OverviewQuery{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		checkDayBars(t, s, a, o, from, to)
		got := map[string]int{}
		for _, d := range o.ByDay {
			got[d.Key] = d.N
		}
		for day, n := range map[string]int{"2026-03-03": 2, "2026-03-04": 1, "2026-03-05": 1} {
			if got[day] < n {
				t.Errorf("%s: overview %d, want at least the %d raised", day, got[day], n)
			}
		}
	})
}

// checkDayBars holds each day's bar of an overview of [from, to) to the
// appeals the actor's list counts as received that day in Shanghai.
func checkDayBars(t *testing.T, s *testStore, a access.Actor, o appealdb.Overview, from, to time.Time) {
	t.Helper()
	for _, d := range o.ByDay {
		day, err := time.ParseInLocation(time.DateOnly, d.Key, calendar.Shanghai)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := day, day.AddDate(0, 0, 1)
		if lo.Before(from) {
			lo = from
		}
		if hi.After(to) {
			hi = to
		}
		n, err := s.CountAppeals(context.Background(), a, appealdb.AppealQuery{From: lo, To: hi})
		if err != nil {
			t.Fatal(err)
		}
		if n != d.N {
			t.Errorf("%s: overview has %d on %s, the list %d", a.Name, d.N, d.Key, n)
		}
	}
}

// TestAssessmentCache checks the figures kept for Options.FiguresTTL:
// answered again within it, with the time they were computed at; computed
// anew after it; kept apart for each scope, so that no department sees
// another's row; and computed once for concurrent requests.
func TestAssessmentCache(t *testing.T) {
	t.Parallel()
	storetest.EachDatabase(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := storetest.NewClock(start)
		s := openStoreWith(t, dsn, c, appealdb.Options{FiguresTTL: time.Minute})
		if err := s.LoadDemo(ctx, dataset); err != nil {
			t.Fatal(err)
		}
		q := appealdb.AssessmentQuery{Dimension: rates.Community, From: start.AddDate(0, 0, -1), To: start.AddDate(0, 0, 30)}
		leader := s.As(t, "street_leader")
		dept := s.deptIDs(t)
		dispatched := func(rows []rates.Row) int {
			n := 0
			for _, r := range rows {
				n += r.Dispatches
			}
			return n
		}
		r1, at1, err := s.AssessmentAsOf(ctx, leader, q)
		if err != nil {
			t.Fatal(err)
		}
		a := s.raise(t, "enterprise", "") // dispatched now: a dispatch in the period
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["tax"]})
		c.Advance(30 * time.Second)
		r2, at2, err := s.AssessmentAsOf(ctx, leader, q)
		if err != nil || !at2.Equal(at1) || dispatched(r2) != dispatched(r1) {
			t.Errorf("within the TTL: %d dispatched as of %s, %v; want the kept %d as of %s", dispatched(r2), at2, err, dispatched(r1), at1)
		}
		c.Advance(31 * time.Second)
		r3, at3, err := s.AssessmentAsOf(ctx, leader, q)
		if err != nil || !at3.Equal(c.Now()) || dispatched(r3) != dispatched(r1)+1 {
			t.Errorf("after the TTL: %d dispatched as of %s, %v; want %d as of %s", dispatched(r3), at3, err, dispatched(r1)+1, c.Now())
		}

		// The overview is kept the same way.
		oq := appealdb.OverviewQuery{From: start.AddDate(0, 0, -1), To: start.AddDate(0, 0, 30)}
		o1, err := s.Overview(ctx, leader, oq)
		if err != nil || !o1.AsOf.Equal(c.Now()) {
			t.Fatalf("overview as of %s, %v; want %s", o1.AsOf, err, c.Now())
		}
		s.raise(t, "enterprise", "")
		if o2, err := s.Overview(ctx, leader, oq); err != nil || !o2.AsOf.Equal(o1.AsOf) || o2.Received != o1.Received {
			t.Errorf("overview within the TTL: %d received as of %s, %v; want the kept %d", o2.Received, o2.AsOf, err, o1.Received)
		}
		c.Advance(time.Minute)
		if o3, err := s.Overview(ctx, leader, oq); err != nil || !o3.AsOf.Equal(c.Now()) || o3.Received != o1.Received+1 {
			t.Errorf("overview after the TTL: %d received as of %s, %v; want %d", o3.Received, o3.AsOf, err, o1.Received+1)
		}

		// Each department sees its own row, whoever asked first.
		for _, d := range []string{"tax", "market"} {
			a := s.raise(t, "enterprise", "")
			s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
			s.act(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept[d]})
		}
		dq := appealdb.AssessmentQuery{Dimension: rates.Department, From: start.AddDate(-1, 0, 0), To: start.AddDate(0, 0, 30)}
		for _, who := range []string{"dept_tax", "dept_market", "dept_tax"} {
			rows, err := s.Assessment(ctx, s.As(t, who), dq)
			if err != nil {
				t.Fatal(err)
			}
			own := strconv.FormatInt(dept[strings.TrimPrefix(who, "dept_")], 10)
			if len(rows) != 1 || rows[0].Key != own {
				t.Errorf("%s sees %+v; want its own row only", who, rows)
			}
		}

		// Concurrent requests share one computation.
		c.Advance(time.Minute)
		var wg sync.WaitGroup
		ats := make([]time.Time, 8)
		for i := range ats {
			wg.Go(func() {
				var err error
				if _, ats[i], err = s.AssessmentAsOf(ctx, leader, q); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		for _, at := range ats {
			if !at.Equal(c.Now()) {
				t.Errorf("concurrent request answered figures as of %s, want %s", at, c.Now())
			}
		}
	})
}

// TestAssessmentRedo counts by hand five rated appeals of one community,
// one of them rated 不满意, redone and then rated 满意: satisfaction at the
// final rating counts it as 满意, at the first rating as 不满意, and the
// redo rate counts it.
func TestAssessmentRedo(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		dept := s.deptIDs(t)
		from := start.Add(-24 * time.Hour)
		resolved := func(r appeal.Rating) {
			a := s.raise(t, "enterprise", "")
			s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
			s.act(t, "community", a.ID, appeal.Command{Action: appeal.Resolve, Result: appeal.Solved, Note: "已现场解决"})
			s.act(t, "enterprise", a.ID, appeal.Command{Action: appeal.Rate, Rating: r})
		}
		resolved(appeal.Satisfied)
		resolved(appeal.Satisfied)
		resolved(appeal.Basic)
		resolved(appeal.Basic)
		// The redone one: tax replies, the enterprise is not content, tax replies again, the enterprise is.
		a := s.raise(t, "enterprise", "")
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["tax"]})
		s.act(t, "dept_tax", a.ID, appeal.Command{Action: appeal.Sign})
		s.act(t, "dept_tax", a.ID, appeal.Command{Action: appeal.Reply, Result: appeal.Explained, Note: "已说明政策"})
		if got := s.act(t, "enterprise", a.ID, appeal.Command{Action: appeal.Rate, Rating: appeal.Unsatisfied,
			Note: "没有解决实际问题"}); got.State != appeal.Handling {
			t.Fatalf("rated unsatisfied: %s, want handling (a redo)", got.State)
		}
		s.act(t, "dept_tax", a.ID, appeal.Command{Action: appeal.Reply, Result: appeal.Solved, Note: "已协调办理退税"})
		s.act(t, "enterprise", a.ID, appeal.Command{Action: appeal.Rate, Rating: appeal.Satisfied})
		s.Clock.Advance(time.Minute) // the period ends after the last reply

		rows, err := s.Assessment(ctx, s.As(t, "district_leader"), appealdb.AssessmentQuery{
			Dimension: rates.Community, From: from, To: s.Clock.Now()})
		if err != nil || len(rows) != 1 {
			t.Fatalf("community rows %+v, %v", rows, err)
		}
		c := rows[0]
		near := func(x, y float64) bool { return x-y < 1e-9 && y-x < 1e-9 }
		// Final: 满意 3 (the redone one too), 基本满意 2 → (3 + 0.8×2) ÷ 5 = 92%.
		if c.Rated != 5 || c.Satisfied != 3 || c.Basic != 2 || c.Unsatisfied != 0 || !near(c.SatisfactionRate, 0.92) {
			t.Errorf("final ratings: rated %d, %d/%d/%d, %.4f; want 5, 3/2/0, 0.92", c.Rated, c.Satisfied, c.Basic, c.Unsatisfied, c.SatisfactionRate)
		}
		// First: 满意 2, 基本满意 2, 不满意 1 → (2 + 0.8×2) ÷ 5 = 72%.
		if c.FirstSatisfied != 2 || c.FirstBasic != 2 || c.FirstUnsatisfied != 1 || !near(c.FirstSatisfactionRate, 0.72) {
			t.Errorf("first ratings: %d/%d/%d, %.4f; want 2/2/1, 0.72", c.FirstSatisfied, c.FirstBasic, c.FirstUnsatisfied, c.FirstSatisfactionRate)
		}
		// Redo: 1 of 5 rated → 20%; resolution: 5 replied, all solved in the end.
		if c.Redone != 1 || !near(c.RedoRate, 0.2) || c.Replied != 5 || c.Resolved != 5 {
			t.Errorf("redone %d (%.4f), replied %d, resolved %d; want 1 (0.2), 5, 5", c.Redone, c.RedoRate, c.Replied, c.Resolved)
		}
		// The department's row has the redone appeal alone.
		drows, err := s.Assessment(ctx, s.As(t, "district_leader"), appealdb.AssessmentQuery{
			Dimension: rates.Department, From: from, To: s.Clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range drows {
			if r.Key == strconv.FormatInt(dept["tax"], 10) && (r.Redone != 1 || r.Rated != 1 || r.FirstUnsatisfied != 1 || r.Satisfied != 1) {
				t.Errorf("tax: %+v", r)
			}
		}
	})
}
