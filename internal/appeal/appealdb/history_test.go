package appealdb_test

import (
	"context"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/demo"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// TestReplayHistory replays a demo history through the use cases: every
// move is accepted (or skipped for a reason the workflow gives), the appeals
// end in many different states, and the audit chain still verifies.
func TestReplayHistory(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		now := start.AddDate(0, 2, 0)
		plans, moves := demo.History(dataset, 7, now, 150)
		clk := storetest.NewClock(start)
		rs := openStore(t, s.DSN, clk)
		began := time.Now()
		rep, err := rs.ReplayHistory(ctx, plans, moves, clk.Set)
		if err != nil {
			t.Fatalf("replay: %v (%+v)", err, rep)
		}
		t.Logf("replayed %+v in %s", rep, time.Since(began).Round(time.Millisecond))
		if rep.Appeals == 0 || rep.Skipped > rep.Moves/20 {
			t.Errorf("report %+v: too few appeals or too many skipped moves", rep)
		}
		states := map[appeal.State]int{}
		rows, total, err := s.Appeals(ctx, s.As(t, "admin"), appealdb.AppealQuery{Page: store.Page{Size: 200}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			states[r.State]++
		}
		if total != rep.Appeals || len(states) < 4 {
			t.Errorf("%d appeals listed, %d replayed; states %v", total, rep.Appeals, states)
		}
		if _, err := s.VerifyAudit(ctx); err != nil {
			t.Errorf("audit chain after the replay: %v", err)
		}

		// Dashboard counts equal list counts, for every leader and the community.
		from, to := start, now.Add(time.Hour)
		for _, who := range []string{"district_leader", "street_leader", "community", "admin"} {
			a := s.As(t, who)
			o, err := s.Overview(ctx, a, appealdb.OverviewQuery{From: from, To: to})
			if err != nil {
				t.Fatalf("overview as %s: %v", who, err)
			}
			listed, err := s.CountAppeals(ctx, a, appealdb.AppealQuery{From: from, To: to})
			if err != nil {
				t.Fatal(err)
			}
			closed, err := s.CountAppeals(ctx, a, appealdb.AppealQuery{From: from, To: to, State: appeal.Closed})
			if err != nil {
				t.Fatal(err)
			}
			merged, err := s.CountAppeals(ctx, a, appealdb.AppealQuery{From: from, To: to, State: appeal.Merged})
			if err != nil {
				t.Fatal(err)
			}
			if o.Received != listed || o.Closed != closed+merged || o.Open != listed-closed-merged {
				t.Errorf("%s: overview received %d closed %d open %d; lists %d, closed %d + merged %d",
					who, o.Received, o.Closed, o.Open, listed, closed, merged)
			}
			if who == "district_leader" {
				checkDayBars(t, s, a, o, from, to)
			}
			byState := 0
			for _, c := range o.ByState {
				n, err := s.CountAppeals(ctx, a, appealdb.AppealQuery{From: from, To: to, State: appeal.State(c.Key)})
				if err != nil {
					t.Fatal(err)
				}
				if n != c.N {
					t.Errorf("%s: overview counts %d %s, the list %d", who, c.N, c.Key, n)
				}
				byState += c.N
			}
			if byState != o.Received {
				t.Errorf("%s: states add up to %d of %d", who, byState, o.Received)
			}
		}

		// Each one's whole list newest first, page by page, holds every appeal
		// of its scope once, in order, with the deadlines the queues ordered
		// by deadline (another path) give the same appeals.
		for _, who := range []string{"admin", "district_leader", "dept_tax", "community"} {
			a := s.As(t, who)
			due := map[int64]time.Time{}
			queues := []string{appealdb.QueueTriage, appealdb.QueueToRate} // by deadline, over every open step
			if who != "dept_tax" {
				queues = append(queues, appealdb.QueueOverdue) // a department's: its own steps only
			}
			for _, q := range queues {
				rows, _, err := s.Appeals(ctx, a, appealdb.AppealQuery{Queue: q, Page: store.Page{Size: store.MaxPageSize}})
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					due[r.ID] = r.Due
				}
			}
			all, total := listAll(t, s, a, appealdb.AppealQuery{}, 7)
			seen := map[int64]bool{}
			for i, r := range all {
				if seen[r.ID] {
					t.Errorf("%s: appeal %d listed twice", who, r.ID)
				}
				seen[r.ID] = true
				if i > 0 && (r.CreatedAt.After(all[i-1].CreatedAt) || r.CreatedAt.Equal(all[i-1].CreatedAt) && r.ID > all[i-1].ID) {
					t.Errorf("%s: appeal %d listed after %d, which is older", who, r.ID, all[i-1].ID)
				}
				if d, ok := due[r.ID]; ok && !d.Equal(r.Due) {
					t.Errorf("%s: appeal %d due %v in the list, %v in the queues", who, r.ID, r.Due, d)
				}
			}
			if len(all) != total || total == 0 {
				t.Errorf("%s: %d appeals listed page by page, %d counted", who, len(all), total)
			}
		}

		// At the history's end, the overdue queue of each leader, the
		// community and the administrator (a region of it too) is exactly the
		// appeals of their list whose nearest open deadline has passed.
		s.Clock.Set(now)
		for _, c := range []struct {
			who, region string
		}{{"admin", ""}, {"admin", storetest.DemoUser(t, "street_leader").RegionCode}, {"district_leader", ""}, {"street_leader", ""}, {"community", ""}} {
			a := s.As(t, c.who)
			want := map[int64]bool{}
			all, _ := listAll(t, s, a, appealdb.AppealQuery{Region: c.region}, store.MaxPageSize)
			for _, r := range all {
				if !r.Due.IsZero() && r.Due.Before(now) {
					want[r.ID] = true
				}
			}
			q := appealdb.AppealQuery{Queue: appealdb.QueueOverdue, Region: c.region, Page: store.Page{Size: store.MaxPageSize}}
			rows, n, err := s.Appeals(ctx, a, q)
			if err != nil {
				t.Fatal(err)
			}
			got := map[int64]bool{}
			for _, r := range rows {
				got[r.ID] = true
			}
			if len(got) != len(want) || n != len(want) {
				t.Errorf("%s %s: %d overdue listed (%d counted), %d appeals past their deadline", c.who, c.region, len(got), n, len(want))
			}
			for id := range want {
				if !got[id] {
					t.Errorf("%s %s: appeal %d is past its deadline but not in the overdue queue", c.who, c.region, id)
				}
			}
			if c.who == "district_leader" && len(want) == 0 {
				t.Error("nothing overdue at the history's end: the check checks nothing")
			}
			// The overview's overdue figure links to that queue: the two agree.
			if access.May(a.Role, access.AppealAssess) {
				o, err := s.Overview(ctx, a, appealdb.OverviewQuery{Region: c.region, From: now.AddDate(0, -1, 0), To: now})
				if err != nil {
					t.Fatal(err)
				}
				if o.Overdue != n {
					t.Errorf("%s %s: the overview says %d overdue, its queue lists %d", c.who, c.region, o.Overdue, n)
				}
			}
		}
	})
}

// listAll reads the whole list q selects for a, page by page of size, and
// returns its rows with the total the store counted.
func listAll(t *testing.T, s *testStore, a access.Actor, q appealdb.AppealQuery, size int) ([]appealdb.AppealRow, int) {
	t.Helper()
	var all []appealdb.AppealRow
	for page := 1; ; page++ {
		q.Page = store.Page{Size: size, Number: page}
		rows, total, err := s.Appeals(context.Background(), a, q)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, rows...)
		if len(rows) < size {
			return all, total
		}
	}
}
